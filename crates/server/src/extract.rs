//! Request extractors whose rejections are problem+json with a request id,
//! like every other error, instead of axum's plain-text bodies.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, OriginalUri, Request};
use axum::http::{header, StatusCode};

use crate::error::ApiError;

/// A JSON request body.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct JsonBody<T>(pub T);

/// Path parameters.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct PathParams<T>(pub T);

/// Query string parameters.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct QueryParams<T>(pub T);

/// A raw request body, such as an uploaded CSV file.
pub struct RawBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<RawBody, ApiError> {
        // A nested router receives the path without its prefix, so the
        // original URI decides whether the body is a CSV file.
        let original = request.extensions().get::<OriginalUri>().map(|uri| uri.path().to_owned());
        let path = original.unwrap_or_else(|| request.uri().path().to_owned());
        let is_import = path.starts_with("/api/v1/imports/");
        let length = request.headers().get(header::CONTENT_LENGTH).cloned();
        Bytes::from_request(request, state).await.map(RawBody).map_err(|rejection| {
            if is_import && rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                // Name the CSV limit, which axum's own text leaves out.
                let size = length.and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
                let detail = match size {
                    Some(size) => gatehouse_core::csv::file_too_large_message(size),
                    None => format!(
                        "The file is larger than the maximum of {} bytes ({} MiB). Split it \
                         into smaller files.",
                        gatehouse_core::csv::MAX_FILE_BYTES,
                        gatehouse_core::csv::MAX_FILE_BYTES / (1024 * 1024)
                    ),
                };
                tracing::info!(%detail, "rejected an oversized CSV upload");
                return ApiError::Rejected { status: StatusCode::PAYLOAD_TOO_LARGE, detail };
            }
            ApiError::from(rejection)
        })
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> ApiError {
        ApiError::Rejected { status: rejection.status(), detail: rejection.body_text() }
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> ApiError {
        ApiError::Rejected { status: rejection.status(), detail: rejection.body_text() }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> ApiError {
        ApiError::Rejected { status: rejection.status(), detail: rejection.body_text() }
    }
}

impl From<BytesRejection> for ApiError {
    fn from(rejection: BytesRejection) -> ApiError {
        ApiError::Rejected { status: rejection.status(), detail: rejection.body_text() }
    }
}
