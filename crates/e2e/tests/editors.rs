//! The design editors in headless Chromium against the real server: edit
//! a notification email and see the saved text after a reload, then the
//! branding editors, each change ending up in the task log.

#![allow(clippy::unwrap_used, clippy::panic)]

use std::time::{Duration, Instant};

use fantoccini::Locator;
use gatehouse_e2e::{start_server, Browser, ADMIN_LOGIN, ADMIN_PASSWORD, STEP_TIMEOUT};

const NEW_SUBJECT: &str = "Reset your Sakura Trading password";

/// A 96×32 PNG logo: blue with a red stripe pattern in the middle.
const LOGO_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x60, 0x00, 0x00, 0x00, 0x20, 0x08, 0x02, 0x00, 0x00, 0x00, 0x62, 0xa2, 0xea,
    0x03, 0x00, 0x00, 0x00, 0x58, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0xed, 0xd8, 0x31, 0x0d, 0x00,
    0x20, 0x0c, 0x45, 0xc1, 0xea, 0xc0, 0x03, 0x76, 0x98, 0x30, 0x4e, 0x30, 0x83, 0x01, 0x40, 0x40,
    0x7b, 0xc9, 0x1b, 0xdb, 0xe5, 0xc6, 0x1f, 0x6d, 0x6c, 0x7d, 0x0a, 0x04, 0x80, 0x00, 0x01, 0x02,
    0x04, 0x08, 0x50, 0x5a, 0xa0, 0xd5, 0xe7, 0xb5, 0xd7, 0x43, 0xb5, 0x7b, 0x40, 0x80, 0x00, 0x01,
    0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x00, 0x01, 0x02, 0x04, 0x08, 0x10, 0xa0, 0x6c, 0x40,
    0x26, 0x31, 0x8b, 0x22, 0x20, 0x40, 0x80, 0x00, 0x01, 0x02, 0x54, 0xb4, 0x03, 0x53, 0xc3, 0xc9,
    0xe2, 0x30, 0xed, 0x3b, 0x15, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60,
    0x82,
];

