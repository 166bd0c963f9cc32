//! The people around a profile: staff add a parent (invited at once) and a guardian (not
//! yet) to a child's profile. Each has their own portal state and actions: the parent
//! accepts and sees the child's profile but nothing of the guardian; the guardian's new
//! e-mail kills the link sent to the old one; the guardian declines; a representative with
//! a login is unlinked before being removed.

use reqwest::StatusCode;

use crate::flow::{Session, added, contact_ids, email_number, invitation_link, location, representative_invited};
use crate::target::{OWNER_EMAIL, OWNER_PASSWORD, Target};

/// The card of one contact on the profile page: from its start to the next card's.
fn card<'a>(page: &'a str, contact: &str) -> &'a str {
    let start = page.find(&format!("id=\"contact-{contact}\"")).expect("the contact's card");
    let rest = &page[start..];
    &rest[..rest[1..].find("id=\"contact-").map_or(rest.len(), |end| end + 1)]
}

pub async fn representatives_are_invited_and_handled_one_by_one(target: &Target) {
    let kind = target.kind;
    let staff = Session::new(target);
    assert_eq!(staff.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members");
    let profile = added(&staff, "Noa").await;
    let member_id = profile.trim_start_matches("/staff/members/").to_owned();
    let (parent, parent_link) = representative_invited(&staff, target, &profile, "Pat", "pat.case@example.org").await;
    let sent = target.sent_emails().await.len();
    let email = email_number(target, sent).await;
    assert_eq!(email["to"], serde_json::json!(["pat.case@example.org"]), "{kind:?}");
    assert!(email["text"].as_str().unwrap().contains("Hello Pat,"), "{kind:?}");
    assert!(email["text"].as_str().unwrap().contains("the profile of Noa Case"), "{kind:?}");

    // The guardian is added without the invitation; bad input comes back with messages.
    let guardian_with = |email| {
        [
            ("member_id", member_id.as_str()),
            ("first_name", "Gil"),
            ("last_name", "Case"),
            ("relation", "guardian"),
            ("email", email),
        ]
    };
    let new_page = format!("{profile}/contacts/new");
    let refused = staff.post_form("/api/add_contact", &new_page, &guardian_with("not an address")).await;
    let (_, back) = staff.get(&location(&refused)).await;
    assert!(back.contains("not an address") && back.contains("field-error"), "{kind:?}: {back}");
    assert_eq!(contact_ids(&staff, &profile).await.len(), 2, "{kind:?}: nothing was added");
    let added = staff.post_form("/api/add_contact", &new_page, &guardian_with("gil.old@example.org")).await;
    assert_eq!(location(&added), profile, "{kind:?}");
    let guardian = contact_ids(&staff, &profile).await.pop().unwrap();
    let (_, page) = staff.get(&profile).await;
    assert!(card(&page, &guardian).contains("Not invited yet"), "{kind:?}: {page}");
    assert!(card(&page, &parent).contains("Invitation sent just now"), "{kind:?}: {page}");

    // The parent accepts on their own link and sees the child's profile, never the guardian.
    let pat = Session::new(target);
    let password = "pat's own password";
    let token = parent_link.trim_start_matches("/invite/");
    let (_, welcome) = pat.get(&parent_link).await;
    assert!(welcome.contains("Welcome, Pat") && welcome.contains("Noa Case"), "{kind:?}: {welcome}");
    let accept = [("token", token), ("password", password), ("confirm_password", password)];
    assert_eq!(location(&pat.post_form("/api/accept_invitation", &parent_link, &accept).await), "/portal");
    let (_, portal) = pat.get("/portal").await;
    assert!(portal.contains("Noa Case"), "{kind:?}: {portal}");
    assert!(!portal.contains("gil.old@example.org") && !portal.contains("Gil"), "{kind:?}: another representative");
    let (_, page) = staff.get(&profile).await;
    assert!(card(&page, &parent).contains("Linked login: </strong>pat.case@example.org"), "{kind:?}: {page}");
    assert!(card(&page, &guardian).contains("Not invited yet"), "{kind:?}: the guardian is untouched");

    // The guardian is invited, then their e-mail is corrected: that link dies.
    let sent = target.sent_emails().await.len();
    let invite = [("contact_id", guardian.as_str()), ("email", "gil.old@example.org"), ("message", "")];
    let invite_page = format!("{profile}/contacts/{guardian}/invite");
    assert_eq!(location(&staff.post_form("/api/send_invitation", &invite_page, &invite).await), profile);
    let old_link = invitation_link(target, &email_number(target, sent + 1).await);
    let moved = [
        ("contact_id", guardian.as_str()),
        ("first_name", "Gil"),
        ("last_name", "Case"),
        ("relation", "guardian"),
        ("email", "gil.new@example.org"),
    ];
    let edit_page = format!("{profile}/contacts/{guardian}/edit");
    assert_eq!(location(&staff.post_form("/api/update_contact", &edit_page, &moved).await), profile, "{kind:?}");
    assert!(Session::new(target).get(&old_link).await.1.contains("This link is no longer valid"), "{kind:?}");
    let (_, page) = staff.get(&profile).await;
    let gil = card(&page, &guardian);
    assert!(gil.contains("gil.new@example.org") && gil.contains("Send a new invitation to the new address"), "{gil}");
    assert!(!gil.contains("Primary"), "{kind:?}: added without the Primary tick");

    // A new invitation to the new address; the guardian declines it from the page.
    let sent = target.sent_emails().await.len();
    let invite = [("contact_id", guardian.as_str()), ("email", "gil.new@example.org"), ("message", "")];
    assert_eq!(location(&staff.post_form("/api/send_invitation", &invite_page, &invite).await), profile);
    let link = invitation_link(target, &email_number(target, sent + 1).await);
    let token = link.trim_start_matches("/invite/");
    let gil = Session::new(target);
    assert_eq!(location(&gil.post_form("/api/decline_invitation", &link, &[("token", token)]).await), "/declined");
    let (_, page) = staff.get(&profile).await;
    assert!(card(&page, &guardian).contains("Declined on"), "{kind:?}: {page}");
    assert!(card(&page, &guardian).contains(">Reinvite<"), "{kind:?}");
    assert!(card(&page, &parent).contains("Active, last login"), "{kind:?}: the parent is untouched");

    // The parent has a login: removing them is refused until it is unlinked.
    let remove = [("contact_id", parent.as_str())];
    let refused = staff.post_form("/api/remove_contact", &profile, &remove).await;
    let (_, page) = staff.get(&location(&refused)).await;
    assert!(page.contains("Unlink it first"), "{kind:?}: {page}");
    let unlink = staff.post_form("/api/unlink_login", &profile, &remove).await;
    assert_eq!(location(&unlink), profile);
    assert_eq!(pat.get("/portal").await.0, StatusCode::FOUND, "{kind:?}: the parent's session ended");
    assert_eq!(location(&staff.post_form("/api/remove_contact", &profile, &remove).await), profile);
    let left = contact_ids(&staff, &profile).await;
    assert_eq!(left.len(), 2, "{kind:?}: the member and the guardian");
    assert_eq!(left[1], guardian, "{kind:?}");
}
