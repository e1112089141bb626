//! CSV imports of users, groups and group members.
//!
//! Validation records the `validate.*` tasks (`csv_validation`,
//! `integrity_check`, then `validate` for the file as a whole); an import
//! validates again and, when the file has no errors, applies every row in
//! one transaction and records one `import.*` task per action. The server
//! runs the same validator as the console, because it trusts no client, and
//! adds the checks that need the tenant's data, such as an update of an
//! unknown user.

mod groups;
mod members;
mod users;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use gatehouse_core::api::{ImportOutcome, Task, TaskRow};
use gatehouse_core::catalog::TaskKind;
use gatehouse_core::csv::engine::{Change, Validation};
use gatehouse_core::csv::CsvKind;
use gatehouse_core::{Finding, Severity, Stage};
use rusqlite::Connection;

use crate::auth::Admin;
use crate::error::ApiError;
use crate::extract::{CsvBody, PathParams};
use crate::idempotency::{self, KeyedRequest, StoredResponse};
use crate::tasks::{self, TaskRecord};
use crate::AppState;

/// The parts of an import that differ between formats.
trait ImportFormat {
    type Row: Send + 'static;

    /// The `validate.*` kinds: `csv_validation`, `integrity_check`, `validate`.
    const VALIDATE: [TaskKind; 3];

    fn validate(bytes: &[u8]) -> Validation<Self::Row>;

    /// Returns why the tenant's data rejects a row, such as an update of an
    /// unknown user, or `None` when it accepts the row.
    fn tenant_problem(
        connection: &Connection,
        row: &Self::Row,
    ) -> Result<Option<TenantProblem>, ApiError>;

    /// Applies valid rows and returns each `import.*` kind with its rows' outcomes.
    fn apply(
        connection: &Connection,
        rows: &[Self::Row],
    ) -> Result<Vec<(TaskKind, Vec<TaskRow>)>, ApiError>;

    fn template() -> String;
}

/// A rejected row of the tenant check.
struct TenantProblem {
    row: u32,
    line_start: u32,
    line_end: u32,
    column: &'static str,
    change: Change,
    message: String,
}

/// Rows checked against the tenant in one turn of the database during a
/// validation, so that other requests get the database between turns. A
/// million users rows took about 2 s of tenant checks in a release build.
const TENANT_CHECK_BATCH: usize = 10_000;

/// Splits `rows` into those the tenant accepts and the problems of the
/// others.
fn check_batch<F: ImportFormat>(
    connection: &Connection,
    rows: Vec<F::Row>,
) -> Result<(Vec<F::Row>, Vec<TenantProblem>), ApiError> {
    let mut problems = Vec::new();
    let mut passed = Vec::with_capacity(rows.len());
    for row in rows {
        match F::tenant_problem(connection, &row)? {
            Some(problem) => problems.push(problem),
            None => passed.push(row),
        }
    }
    Ok((passed, problems))
}

/// Runs the tenant check on each valid row in one go, keeps the rows it
/// accepts and records the others as integrity errors.
fn check_rows<F: ImportFormat>(
    connection: &Connection,
    validation: &mut Validation<F::Row>,
) -> Result<(), ApiError> {
    let rows = std::mem::take(&mut validation.rows);
    let (passed, problems) = check_batch::<F>(connection, rows)?;
    validation.rows = passed;
    add_tenant_problems(validation, problems);
    Ok(())
}

/// Runs the tenant check like [`check_rows`] in batches of
/// [`TENANT_CHECK_BATCH`] rows, each in its own turn of the database.
async fn check_rows_in_batches<F: ImportFormat>(
    state: &AppState,
    validation: &mut Validation<F::Row>,
) -> Result<(), ApiError> {
    let mut remaining = std::mem::take(&mut validation.rows).into_iter();
    let mut passed = Vec::with_capacity(remaining.len());
    let mut problems = Vec::new();
    loop {
        let batch: Vec<F::Row> = remaining.by_ref().take(TENANT_CHECK_BATCH).collect();
        if batch.is_empty() {
            break;
        }
        // One transaction per batch: without it SQLite runs each query in a
        // transaction of its own, and the check took three times as long.
        let (accepted, rejected) = state
            .db
            .call(move |connection| {
                let transaction = connection.transaction()?;
                let checked = check_batch::<F>(&transaction, batch)?;
                transaction.commit()?;
                Ok(checked)
            })
            .await?;
        passed.extend(accepted);
        problems.extend(rejected);
    }
    validation.rows = passed;
    add_tenant_problems(validation, problems);
    Ok(())
}

