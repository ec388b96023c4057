//! The medvigil server: the HTTP API under `/api/v1` (JSON, described by an
//! OpenAPI 3.1 document generated from the handlers), the server-rendered
//! web UI, and the accounts behind both (argon2id passwords, cookie
//! sessions with CSRF tokens, API tokens, the audit log).
//!
//! Authorization lives in one place ([`auth`]): a middleware resolves the
//! caller from a bearer token or a session cookie (checking CSRF on every
//! state-changing request a cookie authenticates), and each handler asks
//! [`auth::Caller::require`] for an action of the permission matrix, which
//! answers with a `TenantStore` of the caller's own tenant. No tenant id is
//! ever read from a request.

pub mod admin;
pub mod api;
pub mod auth;
mod cache;
mod config;
mod docs;
pub mod error;
mod login;
mod paging;
mod serve;
mod state;
pub mod web;

pub use config::{Config, TlsFiles};
pub use serve::{ServeError, serve};
pub use state::AppState;

use axum::Router;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

/// Largest request body accepted (JSON and forms are small; uploads will
/// get their own routes and limits).
const BODY_LIMIT: usize = 1 << 20;

/// The whole application: API, docs, web UI, behind the authentication
/// middleware and with the security headers on every response.
pub fn app(state: AppState) -> Router {
    Router::new()
        .nest("/api/v1", api::router())
        .merge(docs::router())
        .merge(web::router())
        // Inner to outer: authentication, the body limit (before anything
        // reads a body), the security headers (on every answer, refusals
        // included), request tracing.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            state::security_headers,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
