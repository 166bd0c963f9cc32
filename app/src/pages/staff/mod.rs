mod api_keys;
mod archived;
mod contacts;
mod edit_member;
mod group_profiles;
mod groups;
mod imports;
mod invite;
mod logo;
mod member_list;
mod new_member;
mod not_registered;
mod portal_records;
mod profile;
mod rounds;
mod settings;
mod team;
mod templates;
mod webhooks;

pub use api_keys::ApiKeysPage;
pub use archived::ArchivedMembersPage;
pub use contacts::{AddContactPage, EditContactPage};
pub use edit_member::EditMemberPage;
pub use group_profiles::AddToGroupPage;
pub use groups::{GroupListPage, GroupPage};
pub use imports::{ImportPage, ImportsPage};
pub use invite::InvitePage;
pub use logo::LogoPage;
pub use member_list::MemberListPage;
pub use new_member::NewMemberPage;
pub use not_registered::NotRegisteredPage;
pub use profile::MemberProfilePage;
pub use rounds::{BulkSendsPage, RoundPage, RoundPlanPage};
pub use settings::{LinkRequestsPage, SettingsPage};
pub use team::TeamPage;
pub use templates::{EditTemplatePage, TemplatesPage};
pub use webhooks::{WebhookLogPage, WebhooksPage};

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The `:id` of a /staff/members/:id page; 0 (which no member has) when it is not a number.
fn member_id_param() -> Memo<i64> {
    id_param("id")
}

/// The `:contact_id` of a /staff/members/:id/contacts/:contact_id page, 0 likewise.
fn contact_id_param() -> Memo<i64> {
    id_param("contact_id")
}

fn id_param(name: &'static str) -> Memo<i64> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get(name).and_then(|id| id.parse().ok()).unwrap_or(0))
}

/// The profile with the contact a page is about, loaded together; `None` when the member
/// has no such contact (shown as "not found").
fn profile_with_contact()
-> Resource<Result<(crate::api::members::MemberDetails, crate::api::members::ContactCard), crate::error::AppError>> {
    let member_id = member_id_param();
    let contact_id = contact_id_param();
    Resource::new(
        move || (member_id.get(), contact_id.get()),
        |(member_id, contact_id)| async move {
            let profile = crate::api::members::member_profile(member_id).await?;
            let contact = profile.contact(contact_id).cloned().ok_or(crate::error::AppError::NotFound)?;
            Ok((profile, contact))
        },
    )
}