/// Records tenant problems as integrity errors and takes their rows out of
/// the valid count and the preview.
fn add_tenant_problems<R>(validation: &mut Validation<R>, problems: Vec<TenantProblem>) {
    let report = &mut validation.report;
    for problem in problems {
        let mut finding = Finding::new(Severity::Error, "tenant_conflict", problem.message);
        finding.stage = Stage::IntegrityCheck;
        finding.row = Some(problem.row);
        finding.line_start = Some(problem.line_start);
        finding.line_end = Some(problem.line_end);
        finding.column = Some(problem.column.into());
        report.findings.push(finding);
        report.valid_rows = report.valid_rows.saturating_sub(1);
        let changes = &mut report.changes;
        match problem.change {
            Change::Create => changes.create = changes.create.saturating_sub(1),
            Change::Update => changes.update = changes.update.saturating_sub(1),
            Change::Delete => changes.delete = changes.delete.saturating_sub(1),
            Change::None => {}
        }
    }
    // File-level findings first, then by row, as the console lists them.
    report.findings.sort_by_key(|finding| finding.row);
    report.recount();
}

/// Decodes `%XX` escapes; returns `None` when an escape or the UTF-8 they
/// spell is invalid.
fn percent_decode(text: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&byte, tail)) = rest.split_first() {
        if byte == b'%' {
            let hex = std::str::from_utf8(tail.get(..2)?).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            rest = &tail[2..];
        } else {
            bytes.push(byte);
            rest = tail;
        }
    }
    String::from_utf8(bytes).ok()
}

/// Reads the percent-encoded `X-File-Name` header, which names the task's
/// target; without it the target is `<kind>.csv`.
fn file_name(headers: &HeaderMap, kind: CsvKind) -> String {
    headers
        .get("x-file-name")
        .and_then(|v| v.to_str().ok())
        .map(|encoded| percent_decode(encoded).unwrap_or_else(|| encoded.to_owned()))
        .map(|name| name.chars().filter(|c| !c.is_control()).take(200).collect::<String>())
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| format!("{}.csv", kind.as_str()))
}

fn parse_kind(name: &str) -> Result<CsvKind, ApiError> {
    CsvKind::parse(name).ok_or_else(|| {
        ApiError::NotFound(format!(
            "Import kind `{name}` (the kinds are users, groups and group_members)"
        ))
    })
}

fn error_rows(findings: &[Finding], stage: Option<Stage>) -> Vec<TaskRow> {
    findings
        .iter()
        .filter(|f| f.severity == Severity::Error && stage.is_none_or(|s| f.stage == s))
        .map(|f| TaskRow {
            row: f.row.unwrap_or(0),
            key: f.column.as_deref().unwrap_or_default().to_owned(),
            ok: false,
            message: f.message.clone(),
        })
        .collect()
}

/// Runs the format's checks on the blocking pool, outside the database lock,
/// so a large file does not hold up other requests.
async fn validate_file<F: ImportFormat>(body: Bytes) -> Result<Validation<F::Row>, ApiError> {
    tokio::task::spawn_blocking(move || F::validate(&body))
        .await
        .map_err(|error| ApiError::internal(format!("CSV validation failed: {error}")))
}

/// Returns the three `validate.*` tasks of a file checked against the
/// tenant, each with the rows that failed it.
fn validation_tasks<F: ImportFormat>(
    validation: &Validation<F::Row>,
) -> Vec<(TaskKind, Vec<TaskRow>)> {
    let findings = &validation.report.findings;
    let [csv_kind, integrity_kind, validate_kind] = F::VALIDATE;
    let stages = [
        (csv_kind, Some(Stage::CsvValidation)),
        (integrity_kind, Some(Stage::IntegrityCheck)),
        (validate_kind, None),
    ];
    // A file-level error, such as a missing column, stops the checks before
    // the integrity check looks at any row.
    let file_error = findings.iter().find(|f| f.is_error() && f.row.is_none());
    let mut planned = Vec::new();
    for (kind, stage) in stages {
        let mut rows = error_rows(findings, stage);
        if let (Some(error), Some(Stage::IntegrityCheck)) = (file_error, stage) {
            let message = format!("Not checked, because the file has an error: {}", error.message);
            rows.insert(0, TaskRow { row: 0, key: String::new(), ok: false, message });
        }
        planned.push((kind, rows));
    }
    planned
}

