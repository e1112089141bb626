//! CSV validation in a Web Worker, so that checking a file of 100,000 rows
//! runs off the page's main thread (see BENCHMARKS.md for the measurement).
//!
//! Trunk builds the `csv_worker` binary (`src/bin/csv_worker.rs`) as a
//! classic worker with a loader script, [`WORKER_URL`]. The page sends the
//! file's bytes in a transferred `ArrayBuffer`. The worker replies with
//! progress messages, then with a [`ReportDigest`](crate::report_digest::ReportDigest)
//! and the file decoded to UTF-8, also transferred. When the file has
//! findings and decodes, a last message carries the downloadable report CSV.
//! The worker keeps every finding of the last file and sends them a page at
//! a time on request. To cancel, the
//! page terminates the worker and starts a new one for the next file.
//!
//! Messages are plain objects with a `kind` and the `job` number that the
//! page gave the file; [`handler`] runs in the worker and [`client`] on the
//! page.

pub mod client;
pub mod handler;
pub mod warm_up;

/// URL of the loader script that Trunk writes for the `csv_worker` binary
/// (`data-loader-shim` in `index.html`). Trunk names worker files after the
/// binary without a content hash, so the name is fixed.
pub const WORKER_URL: &str = "/csv_worker_loader.js";

/// Field names and `kind` values of the messages.
pub mod message {
    pub const KIND: &str = "kind";
    pub const JOB: &str = "job";

    /// Worker to page, once, when the worker listens for messages. Messages
    /// sent before it would be lost, because loading the wasm is asynchronous.
    pub const READY: &str = "ready";

    /// Page to worker: validate the `ArrayBuffer` in `bytes` as a file of
    /// `csv_kind` (`users`, `groups` or `group_members`). A message without
    /// `csv_kind` is a users file, as before the worker took other kinds.
    pub const VALIDATE: &str = "validate";
    pub const BYTES: &str = "bytes";
    pub const CSV_KIND: &str = "csv_kind";

    /// Worker to page: `share` (0.0 to 1.0) of the file is validated.
    pub const PROGRESS: &str = "progress";
    pub const SHARE: &str = "share";

    /// Worker to page: `digest` (a JSON `ReportDigest`) and `text`, the file
    /// as UTF-8 in a `Uint8Array`, or `null` when it does not decode.
    pub const REPORT: &str = "report";
    pub const DIGEST: &str = "digest";
    pub const TEXT: &str = "text";

    /// Worker to page, after `report` when the file has findings and
    /// decodes: `csv`, the report CSV as UTF-8 with a byte-order mark in a
    /// `Uint8Array`.
    pub const REPORT_CSV: &str = "report_csv";
    pub const CSV: &str = "csv";

    /// Page to worker: `request` (a JSON `FindingsPageRequest`) under the
    /// number `request_id`. Worker to page: `findings`, a JSON array.
    pub const FINDINGS: &str = "findings";
    pub const REQUEST: &str = "request";
    pub const REQUEST_ID: &str = "request_id";

    /// Worker to page: a message could not be handled; `message` gives the reason.
    pub const FAILED: &str = "failed";
    pub const MESSAGE: &str = "message";
}

/// Creates a message of `kind` about file number `job`.
fn new_message(kind: &str, job: u32) -> js_sys::Object {
    let object = js_sys::Object::new();
    set(&object, message::KIND, &wasm_bindgen::JsValue::from_str(kind));
    set(&object, message::JOB, &wasm_bindgen::JsValue::from(job));
    object
}

/// Reads a property of a message; `undefined` when it is missing.
fn get(object: &wasm_bindgen::JsValue, key: &str) -> wasm_bindgen::JsValue {
    js_sys::Reflect::get(object, &wasm_bindgen::JsValue::from_str(key))
        .unwrap_or(wasm_bindgen::JsValue::UNDEFINED)
}

fn set(object: &js_sys::Object, key: &str, value: &wasm_bindgen::JsValue) {
    // Setting a property of a plain object that this module created cannot
    // fail, so the result carries nothing to handle.
    let _ = js_sys::Reflect::set(object, &wasm_bindgen::JsValue::from_str(key), value);
}
