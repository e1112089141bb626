//! The page's side: starts the worker, sends files and turns the worker's
//! messages into [`WorkerEvent`]s.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use gatehouse_core::csv::CsvKind;
use gatehouse_core::Finding;
use js_sys::{Array, ArrayBuffer, Function, Object, Promise, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ErrorEvent, Event, MessageEvent, Worker};

use super::{get, message, new_message, set, WORKER_URL};
use crate::report_digest::{FindingsPageRequest, ReportDigest};

/// A worker's report about one file.
#[derive(Debug)]
pub enum WorkerEvent {
    Progress {
        job: u32,
        /// Share of the file validated, from 0.0 to 1.0.
        share: f64,
    },
    Report {
        job: u32,
        digest: ReportDigest,
        /// The file as UTF-8, or `None` when it does not decode.
        text: Option<Uint8Array>,
    },
    /// The report CSV of a file with findings, as UTF-8 with a byte-order
    /// mark; it follows the file's `Report`.
    ReportCsv { job: u32, csv: Uint8Array },
    /// The worker could not do its work; `job` is `None` when the worker
    /// itself failed, for example because its script did not load.
    Failed { job: Option<u32>, message: String },
}

/// Messages waiting for the worker to be ready, and findings requests
/// waiting for their reply.
#[derive(Default)]
struct Pending {
    ready: bool,
    terminated: bool,
    queued: Vec<(Object, Array)>,
    next_request_id: u32,
    /// The `resolve` and `reject` functions of each request's promise.
    requests: HashMap<u32, (Function, Function)>,
}

/// A running validation worker. Dropping it terminates the worker.
pub struct ValidationWorker {
    worker: Worker,
    pending: Rc<RefCell<Pending>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

impl ValidationWorker {
    /// Starts a worker from [`WORKER_URL`]; `on_event` receives what it
    /// reports about each file.
    pub fn start(on_event: impl Fn(WorkerEvent) + 'static) -> Result<ValidationWorker, String> {
        let worker = Worker::new(WORKER_URL).map_err(|error| {
            format!("Starting the validation worker {WORKER_URL} failed: {error:?}.")
        })?;
        let pending = Rc::new(RefCell::new(Pending::default()));
        let on_event = Rc::new(on_event);

        let message_pending = Rc::clone(&pending);
        let message_worker = worker.clone();
        let message_on_event = Rc::clone(&on_event);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            match get(&data, message::KIND).as_string().as_deref() {
                Some(message::READY) => {
                    let queued = {
                        let mut pending = message_pending.borrow_mut();
                        pending.ready = true;
                        std::mem::take(&mut pending.queued)
                    };
                    for (outgoing, transfer) in queued {
                        post(&message_worker, &outgoing, &transfer, &message_on_event);
                    }
                }
                Some(message::FINDINGS) => settle_request(&message_pending, &data, true),
                _ => {
                    if let Some(event) = parse_event(&data, &message_pending) {
                        message_on_event(event);
                    }
                }
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));

        let error_pending = Rc::clone(&pending);
        let on_error = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
            let detail = event
                .dyn_ref::<ErrorEvent>()
                .map(ErrorEvent::message)
                .filter(|message| !message.is_empty())
                .unwrap_or_else(|| format!("{WORKER_URL} did not load or stopped"));
            reject_all(&error_pending, &detail);
            on_event(WorkerEvent::Failed {
                job: None,
                message: format!(
                    "The validation worker failed: {detail}. Reload the page and choose the \
                     file again."
                ),
            });
        });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));

        Ok(ValidationWorker { worker, pending, _on_message: on_message, _on_error: on_error })
    }

    /// Sends a file of `kind` to validate under the number `job`. The
    /// buffer moves to the worker and is empty afterwards.
    pub fn validate(&self, job: u32, kind: CsvKind, bytes: &ArrayBuffer) {
        let outgoing = new_message(message::VALIDATE, job);
        set(&outgoing, message::CSV_KIND, &JsValue::from_str(kind.as_str()));
        set(&outgoing, message::BYTES, bytes);
        self.send(outgoing, Array::of1(bytes));
    }

    /// Fetches one page of the findings of file `job` from the worker.
    pub async fn findings_page(
        &self,
        job: u32,
        request: &FindingsPageRequest,
    ) -> Result<Vec<Finding>, String> {
        let json = serde_json::to_string(request)
            .map_err(|error| format!("Serializing the findings request failed: {error}."))?;
        let mut resolve_reject = None;
        let promise = Promise::new(&mut |resolve, reject| resolve_reject = Some((resolve, reject)));
        let request_id = {
            let mut pending = self.pending.borrow_mut();
            if pending.terminated {
                return Err("The validation worker was stopped; choose the file again.".to_owned());
            }
            let request_id = pending.next_request_id;
            pending.next_request_id += 1;
            if let Some(functions) = resolve_reject {
                pending.requests.insert(request_id, functions);
            }
            request_id
        };
        let outgoing = new_message(message::FINDINGS, job);
        set(&outgoing, message::REQUEST_ID, &JsValue::from(request_id));
        set(&outgoing, message::REQUEST, &JsValue::from_str(&json));
        self.send(outgoing, Array::new());

        let reply = JsFuture::from(promise)
            .await
            .map_err(|reason| reason.as_string().unwrap_or_else(|| format!("{reason:?}")))?;
        let findings = reply.as_string().unwrap_or_default();
        serde_json::from_str(&findings)
            .map_err(|error| format!("The worker sent findings that are not valid JSON: {error}."))
    }

    /// Stops the worker at once, even in the middle of a file, and fails
    /// every findings request still waiting.
    pub fn terminate(&self) {
        self.worker.terminate();
        reject_all(&self.pending, "The validation worker was stopped; choose the file again.");
    }

    fn send(&self, outgoing: Object, transfer: Array) {
        let mut pending = self.pending.borrow_mut();
        if pending.ready {
            drop(pending);
            if let Err(error) = self.worker.post_message_with_transfer(&outgoing, &transfer) {
                leptos::logging::error!(
                    "Sending a message to the validation worker failed: {error:?}"
                );
            }
        } else {
            pending.queued.push((outgoing, transfer));
        }
    }
}

