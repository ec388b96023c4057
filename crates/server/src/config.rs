//! Server settings.

use std::net::SocketAddr;
use std::path::PathBuf;

use medvigil_auth::{PasswordParams, SessionConfig, ThrottleConfig, Transport};
use medvigil_risk::Policy;

/// A certificate chain and its private key, both PEM.
#[derive(Clone, Debug)]
pub struct TlsFiles {
    /// Certificate chain (PEM).
    pub cert: PathBuf,
    /// Private key (PEM).
    pub key: PathBuf,
}

/// How the server runs.
#[derive(Clone, Debug)]
pub struct Config {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// TLS; without it the server speaks plain HTTP, which it accepts only
    /// on a loopback address (development).
    pub tls: Option<TlsFiles>,
    /// Plain HTTP from a reverse proxy that terminates HTTPS: browsers see
    /// HTTPS, so cookies get `Secure` and `__Host-`, and HSTS is sent.
    pub behind_https_proxy: bool,
    /// argon2id costs for new hashes: OWASP's in production,
    /// [`PasswordParams::INSECURE_TEST_ONLY`] in tests.
    pub password_params: PasswordParams,
    /// Session lifetimes.
    pub session: SessionConfig,
    /// Login throttling.
    pub throttle: ThrottleConfig,
    /// Priority policy for risk and remediation deadlines.
    pub policy: Policy,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            tls: None,
            behind_https_proxy: false,
            password_params: PasswordParams::default(),
            session: SessionConfig::default(),
            throttle: ThrottleConfig::default(),
            policy: Policy::default(),
        }
    }
}

impl Config {
    /// What browsers see: HTTPS when TLS is configured or a proxy
    /// terminates it, else plain HTTP (loopback only, checked when serving).
    pub fn transport(&self) -> Transport {
        if self.tls.is_some() || self.behind_https_proxy {
            Transport::Https
        } else {
            Transport::PlainHttpLocalhostDev
        }
    }
}
