//! Browser tests of the console's components, run by wasm-bindgen-test in
//! headless Chromium.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use gatehouse_console::components::csv_findings::CsvFindings;
use gatehouse_console::components::field::Field;
use gatehouse_console::csv_worker::handler::CsvWorker;
use gatehouse_console::csv_worker::warm_up::{warm_up, warm_up_file};
use gatehouse_console::format::{format_timestamp, pluralize};
use gatehouse_console::import_kind;
use gatehouse_console::pages::bulk_import::page::{report_file_name, ServerPreview};
use gatehouse_console::pages::tasks::list::task_types_of;
use gatehouse_console::report_digest::{KindCount, ReportDigest};
use gatehouse_core::api::ImportOutcome;
use gatehouse_core::catalog::Area;
use gatehouse_core::csv::users::validate_text;
use gatehouse_core::csv::{groups, members, users, ChangeCounts, CsvKind, CsvReport, Encoding};
use gatehouse_core::rules::UserField;
use gatehouse_core::{Finding, Severity};
use js_sys::{Array, ArrayBuffer, Object, Reflect, Uint8Array};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Element, Event, EventInit, HtmlButtonElement, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Appends an empty `<div>` to the body for one test to mount into.
fn fresh_container() -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let container = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&container).unwrap();
    container.dyn_into().unwrap()
}

/// Waits one task turn so Leptos's scheduled effects update the DOM.
async fn next_tick() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

/// Dispatches a bubbling event, as a person's typing or tabbing would.
fn fire(target: &Element, name: &str) {
    let init = EventInit::new();
    init.set_bubbles(true);
    let event = Event::new_with_event_init_dict(name, &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

/// Types `value` into the input and moves the focus away.
async fn type_and_blur(input: &HtmlInputElement, value: &str) {
    input.set_value(value);
    fire(input, "input");
    fire(input, "blur");
    next_tick().await;
}

fn text_of(container: &HtmlElement, selector: &str) -> String {
    let element = container.query_selector(selector).unwrap();
    element.unwrap_or_else(|| panic!("no element matches {selector}")).text_content().unwrap()
}

#[wasm_bindgen_test]
async fn email_field_shows_rule_message_on_blur() {
    let container = fresh_container();
    let value = RwSignal::new(String::new());
    let handle = leptos::mount::mount_to(container.clone(), move || {
        view! { <Field field=UserField::Email value/> }
    });
    next_tick().await;
    let input: HtmlInputElement =
        container.query_selector("#field-email").unwrap().unwrap().dyn_into().unwrap();
    assert_eq!(input.get_attribute("aria-describedby").as_deref(), Some("field-email-message"));
    assert_eq!(text_of(&container, "#field-email-message"), "");

    type_and_blur(&input, "ben@example").await;
    assert_eq!(
        text_of(&container, "#field-email-message"),
        "Email `ben@example` has no top-level domain; write it like `ben@example.com`."
    );
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(value.get_untracked(), "ben@example");

    type_and_blur(&input, "ben@example.com").await;
    assert_eq!(text_of(&container, "#field-email-message"), "");
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("false"));
    drop(handle);
}

#[wasm_bindgen_test]
async fn login_id_field_waits_for_blur_before_showing_message() {
    let container = fresh_container();
    let value = RwSignal::new(String::new());
    let handle = leptos::mount::mount_to(container.clone(), move || {
        view! { <Field field=UserField::LoginId value/> }
    });
    next_tick().await;
    let input: HtmlInputElement =
        container.query_selector("#field-login_id").unwrap().unwrap().dyn_into().unwrap();

    input.set_value("aiko tanaka");
    fire(&input, "input");
    next_tick().await;
    assert_eq!(text_of(&container, "#field-login_id-message"), "");

    fire(&input, "blur");
    next_tick().await;
    assert_eq!(
        text_of(&container, "#field-login_id-message"),
        "Login ID `aiko tanaka` contains a space; use only ASCII letters, digits and `. _ - @`."
    );
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    drop(handle);
}

/// A users file with a bad email on row 2 and a bad phone on row 3, whose
/// department value spans lines 3 and 4 of the file.
const BAD_USERS_CSV: &str =
    "action,login_id,email,family_name,given_name,display_name,department,title,phone\n\
create,aiko,aiko@example,Tanaka,Aiko,,,,\n\
create,ben,ben@example.com,Sato,Ben,,\"Sales\nTokyo\",,abc\n";

/// Returns the text of each cell of each body row of the findings table.
fn findings_cells(container: &HtmlElement) -> Vec<Vec<String>> {
    let rows = container.query_selector_all("table.findings-table tbody tr").unwrap();
    (0..rows.length())
        .map(|index| {
            let row: Element = rows.item(index).unwrap().dyn_into().unwrap();
            let cells = row.query_selector_all("td").unwrap();
            (0..cells.length())
                .map(|cell| cells.item(cell).unwrap().text_content().unwrap())
                .collect()
        })
        .collect()
}

#[wasm_bindgen_test]
async fn csv_findings_show_rows_lines_columns_and_messages() {
    let report = validate_text(BAD_USERS_CSV, Encoding::Utf8).report;
    let container = fresh_container();
    let handle = leptos::mount::mount_to(container.clone(), move || {
        view! { <CsvFindings report/> }
    });
    next_tick().await;

    assert_eq!(text_of(&container, "#findings-errors"), "2 errors");
    let cells = findings_cells(&container);
    assert_eq!(cells.len(), 2, "findings rows: {cells:?}");
    assert_eq!(cells[0][..4], ["error", "2", "2", "email"]);
    assert_eq!(
        cells[0][4],
        "Email `aiko@example` has no top-level domain; write it like `aiko@example.com`."
    );
    assert_eq!(cells[1][..4], ["error", "3", "3–4", "phone"]);
    assert!(cells[1][4].starts_with("Phone `abc` contains `a`"), "message: {}", cells[1][4]);

    let mapped = container.query_selector_all("table.column-map tbody tr").unwrap();
    assert_eq!(mapped.length(), 9);
    drop(handle);
}

/// Builds a users file whose rows 2 to `bad_emails + 1` have an email
/// without a top-level domain, followed by one row with a bad phone number.
fn users_csv_with_bad_emails(bad_emails: usize) -> String {
    let mut csv = String::from(
        "action,login_id,email,family_name,given_name,display_name,department,title,phone\n",
    );
    for index in 0..bad_emails {
        csv.push_str(&format!("create,user{index},user{index}@example,Ito,Ben,,,,\n"));
    }
    csv.push_str("create,last,last@example.com,Ito,Ben,,,,abc\n");
    csv
}

/// Returns the findings section of one kind.
fn kind_section(container: &HtmlElement, code: &str) -> Element {
    let selector = format!("section.findings-kind[data-code={code}]");
    container.query_selector(&selector).unwrap().unwrap_or_else(|| panic!("no {selector}"))
}

fn kind_rows(section: &Element) -> Vec<Vec<String>> {
    let rows = section.query_selector_all("table.findings-table tbody tr").unwrap();
    (0..rows.length())
        .map(|index| {
            let row: Element = rows.item(index).unwrap().dyn_into().unwrap();
            let cells = row.query_selector_all("td").unwrap();
            (0..cells.length())
                .map(|cell| cells.item(cell).unwrap().text_content().unwrap())
                .collect()
        })
        .collect()
}

fn button(section: &Element, selector: &str) -> HtmlButtonElement {
    section
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector} in {}", section.outer_html()))
        .dyn_into()
        .unwrap()
}

