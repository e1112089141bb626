//! The worker's side: validates files and serves pages of findings.

use std::cell::RefCell;

use gatehouse_core::csv::encoding::{self, Encoding};
use gatehouse_core::csv::{groups, members, report_csv, users, CsvKind, CsvReport};
use gatehouse_core::Finding;
use js_sys::{Array, ArrayBuffer, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{TextDecoder, TextDecoderOptions};

use super::{get, message, new_message, set};
use crate::report_digest::{findings_page, FindingsPageRequest, ReportDigest};

/// Sends a message to the page with the objects to transfer.
pub type Post<'a> = dyn FnMut(&JsValue, &Array) + 'a;

/// The worker's state: the findings of the last validated file.
#[derive(Debug, Default)]
pub struct CsvWorker {
    /// The job number of the last validated file and all its findings.
    last: Option<(u32, Vec<Finding>)>,
}

impl CsvWorker {
    pub fn new() -> CsvWorker {
        CsvWorker::default()
    }

    /// Handles one message from the page and posts the replies through
    /// `post`. A message that cannot be handled gets a `failed` reply.
    pub fn handle_message(&mut self, data: &JsValue, post: &mut Post<'_>) {
        let kind = get(data, message::KIND).as_string().unwrap_or_default();
        let job = get(data, message::JOB).as_f64().map(|job| job as u32);
        let result = match (kind.as_str(), job) {
            (_, None) => Err(format!("The message has no job number: {data:?}.")),
            (message::VALIDATE, Some(job)) => self.validate(job, data, post),
            (message::FINDINGS, Some(job)) => self.send_findings(job, data, post),
            (other, Some(_)) => Err(format!(
                "The message kind `{other}` is unknown; expected `{}` or `{}`.",
                message::VALIDATE,
                message::FINDINGS
            )),
        };
        if let Err(reason) = result {
            let reply = new_message(message::FAILED, job.unwrap_or_default());
            set(&reply, message::MESSAGE, &JsValue::from_str(&reason));
            // A failed findings request names its request, so that only that
            // request fails on the page and not the whole file.
            let request_id = get(data, message::REQUEST_ID);
            if request_id.as_f64().is_some() {
                set(&reply, message::REQUEST_ID, &request_id);
            }
            post(&reply, &Array::new());
        }
    }

    fn validate(&mut self, job: u32, data: &JsValue, post: &mut Post<'_>) -> Result<(), String> {
        let kind = csv_kind_of(data)?;
        let buffer: ArrayBuffer = get(data, message::BYTES)
            .dyn_into()
            .map_err(|value| format!("`bytes` must be an ArrayBuffer, not {value:?}."))?;
        // Free the previous file's findings before reading the next file.
        self.last = None;
        let bytes = Uint8Array::new(&buffer).to_vec();
        // The validator decodes Shift_JIS through this callback; keeping the
        // text it returns spares decoding the file a second time for upload.
        let shift_jis_text = RefCell::new(None::<String>);
        let decode = |bytes: &[u8]| {
            let text = decode_shift_jis(bytes);
            shift_jis_text.replace(text.clone());
            text
        };
        let mut progress = |share: f64| {
            let update = new_message(message::PROGRESS, job);
            set(&update, message::SHARE, &JsValue::from_f64(share));
            post(&update, &Array::new());
        };
        let report = validate_kind(kind, &bytes, &decode, &mut progress);

        // Shift_JIS and UTF-16 files are decoded once, for both the upload
        // and the report CSV.
        let decoded = match report.encoding {
            Some(Encoding::ShiftJis) => shift_jis_text.take(),
            Some(unicode @ (Encoding::Utf16Le | Encoding::Utf16Be)) => {
                encoding::decode_unicode(&bytes, unicode)
            }
            _ => None,
        };
        let text = upload_text(&buffer, &bytes, report.encoding, decoded.as_deref());
        let digest = ReportDigest::of(&report);
        let json = serde_json::to_string(&digest)
            .map_err(|error| format!("Serializing the report failed: {error}."))?;

        let done = new_message(message::REPORT, job);
        set(&done, message::DIGEST, &JsValue::from_str(&json));
        let transfer = Array::new();
        match &text {
            Some(text) => {
                set(&done, message::TEXT, text);
                transfer.push(&text.buffer());
            }
            None => set(&done, message::TEXT, &JsValue::NULL),
        }
        post(&done, &transfer);

        // The report CSV follows the report, so the findings show without
        // waiting for it. A file without findings needs no report, and a
        // file that does not decode has no rows to write.
        let file_text = if report.findings.is_empty() {
            None
        } else {
            file_text(&bytes, report.encoding, decoded.as_deref())
        };
        if let Some(file_text) = file_text {
            let csv = report_csv_bytes(file_text, &report);
            drop(bytes);
            let reply = new_message(message::REPORT_CSV, job);
            set(&reply, message::CSV, &csv);
            post(&reply, &Array::of1(&csv.buffer()));
        }
        self.last = Some((job, report.findings));
        Ok(())
    }

    fn send_findings(&self, job: u32, data: &JsValue, post: &mut Post<'_>) -> Result<(), String> {
        let request_id = get(data, message::REQUEST_ID)
            .as_f64()
            .ok_or_else(|| "The findings request has no `request_id`.".to_owned())?;
        let json = get(data, message::REQUEST).as_string().unwrap_or_default();
        let request: FindingsPageRequest = serde_json::from_str(&json)
            .map_err(|error| format!("The findings request `{json}` is invalid: {error}."))?;
        let findings = match &self.last {
            Some((last_job, findings)) if *last_job == job => findings,
            _ => {
                return Err(format!(
                    "The findings of file number {job} are gone because another file was \
                     validated since. Choose the file again."
                ))
            }
        };
        let page = findings_page(findings, &request);
        let json = serde_json::to_string(&page)
            .map_err(|error| format!("Serializing the findings failed: {error}."))?;
        let response = new_message(message::FINDINGS, job);
        set(&response, message::REQUEST_ID, &JsValue::from_f64(request_id));
        set(&response, message::FINDINGS, &JsValue::from_str(&json));
        post(&response, &Array::new());
        Ok(())
    }
}

/// Returns the file as the UTF-8 bytes the server receives. UTF-8 files are
/// sent back as a view of the page's own buffer, without the byte-order
/// mark, so a 12 MB file crosses back without a copy. `decoded` is the text
/// of a Shift_JIS or UTF-16 file.
fn upload_text(
    buffer: &ArrayBuffer,
    bytes: &[u8],
    encoding: Option<Encoding>,
    decoded: Option<&str>,
) -> Option<Uint8Array> {
    match encoding? {
        Encoding::Utf8 => Some(Uint8Array::new(buffer)),
        Encoding::Utf8Bom => {
            std::str::from_utf8(bytes.get(3..)?).ok()?;
            Some(Uint8Array::new_with_byte_offset(buffer, 3))
        }
        Encoding::ShiftJis | Encoding::Utf16Le | Encoding::Utf16Be => {
            decoded.map(|text| Uint8Array::from(text.as_bytes()))
        }
    }
}

/// Returns the file as text: UTF-8 files are read in place, without their
/// byte-order mark, and other encodings use their `decoded` text.
fn file_text<'a>(
    bytes: &'a [u8],
    encoding: Option<Encoding>,
    decoded: Option<&'a str>,
) -> Option<&'a str> {
    match encoding? {
        Encoding::Utf8 => std::str::from_utf8(bytes).ok(),
        Encoding::Utf8Bom => std::str::from_utf8(bytes.get(3..)?).ok(),
        Encoding::ShiftJis | Encoding::Utf16Le | Encoding::Utf16Be => decoded,
    }
}

