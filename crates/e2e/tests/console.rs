//! The console in headless Chromium against the real server: sign in,
//! import a users CSV, and find the users and the tasks.

#![allow(clippy::unwrap_used, clippy::panic)]

use fantoccini::Locator;
use gatehouse_e2e::{fixture, start_server, Browser, ADMIN_LOGIN, ADMIN_PASSWORD};

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

    client.goto(&format!("{base}/tasks")).await.unwrap();
    let tasks = browser.wait_for_text("table.tasks-table", "import.user").await;
    assert!(tasks.contains("create"), "{tasks}");
    assert!(tasks.contains("validate.user"), "{tasks}");
    assert!(tasks.contains("csv_validation"), "{tasks}");
    assert!(tasks.contains("integrity_check"), "{tasks}");
    browser.screenshot("tasks").await;

    browser.close().await;
    std::fs::remove_dir_all(&folder).ok();
}