/// Clicks and waits until the findings page has loaded and rendered.
async fn click_and_settle(target: &HtmlButtonElement) {
    target.click();
    for _ in 0..3 {
        next_tick().await;
    }
}

#[wasm_bindgen_test]
async fn csv_findings_count_each_kind() {
    let report = validate_text(&users_csv_with_bad_emails(25), Encoding::Utf8).report;
    let container = fresh_container();
    let handle = leptos::mount::mount_to(container.clone(), move || {
        view! { <CsvFindings report/> }
    });
    next_tick().await;

    assert_eq!(text_of(&container, "#findings-errors"), "26 errors");
    let kinds = container.query_selector_all("#findings-kinds tbody tr").unwrap();
    let kinds: Vec<String> = (0..kinds.length())
        .map(|index| kinds.item(index).unwrap().text_content().unwrap())
        .collect();
    assert_eq!(kinds, ["errorinvalid_email25", "errorinvalid_phone1"]);

    let emails = kind_section(&container, "invalid_email");
    assert_eq!(text_of(emails.unchecked_ref(), "h3"), "invalid_email — 25 errors");
    let rows = kind_rows(&emails);
    assert_eq!(rows.len(), 20, "only the first 20 findings are shown");
    assert_eq!(rows[0][..4], ["error", "2", "2", "email"]);
    assert_eq!(rows[19][..4], ["error", "21", "21", "email"]);

    let phones = kind_section(&container, "invalid_phone");
    assert_eq!(text_of(phones.unchecked_ref(), "h3"), "invalid_phone — 1 error");
    assert_eq!(kind_rows(&phones).len(), 1);
    assert!(phones.query_selector(".findings-kind__show-all").unwrap().is_none());
    drop(handle);
}

