//! Browser sessions: random ids, stored hashed, with idle and absolute
//! limits, rotated at login (OWASP Session Management Cheat Sheet).

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::{CryptoRng, RngCore};
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

/// Random bytes in a session id (256 bits).
pub const SESSION_ID_BYTES: usize = 32;
/// Characters of a session id in base64url without padding.
pub const SESSION_ID_LEN: usize = 43;

/// A session id as the browser holds it in its cookie. `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionId([u8; SESSION_ID_BYTES]);

impl fmt::Debug for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionId(<redacted>)")
    }
}

impl SessionId {
    /// A fresh id from `rng` (which must be a CSPRNG).
    pub fn generate<R: RngCore + CryptoRng + ?Sized>(rng: &mut R) -> SessionId {
        let mut bytes = [0u8; SESSION_ID_BYTES];
        rng.fill_bytes(&mut bytes);
        SessionId(bytes)
    }

    /// Reads a cookie value; `None` unless 43 base64url characters that
    /// decode to 32 bytes.
    pub fn parse(s: &str) -> Option<SessionId> {
        if s.len() != SESSION_ID_LEN {
            return None;
        }
        let bytes = URL_SAFE_NO_PAD.decode(s).ok()?;
        bytes.try_into().ok().map(SessionId)
    }

    /// The cookie value (base64url, no padding).
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0)
    }

    /// SHA-256 of the id: the store's key, so that a leaked table holds no
    /// usable session.
    pub fn hash(&self) -> SessionHash {
        SessionHash(Sha256::digest(self.0).into())
    }

    pub(crate) fn as_bytes(&self) -> &[u8; SESSION_ID_BYTES] {
        &self.0
    }
}

/// SHA-256 of a session id, as stored.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SessionHash(pub [u8; 32]);

impl SessionHash {
    /// Lowercase hex, for a text column.
    pub fn to_hex(&self) -> String {
        crate::hex::encode(&self.0)
    }

    /// Reads [`SessionHash::to_hex`]'s output.
    pub fn from_hex(s: &str) -> Option<SessionHash> {
        crate::hex::decode_array(s).map(SessionHash)
    }
}

impl fmt::Debug for SessionHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SessionHash({})", self.to_hex())
    }
}

/// How long sessions last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionConfig {
    /// A session unused this long ends.
    pub idle_timeout: Duration,
    /// A session ends this long after login, used or not.
    pub absolute_lifetime: Duration,
}

impl Default for SessionConfig {
    /// 30 minutes idle (OWASP: 15–30 for high-value applications); 12 hours
    /// absolute, one clinical shift.
    fn default() -> Self {
        SessionConfig {
            idle_timeout: Duration::minutes(30),
            absolute_lifetime: Duration::hours(12),
        }
    }
}

/// A session as stored: its hashed id and its times. The account it
/// belongs to is the store's business.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// SHA-256 of the id.
    pub hash: SessionHash,
    /// Login time; the absolute lifetime counts from here.
    pub created_at: OffsetDateTime,
    /// Last request; the idle timeout counts from here.
    pub last_seen_at: OffsetDateTime,
}

/// Why a session is no longer valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SessionRejection {
    /// Unused for longer than the idle timeout.
    #[error("session idle since {}", crate::rfc3339(since))]
    Idle {
        /// Last use.
        since: OffsetDateTime,
    },
    /// Older than the absolute lifetime.
    #[error("session expired at {}", crate::rfc3339(at))]
    Expired {
        /// End of the absolute lifetime.
        at: OffsetDateTime,
    },
}

impl Session {
    /// A new session at `now`: the id for the cookie, the record to store.
    pub fn start<R: RngCore + CryptoRng + ?Sized>(
        rng: &mut R,
        now: OffsetDateTime,
    ) -> (SessionId, Session) {
        let id = SessionId::generate(rng);
        let session = Session {
            hash: id.hash(),
            created_at: now,
            last_seen_at: now,
        };
        (id, session)
    }

    /// Whether the session is still valid at `now`.
    pub fn check(
        &self,
        now: OffsetDateTime,
        config: &SessionConfig,
    ) -> Result<(), SessionRejection> {
        let at = self.created_at + config.absolute_lifetime;
        if now >= at {
            return Err(SessionRejection::Expired { at });
        }
        if now >= self.last_seen_at + config.idle_timeout {
            return Err(SessionRejection::Idle {
                since: self.last_seen_at,
            });
        }
        Ok(())
    }

    /// Records a request at `now` (after a successful [`Session::check`]).
    pub fn touch(&mut self, now: OffsetDateTime) {
        self.last_seen_at = self.last_seen_at.max(now);
    }

    /// The same session under a new id, for a privilege change within it
    /// (re-authentication, password or role change). The caller stores the
    /// new record and deletes `self.hash`, so the old id, perhaps planted
    /// or observed by an attacker, stops working. The absolute lifetime
    /// still counts from the original login: rotating never extends it.
    ///
    /// At login itself the server does not reuse anything it got from the
    /// browser: it deletes any session the request carried and calls
    /// [`Session::start`] (the session-fixation defence).
    pub fn rotate<R: RngCore + CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        now: OffsetDateTime,
    ) -> (SessionId, Session) {
        let id = SessionId::generate(rng);
        let session = Session {
            hash: id.hash(),
            created_at: self.created_at,
            last_seen_at: self.last_seen_at.max(now),
        };
        (id, session)
    }
}
