//! The Branding area: the theme colours, the logo, the footer links and the
//! sign-in screen link of the tenant's sign-in screens.

pub mod colour_field;
pub mod contrast;
pub mod footer_links;
pub mod link_fields;
pub mod link_row;
pub mod login_link;
pub mod logo;
pub mod preview;
pub mod theme;

use gatehouse_core::branding::Link;
use leptos::prelude::*;

/// The four branding editors with what each changes.
const EDITORS: [(&str, &str, &str); 4] = [
    ("/branding/theme", "Theme colours", "Colours of the sign-in screens, with their contrast."),
    ("/branding/logo", "Logo", "The image above the sign-in form."),
    ("/branding/footer-links", "Footer links", "Up to five links at the bottom of the screens."),
    ("/branding/login-link", "Sign-in screen link", "One link under the sign-in form."),
];

/// The Branding area's landing page: links to the four editors.
#[component]
pub fn BrandingHome() -> impl IntoView {
    view! {
        <section class="area" id="area-branding">
            <h1>"Branding"</h1>
            <p>"How the tenant's sign-in screens look. Each change is recorded in the task log."</p>
            <ul class="editor-links">
                {EDITORS
                    .into_iter()
                    .map(|(route, title, description)| {
                        view! {
                            <li class="editor-links__item">
                                <a class="editor-links__link" href=route>{title}</a>
                                <p class="editor-links__description">{description}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// Summarizes a link on one line per part for the conflict view.
pub fn link_summary(link: &Link) -> String {
    let label = |language: &str| link.labels.get(language).cloned().unwrap_or_default();
    format!("English: {}\nJapanese: {}\nURL: {}", label("en"), label("ja"), link.url)
}

/// "Saved." after a save, replaced by "Unsaved changes" once editing goes on.
#[component]
pub fn SavedNotice(
    message: RwSignal<Option<String>>,
    #[prop(into)] dirty: Signal<bool>,
) -> impl IntoView {
    view! {
        <span class="saved-notice" role="status" id="saved-notice">
            {move || {
                if dirty.get() {
                    Some("Unsaved changes".to_owned())
                } else {
                    message.get()
                }
            }}
        </span>
    }
}
