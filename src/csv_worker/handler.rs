//! The worker's side: validates files and serves pages of findings.

use std::cell::RefCell;

use gatehouse_core::csv::encoding::{self, Encoding};
use gatehouse_core::csv::users::validate_bytes_with_progress;
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
        let report = validate_bytes_with_progress(&bytes, &decode, &mut progress).report;

        let text = upload_text(&buffer, &bytes, report.encoding, shift_jis_text.take());
        drop(bytes);
        let digest = ReportDigest::of(&report);
        let json = serde_json::to_string(&digest)
            .map_err(|error| format!("Serializing the report failed: {error}."))?;
        self.last = Some((job, report.findings));

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
/// mark, so a 12 MB file crosses back without a copy.
fn upload_text(
    buffer: &ArrayBuffer,
    bytes: &[u8],
    encoding: Option<Encoding>,
    shift_jis_text: Option<String>,
) -> Option<Uint8Array> {
    match encoding? {
        Encoding::Utf8 => Some(Uint8Array::new(buffer)),
        Encoding::Utf8Bom => {
            std::str::from_utf8(bytes.get(3..)?).ok()?;
            Some(Uint8Array::new_with_byte_offset(buffer, 3))
        }
        Encoding::ShiftJis => shift_jis_text.map(|text| Uint8Array::from(text.as_bytes())),
        unicode @ (Encoding::Utf16Le | Encoding::Utf16Be) => {
            encoding::decode_unicode(bytes, unicode).map(|text| Uint8Array::from(text.as_bytes()))
        }
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
