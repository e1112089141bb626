//! A live preview of the tenant's sign-in screen, at a desktop and a phone
//! width side by side, drawn with the colours being edited.

use gatehouse_core::branding::{parse_hex, Link, Theme, ThemeToken};
use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;

/// The saved settings the preview draws besides the colours. Each editor loads the saved
/// settings and then replaces the part it edits with its live value.
#[derive(Debug, Clone, Copy)]
pub struct PreviewContext {
    pub theme: RwSignal<Theme>,
    pub footer: RwSignal<Vec<Link>>,
    pub login: RwSignal<Option<Link>>,
    /// The stored logo's version, or `None` when no logo is stored.
    pub logo: RwSignal<Option<i64>>,
}

impl PreviewContext {
    /// Starts loading the saved theme, links and logo. A failed load leaves
    /// the default in place and is logged, because the preview is an aid.
    pub fn load() -> PreviewContext {
        let context = PreviewContext {
            theme: RwSignal::new(Theme::default()),
            footer: RwSignal::new(Vec::new()),
            login: RwSignal::new(None),
            logo: RwSignal::new(None),
        };
        spawn_local(async move {
            match api::branding::theme().await {
                Ok(settings) => context.theme.set(settings.theme),
                Err(error) => log_failure("theme", &error),
            }
            match api::branding::footer_links().await {
                Ok(footer) => context.footer.set(footer.links),
                Err(error) => log_failure("footer links", &error),
            }
            match api::branding::login_link().await {
                Ok(login) => context.login.set(login.link),
                Err(error) => log_failure("sign-in link", &error),
            }
            match api::branding::logo_info().await {
                Ok(info) => context.logo.set(info.present.then_some(info.version)),
                Err(error) => log_failure("logo", &error),
            }
        });
        context
    }
}

fn log_failure(resource: &str, error: &api::ApiError) {
    leptos::logging::warn!("Loading the {resource} for the preview failed: {}", error.title());
}

/// Returns the CSS custom property of a token, such as `--preview-on-primary`.
pub fn preview_property(token: ThemeToken) -> String {
    format!("--preview-{}", token.name().replace('_', "-"))
}

/// Returns a link's English label, or its URL when the label is empty.
fn label_of(link: &Link) -> String {
    link.labels
        .get("en")
        .filter(|label| !label.trim().is_empty())
        .cloned()
        .unwrap_or(link.url.clone())
}

/// The sign-in screen at two widths. The server's Content-Security-Policy
/// (`style-src 'self'`) forbids `style` attributes, so the colours go in as
/// custom properties through the CSSOM, which that policy allows.
#[component]
pub fn SignInPreview(
    #[prop(into)] theme: Signal<Theme>,
    #[prop(into)] footer: Signal<Vec<Link>>,
    #[prop(into)] login: Signal<Option<Link>>,
    #[prop(into)] logo: Signal<Option<i64>>,
) -> impl IntoView {
    let root = NodeRef::<Div>::new();
    Effect::new(move |_| {
        let Some(element) = root.get() else { return };
        // Called through the trait path, because Leptos's element extension
        // trait also has a `style` method.
        let style = web_sys::HtmlElement::style(&element);
        theme.with(|theme| {
            for token in ThemeToken::ALL {
                // An invalid colour keeps the last valid one on screen.
                if parse_hex(token.get(theme)).is_ok() {
                    let _ = style.set_property(&preview_property(token), token.get(theme));
                }
            }
        });
    });
    let screen = move |width: &'static str| {
        view! { <MockSignIn width footer login logo/> }
    };
    view! {
        <div class="signin-preview" id="signin-preview" node_ref=root>
            {screen("desktop")}
            {screen("phone")}
        </div>
    }
}

/// One mock sign-in screen: logo, heading, fields, primary button, link,
/// error text and footer links.
#[component]
fn MockSignIn(
    /// `desktop` or `phone`, which selects the frame's CSS class.
    width: &'static str,
    footer: Signal<Vec<Link>>,
    login: Signal<Option<Link>>,
    logo: Signal<Option<i64>>,
) -> impl IntoView {
    let caption = if width == "phone" { "Phone (360 px wide)" } else { "Desktop" };
    let logo_view = move || match logo.get() {
        Some(version) => view! {
            <img class="mock__logo-image" src=api::branding::logo_url(version) alt="Tenant logo"/>
        }
        .into_any(),
        None => view! { <span class="mock__logo-text">"Gatehouse"</span> }.into_any(),
    };
    let footer_links = move || {
        footer
            .get()
            .iter()
            .map(|link| view! { <li class="mock__link">{label_of(link)}</li> })
            .collect_view()
    };
    view! {
        <figure class=format!("signin-preview__frame signin-preview__frame--{width}")>
            <figcaption class="signin-preview__caption">{caption}</figcaption>
            <div class="mock" aria-hidden="true">
                <div class="mock__card">
                    <div class="mock__logo">{logo_view}</div>
                    <p class="mock__heading">"Sign in"</p>
                    <p class="mock__label">"Login ID"</p>
                    <div class="mock__input">"aiko.tanaka"</div>
                    <p class="mock__label">"Password"</p>
                    <div class="mock__input">"••••••••"</div>
                    <p class="mock__error">"The login ID or password is incorrect."</p>
                    <div class="mock__button">"Sign in"</div>
                    {move || login.get().map(|link| view! { <p class="mock__link">{label_of(&link)}</p> })}
                </div>
                <ul class="mock__footer">{footer_links}</ul>
            </div>
        </figure>
    }
}
