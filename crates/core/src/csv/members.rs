//! The group members import format.
//!
//! Header: `action,group_id,login_id`. `action` is `add` or `remove`.

use serde::{Deserialize, Serialize};

use super::engine::{self, Change, Position, RowChecker, RowContext, Schema, Validation};
use super::header::ColumnSpec;
use super::keys::{FirstUse, KeyMap};
use super::{CsvKind, CsvReport};
use crate::rules::{GroupField, UserField};

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

/// Validates like [`validate_bytes`] but builds no typed rows, as
/// [`super::users::report_bytes`] does for users.
pub fn report_bytes(
    bytes: &[u8],
    decode_shift_jis: &dyn Fn(&[u8]) -> Option<String>,
    progress: &mut dyn FnMut(f64),
) -> CsvReport {
    engine::report_bytes(&SCHEMA, MemberChecker::default(), bytes, decode_shift_jis, progress)
}

/// Joins a group ID and a login ID into one key of the duplicate map. Only
/// a value with a control character, which is already an error, can contain
/// the separator, so two valid memberships never share a key.
const PAIR_SEPARATOR: char = '\u{1F}';

#[derive(Default)]
struct MemberChecker {
    pairs: KeyMap<FirstUse<MemberAction>>,
    /// Reused buffer for the pair of the current row.
    pair: String,
}

impl RowChecker for MemberChecker {
    type Row = MemberRow;

    fn check(&mut self, row: &mut RowContext<'_>, values: &[&str]) -> Option<Change> {
        let value = |index: usize| values.get(index).copied().unwrap_or_default();
        let action = row.parse_action(value(0), MemberAction::parse, "add or remove")?;
        let (group_id, login_id) = (value(1), value(2));
        if let Some(issue) = GroupField::GroupId.check(group_id, true) {
            row.report(Some("group_id"), issue.severity, issue.code, issue.message);
        }
        if let Some(issue) = UserField::LoginId.check(login_id, true) {
            row.report(Some("login_id"), issue.severity, issue.code, issue.message);
        }
        self.check_duplicate(row, group_id, login_id, action);
        let change = match action {
            MemberAction::Add => Change::Create,
            MemberAction::Remove => Change::Delete,
        };
        Some(change)
    }

    fn build(position: Position, values: &[&str]) -> MemberRow {
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

    fn reserve(&mut self, rows_read: usize, additional_rows: usize) {
        self.pairs.reserve_for_rows(rows_read, additional_rows);
    }
}

impl MemberChecker {
    fn check_duplicate(
        &mut self,
        row: &mut RowContext<'_>,
        group_id: &str,
        login_id: &str,
        action: MemberAction,
    ) {
        if group_id.is_empty() || login_id.is_empty() {
            return;
        }
        self.pair.clear();
        self.pair.push_str(group_id);
        self.pair.push(PAIR_SEPARATOR);
        self.pair.push_str(login_id);
        let use_here = FirstUse { row: row.row, action };
        let Some(earlier) = self.pairs.get_or_insert(&self.pair, use_here) else { return };
        let first = earlier.data;
        let typed = format!("{} / {}", engine::excerpt(group_id), engine::excerpt(login_id));
        let first_typed = match earlier.typed.split_once(PAIR_SEPARATOR) {
            Some((group, login)) => {
                format!("{} / {}", engine::excerpt(group), engine::excerpt(login))
            }
            None => engine::excerpt(earlier.typed),
        };
        // Compare the values in full: two long IDs may differ in case only
        // after the part the message shows.
        let case_note = engine::case_note(earlier.typed != self.pair, &first_typed);
        let (code, message) = if first.action == action {
            (
                "duplicate_key",
                format!(
                    "Member `{typed}` duplicates row {}{case_note}; name each membership once.",
                    first.row
                ),
            )
        } else {
            (
                "conflicting_actions",
                format!(
                    "Member `{typed}` conflicts with row {}{case_note}, which has the action {}; \
                     a file may add or remove a membership, not both.",
                    first.row,
                    first.action.as_str()
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
