//! Importing users from a CSV file: check in the browser, preview on the
//! server, then import.

use std::rc::Rc;

use gatehouse_core::api::{ImportOutcome, Task};
use js_sys::{ArrayBuffer, Uint8Array};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::File;

use crate::api::imports::USERS_TEMPLATE_URL;
use crate::api::{self, ApiError};
use crate::components::csv_findings::{CsvFindings, CsvFindingsDigest, FindingsSource};
use crate::components::file_drop::FileDrop;
use crate::components::problem::ProblemView;
use crate::csv_worker::client::{ValidationWorker, WorkerEvent};
use crate::report_digest::ReportDigest;
use crate::session::use_session;

/// The chosen file as checked in the browser.
#[derive(Clone)]
struct CheckedFile {
    name: String,
    /// Whether the file decoded to UTF-8, which is what the server receives.
    decodable: bool,
    digest: ReportDigest,
    /// Pages of all findings, kept by the worker that checked the file.
    findings: FindingsSource,
}

/// A file being checked by the worker.
#[derive(Debug, Clone, PartialEq)]
struct Checking {
    name: String,
    /// Share of the file checked so far, from 0.0 to 1.0.
    share: f64,
}

/// The users import page. The chosen file and every result stay on screen
/// when a later step fails, so the person can read what went wrong.
#[component]
pub fn UsersImport() -> impl IntoView {
    let session = use_session();
    let checked = RwSignal::new(None::<CheckedFile>);
    let checking = RwSignal::new(None::<Checking>);
    let chosen_name = RwSignal::new(None::<String>);
    let read_error = RwSignal::new(None::<String>);
    let cancelled = RwSignal::new(false);
    let preview = RwSignal::new(None::<ImportOutcome>);
    let imported = RwSignal::new(None::<ImportOutcome>);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    // One key per chosen file: confirming twice, or retrying after a lost
    // response, imports the file once.
    let idempotency_key = RwSignal::new(String::new());
    // The number of the newest chosen file; the worker's messages about an
    // older file are ignored.
    let job = StoredValue::new(0u32);
    // The file as UTF-8 for upload; it stays in JavaScript memory.
    let upload_body = StoredValue::new_local(None::<Uint8Array>);
    let worker = StoredValue::new_local(None::<Rc<ValidationWorker>>);

    let stop_worker = move || {
        if let Some(running) = worker.try_update_value(Option::take).flatten() {
            running.terminate();
        }
    };
    on_cleanup(stop_worker);

    let on_event = move |event: WorkerEvent| {
        let current = job.get_value();
        match event {
            WorkerEvent::Progress { job: event_job, share } if event_job == current => {
                checking.update(|checking| {
                    if let Some(checking) = checking {
                        checking.share = share;
                    }
                });
            }
            WorkerEvent::Report { job: event_job, digest, text } if event_job == current => {
                let Some(name) = checking.get_untracked().map(|checking| checking.name) else {
                    return;
                };
                let findings = match worker.get_value() {
                    Some(running) => FindingsSource::new(move |request| {
                        let running = Rc::clone(&running);
                        Box::pin(async move { running.findings_page(event_job, &request).await })
                    }),
                    None => FindingsSource::in_memory(Vec::new()),
                };
                let decodable = text.is_some();
                upload_body.set_value(text);
                checking.set(None);
                checked.set(Some(CheckedFile { name, decodable, digest, findings }));
            }
            WorkerEvent::Failed { job: event_job, message }
                if event_job.is_none_or(|event_job| event_job == current) =>
            {
                // A worker that failed may be in any state; the next file
                // gets a new one.
                stop_worker();
                checking.set(None);
                read_error.set(Some(message));
            }
            _ => {}
        }
    };

    let on_file = Callback::new(move |file: File| {
        preview.set(None);
        imported.set(None);
        error.set(None);
        read_error.set(None);
        cancelled.set(false);
        checked.set(None);
        upload_body.set_value(None);
        chosen_name.set(Some(file.name()));
        idempotency_key.set(uuid::Uuid::new_v4().to_string());
        job.update_value(|job| *job += 1);
        let this_job = job.get_value();
        // A file chosen while another is still being checked replaces it.
        if checking.get_untracked().is_some() {
            stop_worker();
        }
        checking.set(Some(Checking { name: file.name(), share: 0.0 }));
        spawn_local(async move {
            let buffer = match JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => buffer.unchecked_into::<ArrayBuffer>(),
                Err(failure) => {
                    if job.get_value() == this_job {
                        checking.set(None);
                        read_error.set(Some(format!(
                            "Reading {} failed: {failure:?}. Choose the file again.",
                            file.name()
                        )));
                    }
                    return;
                }
            };
            if job.get_value() != this_job {
                return;
            }
            let running = match worker.get_value() {
                Some(running) => running,
                None => match ValidationWorker::start(on_event) {
                    Ok(started) => {
                        let started = Rc::new(started);
                        worker.set_value(Some(Rc::clone(&started)));
                        started
                    }
                    Err(message) => {
                        checking.set(None);
                        read_error.set(Some(message));
                        return;
                    }
                },
            };
            running.validate(this_job, &buffer);
        });
    });
    let cancel = move |_| {
        stop_worker();
        job.update_value(|job| *job += 1);
        checking.set(None);
        cancelled.set(true);
    };
    let can_upload = move || {
        !busy.get()
            && checked.with(|file| {
                file.as_ref().is_some_and(|file| !file.digest.report.has_errors() && file.decodable)
            })
    };
    let can_confirm = move || {
        !busy.get()
            && imported.with(Option::is_none)
            && preview.with(|outcome| outcome.as_ref().is_some_and(|o| !o.report.has_errors()))
    };
    let run = move |confirm: bool| {
        let Some(file) = checked.get_untracked() else { return };
        let Some(body) = upload_body.get_value() else { return };
        let csrf_token = session.csrf_token();
        let key = idempotency_key.get_untracked();
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = if confirm {
                api::imports::import_users(&csrf_token, &key, &file.name, &body).await
            } else {
                api::imports::validate_users(&csrf_token, &file.name, &body).await
            };
            match (result, confirm) {
                (Ok(outcome), true) => imported.set(Some(outcome)),
                (Ok(outcome), false) => preview.set(Some(outcome)),
                (Err(failure), _) => error.set(Some(failure)),
            }
            busy.set(false);
        });
    };
    let file_name = Signal::derive(move || chosen_name.get());

    view! {
        <section class="users-import">
            <h1>"Import users from a CSV file"</h1>
            <p>
                <a href=USERS_TEMPLATE_URL download="users-template.csv" id="download-template">
                    "Download the template"
                </a>
                " with the header and an example row."
            </p>
            <FileDrop on_file file_name/>
            {move || {
                checking
                    .get()
                    .map(|checking| {
                        view! { <CheckProgress checking on_cancel=Callback::new(cancel)/> }
                    })
            }}
            {move || {
                cancelled
                    .get()
                    .then(|| {
                        view! {
                            <p class="import-check__cancelled" id="check-cancelled" role="status">
                                "The check was cancelled. Choose the file again to check it."
                            </p>
                        }
                    })
            }}
            {move || read_error.get().map(|message| view! { <p class="problem" role="alert">{message}</p> })}
            {move || {
                checked
                    .get()
                    .map(|file| view! { <LocalCheck digest=file.digest findings=file.findings/> })
            }}
            <button
                class="button button--primary"
                id="validate-upload"
                type="button"
                disabled=move || !can_upload()
                on:click=move |_| run(false)
            >
                "Upload"
            </button>
            {move || preview.get().map(|outcome| view! { <ServerPreview outcome/> })}
            <button
                class="button button--primary"
                id="confirm-import"
                type="button"
                disabled=move || !can_confirm()
                on:click=move |_| run(true)
            >
                "Confirm import"
            </button>
            {move || error.get().map(|error| view! { <ImportProblem error/> })}
            {move || imported.get().map(|outcome| view! { <ImportedTasks tasks=outcome.tasks/> })}
        </section>
    }
}

