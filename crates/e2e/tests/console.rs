//! The console in headless Chromium against the real server: sign in,
//! import users, groups and group members from CSV files, download a
//! findings report, and find the records and the tasks.

#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::Locator;
use gatehouse_e2e::{fixture, start_server, Browser, ADMIN_LOGIN, ADMIN_PASSWORD, STEP_TIMEOUT};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_import_csv_and_see_tasks() {
    let folder = std::env::temp_dir().join(format!("gatehouse-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let address = start_server(&folder).await;
    let base = format!("http://{address}");
    let browser = Browser::start(&folder).await;
    let client = &browser.client;

    // A deep link before signing in leads to the sign-in page.
    client.goto(&format!("{base}/users")).await.unwrap();
    client.wait().for_element(Locator::Css("#login_id")).await.unwrap();
    browser.screenshot("sign-in").await;
    client.find(Locator::Css("#login_id")).await.unwrap().send_keys(ADMIN_LOGIN).await.unwrap();
    client.find(Locator::Css("#password")).await.unwrap().send_keys(ADMIN_PASSWORD).await.unwrap();
    client.find(Locator::Css("button[type=submit]")).await.unwrap().click().await.unwrap();
    browser.wait_for_text("header", ADMIN_LOGIN).await;

    // The browser validates the file before anything is uploaded.
    client.goto(&format!("{base}/bulk-import/users")).await.unwrap();
    let file = fixture("users-bom-crlf.csv");
    let input = client.wait().for_element(Locator::Css("#csv-file")).await.unwrap();
    input.send_keys(&file.display().to_string()).await.unwrap();
    browser.wait_for_text("main", "UTF-8 with BOM").await;
    browser.screenshot("bulk-import-validated").await;

    browser.click_when_enabled("#validate-upload").await;
    browser.wait_for_text("main", "2 to create").await;
    browser.screenshot("bulk-import-preview").await;
    browser.click_when_enabled("#confirm-import").await;
    browser.wait_for_text("main", "import.user").await;
    browser.screenshot("bulk-import-done").await;

    client.goto(&format!("{base}/users")).await.unwrap();
    browser.wait_for_text("table.users-table", "aiko.tanaka").await;
    let users = browser.wait_for_text("table.users-table", "ben.ito").await;
    assert!(users.contains("aiko.tanaka@example.com"), "{users}");
    browser.screenshot("users").await;

    // Groups, then their members, through the same page for each kind.
    import_file(&browser, &base, "groups", "groups-valid.csv", "2 to create").await;
    browser.wait_for_text("#import-result", "import.group create").await;
    browser.screenshot("bulk-import-groups-done").await;
    let members = "group-members-valid.csv";
    import_file(&browser, &base, "group-members", members, "2 to add, 0 to remove").await;
    browser.wait_for_text("#import-result", "import.group_member update").await;
    browser.screenshot("bulk-import-group-members-done").await;

    client.goto(&format!("{base}/groups")).await.unwrap();
    let groups = browser.wait_for_text("table.groups-table", "Operations").await;
    assert!(groups.contains("sales"), "{groups}");
    assert!(groups.contains("UTC"), "timestamps are formatted: {groups}");
    browser.wait_for_text("#groups-read-only", "not built").await;
    browser.screenshot("groups").await;

    client.goto(&format!("{base}/tasks")).await.unwrap();
    let tasks = browser.wait_for_text("table.tasks-table", "import.user").await;
    assert!(tasks.contains("create"), "{tasks}");
    assert!(tasks.contains("validate.user"), "{tasks}");
    assert!(tasks.contains("csv_validation"), "{tasks}");
    assert!(tasks.contains("integrity_check"), "{tasks}");
    let types = task_types(&browser).await;
    for expected in
        ["import.group", "import.group_member", "validate.group", "validate.group_member"]
    {
        assert!(types.iter().any(|task_type| task_type == expected), "no {expected} in {types:?}");
    }
    assert_no_sideways_scroll(&browser, "the tasks page").await;
    browser.screenshot("tasks").await;

    // The type filter is a list of the catalog's task types.
    let filter = client.find(Locator::Css("#task-type")).await.unwrap();
    filter.select_by_value("import.group_member").await.unwrap();
    browser.wait_for_text("table.tasks-table", "import.group_member").await;
    let start = Instant::now();
    loop {
        let types = task_types(&browser).await;
        if !types.is_empty() && types.iter().all(|task_type| task_type == "import.group_member") {
            break;
        }
        assert!(start.elapsed() < STEP_TIMEOUT, "the filter still shows {types:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    browser.screenshot("tasks-filtered").await;

    // A user that does not exist links back to the list.
    client.goto(&format!("{base}/users/999")).await.unwrap();
    browser.wait_for_text("main", "Back to the users list").await;
    browser.screenshot("user-not-found").await;

    client.goto(&format!("{base}/bulk-import")).await.unwrap();
    let home = browser.wait_for_text("main", "グループid").await;
    assert!(home.contains("Group members"), "{home}");
    assert_no_sideways_scroll(&browser, "the bulk import page").await;
    browser.screenshot("bulk-import-home").await;

    browser.close().await;
    std::fs::remove_dir_all(&folder).ok();
}

/// Chooses `fixture_name` on the import page of `kind`, uploads it, waits
/// for the server's preview to read `changes`, and confirms the import.
async fn import_file(browser: &Browser, base: &str, kind: &str, fixture_name: &str, changes: &str) {
    let client = &browser.client;
    client.goto(&format!("{base}/bulk-import/{kind}")).await.unwrap();
    let input = client.wait().for_element(Locator::Css("#csv-file")).await.unwrap();
    input.send_keys(&fixture(fixture_name).display().to_string()).await.unwrap();
    browser.wait_for_text("#local-check", "0 errors").await;
    browser.click_when_enabled("#validate-upload").await;
    browser.wait_for_text("#preview-changes", changes).await;
    browser.screenshot(&format!("bulk-import-{kind}-preview")).await;
    browser.click_when_enabled("#confirm-import").await;
}

/// Returns the task type of every row of the tasks table.
async fn task_types(browser: &Browser) -> Vec<String> {
    let cells = browser
        .client
        .find_all(Locator::Css("table.tasks-table .tasks-table__type"))
        .await
        .unwrap();
    let mut types = Vec::new();
    for cell in cells {
        types.push(cell.text().await.unwrap());
    }
    types
}

/// Fails when the page is wider than the window, which makes the whole page
/// scroll sideways instead of only a wide table.
async fn assert_no_sideways_scroll(browser: &Browser, page: &str) {
    let script = "return [document.documentElement.scrollWidth, window.innerWidth];";
    let widths = browser.client.execute(script, vec![]).await.unwrap();
    let scroll_width = widths[0].as_f64().unwrap();
    let window_width = widths[1].as_f64().unwrap();
    assert!(
        scroll_width <= window_width,
        "{page} is {scroll_width}px wide in a {window_width}px window"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_csv_downloads_under_csp() {
    let folder = std::env::temp_dir().join(format!("gatehouse-e2e-report-{}", std::process::id()));
    let downloads = folder.join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let address = start_server(&folder).await;
    let base = format!("http://{address}");
    let (client, mut driver) = start_downloading_browser(&folder, &downloads).await;

    client.goto(&format!("{base}/sign-in")).await.unwrap();
    client.wait().for_element(Locator::Css("#login_id")).await.unwrap();
    client.find(Locator::Css("#login_id")).await.unwrap().send_keys(ADMIN_LOGIN).await.unwrap();
    client.find(Locator::Css("#password")).await.unwrap().send_keys(ADMIN_PASSWORD).await.unwrap();
    client.find(Locator::Css("button[type=submit]")).await.unwrap().click().await.unwrap();
    client.wait().for_element(Locator::Css("#signed-in-login-id")).await.unwrap();

    client.goto(&format!("{base}/bulk-import/users")).await.unwrap();
    let input = client.wait().for_element(Locator::Css("#csv-file")).await.unwrap();
    input.send_keys(&fixture("users-formula.csv").display().to_string()).await.unwrap();
    let link = client.wait().for_element(Locator::Css("#download-report")).await.unwrap();
    let href = link.attr("href").await.unwrap().unwrap_or_default();
    assert!(href.starts_with(&format!("blob:{base}/")), "href: {href}");
    let name = link.attr("download").await.unwrap();
    assert_eq!(name.as_deref(), Some("users-formula-report.csv"));

    // Record every Content-Security-Policy violation from here on.
    let listen = "window.gatehouseViolations = []; document.addEventListener(\
        'securitypolicyviolation', (event) => window.gatehouseViolations.push(\
        event.violatedDirective + ' ' + event.blockedURI));";
    client.execute(listen, vec![]).await.unwrap();
    link.click().await.unwrap();

    let report = wait_for_download(&downloads, "users-formula-report.csv").await;
    let violations = client.execute("return window.gatehouseViolations;", vec![]).await.unwrap();
    assert_eq!(violations, serde_json::json!([]), "the download broke the page's CSP");
    assert!(report.starts_with('\u{FEFF}'), "the report starts with a byte-order mark");
    assert!(report.contains(",findings"), "{report}");
    assert!(report.contains("'@SUM(1+1)"), "formula-like cells are defused: {report}");

    client.close().await.ok();
    driver.kill().await.ok();
    std::fs::remove_dir_all(&folder).ok();
}

/// Starts ChromeDriver and headless Chromium that saves downloads into
/// `downloads` without asking. The shared harness sets no download folder,
/// so this test starts its own session with the same flags.
async fn start_downloading_browser(
    profile: &Path,
    downloads: &Path,
) -> (fantoccini::Client, tokio::process::Child) {
    let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or("/usr/bin/chromedriver".into());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .unwrap();
    let driver = tokio::process::Command::new(&chromedriver)
        .arg(format!("--port={port}"))
        .arg("--allowed-ips=127.0.0.1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {chromedriver}: {e}"));
    let url = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
        assert!(started.elapsed() < STEP_TIMEOUT, "ChromeDriver did not listen on {url}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let capabilities = serde_json::json!({
        "goog:chromeOptions": {
            "binary": std::env::var("CHROMIUM").unwrap_or("/usr/bin/chromium".into()),
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                format!("--user-data-dir={}", profile.join("chromium-profile").display()),
            ],
            "prefs": {
                "download.default_directory": downloads.display().to_string(),
                "download.prompt_for_download": false,
            }
        }
    });
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let client = fantoccini::ClientBuilder::new(connector)
        .capabilities(capabilities.as_object().cloned().unwrap())
        .connect(&url)
        .await
        .unwrap_or_else(|e| panic!("cannot open a WebDriver session at {url}: {e}"));
    (client, driver)
}

/// Waits for Chromium to finish writing `name` into `folder` and returns
/// its text.
async fn wait_for_download(folder: &Path, name: &str) -> String {
    let path = folder.join(name);
    let started = Instant::now();
    while started.elapsed() < STEP_TIMEOUT {
        if let Ok(text) = std::fs::read_to_string(&path) {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let found: Vec<_> = std::fs::read_dir(folder)
        .map(|entries| entries.flatten().map(|entry| entry.file_name()).collect())
        .unwrap_or_default();
    panic!(
        "{} was not downloaded within {STEP_TIMEOUT:?}; the folder holds {found:?}",
        path.display()
    )
}
