//! What every handler shares: the store, the CSRF key, the login throttle
//! and the configuration.

use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use medvigil_auth::{CsrfKey, LoginThrottle, PasswordParams, Transport, hash_password};
use medvigil_store::Store;
use rand::TryRngCore;
use rand::rngs::OsRng;

use crate::Config;
use crate::cache::RiskCache;
use crate::jobs::Jobs;

/// Shared state of the application (cheap to clone).
#[derive(Clone, Debug)]
pub struct AppState(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    store: Store,
    config: Config,
    csrf_key: CsrfKey,
    throttle: Mutex<LoginThrottle>,
    /// A hash of nothing in particular, verified when a login names no
    /// account, so that a missing account costs as much time as a wrong password.
    decoy_hash: String,
    risk: RiskCache,
    /// Imports running in the background, per tenant.
    jobs: Jobs,
}

/// The operating system's CSPRNG, as the `RngCore + CryptoRng` the auth
/// crate takes (a failing OS RNG panics rather than yield weak secrets).
pub(crate) fn rng() -> rand::rand_core::UnwrapErr<OsRng> {
    OsRng.unwrap_err()
}

impl AppState {
    /// The state for `store` under `config`, with a fresh CSRF key (sessions
    /// survive a restart, their CSRF tokens do not: forms are re-rendered).
    pub fn new(store: Store, config: Config) -> Self {
        let mut rng = rng();
        let decoy_hash = hash_password("medvigil-decoy", config.password_params, &mut rng)
            .or_else(|_| hash_password("medvigil-decoy", PasswordParams::OWASP, &mut rng))
            .unwrap_or_default();
        Self(Arc::new(Inner {
            store,
            csrf_key: CsrfKey::generate(&mut rng),
            throttle: Mutex::new(LoginThrottle::new(config.throttle)),
            config,
            decoy_hash,
            risk: RiskCache::default(),
            jobs: Jobs::default(),
        }))
    }

    /// The store (only [`crate::auth`] and the login use it directly;
    /// handlers get a `TenantStore` from `Caller::require`).
    pub(crate) fn store(&self) -> &Store {
        &self.0.store
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.0.config
    }

    pub(crate) fn transport(&self) -> Transport {
        self.0.config.transport()
    }

    pub(crate) fn csrf_key(&self) -> &CsrfKey {
        &self.0.csrf_key
    }

    pub(crate) fn jobs(&self) -> &Jobs {
        &self.0.jobs
    }

    pub(crate) fn decoy_hash(&self) -> &str {
        &self.0.decoy_hash
    }

    /// Each tenant's risk ranking, kept until the data change.
    pub(crate) fn risk_cache(&self) -> &RiskCache {
        &self.0.risk
    }

    pub(crate) fn throttle(&self) -> MutexGuard<'_, LoginThrottle> {
        // A panic while holding the lock leaves a consistent throttle.
        self.0
            .throttle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Adds medvigil-auth's security headers to every response, and keeps
/// responses (which carry patient-safety data or secrets) out of caches.
pub(crate) async fn security_headers(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    for (name, value) in medvigil_auth::security_headers(state.transport()) {
        // `from_bytes` lowercases the names, as HTTP/2 requires.
        if let Ok(name) = HeaderName::from_bytes(name.as_bytes()) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}
