//! The groups import format.
//!
//! Header: `action,group_id,name,description`. `action` is `create`,
//! `update` or `delete`. An empty cell in an update row leaves that field
//! unchanged.

use serde::{Deserialize, Serialize};

use super::engine::{self, Change, Position, RowChecker, RowContext, Schema, Validation};
use super::header::ColumnSpec;
use super::keys::{FirstUse, KeyMap};
use super::{CsvKind, CsvReport};
use crate::rules::GroupField;
use crate::Severity;

/// The header of the groups format, in order.
pub const HEADER: [&str; 4] = ["action", "group_id", "name", "description"];

pub const COLUMNS: &[ColumnSpec] = &[
    ColumnSpec { name: "action", aliases: &["操作", "処理"], always_required: true },
    ColumnSpec {
        name: "group_id",
        aliases: &["group", "groupid", "グループid"],
        always_required: true,
    },
    ColumnSpec {
        name: "name",
        aliases: &["group_name", "グループ名", "名前"],
        always_required: false,
    },
    ColumnSpec { name: "description", aliases: &["説明"], always_required: false },
];

const SCHEMA: Schema = Schema::new(CsvKind::Groups, COLUMNS);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupAction {
    Create,
    Update,
    Delete,
}

impl GroupAction {
    pub fn as_str(self) -> &'static str {
        match self {
            GroupAction::Create => "create",
            GroupAction::Update => "update",
            GroupAction::Delete => "delete",
        }
    }

    fn parse(value: &str) -> Option<GroupAction> {
        let actions = [
            ("create", GroupAction::Create),
            ("update", GroupAction::Update),
            ("delete", GroupAction::Delete),
        ];
        engine::parse_keyword(value, &actions)
    }
}

/// A groups row that passed validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRow {
    pub row: u32,
    pub line_start: u32,
    pub line_end: u32,
    pub action: GroupAction,
    pub group_id: String,
    pub name: String,
    pub description: String,
}

/// Validates a groups file; arguments as in [`super::users::validate_bytes_with_progress`].
pub fn validate_bytes(
    bytes: &[u8],
    decode_shift_jis: &dyn Fn(&[u8]) -> Option<String>,
    progress: &mut dyn FnMut(f64),
) -> Validation<GroupRow> {
    engine::validate_bytes(&SCHEMA, GroupChecker::default(), bytes, decode_shift_jis, progress)
}

/// Validates like [`validate_bytes`] but builds no typed rows, as
/// [`super::users::report_bytes`] does for users.
pub fn report_bytes(
    bytes: &[u8],
    decode_shift_jis: &dyn Fn(&[u8]) -> Option<String>,
    progress: &mut dyn FnMut(f64),
) -> CsvReport {
    engine::report_bytes(&SCHEMA, GroupChecker::default(), bytes, decode_shift_jis, progress)
}

#[derive(Default)]
struct GroupChecker {
    group_ids: KeyMap<FirstUse<GroupAction>>,
}

impl RowChecker for GroupChecker {
    type Row = GroupRow;

    fn check(&mut self, row: &mut RowContext<'_>, values: &[&str]) -> Option<Change> {
        let value = |index: usize| values.get(index).copied().unwrap_or_default();
        let action = row.parse_action(value(0), GroupAction::parse, "create, update or delete")?;
        let (group_id, name, description) = (value(1), value(2), value(3));
        let checks = [
            (GroupField::GroupId, 1, group_id, true),
            (GroupField::Name, 2, name, action == GroupAction::Create),
            (GroupField::Description, 3, description, false),
        ];
        for (field, column, field_value, required) in checks {
            if action == GroupAction::Delete && field != GroupField::GroupId {
                continue;
            }
            if required && !row.require_column(column) {
                continue;
            }
            if let Some(issue) = field.check(field_value, required) {
                row.report(Some(field.name()), issue.severity, issue.code, issue.message);
            }
        }
        // Recorded before an empty update returns, as for users.
        self.check_duplicate(row, group_id, action);
        if action == GroupAction::Update && name.is_empty() && description.is_empty() {
            let message = format!(
                "The update of group `{group_id}` names no change: name and description are \
                 empty. Fill in what to change or remove the row; it will be skipped."
            );
            row.report(None, Severity::Warning, "update_without_change", message);
            return Some(Change::None);
        }
        let change = match action {
            GroupAction::Create => Change::Create,
            GroupAction::Update => Change::Update,
            GroupAction::Delete => Change::Delete,
        };
        Some(change)
    }

    fn build(position: Position, values: &[&str]) -> GroupRow {
        let value = |index: usize| values.get(index).copied().unwrap_or_default().to_owned();
        GroupRow {
            row: position.row,
            line_start: position.line_start,
            line_end: position.line_end,
            // `check` passed the row, so its action parsed.
            action: GroupAction::parse(&value(0)).unwrap_or(GroupAction::Update),
            group_id: value(1),
            name: value(2),
            description: value(3),
        }
    }

    fn reserve(&mut self, rows_read: usize, additional_rows: usize) {
        self.group_ids.reserve_for_rows(rows_read, additional_rows);
    }
}

impl GroupChecker {
    fn check_duplicate(&mut self, row: &mut RowContext<'_>, group_id: &str, action: GroupAction) {
        if group_id.is_empty() {
            return;
        }
        let use_here = FirstUse { row: row.row, action };
        let Some(earlier) = self.group_ids.get_or_insert(group_id, use_here) else { return };
        let (first, first_value) = (earlier.data, earlier.typed);
        let case_note = engine::case_note(first_value != group_id, &engine::excerpt(first_value));
        let group_id = engine::excerpt(group_id);
        let (code, message) = if first.action == action {
            (
                "duplicate_key",
                format!(
                    "Group ID `{group_id}` duplicates row {}{case_note}; name each group once.",
                    first.row
                ),
            )
        } else {
            (
                "conflicting_actions",
                format!(
                    "Group ID `{group_id}` conflicts with row {}{case_note}, which has the action \
                     {}; name each group in one row only.",
                    first.row,
                    first.action.as_str()
                ),
            )
        };
        row.report_integrity(Some("group_id"), code, message);
    }
}

/// Builds the template a console offers for download.
pub fn template() -> String {
    format!("{}\r\ncreate,sales,Sales,Everyone in sales\r\n", HEADER.join(","))
}
