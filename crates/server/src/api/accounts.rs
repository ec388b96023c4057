//! Sessions (`/session`), users, API tokens and the audit log.

use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr};

use axum::Json;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use medvigil_auth::{
    Action, Role, SessionId, Token, TokenRecord, allowed, check_password_policy,
    clear_session_cookie, hash_password, session_cookie, session_cookie_name,
};
use medvigil_store::{ApiTokenRecord, NewUser, UserRecord};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};
use utoipa::ToSchema;

use super::remediations::audit as audit_change;
use super::{ApiJson, ApiQuery};
use crate::AppState;
use crate::auth::{Caller, Via, cookie};
use crate::error::{ApiError, ErrorBody};
use crate::paging::{Page, Paging};
use crate::state::rng;

/// The client's address (loopback when unknown, as in tests).
pub(crate) fn client_ip(req_ext: &axum::http::Extensions) -> IpAddr {
    req_ext
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([127, 0, 0, 1]), |c| c.0.ip())
}

/// The audit log, newest first.
#[utoipa::path(
    get, path = "/audit", tag = "accounts",
    params(Paging),
    responses(
        (status = 200, description = "A page of the audit log", body = Page<serde_json::Value>),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Role without read_audit", body = ErrorBody),
    )
)]
pub async fn audit(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<Page<serde_json::Value>>, ApiError> {
    let store = caller.require(&state, Action::ReadAudit)?;
    let (entries, total) = store.audit(paging.per_page(), paging.offset()).await?;
    let items = entries
        .iter()
        .map(super::devices::to_json)
        .collect::<Result<_, _>>()?;
    Ok(Json(paging.page_of(items, total)))
}

/// A user as shown (never its password hash).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct UserView {
    /// Id.
    pub id: String,
    /// Login name.
    pub username: String,
    /// E-mail.
    pub email: Option<String>,
    /// Role.
    pub role: String,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Disabled accounts cannot log in.
    pub disabled: bool,
}

impl From<&UserRecord> for UserView {
    fn from(u: &UserRecord) -> Self {
        Self {
            id: u.id.to_string(),
            username: u.username.clone(),
            email: u.email.clone(),
            role: u.role.clone(),
            created_at: u
                .created_at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            disabled: u.disabled,
        }
    }
}

/// The users of the caller's tenant.
#[utoipa::path(
    get, path = "/users", tag = "accounts",
    params(Paging),
    responses(
        (status = 200, description = "A page of users", body = Page<UserView>),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Role without manage_users", body = ErrorBody),
    )
)]
pub async fn users(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<Page<UserView>>, ApiError> {
    let store = caller.require(&state, Action::ManageUsers)?;
    let all: Vec<UserView> = store.users().await?.iter().map(UserView::from).collect();
    Ok(Json(paging.slice(all)))
}

/// A user to create in the caller's tenant.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserRequest {
    /// Login name (unique in the installation).
    pub username: String,
    /// E-mail.
    pub email: Option<String>,
    /// `admin`, `ciso`, `network`, `biomed`, `psirt`, `researcher`, `auditor`.
    pub role: String,
    /// 12 to 256 characters, not common, not the name or e-mail.
    pub password: String,
}

/// Creates a user of `store`'s tenant after the checks (name, role, policy).
pub(crate) async fn create_user_in(
    params: medvigil_auth::PasswordParams,
    store: &medvigil_store::TenantStore<'_>,
    req: NewUserRequest,
) -> Result<UserRecord, ApiError> {
    let username = req.username.trim().to_lowercase();
    if username.is_empty()
        || username.len() > 64
        || !username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
    {
        return Err(ApiError::unprocessable(
            "user name: 1 to 64 characters among a-z 0-9 . _ - @",
        ));
    }
    let role: Role = req
        .role
        .parse()
        .map_err(|e| ApiError::unprocessable(format!("{e}")))?;
    let email = req.email.filter(|e| !e.trim().is_empty());
    check_password_policy(&req.password, &username, email.as_deref())
        .map_err(|v| ApiError::unprocessable(v.to_string()))?;
    let hash =
        hash_password(&req.password, params, &mut rng()).map_err(|e| ApiError::internal(&e))?;
    Ok(store
        .create_user(
            NewUser {
                username,
                email,
                role: role.as_str().to_owned(),
                password_hash: hash,
            },
            OffsetDateTime::now_utc(),
        )
        .await?)
}

