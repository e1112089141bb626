//! Users: the list, create, update with ETag/If-Match, remove to pending
//! deletion, restore and erase. Each change records its task.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use gatehouse_core::api::{
    EraseRequest, FieldError, Page, User, UserFields, UserFilter, UserStatus,
};
use gatehouse_core::catalog::kinds;
use gatehouse_core::rules::{check_user_fields, fold_key};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Deserialize;

use crate::auth::Admin;
use crate::db::NOW;
use crate::error::ApiError;
use crate::extract::{JsonBody, PathParams, QueryParams};
use crate::idempotency::{self, KeyedRequest, StoredResponse};
use crate::paging::{default_per_page, first_page, like_pattern, offset, MAX_PER_PAGE};
use crate::tasks;
use crate::AppState;

const USER_COLUMNS: &str = "id, login_id, email, family_name, given_name, display_name, \
                            department, title, phone, status, version, created_at, updated_at";

fn user_from_row(row: &Row<'_>) -> rusqlite::Result<User> {
    let status: String = row.get(9)?;
    Ok(User {
        id: row.get(0)?,
        fields: UserFields {
            login_id: row.get(1)?,
            email: row.get(2)?,
            family_name: row.get(3)?,
            given_name: row.get(4)?,
            display_name: row.get(5)?,
            department: row.get(6)?,
            title: row.get(7)?,
            phone: row.get(8)?,
        },
        status: if status == "pending_deletion" {
            UserStatus::PendingDeletion
        } else {
            UserStatus::Active
        },
        version: row.get(10)?,
        created_at: row.get(11)?,
        updated_at: row.get(12)?,
    })
}

pub fn etag(user: &User) -> String {
    format!("\"{}\"", user.version)
}

fn with_etag(status: StatusCode, user: &User) -> Response {
    let mut response = (status, Json(user)).into_response();
    if let Ok(value) = HeaderValue::from_str(&etag(user)) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

pub fn find_by_id(connection: &Connection, id: i64) -> Result<User, ApiError> {
    connection
        .prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"))?
        .query_row([id], user_from_row)
        .optional()?
        .ok_or_else(|| ApiError::NotFound(format!("User {id}")))
}

pub fn find_by_login_id(connection: &Connection, login_id: &str) -> Result<Option<User>, ApiError> {
    // Cached, because an import looks up every row's login ID.
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE login_id_folded = ?1");
    Ok(connection
        .prepare_cached(&sql)?
        .query_row([fold_key(login_id)], user_from_row)
        .optional()?)
}

/// Returns the field errors for a login id or email that another user has.
pub fn uniqueness_errors(
    connection: &Connection,
    fields: &UserFields,
    own_id: Option<i64>,
) -> Result<Vec<FieldError>, ApiError> {
    let mut errors = Vec::new();
    for (field, column, value) in [
        ("login_id", "login_id_folded", &fields.login_id),
        ("email", "email_folded", &fields.email),
    ] {
        let holder: Option<(i64, String)> = connection
            .prepare_cached(&format!("SELECT id, login_id FROM users WHERE {column} = ?1"))?
            .query_row([fold_key(value)], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((id, login_id)) = holder.filter(|(id, _)| Some(*id) != own_id) {
            let message = if field == "login_id" {
                format!("Login ID `{value}` is taken by another user (id {id}); choose another.")
            } else {
                format!("Email `{value}` already belongs to user `{login_id}`; each user needs their own.")
            };
            errors.push(FieldError { field: field.to_owned(), message });
        }
    }
    Ok(errors)
}

/// Inserts a user whose fields were checked, and returns it.
pub fn insert(connection: &Connection, fields: &UserFields) -> Result<User, ApiError> {
    // Cached, because an import inserts one user per row.
    let sql = format!(
        "INSERT INTO users (login_id, login_id_folded, email, email_folded, family_name,
                            given_name, display_name, department, title, phone,
                            created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, {NOW}, {NOW})"
    );
    connection.prepare_cached(&sql)?.execute(params![
        fields.login_id,
        fold_key(&fields.login_id),
        fields.email,
        fold_key(&fields.email),
        fields.family_name,
        fields.given_name,
        fields.display_name,
        fields.department,
        fields.title,
        fields.phone
    ])?;
    find_by_id(connection, connection.last_insert_rowid())
}

/// Overwrites all fields of a user and bumps its version.
pub fn update_fields(
    connection: &Connection,
    id: i64,
    fields: &UserFields,
) -> Result<User, ApiError> {
    connection.execute(
        &format!(
            "UPDATE users SET login_id = ?2, login_id_folded = ?3, email = ?4, email_folded = ?5,
                family_name = ?6, given_name = ?7, display_name = ?8, department = ?9,
                title = ?10, phone = ?11, version = version + 1, updated_at = {NOW}
             WHERE id = ?1"
        ),
        params![
            id,
            fields.login_id,
            fold_key(&fields.login_id),
            fields.email,
            fold_key(&fields.email),
            fields.family_name,
            fields.given_name,
            fields.display_name,
            fields.department,
            fields.title,
            fields.phone
        ],
    )?;
    find_by_id(connection, id)
}

pub fn set_status(connection: &Connection, id: i64, status: UserStatus) -> Result<User, ApiError> {
    connection.execute(
        &format!(
            "UPDATE users SET status = ?2, version = version + 1, updated_at = {NOW} WHERE id = ?1"
        ),
        params![id, status.as_str()],
    )?;
    find_by_id(connection, id)
}

fn trimmed(fields: UserFields) -> UserFields {
    let trim = |value: String| value.trim().to_owned();
    UserFields {
        login_id: trim(fields.login_id),
        email: trim(fields.email),
        family_name: trim(fields.family_name),
        given_name: trim(fields.given_name),
        display_name: trim(fields.display_name),
        department: trim(fields.department),
        title: trim(fields.title),
        phone: trim(fields.phone),
    }
}

fn checked(fields: UserFields) -> Result<UserFields, ApiError> {
    let fields = trimmed(fields);
    let errors = check_user_fields(&fields);
    if errors.is_empty() {
        Ok(fields)
    } else {
        Err(ApiError::Invalid {
            detail: format!("{} field(s) are invalid; nothing was saved.", errors.len()),
            errors,
        })
    }
}

fn taken(errors: Vec<FieldError>) -> ApiError {
    ApiError::Conflict {
        detail: "Another user already has this login ID or email; nothing was saved.".to_owned(),
        errors,
    }
}

#[derive(Debug, Deserialize)]
pub struct UserQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: UserFilter,
    #[serde(default = "first_page")]
    page: u32,
    #[serde(default = "default_per_page")]
    per_page: u32,
}

