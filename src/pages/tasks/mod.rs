//! The task log.

pub mod detail;
pub mod list;
