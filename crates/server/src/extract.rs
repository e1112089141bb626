//! Request extractors whose rejections are problem+json with a request id,
//! like every other error, instead of axum's plain-text bodies.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
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

/// A raw request body, such as an uploaded logo.
pub struct RawBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<RawBody, ApiError> {
        Bytes::from_request(request, state).await.map(RawBody).map_err(ApiError::from)
    }
}

/// An uploaded CSV file. A file over the limit gets a rejection that names
/// its size and the limit, which axum's own text leaves out.
pub struct CsvBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for CsvBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<CsvBody, ApiError> {
        let length = request.headers().get(header::CONTENT_LENGTH).cloned();
        let rejection = match Bytes::from_request(request, state).await {
            Ok(body) => return Ok(CsvBody(body)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => rejection,
            Err(rejection) => return Err(ApiError::from(rejection)),
        };
        let size = length.and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
        let detail = match size {
            Some(size) => gatehouse_core::csv::file_too_large_message(size),
            None => format!(
                "The file is larger than the maximum of {} bytes ({} MiB). Split it into \
                 smaller files.",
                gatehouse_core::csv::MAX_FILE_BYTES,
                gatehouse_core::csv::MAX_FILE_BYTES / (1024 * 1024)
            ),
        };
        tracing::info!(%detail, reason = %rejection.body_text(), "rejected an oversized CSV upload");
        Err(ApiError::Rejected { status: StatusCode::PAYLOAD_TOO_LARGE, detail })
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