#[wasm_bindgen_test]
async fn show_all_pages_through_every_finding_of_a_kind() {
    let report = validate_text(&users_csv_with_bad_emails(130), Encoding::Utf8).report;
    let container = fresh_container();
    let handle = leptos::mount::mount_to(container.clone(), move || {
        view! { <CsvFindings report/> }
    });
    next_tick().await;
    let emails = kind_section(&container, "invalid_email");

    let show_all = button(&emails, ".findings-kind__show-all");
    assert_eq!(show_all.text_content().unwrap(), "Show all 130");
    click_and_settle(&show_all).await;
    let rows = kind_rows(&emails);
    assert_eq!(rows.len(), 100, "the first page holds 100 findings");
    assert_eq!(rows[99][1], "101");
    assert_eq!(
        text_of(emails.unchecked_ref(), ".findings-kind__range"),
        "1–100 of 130 (page 1 of 2)"
    );
    assert!(button(&emails, ".findings-kind__previous").disabled());

    click_and_settle(&button(&emails, ".findings-kind__next")).await;
    let rows = kind_rows(&emails);
    assert_eq!(rows.len(), 30);
    assert_eq!(rows[0][1], "102");
    assert_eq!(rows[29][1], "131");
    assert!(button(&emails, ".findings-kind__next").disabled());

    click_and_settle(&button(&emails, ".findings-kind__show-first")).await;
    assert_eq!(kind_rows(&emails).len(), 20);
    assert!(emails.query_selector(".findings-kind__show-all").unwrap().is_some());
    drop(handle);
}

#[wasm_bindgen_test]
fn report_digest_lists_errors_before_notices() {
    // The trimmed notice is a file-level finding, so it comes first in the report.
    let text = "action,login_id,email,family_name,given_name\ncreate, aiko ,bad,Tanaka,Aiko\n";
    let report = validate_text(text, Encoding::Utf8).report;
    assert_eq!(report.findings[0].code, "trimmed");
    let digest = ReportDigest::of(&report);
    let codes: Vec<&str> = digest.kinds.iter().map(|kind| kind.code.as_str()).collect();
    assert_eq!(codes, ["invalid_email", "trimmed"]);
}

#[wasm_bindgen_test]
fn report_digest_keeps_first_findings_of_each_kind_and_all_counts() {
    let report = validate_text(&users_csv_with_bad_emails(45), Encoding::Utf8).report;
    let digest = ReportDigest::of(&report);
    assert_eq!(report.findings.len(), 46);
    assert_eq!(digest.report.findings.len(), 21);
    assert_eq!(digest.report.counts, report.counts);
    assert_eq!(
        digest.kinds,
        [
            KindCount { severity: Severity::Error, code: "invalid_email".into(), total: 45 },
            KindCount { severity: Severity::Error, code: "invalid_phone".into(), total: 1 },
        ]
    );
}

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).unwrap()
}

fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in fields {
        Reflect::set(&object, &JsValue::from_str(key), value).unwrap();
    }
    object.into()
}

/// A message the worker posted, with the objects it transferred.
struct Posted {
    message: JsValue,
    transfer: Array,
}

/// Sends one message to a worker handler and returns what it posted.
fn send(worker: &mut CsvWorker, message: &JsValue) -> Vec<Posted> {
    let mut posted = Vec::new();
    let mut post = |message: &JsValue, transfer: &Array| {
        posted.push(Posted { message: message.clone(), transfer: transfer.clone() });
    };
    worker.handle_message(message, &mut post);
    posted
}

fn validate_message(job: u32, bytes: &[u8]) -> (JsValue, ArrayBuffer) {
    let buffer = Uint8Array::from(bytes).buffer();
    let message = object(&[
        ("kind", "validate".into()),
        ("job", job.into()),
        ("bytes", buffer.clone().into()),
    ]);
    (message, buffer)
}

fn kinds_of(posted: &[Posted]) -> Vec<String> {
    posted.iter().map(|posted| get(&posted.message, "kind").as_string().unwrap()).collect()
}

#[wasm_bindgen_test]
fn warm_up_file_validates_without_findings() {
    let file = warm_up_file(300);
    let report = users::report_bytes(&file, &|_| None, &mut |_| {});
    assert_eq!(report.rows, 300);
    assert_eq!(report.valid_rows, 300);
    assert!(report.findings.is_empty(), "{:?}", report.findings.first());
    assert_eq!(warm_up(300), 300);
}

#[wasm_bindgen_test]
fn worker_reports_digest_and_text_of_utf8_file_with_bom() {
    let mut worker = CsvWorker::new();
    let mut file = b"\xEF\xBB\xBF".to_vec();
    file.extend_from_slice(users_csv_with_bad_emails(25).as_bytes());
    let (message, buffer) = validate_message(7, &file);

    let posted = send(&mut worker, &message);
    assert_eq!(kinds_of(&posted), ["progress", "report", "report_csv"]);
    assert_eq!(get(&posted[0].message, "share").as_f64(), Some(1.0));
    let report = &posted[1];
    assert_eq!(get(&report.message, "job").as_f64(), Some(7.0));
    let digest: ReportDigest =
        serde_json::from_str(&get(&report.message, "digest").as_string().unwrap()).unwrap();
    assert_eq!(digest.report.encoding, Some(Encoding::Utf8Bom));
    assert_eq!(digest.report.rows, 26);
    assert_eq!(digest.report.counts.errors, 26);
    assert_eq!(digest.report.findings.len(), 21, "20 bad emails and the bad phone");

    let text: Uint8Array = get(&report.message, "text").dyn_into().unwrap();
    assert_eq!(text.to_vec(), file[3..], "the text is the file without its byte-order mark");
    assert_eq!(report.transfer.length(), 1);
    assert!(report.transfer.get(0) == JsValue::from(buffer), "the page's buffer goes back");
}