/// The worker's progress on the file, with a button that stops it.
#[component]
fn CheckProgress(
    /// The file and how much of it is checked.
    checking: Checking,
    /// Called when the person cancels the check.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let percent = (checking.share * 100.0).round();
    view! {
        <section class="import-progress" id="check-progress" aria-live="polite">
            <label for="check-progress-bar">
                {format!("Checking {} in your browser: {percent}%", checking.name)}
            </label>
            <progress id="check-progress-bar" max="1" value=checking.share></progress>
            <button
                class="button"
                id="cancel-check"
                type="button"
                on:click=move |_| on_cancel.run(())
            >
                "Cancel"
            </button>
        </section>
    }
}

/// The browser's check: encoding, delimiter, row counts and findings.
#[component]
fn LocalCheck(
    /// The counts and first findings of the in-browser validation.
    digest: ReportDigest,
    /// Pages of all findings.
    findings: FindingsSource,
) -> impl IntoView {
    let report = &digest.report;
    let encoding = report.encoding.map_or("not detected", |encoding| encoding.title());
    let delimiter = match report.delimiter {
        '\t' => "tab".to_owned(),
        other => format!("{other}"),
    };
    let verdict = if report.has_errors() {
        "Fix the errors below and choose the file again; Upload stays disabled until then."
    } else {
        "The file passed the checks in your browser. Upload it to check it against this tenant."
    };
    let (rows, valid_rows) = (report.rows, report.valid_rows);
    view! {
        <section class="import-check" id="local-check">
            <h2>"Checked in your browser"</h2>
            <dl class="import-check__facts">
                <dt>"Encoding"</dt>
                <dd id="check-encoding">{encoding}</dd>
                <dt>"Delimiter"</dt>
                <dd id="check-delimiter">{delimiter}</dd>
                <dt>"Rows"</dt>
                <dd id="check-rows">{rows}</dd>
                <dt>"Valid rows"</dt>
                <dd id="check-valid-rows">{valid_rows}</dd>
            </dl>
            <p class="import-check__verdict">{verdict}</p>
            <CsvFindingsDigest digest source=findings/>
        </section>
    }
}

