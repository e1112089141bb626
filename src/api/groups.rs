//! Groups, read-only until the console has group forms.

use gatehouse_core::api::{Group, Page};

use super::{encode_component, ApiError};

/// Lists one page of groups whose ID or name matches `query`.
pub async fn list(query: &str, page: u32, per_page: u32) -> Result<Page<Group>, ApiError> {
    let route = format!("/groups?q={}&page={page}&per_page={per_page}", encode_component(query));
    super::get_json(&route).await
}