/// `GET /users`: search by login id, email or name; filter by status; page.
pub async fn list(
    State(state): State<AppState>,
    _admin: Admin,
    QueryParams(query): QueryParams<UserQuery>,
) -> Result<Json<Page<User>>, ApiError> {
    let page = query.page.max(1);
    let per_page = query.per_page.clamp(1, MAX_PER_PAGE);
    let pattern = like_pattern(&query.q);
    let status = match query.status {
        UserFilter::All => None,
        UserFilter::Active => Some("active"),
        UserFilter::PendingDeletion => Some("pending_deletion"),
    };
    let users = state
        .db
        .call(move |connection| {
            let filter = "(?1 IS NULL OR status = ?1) AND (login_id_folded LIKE ?2 ESCAPE '\\'
                 OR email_folded LIKE ?2 ESCAPE '\\' OR fold(family_name) LIKE ?2 ESCAPE '\\'
                 OR fold(given_name) LIKE ?2 ESCAPE '\\' OR fold(display_name) LIKE ?2 ESCAPE '\\')";
            let total: u64 = connection.query_row(
                &format!("SELECT COUNT(*) FROM users WHERE {filter}"),
                params![status, pattern],
                |r| r.get(0),
            )?;
            let mut statement = connection.prepare(&format!(
                "SELECT {USER_COLUMNS} FROM users WHERE {filter}
                 ORDER BY login_id_folded LIMIT ?3 OFFSET ?4"
            ))?;
            let items = statement
                .query_map(params![status, pattern, per_page, offset(page, per_page)], user_from_row)?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Page { items, total, page, per_page })
        })
        .await?;
    Ok(Json(users))
}

/// `GET /users/{id}`.
pub async fn get(
    State(state): State<AppState>,
    _admin: Admin,
    PathParams(id): PathParams<i64>,
) -> Result<Response, ApiError> {
    let user = state.db.call(move |connection| find_by_id(connection, id)).await?;
    Ok(with_etag(StatusCode::OK, &user))
}

/// `POST /users`: creates a user; replays the first response for a
/// repeated `Idempotency-Key`.
pub async fn create(
    State(state): State<AppState>,
    admin: Admin,
    headers: HeaderMap,
    JsonBody(fields): JsonBody<UserFields>,
) -> Result<Response, ApiError> {
    let key = idempotency::key_from(&headers)?;
    let fields = checked(fields)?;
    let response = state
        .db
        .call(move |connection| {
            let transaction = connection.transaction()?;
            let body = serde_json::to_vec(&fields).unwrap_or_default();
            let keyed =
                key.as_deref().map(|key| KeyedRequest::new(admin.id, key, "POST /users", &body));
            if let Some(keyed) = &keyed {
                if let Some(stored) = idempotency::replay(&transaction, keyed)? {
                    return Ok(stored);
                }
            }
            let errors = uniqueness_errors(&transaction, &fields, None)?;
            if !errors.is_empty() {
                return Err(taken(errors));
            }
            let user = insert(&transaction, &fields)?;
            tasks::record_single(
                &transaction,
                kinds::CREATE_USER,
                &admin.login_id,
                &user.fields.login_id,
            )?;
            let stored = StoredResponse {
                status: StatusCode::CREATED.as_u16(),
                etag: Some(etag(&user)),
                body: serde_json::to_string(&user)
                    .map_err(|e| ApiError::internal(e.to_string()))?,
            };
            if let Some(keyed) = &keyed {
                idempotency::store(&transaction, keyed, &stored)?;
            }
            transaction.commit()?;
            Ok(stored)
        })
        .await?;
    Ok(response.into_response())
}