/// Writes the report CSV of a file with a UTF-8 byte-order mark, because
/// Excel reads a CSV file without one in the system's legacy code page and
/// would garble Japanese names.
fn report_csv_bytes(text: &str, report: &CsvReport) -> Uint8Array {
    let csv = report_csv::write(text, report);
    let mut bytes = Vec::with_capacity(csv.len() + 3);
    bytes.extend_from_slice(b"\xEF\xBB\xBF");
    bytes.extend_from_slice(csv.as_bytes());
    Uint8Array::from(bytes.as_slice())
}

/// Reads the `csv_kind` of a validate message; a missing one means users.
fn csv_kind_of(data: &JsValue) -> Result<CsvKind, String> {
    let value = get(data, message::CSV_KIND);
    if value.is_undefined() {
        return Ok(CsvKind::Users);
    }
    let name = value.as_string().unwrap_or_default();
    CsvKind::parse(&name).ok_or_else(|| {
        format!("The CSV kind `{name}` is unknown; expected `users`, `groups` or `group_members`.")
    })
}

/// Validates a file of `kind` and returns its report. Only the server
/// imports rows, so users files skip building them; the groups and members
/// validators have no report-only variant and their rows are dropped.
fn validate_kind(
    kind: CsvKind,
    bytes: &[u8],
    decode_shift_jis: &dyn Fn(&[u8]) -> Option<String>,
    progress: &mut dyn FnMut(f64),
) -> CsvReport {
    match kind {
        CsvKind::Users => users::report_bytes(bytes, decode_shift_jis, progress),
        CsvKind::Groups => groups::report_bytes(bytes, decode_shift_jis, progress),
        CsvKind::GroupMembers => members::report_bytes(bytes, decode_shift_jis, progress),
    }
}

/// Decodes CP932 bytes with the browser's `TextDecoder` ("shift_jis" is its
/// label for the WHATWG Shift_JIS decoder, which covers CP932). With
/// `fatal` set, invalid bytes make it return `None` instead of U+FFFD.
pub fn decode_shift_jis(bytes: &[u8]) -> Option<String> {
    let options = TextDecoderOptions::new();
    options.set_fatal(true);
    let decoder = TextDecoder::new_with_label_and_options("shift_jis", &options).ok()?;
    let array = Uint8Array::from(bytes);
    decoder.decode_with_buffer_source(&array).ok()
}
