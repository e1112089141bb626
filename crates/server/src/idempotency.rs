//! Replaying the response of a create request that is retried with the same
//! `Idempotency-Key`, so a retried submit never creates twice.
//!
//! Callers look up and store within one database call, and the database
//! runs one call at a time, so two concurrent retries cannot both create.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use gatehouse_core::api::IDEMPOTENCY_HEADER;
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

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

/// A request that carries an `Idempotency-Key`: who sent it, where, and a
/// hash of its body, so a key reused for a different request is caught.
#[derive(Debug, Clone)]
pub struct KeyedRequest {
    pub admin_id: i64,
    pub key: String,
    pub route: String,
    pub body_hash: String,
}

impl KeyedRequest {
    pub fn new(admin_id: i64, key: &str, route: &str, body: &[u8]) -> KeyedRequest {
        let body_hash = URL_SAFE_NO_PAD.encode(Sha256::digest(body));
        KeyedRequest { admin_id, key: key.to_owned(), route: route.to_owned(), body_hash }
    }
}

/// Returns the stored response for this key, or an error when the key was
/// used for another route or another body.
pub fn replay(
    connection: &Connection,
    request: &KeyedRequest,
) -> Result<Option<StoredResponse>, ApiError> {
    let stored = connection
        .query_row(
            "SELECT route, request_hash, status, etag, body FROM idempotency_keys
             WHERE admin_id = ?1 AND key = ?2",
            params![request.admin_id, request.key],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    StoredResponse { status: r.get(2)?, etag: r.get(3)?, body: r.get(4)? },
                ))
            },
        )
        .optional()?;
    let key = &request.key;
    match stored {
        Some((stored_route, _, _)) if stored_route != request.route => Err(ApiError::invalid(
            format!("Idempotency-Key `{key}` was already used for {stored_route}; send a new key."),
        )),
        Some((_, stored_hash, _)) if stored_hash != request.body_hash => {
            Err(ApiError::invalid(format!(
                "Idempotency-Key `{key}` was already used with a different request body; \
                 send a new key for a new request."
            )))
        }
        Some((_, _, response)) => Ok(Some(response)),
        None => Ok(None),
    }
}

pub fn store(
    connection: &Connection,
    request: &KeyedRequest,
    response: &StoredResponse,
) -> Result<(), ApiError> {
    connection.execute(
        &format!(
            "INSERT INTO idempotency_keys
                 (admin_id, key, route, request_hash, status, etag, body, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, {NOW})"
        ),
        params![
            request.admin_id,
            request.key,
            request.route,
            request.body_hash,
            response.status,
            response.etag,
            response.body
        ],
    )?;
    Ok(())
}
