//! Staff and roles on both targets: the owner invites a security administrator by e-mail;
//! they join from the link and re-enable a member's invite link, which is shown to them
//! once, works, and leaves the old link dead. They cannot reach the team page.

use crate::flow::{Session, contact_ids, email_number, invited, link_in, location};
use crate::target::{OWNER_EMAIL, OWNER_PASSWORD, Target};

pub async fn the_owner_invites_a_security_administrator_who_re_enables_a_link(target: &Target) {
    let kind = target.kind;
    let owner = Session::new(target);
    assert_eq!(owner.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members");
    let (profile, old_link) = invited(&owner, target, "Rhea", "rhea@example.org").await;

    let sent_before = target.sent_emails().await.len();
    let invite =
        [("name", "Sid Secure"), ("email", "sid@example.org"), ("role", "security_administrator"), ("sees", "all")];
    assert_eq!(
        location(&owner.post_form("/api/invite_staff", "/staff/team", &invite).await),
        "/staff/team",
        "{kind:?}"
    );
    let join_link = link_in(target, &email_number(target, sent_before + 1).await, "/join-staff/");
    let sid = Session::new(target);
    let (status, page) = sid.get(&join_link).await;
    assert_eq!(status, 200, "{kind:?}");
    assert!(page.contains("You are invited as Security administrator. You will see every member."), "{kind:?}: {page}");
    let token = join_link.trim_start_matches("/join-staff/");
    let password = "sid's own password";
    let join = [("token", token), ("password", password), ("confirm_password", password)];
    assert_eq!(location(&sid.post_form("/api/join_staff", &join_link, &join).await), "/staff/members", "{kind:?}");
    assert_eq!(sid.get("/staff/team").await.0, 404, "{kind:?}: the team is the owner's and administrators'");

    let contact = contact_ids(&sid, &profile).await.remove(0);
    let made = sid.post_form("/api/reenable_invite_link", &profile, &[("contact_id", &contact)]).await;
    assert_eq!(location(&made), format!("{profile}#contact-{contact}"), "{kind:?}");
    let (_, page) = sid.get(&profile).await;
    let marker = "readonly value=\"";
    let shown = page.find(marker).unwrap_or_else(|| panic!("{kind:?}: the link is shown: {page}")) + marker.len();
    let url = page[shown..].split('"').next().unwrap();
    let new_link =
        url.strip_prefix(&target.base_url).unwrap_or_else(|| panic!("{url} is on the public URL")).to_owned();
    assert!(!sid.get(&profile).await.1.contains(&new_link), "{kind:?}: shown once");
    assert_eq!(Session::new(target).get(&old_link).await.0, 404, "{kind:?}: the old link died");
    let rhea = Session::new(target);
    let token = new_link.trim_start_matches("/invite/");
    let accept = [("token", token), ("password", "rhea's password"), ("confirm_password", "rhea's password")];
    assert_eq!(location(&rhea.post_form("/api/accept_invitation", &new_link, &accept).await), "/portal", "{kind:?}");
    let (_, page) = owner.get(&profile).await;
    assert!(page.contains("to pass on by hand; earlier links no longer work, by Sid Secure."), "{kind:?}: {page}");
}
