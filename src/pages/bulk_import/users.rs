//! Importing users from a CSV file: check in the browser, preview on the
//! server, then import.

use gatehouse_core::api::{ImportOutcome, Task};
use gatehouse_core::csv::users::validate_bytes;
use gatehouse_core::csv::CsvReport;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::File;

use super::decode::{decode_shift_jis, decode_text, read_bytes};
use crate::api::imports::USERS_TEMPLATE_URL;
use crate::api::{self, ApiError};
use crate::components::csv_findings::CsvFindings;
use crate::components::file_drop::FileDrop;
use crate::components::problem::ProblemView;
use crate::session::use_session;

/// The chosen file as read and checked in the browser.
#[derive(Debug, Clone, PartialEq)]
struct CheckedFile {
    name: String,
    /// The file decoded to UTF-8, which is what the server receives, or
    /// `None` when it does not decode.
    text: Option<String>,
    report: CsvReport,
}

/// The users import page. The chosen file and every result stay on screen
/// when a later step fails, so the person can read what went wrong.
#[component]
pub fn UsersImport() -> impl IntoView {
    let session = use_session();
    let checked = RwSignal::new(None::<CheckedFile>);
    let read_error = RwSignal::new(None::<String>);
    let preview = RwSignal::new(None::<ImportOutcome>);
    let imported = RwSignal::new(None::<ImportOutcome>);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    // One key per chosen file: confirming twice, or retrying after a lost
    // response, imports the file once.
    let idempotency_key = RwSignal::new(String::new());

    let on_file = Callback::new(move |file: File| {
        preview.set(None);
        imported.set(None);
        error.set(None);
        read_error.set(None);
        checked.set(None);
        idempotency_key.set(uuid::Uuid::new_v4().to_string());
        spawn_local(async move {
            let bytes = match read_bytes(&file).await {
                Ok(bytes) => bytes,
                Err(message) => {
                    read_error.set(Some(message));
                    return;
                }
            };
            // NOTE: validation runs on the main thread, so a very large file
            // freezes the page until it finishes; it moves to a Web Worker later.
            let validation = validate_bytes(&bytes, &decode_shift_jis);
            let text = decode_text(&bytes);
            checked.set(Some(CheckedFile { name: file.name(), text, report: validation.report }));
        });
    });
    let can_upload = move || {
        !busy.get()
            && checked.with(|file| {
                file.as_ref().is_some_and(|file| !file.report.has_errors() && file.text.is_some())
            })
    };
    let can_confirm = move || {
        !busy.get()
            && imported.with(Option::is_none)
            && preview.with(|outcome| outcome.as_ref().is_some_and(|o| !o.report.has_errors()))
    };
    let run = move |confirm: bool| {
        let Some(file) = checked.get_untracked() else { return };
        let Some(text) = file.text else { return };
        let csrf_token = session.csrf_token();
        let key = idempotency_key.get_untracked();
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = if confirm {
                api::imports::import_users(&csrf_token, &key, &file.name, &text).await
            } else {
                api::imports::validate_users(&csrf_token, &file.name, &text).await
            };
            match (result, confirm) {
                (Ok(outcome), true) => imported.set(Some(outcome)),
                (Ok(outcome), false) => preview.set(Some(outcome)),
                (Err(failure), _) => error.set(Some(failure)),
            }
            busy.set(false);
        });
    };
    let file_name =
        Signal::derive(move || checked.with(|file| file.as_ref().map(|f| f.name.clone())));

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
            {move || read_error.get().map(|message| view! { <p class="problem" role="alert">{message}</p> })}
            {move || checked.get().map(|file| view! { <LocalCheck report=file.report/> })}
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

/// The browser's check: encoding, delimiter, row counts and findings.
#[component]
fn LocalCheck(
    /// The report of the in-browser validation.
    report: CsvReport,
) -> impl IntoView {
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
    view! {
        <section class="import-check" id="local-check">
            <h2>"Checked in your browser"</h2>
            <dl class="import-check__facts">
                <dt>"Encoding"</dt>
                <dd id="check-encoding">{encoding}</dd>
                <dt>"Delimiter"</dt>
                <dd id="check-delimiter">{delimiter}</dd>
                <dt>"Rows"</dt>
                <dd id="check-rows">{report.rows}</dd>
                <dt>"Valid rows"</dt>
                <dd id="check-valid-rows">{report.valid_rows}</dd>
            </dl>
            <p class="import-check__verdict">{verdict}</p>
            <CsvFindings report/>
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
