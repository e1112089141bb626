//! The task log list.

use gatehouse_core::api::Task;
use gatehouse_core::catalog::{Area, OPERATIONS};
use leptos::prelude::*;

use crate::api;
use crate::components::pager::Pager;
use crate::components::problem::ProblemView;
use crate::format::Timestamp;

/// Tasks shown per page.
const PER_PAGE: u32 = 25;

/// Returns the distinct task types of the catalog's operations in `area`,
/// sorted.
pub fn task_types_of(area: Area) -> Vec<&'static str> {
    let mut types: Vec<&'static str> =
        OPERATIONS.iter().filter(|spec| spec.area == area).map(|spec| spec.task_type).collect();
    types.sort_unstable();
    types.dedup();
    types
}

/// A page of the task log, optionally filtered by task type.
#[component]
pub fn TaskList() -> impl IntoView {
    let task_type = RwSignal::new(String::new());
    let page = RwSignal::new(1_u32);
    let tasks = LocalResource::new(move || {
        let (page, task_type) = (page.get(), task_type.get());
        async move { api::tasks::list(page, PER_PAGE, &task_type).await }
    });
    let total = Signal::derive(move || {
        tasks.get().and_then(|result| result.ok()).map_or(0, |page| page.total)
    });
    let on_filter = move |event| {
        page.set(1);
        task_type.set(event_target_value(&event));
    };
    let type_groups = Area::ALL
        .into_iter()
        .map(|area| {
            let options = task_types_of(area)
                .into_iter()
                .map(|task_type| view! { <option value=task_type>{task_type}</option> })
                .collect_view();
            view! { <optgroup label=area.title()>{options}</optgroup> }
        })
        .collect_view();

    view! {
        <section class="tasks">
            <h1>"Tasks"</h1>
            <div class="toolbar">
                <label class="field__label" for="task-type">"Task type"</label>
                <select class="field__input" id="task-type" on:change=on_filter>
                    <option value="">"All types"</option>
                    {type_groups}
                </select>
            </div>
            <Suspense fallback=|| view! { <p>"Loading tasks…"</p> }>
                {move || {
                    tasks
                        .get()
                        .map(|result| match result {
                            Ok(page) => view! { <TasksTable tasks=page.items/> }.into_any(),
                            Err(error) => view! { <ProblemView error/> }.into_any(),
                        })
                }}
            </Suspense>
            <Pager page total per_page=PER_PAGE/>
        </section>
    }
}

/// One row per task, linking to its detail page. The finish time is left
/// to the detail page so that the table fits a 1280-pixel window.
#[component]
fn TasksTable(
    /// The tasks of the current page.
    tasks: Vec<Task>,
) -> impl IntoView {
    if tasks.is_empty() {
        return view! { <p class="tasks__empty">"No tasks recorded."</p> }.into_any();
    }
    let rows = tasks
        .into_iter()
        .map(|task| {
            let rows = describe_rows(&task);
            view! {
                <tr class="tasks-table__row">
                    <td>
                        <a href=format!("/tasks/{}", task.id)>{format!("#{}", task.id)}</a>
                    </td>
                    <td>
                        <code class="tasks-table__type">{task.task_type}</code>
                        <code class="tasks-table__operation">{task.operation}</code>
                    </td>
                    <td>{task.status.as_str()}</td>
                    <td class="table__wrap">{task.actor}</td>
                    <td class="table__wrap">{task.target}</td>
                    <td><Timestamp value=task.created_at/></td>
                    <td>{rows}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
        <table class="table tasks-table">
            <thead>
                <tr>
                    <th scope="col">"Task"</th>
                    <th scope="col">"Type and operation"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Actor"</th>
                    <th scope="col">"Target"</th>
                    <th scope="col">"Created"</th>
                    <th scope="col">"Rows"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        </div>
    }
    .into_any()
}

/// Describes a task's row counts briefly: "2 of 3 ok, 1 failed", leaving
/// out the failures when there are none.
pub fn describe_rows(task: &Task) -> String {
    let ok = format!("{} of {} ok", task.succeeded, task.total);
    if task.failed == 0 {
        ok
    } else {
        format!("{ok}, {} failed", task.failed)
    }
}
