//! Administrators, sessions and CSRF protection.
//!
//! A session is a random token in an HttpOnly, SameSite=Strict cookie; the
//! database stores only its SHA-256 hash. Each session also has a CSRF token
//! that the console sends in `X-CSRF-Token` on every state-changing request.
//! A session ends after `idle_timeout` without requests.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use gatehouse_core::api::{SessionInfo, SignInRequest, CSRF_HEADER};
use rand::RngCore;
use rusqlite::{params, OptionalExtension};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::db::{Db, NOW};
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::AppState;

pub const SESSION_COOKIE: &str = "gatehouse_session";

/// Failed sign-ins allowed for one login id within [`SIGN_IN_WINDOW`].
const MAX_FAILED_SIGN_INS: u32 = 5;
const SIGN_IN_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Counts failed sign-ins per login id in memory. After
/// [`MAX_FAILED_SIGN_INS`] failures, sign-in for that login id is rejected
/// until [`SIGN_IN_WINDOW`] has passed since the first failure, which slows
/// password guessing without locking the account for good.
#[derive(Default)]
pub struct SignInThrottle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl SignInThrottle {
    fn check(&self, login_id: &str) -> Result<(), ApiError> {
        let failures =
            self.failures.lock().map_err(|_| ApiError::internal("throttle lock poisoned"))?;
        match failures.get(&login_id.to_lowercase()) {
            Some(&(count, first))
                if count >= MAX_FAILED_SIGN_INS && first.elapsed() < SIGN_IN_WINDOW =>
            {
                let retry_after_seconds = (SIGN_IN_WINDOW - first.elapsed()).as_secs().max(1);
                Err(ApiError::TooManySignIns { retry_after_seconds })
            }
            _ => Ok(()),
        }
    }

    fn record_failure(&self, login_id: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.retain(|_, (_, first)| first.elapsed() < SIGN_IN_WINDOW);
            let entry = failures.entry(login_id.to_lowercase()).or_insert((0, Instant::now()));
            entry.0 += 1;
        }
    }

    fn clear(&self, login_id: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(&login_id.to_lowercase());
        }
    }
}

/// The administrator behind an authenticated request.
#[derive(Debug, Clone)]
pub struct Admin {
    pub id: i64,
    pub login_id: String,
    csrf_token: String,
}

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn token_hash(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()))
}

fn unix_now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| ApiError::internal(format!("hashing a password failed: {error}")))
}

fn password_matches(password: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash)
        .map(|hash| Argon2::default().verify_password(password.as_bytes(), &hash).is_ok())
        .unwrap_or(false)
}

/// Outcome of creating the first administrator at start.
pub enum Bootstrap {
    /// Administrators already existed.
    Existing,
    /// Created from the given credentials.
    Created { login_id: String },
    /// Created with a generated password, which is shown once.
    Generated { login_id: String, password: String },
}

/// Creates the first administrator on an empty database.
pub async fn bootstrap_admin(
    db: &Db,
    login_id: Option<String>,
    password: Option<String>,
) -> Result<Bootstrap, ApiError> {
    let login_id = login_id.filter(|l| !l.trim().is_empty()).unwrap_or_else(|| "admin".to_owned());
    let (password, generated) = match password.filter(|p| !p.is_empty()) {
        Some(password) => (password, false),
        None => (random_token(), true),
    };
    let password_hash = hash_password(&password)?;
    let stored_login = login_id.clone();
    let created = db
        .call(move |connection| {
            let count: i64 =
                connection.query_row("SELECT COUNT(*) FROM admins", [], |r| r.get(0))?;
            if count > 0 {
                return Ok(false);
            }
            connection.execute(
                "INSERT INTO admins (login_id, password_hash) VALUES (?1, ?2)",
                params![stored_login, password_hash],
            )?;
            Ok(true)
        })
        .await?;
    Ok(match (created, generated) {
        (false, _) => Bootstrap::Existing,
        (true, false) => Bootstrap::Created { login_id },
        (true, true) => Bootstrap::Generated { login_id, password },
    })
}

fn session_cookie(token: &str, state: &AppState) -> String {
    let secure = if state.config.secure_cookie { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{secure}")
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|cookies| {
        cookies.split(';').find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == SESSION_COOKIE).then(|| value.to_owned())
        })
    })
}

fn session_info(admin: &Admin, state: &AppState) -> SessionInfo {
    SessionInfo {
        login_id: admin.login_id.clone(),
        csrf_token: admin.csrf_token.clone(),
        tenant_options: state.config.tenant_options.clone(),
        idle_timeout_minutes: state.config.idle_timeout_minutes,
    }
}

