//! The users import format.
//!
//! Header: `action,login_id,email,family_name,given_name,display_name,
//! department,title,phone`. `action` is `create`, `update` or `delete`;
//! `delete` moves the user to pending deletion. An empty cell in an update
//! row leaves that field unchanged.

use serde::{Deserialize, Serialize};

use super::engine::{self, Change, Position, RowChecker, RowContext, Schema, Validation};
use super::header::ColumnSpec;
use super::keys::{FirstUse, KeyMap};
use super::{CsvKind, CsvReport, Encoding};
use crate::api::UserFields;
use crate::rules::UserField;

pub use super::engine::PROGRESS_INTERVAL;

/// The header of the users format, in order.
pub const HEADER: [&str; 9] = [
    "action",
    "login_id",
    "email",
    "family_name",
    "given_name",
    "display_name",
    "department",
    "title",
    "phone",
];

/// Accepted header names, as [`super::header::normalize`] leaves them.
pub const COLUMNS: &[ColumnSpec] = &[
    ColumnSpec { name: "action", aliases: &["操作", "処理"], always_required: true },
    ColumnSpec {
        name: "login_id",
        aliases: &["login", "loginid", "user_id", "userid", "username", "ログインid", "ユーザーid"],
        always_required: true,
    },
    ColumnSpec {
        name: "email",
        aliases: &["mail", "e_mail", "email_address", "メールアドレス", "メール"],
        always_required: false,
    },
    ColumnSpec {
        name: "family_name",
        aliases: &["last_name", "surname", "姓"],
        always_required: false,
    },
    ColumnSpec { name: "given_name", aliases: &["first_name", "名"], always_required: false },
    ColumnSpec { name: "display_name", aliases: &["表示名"], always_required: false },
    ColumnSpec { name: "department", aliases: &["部署", "所属"], always_required: false },
    ColumnSpec { name: "title", aliases: &["job_title", "役職"], always_required: false },
    ColumnSpec {
        name: "phone",
        aliases: &["telephone", "phone_number", "電話番号"],
        always_required: false,
    },
];

const SCHEMA: Schema = Schema::new(CsvKind::Users, COLUMNS);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserAction {
    Create,
    Update,
    Delete,
}

impl UserAction {
    pub fn as_str(self) -> &'static str {
        match self {
            UserAction::Create => "create",
            UserAction::Update => "update",
            UserAction::Delete => "delete",
        }
    }

    fn parse(value: &str) -> Option<UserAction> {
        let actions = [
            ("create", UserAction::Create),
            ("update", UserAction::Update),
            ("delete", UserAction::Delete),
        ];
        engine::parse_keyword(value, &actions)
    }
}

/// A data row that passed validation, ready to import. Its field values
/// share one allocation, so an import of a million rows allocates a million
/// strings instead of up to eight million.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    pub row: u32,
    pub line_start: u32,
    pub line_end: u32,
    pub action: UserAction,
    /// The values of the fields in the order of [`UserField::ALL`], joined.
    values: Box<str>,
    /// End offset of each field's value in `values`. A valid row has at most
    /// 862 characters, so at most 3,448 bytes, and every end fits in a u16.
    ends: [u16; 8],
}

impl UserRow {
    /// Returns the value of `field`, empty when the file left it empty.
    pub fn field(&self, field: UserField) -> &str {
        let index = field as usize;
        let start = if index == 0 { 0 } else { usize::from(self.ends[index - 1]) };
        self.values.get(start..usize::from(self.ends[index])).unwrap_or_default()
    }

    /// Copies the values out into the fields the API takes.
    pub fn fields(&self) -> UserFields {
        let mut fields = UserFields::default();
        for field in UserField::ALL {
            field.get_mut(&mut fields).push_str(self.field(field));
        }
        fields
    }
}

pub type UsersValidation = Validation<UserRow>;

/// Validates a users file from its raw bytes. `decode_shift_jis` turns CP932
/// bytes into text; it returns `None` when the bytes do not decode.
pub fn validate_bytes(
    bytes: &[u8],
    decode_shift_jis: &dyn Fn(&[u8]) -> Option<String>,
) -> UsersValidation {
    validate_bytes_with_progress(bytes, decode_shift_jis, &mut |_| {})
}

/// Validates like [`validate_bytes`] and calls `progress` every
/// [`PROGRESS_INTERVAL`] records with the share of the decoded text read so
/// far, from 0.0 to 1.0.
pub fn validate_bytes_with_progress(
    bytes: &[u8],
    decode_shift_jis: &dyn Fn(&[u8]) -> Option<String>,
    progress: &mut dyn FnMut(f64),
) -> UsersValidation {
    engine::validate_bytes(&SCHEMA, UserChecker::default(), bytes, decode_shift_jis, progress)
}

/// Validates like [`validate_bytes_with_progress`] but builds no typed rows
/// and returns the same report. Consoles and scripts that only show the
/// report use it to save memory and time on large files.
pub fn report_bytes(
    bytes: &[u8],
    decode_shift_jis: &dyn Fn(&[u8]) -> Option<String>,
    progress: &mut dyn FnMut(f64),
) -> CsvReport {
    engine::report_bytes(&SCHEMA, UserChecker::default(), bytes, decode_shift_jis, progress)
}