#[wasm_bindgen_test]
fn worker_serves_pages_of_findings_of_its_last_file() {
    let mut worker = CsvWorker::new();
    let (message, _) = validate_message(3, users_csv_with_bad_emails(25).as_bytes());
    send(&mut worker, &message);

    let request = r#"{"severity":"error","code":"invalid_email","offset":20,"limit":100}"#;
    let posted = send(
        &mut worker,
        &object(&[
            ("kind", "findings".into()),
            ("job", 3.into()),
            ("request_id", 11.into()),
            ("request", request.into()),
        ]),
    );
    assert_eq!(kinds_of(&posted), ["findings"]);
    assert_eq!(get(&posted[0].message, "request_id").as_f64(), Some(11.0));
    let findings: Vec<Finding> =
        serde_json::from_str(&get(&posted[0].message, "findings").as_string().unwrap()).unwrap();
    let rows: Vec<Option<u32>> = findings.iter().map(|finding| finding.row).collect();
    assert_eq!(rows, [Some(22), Some(23), Some(24), Some(25), Some(26)]);

    let stale = send(
        &mut worker,
        &object(&[
            ("kind", "findings".into()),
            ("job", 2.into()),
            ("request_id", 12.into()),
            ("request", request.into()),
        ]),
    );
    assert_eq!(kinds_of(&stale), ["failed"]);
    assert_eq!(get(&stale[0].message, "request_id").as_f64(), Some(12.0));
    let reason = get(&stale[0].message, "message").as_string().unwrap();
    assert!(reason.contains("file number 2 are gone"), "{reason}");
}

#[wasm_bindgen_test]
fn worker_reports_progress_every_5000_records() {
    let mut csv = String::from("action,login_id,email,family_name,given_name\n");
    for index in 0..12_000 {
        csv.push_str(&format!("create,user{index},user{index}@example.com,Ito,Ben\n"));
    }
    let mut worker = CsvWorker::new();
    let (message, _) = validate_message(1, csv.as_bytes());
    let posted = send(&mut worker, &message);
    assert_eq!(kinds_of(&posted), ["progress", "progress", "progress", "report"]);
    let shares: Vec<f64> =
        posted[..3].iter().map(|p| get(&p.message, "share").as_f64().unwrap()).collect();
    // The shares count bytes, not records, and later rows are longer, so
    // the bounds are loose.
    assert!(shares[0] > 0.3, "after 5,000 of 12,000 records: {shares:?}");
    assert!(shares[0] < 0.5, "after 5,000 of 12,000 records: {shares:?}");
    assert!(shares[1] > 0.75, "after 10,000 records: {shares:?}");
    assert!(shares[1] < 0.9, "after 10,000 records: {shares:?}");
    assert_eq!(shares[2], 1.0);
}

#[wasm_bindgen_test]
fn worker_decodes_shift_jis_with_the_browser_for_upload() {
    let file = include_bytes!("fixtures/csv/users-shift-jis.csv");
    let mut worker = CsvWorker::new();
    let (message, _) = validate_message(1, file);
    let posted = send(&mut worker, &message);
    let report = posted.iter().find(|posted| get(&posted.message, "kind") == "report").unwrap();
    let digest: ReportDigest =
        serde_json::from_str(&get(&report.message, "digest").as_string().unwrap()).unwrap();
    assert_eq!(digest.report.encoding, Some(Encoding::ShiftJis));
    let text: Uint8Array = get(&report.message, "text").dyn_into().unwrap();
    let text = String::from_utf8(text.to_vec()).unwrap();
    assert!(text.starts_with("action,login_id,email"), "{text}");
    assert!(text.contains("髙橋"), "CP932's 髙 decodes: {text}");

    // The Shift_JIS notice is a finding, so a report CSV follows, written
    // from the decoded text.
    let csv: Uint8Array = get(&posted.last().unwrap().message, "csv").dyn_into().unwrap();
    let csv = String::from_utf8(csv.to_vec()[3..].to_vec()).unwrap();
    assert!(csv.contains("髙橋"), "{csv}");
}

#[wasm_bindgen_test]
fn worker_rejects_message_of_unknown_kind() {
    let mut worker = CsvWorker::new();
    let posted = send(&mut worker, &object(&[("kind", "parse".into()), ("job", 4.into())]));
    assert_eq!(kinds_of(&posted), ["failed"]);
    assert_eq!(get(&posted[0].message, "job").as_f64(), Some(4.0));
    let reason = get(&posted[0].message, "message").as_string().unwrap();
    assert_eq!(reason, "The message kind `parse` is unknown; expected `validate` or `findings`.");
}

#[wasm_bindgen_test]
fn timestamp_formats_utc_without_fraction() {
    assert_eq!(format_timestamp("2026-12-04T16:11:03.512Z"), "2026-12-04 16:11:03 UTC");
    assert_eq!(format_timestamp("2026-12-04T16:11:03Z"), "2026-12-04 16:11:03 UTC");
    assert_eq!(format_timestamp("2026-12-04 16:11:03z"), "2026-12-04 16:11:03 UTC");
}

