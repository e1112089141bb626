//! One row of the footer links list, with buttons and a drag handle to
//! reorder it.

use gatehouse_core::branding::Link;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::link_fields::{LinkFields, LinkPart};

/// Moves the focus to an element by id, so a person who moved a link with
/// the keyboard keeps working on the same link at its new place.
fn focus(id: &str) {
    let element = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id(id))
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

/// A link's fields with Up, Down and Remove buttons. The handle can be
/// dragged onto another row with the pointer; the buttons do the same from
/// the keyboard.
#[component]
pub fn LinkRow(
    index: usize,
    #[prop(into)] count: Signal<usize>,
    #[prop(into)] link: Signal<Link>,
    /// The index of the row being dragged, shared by all rows.
    dragged: RwSignal<Option<usize>>,
    on_change: Callback<(usize, LinkPart, String)>,
    /// Called with (from, to) indexes.
    on_move: Callback<(usize, usize)>,
    on_remove: Callback<usize>,
    message_for: Callback<String, Option<String>>,
) -> impl IntoView {
    let move_to = move |to: usize, button: &'static str| {
        on_move.run((index, to));
        focus(&format!("link-{to}-{button}"));
    };
    let on_drop = move |event: leptos::ev::DragEvent| {
        event.prevent_default();
        if let Some(from) = dragged.get_untracked() {
            on_move.run((from, index));
        }
        dragged.set(None);
    };
    let row_class = move || {
        if dragged.get() == Some(index) {
            "link-row link-row--dragging"
        } else {
            "link-row"
        }
    };
    view! {
        <li
            class=row_class
            id=format!("link-{index}")
            on:dragover=|event: leptos::ev::DragEvent| event.prevent_default()
            on:drop=on_drop
        >
            <div class="link-row__head">
                <span
                    class="link-row__handle"
                    draggable="true"
                    title="Drag to reorder"
                    on:dragstart=move |event: leptos::ev::DragEvent| {
                        if let Some(transfer) = event.data_transfer() {
                            let _ = transfer.set_data("text/plain", &index.to_string());
                        }
                        dragged.set(Some(index));
                    }
                    on:dragend=move |_| dragged.set(None)
                >
                    "⠿"
                </span>
                <h3 class="link-row__title">{format!("Link {}", index + 1)}</h3>
                <button
                    class="button"
                    id=format!("link-{index}-up")
                    type="button"
                    aria-label=format!("Move link {} up", index + 1)
                    disabled=move || index == 0
                    on:click=move |_| move_to(index.saturating_sub(1), "up")
                >
                    "Up"
                </button>
                <button
                    class="button"
                    id=format!("link-{index}-down")
                    type="button"
                    aria-label=format!("Move link {} down", index + 1)
                    disabled=move || { index + 1 >= count.get() }
                    on:click=move |_| move_to(index + 1, "down")
                >
                    "Down"
                </button>
                <button
                    class="button"
                    id=format!("link-{index}-remove")
                    type="button"
                    aria-label=format!("Remove link {}", index + 1)
                    on:click=move |_| on_remove.run(index)
                >
                    "Remove"
                </button>
            </div>
            <LinkFields
                field_prefix=format!("links[{index}]")
                link
                on_change=Callback::new(move |(part, value)| on_change.run((index, part, value)))
                message_for
            />
        </li>
    }
}
