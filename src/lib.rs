//! Gatehouse console: the browser admin console of a Gatehouse identity
//! tenant, written with Leptos and compiled to WebAssembly.

pub mod api;
pub mod components;
pub mod csv_worker;
pub mod format;
pub mod import_kind;
pub mod pages;
pub mod report_digest;
pub mod session;

use gatehouse_core::catalog::Area;
use gatehouse_core::csv::CsvKind;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::path;

use crate::pages::area::AreaPage;
use crate::pages::branding::footer_links::FooterLinksPage;
use crate::pages::branding::login_link::LoginLinkPage;
use crate::pages::branding::logo::LogoPage;
use crate::pages::branding::theme::ThemePage;
use crate::pages::branding::BrandingHome;
use crate::pages::bulk_import::page::ImportPage;
use crate::pages::bulk_import::BulkImportHome;
use crate::pages::emails::editor::EmailEditorPage;
use crate::pages::emails::matrix::EmailsHome;
use crate::pages::groups::GroupList;
use crate::pages::operations::Operations;
use crate::pages::shell::{NotFound, Shell};
use crate::pages::sign_in::SignIn;
use crate::pages::tasks::detail::TaskPage;
use crate::pages::tasks::list::TaskList;
use crate::pages::users::list::UserList;
use crate::pages::users::page::{NewUserPage, UserPage};
use crate::session::Session;

/// The console: restores the session, then routes every deep link.
#[component]
pub fn App() -> impl IntoView {
    let session = Session::new();
    provide_context(session);
    spawn_local(async move {
        match api::session::current().await {
            Ok(info) => session.info.set(info),
            Err(error) => {
                leptos::logging::error!("Restoring the session failed: {}", error.title());
            }
        }
        session.restored.set(true);
    });

    view! {
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/sign-in") view=SignIn/>
                <ParentRoute path=path!("") view=Shell>
                    <Route path=path!("/") view=|| view! { <Redirect path="/users"/> }/>
                    <Route path=path!("/users") view=UserList/>
                    <Route path=path!("/users/new") view=NewUserPage/>
                    <Route path=path!("/users/:id") view=UserPage/>
                    <Route path=path!("/bulk-import") view=BulkImportHome/>
                    <Route
                        path=path!("/bulk-import/users")
                        view=|| view! { <ImportPage kind=CsvKind::Users/> }
                    />
                    <Route
                        path=path!("/bulk-import/groups")
                        view=|| view! { <ImportPage kind=CsvKind::Groups/> }
                    />
                    <Route
                        path=path!("/bulk-import/group-members")
                        view=|| view! { <ImportPage kind=CsvKind::GroupMembers/> }
                    />
                    <Route path=path!("/tasks") view=TaskList/>
                    <Route path=path!("/tasks/:id") view=TaskPage/>
                    <Route path=path!("/operations") view=Operations/>
                    <Route path=path!("/groups") view=GroupList/>
                    <Route
                        path=path!("/applications")
                        view=|| view! { <AreaPage area=Area::Applications/> }
                    />
                    <Route path=path!("/security") view=|| view! { <AreaPage area=Area::Security/> }/>
                    <Route
                        path=path!("/organization")
                        view=|| view! { <AreaPage area=Area::Organization/> }
                    />
                    <Route path=path!("/branding") view=BrandingHome/>
                    <Route path=path!("/branding/theme") view=ThemePage/>
                    <Route path=path!("/branding/logo") view=LogoPage/>
                    <Route path=path!("/branding/footer-links") view=FooterLinksPage/>
                    <Route path=path!("/branding/login-link") view=LoginLinkPage/>
                    <Route path=path!("/emails") view=EmailsHome/>
                    <Route path=path!("/emails/:template/:language") view=EmailEditorPage/>
                    <Route
                        path=path!("/federation")
                        view=|| view! { <AreaPage area=Area::Federation/> }
                    />
                    <Route path=path!("/*any") view=NotFound/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