/// Validates a users file that is already decoded; `encoding` is what the
/// file was encoded in, for the report.
pub fn validate_text(text: &str, encoding: Encoding) -> UsersValidation {
    engine::validate_text(&SCHEMA, UserChecker::default(), text, encoding, &mut |_| {})
}

#[derive(Default)]
struct UserChecker {
    login_ids: KeyMap<FirstUse<UserAction>>,
    emails: KeyMap<FirstUse<UserAction>>,
}

/// The schema column of a user field; column 0 is `action`, and the fields
/// follow in the order of [`UserField::ALL`], which a test checks.
fn column_of(field: UserField) -> usize {
    field as usize + 1
}

impl RowChecker for UserChecker {
    type Row = UserRow;

    fn check(&mut self, row: &mut RowContext<'_>, values: &[&str]) -> Option<Change> {
        let action_value = values.first().copied().unwrap_or_default();
        let action =
            row.parse_action(action_value, UserAction::parse, "create, update or delete")?;
        let value_of = |field: UserField| values.get(column_of(field)).copied().unwrap_or_default();

        for field in UserField::ALL {
            let required =
                field == UserField::LoginId || (action == UserAction::Create && field.required());
            if required && !row.require_column(column_of(field)) {
                continue;
            }
            if action == UserAction::Delete && field != UserField::LoginId {
                continue;
            }
            if let Some(issue) = field.check(value_of(field), required) {
                row.report(Some(field.name()), issue.severity, issue.code, issue.message);
            }
        }

        // The key is recorded before an empty update returns, so that a later
        // row that deletes the same user still conflicts with it.
        let login_id = value_of(UserField::LoginId);
        self.check_duplicate(row, UserField::LoginId, login_id, action);
        let unchanged = UserField::ALL
            .iter()
            .all(|&field| field == UserField::LoginId || value_of(field).is_empty());
        if action == UserAction::Update && unchanged {
            let message = format!(
                "The update of `{login_id}` names no change: every field besides login_id is \
                 empty. Fill in the fields to change or remove the row; it will be skipped."
            );
            row.report(None, crate::Severity::Warning, "update_without_change", message);
            return Some(Change::None);
        }

        if action != UserAction::Delete {
            self.check_duplicate(row, UserField::Email, value_of(UserField::Email), action);
        }
        Some(match action {
            UserAction::Create => Change::Create,
            UserAction::Update => Change::Update,
            UserAction::Delete => Change::Delete,
        })
    }

    fn build(position: Position, values: &[&str]) -> UserRow {
        let field_value =
            |field: UserField| values.get(column_of(field)).copied().unwrap_or_default();
        let length = UserField::ALL.iter().map(|&field| field_value(field).len()).sum();
        let mut joined = String::with_capacity(length);
        let mut ends = [0; 8];
        for (end, field) in ends.iter_mut().zip(UserField::ALL) {
            joined.push_str(field_value(field));
            // `check` limited every value, so the row is far shorter than 64 KiB.
            *end = u16::try_from(joined.len()).unwrap_or(u16::MAX);
        }
        let action = values.first().and_then(|value| UserAction::parse(value));
        UserRow {
            row: position.row,
            line_start: position.line_start,
            line_end: position.line_end,
            // `check` passed the row, so its action parsed.
            action: action.unwrap_or(UserAction::Update),
            values: joined.into_boxed_str(),
            ends,
        }
    }

    fn reserve(&mut self, rows_read: usize, additional_rows: usize) {
        self.login_ids.reserve_for_rows(rows_read, additional_rows);
        self.emails.reserve_for_rows(rows_read, additional_rows);
    }
}

impl UserChecker {
    /// Reports a login id or email that an earlier row of the file named.
    fn check_duplicate(
        &mut self,
        row: &mut RowContext<'_>,
        field: UserField,
        value: &str,
        action: UserAction,
    ) {
        if value.is_empty() {
            return;
        }
        let seen = if field == UserField::LoginId { &mut self.login_ids } else { &mut self.emails };
        let use_here = FirstUse { row: row.row, action };
        let Some(earlier) = seen.get_or_insert(value, use_here) else { return };
        let (first, first_value) = (earlier.data, earlier.typed);
        let case_note = engine::case_note(first_value != value, &engine::excerpt(first_value));
        let value = engine::excerpt(value);
        // Two rows may not give one email, whatever their actions, so an
        // email is always a duplicate and never a conflict of actions.
        let duplicate = first.action == action || field == UserField::Email;
        let message = if duplicate {
            format!(
                "{} `{value}` duplicates row {}{case_note}; each user needs its own.",
                field.label(),
                first.row
            )
        } else {
            format!(
                "{} `{value}` conflicts with row {}{case_note}, which has the action {}; \
                 name each user in one row only.",
                field.label(),
                first.row,
                first.action.as_str()
            )
        };
        let code = if duplicate { "duplicate_key" } else { "conflicting_actions" };
        row.report_integrity(Some(field.name()), code, message);
    }
}

/// Builds the template a console offers for download.
pub fn template() -> String {
    format!(
        "{}\r\ncreate,aiko.tanaka,aiko.tanaka@example.com,Tanaka,Aiko,Aiko Tanaka,Sales,Manager,+81 3 0000 0000\r\n",
        HEADER.join(",")
    )
}

#[cfg(test)]
mod tests;
