//! The task log: recording what each change did, and the endpoints that list
//! it. Task types and operations come from the core catalog's `kinds`, so a
//! recorded pair is always one the specification names.

use std::collections::BTreeSet;

use axum::extract::State;
use axum::Json;
use gatehouse_core::api::{Page, Task, TaskDetail, TaskRow, TaskStatus};
use gatehouse_core::catalog::TaskKind;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Deserialize;

use crate::auth::Admin;
use crate::db::NOW;
use crate::error::ApiError;
use crate::extract::{PathParams, QueryParams};
use crate::paging::{default_per_page, first_page, offset, MAX_PER_PAGE};
use crate::AppState;

/// A finished piece of work to record.
pub struct TaskRecord<'a> {
    pub kind: TaskKind,
    pub actor: &'a str,
    pub target: &'a str,
    pub rows: &'a [TaskRow],
    /// Rows counted when `rows` lists only failures, as validation does.
    pub total: u32,
}

/// Records a finished task with its per-row results and returns it. The task
/// failed when any row failed.
pub fn record(connection: &Connection, task: TaskRecord<'_>) -> Result<Task, ApiError> {
    let id = insert_task(connection, &task)?;
    insert_rows(connection, id, task.rows)?;
    load_recorded(connection, id)
}

/// Inserts a finished task with the counts of its per-row results, but not
/// the rows themselves, and returns its id. [`insert_rows`] adds them.
pub fn insert_task(connection: &Connection, task: &TaskRecord<'_>) -> Result<i64, ApiError> {
    // A row can fail for several reasons, each its own task row, so the
    // counts are of distinct row numbers.
    let rows: BTreeSet<u32> = task.rows.iter().map(|row| row.row).collect();
    let failed_rows: BTreeSet<u32> =
        task.rows.iter().filter(|row| !row.ok).map(|row| row.row).collect();
    // Row 0 is the file as a whole, as in a missing header: it is not a data
    // row, and its failure fails every row.
    let data_rows = rows.iter().filter(|&&row| row != 0).count() as u32;
    let total = task.total.max(data_rows);
    let failed = if failed_rows.contains(&0) { total } else { failed_rows.len() as u32 };
    let succeeded = total.saturating_sub(failed);
    let status = if failed_rows.is_empty() { TaskStatus::Succeeded } else { TaskStatus::Failed };
    connection.execute(
        &format!(
            "INSERT INTO tasks (type, operation, status, actor, target, created_at, started_at,
                                finished_at, total, succeeded, failed)
             VALUES (?1, ?2, ?3, ?4, ?5, {NOW}, {NOW}, {NOW}, ?6, ?7, ?8)"
        ),
        params![
            task.kind.task_type,
            task.kind.operation,
            status.as_str(),
            task.actor,
            task.target,
            total,
            succeeded,
            failed
        ],
    )?;
    Ok(connection.last_insert_rowid())
}

/// Inserts per-row results of the task `id`.
pub fn insert_rows(connection: &Connection, id: i64, rows: &[TaskRow]) -> Result<(), ApiError> {
    let mut insert = connection.prepare_cached(
        "INSERT INTO task_rows (task_id, row, key, ok, message) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for row in rows {
        insert.execute(params![id, row.row, row.key, row.ok, row.message])?;
    }
    Ok(())
}

/// Loads a task that this request recorded.
pub fn load_recorded(connection: &Connection, id: i64) -> Result<Task, ApiError> {
    load(connection, id)?.ok_or_else(|| ApiError::internal("a recorded task vanished"))
}

/// Records a single-record change that succeeded.
pub fn record_single(
    connection: &Connection,
    kind: TaskKind,
    actor: &str,
    target: &str,
) -> Result<Task, ApiError> {
    let row = TaskRow { row: 1, key: target.to_owned(), ok: true, message: String::new() };
    record(connection, TaskRecord { kind, actor, target, rows: &[row], total: 1 })
}

const TASK_COLUMNS: &str = "id, type, operation, status, actor, target, created_at, started_at, \
                            finished_at, total, succeeded, failed";

fn task_from_row(row: &Row<'_>) -> rusqlite::Result<Task> {
    let status: String = row.get(3)?;
    let status = match status.as_str() {
        "queued" => TaskStatus::Queued,
        "running" => TaskStatus::Running,
        "succeeded" => TaskStatus::Succeeded,
        "held" => TaskStatus::Held,
        _ => TaskStatus::Failed,
    };
    Ok(Task {
        id: row.get(0)?,
        task_type: row.get(1)?,
        operation: row.get(2)?,
        status,
        actor: row.get(4)?,
        target: row.get(5)?,
        created_at: row.get(6)?,
        started_at: row.get(7)?,
        finished_at: row.get(8)?,
        total: row.get(9)?,
        succeeded: row.get(10)?,
        failed: row.get(11)?,
    })
}

fn load(connection: &Connection, id: i64) -> Result<Option<Task>, ApiError> {
    Ok(connection
        .query_row(&format!("SELECT {TASK_COLUMNS} FROM tasks WHERE id = ?1"), [id], task_from_row)
        .optional()?)
}

#[derive(Debug, Deserialize)]
pub struct TaskQuery {
    #[serde(default = "first_page")]
    page: u32,
    #[serde(default = "default_per_page")]
    per_page: u32,
    #[serde(default, rename = "type")]
    task_type: Option<String>,
}

/// `GET /tasks`: the task log, newest first.
pub async fn list(
    State(state): State<AppState>,
    _admin: Admin,
    QueryParams(query): QueryParams<TaskQuery>,
) -> Result<Json<Page<Task>>, ApiError> {
    let page = query.page.max(1);
    let per_page = query.per_page.clamp(1, MAX_PER_PAGE);
    let type_filter = query.task_type.filter(|t| !t.is_empty());
    let page_of_tasks = state
        .db
        .call(move |connection| {
            let total: u64 = connection.query_row(
                "SELECT COUNT(*) FROM tasks WHERE ?1 IS NULL OR type = ?1",
                [&type_filter],
                |r| r.get(0),
            )?;
            let mut statement = connection.prepare(&format!(
                "SELECT {TASK_COLUMNS} FROM tasks WHERE ?1 IS NULL OR type = ?1
                 ORDER BY id DESC LIMIT ?2 OFFSET ?3"
            ))?;
            let items = statement
                .query_map(params![type_filter, per_page, offset(page, per_page)], task_from_row)?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Page { items, total, page, per_page })
        })
        .await?;
    Ok(Json(page_of_tasks))
}

/// `GET /tasks/{id}`: one task with its per-row results.
pub async fn detail(
    State(state): State<AppState>,
    _admin: Admin,
    PathParams(id): PathParams<i64>,
) -> Result<Json<TaskDetail>, ApiError> {
    let detail = state
        .db
        .call(move |connection| {
            let task =
                load(connection, id)?.ok_or_else(|| ApiError::NotFound(format!("Task {id}")))?;
            let mut statement = connection.prepare(
                "SELECT row, key, ok, message FROM task_rows WHERE task_id = ?1 ORDER BY row",
            )?;
            let rows = statement
                .query_map([id], |r| {
                    Ok(TaskRow {
                        row: r.get(0)?,
                        key: r.get(1)?,
                        ok: r.get(2)?,
                        message: r.get(3)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(TaskDetail { task, rows })
        })
        .await?;
    Ok(Json(detail))
}
