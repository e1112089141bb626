//! The view of an edit conflict: what the person typed against what another
//! save stored meanwhile.

use gatehouse_core::api::{User, UserFields};
use gatehouse_core::rules::UserField;
use leptos::prelude::*;

/// Both versions side by side, with a choice to keep yours or take the saved one.
#[component]
pub fn ConflictView(
    /// The values the person tried to save.
    yours: UserFields,
    /// The record as it is stored now.
    saved: User,
    /// Saves your values again over the stored version.
    on_keep: Callback<()>,
    /// Discards your values and loads the stored ones.
    on_take: Callback<()>,
) -> impl IntoView {
    let rows = UserField::ALL
        .into_iter()
        .map(|field| {
            let mine = field.get(&yours).to_owned();
            let stored = field.get(&saved.fields).to_owned();
            let class = if mine == stored {
                "conflict__row"
            } else {
                "conflict__row conflict__row--differs"
            };
            view! {
                <tr class=class>
                    <th scope="row">{field.label()}</th>
                    <td>{mine}</td>
                    <td>{stored}</td>
                </tr>
            }
        })
        .collect_view();

    view! {
        <section class="conflict" id="conflict" role="alert">
            <h2>"Someone else saved this user while you were editing"</h2>
            <p>
                {format!(
                    "The saved version is now {} (changed {}). Choose which values to keep.",
                    saved.version,
                    saved.updated_at,
                )}
            </p>
            <table class="table conflict-table">
                <thead>
                    <tr>
                        <th scope="col">"Field"</th>
                        <th scope="col">"Yours"</th>
                        <th scope="col">"Saved now"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <div class="conflict__actions">
                <button class="button button--primary" id="keep-mine" type="button" on:click=move |_| on_keep.run(())>
                    "Keep mine and save"
                </button>
                <button class="button" id="take-saved" type="button" on:click=move |_| on_take.run(())>
                    "Take the saved version"
                </button>
            </div>
        </section>
    }
}
