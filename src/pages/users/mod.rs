//! The users area: list, create and edit forms, and state changes.

pub mod actions;
pub mod conflict;
pub mod form;
pub mod list;
pub mod page;

use gatehouse_core::api::User;

/// Returns the name shown for a user: the display name when set, otherwise
/// the family and given names.
pub fn display_name(user: &User) -> String {
    let fields = &user.fields;
    if fields.display_name.is_empty() {
        format!("{} {}", fields.family_name, fields.given_name).trim().to_owned()
    } else {
        fields.display_name.clone()
    }
}