impl Drop for ValidationWorker {
    fn drop(&mut self) {
        // The message closures are freed with this value, so the worker must
        // not call them afterwards.
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.terminate();
    }
}

fn post(worker: &Worker, outgoing: &Object, transfer: &Array, on_event: &Rc<impl Fn(WorkerEvent)>) {
    if let Err(error) = worker.post_message_with_transfer(outgoing, transfer) {
        on_event(WorkerEvent::Failed {
            job: get(outgoing, message::JOB).as_f64().map(|job| job as u32),
            message: format!("Sending the file to the validation worker failed: {error:?}."),
        });
    }
}

/// Reads a progress, report or failure message.
fn parse_event(data: &JsValue, pending: &Rc<RefCell<Pending>>) -> Option<WorkerEvent> {
    let job = get(data, message::JOB).as_f64().map(|job| job as u32);
    let kind = get(data, message::KIND).as_string().unwrap_or_default();
    match (kind.as_str(), job) {
        (message::PROGRESS, Some(job)) => {
            Some(WorkerEvent::Progress { job, share: get(data, message::SHARE).as_f64()? })
        }
        (message::REPORT, Some(job)) => {
            let json = get(data, message::DIGEST).as_string().unwrap_or_default();
            match serde_json::from_str(&json) {
                Ok(digest) => {
                    let text = get(data, message::TEXT).dyn_into::<Uint8Array>().ok();
                    Some(WorkerEvent::Report { job, digest, text })
                }
                Err(error) => Some(WorkerEvent::Failed {
                    job: Some(job),
                    message: format!("The worker sent a report that is not valid JSON: {error}."),
                }),
            }
        }
        (message::REPORT_CSV, Some(job)) => match get(data, message::CSV).dyn_into() {
            Ok(csv) => Some(WorkerEvent::ReportCsv { job, csv }),
            Err(value) => {
                // The findings are still fine to show and page through, so
                // only the download is missing.
                leptos::logging::error!(
                    "The validation worker sent a report CSV that is not a Uint8Array: {value:?}"
                );
                None
            }
        },
        (message::FAILED, job) => {
            // A failed findings request rejects its own promise; other
            // failures concern the whole file.
            if get(data, message::REQUEST_ID).as_f64().is_some() {
                settle_request(pending, data, false);
                return None;
            }
            let message = get(data, message::MESSAGE).as_string().unwrap_or_default();
            Some(WorkerEvent::Failed { job, message })
        }
        _ => {
            leptos::logging::warn!(
                "Ignored an unknown message from the validation worker: {data:?}"
            );
            None
        }
    }
}

/// Resolves or rejects the promise of the findings request that `data`
/// replies to.
fn settle_request(pending: &Rc<RefCell<Pending>>, data: &JsValue, resolved: bool) {
    let Some(request_id) = get(data, message::REQUEST_ID).as_f64() else { return };
    let functions = pending.borrow_mut().requests.remove(&(request_id as u32));
    if let Some((resolve, reject)) = functions {
        let result = if resolved {
            resolve.call1(&JsValue::NULL, &get(data, message::FINDINGS))
        } else {
            reject.call1(&JsValue::NULL, &get(data, message::MESSAGE))
        };
        if let Err(error) = result {
            leptos::logging::error!("Settling findings request {request_id} failed: {error:?}");
        }
    }
}

fn reject_all(pending: &Rc<RefCell<Pending>>, reason: &str) {
    let requests = {
        let mut pending = pending.borrow_mut();
        pending.terminated = true;
        pending.queued.clear();
        std::mem::take(&mut pending.requests)
    };
    for (_, (_, reject)) in requests {
        // A rejection only reaches the awaiting future, which cannot fail
        // to receive it, so there is no error to handle.
        let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(reason));
    }
}
