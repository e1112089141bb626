//! `/branding/logo`: the tenant logo, recorded as `update.tenant_logo`. The
//! format is read from the bytes, never from a file name or Content-Type.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use gatehouse_core::api::{FieldError, LogoInfo};
use gatehouse_core::branding::logo::LOGO_MAX_BYTES;
use gatehouse_core::branding::{check_logo, ImageInfo};
use gatehouse_core::catalog::kinds;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::{from_json, load, optional_if_match, require_version, store, to_json, with_etag};
use crate::auth::Admin;
use crate::error::ApiError;
use crate::extract::RawBody;
use crate::tasks;
use crate::AppState;

const SETTING: &str = "logo";

/// Maximum request body read. It is well above [`LOGO_MAX_BYTES`], so a file
/// that is somewhat too large gets the message with its size. Larger bodies
/// get a `413`.
pub const UPLOAD_LIMIT_BYTES: usize = 8 * LOGO_MAX_BYTES;

/// The metadata stored next to the bytes.
#[derive(Serialize, Deserialize)]
struct StoredLogo {
    media_type: String,
    width: u32,
    height: u32,
}

fn info_of(connection: &Connection) -> Result<(LogoInfo, Option<Vec<u8>>), ApiError> {
    let setting = load(connection, SETTING)?;
    let (Some(value), Some(data)) = (setting.value, setting.data) else {
        let info = LogoInfo {
            present: false,
            media_type: None,
            width: None,
            height: None,
            bytes: None,
            version: setting.version,
        };
        return Ok((info, None));
    };
    let stored: StoredLogo = from_json(SETTING, &value)?;
    let info = LogoInfo {
        present: true,
        media_type: Some(stored.media_type),
        width: Some(stored.width),
        height: Some(stored.height),
        bytes: Some(data.len() as u64),
        version: setting.version,
    };
    Ok((info, Some(data)))
}

/// `GET /branding/logo`: the image with its media type, or `404` when none
/// is stored.
pub async fn get(State(state): State<AppState>, _admin: Admin) -> Result<Response, ApiError> {
    let (info, data) = state.db.call(|connection| info_of(connection)).await?;
    let (Some(data), Some(media_type)) = (data, info.media_type) else {
        return Err(ApiError::NotFound("The tenant logo".to_owned()));
    };
    let mut response = (StatusCode::OK, data).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&media_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    // The type was checked by content on upload; browsers must not guess
    // another one.
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(value) = HeaderValue::from_str(&super::etag(info.version)) {
        headers.insert(header::ETAG, value);
    }
    Ok(response)
}

/// `GET /branding/logo/info`.
pub async fn info(State(state): State<AppState>, _admin: Admin) -> Result<Response, ApiError> {
    let (info, _) = state.db.call(|connection| info_of(connection)).await?;
    Ok(with_etag(&info, info.version))
}

/// `PUT /branding/logo` with the image bytes as the body. `If-Match` is
/// optional.
pub async fn put(
    State(state): State<AppState>,
    admin: Admin,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> Result<Response, ApiError> {
    let expected = optional_if_match(&headers)?;
    let image: ImageInfo = check_logo(&body).map_err(|issue| ApiError::Invalid {
        detail: issue.message.clone(),
        errors: vec![FieldError { field: "logo".to_owned(), message: issue.message }],
    })?;
    let stored = StoredLogo {
        media_type: image.format.media_type().to_owned(),
        width: image.width,
        height: image.height,
    };
    let info = state
        .db
        .call(move |connection| {
            let transaction = connection.transaction()?;
            let (current, data) = info_of(&transaction)?;
            require_version(&current, current.version, expected)?;
            // Uploading the same file again changes nothing and records no task.
            if data.as_deref() == Some(&body[..]) {
                return Ok(current);
            }
            let version = store(&transaction, SETTING, Some(&to_json(&stored)?), Some(&body))?;
            let target =
                format!("logo ({}, {}×{})", stored.media_type, stored.width, stored.height);
            tasks::record_single(
                &transaction,
                kinds::UPDATE_TENANT_LOGO,
                &admin.login_id,
                &target,
            )?;
            transaction.commit()?;
            Ok(LogoInfo {
                present: true,
                media_type: Some(stored.media_type),
                width: Some(stored.width),
                height: Some(stored.height),
                bytes: Some(body.len() as u64),
                version,
            })
        })
        .await?;
    Ok(with_etag(&info, info.version))
}

/// `DELETE /branding/logo`: removes the logo so the default shows. Without
/// a stored logo nothing changes and no task is recorded.
pub async fn remove(
    State(state): State<AppState>,
    admin: Admin,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let expected = optional_if_match(&headers)?;
    let info = state
        .db
        .call(move |connection| {
            let transaction = connection.transaction()?;
            let (current, _) = info_of(&transaction)?;
            require_version(&current, current.version, expected)?;
            if !current.present {
                return Ok(current);
            }
            let version = store(&transaction, SETTING, None, None)?;
            tasks::record_single(
                &transaction,
                kinds::UPDATE_TENANT_LOGO,
                &admin.login_id,
                SETTING,
            )?;
            transaction.commit()?;
            Ok(LogoInfo {
                present: false,
                media_type: None,
                width: None,
                height: None,
                bytes: None,
                version,
            })
        })
        .await?;
    Ok(with_etag(&info, info.version))
}
