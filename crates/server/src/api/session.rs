//! The session: who am I, log in, log out.

use std::net::{IpAddr, SocketAddr};

use axum::Json;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use medvigil_auth::{Action, SessionId, clear_session_cookie, session_cookie, session_cookie_name};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::{Caller, Via, cookie};
use crate::error::{ApiError, ErrorBody};

/// The client's address (loopback when unknown, as in tests).
pub(crate) fn client_ip(req_ext: &axum::http::Extensions) -> IpAddr {
    req_ext
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([127, 0, 0, 1]), |c| c.0.ip())
}

/// Who the caller is.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// User id.
    pub id: String,
    /// Login name.
    pub username: String,
    /// Role.
    pub role: String,
    /// Tenant id.
    pub tenant: String,
    /// What the caller may do.
    pub actions: Vec<String>,
    /// The session's CSRF token, for `X-CSRF-Token` (none for a token).
    pub csrf_token: Option<String>,
}

fn me_of(state: &AppState, caller: &Caller) -> Me {
    Me {
        id: caller.user.to_string(),
        username: caller.username.clone(),
        role: caller.role.to_string(),
        tenant: caller.tenant.to_string(),
        actions: Action::ALL
            .into_iter()
            .filter(|a| caller.may(*a))
            .map(|a| a.as_str().to_owned())
            .collect(),
        csrf_token: caller.csrf(state),
    }
}

/// The caller, its permissions and its CSRF token.
#[utoipa::path(
    get, path = "/session", tag = "accounts",
    responses(
        (status = 200, description = "The caller", body = Me),
        (status = 401, description = "Not authenticated", body = ErrorBody),
    )
)]
pub async fn me(State(state): State<AppState>, caller: Caller) -> Json<Me> {
    Json(me_of(&state, &caller))
}

/// Credentials.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Login name.
    pub username: String,
    /// Password.
    pub password: String,
}

/// Logs in: sets the session cookie (a new session id every time) and
/// answers with the CSRF token for later changes.
#[utoipa::path(
    post, path = "/session", tag = "accounts",
    request_body = LoginRequest,
    security(()),
    responses(
        (status = 200, description = "Logged in; Set-Cookie carries the session", body = Me),
        (status = 401, description = "Invalid user name or password", body = ErrorBody),
        (status = 429, description = "Too many failed logins", body = ErrorBody),
    )
)]
pub async fn login(State(state): State<AppState>, req: Request) -> Result<Response, ApiError> {
    let ip = client_ip(req.extensions());
    let previous = previous_session(&state, req.headers());
    let is_json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !is_json {
        // A cross-site form cannot send application/json without a preflight.
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "bad_request",
            "send the credentials as application/json",
        ));
    }
    let body = axum::body::to_bytes(req.into_body(), 64 * 1024)
        .await
        .map_err(|_| ApiError::bad_request("body too large"))?;
    let creds: LoginRequest = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(format!("invalid JSON: {e}")))?;
    let (id, user) =
        crate::login::login(&state, &creds.username, &creds.password, ip, previous).await?;
    let caller = Caller {
        user: user.id,
        username: user.username.clone(),
        role: user.role.parse().map_err(|_| ApiError::forbidden())?,
        tenant: user.tenant,
        via: Via::Session { id: id.clone() },
    };
    let mut res = Json(me_of(&state, &caller)).into_response();
    set_cookie(res.headers_mut(), &session_cookie(&id, state.transport()));
    Ok(res)
}

pub(crate) fn previous_session(state: &AppState, headers: &HeaderMap) -> Option<SessionId> {
    cookie(headers, session_cookie_name(state.transport())).and_then(|c| SessionId::parse(&c))
}

pub(crate) fn set_cookie(headers: &mut HeaderMap, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        headers.append(header::SET_COOKIE, v);
    }
}

/// Logs out: ends the session and clears the cookie.
#[utoipa::path(
    delete, path = "/session", tag = "accounts",
    responses(
        (status = 204, description = "Logged out"),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "CSRF token missing", body = ErrorBody),
    )
)]
pub async fn logout(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    end_session(&state, &caller).await?;
    let mut res = StatusCode::NO_CONTENT.into_response();
    set_cookie(res.headers_mut(), &clear_session_cookie(state.transport()));
    Ok(res)
}

pub(crate) async fn end_session(state: &AppState, caller: &Caller) -> Result<(), ApiError> {
    let Via::Session { id } = &caller.via else {
        return Err(ApiError::bad_request(
            "not a session (an API token has nothing to log out)",
        ));
    };
    let user = caller.own_store(state).user(caller.user).await?;
    crate::login::logout(state, &user, id).await
}
