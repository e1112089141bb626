//! The live preview of an email, rendered in the browser with the core's
//! engine and the sample values, in a sandboxed frame.

use gatehouse_core::emails::{Rendered, TemplateFinding};
use leptos::prelude::*;

/// The body the preview shows: HTML or plain text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewBody {
    Html,
    Text,
}

/// A toggle button whose `aria-pressed` marks the selected choice.
#[component]
fn Toggle<T>(
    label: &'static str,
    id: &'static str,
    choice: T,
    current: RwSignal<T>,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    view! {
        <button
            class="button toggle"
            id=id
            type="button"
            aria-pressed=move || if current.get() == choice { "true" } else { "false" }
            on:click=move |_| current.set(choice)
        >
            {label}
        </button>
    }
}

/// Renders the subject and a body. The HTML body goes in an
/// `<iframe sandbox="">`, which runs no scripts and has no access to the
/// console's origin, so markup the sanitizer would remove on save cannot act
/// here either. The frame's `srcdoc` document inherits the console's
/// Content-Security-Policy, so `style` attributes and remote images in a
/// template do not show in this preview although mail clients show them.
#[component]
pub fn EmailPreview(
    /// The email rendered with the sample values, or the findings that stop it.
    #[prop(into)]
    rendered: Signal<Result<Rendered, Vec<TemplateFinding>>>,
) -> impl IntoView {
    let body = RwSignal::new(PreviewBody::Html);
    let phone = RwSignal::new(false);
    let width_class = move || {
        if phone.get() {
            "email-preview__body--phone"
        } else {
            "email-preview__body--desktop"
        }
    };
    let content = move || {
        match rendered.get() {
        Err(_) => view! {
            <p class="email-preview__blocked">"The preview shows once the errors listed under Problems are fixed."</p>
        }
        .into_any(),
        Ok(email) => {
            let body_view = match body.get() {
                PreviewBody::Html => view! {
                    <iframe
                        class=move || format!("email-preview__frame {}", width_class())
                        id="email-preview-frame"
                        sandbox=""
                        title="HTML body preview"
                        srcdoc=email.html
                    ></iframe>
                }
                .into_any(),
                PreviewBody::Text => view! {
                    <pre class=move || format!("email-preview__text {}", width_class()) id="email-preview-text">{email.text}</pre>
                }
                .into_any(),
            };
            view! {
                <p class="email-preview__subject" id="email-preview-subject">
                    <span class="email-preview__subject-label">"Subject: "</span>
                    {email.subject}
                </p>
                {body_view}
            }
            .into_any()
        }
    }
    };
    view! {
        <section class="email-preview" id="email-preview">
            <h2>"Preview with sample values"</h2>
            <div class="toolbar" role="group" aria-label="Preview options">
                <Toggle label="HTML" id="preview-html" choice=PreviewBody::Html current=body/>
                <Toggle label="Text" id="preview-text" choice=PreviewBody::Text current=body/>
                <Toggle label="Desktop" id="preview-desktop" choice=false current=phone/>
                <Toggle label="Phone" id="preview-phone" choice=true current=phone/>
            </div>
            {content}
            <p class="email-preview__note">
                "Inline style attributes and images from other sites do not show here, because "
                "the console's security policy blocks them; mail clients show them."
            </p>
        </section>
    }
}