#[wasm_bindgen_test]
fn timestamp_with_offset_converts_to_utc() {
    assert_eq!(format_timestamp("2026-12-05T01:11:03+09:00"), "2026-12-04 16:11:03 UTC");
    assert_eq!(format_timestamp("2026-12-31T20:30:00-05:00"), "2027-01-01 01:30:00 UTC");
    assert_eq!(format_timestamp("2028-03-01T00:15:00+00:30"), "2028-02-29 23:45:00 UTC");
    assert_eq!(format_timestamp("2026-03-01T00:15:00+00:30"), "2026-02-28 23:45:00 UTC");
    assert_eq!(format_timestamp("2026-06-30T23:59:60Z"), "2026-06-30 23:59:60 UTC");
}

#[wasm_bindgen_test]
fn timestamp_that_is_not_rfc3339_stays_unchanged() {
    for value in [
        "",
        "yesterday",
        "2026-12-04",
        "2026-12-04T16:11:03",
        "2026-13-04T16:11:03Z",
        "2026-02-30T16:11:03Z",
        "2026-12-04T24:00:00Z",
        "2026-12-04T16:11:03.Z",
        "2026-12-04T16:11:03+0900",
        "2026-12-04T16:11:03+09:00 ",
        "２０２６-12-04T16:11:03Z",
    ] {
        assert_eq!(format_timestamp(value), value, "input {value:?}");
    }
}

#[wasm_bindgen_test]
fn pluralize_uses_singular_only_for_one() {
    assert_eq!(pluralize(0_u32, "error", "errors"), "0 errors");
    assert_eq!(pluralize(1_u32, "error", "errors"), "1 error");
    assert_eq!(pluralize(2_u32, "error", "errors"), "2 errors");
    assert_eq!(pluralize(1_u64, "membership", "memberships"), "1 membership");
}

#[wasm_bindgen_test]
async fn findings_count_reads_one_error() {
    let csv =
        "action,login_id,email,family_name,given_name\ncreate,aiko,aiko@example,Tanaka,Aiko\n";
    let report = validate_text(csv, Encoding::Utf8).report;
    let container = fresh_container();
    let handle = leptos::mount::mount_to(container.clone(), move || {
        view! { <CsvFindings report/> }
    });
    next_tick().await;
    assert_eq!(text_of(&container, "#findings-errors"), "1 error");
    assert_eq!(text_of(&container, "#findings-warnings"), "0 warnings");
    drop(handle);
}

#[wasm_bindgen_test]
fn change_labels_depend_on_kind() {
    let changes = ChangeCounts { create: 2, update: 0, delete: 1 };
    assert_eq!(
        import_kind::describe_changes(CsvKind::Users, changes),
        "2 to create, 0 to update, 1 to delete"
    );
    assert_eq!(
        import_kind::describe_changes(CsvKind::Groups, changes),
        "2 to create, 0 to update, 1 to delete"
    );
    assert_eq!(
        import_kind::describe_changes(CsvKind::GroupMembers, changes),
        "2 to add, 1 to remove"
    );
}

#[wasm_bindgen_test]
fn kind_pages_match_catalog_routes() {
    for kind in CsvKind::ALL {
        let route = import_kind::page_route(kind);
        let in_catalog =
            gatehouse_core::catalog::OPERATIONS.iter().any(|spec| spec.form == Some(route));
        assert!(in_catalog, "no catalog operation has the form {route}");
    }
    assert_eq!(
        import_kind::template_url(CsvKind::GroupMembers),
        "/api/v1/imports/group_members/template"
    );
    assert_eq!(
        import_kind::template_file_name(CsvKind::GroupMembers),
        "group-members-template.csv"
    );
}

/// Validates `text` as a file of `kind` and returns the report.
fn validate_kind(kind: CsvKind, text: &str) -> CsvReport {
    let decode = |_: &[u8]| None;
    let bytes = text.as_bytes();
    match kind {
        CsvKind::Users => users::validate_bytes(bytes, &decode).report,
        CsvKind::Groups => groups::validate_bytes(bytes, &decode, &mut |_| {}).report,
        CsvKind::GroupMembers => members::validate_bytes(bytes, &decode, &mut |_| {}).report,
    }
}

#[wasm_bindgen_test]
fn documented_aliases_map_to_their_columns() {
    for kind in CsvKind::ALL {
        let columns = import_kind::columns(kind);
        let names: Vec<&str> = columns.iter().map(|column| column.name).collect();
        for (index, column) in columns.iter().enumerate() {
            for alias in column.aliases {
                let mut header = names.clone();
                header[index] = alias;
                let report = validate_kind(kind, &format!("{}\n", header.join(",")));
                let mapping = &report.columns[index];
                assert_eq!(mapping.header, *alias, "{kind:?}");
                assert_eq!(
                    mapping.field.as_deref(),
                    Some(column.name),
                    "{kind:?}: the alias `{alias}` does not map to `{}`",
                    column.name
                );
            }
        }
    }
}