/// Records the three `validate.*` tasks of a file checked against the
/// tenant, in the caller's transaction.
fn record_validation<F: ImportFormat>(
    connection: &Connection,
    validation: &Validation<F::Row>,
    actor: &str,
    target: &str,
) -> Result<Vec<Task>, ApiError> {
    let total = validation.report.rows;
    let mut recorded = Vec::new();
    for (kind, rows) in validation_tasks::<F>(validation) {
        let record = TaskRecord { kind, actor, target, rows: &rows, total };
        recorded.push(tasks::record(connection, record)?);
    }
    Ok(recorded)
}

/// Task rows inserted in one turn of the database while a validation is
/// recorded, so that a file with an error in each of a million rows lets
/// other requests in between.
const TASK_ROW_BATCH: usize = 20_000;

async fn validate_as<F: ImportFormat>(
    state: AppState,
    admin: Admin,
    target: String,
    body: Bytes,
) -> Result<ImportOutcome, ApiError> {
    let mut validation = validate_file::<F>(body).await?;
    check_rows_in_batches::<F>(&state, &mut validation).await?;

    // The tasks with their counts first, in one transaction, then their rows
    // in batches. A reader of the task log may see a task whose rows are
    // still being added.
    let planned = Arc::new(validation_tasks::<F>(&validation));
    let total = validation.report.rows;
    let headers = Arc::clone(&planned);
    let ids = state
        .db
        .call(move |connection| {
            let transaction = connection.transaction()?;
            let mut ids = Vec::new();
            for (kind, rows) in headers.iter() {
                let record = TaskRecord {
                    kind: *kind,
                    actor: &admin.login_id,
                    target: &target,
                    rows,
                    total,
                };
                ids.push(tasks::insert_task(&transaction, &record)?);
            }
            transaction.commit()?;
            Ok(ids)
        })
        .await?;
    for (index, &id) in ids.iter().enumerate() {
        let row_count = planned[index].1.len();
        for start in (0..row_count).step_by(TASK_ROW_BATCH) {
            let end = (start + TASK_ROW_BATCH).min(row_count);
            let planned = Arc::clone(&planned);
            state
                .db
                .call(move |connection| {
                    let transaction = connection.transaction()?;
                    tasks::insert_rows(&transaction, id, &planned[index].1[start..end])?;
                    transaction.commit()?;
                    Ok(())
                })
                .await?;
        }
    }
    let tasks = state
        .db
        .call(move |connection| {
            ids.iter().map(|&id| tasks::load_recorded(connection, id)).collect()
        })
        .await?;
    Ok(ImportOutcome { report: validation.report, tasks })
}

/// `POST /imports/{kind}/validate`: validates a file and previews it.
pub async fn validate(
    State(state): State<AppState>,
    admin: Admin,
    PathParams(kind): PathParams<String>,
    headers: HeaderMap,
    CsvBody(body): CsvBody,
) -> Result<Json<ImportOutcome>, ApiError> {
    let kind = parse_kind(&kind)?;
    let target = file_name(&headers, kind);
    let outcome = match kind {
        CsvKind::Users => validate_as::<users::Users>(state, admin, target, body).await?,
        CsvKind::Groups => validate_as::<groups::Groups>(state, admin, target, body).await?,
        CsvKind::GroupMembers => {
            validate_as::<members::Members>(state, admin, target, body).await?
        }
    };
    Ok(Json(outcome))
}

