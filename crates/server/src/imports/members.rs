//! Group member files. Both the group and the user of a row must exist.
//! Adding a member twice or removing a non-member is an error, because the
//! row would change nothing and most likely names the wrong group or user.

use gatehouse_core::api::{TaskRow, UserStatus};
use gatehouse_core::catalog::{kinds, TaskKind};
use gatehouse_core::csv::engine::{Change, Validation};
use gatehouse_core::csv::members::{self, MemberAction, MemberRow};
use rusqlite::Connection;

use super::{outcome_row, ImportFormat, TenantProblem};
use crate::error::ApiError;
use crate::groups as group_store;
use crate::shift_jis::decode_cp932;
use crate::users as user_store;

pub struct Members;

fn change_of(action: MemberAction) -> Change {
    match action {
        MemberAction::Add => Change::Create,
        MemberAction::Remove => Change::Delete,
    }
}

/// Why the tenant rejects a row: the column at fault and the message.
type Rejection = (&'static str, String);

/// The stored group and user a row names, or why the tenant rejects it.
fn resolve(
    connection: &Connection,
    row: &MemberRow,
) -> Result<Result<(i64, i64), Rejection>, ApiError> {
    let Some(group) = group_store::find_by_group_id(connection, &row.group_id)? else {
        return Ok(Err((
            "group_id",
            format!(
                "No group has the group ID `{}`; create the group first or fix the spelling.",
                row.group_id
            ),
        )));
    };
    let Some(user) = user_store::find_by_login_id(connection, &row.login_id)? else {
        return Ok(Err((
            "login_id",
            format!(
                "No user has the login ID `{}`; create the user first or fix the spelling.",
                row.login_id
            ),
        )));
    };
    if row.action == MemberAction::Add && user.status == UserStatus::PendingDeletion {
        return Ok(Err((
            "login_id",
            format!(
                "User `{}` is pending deletion; restore the user before adding it to a group.",
                row.login_id
            ),
        )));
    }
    let member = group_store::is_member(connection, group.id, user.id)?;
    let problem = match (row.action, member) {
        (MemberAction::Add, true) => Some(format!(
            "User `{}` is already a member of group `{}`.",
            row.login_id, row.group_id
        )),
        (MemberAction::Remove, false) => Some(format!(
            "User `{}` is not a member of group `{}`, so there is nothing to remove.",
            row.login_id, row.group_id
        )),
        _ => None,
    };
    Ok(match problem {
        Some(message) => Err(("login_id", message)),
        None => Ok((group.id, user.id)),
    })
}

impl ImportFormat for Members {
    type Row = MemberRow;

    const VALIDATE: [TaskKind; 3] =
        [kinds::VALIDATE_MEMBER_CSV, kinds::VALIDATE_MEMBER_INTEGRITY, kinds::VALIDATE_MEMBER];

    fn validate(bytes: &[u8]) -> Validation<MemberRow> {
        members::validate_bytes(bytes, &decode_cp932, &mut |_| {})
    }

    fn tenant_problem(
        connection: &Connection,
        row: &MemberRow,
    ) -> Result<Option<TenantProblem>, ApiError> {
        let problem = resolve(connection, row)?.err();
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
        rows: &[MemberRow],
    ) -> Result<Vec<(TaskKind, Vec<TaskRow>)>, ApiError> {
        let mut outcomes = Vec::new();
        for (action, kind) in [
            (MemberAction::Add, kinds::IMPORT_MEMBER_ADD),
            (MemberAction::Remove, kinds::IMPORT_MEMBER_REMOVE),
        ] {
            let mut task_rows = Vec::new();
            for row in rows.iter().filter(|row| row.action == action) {
                let key = format!("{} / {}", row.group_id, row.login_id);
                let result = match resolve(connection, row)? {
                    Ok((group, user)) if action == MemberAction::Add => {
                        group_store::add_member(connection, group, user).map_err(|e| e.to_string())
                    }
                    Ok((group, user)) => group_store::remove_member(connection, group, user)
                        .map_err(|e| e.to_string()),
                    Err((_, message)) => Err(message),
                };
                task_rows.push(outcome_row(row.row, &key, result));
            }
            outcomes.push((kind, task_rows));
        }
        Ok(outcomes)
    }

    fn template() -> String {
        members::template()
    }
}
