//! `/branding/theme`: the theme colours, recorded as `update.theme`.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use gatehouse_core::api::{FieldError, ThemeSettings};
use gatehouse_core::branding::{check_theme, Theme};
use gatehouse_core::catalog::kinds;
use rusqlite::Connection;

use super::{
    from_json, invalid_fields, load, optional_if_match, require_version, required_if_match, store,
    to_json, with_etag,
};
use crate::auth::Admin;
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::tasks;
use crate::AppState;

const SETTING: &str = "theme";

fn current(connection: &Connection) -> Result<ThemeSettings, ApiError> {
    let setting = load(connection, SETTING)?;
    let (theme, is_default) = match setting.value {
        Some(value) => (from_json(SETTING, &value)?, false),
        None => (Theme::default(), true),
    };
    Ok(ThemeSettings { theme, is_default, version: setting.version })
}

/// Lower-cases the hex digits so that `#1A56DB` and `#1a56db` store alike.
fn normalized(theme: Theme) -> Theme {
    let lower = |value: String| value.trim().to_ascii_lowercase();
    Theme {
        primary: lower(theme.primary),
        on_primary: lower(theme.on_primary),
        background: lower(theme.background),
        surface: lower(theme.surface),
        text: lower(theme.text),
        link: lower(theme.link),
        error: lower(theme.error),
    }
}

/// `GET /branding/theme`.
pub async fn get(State(state): State<AppState>, _admin: Admin) -> Result<Response, ApiError> {
    let settings = state.db.call(|connection| current(connection)).await?;
    Ok(with_etag(&settings, settings.version))
}

/// `PUT /branding/theme` with `If-Match`: saves all seven colours. Low
/// contrast does not block a save; the console shows it while editing.
pub async fn put(
    State(state): State<AppState>,
    admin: Admin,
    headers: HeaderMap,
    JsonBody(theme): JsonBody<Theme>,
) -> Result<Response, ApiError> {
    let expected = required_if_match(&headers)?;
    let theme = normalized(theme);
    let errors: Vec<FieldError> = check_theme(&theme)
        .into_iter()
        .map(|(field, issue)| FieldError { field: field.to_owned(), message: issue.message })
        .collect();
    if !errors.is_empty() {
        return Err(invalid_fields(errors));
    }
    let settings = state
        .db
        .call(move |connection| {
            let transaction = connection.transaction()?;
            let stored = current(&transaction)?;
            require_version(&stored, stored.version, expected)?;
            // Saving the same colours changes nothing and records no task.
            if !stored.is_default && stored.theme == theme {
                return Ok(stored);
            }
            let version = store(&transaction, SETTING, Some(&to_json(&theme)?), None)?;
            tasks::record_single(&transaction, kinds::UPDATE_THEME, &admin.login_id, SETTING)?;
            transaction.commit()?;
            Ok(ThemeSettings { theme, is_default: false, version })
        })
        .await?;
    Ok(with_etag(&settings, settings.version))
}

/// `DELETE /branding/theme`: back to the default colours. `If-Match` is
/// optional. A theme that is already the default records no task.
pub async fn reset(
    State(state): State<AppState>,
    admin: Admin,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let expected = optional_if_match(&headers)?;
    let settings = state
        .db
        .call(move |connection| {
            let transaction = connection.transaction()?;
            let stored = current(&transaction)?;
            require_version(&stored, stored.version, expected)?;
            if stored.is_default {
                return Ok(stored);
            }
            let version = store(&transaction, SETTING, None, None)?;
            tasks::record_single(&transaction, kinds::UPDATE_THEME, &admin.login_id, SETTING)?;
            transaction.commit()?;
            Ok(ThemeSettings { theme: Theme::default(), is_default: true, version })
        })
        .await?;
    Ok(with_etag(&settings, settings.version))
}
