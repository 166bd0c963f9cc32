//! Staff correct a member's e-mail while an invitation waits: the link sent to the old
//! address dies in the same change, and the profile offers a new invitation.

use crate::flow::{Session, invited, location};
use crate::target::{OWNER_EMAIL, OWNER_PASSWORD, Target};

pub async fn a_new_email_address_revokes_the_pending_link(target: &Target) {
    let kind = target.kind;
    let staff = Session::new(target);
    assert_eq!(staff.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members");
    let (profile, link) = invited(&staff, target, "Eve", "eve.old@example.org").await;
    let member_id = profile.trim_start_matches("/staff/members/");
    let fields = [
        ("member_id", member_id),
        ("first_name", "Eve"),
        ("last_name", "Case"),
        ("email", "eve.new@example.org"),
        ("phone", ""),
        ("address", ""),
    ];
    let saved = staff.post_form("/api/update_member", &format!("{profile}/edit"), &fields).await;
    assert_eq!(location(&saved), profile, "{kind:?}");
    let (_, page) = staff.get(&profile).await;
    assert!(
        page.contains("eve.new@example.org") && page.contains("Send a new invitation to the new address"),
        "{kind:?}: {page}"
    );
    assert!(
        Session::new(target).get(&link).await.1.contains("This link is no longer valid"),
        "{kind:?}: the old link died"
    );
}
