//! `/branding/footer-links` and `/branding/login-link`, recorded as
//! `update.footer_link` and `update.login_link`.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use gatehouse_core::api::{FieldError, FooterLinks, LoginLink};
use gatehouse_core::branding::{check_footer_links, check_login_link, LinkIssue};
use gatehouse_core::catalog::{kinds, TaskKind};
use rusqlite::Connection;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{
    from_json, invalid_fields, load, require_version, required_if_match, store, to_json, with_etag,
};
use crate::auth::Admin;
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::tasks;
use crate::AppState;

const FOOTER: &str = "footer_links";
const LOGIN: &str = "login_link";

fn field_errors(issues: Vec<LinkIssue>) -> Vec<FieldError> {
    issues
        .into_iter()
        .map(|issue| FieldError { field: issue.field, message: issue.issue.message })
        .collect()
}

fn stored<T: DeserializeOwned + Default>(
    connection: &Connection,
    name: &str,
) -> Result<(T, i64), ApiError> {
    let setting = load(connection, name)?;
    let value = match setting.value {
        Some(text) => from_json(name, &text)?,
        None => T::default(),
    };
    Ok((value, setting.version))
}

fn footer(connection: &Connection) -> Result<FooterLinks, ApiError> {
    let (links, version) = stored(connection, FOOTER)?;
    Ok(FooterLinks { links, version })
}

fn login(connection: &Connection) -> Result<LoginLink, ApiError> {
    let (link, version) = stored(connection, LOGIN)?;
    Ok(LoginLink { link, version })
}

/// Saves a setting when `If-Match` names the stored version, records its
/// task, and returns the new version. An unchanged value keeps its version.
fn save<T: Serialize>(
    connection: &mut Connection,
    name: &str,
    current: impl Fn(&Connection) -> Result<(serde_json::Value, i64), ApiError>,
    value: &T,
    expected: Option<i64>,
    kind: TaskKind,
    actor: &str,
) -> Result<i64, ApiError> {
    let transaction = connection.transaction()?;
    let (stored, version) = current(&transaction)?;
    require_version(&stored, version, expected)?;
    let json = to_json(value)?;
    // Saving the same value changes nothing and records no task.
    if load(&transaction, name)?.value.as_deref() == Some(json.as_str()) {
        return Ok(version);
    }
    let version = store(&transaction, name, Some(&json), None)?;
    tasks::record_single(&transaction, kind, actor, name)?;
    transaction.commit()?;
    Ok(version)
}

/// `GET /branding/footer-links`.
pub async fn get_footer(
    State(state): State<AppState>,
    _admin: Admin,
) -> Result<Response, ApiError> {
    let links = state.db.call(|connection| footer(connection)).await?;
    Ok(with_etag(&links, links.version))
}

/// `PUT /branding/footer-links` with `If-Match` and `{links}`: replaces the
/// whole list.
pub async fn put_footer(
    State(state): State<AppState>,
    admin: Admin,
    headers: HeaderMap,
    JsonBody(request): JsonBody<FooterLinks>,
) -> Result<Response, ApiError> {
    let expected = required_if_match(&headers)?;
    let errors = field_errors(check_footer_links(&request.links));
    if !errors.is_empty() {
        return Err(invalid_fields(errors));
    }
    let links = request.links;
    let saved = state
        .db
        .call(move |connection| {
            let current = |c: &Connection| {
                let stored = footer(c)?;
                Ok((serde_json::to_value(&stored).unwrap_or_default(), stored.version))
            };
            let version = save(
                connection,
                FOOTER,
                current,
                &links,
                expected,
                kinds::UPDATE_FOOTER_LINK,
                &admin.login_id,
            )?;
            Ok(FooterLinks { links, version })
        })
        .await?;
    Ok(with_etag(&saved, saved.version))
}

/// `GET /branding/login-link`.
pub async fn get_login(State(state): State<AppState>, _admin: Admin) -> Result<Response, ApiError> {
    let link = state.db.call(|connection| login(connection)).await?;
    Ok(with_etag(&link, link.version))
}

/// `PUT /branding/login-link` with `If-Match` and `{link}`; `link: null`
/// removes the link.
pub async fn put_login(
    State(state): State<AppState>,
    admin: Admin,
    headers: HeaderMap,
    JsonBody(request): JsonBody<LoginLink>,
) -> Result<Response, ApiError> {
    let expected = required_if_match(&headers)?;
    if let Some(link) = &request.link {
        let errors = field_errors(check_login_link(link));
        if !errors.is_empty() {
            return Err(invalid_fields(errors));
        }
    }
    let link = request.link;
    let saved = state
        .db
        .call(move |connection| {
            let current = |c: &Connection| {
                let stored = login(c)?;
                Ok((serde_json::to_value(&stored).unwrap_or_default(), stored.version))
            };
            let version = save(
                connection,
                LOGIN,
                current,
                &link,
                expected,
                kinds::UPDATE_LOGIN_LINK,
                &admin.login_id,
            )?;
            Ok(LoginLink { link, version })
        })
        .await?;
    Ok(with_etag(&saved, saved.version))
}
