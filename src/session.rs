//! The signed-in session, shared with every page through a context.

use gatehouse_core::api::SessionInfo;
use gatehouse_core::catalog::TenantOption;
use leptos::prelude::*;

/// The session state the app provides as a context.
#[derive(Debug, Clone, Copy)]
pub struct Session {
    /// The signed-in administrator, or `None` when nobody is signed in.
    pub info: RwSignal<Option<SessionInfo>>,
    /// Whether the app has finished asking the server for an existing
    /// session after a page load. Until then, `info` being `None` does not
    /// mean the person is signed out.
    pub restored: RwSignal<bool>,
}

impl Session {
    /// Creates an empty session state that is not yet restored.
    pub fn new() -> Session {
        Session { info: RwSignal::new(None), restored: RwSignal::new(false) }
    }

    /// Returns the CSRF token without tracking, or an empty string when
    /// signed out, in which case the server rejects the request.
    pub fn csrf_token(&self) -> String {
        self.info
            .with_untracked(|info| info.as_ref().map(|info| info.csrf_token.clone()))
            .unwrap_or_default()
    }

    /// Returns whether the tenant subscribes to `option`. `None` means no
    /// option is needed, so it returns true.
    pub fn has_option(&self, option: Option<TenantOption>) -> bool {
        let Some(option) = option else { return true };
        self.info
            .with(|info| info.as_ref().is_some_and(|info| info.tenant_options.contains(&option)))
    }
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

/// Returns the session context. Outside the app (as in component tests) it
/// returns a fresh, signed-out session instead of panicking.
pub fn use_session() -> Session {
    use_context::<Session>().unwrap_or_default()
}
