//! Logging in and out, shared by the JSON API and the login form: the
//! throttle first, the password in constant time (a decoy hash when the
//! account does not exist), a rehash when the costs went up, a brand-new
//! session (never the one the browser brought), and the audit log.

use std::net::IpAddr;

use axum::http::StatusCode;
use medvigil_auth::{LockScope, Locked, Session, SessionId, needs_rehash, verify_password};
use medvigil_store::{NewAuditEntry, SessionRecord, UserRecord};
use time::OffsetDateTime;

use crate::AppState;
use crate::error::ApiError;
use crate::state::rng;

/// Why a login failed, as told to the client: the same for a wrong
/// password, an unknown user and a disabled account.
pub(crate) fn invalid() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
        "invalid user name or password",
    )
}

/// Checks the credentials and starts a session. Any session id the
/// request carried (`previous`) is ended.
pub(crate) async fn login(
    state: &AppState,
    username: &str,
    password: &str,
    ip: IpAddr,
    previous: Option<SessionId>,
) -> Result<(SessionId, UserRecord), ApiError> {
    let now = OffsetDateTime::now_utc();
    let name = username.trim().to_lowercase();
    // The throttle's lock is never held across an await.
    let check = state.throttle().check(now, &name, ip);
    let user = state.store().user_by_username(&name).await?;
    // A lock stored with the account outlives a restart of the server.
    let stored = user
        .as_ref()
        .and_then(|u| u.locked_until)
        .filter(|&until| until > now)
        .map(|until| Locked {
            until,
            scope: LockScope::Account,
        });
    if let Some(locked) = check.err().or(stored) {
        if let Some(u) = &user {
            audit(
                state,
                u,
                "login_locked",
                serde_json::json!({ "ip": ip.to_string() }),
            )
            .await?;
        }
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "locked",
            locked.to_string(),
        ));
    }
    let hash = user
        .as_ref()
        .map_or(state.decoy_hash(), |u| u.password_hash.as_str());
    let verified = verify_password(password, hash).map_err(|e| ApiError::internal(&e))?;
    let user = match user {
        Some(u) if verified && !u.disabled => u,
        other => {
            state.throttle().record_failure(now, &name, ip);
            let locked = state.throttle().check(now, &name, ip);
            if let (Some(u), Err(lock)) = (&other, locked)
                && lock.scope == LockScope::Account
            {
                state
                    .store()
                    .tenant(u.tenant)
                    .set_user_locked_until(u.id, Some(lock.until))
                    .await?;
                audit(
                    state,
                    u,
                    "account_locked",
                    serde_json::json!({ "until": crate::api::devices::rfc3339(lock.until) }),
                )
                .await?;
            }
            if let Some(u) = other {
                audit(
                    state,
                    &u,
                    "login_failed",
                    serde_json::json!({ "ip": ip.to_string(), "disabled": u.disabled }),
                )
                .await?;
            } else {
                tracing::info!(user = %name, %ip, "login failed for an unknown user");
            }
            return Err(invalid());
        }
    };
    state.throttle().record_success(now, &name, ip);
    let tenant = state.store().tenant(user.tenant);
    if user.locked_until.is_some() {
        // The lock has ended (a current one refused the login above).
        tenant.set_user_locked_until(user.id, None).await?;
    }
    let params = state.config().password_params;
    if needs_rehash(&user.password_hash, params).unwrap_or(false) {
        let rehashed = medvigil_auth::hash_password(password, params, &mut rng())
            .map_err(|e| ApiError::internal(&e))?;
        tenant.set_password_hash(user.id, &rehashed).await?;
    }
    if let Some(old) = previous {
        // Session fixation: whatever the browser brought ends here.
        tenant.delete_session(&old.hash().to_hex()).await?;
    }
    let (id, session) = Session::start(&mut rng(), now);
    tenant
        .insert_session(&SessionRecord {
            id_hash: session.hash.to_hex(),
            user: user.id,
            created_at: session.created_at,
            last_seen: session.last_seen_at,
        })
        .await?;
    audit(
        state,
        &user,
        "login",
        serde_json::json!({ "ip": ip.to_string() }),
    )
    .await?;
    Ok((id, user))
}

/// Ends the session `id` of `user`.
pub(crate) async fn logout(
    state: &AppState,
    user: &UserRecord,
    id: &SessionId,
) -> Result<(), ApiError> {
    let tenant = state.store().tenant(user.tenant);
    tenant.delete_session(&id.hash().to_hex()).await?;
    audit(state, user, "logout", serde_json::Value::Null).await
}

async fn audit(
    state: &AppState,
    user: &UserRecord,
    action: &str,
    detail: serde_json::Value,
) -> Result<(), ApiError> {
    state
        .store()
        .tenant(user.tenant)
        .append_audit(NewAuditEntry {
            actor: user.username.clone(),
            action: action.to_owned(),
            target: Some(user.id.to_string()),
            detail,
        })
        .await?;
    Ok(())
}
