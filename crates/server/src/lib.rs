//! The Gatehouse reference API server: the `/api/v1` contract over SQLite,
//! plus the built console with a fallback to `index.html` for deep links.

pub mod auth;
mod branding;
pub mod db;
mod emails;
pub mod error;
mod extract;
mod groups;
mod idempotency;
mod imports;
mod paging;
pub mod request_id;
pub mod security;
pub mod shift_jis;
pub mod smtp;
pub mod tasks;
mod users;

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::{middleware, Json, Router};
use gatehouse_core::api::{operation_infos, Health, OperationInfo};
use gatehouse_core::catalog::TenantOption;
use tower_http::services::ServeDir;

use crate::auth::Admin;
use crate::db::Db;
use crate::error::ApiError;

/// Settings that do not change while the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    pub tenant_options: Vec<TenantOption>,
    pub idle_timeout_minutes: u32,
    /// Adds `Secure` to the session cookie; set it when serving over HTTPS.
    pub secure_cookie: bool,
    /// The built console; `None` serves only the API.
    pub dist: Option<PathBuf>,
    /// Where test emails go, such as `smtp://127.0.0.1:2525`; `None` turns
    /// test sends off.
    pub smtp_url: Option<String>,
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub csp: Arc<str>,
    /// The console's `index.html` as read at start. The CSP hashes its
    /// inline scripts, so the server keeps serving these exact bytes even if
    /// `dist/` is rebuilt while it runs.
    pub index_html: Option<Arc<str>>,
    pub sign_in_throttle: Arc<auth::SignInThrottle>,
}

impl AppState {
    pub fn new(db: Db, config: Config) -> AppState {
        let index_html = config
            .dist
            .as_deref()
            .and_then(|dist| std::fs::read_to_string(dist.join("index.html")).ok());
        let scripts = index_html.as_deref().map(security::inline_scripts).unwrap_or_default();
        let csp = security::content_security_policy(&scripts);
        AppState {
            db,
            config: Arc::new(config),
            csp: csp.into(),
            index_html: index_html.map(Arc::from),
            sign_in_throttle: Arc::default(),
        }
    }
}

async fn health() -> Json<Health> {
    Json(Health { status: "ok".to_owned() })
}

async fn operations(_admin: Admin) -> Json<Vec<OperationInfo>> {
    Json(operation_infos())
}

async fn api_not_found() -> ApiError {
    ApiError::NotFound("This API path".to_owned())
}

async fn method_not_allowed(method: axum::http::Method) -> ApiError {
    ApiError::Rejected {
        status: axum::http::StatusCode::METHOD_NOT_ALLOWED,
        detail: format!("This API path does not accept {method} requests."),
    }
}

/// Builds the router; tests drive it in-process.
pub fn app(state: AppState) -> Router {
    let csv_limit = DefaultBodyLimit::max(gatehouse_core::csv::MAX_FILE_BYTES);
    let api = Router::new()
        .route("/health", get(health))
        .route("/session", get(auth::current_session).post(auth::sign_in).delete(auth::sign_out))
        .route("/operations", get(operations))
        .route("/users", get(users::list).post(users::create))
        .route("/users/{id}", get(users::get).put(users::update))
        .route("/users/{id}/remove", post(users::remove))
        .route("/users/{id}/restore", post(users::restore))
        .route("/users/{id}/erase", post(users::erase))
        .route("/groups", get(groups::list))
        .route("/imports/{kind}/template", get(imports::template))
        .route("/imports/{kind}/validate", post(imports::validate).layer(csv_limit))
        .route("/imports/{kind}", post(imports::import).layer(csv_limit))
        .route("/tasks", get(tasks::list))
        .route("/tasks/{id}", get(tasks::detail))
        .merge(branding::routes())
        .merge(emails::routes())
        .fallback(api_not_found)
        .method_not_allowed_fallback(method_not_allowed);
    let mut router = Router::new().nest("/api/v1", api);
    if let Some(dist) = &state.config.dist {
        let console = get(security::console_page).with_state(state.clone());
        let files = ServeDir::new(dist).append_index_html_on_directories(false).fallback(console);
        router = router.route("/index.html", get(security::console_page)).fallback_service(files);
    }
    router
        .layer(middleware::from_fn_with_state(state.clone(), security::add_headers))
        .layer(middleware::from_fn(request_id::assign))
        .with_state(state)
}
