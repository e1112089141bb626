//! The task log.

use gatehouse_core::api::{Page, Task, TaskDetail};

use super::{encode_component, ApiError};

/// Lists one page of tasks, optionally of one task type.
pub async fn list(page: u32, per_page: u32, task_type: &str) -> Result<Page<Task>, ApiError> {
    let mut route = format!("/tasks?page={page}&per_page={per_page}");
    if !task_type.is_empty() {
        route.push_str(&format!("&type={}", encode_component(task_type)));
    }
    super::get_json(&route).await
}

/// Reads one task with its per-row results.
pub async fn get(id: i64) -> Result<TaskDetail, ApiError> {
    super::get_json(&format!("/tasks/{id}")).await
}
