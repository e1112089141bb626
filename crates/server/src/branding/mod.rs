//! Branding of the sign-in screens: the theme, the logo, the footer links
//! and the sign-in screen link. Each is one tenant-wide setting with a
//! version that only grows, also when a setting is reset, so an `ETag` read
//! before a reset never matches after it.

mod links;
mod logo;
mod theme;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use gatehouse_core::api::FieldError;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::db::NOW;
use crate::error::ApiError;
use crate::AppState;

/// Routes under `/api/v1/branding`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/branding/theme", get(theme::get).put(theme::put).delete(theme::reset))
        .route(
            "/branding/logo",
            get(logo::get)
                .put(logo::put)
                .delete(logo::remove)
                .layer(DefaultBodyLimit::max(logo::UPLOAD_LIMIT_BYTES)),
        )
        .route("/branding/logo/info", get(logo::info))
        .route("/branding/footer-links", get(links::get_footer).put(links::put_footer))
        .route("/branding/login-link", get(links::get_login).put(links::put_login))
}

/// A stored setting. `value` is JSON, or `None` after a reset, and `data`
/// contains the logo's bytes.
pub(crate) struct Setting {
    pub value: Option<String>,
    pub data: Option<Vec<u8>>,
    /// 0 while the setting was never saved.
    pub version: i64,
}

pub(crate) fn load(connection: &Connection, name: &str) -> Result<Setting, ApiError> {
    let stored = connection
        .query_row(
            "SELECT value, data, version FROM branding_settings WHERE name = ?1",
            [name],
            |r| Ok(Setting { value: r.get(0)?, data: r.get(1)?, version: r.get(2)? }),
        )
        .optional()?;
    Ok(stored.unwrap_or(Setting { value: None, data: None, version: 0 }))
}

/// Stores a setting, or clears it with `None`, and returns the new version.
pub(crate) fn store(
    connection: &Connection,
    name: &str,
    value: Option<&str>,
    data: Option<&[u8]>,
) -> Result<i64, ApiError> {
    connection.execute(
        &format!(
            "INSERT INTO branding_settings (name, value, data, version, updated_at)
             VALUES (?1, ?2, ?3, 1, {NOW})
             ON CONFLICT (name) DO UPDATE SET value = excluded.value, data = excluded.data,
                 version = version + 1, updated_at = excluded.updated_at"
        ),
        params![name, value, data],
    )?;
    Ok(connection.query_row(
        "SELECT version FROM branding_settings WHERE name = ?1",
        [name],
        |r| r.get(0),
    )?)
}

/// Reads an `If-Match` value: `None` for `*`, which matches any version.
fn parse_version(value: &HeaderValue) -> Result<Option<i64>, ApiError> {
    let text = value.to_str().unwrap_or_default().trim();
    if text == "*" {
        return Ok(None);
    }
    let text = text.strip_prefix("W/").unwrap_or(text).trim_matches('"');
    text.parse().map(Some).map_err(|_| {
        ApiError::invalid(format!(
            "If-Match `{text}` is not an ETag this server sent, such as \"3\"."
        ))
    })
}

/// Reads the version from a required `If-Match`; `428` when it is missing.
pub(crate) fn required_if_match(headers: &HeaderMap) -> Result<Option<i64>, ApiError> {
    parse_version(headers.get(header::IF_MATCH).ok_or(ApiError::PreconditionRequired)?)
}

/// Reads the version from an optional `If-Match`, as resets and uploads
/// accept: they replace the setting rather than merge edits into it.
pub(crate) fn optional_if_match(headers: &HeaderMap) -> Result<Option<i64>, ApiError> {
    Ok(headers.get(header::IF_MATCH).map(parse_version).transpose()?.flatten())
}

/// Fails with `412` and the stored document when the versions differ.
pub(crate) fn require_version<T: Serialize>(
    current: &T,
    current_version: i64,
    expected: Option<i64>,
) -> Result<(), ApiError> {
    match expected {
        Some(expected) if expected != current_version => Err(ApiError::PreconditionFailed {
            current: serde_json::to_value(current).unwrap_or_default(),
        }),
        _ => Ok(()),
    }
}

pub(crate) fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// Builds a JSON response with the `ETag` of `version`.
pub(crate) fn with_etag<T: Serialize>(body: &T, version: i64) -> Response {
    let mut response = (StatusCode::OK, Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(&etag(version)) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

/// Builds a `422` that lists field errors.
pub(crate) fn invalid_fields(errors: Vec<FieldError>) -> ApiError {
    ApiError::Invalid {
        detail: format!("{} field(s) are invalid; nothing was saved.", errors.len()),
        errors,
    }
}

pub(crate) fn to_json<T: Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(|e| ApiError::internal(format!("encoding a setting: {e}")))
}

pub(crate) fn from_json<T: serde::de::DeserializeOwned>(
    name: &str,
    text: &str,
) -> Result<T, ApiError> {
    serde_json::from_str(text).map_err(|e| {
        ApiError::internal(format!("stored branding setting `{name}` is unreadable: {e}"))
    })
}
