//! The groups area: a read-only list of groups with search and paging, and
//! the area's operations, none of which has a form yet.

use gatehouse_core::api::Group;
use gatehouse_core::catalog::Area;
use leptos::prelude::*;

use crate::api;
use crate::components::pager::Pager;
use crate::components::problem::ProblemView;
use crate::format::Timestamp;
use crate::pages::area::AreaOperations;

/// Groups shown per page.
const PER_PAGE: u32 = 25;

/// Search and a page of groups, then the operations of the area.
#[component]
pub fn GroupList() -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let page = RwSignal::new(1_u32);
    let groups = LocalResource::new(move || {
        let (query, page) = (query.get(), page.get());
        async move { api::groups::list(&query, page, PER_PAGE).await }
    });
    let total = Signal::derive(move || {
        groups.get().and_then(|result| result.ok()).map_or(0, |page| page.total)
    });
    let on_search = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        page.set(1);
        query.set(typed.get_untracked());
    };

    view! {
        <section class="groups" id="area-groups">
            <h1>"Groups"</h1>
            <p class="area__status" id="groups-read-only">
                "This list is read-only. The console has no forms for single groups yet: "
                "creating, editing or deleting a group and adding or removing its members "
                "are not built. To change groups now, import a "
                <a href="/bulk-import/groups">"groups file"</a> " or a "
                <a href="/bulk-import/group-members">"group members file"</a> "."
            </p>
            <form class="toolbar" role="search" on:submit=on_search>
                <label class="field__label" for="group-search">"Search"</label>
                <input
                    class="field__input"
                    id="group-search"
                    type="search"
                    placeholder="Group ID or name"
                    bind:value=typed
                />
                <button class="button" type="submit">"Search"</button>
            </form>
            <Suspense fallback=|| view! { <p>"Loading groups…"</p> }>
                {move || {
                    groups
                        .get()
                        .map(|result| match result {
                            Ok(page) => view! { <GroupsTable groups=page.items/> }.into_any(),
                            Err(error) => view! { <ProblemView error/> }.into_any(),
                        })
                }}
            </Suspense>
            <Pager page total per_page=PER_PAGE/>
            <h2>"Operations of this area"</h2>
            <AreaOperations area=Area::Groups/>
        </section>
    }
}

/// One row per group.
#[component]
pub fn GroupsTable(
    /// The groups of the current page.
    groups: Vec<Group>,
) -> impl IntoView {
    if groups.is_empty() {
        return view! { <p class="groups__empty">"No groups match."</p> }.into_any();
    }
    let rows = groups
        .into_iter()
        .map(|group| {
            view! {
                <tr class="groups-table__row">
                    <td><code>{group.group_id}</code></td>
                    <td>{group.name}</td>
                    <td class="table__wrap">{group.description}</td>
                    <td class="table__number">{group.members}</td>
                    <td><Timestamp value=group.updated_at/></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="table groups-table">
                <thead>
                    <tr>
                        <th scope="col">"Group ID"</th>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Description"</th>
                        <th scope="col">"Members"</th>
                        <th scope="col">"Updated"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
