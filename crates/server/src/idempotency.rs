//! Replaying the response of a create request that is retried with the same
//! `Idempotency-Key`, so a retried submit never creates twice.
//!
//! Callers look up and store within one database call, and the database
//! runs one call at a time, so two concurrent retries cannot both create.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use gatehouse_core::api::IDEMPOTENCY_HEADER;
use rusqlite::{params, Connection, OptionalExtension};

use crate::db::NOW;
use crate::error::ApiError;

/// A response that can be stored and sent again.
#[derive(Debug, Clone)]
pub struct StoredResponse {
    pub status: u16,
    pub etag: Option<String>,
    pub body: String,
}

impl IntoResponse for StoredResponse {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::OK);
        let mut response = (status, self.body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if let Some(etag) = self.etag.and_then(|e| HeaderValue::from_str(&e).ok()) {
            headers.insert(header::ETAG, etag);
        }
        response
    }
}

/// Reads the `Idempotency-Key` header; keys are 1 to 255 visible ASCII characters.
pub fn key_from(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get(IDEMPOTENCY_HEADER) else { return Ok(None) };
    let key = value.to_str().unwrap_or_default().trim();
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::invalid(
            "The Idempotency-Key header must be 1 to 255 visible ASCII characters, such as a UUID.",
        ));
    }
    Ok(Some(key.to_owned()))
}

/// Returns the stored response for this key, or an error when the key was
/// used for a different route.
pub fn replay(
    connection: &Connection,
    admin_id: i64,
    key: &str,
    route: &str,
) -> Result<Option<StoredResponse>, ApiError> {
    let stored = connection
        .query_row(
            "SELECT route, status, etag, body FROM idempotency_keys WHERE admin_id = ?1 AND key = ?2",
            params![admin_id, key],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    StoredResponse { status: r.get(1)?, etag: r.get(2)?, body: r.get(3)? },
                ))
            },
        )
        .optional()?;
    match stored {
        Some((stored_route, _)) if stored_route != route => Err(ApiError::invalid(format!(
            "Idempotency-Key `{key}` was already used for {stored_route}; send a new key."
        ))),
        Some((_, response)) => Ok(Some(response)),
        None => Ok(None),
    }
}

pub fn store(
    connection: &Connection,
    admin_id: i64,
    key: &str,
    route: &str,
    response: &StoredResponse,
) -> Result<(), ApiError> {
    connection.execute(
        &format!(
            "INSERT INTO idempotency_keys (admin_id, key, route, status, etag, body, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, {NOW})"
        ),
        params![admin_id, key, route, response.status, response.etag, response.body],
    )?;
    Ok(())
}
