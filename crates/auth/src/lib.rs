//! The security core of the medvigil server: roles and the permission
//! matrix, argon2id password hashing and the password policy, API tokens,
//! browser sessions with CSRF tokens and cookie attributes, login
//! throttling, and the security headers every response carries.
//!
//! Pure: no I/O, no async runtime, no database, no clock. Every function
//! that depends on time takes `now`; every one that needs randomness takes
//! the caller's CSPRNG (`rand::rngs::OsRng.unwrap_err()` or a `StdRng`
//! seeded from it in the server, a seeded `ChaCha20Rng` in tests).
//!
//! ```
//! use medvigil_auth::{Action, Role, Token, TokenRecord, allowed};
//! use rand_chacha::{ChaCha20Rng, rand_core::SeedableRng};
//! use time::macros::datetime;
//!
//! let mut rng = ChaCha20Rng::seed_from_u64(7);
//! let now = datetime!(2026-01-01 0:00 UTC);
//! assert!(allowed(Role::Biomed, Action::WriteInventory));
//! assert!(!allowed(Role::Auditor, Action::WriteInventory));
//!
//! let token = Token::generate(&mut rng);
//! let shown_once = token.expose(); // mv_<id>_<secret>
//! let record = TokenRecord::new(&token, [Action::ReadInventory].into(), now, None);
//! let presented = Token::parse(&shown_once).unwrap();
//! assert!(record.authenticate(&presented, now).is_ok());
//! assert!(record.allows(Role::Biomed, Action::ReadInventory));
//! assert!(!record.allows(Role::Biomed, Action::WriteInventory)); // not in scopes
//! ```

pub mod cookie;
pub mod csrf;
pub mod headers;
mod hex;
pub mod password;
pub mod password_policy;
pub mod role;
pub mod session;
pub mod throttle;
pub mod token;
pub mod transport;

pub use cookie::{
    DEV_COOKIE_NAME, SECURE_COOKIE_NAME, clear_session_cookie, session_cookie, session_cookie_name,
};
pub use csrf::{CSRF_TOKEN_LEN, CsrfKey, csrf_token, verify_csrf};
pub use headers::security_headers;
pub use password::{PasswordError, PasswordParams, hash_password, needs_rehash, verify_password};
pub use password_policy::{MAX_LENGTH, MIN_LENGTH, PolicyViolation, check_password_policy};
pub use role::{Action, Role, UnknownName, allowed, matrix, permissions_markdown};
pub use session::{Session, SessionConfig, SessionHash, SessionId, SessionRejection};
pub use throttle::{LockScope, Locked, LoginThrottle, ThrottleConfig};
pub use token::{
    Token, TokenHash, TokenId, TokenParseError, TokenRecord, TokenRejection, effective_allowed,
    verify as verify_token,
};
pub use transport::Transport;

/// A time as RFC 3339 for messages; `Display`'s form where RFC 3339 cannot
/// show it (years outside 0000–9999).
fn rfc3339(t: &time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.to_string())
}
