//! Authorization in one place.
//!
//! [`authenticate`] runs before every handler. It resolves the caller from
//! `Authorization: Bearer mv_…` (an API token) or from the session cookie,
//! and refuses a state-changing request authenticated by the cookie unless
//! it carries the session's CSRF token (`X-CSRF-Token` header, or the
//! `csrf` field of a form). Bad credentials are a 401; no credentials
//! leave the request anonymous, and [`Caller`] (the extractor handlers
//! take) answers 401 for them.
//!
//! A handler then calls [`Caller::require`] with the action it performs:
//! the permission matrix of `medvigil_auth::allowed` (and, for a token, its
//! scopes) decides, and the answer is a `TenantStore` of the caller's
//! tenant, the only store handle handlers get.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use medvigil_auth::{
    Action, Role, Session, SessionHash, SessionId, Token, TokenHash, TokenId, TokenRecord, allowed,
    csrf_token, effective_allowed, session_cookie_name, verify_csrf,
};
use medvigil_model::TenantId;
use medvigil_store::{TenantStore, UserRecord};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::AppState;
use crate::error::ApiError;

/// Largest form body read for its CSRF field.
const FORM_LIMIT: usize = 64 * 1024;

/// How the caller authenticated.
#[derive(Clone, Debug)]
pub enum Via {
    /// A browser session (cookie); changes need the CSRF token.
    Session {
        /// The session id from the cookie.
        id: SessionId,
    },
    /// An API token, limited to its scopes.
    Token {
        /// The token's id.
        id: String,
        /// What it may do (within the role).
        scopes: BTreeSet<Action>,
    },
}

/// The authenticated caller: who, with which role, in which tenant.
#[derive(Clone, Debug)]
pub struct Caller {
    /// User id.
    pub user: Uuid,
    /// Login name.
    pub username: String,
    /// Role.
    pub role: Role,
    /// The tenant the user belongs to: the only one it can reach.
    pub tenant: TenantId,
    /// Session or token.
    pub via: Via,
}

impl Caller {
    /// Whether the caller may perform `action` (role, and scopes for a token).
    pub fn may(&self, action: Action) -> bool {
        match &self.via {
            Via::Session { .. } => allowed(self.role, action),
            Via::Token { scopes, .. } => effective_allowed(self.role, scopes, action),
        }
    }

