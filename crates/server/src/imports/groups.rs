//! Groups files: a create needs a new group id; an update or delete needs an
//! existing group.

use gatehouse_core::api::TaskRow;
use gatehouse_core::catalog::{kinds, TaskKind};
use gatehouse_core::csv::engine::{Change, Validation};
use gatehouse_core::csv::groups::{self, GroupAction, GroupRow};
use rusqlite::Connection;

use super::{outcome_row, ImportFormat, TenantProblem};
use crate::error::ApiError;
use crate::groups as group_store;
use crate::shift_jis::decode_cp932;

pub struct Groups;

fn change_of(action: GroupAction) -> Change {
    match action {
        GroupAction::Create => Change::Create,
        GroupAction::Update => Change::Update,
        GroupAction::Delete => Change::Delete,
    }
}

fn apply_row(connection: &Connection, row: &GroupRow) -> Result<(), String> {
    let existing =
        group_store::find_by_group_id(connection, &row.group_id).map_err(|e| e.to_string())?;
    let result = match (row.action, existing) {
        (GroupAction::Create, None) => {
            group_store::insert(connection, &row.group_id, &row.name, &row.description)
        }
        (GroupAction::Update, Some(group)) => {
            group_store::update(connection, group.id, &row.name, &row.description)
        }
        (GroupAction::Delete, Some(group)) => group_store::delete(connection, group.id),
        (GroupAction::Create, Some(_)) => return Err("the group already exists".to_owned()),
        (_, None) => return Err("no group has this group ID".to_owned()),
    };
    result.map_err(|e| e.to_string())
}

impl ImportFormat for Groups {
    type Row = GroupRow;

    const VALIDATE: [TaskKind; 3] =
        [kinds::VALIDATE_GROUP_CSV, kinds::VALIDATE_GROUP_INTEGRITY, kinds::VALIDATE_GROUP];

    fn validate(bytes: &[u8]) -> Validation<GroupRow> {
        groups::validate_bytes(bytes, &decode_cp932, &mut |_| {})
    }

    fn tenant_problem(
        connection: &Connection,
        row: &GroupRow,
    ) -> Result<Option<TenantProblem>, ApiError> {
        let exists = group_store::find_by_group_id(connection, &row.group_id)?.is_some();
        let message = match (row.action, exists) {
            (GroupAction::Create, true) => format!(
                "Group `{}` already exists; use the action update to change it.",
                row.group_id
            ),
            (GroupAction::Update, false) => format!(
                "No group has the group ID `{}`; check the spelling or use the action create.",
                row.group_id
            ),
            (GroupAction::Delete, false) => format!(
                "No group has the group ID `{}`; check the spelling or remove the row.",
                row.group_id
            ),
            _ => return Ok(None),
        };
        Ok(Some(TenantProblem {
            row: row.row,
            line_start: row.line_start,
            line_end: row.line_end,
            column: "group_id",
            change: change_of(row.action),
            message,
        }))
    }

    fn apply(
        connection: &Connection,
        rows: &[GroupRow],
    ) -> Result<Vec<(TaskKind, Vec<TaskRow>)>, ApiError> {
        let mut outcomes = Vec::new();
        for (action, kind) in [
            (GroupAction::Create, kinds::IMPORT_GROUP_CREATE),
            (GroupAction::Update, kinds::IMPORT_GROUP_UPDATE),
            (GroupAction::Delete, kinds::IMPORT_GROUP_DELETE),
        ] {
            let task_rows = rows
                .iter()
                .filter(|row| row.action == action)
                .map(|row| outcome_row(row.row, &row.group_id, apply_row(connection, row)))
                .collect();
            outcomes.push((kind, task_rows));
        }
        Ok(outcomes)
    }

    fn template() -> String {
        groups::template()
    }
}
