//! Login administration: the owner, an administrator or a security administrator changes the
//! e-mail a member's login signs in with; both addresses are told, the timeline says who
//! did it; anyone else cannot, and a bad or taken address changes nothing.

use portico_app::seed::DEMO_OWNER_EMAIL;

use crate::helpers::*;

async fn change(app: &TestApp, client: &reqwest::Client, contact: &str, email: &str) -> reqwest::Response {
    app.call(client, "/api/change_login_email", &[("contact_id", contact), ("email", email)]).await
}

/// A member with a linked login (Ada, ada@example.org, "ada's own password").
async fn linked_member(app: &TestApp) -> (i64, String) {
    email_api_accepts(app).await;
    app.staff_login().await;
    let (id, link) = app.invited_member("Ada", "ada@example.org").await;
    assert_eq!(location(&app.accept(&browser(), &link, "ada's own password").await), "/portal");
    (id, app.self_contact(id).await.to_string())
}

#[tokio::test]
async fn the_owner_changes_a_login_email_and_both_addresses_are_told() {
    let app = spawn_app().await;
    let (id, contact) = linked_member(&app).await;
    let profile = format!("/staff/members/{id}");
    assert!(app.get(&app.staff, &profile).await.body.contains("Change login e-mail"));
    let changed = app
        .post_form(
            &app.staff,
            "/api/change_login_email",
            &profile,
            &[("contact_id", &contact), ("email", "Ada@New.example.org")],
        )
        .await;
    assert_eq!(location(&changed), profile);
    app.dispatch_pending_emails().await;
    let told: Vec<String> =
        app.sent_emails().await.iter().skip(1).map(|e| e["to"][0].as_str().unwrap().to_owned()).collect();
    assert_eq!(told, ["ada@example.org", "ada@new.example.org"]);
    let notice = app.sent_emails().await.pop().unwrap();
    assert!(notice["text"].as_str().unwrap().contains("from ada@example.org to ada@new.example.org"), "{notice}");
    assert_eq!(location(&app.login(&browser(), "ada@new.example.org", "ada's own password").await), "/portal");
    let old_address = app.login(&browser(), "ada@example.org", "ada's own password").await;
    assert!(refusal(&old_address).contains("BadCredentials"), "{}", refusal(&old_address));
    let page = app.get(&app.staff, &profile).await.body;
    assert!(page.contains("Linked login: </strong>ada@new.example.org"), "{page}");
    assert!(
        page.contains("Ada Example's login e-mail changed: ada@example.org → ada@new.example.org, by Sam Rivera."),
        "{page}"
    );
}

#[tokio::test]
async fn a_bad_or_taken_address_is_refused_on_its_card_and_changes_nothing() {
    let app = spawn_app().await;
    let (_, contact) = linked_member(&app).await;
    let before = app.dump("SELECT * FROM users").await + &app.dump("SELECT * FROM outbox").await;
    for (email, message) in [
        ("not an address", "An e-mail address cannot contain spaces or line breaks."),
        ("ada@example.org", "That is already the login's address."),
        (DEMO_OWNER_EMAIL, "Another login signs in with this address already."),
    ] {
        let refused = change(&app, &app.staff, &contact, email).await;
        assert_eq!(refused.status(), 422, "{email}");
        let body = refused.text().await.unwrap();
        assert!(body.contains(message) && body.contains(&format!("\"{contact}\"")), "{email}: {body}");
    }
    assert_eq!(app.dump("SELECT * FROM users").await + &app.dump("SELECT * FROM outbox").await, before);
    assert_eq!(app.count("SELECT count(*) FROM events WHERE kind = 'login_email_changed'").await, 0);
}

#[tokio::test]
async fn staff_without_the_role_cannot_change_a_login_email() {
    let app = spawn_app().await;
    let (id, contact) = linked_member(&app).await;
    app.add_staff_login("sam.staff@example.org", "staff-password-1", "Riverside Martial Arts", true).await;
    let staff = browser();
    app.login(&staff, "sam.staff@example.org", "staff-password-1").await;
    assert!(!app.get(&staff, &format!("/staff/members/{id}")).await.body.contains("Change login e-mail"));
    assert_eq!(change(&app, &staff, &contact, "ada@new.example.org").await.status(), 404);
    assert_eq!(app.count("SELECT count(*) FROM users WHERE email = 'ada@example.org'").await, 1);
}

