//! Components shared by several pages.

pub mod confirm_by_typing;
pub mod csv_findings;
pub mod dialog;
pub mod field;
pub mod file_drop;
pub mod pager;
pub mod problem;