/// Waits until the input matching `css` has `expected` as its value.
async fn wait_for_value(browser: &Browser, css: &str, expected: &str) {
    let started = Instant::now();
    let mut last = None;
    while started.elapsed() < STEP_TIMEOUT {
        if let Ok(element) = browser.client.find(Locator::Css(css)).await {
            last = element.prop("value").await.ok().flatten();
            if last.as_deref() == Some(expected) {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("`{css}` did not get the value {expected:?} within {STEP_TIMEOUT:?}; last: {last:?}");
}

/// Replaces the text of the input matching `css`, as a person typing would.
async fn retype(browser: &Browser, css: &str, text: &str) {
    let input = browser.client.wait().for_element(Locator::Css(css)).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys(text).await.unwrap();
}

async fn sign_in(browser: &Browser, base: &str) {
    let client = &browser.client;
    client.goto(&format!("{base}/sign-in")).await.unwrap();
    client.wait().for_element(Locator::Css("#login_id")).await.unwrap();
    client.find(Locator::Css("#login_id")).await.unwrap().send_keys(ADMIN_LOGIN).await.unwrap();
    client.find(Locator::Css("#password")).await.unwrap().send_keys(ADMIN_PASSWORD).await.unwrap();
    client.find(Locator::Css("button[type=submit]")).await.unwrap().click().await.unwrap();
    browser.wait_for_text("header", ADMIN_LOGIN).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edit_email_and_branding_then_see_tasks() {
    let folder = std::env::temp_dir().join(format!("gatehouse-e2e-editors-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let address = start_server(&folder).await;
    let base = format!("http://{address}");
    let browser = Browser::start(&folder).await;
    let client = &browser.client;
    // A tall window lets each screenshot show a whole editor with its preview.
    client.set_window_size(1280, 2400).await.unwrap();
    sign_in(&browser, &base).await;

    client.goto(&format!("{base}/emails")).await.unwrap();
    let matrix = browser.wait_for_text("#email-matrix", "Password reset link").await;
    assert!(matrix.contains("One-time password"), "{matrix}");
    browser.screenshot("emails-matrix").await;

    // Editing the subject shows in the locally rendered preview at once.
    client.goto(&format!("{base}/emails/pw_reset_request/en")).await.unwrap();
    browser.wait_for_text("#email-preview-subject", "Subject:").await;
    browser.screenshot("email-editor-default").await;
    retype(&browser, "#email-subject", NEW_SUBJECT).await;
    browser.wait_for_text("#email-preview-subject", NEW_SUBJECT).await;
    browser.wait_for_text("#email-findings", "No problems found.").await;
    browser.screenshot("email-editor-edited").await;
    browser.click_when_enabled("#save-email").await;
    browser.wait_for_text("#saved-notice", "Saved.").await;

    // After a reload the stored subject comes back from the server.
    client.refresh().await.unwrap();
    wait_for_value(&browser, "#email-subject", NEW_SUBJECT).await;
    browser.wait_for_text("#email-preview-subject", NEW_SUBJECT).await;
    browser.wait_for_text(".email-form__status", "customized").await;

    // This server has no SMTP, so a test send explains how to configure it.
    retype(&browser, "#test-send-to", "designer@example.com").await;
    browser.click_when_enabled("#send-test").await;
    browser.wait_for_text("#test-send-unavailable", "--smtp-url").await;
    browser.screenshot("email-editor-saved").await;

    client.goto(&format!("{base}/emails")).await.unwrap();
    browser.wait_for_text("#email-matrix", "Customized").await;

    // The theme's contrast table follows a colour as it is typed.
    client.goto(&format!("{base}/branding")).await.unwrap();
    browser.wait_for_text("#area-branding", "Footer links").await;
    browser.screenshot("branding-home").await;
    client.goto(&format!("{base}/branding/theme")).await.unwrap();
    browser.wait_for_text("#contrast-table", "Passes AA").await;
    browser.screenshot("branding-theme-default").await;
    retype(&browser, "#colour-primary", "#e0a100").await;
    browser.wait_for_text("#contrast-table", "Fails AA").await;
    browser.click_when_enabled("#save-theme").await;
    browser.wait_for_text("#saved-notice", "Saved the theme.").await;
    browser.screenshot("branding-theme-saved").await;

    client.goto(&format!("{base}/branding/footer-links")).await.unwrap();
    browser.click_when_enabled("#add-link").await;
    retype(&browser, "#links-0-labels-en", "Help").await;
    retype(&browser, "#links-0-labels-ja", "ヘルプ").await;
    retype(&browser, "#links-0-url", "https://help.example.com/").await;
    browser.click_when_enabled("#add-link").await;
    retype(&browser, "#links-1-labels-en", "Privacy").await;
    retype(&browser, "#links-1-labels-ja", "プライバシー").await;
    retype(&browser, "#links-1-url", "http://example.com/privacy").await;
    browser.wait_for_text("#links-1-url-message", "only https links are allowed").await;
    retype(&browser, "#links-1-url", "https://example.com/privacy").await;
    browser.click_when_enabled("#link-1-up").await;
    browser.wait_for_text("#signin-preview", "Privacy").await;
    browser.screenshot("branding-footer-links").await;
    browser.click_when_enabled("#save-links").await;
    browser.wait_for_text("#saved-notice", "Saved the footer links.").await;
    wait_for_value(&browser, "#links-0-labels-en", "Privacy").await;

    client.goto(&format!("{base}/branding/login-link")).await.unwrap();
    browser.click_when_enabled("#login-link-enabled").await;
    retype(&browser, "#link-labels-en", "Forgot your password?").await;
    retype(&browser, "#link-labels-ja", "パスワードをお忘れですか").await;
    retype(&browser, "#link-url", "https://help.example.com/password").await;
    browser.click_when_enabled("#save-login-link").await;
    browser.wait_for_text("#saved-notice", "Saved the sign-in link.").await;
    browser.screenshot("branding-login-link").await;

    // The logo is checked in the browser before it is uploaded.
    client.goto(&format!("{base}/branding/logo")).await.unwrap();
    browser.wait_for_text("#logo-details", "No logo is stored").await;
    let logo = folder.join("logo.png");
    std::fs::write(&logo, LOGO_PNG).unwrap();
    let input = client.wait().for_element(Locator::Css("#logo-file")).await.unwrap();
    input.send_keys(&logo.canonicalize().unwrap().display().to_string()).await.unwrap();
    browser.wait_for_text("#logo-check", "96×32").await;
    browser.wait_for_text("#logo-verdict", "Ready to upload.").await;
    browser.screenshot("branding-logo-checked").await;
    browser.click_when_enabled("#upload-logo").await;
    browser.wait_for_text("#logo-details", "image/png, 96×32 pixels").await;
    browser.screenshot("branding-logo-uploaded").await;

    client.goto(&format!("{base}/branding/theme")).await.unwrap();
    browser.wait_for_text("#signin-preview", "Forgot your password?").await;
    browser.wait_for_text("#signin-preview", "Privacy").await;
    browser.screenshot("branding-theme-preview").await;

    client.goto(&format!("{base}/tasks")).await.unwrap();
    let tasks = browser.wait_for_text("table.tasks-table", "update.pw_reset_request").await;
    for kind in ["update.theme", "update.footer_link", "update.login_link", "update.tenant_logo"] {
        assert!(tasks.contains(kind), "{kind} is missing from the task log: {tasks}");
    }
    browser.screenshot("editors-tasks").await;

    browser.close().await;
    std::fs::remove_dir_all(&folder).ok();
}
