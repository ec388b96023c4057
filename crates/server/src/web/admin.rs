//! Administration pages: users, the audit log, API tokens.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use maud::html;
use medvigil_auth::{Action, Role};
use serde::Deserialize;

use super::layout::{page, pager};
use super::{PageResult, WebCaller};
use crate::AppState;
use crate::api::remediations::audit as audit_change;
use crate::api::tokens::{NewTokenRequest, TokenView, create_token_as, revoke_as};
use crate::api::users::{
    NewUserRequest, UserChangeRequest, UserView, change_user_in, create_user_in,
};
use crate::paging::Paging;

/// `GET /admin/users`.
pub(crate) async fn users(
    State(state): State<AppState>,
    WebCaller(caller): WebCaller,
) -> PageResult {
    let store = caller.require(&state, Action::ManageUsers)?;
    let users: Vec<UserView> = store.users().await?.iter().map(UserView::from).collect();
    let csrf = caller.csrf(&state).unwrap_or_default();
    let body = html! {
        h1 { "Users" }
        table.list {
            thead { tr { th { "user" } th { "e-mail" } th { "role" } th { "created" } th { "state" } th { "change" } } }
            tbody {
                @for u in &users {
                    @let action = format!("/admin/users/{}", u.id);
                    tr {
                        td { (u.username) }
                        td { (u.email.clone().unwrap_or_default()) }
                        td { (u.role) }
                        td { (u.created_at) }
                        td {
                            @if u.disabled { "disabled" } @else { "active" }
                            @if let Some(until) = &u.locked_until { " · locked until " (until) }
                        }
                        td {
                            form.inline method="post" action=(action) {
                                input type="hidden" name="csrf" value=(csrf);
                                label { span.visually-hidden { "Role of " (u.username) }
                                    select name="role" {
                                        @for r in Role::ALL {
                                            option value=(r.as_str()) selected[r.as_str() == u.role] { (r.as_str()) }
                                        }
                                    }
                                }
                                button type="submit" { "Set role" }
                            }
                            form.inline method="post" action=(action) {
                                input type="hidden" name="csrf" value=(csrf);
                                @if u.disabled {
                                    input type="hidden" name="disabled" value="false";
                                    button type="submit" { "Enable " (u.username) }
                                } @else {
                                    input type="hidden" name="disabled" value="true";
                                    button type="submit" { "Disable " (u.username) }
                                }
                            }
                            @if u.locked_until.is_some() {
                                form.inline method="post" action=(action) {
                                    input type="hidden" name="csrf" value=(csrf);
                                    input type="hidden" name="unlock" value="true";
                                    button type="submit" { "Unlock " (u.username) }
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 { "Add a user" }
        form.stack method="post" action="/admin/users" {
            input type="hidden" name="csrf" value=(csrf);
            label { "User name" input name="username" required; }
            label { "E-mail" input name="email" type="email"; }
            label { "Role" select name="role" { @for r in Role::ALL { option value=(r.as_str()) { (r.as_str()) } } } }
            label { "Password (12 characters or more, not a common one)" input name="password" type="password" autocomplete="new-password" required; }
            button type="submit" { "Create" }
        }
    };
    Ok(page(&state, &caller, "Users", "/admin/users", body))
}

/// The user form.
#[derive(Debug, Deserialize)]
pub(crate) struct UserForm {
    username: String,
    email: Option<String>,
    role: String,
    password: String,
}

/// `POST /admin/users`.
pub(crate) async fn create_user(
    State(state): State<AppState>,
    WebCaller(caller): WebCaller,
    Form(form): Form<UserForm>,
) -> PageResult {
    let store = caller.require(&state, Action::ManageUsers)?;
    let user = create_user_in(
        state.config().password_params,
        &store,
        NewUserRequest {
            username: form.username,
            email: form.email,
            role: form.role,
            password: form.password,
        },
    )
    .await?;
    audit_change(
        &store,
        &caller,
        "user_created",
        Some(user.id.to_string()),
        serde_json::json!({ "username": user.username, "role": user.role }),
    )
    .await?;
    Ok(Redirect::to("/admin/users").into_response())
}

/// A change to one user, from one of the forms of the users page.
#[derive(Debug, Deserialize)]
pub(crate) struct UserChangeForm {
    role: Option<String>,
    disabled: Option<bool>,
    #[serde(default)]
    unlock: bool,
}

/// `POST /admin/users/{id}`.
pub(crate) async fn change_user(
    State(state): State<AppState>,
    WebCaller(caller): WebCaller,
    Path(id): Path<String>,
    Form(form): Form<UserChangeForm>,
) -> PageResult {
    let store = caller.require(&state, Action::ManageUsers)?;
    change_user_in(
        &state,
        &caller,
        &store,
        &id,
        UserChangeRequest {
            role: form.role,
            disabled: form.disabled,
            unlock: form.unlock,
        },
    )
    .await?;
    Ok(Redirect::to("/admin/users").into_response())
}

/// `GET /admin/audit`.
pub(crate) async fn audit(
    State(state): State<AppState>,
    WebCaller(caller): WebCaller,
    Query(paging): Query<Paging>,
) -> PageResult {
    let store = caller.require(&state, Action::ReadAudit)?;
    let (entries, total) = store.audit(paging.per_page(), paging.offset()).await?;
    let body = html! {
        h1 { "Audit log" }
        table.list {
            thead { tr { th { "when" } th { "who" } th { "what" } th { "on" } th { "detail" } } }
            tbody {
                @for e in &entries {
                    tr {
                        td { (e.at.to_string()) }
                        td { (e.actor) }
                        td { (e.action) }
                        td { (e.target.clone().unwrap_or_default()) }
                        td { code { (e.detail.to_string()) } }
                    }
                }
            }
        }
        (pager("/admin/audit", &[], paging.page(), paging.per_page(), total))
    };
    Ok(page(&state, &caller, "Audit log", "/admin/audit", body))
}

fn tokens_page(
    state: &AppState,
    caller: &crate::auth::Caller,
    tokens: &[TokenView],
    secret: Option<String>,
) -> axum::response::Response {
    let csrf = caller.csrf(state).unwrap_or_default();
    let body = html! {
        h1 { "API tokens" }
        @if let Some(s) = secret {
            section.card.secret {
                p { strong { "Your new token — copy it now, it will not be shown again:" } }
                pre { (s) }
                p { "Send it as " code { "Authorization: Bearer …" } "." }
            }
        }
        table.list {
            thead { tr { th { "id" } th { "scopes" } th { "created" } th { "expires" } th { "state" } th {} } }
            tbody {
                @for t in tokens {
                    tr {
                        td { code { (t.id) } }
                        td { (t.scopes.join(", ")) }
                        td { (t.created_at) }
                        td { (t.expires_at.clone().unwrap_or_default()) }
                        td { @if let Some(r) = &t.revoked_at { "revoked " (r) } @else { "active" } }
                        td {
                            @if t.revoked_at.is_none() {
                                form.inline method="post" action=(format!("/tokens/{}/revoke", t.id)) {
                                    input type="hidden" name="csrf" value=(csrf);
                                    button type="submit" { "Revoke" }
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 { "New token" }
        form.stack method="post" action="/tokens" {
            input type="hidden" name="csrf" value=(csrf);
            label { "Expires in (days)" input name="expires_days" type="number" min="1" max="3650" value="90"; }
            p.muted { "The token gets every permission of your role; the API takes narrower scopes." }
            button type="submit" { "Create" }
        }
    };
    page(state, caller, "API tokens", "/tokens", body)
}

/// `GET /tokens`: the caller's tokens (the tenant's with manage_tokens).
pub(crate) async fn tokens(
    State(state): State<AppState>,
    WebCaller(caller): WebCaller,
) -> PageResult {
    let store = caller.own_store(&state);
    let whose = (!caller.may(Action::ManageTokens)).then_some(caller.user);
    let list: Vec<TokenView> = store
        .tokens(whose)
        .await?
        .iter()
        .map(TokenView::from)
        .collect();
    Ok(tokens_page(&state, &caller, &list, None))
}

/// The token form.
#[derive(Debug, Deserialize)]
pub(crate) struct TokenForm {
    expires_days: Option<u32>,
}

/// `POST /tokens`: the secret is shown in this answer only.
pub(crate) async fn create_token(
    State(state): State<AppState>,
    WebCaller(caller): WebCaller,
    Form(form): Form<TokenForm>,
) -> PageResult {
    let (token, _) = create_token_as(
        &state,
        &caller,
        NewTokenRequest {
            expires_days: form.expires_days,
            ..NewTokenRequest::default()
        },
    )
    .await?;
    let store = caller.own_store(&state);
    let whose = (!caller.may(Action::ManageTokens)).then_some(caller.user);
    let list: Vec<TokenView> = store
        .tokens(whose)
        .await?
        .iter()
        .map(TokenView::from)
        .collect();
    Ok(tokens_page(&state, &caller, &list, Some(token.expose())))
}

/// `POST /tokens/{id}/revoke`.
pub(crate) async fn revoke_token(
    State(state): State<AppState>,
    WebCaller(caller): WebCaller,
    Path(id): Path<String>,
) -> PageResult {
    revoke_as(&state, &caller, &id).await?;
    Ok(Redirect::to("/tokens").into_response())
}
