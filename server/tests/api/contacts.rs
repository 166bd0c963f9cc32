//! Representatives on a profile: added (and invited at once) with every field checked,
//! accepted to the member's profile with their own login, kept apart from each other, and
//! out of reach of staff who may not see the member.

use crate::helpers::*;

const CONTACTS: &str = "SELECT * FROM contacts";
const INVITATIONS_AND_OUTBOX: &str =
    "SELECT i.*, o.id AS outbox_id FROM invitations i LEFT JOIN outbox o ON o.invitation_id = i.id";

fn representative<'a>(member_id: &'a str, first: &'a str, email: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("member_id", member_id),
        ("first_name", first),
        ("last_name", "Case"),
        ("relation", "parent"),
        ("email", email),
        ("primary", "true"),
        ("send_now", "true"),
    ]
}

impl TestApp {
    /// Adds a representative with "Send the portal invitation now" and delivers the e-mail;
    /// returns the contact's id and the link.
    async fn representative_invited(&self, member_id: i64, first: &str, email: &str) -> (i64, String) {
        let id = member_id.to_string();
        let page = format!("/staff/members/{id}/contacts/new");
        let added = self.post_form(&self.staff, "/api/add_contact", &page, &representative(&id, first, email)).await;
        assert_eq!(location(&added), format!("/staff/members/{id}"));
        self.dispatch_pending_emails().await;
        let rows = self.state.db.fetch_all(portico_app::stmt!("SELECT max(id) AS id FROM contacts")).await.unwrap();
        (rows[0]["id"].as_i64().unwrap(), self.invitation_links().await.pop().unwrap())
    }
}

#[tokio::test]
async fn each_field_of_a_new_representative_is_checked_and_nothing_is_written() {
    let app = spawn_app().await;
    app.staff_login().await;
    let id = app.add_member("Noa", "Case", "").await.to_string();
    let (contacts, invitations) = (app.dump(CONTACTS).await, app.dump(INVITATIONS_AND_OUTBOX).await);
    let mut fields = representative(&id, " ", "not an address");
    fields[3] = ("relation", "parent\nand more");
    let response = app.call(&app.staff, "/api/add_contact", &fields).await;
    assert_eq!(response.status(), 422);
    let body = response.text().await.unwrap();
    for field in ["first_name", "relation", "email"] {
        assert!(body.contains(&format!("\"field\":\"{field}\"")), "{field}: {body}");
    }
    // Inviting at once needs an address; without the tick, none is needed.
    let no_address = representative(&id, "Pat", "");
    let response = app.call(&app.staff, "/api/add_contact", &no_address).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("Enter an e-mail address to send the invitation to."));
    assert_eq!(app.dump(CONTACTS).await, contacts);
    assert_eq!(app.dump(INVITATIONS_AND_OUTBOX).await, invitations);
    let quiet: Vec<_> = no_address.into_iter().filter(|(name, _)| *name != "send_now").collect();
    assert_eq!(app.call(&app.staff, "/api/add_contact", &quiet).await.status(), 200);
    assert_eq!(app.count("SELECT count(*) FROM contacts WHERE is_self = 0 AND email IS NULL").await, 1);
    assert_eq!(app.count("SELECT count(*) FROM invitations").await, 0);
}

#[tokio::test]
async fn a_representative_invited_at_once_accepts_to_the_members_profile_with_their_own_login() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let id = app.add_member("Noa", "Case", "noa@example.org").await;
    let (contact, link) = app.representative_invited(id, "Pat", "pat@example.org").await;
    let sent = &app.sent_emails().await[0];
    assert_eq!(sent["to"], serde_json::json!(["pat@example.org"]));
    assert!(sent["text"].as_str().unwrap().contains("the profile of Noa Case"));

    let pat = browser();
    assert_eq!(location(&app.accept(&pat, &link, "pat's own password").await), "/portal");
    let portal = app.get(&pat, "/portal").await;
    assert!(portal.body.contains("Noa Case") && portal.body.contains("noa@example.org"), "{}", portal.body);
    let link_row = app.dump("SELECT member_id, contact_id, relation FROM member_links").await;
    assert_eq!(link_row, format!("[{{\"contact_id\":{contact},\"member_id\":{id},\"relation\":\"representative\"}}]"));
    let profile = app.get(&app.staff, &format!("/staff/members/{id}")).await;
    assert!(profile.body.contains("Linked login: </strong>pat@example.org"));
    assert!(profile.body.contains("Not invited yet"), "the member's own contact is untouched");
    // Their own card: the member can still be invited, on their own link.
    assert_eq!(location(&app.invite(id, "noa@example.org", "").await), format!("/staff/members/{id}"));
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn a_representative_sees_the_profile_but_never_another_representatives_login() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let id = app.add_member("Noa", "Case", "").await;
    let (_, first) = app.representative_invited(id, "Pat", "pat@example.org").await;
    let (_, second) = app.representative_invited(id, "Gil", "gil@example.org").await;
    let (pat, gil) = (browser(), browser());
    app.accept(&pat, &first, "pat's own password").await;
    app.accept(&gil, &second, "gil's own password").await;
    for (client, other) in [(&pat, "gil@example.org"), (&gil, "pat@example.org")] {
        let page = app.get(client, "/portal").await;
        assert!(page.body.contains("Noa Case") && !page.body.contains(other), "{}", page.body);
        let data = app.call(client, "/api/portal_profile", &[]).await.text().await.unwrap();
        assert!(data.contains("Noa") && !data.contains(other), "{data}");
        let member_id = id.to_string();
        assert_eq!(app.call(client, "/api/member_profile", &[("member_id", &member_id)]).await.status(), 404);
    }
}

