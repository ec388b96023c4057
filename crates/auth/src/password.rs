//! Password hashing with argon2id (RFC 9106), stored as PHC strings.
//!
//! Parameters default to the OWASP Password Storage Cheat Sheet minimum for
//! argon2id: 19 MiB of memory, 2 passes, 1 lane.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::{CryptoRng, RngCore};

/// Length of the random salt, in bytes (RFC 9106 §3.1 recommends 16).
const SALT_LEN: usize = 16;

/// argon2id cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordParams {
    /// Memory, in KiB.
    pub memory_kib: u32,
    /// Passes over the memory.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
}

impl PasswordParams {
    /// OWASP's minimum for argon2id: m = 19 MiB, t = 2, p = 1.
    pub const OWASP: PasswordParams = PasswordParams {
        memory_kib: 19 * 1024,
        iterations: 2,
        parallelism: 1,
    };

    /// The smallest parameters argon2 accepts, for tests only: they make a
    /// hash cheap to compute, and so cheap to guess.
    pub const INSECURE_TEST_ONLY: PasswordParams = PasswordParams {
        memory_kib: 8,
        iterations: 1,
        parallelism: 1,
    };

    fn hasher(self) -> Result<Argon2<'static>, PasswordError> {
        let params = Params::new(self.memory_kib, self.iterations, self.parallelism, None)
            .map_err(|_| PasswordError::InvalidParams(self))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

impl Default for PasswordParams {
    fn default() -> Self {
        PasswordParams::OWASP
    }
}

/// Why a password could not be hashed or a stored hash not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PasswordError {
    /// argon2 refuses these parameters (memory below 8 KiB per lane, zero
    /// passes or lanes…).
    #[error("invalid argon2 parameters {0:?}")]
    InvalidParams(PasswordParams),
    /// The stored value is not a PHC string of a hash we can verify.
    #[error("stored password hash is not a valid argon2 PHC string")]
    MalformedHash,
    /// Hashing failed inside argon2 (e.g. the password is too long for it).
    #[error("password could not be hashed")]
    Hashing,
}

/// Hashes `password` with argon2id and a fresh salt from `rng`; returns the
/// PHC string (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`) to store.
pub fn hash_password<R: RngCore + CryptoRng + ?Sized>(
    password: &str,
    params: PasswordParams,
    rng: &mut R,
) -> Result<String, PasswordError> {
    let mut salt = [0u8; SALT_LEN];
    rng.fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|_| PasswordError::Hashing)?;
    let hash = params
        .hasher()?
        .hash_password(password.as_bytes(), &salt)
        .map_err(|_| PasswordError::Hashing)?;
    Ok(hash.to_string())
}

/// Whether `password` matches the stored PHC string. The comparison is the
/// argon2 crate's, in constant time. A stored value that is not an argon2
/// PHC string is an error, not a mismatch, so that corruption is noticed.
pub fn verify_password(password: &str, stored: &str) -> Result<bool, PasswordError> {
    let parsed = PasswordHash::new(stored).map_err(|_| PasswordError::MalformedHash)?;
    if Algorithm::try_from(parsed.algorithm).is_err() {
        return Err(PasswordError::MalformedHash);
    }
    // The verifier reads algorithm, version and parameters from the PHC
    // string itself, so hashes made with older parameters still verify.
    match Argon2::default().verify_password(password.as_bytes(), &parsed) {
        Ok(()) => Ok(true),
        Err(argon2::password_hash::Error::Password) => Ok(false),
        Err(_) => Err(PasswordError::MalformedHash),
    }
}

/// Whether a stored hash should be recomputed (at the next successful
/// login, when the password is at hand) because it is not argon2id v1.3 or
/// any of its costs is below `params`. Stronger stored costs are kept.
pub fn needs_rehash(stored: &str, params: PasswordParams) -> Result<bool, PasswordError> {
    let parsed = PasswordHash::new(stored).map_err(|_| PasswordError::MalformedHash)?;
    if parsed.algorithm != argon2::ARGON2ID_IDENT || parsed.version != Some(0x13) {
        return Ok(true);
    }
    let stored_params = Params::try_from(&parsed).map_err(|_| PasswordError::MalformedHash)?;
    Ok(stored_params.m_cost() < params.memory_kib
        || stored_params.t_cost() < params.iterations
        || stored_params.p_cost() < params.parallelism)
}