/// Creates a user in the caller's tenant (the password policy applies).
#[utoipa::path(
    post, path = "/users", tag = "accounts",
    request_body = NewUserRequest,
    responses(
        (status = 201, description = "The user", body = UserView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Role without manage_users, or CSRF token missing", body = ErrorBody),
        (status = 409, description = "The name is taken", body = ErrorBody),
        (status = 422, description = "Bad name or role, or the password breaks the policy", body = ErrorBody),
    )
)]
pub async fn create_user(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<NewUserRequest>,
) -> Result<(StatusCode, Json<UserView>), ApiError> {
    let store = caller.require(&state, Action::ManageUsers)?;
    let user = create_user_in(state.config().password_params, &store, req).await?;
    audit_change(
        &store,
        &caller,
        "user_created",
        Some(user.id.to_string()),
        serde_json::json!({ "username": user.username, "role": user.role }),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(UserView::from(&user))))
}

/// An API token as listed (never its secret or hash).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TokenView {
    /// Id (the part after `mv_`).
    pub id: String,
    /// Owner (user id).
    pub user: String,
    /// Actions it may perform (within the owner's role).
    pub scopes: Vec<String>,
    /// Issued (RFC 3339).
    pub created_at: String,
    /// Expires (RFC 3339).
    pub expires_at: Option<String>,
    /// Revoked (RFC 3339).
    pub revoked_at: Option<String>,
}

fn rfc(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl From<&ApiTokenRecord> for TokenView {
    fn from(k: &ApiTokenRecord) -> Self {
        Self {
            id: k.id.clone(),
            user: k.user.to_string(),
            scopes: k.scopes.clone(),
            created_at: rfc(k.created_at),
            expires_at: k.expires_at.map(rfc),
            revoked_at: k.revoked_at.map(rfc),
        }
    }
}

/// The caller's API tokens (all of the tenant's with manage_tokens).
#[utoipa::path(
    get, path = "/tokens", tag = "accounts",
    params(Paging),
    responses(
        (status = 200, description = "A page of tokens", body = Page<TokenView>),
        (status = 401, description = "Not authenticated", body = ErrorBody),
    )
)]
pub async fn tokens(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<Page<TokenView>>, ApiError> {
    let store = caller.own_store(&state);
    let whose = if caller.may(Action::ManageTokens) {
        None
    } else {
        Some(caller.user)
    };
    let all: Vec<TokenView> = store
        .tokens(whose)
        .await?
        .iter()
        .map(TokenView::from)
        .collect();
    Ok(Json(paging.slice(all)))
}

/// A token to issue.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTokenRequest {
    /// For this user (name) of the tenant; default the caller
    /// (another user needs manage_tokens).
    pub user: Option<String>,
    /// Actions (default: everything the owner's role allows); each must be
    /// allowed to the owner's role.
    pub scopes: Option<Vec<String>>,
    /// Days until it expires (1–3650, default 90).
    pub expires_days: Option<u32>,
}

/// A newly issued token: the secret is shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedToken {
    /// `mv_<id>_<secret>`: store it now, it is not kept.
    pub token: String,
    /// The token as listed.
    #[serde(flatten)]
    pub record: TokenView,
}

