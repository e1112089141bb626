//! Components shared by several pages.

pub mod confirm_by_typing;
pub mod confirm_dialog;
pub mod csv_findings;
pub mod debounce;
pub mod dialog;
pub mod draft;
pub mod field;
pub mod file_drop;
pub mod pager;
pub mod problem;
pub mod unsaved_guard;
pub mod version_conflict;
