//! Routes and components: staff/, portal/, invite/, auth/, dev/.

mod auth;
pub mod common;
pub mod confirm;
mod dev;
mod home;
mod invite;
mod join;
mod portal;
mod setup;
mod staff;
mod titles;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::api::auth::{Logout, whoami};
use common::{ActionNotice, NotFound};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                // No icon yet: this stops browsers asking for /favicon.ico on every page.
                <link rel="icon" href="data:," />
                <link rel="stylesheet" href=format!("/pkg/{}.css", options.output_name) />
                <AutoReload options=options.clone() />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <HydrationMark />
        <Router>
            <SiteHeader />
            <main id="main">
                <ActionNotice />
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=home::HomePage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=auth::LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/forgot-password") view=auth::ForgotPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/forgot-password/sent") view=auth::ForgotPasswordSentPage ssr=SsrMode::Async />
                    <Route path=path!("/reset-password/:token") view=auth::ResetPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/setup") view=setup::SetupPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/members") view=staff::MemberListPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/members/new") view=staff::NewMemberPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/not-registered") view=staff::NotRegisteredPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/members/archived") view=staff::ArchivedMembersPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/members/:id") view=staff::MemberProfilePage ssr=SsrMode::Async />
                    <Route path=path!("/staff/members/:id/contacts/new") view=staff::AddContactPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/members/:id/contacts/:contact_id/edit") view=staff::EditContactPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/members/:id/contacts/:contact_id/invite") view=staff::InvitePage ssr=SsrMode::Async />
                    <Route path=path!("/staff/members/:id/edit") view=staff::EditMemberPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/groups") view=staff::GroupListPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/groups/:id") view=staff::GroupPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/add-to-group") view=staff::AddToGroupPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/bulk-sends") view=staff::BulkSendsPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/bulk-sends/:id") view=staff::RoundPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/invite-round") view=staff::RoundPlanPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/templates") view=staff::TemplatesPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/templates/:id") view=staff::EditTemplatePage ssr=SsrMode::Async />
                    <Route path=path!("/staff/settings") view=staff::SettingsPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/logo") view=staff::LogoPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/api-keys") view=staff::ApiKeysPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/webhooks") view=staff::WebhooksPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/webhooks/:id") view=staff::WebhookLogPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/imports") view=staff::ImportsPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/imports/:id") view=staff::ImportPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/team") view=staff::TeamPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/link-requests") view=staff::LinkRequestsPage ssr=SsrMode::Async />
                    <Route path=path!("/join/sent") view=join::SignUpSentPage ssr=SsrMode::Async />
                    <Route path=path!("/join/confirmed") view=join::SignUpConfirmedPage ssr=SsrMode::Async />
                    <Route path=path!("/join/confirm/:token") view=join::ConfirmSignUpPage ssr=SsrMode::Async />
                    <Route path=path!("/join/:organisation") view=join::SignUpPage ssr=SsrMode::Async />
                    <Route path=path!("/invite/:token") view=invite::AcceptInvitationPage ssr=SsrMode::Async />
                    <Route path=path!("/join-staff/:token") view=invite::JoinStaffPage ssr=SsrMode::Async />
                    <Route path=path!("/declined") view=invite::DeclinedPage ssr=SsrMode::Async />
                    <Route path=path!("/new-link") view=invite::NewLinkPage ssr=SsrMode::Async />
                    <Route path=path!("/portal") view=portal::PortalPage ssr=SsrMode::Async />
                    <Route path=path!("/dev/mailbox") view=dev::DevMailboxPage ssr=SsrMode::Async />
                    <Route path=path!("/dev/style-guide") view=dev::StyleGuidePage ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
    }
}

/// The brand, the staff's pages (the current one marked), and who is signed in with a way
/// out. Re-read on every navigation.
#[component]
fn SiteHeader() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let query = leptos_router::hooks::use_query_map();
    let viewer = Resource::new(move || location.pathname.get(), |_| whoami());
    let logout = ServerAction::<Logout>::new();
    let page_link = move |href: &'static str, label: &'static str| {
        let current = move || location.pathname.get().starts_with(href).then_some("page");
        view! { <a href=href aria-current=current>{label}</a> }
    };
    view! {
        <a class="skip-link" href="#main">"Skip to the content"</a>
        <header class="site-header">
            <Transition fallback=|| view! { <a class="brand" href="/">"Portico"</a> }>
                {move || Suspend::new(async move {
                    let viewer = viewer.await.ok().flatten();
                    let organisation = viewer.as_ref().and_then(|v| v.organisation.clone());
                    let has_errors = query.read_untracked().get("__err").is_some();
                    let title = titles::page_title(&location.pathname.get_untracked(), organisation.as_deref(), has_errors);
                    let brand = organisation.unwrap_or_else(|| "Portico".into());
                    let face = viewer.as_ref().map(|v| v.brand.clone()).unwrap_or_default();
                    let account = viewer.map(|viewer| view! {
                        <div class="account">
                            {viewer.is_staff.then(|| {
                                let manages = viewer.manages_organisation;
                                let links = move || view! {
                                    {page_link("/staff/members", "Members")}
                                    {page_link("/staff/groups", "Groups")}
                                    {manages.then(|| view! {
                                        {page_link("/staff/templates", "Templates")}
                                        {page_link("/staff/team", "Team")}
                                    })}
                                    {page_link("/staff/settings", "Settings")}
                                };
                                // A desk gets the row of pages; a phone a menu that opens
                                // without JavaScript (CSS shows one of the two).
                                view! {
                                    <nav class="pages wide-only" aria-label="Staff pages">{links()}</nav>
                                    <details class="menu narrow-only">
                                        <summary>"Menu"</summary>
                                        <nav class="pages" aria-label="Staff pages">{links()}</nav>
                                    </details>
                                }
                            })}
                            <p class="who">{viewer.shown_as}</p>
                            <ActionForm action=logout>
                                <button type="submit" class="link-button">"Sign out"</button>
                            </ActionForm>
                        </div>
                    });
                    // leptos_meta 0.8 writes the title into the page as it is given, unescaped;
                    // the organisation's name is typed by people. This header is not an
                    // island, so the browser never sets the title again from this text.
                    let title = crate::domain::html::escape_html(&title);
                    view! {
                        <Title text=title />
                        <BrandMark name=brand brand=face />
                        {account}
                    }
                })}
            </Transition>
        </header>
    }
}

/// The organisation's logo and name, linking home, and its accent colour's stylesheet.
#[component]
pub fn BrandMark(name: String, brand: crate::domain::brand::Brand) -> impl IntoView {
    view! {
        {brand.stylesheet.map(|href| view! { <leptos_meta::Stylesheet href /> })}
        <a class="brand" href="/">
            // The name follows: the image says nothing more, so it is not read out.
            {brand.logo.map(|src| view! { <img class="brand-logo" src=src alt="" /> })}
            {name}
        </a>
    }
}

/// Marks the body once the page's islands are interactive: for the browser tests (and anyone
/// curious). Effects run only in the browser, after hydration, and islands hydrate in one pass.
#[island]
fn HydrationMark() -> impl IntoView {
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "");
        }
    });
}
