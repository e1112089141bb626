//! One module per console page or page family.

pub mod area;
pub mod branding;
pub mod bulk_import;
pub mod emails;
pub mod groups;
pub mod operations;
pub mod shell;
pub mod sign_in;
pub mod tasks;
pub mod users;
