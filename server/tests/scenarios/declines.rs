//! A member declines the portal from the invitation page; staff see it and may reinvite,
//! and the new link works; the profile's timeline tells who did what. Opening a link never
//! declines it: only the form's POST does.

use reqwest::StatusCode;

use crate::flow::{Session, contact_ids, email_number, invitation_link, invited, location};
use crate::target::{OWNER_EMAIL, OWNER_PASSWORD, Target};

pub async fn a_member_declines_and_staff_reinvite(target: &Target) {
    let kind = target.kind;
    let staff = Session::new(target);
    assert_eq!(staff.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members");
    let email = "declines.case@example.org";
    let (profile, link) = invited(&staff, target, "Dana", email).await;
    let member = Session::new(target);
    let (status, page) = member.get(&link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("t want portal access"), "{kind:?}: the choice is offered: {page}");

    let token = link.trim_start_matches("/invite/");
    let declined = member.post_form("/api/decline_invitation", &link, &[("token", token)]).await;
    assert_eq!(location(&declined), "/declined", "{kind:?}");
    assert!(member.get("/declined").await.1.contains("You declined the invitation"), "{kind:?}");
    assert!(member.get(&link).await.1.contains("This link is no longer valid"), "{kind:?}: the link is used up");

    let (_, seen) = staff.get(&profile).await;
    assert!(seen.contains("Declined on") && seen.contains(">Reinvite<"), "{kind:?}: {seen}");
    let contact = contact_ids(&staff, &profile).await.remove(0);
    let sent_before = target.sent_emails().await.len();
    let again = [("contact_id", contact.as_str()), ("email", email), ("message", "")];
    let invite_page = format!("{profile}/contacts/{contact}/invite");
    assert_eq!(location(&staff.post_form("/api/send_invitation", &invite_page, &again).await), profile);
    let (_, seen) = staff.get(&profile).await;
    assert!(seen.contains("Sent again after they had declined."), "{kind:?}: {seen}");
    let new_link = invitation_link(target, &email_number(target, sent_before + 1).await);
    let token = new_link.trim_start_matches("/invite/");
    let password = "dana's own password";
    let accept = [("token", token), ("password", password), ("confirm_password", password)];
    assert_eq!(location(&member.post_form("/api/accept_invitation", &new_link, &accept).await), "/portal", "{kind:?}");
    the_timeline_tells_who_did_what(target, &staff, &profile).await;
}

/// The profile's timeline tells the story, newest first: who invited, who declined, who
/// invited again, who accepted (the e-mails' lines fall in between as the outbox sends).
async fn the_timeline_tells_who_did_what(target: &Target, staff: &Session<'_>, profile: &str) {
    let kind = target.kind;
    let (_, page) = staff.get(profile).await;
    let timeline = page.split_once("<ol class=\"timeline\">").expect("a timeline").1;
    let position = |text: &str| timeline.find(text).unwrap_or_else(|| panic!("{kind:?}: no {text:?} in {timeline}"));
    let accepted = position("Dana Case accepted the invitation and signed in as declines.case@example.org.");
    let reinvited = position("Dana Case invited again after declining (declines.case@example.org), by ");
    let declined = position("Dana Case declined the portal from their invitation link.");
    let invited = position("Invitation sent to Dana Case (declines.case@example.org), by ");
    assert!(accepted < reinvited && reinvited < declined && declined < invited, "{kind:?}: newest first: {timeline}");
    assert_eq!(timeline.matches("handed to the e-mail service").count(), 2, "{kind:?}: {timeline}");
}
