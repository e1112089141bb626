//! Harness for the end-to-end tests: the reference server on a free loopback
//! port with a fresh database, and headless Chromium driven over WebDriver
//! by a ChromeDriver on another free loopback port.

// The harness exists only for tests, which should stop loudly when the
// environment is not what they need.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use gatehouse_core::catalog::TenantOption;
use gatehouse_server::auth::bootstrap_admin;
use gatehouse_server::db::Db;
use gatehouse_server::{app, AppState, Config};
use tokio::process::{Child, Command};

pub const ADMIN_LOGIN: &str = "admin";
pub const ADMIN_PASSWORD: &str = "e2e password 4 tests";

/// How long a step may wait for the page to show what it expects.
pub const STEP_TIMEOUT: Duration = Duration::from_secs(20);

/// The built console: `GATEHOUSE_DIST`, or `dist/` at the top of the repo.
pub fn dist_dir() -> PathBuf {
    let dist = std::env::var_os("GATEHOUSE_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dist"));
    assert!(
        dist.join("index.html").is_file(),
        "{} has no index.html: build the console first with `trunk build --release` \
         (scripts/test.sh does this)",
        dist.display()
    );
    dist
}

/// Returns the absolute path of a CSV fixture; ChromeDriver accepts only
/// canonical paths for file inputs.
pub fn fixture(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/csv").join(name);
    path.canonicalize().unwrap_or_else(|e| panic!("cannot find {}: {e}", path.display()))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).unwrap()
}

/// Starts the server with a new database in `folder`; returns its address.
pub async fn start_server(folder: &Path) -> SocketAddr {
    let db = Db::open(&folder.join("gatehouse.sqlite")).unwrap();
    bootstrap_admin(&db, Some(ADMIN_LOGIN.into()), Some(ADMIN_PASSWORD.into())).await.unwrap();
    let config = Config {
        tenant_options: vec![TenantOption::PremiumFederation, TenantOption::Mfa],
        idle_timeout_minutes: 30,
        secure_cookie: false,
        dist: Some(dist_dir()),
        smtp_url: None,
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app(AppState::new(db, config))).await });
    address
}

/// A ChromeDriver process and a WebDriver session in headless Chromium.
pub struct Browser {
    pub client: Client,
    driver: Child,
}

impl Browser {
    pub async fn start(profile: &Path) -> Browser {
        let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or("/usr/bin/chromedriver".into());
        let port = free_port();
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {chromedriver}: {e}"));
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            assert!(started.elapsed() < STEP_TIMEOUT, "ChromeDriver did not listen on {url}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let user_data_dir = profile.join("chromium-profile");
        // Flags for Chromium as root without network access: no sandbox, and
        // none of the background connections that would be refused.
        let capabilities = serde_json::json!({
            "goog:chromeOptions": {
                "binary": std::env::var("CHROMIUM").unwrap_or("/usr/bin/chromium".into()),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                    format!("--user-data-dir={}", user_data_dir.display()),
                ]
            }
        });
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(capabilities.as_object().cloned().unwrap())
            .connect(&url)
            .await
            .unwrap_or_else(|e| panic!("cannot open a WebDriver session at {url}: {e}"));
        Browser { client, driver }
    }

    /// Waits until an element matching `css` contains `text`, and returns its text.
    pub async fn wait_for_text(&self, css: &str, text: &str) -> String {
        let started = Instant::now();
        let mut last = String::new();
        while started.elapsed() < STEP_TIMEOUT {
            if let Ok(elements) = self.client.find_all(Locator::Css(css)).await {
                for element in elements {
                    last = element.text().await.unwrap_or_default();
                    if last.contains(text) {
                        return last;
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no `{css}` contained `{text}` within {STEP_TIMEOUT:?}; the last one read: {last:?}")
    }

    /// Waits until an element matching `css` exists and is enabled, then clicks it.
    pub async fn click_when_enabled(&self, css: &str) {
        let started = Instant::now();
        while started.elapsed() < STEP_TIMEOUT {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                if element.is_enabled().await.unwrap_or(false) {
                    element.click().await.unwrap();
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("`{css}` was not there and enabled within {STEP_TIMEOUT:?}");
    }

    /// Saves a screenshot under `target/e2e-screenshots/` for people to look at.
    pub async fn screenshot(&self, name: &str) {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e-screenshots");
        if let Ok(png) = self.client.screenshot().await {
            std::fs::create_dir_all(&folder).ok();
            std::fs::write(folder.join(format!("{name}.png")), png).ok();
        }
    }

    pub async fn close(mut self) {
        self.client.close().await.ok();
        self.driver.kill().await.ok();
    }
}
