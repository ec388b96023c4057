//! Account administration outside HTTP, for the `medvigil users` and
//! `medvigil tokens` commands: the same checks (user names, roles, the
//! password policy, scopes within the role) and the same audit log as the API.

use medvigil_auth::{PasswordParams, Role};
use medvigil_store::{ApiTokenRecord, NewAuditEntry, TenantStore, UserChange, UserRecord};

use crate::api::tokens::issue_token;
use crate::api::users::{NewUserRequest, create_user_in};
use crate::error::ApiError;

/// Creates a user of `store`'s tenant; `actor` is recorded in the audit log.
///
/// # Errors
/// A bad user name, a password the policy refuses, a name already taken,
/// or a store failure.
pub async fn add_user(
    store: &TenantStore<'_>,
    username: &str,
    email: Option<&str>,
    role: Role,
    password: &str,
    params: PasswordParams,
    actor: &str,
) -> Result<UserRecord, ApiError> {
    let user = create_user_in(
        params,
        store,
        NewUserRequest {
            username: username.to_owned(),
            email: email.map(str::to_owned),
            role: role.as_str().to_owned(),
            password: password.to_owned(),
        },
    )
    .await?;
    store
        .append_audit(NewAuditEntry {
            actor: actor.to_owned(),
            action: "user_created".into(),
            target: Some(user.id.to_string()),
            detail: serde_json::json!({ "username": user.username, "role": user.role }),
        })
        .await?;
    Ok(user)
}

/// Issues an API token for the user `username` of `store`'s tenant: the
/// secret (`mv_…`, to show once) and the stored record.
///
/// # Errors
/// No such user, a scope beyond the user's role, a bad lifetime, or a
/// store failure.
pub async fn create_token(
    store: &TenantStore<'_>,
    username: &str,
    scopes: Option<Vec<String>>,
    expires_days: Option<u32>,
    actor: &str,
) -> Result<(String, ApiTokenRecord), ApiError> {
    let name = username.trim().to_lowercase();
    let owner = store
        .users()
        .await?
        .into_iter()
        .find(|u| u.username == name)
        .ok_or_else(|| ApiError::not_found("user"))?;
    let (token, record) = issue_token(store, &owner, scopes, expires_days).await?;
    store
        .append_audit(NewAuditEntry {
            actor: actor.to_owned(),
            action: "token_created".into(),
            target: Some(record.id.clone()),
            detail: serde_json::json!({ "user": owner.username, "scopes": record.scopes }),
        })
        .await?;
    Ok((token.expose(), record))
}

/// Changes the user `username` of `store`'s tenant (role, disabled, lock
/// lifted) with the store's rule that an active admin remains; `actor` is
/// recorded in the audit log. This is how a locked-out installation gets
/// its administrator back.
///
/// # Errors
/// No such user, the last active admin, or a store failure.
pub async fn update_user(
    store: &TenantStore<'_>,
    username: &str,
    change: UserChange,
    actor: &str,
) -> Result<UserRecord, ApiError> {
    let name = username.trim().to_lowercase();
    let before = store
        .users()
        .await?
        .into_iter()
        .find(|u| u.username == name)
        .ok_or_else(|| ApiError::not_found("user"))?;
    let unlock = change.unlock;
    let user = store.update_user(before.id, change).await?;
    store
        .append_audit(NewAuditEntry {
            actor: actor.to_owned(),
            action: "user_changed".into(),
            target: Some(user.id.to_string()),
            detail: serde_json::json!({
                "username": user.username,
                "role": { "from": before.role, "to": user.role },
                "disabled": { "from": before.disabled, "to": user.disabled },
                "unlocked": unlock && before.locked_until.is_some(),
            }),
        })
        .await?;
    Ok(user)
}
