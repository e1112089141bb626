//! Text and routes the console shows for each kind of import file: its page, its
//! template, its columns and the words for the changes it makes.

use gatehouse_core::csv::{ChangeCounts, CsvKind};
use gatehouse_core::rules::{GroupField, UserField};

use crate::format::pluralize;

/// The console route of the import page of `kind`.
pub fn page_route(kind: CsvKind) -> &'static str {
    match kind {
        CsvKind::Users => "/bulk-import/users",
        CsvKind::Groups => "/bulk-import/groups",
        CsvKind::GroupMembers => "/bulk-import/group-members",
    }
}

/// The kind's name as a heading, such as "Group members".
pub fn title(kind: CsvKind) -> &'static str {
    match kind {
        CsvKind::Users => "Users",
        CsvKind::Groups => "Groups",
        CsvKind::GroupMembers => "Group members",
    }
}

/// The kind's name inside a sentence, such as "group members".
pub fn noun(kind: CsvKind) -> &'static str {
    match kind {
        CsvKind::Users => "users",
        CsvKind::Groups => "groups",
        CsvKind::GroupMembers => "group members",
    }
}

/// The API route of the kind's template.
pub fn template_url(kind: CsvKind) -> String {
    format!("/api/v1/imports/{}/template", kind.as_str())
}

/// The file name offered when downloading the kind's template.
pub fn template_file_name(kind: CsvKind) -> String {
    format!("{}-template.csv", kind.as_str().replace('_', "-"))
}

/// What a file of this kind can do, in one sentence.
pub fn summary(kind: CsvKind) -> &'static str {
    match kind {
        CsvKind::Users => "Create, update or move users to pending deletion.",
        CsvKind::Groups => "Create, update or delete groups.",
        CsvKind::GroupMembers => "Add users to groups or remove them from groups.",
    }
}

/// The actions a row of this kind may name, in the `action` column.
pub fn actions(kind: CsvKind) -> &'static [&'static str] {
    match kind {
        CsvKind::Users | CsvKind::Groups => &["create", "update", "delete"],
        CsvKind::GroupMembers => &["add", "remove"],
    }
}

/// The changes an import would make, in the kind's words: "2 to create,
/// 0 to update, 1 to delete", or "2 to add, 1 to remove" for group members,
/// whose preview counts added members as created and removed ones as
/// deleted.
pub fn describe_changes(kind: CsvKind, changes: ChangeCounts) -> String {
    match kind {
        CsvKind::Users | CsvKind::Groups => format!(
            "{} to create, {} to update, {} to delete",
            changes.create, changes.update, changes.delete
        ),
        CsvKind::GroupMembers => {
            format!("{} to add, {} to remove", changes.create, changes.delete)
        }
    }
}

/// A count of the kind's records, such as "1 group" or "3 group members".
pub fn count_records(kind: CsvKind, count: u32) -> String {
    match kind {
        CsvKind::Users => pluralize(count, "user", "users"),
        CsvKind::Groups => pluralize(count, "group", "groups"),
        CsvKind::GroupMembers => pluralize(count, "membership", "memberships"),
    }
}

/// One column of an import format as the bulk import page documents it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnDoc {
    /// The header as the template writes it.
    pub name: &'static str,
    /// Other accepted headers, in the normalized form the validator
    /// compares: lower case, with underscores for spaces and hyphens.
    pub aliases: &'static [&'static str],
    /// When a row must fill the column.
    pub required: &'static str,
    /// Description of the column's content, with its limits.
    pub meaning: String,
}

/// The header aliases the core accepts for a column of `kind`.
fn aliases_of(kind: CsvKind, name: &str) -> &'static [&'static str] {
    kind.columns().iter().find(|column| column.name == name).map_or(&[], |column| column.aliases)
}

/// The columns of `kind` in template order, starting with `action`.
pub fn columns(kind: CsvKind) -> Vec<ColumnDoc> {
    let action = ColumnDoc {
        name: "action",
        aliases: aliases_of(kind, "action"),
        required: "Every row",
        meaning: format!("What the row does: {}.", actions(kind).join(", ")),
    };
    let mut columns = vec![action];
    match kind {
        CsvKind::Users => {
            for field in UserField::ALL {
                columns.push(ColumnDoc {
                    name: field.name(),
                    aliases: aliases_of(kind, field.name()),
                    required: user_required(field),
                    meaning: user_meaning(field),
                });
            }
        }
        CsvKind::Groups => {
            for field in GroupField::ALL {
                columns.push(ColumnDoc {
                    name: field.name(),
                    aliases: aliases_of(kind, field.name()),
                    required: group_required(field),
                    meaning: group_meaning(field),
                });
            }
        }
        CsvKind::GroupMembers => {
            columns.push(ColumnDoc {
                name: GroupField::GroupId.name(),
                aliases: aliases_of(kind, GroupField::GroupId.name()),
                required: "Every row",
                meaning: "The Group ID of an existing group.".to_owned(),
            });
            columns.push(ColumnDoc {
                name: UserField::LoginId.name(),
                aliases: aliases_of(kind, UserField::LoginId.name()),
                required: "Every row",
                meaning: "The Login ID of an existing user to add to or remove from the group."
                    .to_owned(),
            });
        }
    }
    columns
}

fn user_required(field: UserField) -> &'static str {
    if field == UserField::LoginId {
        "Every row"
    } else if field.required() {
        "Create rows"
    } else {
        "Never"
    }
}

fn user_meaning(field: UserField) -> String {
    let limit = format!("at most {} characters", field.max_chars());
    match field {
        UserField::LoginId => format!(
            "The user's Login ID, which names the user to update or delete: ASCII letters, \
             digits and `. _ - @`, {limit}."
        ),
        UserField::Email => format!("The user's email address, {limit}."),
        UserField::Phone => format!(
            "The user's phone number: digits, spaces, `- ( ) .` and a leading `+`, {limit}."
        ),
        UserField::Department | UserField::Title => {
            format!("{}, {limit}; may span lines inside quotes.", field.label())
        }
        _ => format!("{}, {limit}.", field.label()),
    }
}

fn group_required(field: GroupField) -> &'static str {
    match field {
        GroupField::GroupId => "Every row",
        GroupField::Name => "Create rows",
        GroupField::Description => "Never",
    }
}

fn group_meaning(field: GroupField) -> String {
    let limit = format!("at most {} characters", field.max_chars());
    match field {
        GroupField::GroupId => format!(
            "The group's ID, which names the group to update or delete: ASCII letters, digits \
             and `. _ -`, {limit}."
        ),
        GroupField::Name => format!("The group's name as people see it, {limit}."),
        GroupField::Description => {
            format!("What the group is for, {limit}; may span lines inside quotes.")
        }
    }
}
