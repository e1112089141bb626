//! Importing users, groups or group members from a CSV file: check in the
//! browser, preview on the server, then import.

use std::rc::Rc;

use gatehouse_core::api::{ImportOutcome, Task};
use gatehouse_core::csv::CsvKind;
use js_sys::{Array, ArrayBuffer, Uint8Array};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, File, Url};

use crate::api::{self, ApiError};
use crate::components::csv_findings::{CsvFindings, CsvFindingsDigest, FindingsSource};
use crate::components::file_drop::FileDrop;
use crate::components::problem::ProblemView;
use crate::csv_worker::client::{ValidationWorker, WorkerEvent};
use crate::format::pluralize;
use crate::import_kind;
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

/// The report CSV of the checked file, ready to download.
#[derive(Debug, Clone, PartialEq)]
struct ReportDownload {
    /// A `blob:` object URL of the report, revoked when the next file is
    /// chosen or the page closes.
    url: String,
    file_name: String,
}

/// Returns the download name of the report of `file_name`: `users.csv`
/// gives `users-report.csv`, and a name without `.csv` gets `-report.csv`
/// appended.
pub fn report_file_name(file_name: &str) -> String {
    let stem = match file_name.len().checked_sub(4) {
        Some(cut)
            if file_name.is_char_boundary(cut) && file_name[cut..].eq_ignore_ascii_case(".csv") =>
        {
            &file_name[..cut]
        }
        _ => file_name,
    };
    format!("{stem}-report.csv")
}

/// Makes an object URL for the report CSV bytes, typed as UTF-8 CSV.
fn report_object_url(csv: &Uint8Array) -> Result<String, String> {
    let options = BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let blob = Blob::new_with_u8_array_sequence_and_options(&Array::of1(csv), &options)
        .map_err(|error| format!("Creating the report file failed: {error:?}."))?;
    Url::create_object_url_with_blob(&blob)
        .map_err(|error| format!("Creating a link to the report file failed: {error:?}."))
}

/// The import page of one kind of CSV file. The chosen file and every result
/// stay on screen when a later step fails, so the person can read what went
/// wrong.
#[component]
pub fn ImportPage(
    /// The kind of file this page imports.
    kind: CsvKind,
) -> impl IntoView {
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
    let report_download = RwSignal::new(None::<ReportDownload>);

    let stop_worker = move || {
        if let Some(running) = worker.try_update_value(Option::take).flatten() {
            running.terminate();
        }
    };
    // Object URLs keep their blob in memory until revoked or the document
    // unloads, and the console is one document for the whole session.
    let drop_report = move || {
        if let Some(old) = report_download.try_update(Option::take).flatten() {
            if let Err(error) = Url::revoke_object_url(&old.url) {
                leptos::logging::warn!("Revoking the report URL {} failed: {error:?}", old.url);
            }
        }
    };
    on_cleanup(move || {
        stop_worker();
        drop_report();
    });

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
            WorkerEvent::ReportCsv { job: event_job, csv } if event_job == current => {
                let Some(name) =
                    checked.with_untracked(|file| file.as_ref().map(|f| f.name.clone()))
                else {
                    return;
                };
                match report_object_url(&csv) {
                    Ok(url) => report_download
                        .set(Some(ReportDownload { url, file_name: report_file_name(&name) })),
                    Err(message) => read_error.set(Some(message)),
                }
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
        drop_report();
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
            running.validate(this_job, kind, &buffer);
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
                api::imports::import(kind, &csrf_token, &key, &file.name, &body).await
            } else {
                api::imports::validate(kind, &csrf_token, &file.name, &body).await
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
    let report_signal = Signal::from(report_download);

    view! {
        <section
            class="import-page users-import"
            id=format!("import-{}", kind.as_str().replace('_', "-"))
        >
            <h1>{format!("Import {} from a CSV file", import_kind::noun(kind))}</h1>
            <p>
                <a
                    href=import_kind::template_url(kind)
                    download=import_kind::template_file_name(kind)
                    id="download-template"
                >
                    "Download the template"
                </a>
                " with the header and an example row. The "
                <a href="/bulk-import">"bulk import page"</a>
                " lists the columns and the other header names it accepts."
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
                    .map(|file| {
                        view! {
                            <LocalCheck
                                digest=file.digest
                                findings=file.findings
                                decodable=file.decodable
                                report_download=report_signal
                            />
                        }
                    })
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
            {move || preview.get().map(|outcome| view! { <ServerPreview kind outcome/> })}
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
    /// Whether the file decoded, which the report CSV needs.
    decodable: bool,
    /// The report CSV, once the worker has written it.
    report_download: Signal<Option<ReportDownload>>,
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
    let report_expected = decodable && !digest.kinds.is_empty();
    let download = move || {
        let download = report_download.get()?;
        Some(view! {
            <p class="import-check__download">
                <a
                    class="button"
                    id="download-report"
                    href=download.url
                    download=download.file_name.clone()
                >
                    "Download report"
                </a>
                {format!(
                    " {}: every row of the file with its findings in a last column.",
                    download.file_name,
                )}
            </p>
        })
    };
    let preparing = move || {
        (report_expected && report_download.with(Option::is_none)).then(|| {
            view! { <p class="import-check__download">"Preparing the report CSV…"</p> }
        })
    };
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
            {download}
            {preparing}
            <CsvFindingsDigest digest source=findings/>
        </section>
    }
}

/// The server's preview: the changes counted in the kind's words and the
/// server's own findings.
#[component]
pub fn ServerPreview(
    /// The kind of file, which names its changes.
    kind: CsvKind,
    /// The server's validation outcome.
    outcome: ImportOutcome,
) -> impl IntoView {
    let changes = import_kind::describe_changes(kind, outcome.report.changes);
    view! {
        <section class="import-preview" id="server-preview">
            <h2>"Checked against this tenant"</h2>
            <p class="import-preview__changes" id="preview-changes">
                {changes}
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
                "{} {}: {} — {} of {} succeeded, {} failed",
                task.task_type,
                task.operation,
                task.status.as_str(),
                task.succeeded,
                pluralize(task.total, "row", "rows"),
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
