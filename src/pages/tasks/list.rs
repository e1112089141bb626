//! The task log list.

use gatehouse_core::api::Task;
use leptos::prelude::*;

use crate::api;
use crate::components::pager::Pager;
use crate::components::problem::ProblemView;

/// Tasks shown per page.
const PER_PAGE: u32 = 25;

/// A page of the task log, optionally filtered by task type.
#[component]
pub fn TaskList() -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let task_type = RwSignal::new(String::new());
    let page = RwSignal::new(1_u32);
    let tasks = LocalResource::new(move || {
        let (page, task_type) = (page.get(), task_type.get());
        async move { api::tasks::list(page, PER_PAGE, &task_type).await }
    });
    let total = Signal::derive(move || {
        tasks.get().and_then(|result| result.ok()).map_or(0, |page| page.total)
    });
    let on_filter = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        page.set(1);
        task_type.set(typed.get_untracked().trim().to_owned());
    };

    view! {
        <section class="tasks">
            <h1>"Tasks"</h1>
            <form class="toolbar" on:submit=on_filter>
                <label class="field__label" for="task-type">"Task type"</label>
                <input
                    class="field__input"
                    id="task-type"
                    placeholder="import.user"
                    bind:value=typed
                />
                <button class="button" type="submit">"Filter"</button>
            </form>
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

/// One row per task, linking to its detail page.
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
            view! {
                <tr class="tasks-table__row">
                    <td>
                        <a href=format!("/tasks/{}", task.id)>{format!("#{}", task.id)}</a>
                    </td>
                    <td><code>{task.task_type}</code></td>
                    <td><code>{task.operation}</code></td>
                    <td>{task.status.as_str()}</td>
                    <td>{task.actor}</td>
                    <td>{task.target}</td>
                    <td>{task.created_at}</td>
                    <td>{task.finished_at.unwrap_or_default()}</td>
                    <td>{format!("{} / {} ok, {} failed", task.succeeded, task.total, task.failed)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table tasks-table">
            <thead>
                <tr>
                    <th scope="col">"Task"</th>
                    <th scope="col">"Type"</th>
                    <th scope="col">"Operation"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Actor"</th>
                    <th scope="col">"Target"</th>
                    <th scope="col">"Created"</th>
                    <th scope="col">"Finished"</th>
                    <th scope="col">"Rows"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}