/// The contact's invite link as the profile shows it after "Re-enable invite link".
fn shown_link(page: &str) -> Option<String> {
    let start = page.find(&format!("value=\"{BASE_URL}/invite/"))? + "value=\"".len();
    let end = start + page[start..].find('"')?;
    Some(page[start..end].trim_start_matches(BASE_URL).to_owned())
}

#[tokio::test]
async fn a_security_administrator_re_enables_a_link_shown_once_and_never_stored() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let (id, old_link) = app.invited_member("Ada", "ada@example.org").await;
    let contact = app.self_contact(id).await.to_string();
    let security = app.staff_in_role("sec@example.org", "security_administrator").await;
    let profile = format!("/staff/members/{id}");
    assert!(app.get(&security, &profile).await.body.contains("Re-enable invite link"));
    let emails_before = app.sent_emails().await.len();
    let made = app.post_form(&security, "/api/reenable_invite_link", &profile, &[("contact_id", &contact)]).await;
    assert_eq!(location(&made), format!("{profile}#contact-{contact}"));
    let page = app.get(&security, &profile).await.body;
    let link = shown_link(&page).unwrap_or_else(|| panic!("the new link is shown: {page}"));
    assert!(page.contains("shown this once"), "{page}");
    let again = app.get(&security, &profile).await.body;
    assert!(shown_link(&again).is_none(), "only once");
    assert!(again.contains("Not e-mailed: a link made for staff to pass on by hand."), "{again}");
    assert!(again.contains("Resend e-mails them a new link; the one passed on by hand then stops working."));
    assert!(!again.contains("Sent to "), "it was not sent: {again}");
    // Not in the database, nor sent anywhere; the old link is dead, the new one works.
    let token = link.trim_start_matches("/invite/");
    for table in ["SELECT * FROM invitations", "SELECT * FROM outbox", "SELECT * FROM events"] {
        assert!(!app.dump(table).await.contains(token), "{table}");
    }
    app.dispatch_pending_emails().await;
    assert_eq!(app.sent_emails().await.len(), emails_before, "no e-mail is sent");
    assert_eq!(app.get(&browser(), &old_link).await.status, 404);
    let timeline = app.get(&app.staff, &profile).await.body;
    assert!(
        timeline.contains("A new invite link was made for Ada Example (ada@example.org) to pass on by hand"),
        "{timeline}"
    );
    assert_eq!(location(&app.accept(&browser(), &link, "ada's own password").await), "/portal");
}

#[tokio::test]
async fn staff_without_the_role_cannot_re_enable_a_link_nor_for_a_linked_login() {
    let app = spawn_app().await;
    let (id, contact) = linked_member(&app).await;
    let staff = app.staff_in_role("plain@example.org", "staff").await;
    assert!(!app.get(&staff, &format!("/staff/members/{id}")).await.body.contains("Re-enable invite link"));
    let before = app.dump("SELECT * FROM invitations").await;
    assert_eq!(app.call(&staff, "/api/reenable_invite_link", &[("contact_id", &contact)]).await.status(), 404);
    let linked = app.call(&app.staff, "/api/reenable_invite_link", &[("contact_id", &contact)]).await;
    assert_eq!(linked.status(), 409);
    assert!(linked.text().await.unwrap().contains("has a login already"));
    assert_eq!(app.dump("SELECT * FROM invitations").await, before);
}

/// "Re-enable" said something untrue of people never invited; a first link is "made".
#[tokio::test]
async fn a_link_for_someone_never_invited_is_made_not_re_enabled() {
    let app = spawn_app().await;
    app.staff_login().await;
    let id = app.add_member("Nina", "New", "nina@example.org").await;
    let profile = app.get(&app.staff, &format!("/staff/members/{id}")).await.body;
    assert!(profile.contains(">Make an invite link to pass on</button>"), "{profile}");
    assert!(!profile.contains("Re-enable invite link"), "{profile}");
}
