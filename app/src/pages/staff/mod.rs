mod edit_member;
mod invite;
mod member_list;
mod new_member;
mod profile;

pub use edit_member::EditMemberPage;
pub use invite::InvitePage;
pub use member_list::MemberListPage;
pub use new_member::NewMemberPage;
pub use profile::MemberProfilePage;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The `:id` of a /staff/members/:id page; 0 (which no member has) when it is not a number.
fn member_id_param() -> Memo<i64> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").and_then(|id| id.parse().ok()).unwrap_or(0))
}
