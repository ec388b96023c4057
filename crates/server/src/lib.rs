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
pub mod jobs;
mod login;
mod paging;
mod serve;
mod state;
pub mod web;

pub use config::{Config, TlsFiles};
pub use serve::{ServeError, serve};
pub use state::AppState;

use axum::Router;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::trace::TraceLayer;

/// Largest request body accepted, but on the upload routes (JSON and forms
/// are small).
const BODY_LIMIT: usize = 1 << 20;

/// The routes that take a file, and their limit.
fn body_limit(path: &str) -> usize {
    match path {
        "/api/v1/imports/inventory" | "/imports/inventory" => api::imports::UPLOAD_LIMIT,
        _ => BODY_LIMIT,
    }
}

/// Refuses a body announced larger than the route's limit at once (413),
/// and makes any other stop at the limit (the extractors then answer 413),
/// before anything reads it.
async fn limit_body(req: Request, next: Next) -> Response {
    let limit = body_limit(req.uri().path());
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit as u64) {
        return crate::error::ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("the body is larger than {limit} bytes"),
        )
        .into_response();
    }
    let req = req.map(|b| axum::body::Body::new(http_body_util::Limited::new(b, limit)));
    next.run(req).await
}

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
        .layer(axum::middleware::from_fn(limit_body))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            state::security_headers,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