#[wasm_bindgen_test]
fn documented_columns_follow_core_headers() {
    let expected: [(CsvKind, &[&str]); 3] = [
        (CsvKind::Users, &users::HEADER),
        (CsvKind::Groups, &groups::HEADER),
        (CsvKind::GroupMembers, &members::HEADER),
    ];
    for (kind, header) in expected {
        let names: Vec<&str> =
            import_kind::columns(kind).iter().map(|column| column.name).collect();
        assert_eq!(names, header, "{kind:?}");
    }
}

/// Builds an outcome whose report counts `changes` and has no findings.
fn outcome_with(kind: CsvKind, changes: ChangeCounts) -> ImportOutcome {
    let mut report = validate_kind(kind, "action\n");
    report.findings.clear();
    report.recount();
    report.changes = changes;
    ImportOutcome { report, tasks: Vec::new() }
}

#[wasm_bindgen_test]
async fn member_preview_shows_add_and_remove() {
    let changes = ChangeCounts { create: 3, update: 0, delete: 1 };
    let outcome = outcome_with(CsvKind::GroupMembers, changes);
    let container = fresh_container();
    let handle = leptos::mount::mount_to(container.clone(), move || {
        view! { <ServerPreview kind=CsvKind::GroupMembers outcome/> }
    });
    next_tick().await;
    assert_eq!(text_of(&container, "#preview-changes"), "3 to add, 1 to remove");
    drop(handle);
}

#[wasm_bindgen_test]
async fn group_preview_shows_create_update_delete() {
    let changes = ChangeCounts { create: 1, update: 2, delete: 0 };
    let outcome = outcome_with(CsvKind::Groups, changes);
    let container = fresh_container();
    let handle = leptos::mount::mount_to(container.clone(), move || {
        view! { <ServerPreview kind=CsvKind::Groups outcome/> }
    });
    next_tick().await;
    assert_eq!(text_of(&container, "#preview-changes"), "1 to create, 2 to update, 0 to delete");
    drop(handle);
}

#[wasm_bindgen_test]
fn report_file_name_replaces_csv_extension() {
    assert_eq!(report_file_name("users.csv"), "users-report.csv");
    assert_eq!(report_file_name("Users.CSV"), "Users-report.csv");
    assert_eq!(report_file_name("グループ.csv"), "グループ-report.csv");
    assert_eq!(report_file_name("members.txt"), "members.txt-report.csv");
    assert_eq!(report_file_name("csv"), "csv-report.csv");
    assert_eq!(report_file_name(".csv"), "-report.csv");
}

#[wasm_bindgen_test]
fn task_type_choices_are_distinct_and_sorted() {
    let types = task_types_of(Area::BulkImport);
    assert_eq!(
        types,
        [
            "import.group",
            "import.group_member",
            "import.user",
            "validate.group",
            "validate.group_member",
            "validate.user",
        ]
    );
    let groups = task_types_of(Area::Groups);
    assert_eq!(groups.iter().filter(|task_type| **task_type == "member_mod.group").count(), 1);
}

fn validate_kind_message(job: u32, kind: &str, bytes: &[u8]) -> JsValue {
    let buffer = Uint8Array::from(bytes).buffer();
    object(&[
        ("kind", "validate".into()),
        ("job", job.into()),
        ("csv_kind", kind.into()),
        ("bytes", buffer.into()),
    ])
}

#[wasm_bindgen_test]
fn worker_validates_groups_and_sends_report_csv() {
    let file = include_bytes!("fixtures/csv/groups-basic.csv");
    let mut worker = CsvWorker::new();
    let posted = send(&mut worker, &validate_kind_message(5, "groups", file));
    assert_eq!(kinds_of(&posted), ["progress", "report", "report_csv"]);
    let digest: ReportDigest =
        serde_json::from_str(&get(&posted[1].message, "digest").as_string().unwrap()).unwrap();
    assert_eq!(digest.report.kind, CsvKind::Groups);
    assert_eq!(digest.report.rows, 3);
    assert!(digest.kinds.iter().any(|kind| kind.code == "duplicate_key"), "{:?}", digest.kinds);

    let reply = &posted[2];
    assert_eq!(get(&reply.message, "job").as_f64(), Some(5.0));
    let csv: Uint8Array = get(&reply.message, "csv").dyn_into().unwrap();
    assert_eq!(reply.transfer.length(), 1, "the report CSV's buffer is transferred");
    let bytes = csv.to_vec();
    assert_eq!(bytes[..3], [0xEF, 0xBB, 0xBF], "Excel needs the byte-order mark");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "action,group_id,name,description,findings");
    assert!(lines[1].starts_with("create,sales,Sales,Everyone in sales,"), "{text}");
    assert!(lines[2].contains("duplicates row 2"), "{text}");
}