/// Reads the version from `If-Match`, accepting `"3"`, `W/"3"` and `3`.
/// Returns `None` for `*`, which matches any stored version.
fn if_match_version(headers: &HeaderMap) -> Result<Option<i64>, ApiError> {
    let value = headers.get(header::IF_MATCH).ok_or(ApiError::PreconditionRequired)?;
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

fn require_version(user: &User, expected: Option<i64>) -> Result<(), ApiError> {
    if expected.is_none_or(|version| version == user.version) {
        Ok(())
    } else {
        Err(ApiError::PreconditionFailed {
            current: serde_json::to_value(user).unwrap_or_default(),
        })
    }
}

/// `PUT /users/{id}`: replaces the user's fields when `If-Match` names the
/// stored version; otherwise `412` with the stored version.
pub async fn update(
    State(state): State<AppState>,
    admin: Admin,
    PathParams(id): PathParams<i64>,
    headers: HeaderMap,
    JsonBody(fields): JsonBody<UserFields>,
) -> Result<Response, ApiError> {
    let expected = if_match_version(&headers)?;
    let fields = checked(fields)?;
    let user = state
        .db
        .call(move |connection| {
            let transaction = connection.transaction()?;
            let user = find_by_id(&transaction, id)?;
            require_version(&user, expected)?;
            if user.fields == fields {
                // Nothing changed, so the version stays and no task is recorded.
                return Ok(user);
            }
            let errors = uniqueness_errors(&transaction, &fields, Some(id))?;
            if !errors.is_empty() {
                return Err(taken(errors));
            }
            let user = update_fields(&transaction, id, &fields)?;
            tasks::record_single(
                &transaction,
                kinds::UPDATE_USER,
                &admin.login_id,
                &user.fields.login_id,
            )?;
            transaction.commit()?;
            Ok(user)
        })
        .await?;
    Ok(with_etag(StatusCode::OK, &user))
}

/// Moves a user between active and pending deletion. `If-Match` is optional
/// here because the change does not overwrite anyone's edits.
async fn change_status(
    state: AppState,
    admin: Admin,
    id: i64,
    headers: &HeaderMap,
    target: UserStatus,
) -> Result<Response, ApiError> {
    let expected = match headers.get(header::IF_MATCH) {
        Some(_) => if_match_version(headers)?,
        None => None,
    };
    let user = state
        .db
        .call(move |connection| {
            let transaction = connection.transaction()?;
            let user = find_by_id(&transaction, id)?;
            require_version(&user, expected)?;
            if user.status == target {
                return Err(ApiError::Conflict {
                    detail: format!(
                        "User `{}` is already {}.",
                        user.fields.login_id,
                        target.title().to_lowercase()
                    ),
                    errors: Vec::new(),
                });
            }
            let kind = match target {
                UserStatus::PendingDeletion => kinds::REMOVE_USER,
                UserStatus::Active => kinds::RESTORE_USER,
            };
            let user = set_status(&transaction, id, target)?;
            tasks::record_single(&transaction, kind, &admin.login_id, &user.fields.login_id)?;
            transaction.commit()?;
            Ok(user)
        })
        .await?;
    Ok(with_etag(StatusCode::OK, &user))
}

/// `POST /users/{id}/remove`: moves the user to pending deletion.
pub async fn remove(
    State(state): State<AppState>,
    admin: Admin,
    PathParams(id): PathParams<i64>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    change_status(state, admin, id, &headers, UserStatus::PendingDeletion).await
}

/// `POST /users/{id}/restore`: brings a user back from pending deletion.
pub async fn restore(
    State(state): State<AppState>,
    admin: Admin,
    PathParams(id): PathParams<i64>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    change_status(state, admin, id, &headers, UserStatus::Active).await
}

/// `POST /users/{id}/erase`: deletes a user pending deletion for good, once
/// the administrator has retyped the login id.
pub async fn erase(
    State(state): State<AppState>,
    admin: Admin,
    PathParams(id): PathParams<i64>,
    JsonBody(request): JsonBody<EraseRequest>,
) -> Result<StatusCode, ApiError> {
    state
        .db
        .call(move |connection| {
            let transaction = connection.transaction()?;
            let user = find_by_id(&transaction, id)?;
            if user.status != UserStatus::PendingDeletion {
                return Err(ApiError::Conflict {
                    detail: format!(
                        "User `{}` is active; remove it to pending deletion before erasing it.",
                        user.fields.login_id
                    ),
                    errors: Vec::new(),
                });
            }
            if request.confirm_login_id.trim() != user.fields.login_id {
                return Err(ApiError::field(
                    "confirm_login_id",
                    format!("Type the login ID `{}` exactly to confirm.", user.fields.login_id),
                ));
            }
            transaction.execute("DELETE FROM users WHERE id = ?1", [id])?;
            tasks::record_single(
                &transaction,
                kinds::ERASE_USER,
                &admin.login_id,
                &user.fields.login_id,
            )?;
            transaction.commit()?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
