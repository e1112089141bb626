//! The SQLite database: opening, migrating, and running queries off the
//! async runtime.
//!
//! One connection behind a mutex is enough for a tenant console, where
//! writes are rare and short. Every query runs on tokio's blocking pool, so
//! a slow disk does not stall the async workers that serve other requests.

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::functions::FunctionFlags;
use rusqlite::Connection;

use crate::error::ApiError;

/// Schema changes in order. A database records how many it has applied in
/// `PRAGMA user_version`, so each runs once.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE admins (
    id INTEGER PRIMARY KEY,
    login_id TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    admin_id INTEGER NOT NULL REFERENCES admins(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_unix INTEGER NOT NULL
);
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    login_id TEXT NOT NULL,
    login_id_folded TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    email_folded TEXT NOT NULL UNIQUE,
    family_name TEXT NOT NULL,
    given_name TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    department TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'active',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    operation TEXT NOT NULL,
    status TEXT NOT NULL,
    actor TEXT NOT NULL,
    target TEXT NOT NULL,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    total INTEGER NOT NULL DEFAULT 0,
    succeeded INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tasks_by_type ON tasks(type, operation);
CREATE TABLE task_rows (
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    row INTEGER NOT NULL,
    key TEXT NOT NULL,
    ok INTEGER NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX task_rows_by_task ON task_rows(task_id, row);
CREATE TABLE idempotency_keys (
    admin_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    route TEXT NOT NULL,
    status INTEGER NOT NULL,
    etag TEXT,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (admin_id, key)
);
"#,
    r#"
CREATE TABLE groups (
    id INTEGER PRIMARY KEY,
    group_id TEXT NOT NULL,
    group_id_folded TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE group_members (
    group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_by_user ON group_members(user_id);
"#,
    r#"
ALTER TABLE idempotency_keys ADD COLUMN request_hash TEXT NOT NULL DEFAULT '';
"#,
    r#"
CREATE TABLE branding_settings (
    name TEXT PRIMARY KEY,
    value TEXT,
    data BLOB,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE email_templates (
    template TEXT NOT NULL,
    language TEXT NOT NULL,
    customized INTEGER NOT NULL,
    subject TEXT NOT NULL,
    html TEXT NOT NULL,
    text TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (template, language)
);
"#,
];

/// SQL expression for the current time as an RFC 3339 UTC timestamp with
/// milliseconds.
pub const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

#[derive(Clone)]
pub struct Db {
    connection: Arc<Mutex<Connection>>,
}

impl Db {
    /// Opens (creating if needed) and migrates the database at `path`.
    pub fn open(path: &Path) -> Result<Db, rusqlite::Error> {
        Db::migrate(Connection::open(path)?)
    }

    /// Opens a private in-memory database, for tests.
    pub fn open_in_memory() -> Result<Db, rusqlite::Error> {
        Db::migrate(Connection::open_in_memory()?)
    }

    fn migrate(mut connection: Connection) -> Result<Db, rusqlite::Error> {
        connection.pragma_update(None, "foreign_keys", "ON")?;
        connection.pragma_update(None, "busy_timeout", 5000)?;
        // WAL fails on in-memory databases; they keep their default mode.
        let _mode: String = connection.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        // SQLite's lower() folds only ASCII, so searches use this instead.
        connection.create_scalar_function(
            "fold",
            1,
            FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
            |context| Ok(context.get::<String>(0)?.to_lowercase()),
        )?;
        let applied: usize = connection.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        for (index, migration) in MIGRATIONS.iter().enumerate().skip(applied) {
            let transaction = connection.transaction()?;
            transaction.execute_batch(migration)?;
            transaction.pragma_update(None, "user_version", index + 1)?;
            transaction.commit()?;
        }
        Ok(Db { connection: Arc::new(Mutex::new(connection)) })
    }

    /// Runs `work` with the connection on the blocking thread pool.
    pub async fn call<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, ApiError> + Send + 'static,
    {
        let connection = Arc::clone(&self.connection);
        tokio::task::spawn_blocking(move || {
            let mut guard =
                connection.lock().map_err(|_| ApiError::internal("database lock poisoned"))?;
            work(&mut guard)
        })
        .await
        .map_err(|error| ApiError::internal(format!("database task failed: {error}")))?
    }
}
