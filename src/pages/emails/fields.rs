//! The subject, HTML body and text body fields, which remember where the
//! cursor was so a variable can be inserted there.

use gatehouse_core::emails::TemplatePart;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};

/// Position of the cursor or selection in the last focused field, in UTF-16
/// code units as the DOM's `selectionStart` and `selectionEnd` count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub part: TemplatePart,
    pub start: u32,
    pub end: u32,
}

/// Returns the element id of a part's field.
pub fn field_id(part: TemplatePart) -> String {
    format!("email-{}", part.name())
}

/// Converts a UTF-16 offset to a byte offset of `text`, clamped to its end.
fn byte_offset(text: &str, utf16_offset: u32) -> usize {
    let mut units = 0;
    for (index, character) in text.char_indices() {
        if units >= utf16_offset as usize {
            return index;
        }
        units += character.len_utf16();
    }
    text.len()
}

/// Replaces the selection `start..end` (UTF-16 offsets) with `insertion`
/// and returns the new text with the UTF-16 offset just after the insertion.
pub fn insert_at(text: &str, start: u32, end: u32, insertion: &str) -> (String, u32) {
    let (start, end) = (start.min(end), start.max(end));
    let from = byte_offset(text, start);
    let to = byte_offset(text, end);
    let mut result = String::with_capacity(text.len() + insertion.len());
    result.push_str(&text[..from]);
    result.push_str(insertion);
    result.push_str(&text[to..]);
    let after = text[..from].encode_utf16().count() + insertion.encode_utf16().count();
    (result, after as u32)
}

/// Reads the selection of an input or a textarea.
fn selection_of(target: &web_sys::EventTarget) -> Option<(u32, u32)> {
    if let Some(input) = target.dyn_ref::<HtmlInputElement>() {
        return Some((input.selection_start().ok()??, input.selection_end().ok()??));
    }
    let area = target.dyn_ref::<HtmlTextAreaElement>()?;
    Some((area.selection_start().ok()??, area.selection_end().ok()??))
}

/// Puts the focus and the cursor in a field at a UTF-16 offset.
pub fn place_cursor(part: TemplatePart, offset: u32) {
    let element = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id(&field_id(part)));
    let Some(element) = element else { return };
    if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
        let _ = input.focus();
        let _ = input.set_selection_range(offset, offset);
    } else if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>() {
        let _ = area.focus();
        let _ = area.set_selection_range(offset, offset);
    }
}

/// One labelled field of a template part. Focus, clicks, key presses and
/// typing record the cursor in `cursor`.
#[component]
pub fn PartField(
    part: TemplatePart,
    value: RwSignal<String>,
    cursor: RwSignal<Option<Cursor>>,
) -> impl IntoView {
    let id = field_id(part);
    let track = move |target: Option<web_sys::EventTarget>| {
        if let Some((start, end)) = target.as_ref().and_then(selection_of) {
            cursor.set(Some(Cursor { part, start, end }));
        }
    };
    let label = match part {
        TemplatePart::Subject => "Subject",
        TemplatePart::Html => "HTML body",
        TemplatePart::Text => "Text body",
    };
    let on_input = move |event: leptos::ev::Event| {
        value.set(event_target_value(&event));
        track(event.target());
    };
    let control = if part == TemplatePart::Subject {
        view! {
            <input
                class="field__input email-field__input"
                id=id.clone()
                name=part.name()
                prop:value=move || value.get()
                on:input=on_input
                on:focus=move |event| track(event.target())
                on:click=move |event| track(event.target())
                on:keyup=move |event| track(event.target())
                on:select=move |event| track(event.target())
            />
        }
        .into_any()
    } else {
        view! {
            <textarea
                class="field__input email-field__body"
                id=id.clone()
                name=part.name()
                rows=if part == TemplatePart::Html { "14" } else { "10" }
                spellcheck="false"
                prop:value=move || value.get()
                on:input=on_input
                on:focus=move |event| track(event.target())
                on:click=move |event| track(event.target())
                on:keyup=move |event| track(event.target())
                on:select=move |event| track(event.target())
            ></textarea>
        }
        .into_any()
    };
    view! {
        <div class="field email-field">
            <label class="field__label" for=id>{label}</label>
            {control}
        </div>
    }
}
