//! The web UI, rendered on the server (maud), usable without JavaScript:
//! every change is a form with the session's CSRF token, answered with a
//! redirect (post/redirect/get). Navigation shows what the role may do;
//! the handlers check it again through the same `Caller::require` as the API.

mod admin;
mod devices;
mod imports;
mod layout;
mod login;
mod overview;
mod remediations;
mod segmentation;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;

/// The pages.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(overview::page))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/devices", get(devices::list))
        .route("/devices/{id}", get(devices::show))
        .route(
            "/remediations",
            get(remediations::board).post(remediations::plan),
        )
        .route("/remediations/{id}/events", post(remediations::record))
        .route(
            "/segmentation",
            get(segmentation::list).post(segmentation::propose),
        )
        .route("/segmentation/drift", get(segmentation::drift))
        .route("/segmentation/zones", get(segmentation::zones))
        .route("/segmentation/{number}", get(segmentation::show))
        .route(
            "/segmentation/{number}/zones",
            get(segmentation::policy_zones),
        )
        .route(
            "/segmentation/{number}/decision",
            post(segmentation::decide),
        )
        .route(
            "/segmentation/{number}/enforcement",
            post(segmentation::enforce),
        )
        .route("/imports", get(imports::list))
        .route("/imports/inventory", post(imports::upload))
        .route("/imports/feeds/{name}/sync", post(imports::sync))
        .route("/imports/{id}", get(imports::show))
        .route("/admin/users", get(admin::users).post(admin::create_user))
        .route("/admin/users/{id}", post(admin::change_user))
        .route("/admin/audit", get(admin::audit))
        .route("/tokens", get(admin::tokens).post(admin::create_token))
        .route("/tokens/{id}/revoke", post(admin::revoke_token))
        .route("/static/medvigil.css", get(css))
}

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("medvigil.css"),
    )
        .into_response()
}

/// The caller of a page; without one the browser goes to the login form.
#[derive(Clone, Debug)]
pub struct WebCaller(pub Caller);

impl<S: Send + Sync> FromRequestParts<S> for WebCaller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .map(WebCaller)
            .ok_or_else(|| Redirect::to("/login").into_response())
    }
}

/// An error shown as a page (a 401 sends the browser to the login form).
#[derive(Debug)]
pub struct WebError(pub ApiError);

impl<E: Into<ApiError>> From<E> for WebError {
    fn from(e: E) -> Self {
        Self(e.into())
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        if self.0.status == StatusCode::UNAUTHORIZED {
            return Redirect::to("/login").into_response();
        }
        let title = match self.0.status {
            StatusCode::FORBIDDEN => "Not allowed",
            StatusCode::NOT_FOUND => "Not found",
            s if s.is_client_error() => "Cannot do that",
            _ => "Something went wrong",
        };
        let body = layout::bare(
            title,
            maud::html! {
                h1 { (title) }
                p { (self.0.message) }
                p { a href="/" { "Back to the overview" } }
            },
        );
        (self.0.status, body).into_response()
    }
}

/// A page or an error page.
pub type PageResult = Result<Response, WebError>;
