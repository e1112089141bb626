//! Users files: a create needs a new login id and email; an update or
//! delete needs an existing user.

use gatehouse_core::api::{TaskRow, UserFields, UserStatus};
use gatehouse_core::catalog::{kinds, TaskKind};
use gatehouse_core::csv::engine::{Change, Validation};
use gatehouse_core::csv::users::{self, UserAction, UserRow};
use gatehouse_core::rules::UserField;
use rusqlite::Connection;

use super::{outcome_row, ImportFormat, TenantProblem};
use crate::error::ApiError;
use crate::shift_jis::decode_cp932;
use crate::users as user_store;

pub struct Users;

fn change_of(action: UserAction) -> Change {
    match action {
        UserAction::Create => Change::Create,
        UserAction::Update => Change::Update,
        UserAction::Delete => Change::Delete,
    }
}

/// Returns why the tenant rejects a row, with the column at fault.
fn tenant_problem(
    connection: &Connection,
    row: &UserRow,
) -> Result<Option<(&'static str, String)>, ApiError> {
    let login_id = row.field(UserField::LoginId);
    let existing = user_store::find_by_login_id(connection, login_id)?;
    let problem = match (row.action, &existing) {
        (UserAction::Create, Some(_)) => {
            Some(format!("User `{login_id}` already exists; use the action update to change it."))
        }
        (UserAction::Update, None) => Some(format!(
            "No user has the login ID `{login_id}`; check the spelling or use the action create."
        )),
        (UserAction::Delete, None) => Some(format!(
            "No user has the login ID `{login_id}`; check the spelling or remove the row."
        )),
        (UserAction::Delete, Some(user)) if user.status == UserStatus::PendingDeletion => {
            Some(format!("User `{login_id}` is already pending deletion."))
        }
        _ => None,
    };
    if let Some(message) = problem {
        return Ok(Some(("login_id", message)));
    }
    if row.action == UserAction::Delete || row.field(UserField::Email).is_empty() {
        return Ok(None);
    }
    let probe = UserFields { login_id: String::new(), ..row.fields() };
    let errors = user_store::uniqueness_errors(connection, &probe, existing.map(|u| u.id))?;
    Ok(errors.into_iter().find(|e| e.field == "email").map(|e| ("email", e.message)))
}

fn apply_row(connection: &Connection, row: &UserRow) -> Result<(), String> {
    let existing = user_store::find_by_login_id(connection, row.field(UserField::LoginId))
        .map_err(|e| e.to_string())?;
    match (row.action, existing) {
        (UserAction::Create, None) => {
            user_store::insert(connection, &row.fields()).map_err(|e| e.to_string())?;
        }
        (UserAction::Update, Some(user)) => {
            let mut merged = user.fields.clone();
            // The login ID is the row's key, found regardless of letter case,
            // so an update keeps the stored spelling instead of renaming it.
            for field in UserField::ALL.into_iter().filter(|&f| f != UserField::LoginId) {
                let value = row.field(field);
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

impl ImportFormat for Users {
    type Row = UserRow;

    const VALIDATE: [TaskKind; 3] =
        [kinds::VALIDATE_USER_CSV, kinds::VALIDATE_USER_INTEGRITY, kinds::VALIDATE_USER];

    fn validate(bytes: &[u8]) -> Validation<UserRow> {
        users::validate_bytes(bytes, &decode_cp932)
    }

    fn tenant_problem(
        connection: &Connection,
        row: &UserRow,
    ) -> Result<Option<TenantProblem>, ApiError> {
        let problem = tenant_problem(connection, row)?;
        Ok(problem.map(|(column, message)| TenantProblem {
            row: row.row,
            line_start: row.line_start,
            line_end: row.line_end,
            column,
            change: change_of(row.action),
            message,
        }))
    }

    fn apply(
        connection: &Connection,
        rows: &[UserRow],
    ) -> Result<Vec<(TaskKind, Vec<TaskRow>)>, ApiError> {
        let mut outcomes = Vec::new();
        for (action, kind) in [
            (UserAction::Create, kinds::IMPORT_USER_CREATE),
            (UserAction::Update, kinds::IMPORT_USER_UPDATE),
            (UserAction::Delete, kinds::IMPORT_USER_DELETE),
        ] {
            let task_rows = rows
                .iter()
                .filter(|row| row.action == action)
                .map(|row| {
                    outcome_row(row.row, row.field(UserField::LoginId), apply_row(connection, row))
                })
                .collect();
            outcomes.push((kind, task_rows));
        }
        Ok(outcomes)
    }

    fn template() -> String {
        users::template()
    }
}
