//! API tokens: `mv_<id>_<secret>`, shown once, stored as the id and the
//! SHA-256 of the secret.
//!
//! The id (12 characters `[a-z0-9]`) finds the record; the secret (32
//! random bytes, 64 lowercase hex digits) proves possession. Neither part
//! contains `_`, so the format splits without ambiguity. The secret has
//! 256 bits of entropy, so a fast hash suffices: there is nothing to guess.

use std::collections::BTreeSet;
use std::fmt;

use rand::{CryptoRng, RngCore};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use time::OffsetDateTime;

use crate::role::{Action, Role, allowed};

/// Prefix of every token, so that secret scanners can recognise a leak.
pub const TOKEN_PREFIX: &str = "mv_";
/// Characters in a token id.
pub const TOKEN_ID_LEN: usize = 12;
/// Random bytes in a token secret.
pub const TOKEN_SECRET_BYTES: usize = 32;
/// Length of a whole token: prefix, id, separator, hex secret.
pub const TOKEN_LEN: usize = TOKEN_PREFIX.len() + TOKEN_ID_LEN + 1 + 2 * TOKEN_SECRET_BYTES;

const ID_ALPHABET: &[u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// The public half of a token: names its record, proves nothing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TokenId(String);

impl TokenId {
    /// Reads a stored id; `None` unless 12 characters of `[a-z0-9]`.
    pub fn parse(s: &str) -> Option<TokenId> {
        let ok = s.len() == TOKEN_ID_LEN
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        ok.then(|| TokenId(s.to_owned()))
    }

    /// The id as stored and shown in token lists.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TokenId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// SHA-256 of a token's secret: what the store keeps.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenHash(pub [u8; 32]);

impl TokenHash {
    /// Lowercase hex, for a text column.
    pub fn to_hex(&self) -> String {
        crate::hex::encode(&self.0)
    }

    /// Reads [`TokenHash::to_hex`]'s output.
    pub fn from_hex(s: &str) -> Option<TokenHash> {
        crate::hex::decode_array(s).map(TokenHash)
    }
}

impl fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TokenHash({})", self.to_hex())
    }
}

/// A whole token (id and secret), freshly generated or presented by a
/// client. `Debug` does not show the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    id: TokenId,
    secret: [u8; TOKEN_SECRET_BYTES],
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("id", &self.id)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// Why a presented string is not a token. Never echoes the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenParseError {
    /// Not [`TOKEN_LEN`] bytes long.
    #[error("token has the wrong length (expected {TOKEN_LEN} characters)")]
    Length,
    /// Does not start with `mv_`.
    #[error("token does not start with '{TOKEN_PREFIX}'")]
    Prefix,
    /// The id is not 12 characters of `[a-z0-9]` followed by `_`.
    #[error("token id is malformed")]
    Id,
    /// The secret is not 64 lowercase hex digits.
    #[error("token secret is malformed")]
    Secret,
}

impl Token {
    /// A new token from `rng` (which must be a CSPRNG).
    pub fn generate<R: RngCore + CryptoRng + ?Sized>(rng: &mut R) -> Token {
        let mut id = String::with_capacity(TOKEN_ID_LEN);
        while id.len() < TOKEN_ID_LEN {
            // Rejection sampling keeps every character equally likely.
            let b = (rng.next_u32() & 0xff) as u8;
            if usize::from(b) < 252 {
                id.push(char::from(ID_ALPHABET[usize::from(b) % 36]));
            }
        }
        let mut secret = [0u8; TOKEN_SECRET_BYTES];
        rng.fill_bytes(&mut secret);
        Token {
            id: TokenId(id),
            secret,
        }
    }

