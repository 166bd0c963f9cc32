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
    assert_ne!(location(&app.login(&browser(), "ada@example.org", "ada's own password").await), "/portal");
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
