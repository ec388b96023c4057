//! The login form and logging out. The login form's CSRF token is bound to
//! a short-lived pre-login cookie (there is no session yet).

use axum::Form;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use medvigil_auth::{SessionId, clear_session_cookie, csrf_token, session_cookie, verify_csrf};
use serde::Deserialize;

use super::layout::bare;
use super::{PageResult, WebCaller, WebError};
use crate::AppState;
use crate::api::session::{client_ip, end_session, previous_session, set_cookie};
use crate::auth::{Caller, cookie, form_field};
use crate::error::ApiError;
use crate::state::rng;

const LOGIN_COOKIE: &str = "medvigil_login";

fn login_cookie(state: &AppState, id: &SessionId) -> String {
    let secure = if state.transport() == medvigil_auth::Transport::Https {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{LOGIN_COOKIE}={}; Path=/login; HttpOnly; SameSite=Strict; Max-Age=1800{secure}",
        id.encode()
    )
}

fn render(state: &AppState, message: Option<&str>, status: axum::http::StatusCode) -> Response {
    let id = SessionId::generate(&mut rng());
    let csrf = csrf_token(state.csrf_key(), &id);
    let mut res = (
        status,
        bare(
            "Log in",
            html! {
                section.login {
                    h1 { "medvigil" }
                    p.sub { "Cyber-vigilance for connected medical devices" }
                    @if let Some(m) = message { p.error role="alert" { (m) } }
                    form method="post" action="/login" {
                        input type="hidden" name="csrf" value=(csrf);
                        label { "User name" input name="username" autocomplete="username" required autofocus; }
                        label { "Password" input name="password" type="password" autocomplete="current-password" required; }
                        button type="submit" { "Log in" }
                    }
                }
            },
        ),
    )
        .into_response();
    set_cookie(res.headers_mut(), &login_cookie(state, &id));
    res
}

/// `GET /login`.
pub(crate) async fn form(State(state): State<AppState>, req: Request) -> Response {
    if req.extensions().get::<Caller>().is_some() {
        return Redirect::to("/").into_response();
    }
    render(&state, None, axum::http::StatusCode::OK)
}

/// `POST /login`: the form's CSRF token must match the pre-login cookie.
pub(crate) async fn submit(State(state): State<AppState>, req: Request) -> PageResult {
    let ip = client_ip(req.extensions());
    let previous = previous_session(&state, req.headers());
    let login_id = cookie(req.headers(), LOGIN_COOKIE).and_then(|c| SessionId::parse(&c));
    let body = axum::body::to_bytes(req.into_body(), 64 * 1024)
        .await
        .map_err(|_| ApiError::bad_request("form too large"))?;
    let csrf_ok = match (&login_id, form_field(&body, "csrf")) {
        (Some(id), Some(t)) => verify_csrf(state.csrf_key(), id, &t),
        _ => false,
    };
    if !csrf_ok {
        return Err(WebError(ApiError::csrf()));
    }
    let username = form_field(&body, "username").unwrap_or_default();
    let password = form_field(&body, "password").unwrap_or_default();
    match crate::login::login(&state, &username, &password, ip, previous).await {
        Ok((id, _)) => {
            let mut res = Redirect::to("/").into_response();
            set_cookie(res.headers_mut(), &session_cookie(&id, state.transport()));
            set_cookie(
                res.headers_mut(),
                &format!("{LOGIN_COOKIE}=; Path=/login; Max-Age=0"),
            );
            Ok(res)
        }
        Err(e) if e.status.is_client_error() => Ok(render(&state, Some(&e.message), e.status)),
        Err(e) => Err(WebError(e)),
    }
}

/// Only the CSRF field: the middleware checked it already.
#[derive(Debug, Deserialize)]
pub(crate) struct CsrfOnly {
    #[allow(dead_code)]
    csrf: Option<String>,
}

/// `POST /logout`.
pub(crate) async fn logout(
    State(state): State<AppState>,
    WebCaller(caller): WebCaller,
    Form(_): Form<CsrfOnly>,
) -> PageResult {
    end_session(&state, &caller).await?;
    let mut res = Redirect::to("/login").into_response();
    set_cookie(res.headers_mut(), &clear_session_cookie(state.transport()));
    Ok(res)
}
