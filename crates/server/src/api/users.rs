//! Users of the tenant and its audit log.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use medvigil_auth::{Action, Role, check_password_policy, hash_password};
use medvigil_store::{AuditSortKey, NewUser, UserChange, UserRecord, UserSortKey};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use super::remediations::audit as audit_change;
use super::{ApiJson, ApiQuery};
use crate::AppState;
use crate::api::devices::rfc3339;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::paging::{Page, Paging, Sort, parse_sort};
use crate::state::rng;

/// The audit log, newest first (`sort`: `at`, `actor`, `action`).
#[utoipa::path(
    get, path = "/audit", tag = "accounts",
    params(Sort, Paging),
    responses(
        (status = 200, description = "A page of the audit log", body = Page<serde_json::Value>),
        (status = 400, description = "Unknown sort key", body = ErrorBody),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Role without read_audit", body = ErrorBody),
    )
)]
pub async fn audit(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(sort): ApiQuery<Sort>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<Page<serde_json::Value>>, ApiError> {
    let store = caller.require(&state, Action::ReadAudit)?;
    let order = parse_sort(sort.sort.as_deref(), AuditSortKey::from_name)?;
    let (entries, total) = store
        .audit_page(order, paging.per_page(), paging.offset())
        .await?;
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
    /// Locked after too many failed logins, until then (RFC 3339).
    pub locked_until: Option<String>,
}

impl From<&UserRecord> for UserView {
    fn from(u: &UserRecord) -> Self {
        Self {
            id: u.id.to_string(),
            username: u.username.clone(),
            email: u.email.clone(),
            role: u.role.clone(),
            created_at: rfc3339(u.created_at),
            disabled: u.disabled,
            locked_until: u
                .locked_until
                .filter(|&t| t > OffsetDateTime::now_utc())
                .map(rfc3339),
        }
    }
}

/// The users of the caller's tenant, by login name (`sort`: `username`,
/// `role`, `created_at`).
#[utoipa::path(
    get, path = "/users", tag = "accounts",
    params(Sort, Paging),
    responses(
        (status = 200, description = "A page of users", body = Page<UserView>),
        (status = 400, description = "Unknown sort key", body = ErrorBody),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Role without manage_users", body = ErrorBody),
    )
)]
pub async fn users(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(sort): ApiQuery<Sort>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<Page<UserView>>, ApiError> {
    let store = caller.require(&state, Action::ManageUsers)?;
    let order = parse_sort(sort.sort.as_deref(), UserSortKey::from_name)?;
    let (users, total) = store
        .user_page(order, Some(paging.per_page()), paging.offset())
        .await?;
    Ok(Json(paging.page_of(
        users.iter().map(UserView::from).collect(),
        total,
    )))
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

/// What an administrator changes on an account; absent fields stay.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserChangeRequest {
    /// A new role: `admin`, `ciso`, `network`, `biomed`, `psirt`,
    /// `researcher`, `auditor`.
    pub role: Option<String>,
    /// Disable (ends the user's sessions; its tokens stop working) or
    /// enable the account.
    pub disabled: Option<bool>,
    /// `true` lifts a lock left by failed logins.
    #[serde(default)]
    pub unlock: bool,
}

/// Applies `req` to the user `id` of `store`'s tenant, as `caller`: the
/// checks (role name, not one's own role or account, not the last admin),
/// the change in one transaction, the audit entry.
pub(crate) async fn change_user_in(
    state: &AppState,
    caller: &Caller,
    store: &medvigil_store::TenantStore<'_>,
    id: &str,
    req: UserChangeRequest,
) -> Result<UserRecord, ApiError> {
    let id: uuid::Uuid = id.parse().map_err(|_| ApiError::not_found("user"))?;
    let role = req
        .role
        .as_deref()
        .map(|r| r.parse::<Role>())
        .transpose()
        .map_err(|e| ApiError::unprocessable(format!("{e}")))?;
    if id == caller.user && (role.is_some() || req.disabled == Some(true)) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "refused",
            "you cannot change your own role or disable your own account",
        ));
    }
    let before = store.user(id).await?;
    let user = store
        .update_user(
            id,
            UserChange {
                role: role.map(|r| r.as_str().to_owned()),
                disabled: req.disabled,
                unlock: req.unlock,
            },
        )
        .await?;
    if req.unlock {
        state.throttle().unlock(&user.username);
    }
    audit_change(
        store,
        caller,
        "user_changed",
        Some(user.id.to_string()),
        serde_json::json!({
            "username": user.username,
            "role": { "from": before.role, "to": user.role },
            "disabled": { "from": before.disabled, "to": user.disabled },
            "unlocked": req.unlock && before.locked_until.is_some(),
        }),
    )
    .await?;
    Ok(user)
}

/// Changes a user of the caller's tenant: role, disabled, lock lifted.
#[utoipa::path(
    patch, path = "/users/{id}", tag = "accounts",
    params(("id" = String, Path, description = "The user's id")),
    request_body = UserChangeRequest,
    responses(
        (status = 200, description = "The user as changed", body = UserView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Role without manage_users, or CSRF token missing", body = ErrorBody),
        (status = 404, description = "No such user in the caller's tenant", body = ErrorBody),
        (status = 409, description = "Refused: one's own role or account, or the last active admin", body = ErrorBody),
        (status = 422, description = "Unknown role", body = ErrorBody),
    )
)]
pub async fn change_user(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<UserChangeRequest>,
) -> Result<Json<UserView>, ApiError> {
    let store = caller.require(&state, Action::ManageUsers)?;
    let user = change_user_in(&state, &caller, &store, &id, req).await?;
    Ok(Json(UserView::from(&user)))
}
