//! One error type for the API: a status, a stable code and a message for
//! people, sent as `{"error": {"code", "message"}}`. Anything that is not
//! the client's fault becomes a generic 500; the detail goes to the log.

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use medvigil_intel::IntelError;
use medvigil_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// An error answer of the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable machine-readable code (`not_found`, `forbidden`, …).
    pub code: &'static str,
    /// What went wrong, for people.
    pub message: String,
}

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// Code and message of an error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable code: `bad_request`, `unauthenticated`, `forbidden`,
    /// `not_found`, `conflict`, `unprocessable`, `locked`, `internal`.
    pub code: String,
    /// Message for people.
    pub message: String,
}

impl ApiError {
    /// An error with this status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    /// 400: the request does not make sense.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// 401: no valid credentials.
    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "authentication required: log in or send an API token (Authorization: Bearer mv_…)",
        )
    }

    /// 403: the caller may not do this.
    pub fn forbidden() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "your role does not allow this",
        )
    }

    /// 403: a cookie-authenticated change without a valid CSRF token.
    pub fn csrf() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "csrf",
            "missing or invalid CSRF token (send it as X-CSRF-Token or the csrf form field)",
        )
    }

    /// 404.
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} not found"),
        )
    }

    /// 422: well-formed but refused.
    pub fn unprocessable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "unprocessable", message)
    }

    /// 500, the detail logged and not shown.
    pub fn internal(detail: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %detail, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error; the server log has the detail",
        )
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_owned(),
                message: self.message,
            },
        };
        (self.status, Json(body)).into_response()
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { what, .. } => Self::not_found(what),
            StoreError::Duplicate { what, key } => Self::new(
                StatusCode::CONFLICT,
                "conflict",
                format!("{what} '{key}' already exists"),
            ),
            StoreError::Ambiguous { what, key, count } => {
                Self::bad_request(format!("{what} '{key}' is ambiguous ({count} match)"))
            }
            StoreError::Workflow(w) => Self::unprocessable(w.to_string()),
            // A step the store's rules refuse (a review step the policy's
            // status does not allow, the tenant's last admin).
            StoreError::Refused(why) => Self::new(StatusCode::CONFLICT, "refused", why),
            other => Self::internal(&other),
        }
    }
}

impl From<IntelError> for ApiError {
    fn from(e: IntelError) -> Self {
        match e {
            IntelError::Store(s) => s.into(),
            other => Self::internal(&other),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(e: JsonRejection) -> Self {
        Self::new(e.status(), "bad_request", e.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(e: QueryRejection) -> Self {
        Self::bad_request(e.body_text())
    }
}
