//! The logo editor at `/branding/logo`: choose or drop an image, check it in
//! the browser with the core's rules, preview it on light and dark
//! backgrounds, upload it, or remove it.

use gatehouse_core::api::LogoInfo;
use gatehouse_core::branding::logo::{LOGO_MAX_BYTES, LOGO_MAX_PIXELS};
use gatehouse_core::branding::{check_logo, sniff_image};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, HtmlInputElement};

use crate::api::{self, ApiError};
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::problem::ProblemView;
use crate::components::unsaved_guard::guard_unsaved_changes;
use crate::session::use_session;

/// A file chosen in the browser and not uploaded yet.
#[derive(Debug, Clone, PartialEq)]
pub struct ChosenLogo {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Encodes bytes as standard base64 with padding, for a `data:` URL. The
/// Content-Security-Policy allows `data:` images but not `blob:` ones.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut encoded = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let triple = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let bits = u32::from(triple[0]) << 16 | u32::from(triple[1]) << 8 | u32::from(triple[2]);
        for position in 0..4 {
            if position <= chunk.len() {
                let index = (bits >> (18 - 6 * position)) & 0x3F;
                encoded.push(char::from(ALPHABET[index as usize]));
            } else {
                encoded.push('=');
            }
        }
    }
    encoded
}

/// Returns the lines of the check table: what the file is against the limits.
pub fn logo_facts(bytes: &[u8]) -> Vec<(&'static str, String, String)> {
    let sniffed = sniff_image(bytes).ok();
    vec![
        (
            "Type",
            sniffed.map_or("Not a PNG, JPEG or WebP image".to_owned(), |info| {
                info.format.name().to_owned()
            }),
            "PNG, JPEG or WebP (SVG is rejected)".to_owned(),
        ),
        (
            "Pixel size",
            sniffed.map_or("Unknown".to_owned(), |info| format!("{}×{}", info.width, info.height)),
            format!("At most {LOGO_MAX_PIXELS}×{LOGO_MAX_PIXELS}"),
        ),
        (
            "File size",
            format!("{} bytes", bytes.len()),
            format!("At most {LOGO_MAX_BYTES} bytes ({} KiB)", LOGO_MAX_BYTES / 1024),
        ),
    ]
}

/// Reads a file's bytes.
async fn read_file(file: &File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| format!("The file `{}` could not be read; choose it again.", file.name()))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Loads the stored logo's details and shows the editor.
#[component]
pub fn LogoPage() -> impl IntoView {
    let info = LocalResource::new(api::branding::logo_info);
    view! {
        <section class="branding-page" id="logo-page">
            <h1>"Logo"</h1>
            <p class="branding-page__intro">
                "The image above the sign-in form. Without one, the screens show the name “Gatehouse”."
            </p>
            <Suspense fallback=|| view! { <p>"Loading the logo…"</p> }>
                {move || {
                    info.get()
                        .map(|loaded| match loaded {
                            Ok(info) => view! { <LogoEditor info/> }.into_any(),
                            Err(error) => view! { <ProblemView error/> }.into_any(),
                        })
                }}
            </Suspense>
        </section>
    }
}

