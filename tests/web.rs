//! Browser tests of the console's components, run by wasm-bindgen-test in
//! headless Chromium.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use gatehouse_console::components::csv_findings::CsvFindings;
use gatehouse_console::components::field::Field;
use gatehouse_core::csv::users::validate_text;
use gatehouse_core::csv::Encoding;
use gatehouse_core::rules::UserField;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Element, Event, EventInit, HtmlElement, HtmlInputElement};

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
        "Login ID `aiko tanaka` contains ` `; use only letters A-Z, digits and `. _ - @`."
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