async fn import_as<F: ImportFormat>(
    state: AppState,
    admin: Admin,
    keyed: Option<KeyedRequest>,
    target: String,
    body: Bytes,
) -> Result<StoredResponse, ApiError> {
    if let Some(keyed) = keyed.clone() {
        let stored =
            state.db.call(move |connection| idempotency::replay(connection, &keyed)).await?;
        if let Some(stored) = stored {
            return Ok(stored);
        }
    }
    let mut validation = validate_file::<F>(body).await?;
    state
        .db
        .call(move |connection| {
            let transaction = connection.transaction()?;
            // A retry with the same key may have finished while this one was
            // validating.
            if let Some(keyed) = &keyed {
                if let Some(stored) = idempotency::replay(&transaction, keyed)? {
                    return Ok(stored);
                }
            }
            // The import checks and applies in one transaction, so that no
            // other change comes between them.
            let actor = &admin.login_id;
            check_rows::<F>(&transaction, &mut validation)?;
            let mut recorded = record_validation::<F>(&transaction, &validation, actor, &target)?;
            if validation.report.has_errors() {
                // The validation tasks stay in the log even though nothing is imported.
                transaction.commit()?;
                return Err(ApiError::CsvRejected(Box::new(validation.report)));
            }
            for (kind, rows) in F::apply(&transaction, &validation.rows)? {
                if rows.is_empty() {
                    continue;
                }
                let record = TaskRecord { kind, actor, target: &target, rows: &rows, total: 0 };
                recorded.push(tasks::record(&transaction, record)?);
            }
            let outcome = ImportOutcome { report: validation.report, tasks: recorded };
            let body = serde_json::to_string(&outcome)
                .map_err(|error| ApiError::internal(error.to_string()))?;
            let stored = StoredResponse { status: StatusCode::OK.as_u16(), etag: None, body };
            if let Some(keyed) = &keyed {
                idempotency::store(&transaction, keyed, &stored)?;
            }
            transaction.commit()?;
            Ok(stored)
        })
        .await
}

/// `POST /imports/{kind}`: validates again and, when the file has no errors,
/// applies it. A retry with the same `Idempotency-Key` gets the first
/// response and changes nothing.
pub async fn import(
    State(state): State<AppState>,
    admin: Admin,
    PathParams(kind): PathParams<String>,
    headers: HeaderMap,
    CsvBody(body): CsvBody,
) -> Result<Response, ApiError> {
    let kind = parse_kind(&kind)?;
    let key = idempotency::key_from(&headers)?;
    let target = file_name(&headers, kind);
    let route = format!("POST /imports/{}", kind.as_str());
    let keyed = key.map(|key| KeyedRequest::new(admin.id, &key, &route, &body));
    let stored = match kind {
        CsvKind::Users => import_as::<users::Users>(state, admin, keyed, target, body).await?,
        CsvKind::Groups => import_as::<groups::Groups>(state, admin, keyed, target, body).await?,
        CsvKind::GroupMembers => {
            import_as::<members::Members>(state, admin, keyed, target, body).await?
        }
    };
    Ok(stored.into_response())
}

/// `GET /imports/{kind}/template`: a file to fill in.
pub async fn template(
    _admin: Admin,
    PathParams(kind): PathParams<String>,
) -> Result<Response, ApiError> {
    let kind = parse_kind(&kind)?;
    let text = match kind {
        CsvKind::Users => users::Users::template(),
        CsvKind::Groups => groups::Groups::template(),
        CsvKind::GroupMembers => members::Members::template(),
    };
    let mut response = text.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    let disposition = format!("attachment; filename=\"{}-template.csv\"", kind.as_str());
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// Turns the outcome of applying one row into its task row.
fn outcome_row(row: u32, key: &str, result: Result<(), String>) -> TaskRow {
    match result {
        Ok(()) => TaskRow { row, key: key.to_owned(), ok: true, message: String::new() },
        Err(message) => TaskRow { row, key: key.to_owned(), ok: false, message },
    }
}

#[cfg(test)]
mod tests {
    use super::percent_decode;

    #[test]
    fn percent_decode_reads_japanese_name() {
        assert_eq!(percent_decode("%E7%A4%BE%E5%93%A1.csv").as_deref(), Some("社員.csv"));
        assert_eq!(percent_decode("users%20(1).csv").as_deref(), Some("users (1).csv"));
    }

    #[test]
    fn percent_decode_rejects_broken_escape() {
        assert_eq!(percent_decode("100%.csv"), None);
        assert_eq!(percent_decode("%FF.csv"), None);
    }
}
