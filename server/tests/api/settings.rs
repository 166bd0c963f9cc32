//! The organisation's settings: its name, whom its e-mail comes from, how long invitation
//! links work, the default template. The owner and administrators change them; each change
//! is on the organisation's timeline; bad input is refused field by field and changes
//! nothing.

use crate::helpers::*;

async fn save(app: &TestApp, client: &reqwest::Client, fields: &[(&str, &str)]) -> reqwest::Response {
    app.post_form(client, "/api/update_organisation", "/staff/settings", fields).await
}

fn settings<'a>(
    name: &'a str,
    sender: &'a str,
    address: &'a str,
    days: &'a str,
    template: &'a str,
) -> [(&'static str, &'a str); 5] {
    [
        ("name", name),
        ("sender_name", sender),
        ("sender_email", address),
        ("validity_days", days),
        ("default_template_id", template),
    ]
}

#[tokio::test]
async fn the_owner_changes_the_organisation_and_the_next_invitation_says_so() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let template = app.template("Welcome", "", "Hello {first_name}, welcome to {organisation}.").await.to_string();

    let changed = settings("Riverside Dojo", "Riverside Dojo Office", "office@riverside.example.org", "14", &template);
    assert_eq!(location(&save(&app, &app.staff, &changed).await), "/staff/settings");
    let page = app.get(&app.staff, "/staff/settings").await.body;
    assert!(page.contains("value=\"Riverside Dojo Office\"") && page.contains("value=\"14\""), "{page}");
    assert!(page.contains(&format!("<option value=\"{template}\" selected")), "{page}");
    assert!(
        page.contains(
            "Organisation: name “Riverside Martial Arts” → “Riverside Dojo”; sender name “Riverside Martial Arts” → \
             “Riverside Dojo Office”; sender address “hello@riverside.example.org” → “office@riverside.example.org”; \
             invitation links work for (days) “30” → “14”; default template “none” → “Welcome”, by Sam Rivera."
        ),
        "{page}"
    );

    // The invite page starts with the default template; the e-mail comes from the new sender
    // and its link works for 14 days.
    let id = app.add_member("Ada", "Byron", "ada@example.org").await;
    let contact = app.self_contact(id).await;
    let invite_page = app.get(&app.staff, &format!("/staff/members/{id}/contacts/{contact}/invite")).await.body;
    assert!(invite_page.contains(&format!("<option value=\"{template}\" selected")), "{invite_page}");
    assert!(invite_page.contains("for 14 days"), "{invite_page}");
    let contact = contact.to_string();
    let fields =
        [("contact_id", contact.as_str()), ("email", "ada@example.org"), ("message", ""), ("template_id", &template)];
    app.post_form(&app.staff, "/api/send_invitation", "/staff/members", &fields).await;
    app.dispatch_pending_emails().await;
    let email = app.sent_emails().await.pop().unwrap();
    assert_eq!(email["from"], "\"Riverside Dojo Office\" <office@riverside.example.org>");
    assert!(email["text"].as_str().unwrap().contains("expires on 6 December 2026"), "{email}");
    assert!(email["text"].as_str().unwrap().contains("welcome to Riverside Dojo"), "{email}");

    // Saving what is already there says nothing new.
    save(&app, &app.staff, &changed).await;
    assert_eq!(app.count("SELECT count(*) FROM events WHERE kind = 'settings_changed'").await, 1);
}

#[tokio::test]
async fn bad_settings_are_refused_field_by_field_and_change_nothing() {
    let app = spawn_app().await;
    app.staff_login().await;
    let before = app.dump("SELECT * FROM organisations").await;
    let cases = [
        (settings("", "Office", "office@example.org", "30", "0"), "name"),
        (settings("Dojo", "Office\u{202e}", "office@example.org", "30", "0"), "sender_name"),
        (settings("Dojo", "Office", "not an address", "30", "0"), "sender_email"),
        (settings("Dojo", "Office", "office@example.org", "0", "0"), "validity_days"),
        (settings("Dojo", "Office", "office@example.org", "91", "0"), "validity_days"),
        (settings("Dojo", "Office", "office@example.org", "a month", "0"), "validity_days"),
        (settings("Dojo", "Office", "office@example.org", "30", "999"), "default_template_id"),
    ];
    for (fields, field) in cases {
        let refused = app.call(&app.staff, "/api/update_organisation", &fields).await;
        assert_eq!(refused.status(), 422, "{fields:?}");
        let body = refused.text().await.unwrap();
        assert!(body.contains(&format!("\"{field}\"")), "{field}: {body}");
    }
    assert_eq!(app.dump("SELECT * FROM organisations").await, before);
    assert_eq!(app.count("SELECT count(*) FROM events").await, 0);
}

#[tokio::test]
async fn only_the_owner_and_administrators_change_the_organisation() {
    let app = spawn_app().await;
    app.add_staff_login("sam.staff@example.org", "staff-password-1", "Riverside Martial Arts", true).await;
    let staff = browser();
    app.login(&staff, "sam.staff@example.org", "staff-password-1").await;
    let before = app.dump("SELECT * FROM organisations").await;
    let fields = settings("Taken over", "Office", "office@example.org", "30", "0");
    assert_eq!(app.call(&staff, "/api/update_organisation", &fields).await.status(), 404);
    assert_eq!(app.dump("SELECT * FROM organisations").await, before);
    assert_eq!(app.count("SELECT count(*) FROM events").await, 0);
    let page = app.get(&staff, "/staff/settings").await.body;
    assert!(page.contains("Only the owner and administrators change these."), "{page}");
}
