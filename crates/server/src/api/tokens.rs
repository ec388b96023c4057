//! API tokens: listed, issued (the secret shown once), revoked.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use medvigil_auth::{Action, Role, Token, TokenRecord, allowed};
use medvigil_store::{ApiTokenRecord, UserRecord};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};
use utoipa::ToSchema;

use super::remediations::audit as audit_change;
use super::{ApiJson, ApiQuery};
use crate::AppState;
use crate::auth::{Caller, Via};
use crate::error::{ApiError, ErrorBody};
use crate::paging::{Page, Paging, Sort, parse_sort};
use crate::state::rng;

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

/// The caller's API tokens (all of the tenant's with manage_tokens), as
/// stored (`sort`: `created_at`, `expires_at`, `user`). A user holds a
/// handful of tokens: they are sorted and cut here, not in the store.
#[utoipa::path(
    get, path = "/tokens", tag = "accounts",
    params(Sort, Paging),
    responses(
        (status = 200, description = "A page of tokens", body = Page<TokenView>),
        (status = 400, description = "Unknown sort key", body = ErrorBody),
        (status = 401, description = "Not authenticated", body = ErrorBody),
    )
)]
pub async fn tokens(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(sort): ApiQuery<Sort>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<Page<TokenView>>, ApiError> {
    let order = parse_sort(sort.sort.as_deref(), |k| {
        ["created_at", "expires_at", "user"]
            .into_iter()
            .find(|n| *n == k)
    })?;
    let store = caller.own_store(&state);
    let whose = if caller.may(Action::ManageTokens) {
        None
    } else {
        Some(caller.user)
    };
    let mut all: Vec<TokenView> = store
        .tokens(whose)
        .await?
        .iter()
        .map(TokenView::from)
        .collect();
    if let Some((key, desc)) = order {
        let field = |t: &TokenView| match key {
            "expires_at" => t.expires_at.clone(),
            "user" => Some(t.user.clone()),
            _ => Some(t.created_at.clone()),
        };
        all.sort_by(|a, b| {
            let o = field(a).cmp(&field(b)).then_with(|| a.id.cmp(&b.id));
            if desc { o.reverse() } else { o }
        });
    }
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
