//! Which passwords an account may choose (NIST SP 800-63B §5.1.1.2): long
//! enough, not absurdly long, not the account's own name, not a common
//! password. No composition rules (digits, symbols): they do not help.

/// Fewest characters a password may have.
pub const MIN_LENGTH: usize = 12;
/// Most characters a password may have (bounds the work of hashing).
pub const MAX_LENGTH: usize = 256;

/// Common passwords of at least [`MIN_LENGTH`] characters, lowercase, one a
/// line; shorter ones are already refused by the length rule.
const COMMON_PASSWORDS: &str = include_str!("../data/common-passwords.txt");

/// Why a password is refused. The messages are for the user choosing it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyViolation {
    /// Fewer than [`MIN_LENGTH`] characters.
    #[error("password is too short: {length} characters, at least {min} are required")]
    TooShort {
        /// Characters (Unicode scalar values) in the password.
        length: usize,
        /// The minimum.
        min: usize,
    },
    /// More than [`MAX_LENGTH`] characters.
    #[error("password is too long: {length} characters, at most {max} are allowed")]
    TooLong {
        /// Characters (Unicode scalar values) in the password.
        length: usize,
        /// The maximum.
        max: usize,
    },
    /// The password is the user name (ignoring case and surrounding spaces).
    #[error("password must not be the user name")]
    SameAsUsername,
    /// The password is the e-mail address or its local part.
    #[error("password must not be the e-mail address")]
    SameAsEmail,
    /// The password is in the list of most common passwords.
    #[error("password is one of the most commonly used passwords; choose another")]
    Common,
}

/// Checks a new password for the account `username` with address `email`.
pub fn check_password_policy(
    password: &str,
    username: &str,
    email: Option<&str>,
) -> Result<(), PolicyViolation> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(PolicyViolation::TooShort {
            length,
            min: MIN_LENGTH,
        });
    }
    if length > MAX_LENGTH {
        return Err(PolicyViolation::TooLong {
            length,
            max: MAX_LENGTH,
        });
    }
    let candidate = normalise(password);
    if candidate == normalise(username) {
        return Err(PolicyViolation::SameAsUsername);
    }
    if let Some(email) = email {
        let email = normalise(email);
        let local = email.rsplit_once('@').map_or(email.as_str(), |(l, _)| l);
        if candidate == email || candidate == local {
            return Err(PolicyViolation::SameAsEmail);
        }
    }
    if is_common(&candidate) {
        return Err(PolicyViolation::Common);
    }
    Ok(())
}

/// Whether `password` (compared without case) is in the embedded list.
pub fn is_common(password: &str) -> bool {
    let candidate = normalise(password);
    common_passwords().any(|p| p == candidate)
}

/// The embedded list of common passwords.
pub fn common_passwords() -> impl Iterator<Item = &'static str> {
    COMMON_PASSWORDS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn normalise(s: &str) -> String {
    s.trim().to_lowercase()
}