/// `POST /session`: signs in and sets the session cookie.
pub async fn sign_in(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<SignInRequest>,
) -> Result<Response, ApiError> {
    let login_id = request.login_id.trim().to_owned();
    state.sign_in_throttle.check(&login_id)?;
    let lookup = login_id.clone();
    let stored = state
        .db
        .call(move |connection| {
            Ok(connection
                .query_row(
                    "SELECT id, password_hash FROM admins WHERE login_id = ?1",
                    [lookup],
                    |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
                )
                .optional()?)
        })
        .await?;
    // Verifying takes the same time whether or not the login id exists, so
    // response times do not reveal which administrators exist.
    let password = request.password;
    let (admin_id, verified) = tokio::task::spawn_blocking(move || match stored {
        Some((id, hash)) => (Some(id), password_matches(&password, &hash)),
        None => {
            let _ = password_matches(&password, DUMMY_HASH);
            (None, false)
        }
    })
    .await
    .map_err(|error| ApiError::internal(format!("password check failed: {error}")))?;
    let Some(admin_id) = admin_id.filter(|_| verified) else {
        tracing::info!(login_id = %login_id, "sign-in rejected");
        state.sign_in_throttle.record_failure(&login_id);
        return Err(ApiError::SignInFailed);
    };
    state.sign_in_throttle.clear(&login_id);

    let token = random_token();
    let admin = Admin { id: admin_id, login_id, csrf_token: random_token() };
    let (hash, csrf) = (token_hash(&token), admin.csrf_token.clone());
    state
        .db
        .call(move |connection| {
            connection.execute(
                &format!(
                    "INSERT INTO sessions (token_hash, admin_id, csrf_token, created_at, last_seen_unix)
                     VALUES (?1, ?2, ?3, {NOW}, ?4)"
                ),
                params![hash, admin_id, csrf, unix_now()],
            )?;
            Ok(())
        })
        .await?;
    tracing::info!(login_id = %admin.login_id, "signed in");
    let mut response = Json(session_info(&admin, &state)).into_response();
    if let Ok(cookie) = HeaderValue::from_str(&session_cookie(&token, &state)) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// A valid Argon2 hash of a random password, verified against when the
/// login id is unknown.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3cJWtzJb9kD7C6d9yV7TP7hqQk8nHPOyXYg6KpV1gNE";

/// `GET /session`: the current session, so the console survives a reload.
pub async fn current_session(State(state): State<AppState>, admin: Admin) -> Json<SessionInfo> {
    Json(session_info(&admin, &state))
}

/// `DELETE /session`: signs out and clears the cookie.
pub async fn sign_out(
    State(state): State<AppState>,
    admin: Admin,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if let Some(token) = cookie_token(&headers) {
        let hash = token_hash(&token);
        state
            .db
            .call(move |connection| {
                connection.execute("DELETE FROM sessions WHERE token_hash = ?1", [hash])?;
                Ok(())
            })
            .await?;
    }
    tracing::info!(login_id = %admin.login_id, "signed out");
    let mut response = StatusCode::NO_CONTENT.into_response();
    let expired = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    if let Ok(cookie) = HeaderValue::from_str(&expired) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Admin, ApiError> {
        let token = cookie_token(&parts.headers).ok_or(ApiError::Unauthorized)?;
        let hash = token_hash(&token);
        let idle_seconds = i64::from(state.config.idle_timeout_minutes) * 60;
        let admin = state
            .db
            .call(move |connection| {
                let now = unix_now();
                let found = connection
                    .query_row(
                        "SELECT a.id, a.login_id, s.csrf_token, s.last_seen_unix
                         FROM sessions s JOIN admins a ON a.id = s.admin_id
                         WHERE s.token_hash = ?1",
                        [&hash],
                        |r| {
                            Ok((
                                Admin { id: r.get(0)?, login_id: r.get(1)?, csrf_token: r.get(2)? },
                                r.get::<_, i64>(3)?,
                            ))
                        },
                    )
                    .optional()?;
                let Some((admin, last_seen)) = found else { return Ok(None) };
                if now - last_seen > idle_seconds {
                    connection.execute("DELETE FROM sessions WHERE token_hash = ?1", [&hash])?;
                    return Ok(None);
                }
                connection.execute(
                    "UPDATE sessions SET last_seen_unix = ?1 WHERE token_hash = ?2",
                    params![now, hash],
                )?;
                Ok(Some(admin))
            })
            .await?
            .ok_or(ApiError::Unauthorized)?;
        if !matches!(parts.method, Method::GET | Method::HEAD) {
            let sent =
                parts.headers.get(CSRF_HEADER).map(HeaderValue::as_bytes).unwrap_or_default();
            if !bool::from(sent.ct_eq(admin.csrf_token.as_bytes())) {
                return Err(ApiError::CsrfRejected);
            }
        }
        Ok(admin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dummy_hash_parses() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
        assert!(!password_matches("anything", DUMMY_HASH));
    }

    #[test]
    fn cookie_token_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("a=1; gatehouse_session=abc; b=2"));
        assert_eq!(cookie_token(&headers).as_deref(), Some("abc"));
    }

    #[test]
    fn hashed_password_verifies() {
        let hash = hash_password("correct horse").unwrap_or_default();
        assert!(password_matches("correct horse", &hash));
        assert!(!password_matches("wrong horse", &hash));
    }
}