/// The server's preview: the changes counted and its own findings.
#[component]
fn ServerPreview(
    /// The server's validation outcome.
    outcome: ImportOutcome,
) -> impl IntoView {
    let changes = outcome.report.changes;
    view! {
        <section class="import-preview" id="server-preview">
            <h2>"Checked against this tenant"</h2>
            <p class="import-preview__changes" id="preview-changes">
                {format!(
                    "{} to create, {} to update, {} to delete",
                    changes.create,
                    changes.update,
                    changes.delete,
                )}
            </p>
            <CsvFindings report=outcome.report/>
        </section>
    }
}

/// A failed upload or import, with the server's report when it sent one.
#[component]
fn ImportProblem(
    /// The failure to show.
    error: ApiError,
) -> impl IntoView {
    let report = error.problem().and_then(|problem| problem.report.clone());
    view! {
        <ProblemView error/>
        {report.map(|report| view! { <CsvFindings report/> })}
    }
}

/// The tasks the import recorded, linking to each task's rows.
#[component]
fn ImportedTasks(
    /// The recorded tasks, in the order they ran.
    tasks: Vec<Task>,
) -> impl IntoView {
    let items = tasks
        .into_iter()
        .map(|task| {
            let summary = format!(
                "{} {}: {} — {} of {} rows succeeded, {} failed",
                task.task_type,
                task.operation,
                task.status.as_str(),
                task.succeeded,
                task.total,
                task.failed,
            );
            view! {
                <li>
                    <a href=format!("/tasks/{}", task.id)>{summary}</a>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="import-result" id="import-result">
            <h2>"Import recorded"</h2>
            <ul>{items}</ul>
        </section>
    }
}