#[tokio::test]
async fn staff_who_cannot_see_the_member_reach_none_of_its_contacts() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let hidden = app.add_member("Hidden", "Case", "").await;
    let (contact, _) = app.representative_invited(hidden, "Pat", "pat@example.org").await;
    app.add_staff_login("limited@example.org", "limited-password", "Riverside Martial Arts", false).await;
    let limited = browser();
    app.login(&limited, "limited@example.org", "limited-password").await;
    let (contacts, invitations) = (app.dump(CONTACTS).await, app.dump(INVITATIONS_AND_OUTBOX).await);
    let (member_id, contact_id) = (hidden.to_string(), contact.to_string());
    let edit = [
        ("contact_id", contact_id.as_str()),
        ("first_name", "Mallory"),
        ("last_name", "Case"),
        ("relation", ""),
        ("email", "mallory@example.org"),
    ];
    let calls: [(&str, Vec<(&str, &str)>); 6] = [
        ("/api/add_contact", representative(&member_id, "Mallory", "mallory@example.org")),
        ("/api/update_contact", edit.to_vec()),
        ("/api/remove_contact", vec![("contact_id", &contact_id)]),
        ("/api/send_invitation", vec![("contact_id", &contact_id), ("email", "mallory@example.org"), ("message", "")]),
        ("/api/resend_invitation", vec![("contact_id", &contact_id)]),
        ("/api/revoke_invitation", vec![("contact_id", &contact_id)]),
    ];
    for (endpoint, fields) in calls {
        assert_eq!(app.call(&limited, endpoint, &fields).await.status(), 404, "{endpoint}");
    }
    for page in ["new".to_owned(), format!("{contact}/edit"), format!("{contact}/invite")] {
        let path = format!("/staff/members/{hidden}/contacts/{page}");
        assert_eq!(app.get(&limited, &path).await.status, 404, "{path}");
    }
    assert_eq!(app.dump(CONTACTS).await, contacts);
    assert_eq!(app.dump(INVITATIONS_AND_OUTBOX).await, invitations);
}

/// A contact's pages are reached through its own member: another member's path with the
/// contact's id, or the member themself as if a representative, is refused.
#[tokio::test]
async fn a_contact_is_reached_only_through_its_own_member() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let noa = app.add_member("Noa", "Case", "noa@example.org").await;
    let other = app.add_member("Other", "Case", "").await;
    let (contact, _) = app.representative_invited(noa, "Pat", "pat@example.org").await;
    for page in ["edit", "invite"] {
        assert_eq!(app.get(&app.staff, &format!("/staff/members/{other}/contacts/{contact}/{page}")).await.status, 404);
        assert_eq!(app.get(&app.staff, &format!("/staff/members/{noa}/contacts/{contact}/{page}")).await.status, 200);
    }
    let own = app.self_contact(noa).await.to_string();
    let removed = app.call(&app.staff, "/api/remove_contact", &[("contact_id", &own)]).await;
    assert_eq!(removed.status(), 409);
    let as_representative =
        [("contact_id", own.as_str()), ("first_name", "X"), ("last_name", "Y"), ("relation", ""), ("email", "")];
    assert_eq!(app.call(&app.staff, "/api/update_contact", &as_representative).await.status(), 409);
    assert_eq!(app.count("SELECT count(*) FROM contacts WHERE removed_at IS NOT NULL").await, 0);
}

#[tokio::test]
async fn removing_a_representative_kills_their_link_and_a_new_address_kills_it_too() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let id = app.add_member("Noa", "Case", "").await;
    let (pat, pat_link) = app.representative_invited(id, "Pat", "pat@example.org").await;
    let (gil, gil_link) = app.representative_invited(id, "Gil", "gil@example.org").await;
    let profile = format!("/staff/members/{id}");
    // Two waiting invitations, two decline forms: each with its own field id.
    let page = app.get(&app.staff, &profile).await.body;
    assert!(page.contains(&format!("id=\"reason-{pat}\"")) && page.contains(&format!("id=\"reason-{gil}\"")));
    assert!(!page.contains("id=\"reason\""));

    let pat_text = pat.to_string();
    let removed = app.post_form(&app.staff, "/api/remove_contact", &profile, &[("contact_id", &pat_text)]).await;
    assert_eq!(location(&removed), profile);
    assert!(app.get(&browser(), &pat_link).await.body.contains("This link is no longer valid"));
    let page = app.get(&app.staff, &profile).await.body;
    assert!(
        notice(&page).is_some_and(|said| said.starts_with("Pat ") && said.ends_with(" removed from this profile."))
    );
    let (cards, timeline) = page.split_once("id=\"timeline-heading\"").expect("a timeline");
    assert!(!cards.contains("pat@example.org"), "no longer on the profile");
    assert!(timeline.contains("Invitation sent to Pat"), "but still in its history");
    assert!(timeline.contains("revoked: the representative was removed from the profile"), "{timeline}");

    let gil_text = gil.to_string();
    let moved = [
        ("contact_id", gil_text.as_str()),
        ("first_name", "Gil"),
        ("last_name", "Case"),
        ("relation", "guardian"),
        ("email", "gil.new@example.org"),
    ];
    let edited =
        app.post_form(&app.staff, "/api/update_contact", &format!("{profile}/contacts/{gil}/edit"), &moved).await;
    assert_eq!(location(&edited), profile);
    assert!(app.get(&browser(), &gil_link).await.body.contains("This link is no longer valid"));
    assert_eq!(app.count("SELECT count(*) FROM invitations WHERE revoked_because = 'email_changed'").await, 1);
    let page = app.get(&app.staff, &profile).await;
    assert!(page.body.contains("Send a new invitation to the new address") && page.body.contains("(guardian)"));
    app.assert_standings_fresh().await;
}
