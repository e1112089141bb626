//! Warnings before a person leaves an editor with unsaved changes.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{BeforeUnloadEvent, Event, HtmlAnchorElement};

/// The question asked before leaving an editor through a link of the console.
pub const LEAVE_QUESTION: &str =
    "You have unsaved changes. Leave this page anyway? Your draft stays in this browser.";

/// Warns while `dirty` is true: the browser shows its leave-page prompt
/// before closing or reloading the tab (`beforeunload`), and a click on a
/// link of the console shows a `confirm` dialog before the router follows it. The listeners go when
/// the calling component is dropped.
pub fn guard_unsaved_changes(dirty: Signal<bool>) {
    let unload =
        window_event_listener(leptos::ev::beforeunload, move |event: BeforeUnloadEvent| {
            if dirty.get_untracked() {
                // Browsers show their own text; setting the return value is what
                // older Chromium versions need to show the prompt at all.
                event.prevent_default();
                event.set_return_value("");
            }
        });
    on_cleanup(move || unload.remove());

    // The router follows link clicks from a listener on the window. A
    // capturing listener runs before it and can stop the click there.
    let on_click = Closure::<dyn Fn(Event)>::new(move |event: Event| {
        if !dirty.get_untracked() || !is_link_to_another_page(&event) {
            return;
        }
        let window = web_sys::window();
        let confirmed = window
            .and_then(|window| window.confirm_with_message(LEAVE_QUESTION).ok())
            .unwrap_or(true);
        if !confirmed {
            event.prevent_default();
            event.stop_immediate_propagation();
        }
    });
    let Some(window) = web_sys::window() else { return };
    let function = on_click.as_ref().unchecked_ref::<js_sys::Function>().clone();
    if window.add_event_listener_with_callback_and_bool("click", &function, true).is_err() {
        return;
    }
    let closure = send_wrapper::SendWrapper::new(on_click);
    let function = send_wrapper::SendWrapper::new(function);
    on_cleanup(move || {
        if let Some(window) = web_sys::window() {
            let _ = window.remove_event_listener_with_callback_and_bool("click", &function, true);
        }
        drop(closure);
    });
}

/// Reports whether a click lands on a link to another path of this origin,
/// which the router would follow inside the app.
fn is_link_to_another_page(event: &Event) -> bool {
    let anchor = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .and_then(|element| element.closest("a[href]").ok().flatten())
        .and_then(|element| element.dyn_into::<HtmlAnchorElement>().ok());
    let Some(anchor) = anchor else { return false };
    let Some(location) = web_sys::window().map(|window| window.location()) else { return false };
    let same_origin = location.origin().is_ok_and(|origin| origin == anchor.origin());
    let same_path = location.pathname().is_ok_and(|path| path == anchor.pathname());
    same_origin && !same_path
}
