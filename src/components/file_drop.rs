//! Choosing a file with the file picker or by dropping it on the page.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{File, HtmlInputElement};

/// A drop zone with a file input (`#csv-file`) for one CSV file.
#[component]
pub fn FileDrop(
    /// Called with the chosen or dropped file.
    on_file: Callback<File>,
    /// The name of the current file, shown in the drop zone.
    #[prop(into)]
    file_name: Signal<Option<String>>,
) -> impl IntoView {
    let dragging = RwSignal::new(false);
    let on_change = move |event: leptos::ev::Event| {
        let input = event.target().and_then(|target| target.dyn_into::<HtmlInputElement>().ok());
        let Some(input) = input else { return };
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            // Browsers fire no `change` event when the same file is chosen
            // again. Clearing the input lets a person check a file again
            // after cancelling its check.
            input.set_value("");
            on_file.run(file);
        }
    };
    let on_drop = move |event: leptos::ev::DragEvent| {
        // The browser opens a dropped file in the tab unless the drop is cancelled.
        event.prevent_default();
        dragging.set(false);
        let files = event.data_transfer().and_then(|transfer| transfer.files());
        if let Some(file) = files.and_then(|files| files.get(0)) {
            on_file.run(file);
        }
    };
    let on_dragover = move |event: leptos::ev::DragEvent| {
        event.prevent_default();
        dragging.set(true);
    };
    let zone_class = move || {
        if dragging.get() {
            "file-drop file-drop--active"
        } else {
            "file-drop"
        }
    };

    view! {
        <div
            class=zone_class
            on:dragover=on_dragover
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <label class="file-drop__label" for="csv-file">
                "Choose a CSV file or drop it here"
            </label>
            <input
                class="file-drop__input"
                id="csv-file"
                type="file"
                accept=".csv,text/csv"
                on:change=on_change
            />
            <p class="file-drop__name">
                {move || file_name.get().map(|name| format!("Chosen file: {name}"))}
            </p>
        </div>
    }
}
