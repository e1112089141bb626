//! The view of an edit conflict in a design editor: what the designer
//! typed against what another save stored meanwhile.

use leptos::prelude::*;

/// One compared value: its label, the designer's value and the saved value.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictRow {
    pub label: String,
    pub yours: String,
    pub saved: String,
}

/// Both versions side by side, with a choice to keep yours or take the saved one.
#[component]
pub fn VersionConflict(
    /// What is being edited, as in "Someone else saved the theme".
    subject: &'static str,
    /// The version that is stored now.
    saved_version: i64,
    /// The compared values.
    rows: Vec<ConflictRow>,
    /// Saves your values again over the stored version.
    on_keep: Callback<()>,
    /// Discards your values and loads the stored ones.
    on_take: Callback<()>,
) -> impl IntoView {
    let rows = rows
        .into_iter()
        .map(|row| {
            let class = if row.yours == row.saved {
                "conflict__row"
            } else {
                "conflict__row conflict__row--differs"
            };
            view! {
                <tr class=class>
                    <th scope="row">{row.label}</th>
                    <td><pre class="conflict__value">{row.yours}</pre></td>
                    <td><pre class="conflict__value">{row.saved}</pre></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="conflict" id="conflict" role="alert">
            <h2>{format!("Someone else saved {subject} while you were editing")}</h2>
            <p>
                {format!(
                    "The saved version is now {saved_version}. Choose which version to keep."
                )}
            </p>
            <div class="table-scroll">
                <table class="table conflict-table">
                    <thead>
                        <tr>
                            <th scope="col">"Part"</th>
                            <th scope="col">"Yours"</th>
                            <th scope="col">"Saved now"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <div class="conflict__actions">
                <button
                    class="button button--primary"
                    id="keep-mine"
                    type="button"
                    on:click=move |_| on_keep.run(())
                >
                    "Keep mine and save"
                </button>
                <button class="button" id="take-saved" type="button" on:click=move |_| on_take.run(())>
                    "Take the saved version"
                </button>
            </div>
        </section>
    }
}