#[wasm_bindgen_test]
fn worker_sends_no_report_csv_without_findings() {
    let file = include_bytes!("fixtures/csv/group-members-valid.csv");
    let mut worker = CsvWorker::new();
    let posted = send(&mut worker, &validate_kind_message(6, "group_members", file));
    assert_eq!(kinds_of(&posted), ["progress", "report"]);
    let digest: ReportDigest =
        serde_json::from_str(&get(&posted[1].message, "digest").as_string().unwrap()).unwrap();
    assert_eq!(digest.report.kind, CsvKind::GroupMembers);
    assert_eq!(digest.report.changes, ChangeCounts { create: 2, update: 0, delete: 0 });
    assert_eq!(digest.report.counts.errors, 0);
}

#[wasm_bindgen_test]
fn worker_report_csv_defuses_formulas() {
    let file = include_bytes!("fixtures/csv/users-formula.csv");
    let mut worker = CsvWorker::new();
    let posted = send(&mut worker, &validate_kind_message(8, "users", file));
    assert_eq!(kinds_of(&posted).last().map(String::as_str), Some("report_csv"));
    let csv: Uint8Array = get(&posted.last().unwrap().message, "csv").dyn_into().unwrap();
    let text = String::from_utf8(csv.to_vec()[3..].to_vec()).unwrap();
    assert!(text.contains("'@SUM(1+1)"), "{text}");
    assert!(text.contains("'-Smith"), "{text}");
}

#[wasm_bindgen_test]
fn worker_rejects_unknown_csv_kind() {
    let mut worker = CsvWorker::new();
    let posted = send(&mut worker, &validate_kind_message(9, "roles", b"action\n"));
    assert_eq!(kinds_of(&posted), ["failed"]);
    let reason = get(&posted[0].message, "message").as_string().unwrap();
    assert_eq!(
        reason,
        "The CSV kind `roles` is unknown; expected `users`, `groups` or `group_members`."
    );
}

/// Tests of the branding and email editors' logic.
mod editors {
    use gatehouse_console::components::draft::{
        clear_draft, draft_key, load_draft, save_draft, DraftNotice,
    };
    use gatehouse_console::pages::branding::contrast::{format_ratio, ContrastTable};
    use gatehouse_console::pages::emails::fields::{insert_at, Cursor};
    use gatehouse_console::pages::emails::findings::TemplateFindings;
    use gatehouse_console::pages::emails::preview::EmailPreview;
    use gatehouse_console::pages::emails::variables::VariableList;
    use gatehouse_core::branding::Theme;
    use gatehouse_core::emails::{
        check, variable_infos, EmailParts, EmailTemplate, Language, Rendered, TemplatePart,
    };

    use super::*;

    /// Returns the cells of the contrast row whose usage is `usage`.
    fn contrast_row(container: &HtmlElement, usage: &str) -> Vec<String> {
        let rows = container.query_selector_all("#contrast-table tbody tr").unwrap();
        for index in 0..rows.length() {
            let row: Element = rows.item(index).unwrap().dyn_into().unwrap();
            let cells = row.query_selector_all("td").unwrap();
            let texts: Vec<String> = (0..cells.length())
                .map(|cell| cells.item(cell).unwrap().text_content().unwrap())
                .collect();
            if texts.first().map(String::as_str) == Some(usage) {
                return texts;
            }
        }
        panic!("no contrast row is used for {usage:?}");
    }

    #[wasm_bindgen_test]
    async fn contrast_table_follows_edited_colour() {
        let container = fresh_container();
        let theme = RwSignal::new(Theme::default());
        let _handle = leptos::mount::mount_to(container.clone(), move || {
            view! { <ContrastTable theme/> }
        });
        next_tick().await;
        let before = contrast_row(&container, "Button labels");
        assert_eq!(before[4], "Passes AA");

        theme.update(|theme| theme.primary = "#ffff00".to_owned());
        next_tick().await;
        let after = contrast_row(&container, "Button labels");
        assert_eq!(after[2], "1.07:1");
        assert_eq!(after[3], "4.5:1");
        assert_eq!(after[4], "Fails AA");
    }

    #[wasm_bindgen_test]
    fn contrast_ratio_rounds_down_to_two_decimals() {
        assert_eq!(format_ratio(4.499), "4.49:1");
        assert_eq!(format_ratio(21.0), "21.00:1");
    }

    #[wasm_bindgen_test]
    fn insert_at_counts_utf16_like_the_dom() {
        // "😀" is two UTF-16 code units, so offset 3 is after "😀a".
        let (text, after) = insert_at("😀ab", 3, 3, "{{ x }}");
        assert_eq!(text, "😀a{{ x }}b");
        assert_eq!(after, 10);
        let (replaced, _) = insert_at("様 hello", 2, 7, "X");
        assert_eq!(replaced, "様 X");
    }

