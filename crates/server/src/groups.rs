//! Groups and their members: the store that the CSV imports change, and the
//! read-only list the console shows. Forms to create and edit single groups
//! are not built yet.

use axum::extract::State;
use axum::Json;
use gatehouse_core::api::{Group, Page};
use gatehouse_core::rules::fold_key;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Deserialize;

use crate::auth::Admin;
use crate::db::NOW;
use crate::error::ApiError;
use crate::extract::QueryParams;
use crate::paging::{default_per_page, first_page, like_pattern, offset, MAX_PER_PAGE};
use crate::AppState;

const GROUP_COLUMNS: &str = "id, group_id, name, description, version, created_at, updated_at, \
     (SELECT COUNT(*) FROM group_members m WHERE m.group_id = groups.id)";

fn group_from_row(row: &Row<'_>) -> rusqlite::Result<Group> {
    Ok(Group {
        id: row.get(0)?,
        group_id: row.get(1)?,
        name: row.get(2)?,
        description: row.get(3)?,
        version: row.get(4)?,
        created_at: row.get(5)?,
        updated_at: row.get(6)?,
        members: row.get(7)?,
    })
}

pub fn find_by_group_id(
    connection: &Connection,
    group_id: &str,
) -> Result<Option<Group>, ApiError> {
    // Cached, because an import looks up every row's group ID.
    let sql = format!("SELECT {GROUP_COLUMNS} FROM groups WHERE group_id_folded = ?1");
    Ok(connection
        .prepare_cached(&sql)?
        .query_row([fold_key(group_id)], group_from_row)
        .optional()?)
}

pub fn insert(
    connection: &Connection,
    group_id: &str,
    name: &str,
    description: &str,
) -> Result<(), ApiError> {
    connection.execute(
        &format!(
            "INSERT INTO groups (group_id, group_id_folded, name, description, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, {NOW}, {NOW})"
        ),
        params![group_id, fold_key(group_id), name, description],
    )?;
    Ok(())
}

/// Changes the name and description of a group; empty values keep the
/// stored ones, as an update row of a CSV file means.
pub fn update(
    connection: &Connection,
    id: i64,
    name: &str,
    description: &str,
) -> Result<(), ApiError> {
    connection.execute(
        &format!(
            "UPDATE groups SET name = CASE WHEN ?2 = '' THEN name ELSE ?2 END,
                description = CASE WHEN ?3 = '' THEN description ELSE ?3 END,
                version = version + 1, updated_at = {NOW}
             WHERE id = ?1"
        ),
        params![id, name, description],
    )?;
    Ok(())
}

pub fn delete(connection: &Connection, id: i64) -> Result<(), ApiError> {
    connection.execute("DELETE FROM groups WHERE id = ?1", [id])?;
    Ok(())
}

pub fn is_member(connection: &Connection, group: i64, user: i64) -> Result<bool, ApiError> {
    let found: Option<i64> = connection
        .prepare_cached("SELECT 1 FROM group_members WHERE group_id = ?1 AND user_id = ?2")?
        .query_row([group, user], |r| r.get(0))
        .optional()?;
    Ok(found.is_some())
}

pub fn add_member(connection: &Connection, group: i64, user: i64) -> Result<(), ApiError> {
    connection.execute(
        &format!(
            "INSERT INTO group_members (group_id, user_id, created_at) VALUES (?1, ?2, {NOW})"
        ),
        [group, user],
    )?;
    Ok(())
}

pub fn remove_member(connection: &Connection, group: i64, user: i64) -> Result<(), ApiError> {
    connection
        .execute("DELETE FROM group_members WHERE group_id = ?1 AND user_id = ?2", [group, user])?;
    Ok(())
}

#[derive(Debug, Deserialize)]
pub struct GroupQuery {
    #[serde(default)]
    q: String,
    #[serde(default = "first_page")]
    page: u32,
    #[serde(default = "default_per_page")]
    per_page: u32,
}

/// `GET /groups`: search by group id or name; page.
pub async fn list(
    State(state): State<AppState>,
    _admin: Admin,
    QueryParams(query): QueryParams<GroupQuery>,
) -> Result<Json<Page<Group>>, ApiError> {
    let page = query.page.max(1);
    let per_page = query.per_page.clamp(1, MAX_PER_PAGE);
    let pattern = like_pattern(&query.q);
    let groups = state
        .db
        .call(move |connection| {
            let filter = "group_id_folded LIKE ?1 ESCAPE '\\' OR fold(name) LIKE ?1 ESCAPE '\\'";
            let total: u64 = connection.query_row(
                &format!("SELECT COUNT(*) FROM groups WHERE {filter}"),
                [&pattern],
                |r| r.get(0),
            )?;
            let mut statement = connection.prepare(&format!(
                "SELECT {GROUP_COLUMNS} FROM groups WHERE {filter}
                 ORDER BY group_id_folded LIMIT ?2 OFFSET ?3"
            ))?;
            let items = statement
                .query_map(params![pattern, per_page, offset(page, per_page)], group_from_row)?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Page { items, total, page, per_page })
        })
        .await?;
    Ok(Json(groups))
}
