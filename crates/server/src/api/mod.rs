//! The HTTP API under `/api/v1`: JSON in and out, errors as
//! `{"error": {"code", "message"}}`, lists paged (`?page=&per_page=`, the
//! total in the body), filtered and sorted. Each handler names the action
//! it performs through `Caller::require`.

pub mod devices;
pub mod discovery;
pub mod imports;
pub mod intel;
pub mod remediations;
pub mod segmentation;
pub mod session;
pub mod tokens;
pub mod users;

use axum::Router;
use axum::routing::{delete, get, patch, post};
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};

use crate::AppState;

/// The API's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/devices", get(devices::list))
        .route("/devices/{id}", get(devices::show))
        .route("/imports", get(imports::jobs))
        .route("/imports/inventory", post(imports::import_inventory))
        .route("/imports/{id}", get(imports::job))
        .route("/feeds/{name}/sync", post(imports::sync_feed))
        .route("/findings", get(intel::findings))
        .route("/risk", get(intel::risk))
        .route("/risk/history", get(intel::risk_history))
        .route("/advisories", get(intel::advisories))
        .route(
            "/remediations",
            get(remediations::list).post(remediations::plan),
        )
        .route("/remediations/{id}/events", post(remediations::record))
        .route(
            "/segmentation/policies",
            get(segmentation::list).post(segmentation::propose),
        )
        .route("/segmentation/policies/{number}", get(segmentation::show))
        .route(
            "/segmentation/policies/{number}/decision",
            post(segmentation::decide),
        )
        .route(
            "/segmentation/policies/{number}/enforcement",
            post(segmentation::enforce),
        )
        .route(
            "/segmentation/policies/{number}/export",
            get(segmentation::export),
        )
        .route("/segmentation/zones", get(segmentation::zones))
        .route("/segmentation/drift", get(segmentation::drift))
        .route("/discovery/batches", post(discovery::upload_batch))
        .route("/audit", get(users::audit))
        .route("/users", get(users::users).post(users::create_user))
        .route("/users/{id}", patch(users::change_user))
        .route("/tokens", get(tokens::tokens).post(tokens::create_token))
        .route("/tokens/{id}", delete(tokens::revoke_token))
        .route(
            "/session",
            get(session::me)
                .post(session::login)
                .delete(session::logout),
        )
        .route("/openapi.json", get(openapi_json))
        .fallback(not_found)
}

async fn not_found() -> crate::error::ApiError {
    crate::error::ApiError::not_found("route")
}

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("mv_<id>_<secret>")
                    .description(Some(
                        "An API token (`medvigil tokens create` or POST /api/v1/tokens). \
                         Needs no CSRF token.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "__Host-medvigil_session",
                "The session cookie set by POST /api/v1/session (medvigil_session on plain-HTTP \
                 localhost). State-changing requests also need the session's CSRF token in \
                 X-CSRF-Token.",
            ))),
        );
    }
}

/// The OpenAPI document of the API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "medvigil API",
        description = "Cyber-vigilance for connected medical devices: inventory, findings, \
            patient-safety risk, remediation, network segmentation, advisories, accounts and the audit log. Every \
            list is paged (`page`, `per_page`, with `total` in the body). Errors are \
            `{\"error\": {\"code\", \"message\"}}`. Data are those of the caller's tenant only."
    ),
    servers((url = "/api/v1")),
    modifiers(&Security),
    security(("token" = []), ("session" = [])),
    paths(
        devices::list,
        devices::show,
        imports::import_inventory,
        imports::jobs,
        imports::job,
        imports::sync_feed,
        intel::findings,
        intel::risk,
        intel::risk_history,
        intel::advisories,
        remediations::list,
        remediations::plan,
        remediations::record,
        segmentation::list,
        segmentation::show,
        segmentation::propose,
        segmentation::decide,
        segmentation::enforce,
        segmentation::export,
        segmentation::zones,
        segmentation::drift,
        discovery::upload_batch,
        users::audit,
        users::users,
        users::create_user,
        users::change_user,
        tokens::tokens,
        tokens::create_token,
        tokens::revoke_token,
        session::me,
        session::login,
        session::logout,
    ),
    tags(
        (name = "inventory", description = "Medical devices and where each field came from"),
        (name = "intel", description = "Findings, risk priorities, advisories"),
        (name = "remediation", description = "Remediation plans and their trails"),
        (name = "segmentation", description = "IEC 62443 zones and conduits learned from observed \
            traffic, their review, firewall exports and drift alerts"),
        (name = "discovery", description = "Site sensors' passive-discovery batches"),
        (name = "accounts", description = "Sessions, users, API tokens, the audit log"),
    )
)]
#[derive(Debug)]
pub struct ApiDoc;

/// The OpenAPI 3.1 document, as served.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

async fn openapi_json() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(openapi())
}

/// `deny_unknown_fields`-style JSON bodies with errors in the API's shape.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T, S> axum::extract::FromRequest<S> for ApiJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = crate::error::ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(v) = axum::Json::<T>::from_request(req, state).await?;
        Ok(Self(v))
    }
}

/// Query strings with errors in the API's shape.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<T, S> axum::extract::FromRequestParts<S> for ApiQuery<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = crate::error::ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let axum::extract::Query(v) =
            axum::extract::Query::<T>::from_request_parts(parts, state).await?;
        Ok(Self(v))
    }
}
