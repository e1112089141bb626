//! The fields of one link: English and Japanese labels and an https URL,
//! each with the core's rule under it.

use gatehouse_core::branding::links::{LABEL_MAX_CHARS, URL_MAX_CHARS};
use gatehouse_core::branding::Link;
use leptos::prelude::*;

/// A part of a link that a field edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPart {
    Label(&'static str),
    Url,
}

impl LinkPart {
    pub const ALL: [LinkPart; 3] = [LinkPart::Label("en"), LinkPart::Label("ja"), LinkPart::Url];

    /// Returns the field suffix in the API's field names, such as `labels.ja`.
    pub fn suffix(self) -> String {
        match self {
            LinkPart::Label(language) => format!("labels.{language}"),
            LinkPart::Url => "url".to_owned(),
        }
    }

    fn label(self) -> &'static str {
        match self {
            LinkPart::Label("ja") => "Japanese label",
            LinkPart::Label(_) => "English label",
            LinkPart::Url => "URL",
        }
    }

    /// Returns the rule shown under the field before anything is wrong.
    pub fn rule(self) -> String {
        match self {
            LinkPart::Label(_) => format!(
                "Required; at most {LABEL_MAX_CHARS} characters, no leading or trailing space, \
                 not the same as another link's."
            ),
            LinkPart::Url => format!(
                "An https:// address with a host name, such as https://example.com/help; \
                 no user name, IP address or spaces; at most {URL_MAX_CHARS} characters."
            ),
        }
    }

    pub fn get(self, link: &Link) -> String {
        match self {
            LinkPart::Label(language) => link.labels.get(language).cloned().unwrap_or_default(),
            LinkPart::Url => link.url.clone(),
        }
    }

    pub fn set(self, link: &mut Link, value: String) {
        match self {
            LinkPart::Label(language) => {
                link.labels.insert(language.to_owned(), value);
            }
            LinkPart::Url => link.url = value,
        }
    }
}

/// Renders the three fields of a link. `field_prefix` is the API's name of the link,
/// such as `links[2]` or `link`; `message_for` returns the problem of a full
/// field name, if any.
#[component]
pub fn LinkFields(
    /// The API's name of the link, which also makes the element ids unique.
    field_prefix: String,
    /// The link as edited.
    #[prop(into)]
    link: Signal<Link>,
    /// Called with a part and its new value.
    on_change: Callback<(LinkPart, String)>,
    /// Returns the message of a full field name such as `links[2].url`.
    message_for: Callback<String, Option<String>>,
) -> impl IntoView {
    LinkPart::ALL
        .into_iter()
        .map(|part| {
            let field = format!("{field_prefix}.{}", part.suffix());
            let id = field.replace('[', "-").replace(']', "").replace('.', "-");
            let message_id = format!("{id}-message");
            let field_for_message = field.clone();
            let message = Signal::derive(move || message_for.run(field_for_message.clone()));
            let input_type = if part == LinkPart::Url { "url" } else { "text" };
            view! {
                <div class="field link-field">
                    <label class="field__label" for=id.clone()>{part.label()}</label>
                    <input
                        class="field__input"
                        id=id
                        name=field
                        type=input_type
                        prop:value=move || link.with(|link| part.get(link))
                        aria-invalid=move || if message.get().is_some() { "true" } else { "false" }
                        aria-describedby=message_id.clone()
                        on:input=move |event| on_change.run((part, event_target_value(&event)))
                    />
                    <p class="field__hint">{part.rule()}</p>
                    <p class="field__message field__message--error" id=message_id>
                        {move || message.get()}
                    </p>
                </div>
            }
        })
        .collect_view()
}
