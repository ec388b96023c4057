//! Account administration outside HTTP, for the `medvigil users` and
//! `medvigil tokens` commands: the same checks (user names, roles, the
//! password policy, scopes within the role) and the same audit log as the API.

use medvigil_auth::{PasswordParams, Role};
use medvigil_store::{ApiTokenRecord, NewAuditEntry, TenantStore, UserRecord};

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