/// Issues a token for `owner` in `store`'s tenant.
pub(crate) async fn issue_token(
    store: &medvigil_store::TenantStore<'_>,
    owner: &UserRecord,
    scopes: Option<Vec<String>>,
    expires_days: Option<u32>,
) -> Result<(Token, ApiTokenRecord), ApiError> {
    let role: Role = owner
        .role
        .parse()
        .map_err(|_| ApiError::internal(&format!("user {} has role '{}'", owner.id, owner.role)))?;
    let scopes: BTreeSet<Action> = match scopes {
        None => Action::ALL
            .into_iter()
            .filter(|a| allowed(role, *a))
            .collect(),
        Some(names) => {
            let mut set = BTreeSet::new();
            for n in names {
                let a: Action = n
                    .parse()
                    .map_err(|e| ApiError::unprocessable(format!("scope: {e}")))?;
                if !allowed(role, a) {
                    return Err(ApiError::unprocessable(format!(
                        "scope '{a}' is not allowed to the role {role}"
                    )));
                }
                set.insert(a);
            }
            set
        }
    };
    let days = expires_days.unwrap_or(90);
    if !(1..=3650).contains(&days) {
        return Err(ApiError::unprocessable("expires_days: 1 to 3650"));
    }
    let now = OffsetDateTime::now_utc();
    let token = Token::generate(&mut rng());
    let record = TokenRecord::new(&token, scopes, now, Some(now + Duration::days(days.into())));
    let stored = ApiTokenRecord {
        id: record.id.as_str().to_owned(),
        hash: record.hash.to_hex(),
        user: owner.id,
        scopes: record
            .scopes
            .iter()
            .map(|a| a.as_str().to_owned())
            .collect(),
        created_at: now.replace_nanosecond(0).unwrap_or(now),
        expires_at: record
            .expires_at
            .map(|t| t.replace_nanosecond(0).unwrap_or(t)),
        revoked_at: None,
    };
    store.insert_token(&stored).await?;
    Ok((token, stored))
}

/// Issues an API token (for oneself; for another user with manage_tokens).
/// The secret is in the answer only.
#[utoipa::path(
    post, path = "/tokens", tag = "accounts",
    request_body = NewTokenRequest,
    responses(
        (status = 201, description = "The token, shown once", body = IssuedToken),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Another user's token without manage_tokens, or CSRF token missing", body = ErrorBody),
        (status = 404, description = "No such user in your tenant", body = ErrorBody),
        (status = 422, description = "A scope beyond the owner's role", body = ErrorBody),
    )
)]
pub async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<NewTokenRequest>,
) -> Result<(StatusCode, Json<IssuedToken>), ApiError> {
    let (token, stored) = create_token_as(&state, &caller, req).await?;
    Ok((
        StatusCode::CREATED,
        Json(IssuedToken {
            token: token.expose(),
            record: TokenView::from(&stored),
        }),
    ))
}

pub(crate) async fn create_token_as(
    state: &AppState,
    caller: &Caller,
    req: NewTokenRequest,
) -> Result<(Token, ApiTokenRecord), ApiError> {
    let store = caller.own_store(state);
    let me = store.user(caller.user).await?;
    let owner = match req.user.as_deref().map(|u| u.trim().to_lowercase()) {
        Some(name) if name != me.username => {
            let store = caller.require(state, Action::ManageTokens)?;
            store
                .users()
                .await?
                .into_iter()
                .find(|u| u.username == name)
                .ok_or_else(|| ApiError::not_found("user"))?
        }
        _ => {
            // A token cannot mint tokens unless it may manage them.
            if matches!(caller.via, Via::Token { .. }) && !caller.may(Action::ManageTokens) {
                return Err(ApiError::forbidden());
            }
            me
        }
    };
    let (token, stored) = issue_token(&store, &owner, req.scopes, req.expires_days).await?;
    audit_change(
        &store,
        caller,
        "token_created",
        Some(stored.id.clone()),
        serde_json::json!({ "user": owner.username, "scopes": stored.scopes }),
    )
    .await?;
    Ok((token, stored))
}

/// Revokes token `id` of the caller's tenant: one's own, or any with manage_tokens.
pub(crate) async fn revoke_as(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<ApiTokenRecord, ApiError> {
    let store = caller.own_store(state);
    let token = store.token(id).await?;
    if token.user != caller.user {
        caller.require(state, Action::ManageTokens)?;
    }
    let revoked = store.revoke_token(id, OffsetDateTime::now_utc()).await?;
    audit_change(
        &store,
        caller,
        "token_revoked",
        Some(id.to_owned()),
        serde_json::Value::Null,
    )
    .await?;
    Ok(revoked)
}

/// Revokes a token.
#[utoipa::path(
    delete, path = "/tokens/{id}", tag = "accounts",
    params(("id" = String, Path, description = "Token id")),
    responses(
        (status = 200, description = "The revoked token", body = TokenView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Another user's token without manage_tokens, or CSRF token missing", body = ErrorBody),
        (status = 404, description = "No such token in your tenant", body = ErrorBody),
    )
)]
pub async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<TokenView>, ApiError> {
    let revoked = revoke_as(&state, &caller, &id).await?;
    Ok(Json(TokenView::from(&revoked)))
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
