//! The catalog of operations as the server reports it.

use gatehouse_core::api::OperationInfo;

use super::ApiError;

/// Lists every type/operation pair with its area, option and form route.
pub async fn list() -> Result<Vec<OperationInfo>, ApiError> {
    super::get_json("/operations").await
}
