//! CSRF synchronizer tokens bound to the session (OWASP CSRF Prevention
//! Cheat Sheet, HMAC-based token pattern): the token is HMAC-SHA256 of the
//! session id under a server key, so it needs no storage, differs per
//! session and cannot be forged without the key.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rand::{CryptoRng, RngCore};
use sha2::Sha256;

use crate::session::SessionId;

/// Separates this use of the key from any other HMAC under it.
const DOMAIN: &[u8] = b"medvigil-csrf-v1\0";
/// Characters of a CSRF token (32 bytes in base64url without padding).
pub const CSRF_TOKEN_LEN: usize = 43;

/// The server's secret CSRF key (32 bytes). `Debug` hides it.
#[derive(Clone)]
pub struct CsrfKey([u8; 32]);

impl fmt::Debug for CsrfKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CsrfKey(<redacted>)")
    }
}

impl CsrfKey {
    /// A fresh key from `rng` (which must be a CSPRNG).
    pub fn generate<R: RngCore + CryptoRng + ?Sized>(rng: &mut R) -> CsrfKey {
        let mut bytes = [0u8; 32];
        rng.fill_bytes(&mut bytes);
        CsrfKey(bytes)
    }

    /// A key loaded from configuration or a secret store.
    pub fn from_bytes(bytes: [u8; 32]) -> CsrfKey {
        CsrfKey(bytes)
    }

    fn mac(&self, session: &SessionId) -> Hmac<Sha256> {
        // HMAC takes keys of any length; 32 bytes cannot fail.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
        mac.update(DOMAIN);
        mac.update(session.as_bytes());
        mac
    }
}

/// The CSRF token for `session`, to put in forms and the `X-CSRF-Token`
/// header.
pub fn csrf_token(key: &CsrfKey, session: &SessionId) -> String {
    URL_SAFE_NO_PAD.encode(key.mac(session).finalize().into_bytes())
}

/// Whether `presented` is `session`'s CSRF token, compared in constant time.
pub fn verify_csrf(key: &CsrfKey, session: &SessionId, presented: &str) -> bool {
    if presented.len() != CSRF_TOKEN_LEN {
        return false;
    }
    let Ok(tag) = URL_SAFE_NO_PAD.decode(presented) else {
        return false;
    };
    key.mac(session).verify_slice(&tag).is_ok()
}
