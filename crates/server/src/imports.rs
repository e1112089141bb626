//! Users CSV import: validation, which records the `validate.user` tasks, and
//! the import itself, which records one `import.user` task per action.
//!
//! The server runs the same validator as the console, because it trusts no
//! client, and adds the checks that need the tenant's data: an update or
//! delete of an unknown user and a create of an existing one.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use gatehouse_core::api::{ImportOutcome, Task, TaskRow, UserFields, UserStatus};
use gatehouse_core::catalog::{kinds, TaskKind};
use gatehouse_core::csv::users::{self, UserAction, UserRow, UsersValidation};
use gatehouse_core::{Finding, Severity, Stage};
use rusqlite::Connection;

use crate::auth::Admin;
use crate::error::ApiError;
use crate::idempotency::{self, StoredResponse};
use crate::tasks::{self, TaskRecord};
use crate::users as user_store;
use crate::AppState;

fn decode_cp932(bytes: &[u8]) -> Option<String> {
    let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(bytes);
    (!had_errors).then(|| text.into_owned())
}

/// Reads the percent-encoded `X-File-Name` header, which names the task's
/// target; without it the target is `users.csv`.
fn file_name(headers: &HeaderMap) -> String {
    headers
        .get("x-file-name")
        .and_then(|v| v.to_str().ok())
        .map(|encoded| percent_decode(encoded).unwrap_or_else(|| encoded.to_owned()))
        .map(|name| name.chars().filter(|c| !c.is_control()).take(200).collect::<String>())
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| "users.csv".to_owned())
}

/// Decodes `%XX` escapes; returns `None` when an escape or the UTF-8 they
/// spell is invalid.
fn percent_decode(text: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&byte, tail)) = rest.split_first() {
        if byte == b'%' {
            let hex = std::str::from_utf8(tail.get(..2)?).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            rest = &tail[2..];
        } else {
            bytes.push(byte);
            rest = tail;
        }
    }
    String::from_utf8(bytes).ok()
}

/// Adds the findings that need the tenant's users and drops rows that fail.
fn check_against_tenant(
    connection: &Connection,
    validation: &mut UsersValidation,
) -> Result<(), ApiError> {
    let mut passed_rows = Vec::with_capacity(validation.rows.len());
    for row in validation.rows.drain(..) {
        let existing = user_store::find_by_login_id(connection, &row.fields.login_id)?;
        let problem = match (row.action, &existing) {
            (UserAction::Create, Some(_)) => Some((
                "login_id",
                format!(
                    "User `{}` already exists; use the action update to change it.",
                    row.fields.login_id
                ),
            )),
            (UserAction::Update | UserAction::Delete, None) => Some((
                "login_id",
                format!(
                    "No user has the login ID `{}`; check the spelling or use the action create.",
                    row.fields.login_id
                ),
            )),
            (UserAction::Delete, Some(user)) if user.status == UserStatus::PendingDeletion => {
                Some((
                    "login_id",
                    format!("User `{}` is already pending deletion.", row.fields.login_id),
                ))
            }
            _ => None,
        }
        .or_else(|| {
            email_conflict(connection, &row, existing.as_ref().map(|u| u.id)).ok().flatten()
        });
        match problem {
            Some((column, message)) => {
                let mut finding = Finding::new(Severity::Error, "tenant_conflict", message);
                finding.stage = Stage::IntegrityCheck;
                finding.row = Some(row.row);
                finding.line_start = Some(row.line_start);
                finding.column = Some(column.to_owned());
                validation.report.findings.push(finding);
                validation.report.valid_rows = validation.report.valid_rows.saturating_sub(1);
                let changes = &mut validation.report.changes;
                match row.action {
                    UserAction::Create => changes.create = changes.create.saturating_sub(1),
                    UserAction::Update => changes.update = changes.update.saturating_sub(1),
                    UserAction::Delete => changes.delete = changes.delete.saturating_sub(1),
                }
            }
            None => passed_rows.push(row),
        }
    }
    validation.rows = passed_rows;
    // File-level findings first, then by row, as the console lists them.
    validation.report.findings.sort_by_key(|finding| finding.row);
    validation.report.recount();
    Ok(())
}

fn email_conflict(
    connection: &Connection,
    row: &UserRow,
    own_id: Option<i64>,
) -> Result<Option<(&'static str, String)>, ApiError> {
    if row.action == UserAction::Delete || row.fields.email.is_empty() {
        return Ok(None);
    }
    let probe = UserFields { login_id: String::new(), ..row.fields.clone() };
    let errors = user_store::uniqueness_errors(connection, &probe, own_id)?;
    Ok(errors.into_iter().find(|e| e.field == "email").map(|e| ("email", e.message)))
}

fn rows_of_stage(validation: &UsersValidation, stage: Stage) -> Vec<TaskRow> {
    validation
        .report
        .findings
        .iter()
        .filter(|f| f.stage == stage && f.severity == Severity::Error)
        .map(|f| TaskRow {
            row: f.row.unwrap_or(0),
            key: f.column.clone().unwrap_or_default(),
            ok: false,
            message: f.message.clone(),
        })
        .collect()
}