    /// Reads a token as presented (`Authorization: Bearer mv_…`).
    pub fn parse(s: &str) -> Result<Token, TokenParseError> {
        if s.len() != TOKEN_LEN {
            return Err(TokenParseError::Length);
        }
        let rest = s
            .strip_prefix(TOKEN_PREFIX)
            .ok_or(TokenParseError::Prefix)?;
        // `get` gives `None` rather than panicking when a split falls inside
        // a multi-byte character.
        let id = rest
            .get(..TOKEN_ID_LEN)
            .and_then(TokenId::parse)
            .ok_or(TokenParseError::Id)?;
        if rest.as_bytes().get(TOKEN_ID_LEN) != Some(&b'_') {
            return Err(TokenParseError::Id);
        }
        let secret = rest
            .get(TOKEN_ID_LEN + 1..)
            .and_then(crate::hex::decode_array)
            .ok_or(TokenParseError::Secret)?;
        Ok(Token { id, secret })
    }

    /// The token's id, to look its record up.
    pub fn id(&self) -> &TokenId {
        &self.id
    }

    /// The full token text, to show the user once; never store it.
    pub fn expose(&self) -> String {
        format!(
            "{TOKEN_PREFIX}{}_{}",
            self.id,
            crate::hex::encode(&self.secret)
        )
    }

    /// SHA-256 of the secret, to store.
    pub fn hash(&self) -> TokenHash {
        TokenHash(Sha256::digest(self.secret).into())
    }
}

/// Whether `presented` is the token whose secret hashes to `stored`,
/// compared in constant time.
pub fn verify(stored: &TokenHash, presented: &Token) -> bool {
    stored.0.ct_eq(&presented.hash().0).into()
}

/// What a token may do: actions its scopes name *and* its owner's role
/// allows. The owner's current role is passed, so a demotion takes effect
/// on every token at once.
pub fn effective_allowed(role: Role, scopes: &BTreeSet<Action>, action: Action) -> bool {
    allowed(role, action) && scopes.contains(&action)
}

/// A token as stored: what it may do, until when, and whether it is revoked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    /// The token's id.
    pub id: TokenId,
    /// SHA-256 of the secret.
    pub hash: TokenHash,
    /// Actions the token may perform (further limited by the owner's role).
    pub scopes: BTreeSet<Action>,
    /// When it was issued.
    pub created_at: OffsetDateTime,
    /// When it stops working; `None` never (discouraged).
    pub expires_at: Option<OffsetDateTime>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<OffsetDateTime>,
}

/// Why a stored token is not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenRejection {
    /// Revoked (revocation wins over expiry).
    #[error("token was revoked at {}", crate::rfc3339(at))]
    Revoked {
        /// When.
        at: OffsetDateTime,
    },
    /// Past its expiry.
    #[error("token expired at {}", crate::rfc3339(at))]
    Expired {
        /// When.
        at: OffsetDateTime,
    },
    /// The presented secret does not match.
    #[error("token secret does not match")]
    Mismatch,
}

impl TokenRecord {
    /// A record for a newly generated token.
    pub fn new(
        token: &Token,
        scopes: BTreeSet<Action>,
        now: OffsetDateTime,
        expires_at: Option<OffsetDateTime>,
    ) -> TokenRecord {
        TokenRecord {
            id: token.id().clone(),
            hash: token.hash(),
            scopes,
            created_at: now,
            expires_at,
            revoked_at: None,
        }
    }

    /// Whether the token is usable at `now` (not revoked, not expired).
    pub fn check(&self, now: OffsetDateTime) -> Result<(), TokenRejection> {
        if let Some(at) = self.revoked_at {
            return Err(TokenRejection::Revoked { at });
        }
        match self.expires_at {
            Some(at) if now >= at => Err(TokenRejection::Expired { at }),
            _ => Ok(()),
        }
    }

    /// [`verify`] then [`TokenRecord::check`]: the whole acceptance test of
    /// a presented token against the record its id found.
    pub fn authenticate(
        &self,
        presented: &Token,
        now: OffsetDateTime,
    ) -> Result<(), TokenRejection> {
        if presented.id() != &self.id || !verify(&self.hash, presented) {
            return Err(TokenRejection::Mismatch);
        }
        self.check(now)
    }

    /// Whether this token, owned by a user with `role`, may do `action`.
    pub fn allows(&self, role: Role, action: Action) -> bool {
        effective_allowed(role, &self.scopes, action)
    }
}