/// The stored logo, the file chooser, the check of a chosen file and the
/// upload and remove buttons.
#[component]
fn LogoEditor(info: LogoInfo) -> impl IntoView {
    let session = use_session();
    let stored = RwSignal::new(info);
    let chosen = RwSignal::new(None::<ChosenLogo>);
    let read_error = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let confirming_remove = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    guard_unsaved_changes(Signal::derive(move || chosen.with(Option::is_some)));

    let take_file = move |file: File| {
        read_error.set(None);
        message.set(None);
        spawn_local(async move {
            match read_file(&file).await {
                Ok(bytes) => chosen.set(Some(ChosenLogo { name: file.name(), bytes })),
                Err(problem) => read_error.set(Some(problem)),
            }
        });
    };
    let upload = move |_| {
        let Some(logo) = chosen.get_untracked() else { return };
        let csrf_token = session.csrf_token();
        busy.set(true);
        spawn_local(async move {
            let result = api::branding::upload_logo(&csrf_token, &logo.bytes).await;
            busy.set(false);
            match result {
                Ok(info) => {
                    stored.set(info);
                    chosen.set(None);
                    error.set(None);
                    message.set(Some(format!("Uploaded {}.", logo.name)));
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    let remove = Callback::new(move |()| {
        confirming_remove.set(false);
        let (csrf_token, version) = (session.csrf_token(), stored.get_untracked().version);
        busy.set(true);
        spawn_local(async move {
            let result = api::branding::remove_logo(&csrf_token, version).await;
            busy.set(false);
            match result {
                Ok(info) => {
                    stored.set(info);
                    error.set(None);
                    message.set(Some("Removed the logo; the screens show “Gatehouse”.".to_owned()));
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    });
    let checked = move || chosen.with(|chosen| chosen.as_ref().map(|logo| check_logo(&logo.bytes)));
    let can_upload = move || matches!(checked(), Some(Ok(_))) && !busy.get();

    view! {
        <h2>"Current logo"</h2>
        {move || {
            let info = stored.get();
            let source = info.present.then(|| api::branding::logo_url(info.version));
            let details = match (info.media_type.as_deref(), info.width, info.height, info.bytes) {
                (Some(media_type), Some(width), Some(height), Some(bytes)) => {
                    format!("{media_type}, {width}×{height} pixels, {bytes} bytes")
                }
                _ => "No logo is stored; the default text “Gatehouse” is shown.".to_owned(),
            };
            view! {
                <p class="logo-details" id="logo-details">{details}</p>
                <LogoBackgrounds source id="current-logo"/>
            }
        }}
        <button
            class="button"
            id="remove-logo"
            type="button"
            disabled=move || busy.get() || !stored.with(|info| info.present)
            on:click=move |_| confirming_remove.set(true)
        >
            "Remove logo"
        </button>
        <h2>"Upload a new logo"</h2>
        <LogoDrop on_file=Callback::new(take_file)/>
        {move || read_error.get().map(|problem| view! { <p class="problem" role="alert">{problem}</p> })}
        {move || {
            chosen
                .get()
                .map(|logo| {
                    let verdict = check_logo(&logo.bytes);
                    let source = verdict
                        .is_ok()
                        .then(|| {
                            let media_type = verdict.as_ref().map(|info| info.format.media_type()).unwrap_or_default();
                            format!("data:{media_type};base64,{}", base64(&logo.bytes))
                        });
                    view! {
                        <LogoCheck name=logo.name.clone() bytes=logo.bytes.clone() problem=verdict.err().map(|issue| issue.message)/>
                        <LogoBackgrounds source id="chosen-logo"/>
                    }
                })
        }}
        <div class="editor-actions">
            <button class="button button--primary" id="upload-logo" type="button" disabled=move || !can_upload() on:click=upload>
                "Upload logo"
            </button>
            <span class="saved-notice" role="status">{move || message.get()}</span>
        </div>
        {move || error.get().map(|error| view! { <ProblemView error/> })}
        {move || {
            confirming_remove
                .get()
                .then(|| {
                    view! {
                        <ConfirmDialog
                            id="confirm-remove-logo"
                            title="Remove the logo?".to_owned()
                            message="The sign-in screens go back to showing the name “Gatehouse”.".to_owned()
                            confirm_label="Remove logo"
                            on_confirm=remove
                            on_close=Callback::new(move |()| confirming_remove.set(false))
                        />
                    }
                })
        }}
    }
}

/// The drop zone and file input for an image.
#[component]
fn LogoDrop(on_file: Callback<File>) -> impl IntoView {
    let dragging = RwSignal::new(false);
    let on_change = move |event: leptos::ev::Event| {
        let input = event.target().and_then(|target| target.dyn_into::<HtmlInputElement>().ok());
        let Some(input) = input else { return };
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            // Clearing lets the same file be chosen again after a change.
            input.set_value("");
            on_file.run(file);
        }
    };
    let on_drop = move |event: leptos::ev::DragEvent| {
        event.prevent_default();
        dragging.set(false);
        let files = event.data_transfer().and_then(|transfer| transfer.files());
        if let Some(file) = files.and_then(|files| files.get(0)) {
            on_file.run(file);
        }
    };
    view! {
        <div
            class=move || if dragging.get() { "file-drop file-drop--active" } else { "file-drop" }
            on:dragover=move |event: leptos::ev::DragEvent| {
                event.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <label class="file-drop__label" for="logo-file">"Choose an image or drop it here"</label>
            <input class="file-drop__input" id="logo-file" type="file" accept="image/png,image/jpeg,image/webp" on:change=on_change/>
        </div>
    }
}

/// The chosen file's type, pixel size and bytes against the limits, and
/// the core's verdict.
#[component]
fn LogoCheck(name: String, bytes: Vec<u8>, problem: Option<String>) -> impl IntoView {
    let rows = logo_facts(&bytes)
        .into_iter()
        .map(|(label, value, limit)| view! { <tr><th scope="row">{label}</th><td>{value}</td><td>{limit}</td></tr> })
        .collect_view();
    let verdict = match &problem {
        Some(message) => format!("Cannot be uploaded: {message}"),
        None => "Ready to upload.".to_owned(),
    };
    let class = if problem.is_some() {
        "logo-check__verdict logo-check__verdict--fail"
    } else {
        "logo-check__verdict"
    };
    view! {
        <section class="logo-check" id="logo-check">
            <h3>{format!("Checked in your browser: {name}")}</h3>
            <table class="table logo-check__table">
                <thead><tr><th scope="col">"Check"</th><th scope="col">"This file"</th><th scope="col">"Limit"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <p class=class id="logo-verdict">{verdict}</p>
        </section>
    }
}

/// A logo, or the default text, on a light and on a dark background.
#[component]
fn LogoBackgrounds(source: Option<String>, id: &'static str) -> impl IntoView {
    let sample = move |background: &'static str| {
        let content = match source.clone() {
            Some(source) => {
                view! { <img class="logo-sample__image" src=source alt="Logo"/> }.into_any()
            }
            None => view! { <span class="logo-sample__text">"Gatehouse"</span> }.into_any(),
        };
        view! {
            <figure class=format!("logo-sample logo-sample--{background}")>
                {content}
                <figcaption class="logo-sample__caption">{format!("On a {background} background")}</figcaption>
            </figure>
        }
    };
    view! { <div class="logo-samples" id=id>{sample("light")}{sample("dark")}</div> }
}
