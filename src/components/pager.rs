//! Previous/next paging for lists.

use leptos::prelude::*;

/// Returns the number of pages for `total` items, at least 1 so an empty
/// list still reads "page 1 of 1".
pub fn page_count(total: u64, per_page: u32) -> u64 {
    let per_page = u64::from(per_page.max(1));
    total.div_ceil(per_page).max(1)
}

/// "Page N of M" with previous and next buttons.
#[component]
pub fn Pager(
    /// The current page, counted from 1; the buttons change it.
    page: RwSignal<u32>,
    /// The number of items in the whole list.
    #[prop(into)]
    total: Signal<u64>,
    /// Items per page.
    per_page: u32,
) -> impl IntoView {
    let pages = move || page_count(total.get(), per_page);
    let has_next = move || u64::from(page.get()) < pages();
    view! {
        <nav class="pager" aria-label="Pages">
            <button
                class="button"
                id="page-previous"
                type="button"
                disabled=move || page.get() <= 1
                on:click=move |_| page.update(|page| *page = page.saturating_sub(1).max(1))
            >
                "Previous"
            </button>
            <span class="pager__status">{move || format!("Page {} of {}", page.get(), pages())}</span>
            <button
                class="button"
                id="page-next"
                type="button"
                disabled=move || !has_next()
                on:click=move |_| page.update(|page| *page += 1)
            >
                "Next"
            </button>
        </nav>
    }
}
