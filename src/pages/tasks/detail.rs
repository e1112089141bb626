//! One task with its per-row results.

use gatehouse_core::api::{TaskDetail, TaskRow};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::components::problem::ProblemView;
use crate::format::{pluralize, Timestamp};

/// Loads the task named by the `:id` segment.
#[component]
pub fn TaskPage() -> impl IntoView {
    let params = use_params_map();
    let task = LocalResource::new(move || {
        let id = params.with(|params| params.get("id").and_then(|id| id.parse::<i64>().ok()));
        async move {
            match id {
                Some(id) => Some(api::tasks::get(id).await),
                None => None,
            }
        }
    });
    view! {
        <Suspense fallback=|| view! { <p>"Loading the task…"</p> }>
            {move || {
                task.get()
                    .map(|loaded| match loaded {
                        Some(Ok(detail)) => view! { <TaskView detail/> }.into_any(),
                        Some(Err(error)) => view! { <ProblemView error/> }.into_any(),
                        None => {
                            view! {
                                <p class="problem">
                                    "The address has no valid task id; task ids are whole numbers."
                                </p>
                            }
                                .into_any()
                        }
                    })
            }}
        </Suspense>
    }
}

/// The task's fields and its rows.
#[component]
fn TaskView(
    /// The loaded task.
    detail: TaskDetail,
) -> impl IntoView {
    let task = detail.task;
    let time = |value: Option<String>| value.map(|value| view! { <Timestamp value/> }).into_any();
    let facts = [
        ("Type", task.task_type.into_any()),
        ("Operation", task.operation.into_any()),
        ("Status", task.status.as_str().into_any()),
        ("Actor", task.actor.into_any()),
        ("Target", task.target.into_any()),
        ("Created", time(Some(task.created_at))),
        ("Started", time(task.started_at)),
        ("Finished", time(task.finished_at)),
        (
            "Rows",
            format!(
                "{} total, {} succeeded, {} failed",
                pluralize(task.total, "row", "rows"),
                task.succeeded,
                task.failed
            )
            .into_any(),
        ),
    ];
    view! {
        <section class="task" id="task-detail">
            <h1>{format!("Task #{}", task.id)}</h1>
            <dl class="task__facts">
                {facts
                    .into_iter()
                    .map(|(term, value)| view! { <dt>{term}</dt><dd>{value}</dd> })
                    .collect_view()}
            </dl>
            <TaskRows rows=detail.rows/>
        </section>
    }
}

/// One line per CSV row the task handled.
#[component]
fn TaskRows(
    /// The per-row results.
    rows: Vec<TaskRow>,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p>"This task has no per-row results."</p> }.into_any();
    }
    let lines = rows
        .into_iter()
        .map(|row| {
            let class =
                if row.ok { "task-rows__row" } else { "task-rows__row task-rows__row--failed" };
            view! {
                <tr class=class>
                    <td>{row.row}</td>
                    <td>{row.key}</td>
                    <td>{if row.ok { "ok" } else { "failed" }}</td>
                    <td>{row.message}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
        <table class="table task-rows">
            <thead>
                <tr>
                    <th scope="col">"Row"</th>
                    <th scope="col">"Key"</th>
                    <th scope="col">"Result"</th>
                    <th scope="col">"Message"</th>
                </tr>
            </thead>
            <tbody>{lines}</tbody>
        </table>
        </div>
    }
    .into_any()
}