    /// The caller's tenant store, if it may perform `action`; 403 otherwise.
    ///
    /// # Errors
    /// [`ApiError::forbidden`].
    pub fn require<'s>(
        &self,
        state: &'s AppState,
        action: Action,
    ) -> Result<TenantStore<'s>, ApiError> {
        if self.may(action) {
            Ok(self.own_store(state))
        } else {
            Err(ApiError::forbidden())
        }
    }

    /// The caller's tenant store for what every authenticated user may do
    /// on its own account (its tokens, its session).
    pub fn own_store<'s>(&self, state: &'s AppState) -> TenantStore<'s> {
        state.store().tenant(self.tenant)
    }

    /// The CSRF token for forms of this session (none for a token).
    pub fn csrf(&self, state: &AppState) -> Option<String> {
        match &self.via {
            Via::Session { id } => Some(csrf_token(state.csrf_key(), id)),
            Via::Token { .. } => None,
        }
    }

    fn from_user(user: &UserRecord, via: Via) -> Result<Self, ApiError> {
        let role = user.role.parse().map_err(|_| {
            ApiError::internal(&format!("user {} has role '{}'", user.id, user.role))
        })?;
        Ok(Self {
            user: user.id,
            username: user.username.clone(),
            role,
            tenant: user.tenant,
            via,
        })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or_else(ApiError::unauthenticated)
    }
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, rest) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The middleware: resolves the caller, checks CSRF, refreshes the session.
pub async fn authenticate(State(state): State<AppState>, req: Request, next: Next) -> Response {
    match resolve(&state, req).await {
        Ok(req) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

/// The two logins: they check their own request (JSON only; the form's
/// pre-login CSRF token) and end whatever session the browser brought, so
/// no session is resolved for them.
const LOGINS: [&str; 2] = ["/api/v1/session", "/login"];

async fn resolve(state: &AppState, mut req: Request) -> Result<Request, ApiError> {
    let now = OffsetDateTime::now_utc();
    if req.method() == Method::POST && LOGINS.contains(&req.uri().path()) {
        return Ok(req);
    }
    if let Some(presented) = bearer(req.headers()) {
        let caller = token_caller(state, presented, now).await?;
        req.extensions_mut().insert(caller);
        return Ok(req);
    }
    let Some(id) = cookie(req.headers(), session_cookie_name(state.transport()))
        .and_then(|c| SessionId::parse(&c))
    else {
        return Ok(req);
    };
    let Some(user) = session_user(state, &id, now).await? else {
        // An unknown or expired session is no session: pages send the
        // browser to the login form, the API answers 401.
        return Ok(req);
    };
    if !is_safe(req.method()) {
        req = check_csrf(state, &id, req).await?;
    }
    let caller = Caller::from_user(&user, Via::Session { id })?;
    req.extensions_mut().insert(caller);
    Ok(req)
}

async fn token_caller(
    state: &AppState,
    presented: &str,
    now: OffsetDateTime,
) -> Result<Caller, ApiError> {
    let token = Token::parse(presented).map_err(|_| ApiError::unauthenticated())?;
    let Some((stored, user)) = state.store().token_by_id(token.id().as_str()).await? else {
        return Err(ApiError::unauthenticated());
    };
    let scopes: BTreeSet<Action> = stored
        .scopes
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect();
    let record = TokenRecord {
        id: TokenId::parse(&stored.id).ok_or_else(ApiError::unauthenticated)?,
        hash: TokenHash::from_hex(&stored.hash).ok_or_else(ApiError::unauthenticated)?,
        scopes: scopes.clone(),
        created_at: stored.created_at,
        expires_at: stored.expires_at,
        revoked_at: stored.revoked_at,
    };
    if record.authenticate(&token, now).is_err() || user.disabled {
        return Err(ApiError::unauthenticated());
    }
    Caller::from_user(
        &user,
        Via::Token {
            id: stored.id,
            scopes,
        },
    )
}

/// The user of a valid session, its last use recorded; `None` for an
/// unknown, expired or idle session (which is deleted) or a disabled user.
async fn session_user(
    state: &AppState,
    id: &SessionId,
    now: OffsetDateTime,
) -> Result<Option<UserRecord>, ApiError> {
    let hash: SessionHash = id.hash();
    let Some((stored, user)) = state.store().session_by_hash(&hash.to_hex()).await? else {
        return Ok(None);
    };
    let tenant = state.store().tenant(user.tenant);
    let mut session = Session {
        hash,
        created_at: stored.created_at,
        last_seen_at: stored.last_seen,
    };
    if session.check(now, &state.config().session).is_err() || user.disabled {
        tenant.delete_session(&stored.id_hash).await?;
        return Ok(None);
    }
    session.touch(now);
    // One write a minute at most: the idle timeout is counted in tens of
    // minutes, and a page load makes several requests.
    if now - stored.last_seen >= time::Duration::minutes(1) {
        tenant
            .touch_session(&stored.id_hash, session.last_seen_at)
            .await?;
    }
    Ok(Some(user))
}

/// Checks the CSRF token of a state-changing request made with a session
/// cookie: from `X-CSRF-Token`, else from the `csrf` field of a URL-encoded
/// form (the body is read and put back).
async fn check_csrf(state: &AppState, id: &SessionId, req: Request) -> Result<Request, ApiError> {
    if let Some(v) = req.headers().get("x-csrf-token") {
        let ok = v
            .to_str()
            .is_ok_and(|t| verify_csrf(state.csrf_key(), id, t));
        return if ok { Ok(req) } else { Err(ApiError::csrf()) };
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // A file upload from the browser: the form's `csrf` part, on the upload
    // route only (its body limit applies already).
    if content_type.starts_with("multipart/form-data") && req.uri().path() == "/imports/inventory" {
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, crate::api::imports::UPLOAD_LIMIT)
            .await
            .map_err(|_| {
                ApiError::new(
                    axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                    "too_large",
                    "the upload is too large",
                )
            })?;
        let presented = multipart_field(&parts.headers, bytes.clone(), "csrf").await;
        if !presented.is_some_and(|t| verify_csrf(state.csrf_key(), id, &t)) {
            return Err(ApiError::csrf());
        }
        return Ok(Request::from_parts(parts, Body::from(bytes)));
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Err(ApiError::csrf());
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, FORM_LIMIT)
        .await
        .map_err(|_| ApiError::bad_request("form too large"))?;
    let presented = form_field(&bytes, "csrf");
    if !presented.is_some_and(|t| verify_csrf(state.csrf_key(), id, &t)) {
        return Err(ApiError::csrf());
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// The text of the part `name` of a multipart form held in `bytes`.
async fn multipart_field(
    headers: &HeaderMap,
    bytes: axum::body::Bytes,
    name: &str,
) -> Option<String> {
    use axum::extract::FromRequest;
    let content_type = headers.get(header::CONTENT_TYPE)?.clone();
    let req = Request::builder()
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(bytes))
        .ok()?;
    let mut form = axum::extract::Multipart::from_request(req, &())
        .await
        .ok()?;
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some(name) {
            return field.text().await.ok();
        }
    }
    None
}

/// One field of a URL-encoded form (the first of that name).
pub(crate) fn form_field(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}
