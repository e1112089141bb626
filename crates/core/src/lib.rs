//! Everything the Gatehouse console and server must agree on: the wire types
//! of the `/api/v1` contract, the catalog of task types and operations, the
//! field rules for each resource and the CSV import formats with their
//! validation. The crate has no web or server dependencies so the console can
//! compile it to WebAssembly and the server can run the same rules natively.

pub mod api;
pub mod branding;
pub mod catalog;
pub mod csv;
pub mod emails;
pub mod finding;
pub mod rules;

pub use finding::{Finding, Severity, Stage};
