//! The server's one error type and the one place that turns it into an
//! `application/problem+json` response (RFC 9457).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use gatehouse_core::api::{FieldError, Problem, PROBLEM_JSON};
use gatehouse_core::catalog::TenantOption;
use gatehouse_core::csv::CsvReport;

use crate::request_id;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("not signed in")]
    Unauthorized,
    #[error("the login id or password is wrong")]
    SignInFailed,
    #[error("missing or wrong CSRF token")]
    CsrfRejected,
    #[error("{0} not found")]
    NotFound(String),
    #[error("invalid request")]
    Invalid { detail: String, errors: Vec<FieldError> },
    #[error("conflict: {detail}")]
    Conflict { detail: String, errors: Vec<FieldError> },
    #[error("the record changed since it was read")]
    PreconditionFailed { current: serde_json::Value },
    #[error("If-Match header missing")]
    PreconditionRequired,
    #[error("the CSV file has errors")]
    CsvRejected(Box<CsvReport>),
    #[error("the tenant lacks the {0}")]
    OptionRequired(TenantOption),
    #[error("request rejected: {detail}")]
    Rejected { status: StatusCode, detail: String },
    #[error("too many failed sign-ins")]
    TooManySignIns { retry_after_seconds: u64 },
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::Internal(message.into())
    }

    pub fn invalid(detail: impl Into<String>) -> ApiError {
        ApiError::Invalid { detail: detail.into(), errors: Vec::new() }
    }

    pub fn field(field: &str, message: impl Into<String>) -> ApiError {
        ApiError::Invalid {
            detail: "A field is invalid.".to_owned(),
            errors: vec![FieldError { field: field.to_owned(), message: message.into() }],
        }
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(error: rusqlite::Error) -> ApiError {
        ApiError::Internal(format!("database: {error}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let request_id = request_id::current();
        let (status, title) = match &self {
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "Not signed in"),
            ApiError::SignInFailed => (StatusCode::UNAUTHORIZED, "Sign-in failed"),
            ApiError::CsrfRejected => (StatusCode::FORBIDDEN, "Missing or wrong CSRF token"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "Not found"),
            ApiError::Invalid { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "Invalid request"),
            ApiError::Conflict { .. } => (StatusCode::CONFLICT, "Conflict"),
            ApiError::PreconditionFailed { .. } => {
                (StatusCode::PRECONDITION_FAILED, "Changed by someone else")
            }
            ApiError::PreconditionRequired => {
                (StatusCode::PRECONDITION_REQUIRED, "If-Match header required")
            }
            ApiError::CsvRejected(_) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "The CSV file has errors")
            }
            ApiError::OptionRequired(_) => (StatusCode::FORBIDDEN, "Tenant option required"),
            ApiError::Rejected { status, .. } => {
                (*status, status.canonical_reason().unwrap_or("Request rejected"))
            }
            ApiError::TooManySignIns { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, "Too many failed sign-ins")
            }
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "Internal error"),
        };
        let mut problem = Problem {
            problem_type: "about:blank".to_owned(),
            title: title.to_owned(),
            status: status.as_u16(),
            detail: None,
            errors: Vec::new(),
            request_id: request_id.clone(),
            current: None,
            report: None,
        };
        match self {
            ApiError::Unauthorized => {
                problem.detail = Some("Sign in first; the session may have timed out.".to_owned())
            }
            ApiError::SignInFailed => {
                problem.detail = Some("The login ID or password is wrong.".to_owned())
            }
            ApiError::CsrfRejected => {
                problem.detail = Some(
                    "The X-CSRF-Token header is missing or does not match this session. \
                     Reload the page and try again."
                        .to_owned(),
                )
            }
            ApiError::NotFound(what) => problem.detail = Some(format!("{what} was not found.")),
            ApiError::Invalid { detail, errors } | ApiError::Conflict { detail, errors } => {
                problem.detail = Some(detail);
                problem.errors = errors;
            }
            ApiError::PreconditionFailed { current } => {
                problem.detail = Some(
                    "Someone changed this record since you opened it. \
                     Compare both versions, then try again."
                        .to_owned(),
                );
                problem.current = Some(current);
            }
            ApiError::PreconditionRequired => {
                problem.detail = Some(
                    "Send the If-Match header with the ETag of the version you edited.".to_owned(),
                )
            }
            ApiError::CsvRejected(report) => {
                problem.detail = Some(format!(
                    "The file has {} error(s); nothing was imported. Fix them and upload again.",
                    report.counts.errors
                ));
                problem.report = Some(*report);
            }
            ApiError::OptionRequired(option) => {
                problem.detail = Some(format!("This operation needs the {}.", option.title()))
            }
            ApiError::Rejected { detail, .. } => problem.detail = Some(detail),
            ApiError::TooManySignIns { retry_after_seconds } => {
                problem.detail = Some(format!(
                    "Sign-in for this login ID failed too often. Wait {} minute(s) and try again.",
                    retry_after_seconds.div_ceil(60)
                ))
            }
            ApiError::Internal(message) => {
                // Logged once here, and hidden from the client.
                tracing::error!(request_id = %request_id, error = %message, "request failed");
                problem.detail =
                    Some("The server failed. Quote the request ID when you report it.".to_owned());
            }
        }
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (status, body).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        response
    }
}