    #[wasm_bindgen_test]
    async fn variable_inserts_at_last_cursor() {
        let container = fresh_container();
        let subject = RwSignal::new("Subject".to_owned());
        let html = RwSignal::new("<p>Hi</p>".to_owned());
        let text = RwSignal::new("Hello world".to_owned());
        let cursor = RwSignal::new(Some(Cursor { part: TemplatePart::Text, start: 6, end: 6 }));
        let field_of = Callback::new(move |part: TemplatePart| match part {
            TemplatePart::Subject => subject,
            TemplatePart::Html => html,
            TemplatePart::Text => text,
        });
        let variables = variable_infos(EmailTemplate::PwResetRequest, Language::En);
        let _handle = leptos::mount::mount_to(container.clone(), move || {
            view! { <VariableList variables cursor field_of/> }
        });
        next_tick().await;
        let button: HtmlButtonElement = container
            .query_selector("button[data-variable='reset_url']")
            .unwrap()
            .unwrap()
            .dyn_into()
            .unwrap();
        button.click();
        next_tick().await;
        assert_eq!(text.get_untracked(), "Hello {{ reset_url }}world");
        assert_eq!(html.get_untracked(), "<p>Hi</p>");
        let moved = cursor.get_untracked().unwrap();
        assert_eq!((moved.part, moved.start, moved.end), (TemplatePart::Text, 21, 21));
    }

    #[wasm_bindgen_test]
    async fn findings_list_shows_part_line_and_column() {
        let container = fresh_container();
        let html = "<p>Hello</p>\n<p>{{ user.nickname }} {{ reset_url }}</p>";
        let text = "Open {{ reset_url }}";
        let findings = check(EmailTemplate::PwResetRequest, "Reset", html, text);
        assert_eq!(findings.len(), 1, "{findings:?}");
        let findings = RwSignal::new(findings);
        let _handle = leptos::mount::mount_to(container.clone(), move || {
            view! { <TemplateFindings id="findings" findings/> }
        });
        next_tick().await;
        let item = text_of(&container, "#findings li");
        assert!(item.starts_with("Error The HTML body, line 2, column 7: "), "{item}");
        assert!(item.contains("`user.nickname` is not a variable of this email"), "{item}");

        findings.set(Vec::new());
        next_tick().await;
        assert_eq!(text_of(&container, "#findings"), "No problems found.");
    }

    #[wasm_bindgen_test]
    async fn draft_is_restored_then_discarded() {
        let key = draft_key("email", &["pw_reset_request", "en"]);
        assert_eq!(key, "gatehouse.draft.email.pw_reset_request.en");
        clear_draft(&key);
        assert!(load_draft::<EmailParts>(&key).is_none());

        let parts = EmailParts {
            subject: "Draft subject".into(),
            html: "<p>x</p>".into(),
            text: "x".into(),
        };
        save_draft(&key, &parts).unwrap();
        let stored = web_sys::window().unwrap().local_storage().unwrap().unwrap();
        assert!(stored.get_item(&key).unwrap().unwrap().contains("Draft subject"));
        let draft = load_draft::<EmailParts>(&key).unwrap();
        assert_eq!(draft.value, parts);
        assert!(draft.saved_at > 0.0);

        let container = fresh_container();
        let restored_at = RwSignal::new(Some(draft.saved_at));
        let discarded = RwSignal::new(false);
        let on_discard = Callback::new(move |()| {
            clear_draft(&draft_key("email", &["pw_reset_request", "en"]));
            discarded.set(true);
            restored_at.set(None);
        });
        let _handle = leptos::mount::mount_to(container.clone(), move || {
            view! { <DraftNotice restored_at on_discard/> }
        });
        next_tick().await;
        let notice = text_of(&container, "#draft-notice");
        assert!(notice.starts_with("Restored your unsaved draft from "), "{notice}");

        let discard: HtmlButtonElement =
            container.query_selector("#discard-draft").unwrap().unwrap().dyn_into().unwrap();
        discard.click();
        next_tick().await;
        assert!(discarded.get_untracked());
        assert!(container.query_selector("#draft-notice").unwrap().is_none());
        assert!(load_draft::<EmailParts>(&key).is_none());
    }

    #[wasm_bindgen_test]
    async fn email_preview_frame_is_sandboxed() {
        let container = fresh_container();
        let rendered = RwSignal::new(Ok::<_, Vec<_>>(Rendered {
            subject: "Reset your password".into(),
            html: "<p>Hello &amp; welcome</p>".into(),
            text: "Hello & welcome".into(),
        }));
        let _handle = leptos::mount::mount_to(container.clone(), move || {
            view! { <EmailPreview rendered/> }
        });
        next_tick().await;
        let frame = container.query_selector("#email-preview-frame").unwrap().unwrap();
        assert_eq!(frame.tag_name(), "IFRAME");
        assert_eq!(frame.get_attribute("sandbox").as_deref(), Some(""));
        assert_eq!(frame.get_attribute("srcdoc").as_deref(), Some("<p>Hello &amp; welcome</p>"));
        assert!(text_of(&container, "#email-preview-subject").contains("Reset your password"));

        let text_button: HtmlButtonElement =
            container.query_selector("#preview-text").unwrap().unwrap().dyn_into().unwrap();
        text_button.click();
        next_tick().await;
        let text = container.query_selector("#email-preview-text").unwrap().unwrap();
        assert_eq!(text.tag_name(), "PRE");
        assert_eq!(text.text_content().unwrap(), "Hello & welcome");
    }
}
