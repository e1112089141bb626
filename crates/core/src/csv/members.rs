//! The group members import format.
//!
//! Header: `action,group_id,login_id`. `action` is `add` or `remove`.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::engine::{self, Change, Position, RowChecker, RowContext, Schema, Validation};
use super::header::ColumnSpec;
use super::CsvKind;
use crate::rules::{fold_key, GroupField, UserField};

/// The header of the group members format, in order.
pub const HEADER: [&str; 3] = ["action", "group_id", "login_id"];

pub const COLUMNS: &[ColumnSpec] = &[
    ColumnSpec { name: "action", aliases: &["操作", "処理"], always_required: true },
    ColumnSpec {
        name: "group_id",
        aliases: &["group", "groupid", "グループid"],
        always_required: true,
    },
    ColumnSpec {
        name: "login_id",
        aliases: &["login", "loginid", "user_id", "userid", "username", "member", "ログインid"],
        always_required: true,
    },
];

const SCHEMA: Schema = Schema::new(CsvKind::GroupMembers, COLUMNS);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberAction {
    Add,
    Remove,
}

impl MemberAction {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberAction::Add => "add",
            MemberAction::Remove => "remove",
        }
    }

    fn parse(value: &str) -> Option<MemberAction> {
        engine::parse_keyword(
            value,
            &[("add", MemberAction::Add), ("remove", MemberAction::Remove)],
        )
    }
}

/// A group members row that passed validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    pub row: u32,
    pub line_start: u32,
    pub line_end: u32,
    pub action: MemberAction,
    pub group_id: String,
    pub login_id: String,
}

/// Validates a group members file; arguments as in
/// [`super::users::validate_bytes_with_progress`]. In the preview, added
/// members count as created and removed ones as deleted.
pub fn validate_bytes(
    bytes: &[u8],
    decode_shift_jis: &dyn Fn(&[u8]) -> Option<String>,
    progress: &mut dyn FnMut(f64),
) -> Validation<MemberRow> {
    engine::validate_bytes(&SCHEMA, MemberChecker::default(), bytes, decode_shift_jis, progress)
}

#[derive(Default)]
struct MemberChecker {
    pairs: HashMap<(String, String), (u32, MemberAction, String)>,
}

impl RowChecker for MemberChecker {
    type Row = MemberRow;

    fn check(&mut self, row: &mut RowContext<'_>, values: &[&str]) -> Option<Change> {
        let value = |index: usize| values.get(index).copied().unwrap_or_default().to_owned();
        let action_value = value(0);
        let action = row.parse_action(&action_value, MemberAction::parse, "add or remove")?;
        let member = MemberRow {
            row: row.row,
            line_start: row.line_start,
            line_end: row.line_end,
            action,
            group_id: value(1),
            login_id: value(2),
        };
        if let Some(issue) = GroupField::GroupId.check(&member.group_id, true) {
            row.report(Some("group_id"), issue.severity, issue.code, issue.message);
        }
        if let Some(issue) = UserField::LoginId.check(&member.login_id, true) {
            row.report(Some("login_id"), issue.severity, issue.code, issue.message);
        }
        self.check_duplicate(row, &member);
        let change = match action {
            MemberAction::Add => Change::Create,
            MemberAction::Remove => Change::Delete,
        };
        Some(change)
    }

    fn build(&self, position: Position, values: &[&str]) -> MemberRow {
        let value = |index: usize| values.get(index).copied().unwrap_or_default().to_owned();
        MemberRow {
            row: position.row,
            line_start: position.line_start,
            line_end: position.line_end,
            // `check` passed the row, so its action parsed.
            action: MemberAction::parse(&value(0)).unwrap_or(MemberAction::Add),
            group_id: value(1),
            login_id: value(2),
        }
    }
}

impl MemberChecker {
    fn check_duplicate(&mut self, row: &mut RowContext<'_>, member: &MemberRow) {
        if member.group_id.is_empty() || member.login_id.is_empty() {
            return;
        }
        let key = (fold_key(&member.group_id), fold_key(&member.login_id));
        let typed = format!("{} / {}", member.group_id, member.login_id);
        let Some((first_row, first_action, first_typed)) = self.pairs.get(&key) else {
            self.pairs.insert(key, (row.row, member.action, typed));
            return;
        };
        let case_note = if *first_typed == typed {
            String::new()
        } else {
            format!(" (`{first_typed}`), differing only in letter case")
        };
        let (code, message) = if *first_action == member.action {
            (
                "duplicate_key",
                format!("Member `{typed}` duplicates row {first_row}{case_note}; name each membership once."),
            )
        } else {
            (
                "conflicting_actions",
                format!(
                    "Member `{typed}` conflicts with row {first_row}{case_note}, which has the action {}; \
                     a file may add or remove a membership, not both.",
                    first_action.as_str()
                ),
            )
        };
        row.report_integrity(Some("login_id"), code, message);
    }
}

/// Builds the template a console offers for download.
pub fn template() -> String {
    format!("{}\r\nadd,sales,aiko.tanaka\r\n", HEADER.join(","))
}
