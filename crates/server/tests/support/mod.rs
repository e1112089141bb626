//! Set-up shared by the API test suites: a router driven in-process over an
//! in-memory database, with a signed-in administrator.

// Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use gatehouse_core::api::SessionInfo;
use gatehouse_core::catalog::TenantOption;
use gatehouse_server::auth::bootstrap_admin;
use gatehouse_server::db::Db;
use gatehouse_server::{app, AppState, Config};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

/// Password of the `admin` account that every router starts with.
pub const PASSWORD: &str = "correct horse battery";

/// A response with its body read.
pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn header(&self, name: &str) -> String {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Returns a configuration with the given tenant options and SMTP server.
pub fn config_with(options: Vec<TenantOption>, smtp_url: Option<String>) -> Config {
    Config {
        tenant_options: options,
        idle_timeout_minutes: 30,
        secure_cookie: false,
        dist: None,
        smtp_url,
    }
}

/// Returns the configuration most tests use: MFA enabled and no SMTP server.
pub fn config() -> Config {
    config_with(vec![TenantOption::Mfa], None)
}

/// Creates a router over a new in-memory database with the `admin` account.
pub async fn router_with(config: Config) -> Router {
    let db = Db::open_in_memory().unwrap();
    bootstrap_admin(&db, Some("admin".into()), Some(PASSWORD.into())).await.unwrap();
    app(AppState::new(db, config))
}

/// Sends one request through the router and reads the whole response.
pub async fn send(router: &Router, request: Request<Body>) -> Reply {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes().to_vec();
    Reply { status, headers, body }
}

/// Builds a request with a JSON body and no session.
pub fn json_request(method: Method, uri: &str, body: &Value) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

/// Returns a task's type and operation as a pair, for comparing task lists.
pub fn pair(task_type: &str, operation: &str) -> (String, String) {
    (task_type.to_owned(), operation.to_owned())
}

/// A router with a signed-in administrator.
pub struct Console {
    pub router: Router,
    pub cookie: String,
    pub csrf: String,
}

impl Console {
    /// Signs in to a router with [`config`].
    pub async fn signed_in() -> Console {
        Console::signed_in_with(config()).await
    }

    pub async fn signed_in_with(config: Config) -> Console {
        let router = router_with(config).await;
        let credentials = json!({"login_id": "admin", "password": PASSWORD});
        let reply =
            send(&router, json_request(Method::POST, "/api/v1/session", &credentials)).await;
        assert_eq!(reply.status, StatusCode::OK);
        let cookie = reply.header("set-cookie").split(';').next().unwrap().to_owned();
        let session: SessionInfo = reply.json();
        Console { router, cookie, csrf: session.csrf_token }
    }

    /// Starts a request that carries the session cookie and CSRF token.
    pub fn request(&self, method: Method, uri: &str) -> axum::http::request::Builder {
        Request::builder()
            .method(method)
            .uri(uri)
            .header(header::COOKIE, &self.cookie)
            .header("x-csrf-token", &self.csrf)
    }

    pub async fn get(&self, uri: &str) -> Reply {
        send(&self.router, self.request(Method::GET, uri).body(Body::empty()).unwrap()).await
    }
}
