//! Login administration on both targets: the owner changes the e-mail a member's login
//! signs in with; both addresses are told through the e-mail API, and the member signs in
//! with the new one.

use crate::flow::{Session, contact_ids, email_number, invited, location};
use crate::target::{OWNER_EMAIL, OWNER_PASSWORD, Target};

pub async fn the_owner_changes_a_members_login_email(target: &Target) {
    let kind = target.kind;
    let staff = Session::new(target);
    assert_eq!(staff.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members");
    let (profile, link) = invited(&staff, target, "Lena", "lena.login@example.org").await;
    let member = Session::new(target);
    let token = link.trim_start_matches("/invite/");
    let password = "lena's own password";
    let accept = [("token", token), ("password", password), ("confirm_password", password)];
    assert_eq!(location(&member.post_form("/api/accept_invitation", &link, &accept).await), "/portal", "{kind:?}");

    let contact = contact_ids(&staff, &profile).await.remove(0);
    let sent_before = target.sent_emails().await.len();
    let fields = [("contact_id", contact.as_str()), ("email", "lena.new@example.org")];
    assert_eq!(location(&staff.post_form("/api/change_login_email", &profile, &fields).await), profile, "{kind:?}");
    let mut told = vec![email_number(target, sent_before + 1).await, email_number(target, sent_before + 2).await];
    told.sort_by_key(|e| e["to"][0].as_str().unwrap().to_owned());
    assert_eq!(told[0]["to"][0], "lena.login@example.org", "{kind:?}");
    assert_eq!(told[1]["to"][0], "lena.new@example.org", "{kind:?}");
    assert_eq!(Session::new(target).sign_in("lena.new@example.org", password).await, "/portal", "{kind:?}");
    let (_, page) = staff.get(&profile).await;
    assert!(page.contains("login e-mail changed: lena.login@example.org → lena.new@example.org"), "{kind:?}: {page}");
}