/// Validates the file and records `validate.user` tasks: `csv_validation`,
/// then `integrity_check`, then `validate` for the file as a whole.
fn validate_and_record(
    connection: &Connection,
    bytes: &[u8],
    actor: &str,
    target: &str,
) -> Result<(UsersValidation, Vec<Task>), ApiError> {
    let mut validation = users::validate_bytes(bytes, &decode_cp932);
    check_against_tenant(connection, &mut validation)?;
    let total = validation.report.rows;
    let mut recorded = Vec::new();
    for (kind, stage) in [
        (kinds::VALIDATE_USER_CSV, Stage::CsvValidation),
        (kinds::VALIDATE_USER_INTEGRITY, Stage::IntegrityCheck),
    ] {
        let rows = rows_of_stage(&validation, stage);
        recorded.push(tasks::record(
            connection,
            TaskRecord { kind, actor, target, rows: &rows, total },
        )?);
    }
    let all_errors: Vec<TaskRow> = [Stage::CsvValidation, Stage::IntegrityCheck]
        .into_iter()
        .flat_map(|stage| rows_of_stage(&validation, stage))
        .collect();
    recorded.push(tasks::record(
        connection,
        TaskRecord { kind: kinds::VALIDATE_USER, actor, target, rows: &all_errors, total },
    )?);
    Ok((validation, recorded))
}

/// `POST /imports/users/validate`: validates a users CSV and previews it.
pub async fn validate(
    State(state): State<AppState>,
    admin: Admin,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<ImportOutcome>, ApiError> {
    let target = file_name(&headers);
    let outcome = state
        .db
        .call(move |connection| {
            let transaction = connection.transaction()?;
            let (validation, tasks) =
                validate_and_record(&transaction, &body, &admin.login_id, &target)?;
            transaction.commit()?;
            Ok(ImportOutcome { report: validation.report, tasks })
        })
        .await?;
    Ok(Json(outcome))
}

fn apply_row(connection: &Connection, row: &UserRow) -> Result<(), String> {
    let existing = user_store::find_by_login_id(connection, &row.fields.login_id)
        .map_err(|e| e.to_string())?;
    match (row.action, existing) {
        (UserAction::Create, None) => {
            user_store::insert(connection, &row.fields).map_err(|e| e.to_string())?;
        }
        (UserAction::Update, Some(user)) => {
            let mut merged = user.fields.clone();
            for field in gatehouse_core::rules::UserField::ALL {
                let value = field.get(&row.fields);
                if !value.is_empty() {
                    *field.get_mut(&mut merged) = value.to_owned();
                }
            }
            user_store::update_fields(connection, user.id, &merged).map_err(|e| e.to_string())?;
        }
        (UserAction::Delete, Some(user)) => {
            user_store::set_status(connection, user.id, UserStatus::PendingDeletion)
                .map_err(|e| e.to_string())?;
        }
        (UserAction::Create, Some(_)) => return Err("the user already exists".to_owned()),
        (_, None) => return Err("no user has this login ID".to_owned()),
    }
    Ok(())
}

fn import_kind(action: UserAction) -> TaskKind {
    match action {
        UserAction::Create => kinds::IMPORT_USER_CREATE,
        UserAction::Update => kinds::IMPORT_USER_UPDATE,
        UserAction::Delete => kinds::IMPORT_USER_DELETE,
    }
}

/// `POST /imports/users`: validates again and, when the file has no
/// errors, applies it in one transaction. Each row's outcome is kept in the
/// task of its action.
pub async fn import(
    State(state): State<AppState>,
    admin: Admin,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let key = idempotency::key_from(&headers)?;
    let target = file_name(&headers);
    let response = state
        .db
        .call(move |connection| {
            let transaction = connection.transaction()?;
            if let Some(key) = &key {
                if let Some(stored) =
                    idempotency::replay(&transaction, admin.id, key, "POST /imports/users")?
                {
                    return Ok(stored);
                }
            }
            let (validation, mut recorded) =
                validate_and_record(&transaction, &body, &admin.login_id, &target)?;
            if validation.report.has_errors() {
                // The validation tasks stay in the log even though nothing is imported.
                transaction.commit()?;
                return Err(ApiError::CsvRejected(Box::new(validation.report)));
            }
            for action in [UserAction::Create, UserAction::Update, UserAction::Delete] {
                let rows: Vec<TaskRow> = validation
                    .rows
                    .iter()
                    .filter(|row| row.action == action)
                    .map(|row| match apply_row(&transaction, row) {
                        Ok(()) => TaskRow {
                            row: row.row,
                            key: row.fields.login_id.clone(),
                            ok: true,
                            message: String::new(),
                        },
                        Err(message) => TaskRow {
                            row: row.row,
                            key: row.fields.login_id.clone(),
                            ok: false,
                            message,
                        },
                    })
                    .collect();
                if rows.is_empty() {
                    continue;
                }
                let record = TaskRecord {
                    kind: import_kind(action),
                    actor: &admin.login_id,
                    target: &target,
                    rows: &rows,
                    total: 0,
                };
                recorded.push(tasks::record(&transaction, record)?);
            }
            let outcome = ImportOutcome { report: validation.report, tasks: recorded };
            let stored = StoredResponse {
                status: StatusCode::OK.as_u16(),
                etag: None,
                body: serde_json::to_string(&outcome)
                    .map_err(|e| ApiError::internal(e.to_string()))?,
            };
            if let Some(key) = &key {
                idempotency::store(&transaction, admin.id, key, "POST /imports/users", &stored)?;
            }
            transaction.commit()?;
            Ok(stored)
        })
        .await?;
    Ok(response.into_response())
}

/// `GET /imports/users/template`: a users CSV to fill in.
pub async fn template(_admin: Admin) -> Response {
    let mut response = users::template().into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"users-template.csv\""),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::percent_decode;

    #[test]
    fn percent_decode_reads_japanese_name() {
        assert_eq!(percent_decode("%E7%A4%BE%E5%93%A1.csv").as_deref(), Some("社員.csv"));
        assert_eq!(percent_decode("users%20(1).csv").as_deref(), Some("users (1).csv"));
    }

    #[test]
    fn percent_decode_rejects_broken_escape() {
        assert_eq!(percent_decode("100%.csv"), None);
        assert_eq!(percent_decode("%FF.csv"), None);
    }
}
