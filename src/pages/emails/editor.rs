//! The page at `/emails/:template/:language`, a deep link to one template
//! in one language.

use gatehouse_core::emails::{EmailTemplate, Language};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::form::EmailForm;
use super::language_name;
use crate::api;
use crate::components::problem::ProblemView;

/// Reads the template and language from the path, loads the stored or
/// default text and shows the editor.
#[component]
pub fn EmailEditorPage() -> impl IntoView {
    let params = use_params_map();
    let target = move || {
        params.with(|params| {
            let template = params.get("template").and_then(|name| EmailTemplate::parse(&name));
            let language = params.get("language").and_then(|code| Language::parse(&code));
            template.zip(language)
        })
    };
    let document = LocalResource::new(move || {
        let target = target();
        async move {
            match target {
                Some((template, language)) => Some(api::emails::get(template, language).await),
                None => None,
            }
        }
    });
    view! {
        <section class="email-editor-page" id="email-editor-page">
            <p class="back-link">
                <a href="/emails" id="back-to-emails">"All notification emails"</a>
            </p>
            <Suspense fallback=|| view! { <p>"Loading the template…"</p> }>
                {move || {
                    document
                        .get()
                        .map(|loaded| match loaded {
                            Some(Ok(document)) => {
                                let heading = format!(
                                    "{} ({})",
                                    document.template.title(),
                                    language_name(document.language),
                                );
                                view! {
                                    <h1>{heading}</h1>
                                    <EmailForm document/>
                                }
                                    .into_any()
                            }
                            Some(Err(error)) => view! { <ProblemView error/> }.into_any(),
                            None => view! {
                                <p class="problem" role="alert">
                                    "The address names no known email template and language. "
                                    "Open one from the list of notification emails."
                                </p>
                            }
                            .into_any(),
                        })
                }}
            </Suspense>
        </section>
    }
}
