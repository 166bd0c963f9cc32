//! Message templates: checked field by field, their words filled in for each person in the
//! e-mail sent (and kept for a resend), previewed exactly without writing anything, and
//! only the organisation's own.

use crate::helpers::*;

const WRITES: &str = "SELECT (SELECT count(*) FROM invitations) + (SELECT count(*) FROM outbox)";

impl TestApp {
    async fn last_email(&self) -> serde_json::Value {
        self.sent_emails().await.pop().expect("an e-mail was sent")
    }
}

#[tokio::test]
async fn a_template_is_checked_field_by_field_and_nothing_is_saved_when_wrong() {
    let app = spawn_app().await;
    app.staff_login().await;
    let bad = [("name", " "), ("subject_addition", "Term\r\nBcc: x@example.org"), ("body", "Hi {name}")];
    let response = app.call(&app.staff, "/api/save_template", &bad).await;
    assert_eq!(response.status(), 422);
    let body = response.text().await.unwrap();
    for field in ["name", "subject_addition", "body"] {
        assert!(body.contains(&format!("\"field\":\"{field}\"")), "{field}: {body}");
    }
    assert!(body.contains("Only {first_name} and {organisation} can be filled in"));
    assert_eq!(app.count("SELECT count(*) FROM message_templates").await, 0);
}

#[tokio::test]
async fn the_templates_words_reach_the_email_filled_in_and_a_resend_says_the_same() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let template =
        app.template("Welcome", "Term starts soon", "Dear {first_name}, {organisation} is glad to have you.").await;
    let id = app.add_member("Ada", "Byron", "ada@example.org").await;
    let contact = app.self_contact(id).await.to_string();
    let template_text = template.to_string();
    let fields = [
        ("contact_id", contact.as_str()),
        ("email", "ada@example.org"),
        ("message", "See you on Monday."),
        ("template_id", template_text.as_str()),
    ];
    let sent = app.post_form(&app.staff, "/api/send_invitation", &format!("/staff/members/{id}"), &fields).await;
    assert_eq!(location(&sent), format!("/staff/members/{id}"));
    app.dispatch_pending_emails().await;
    let email = app.last_email().await;
    assert_eq!(email["subject"], "Riverside Martial Arts invites you to your member portal: Term starts soon");
    let text = email["text"].as_str().unwrap();
    assert!(text.contains("Dear Ada, Riverside Martial Arts is glad to have you.\n\nSee you on Monday."), "{text}");

    let resend = app.call(&app.staff, "/api/resend_invitation", &[("contact_id", contact.as_str())]).await;
    assert_eq!(resend.status(), 200);
    app.dispatch_pending_emails().await;
    let again = app.last_email().await;
    assert_eq!(again["subject"], email["subject"]);
    assert!(again["text"].as_str().unwrap().contains("Dear Ada, Riverside Martial Arts is glad to have you."));
}

/// "Preview" posts the invite form; the page it comes back to shows the exact e-mail and
/// the form as typed, and nothing is written.
#[tokio::test]
async fn the_preview_shows_the_exact_email_and_writes_nothing() {
    let app = spawn_app().await;
    app.staff_login().await;
    let template = app.template("Welcome", "Term starts soon", "Dear {first_name}, welcome <in>.").await;
    let id = app.add_member("Ada", "Byron", "ada@example.org").await;
    let contact = app.self_contact(id).await;
    let shown = app.preview(&app.staff, id, contact, "ada.typed@example.org", template, "Bring a towel").await;
    assert_eq!(shown.status, 200);
    let body = shown.body;
    assert!(
        body.contains("Subject: </strong>Riverside Martial Arts invites you to your member portal: Term starts soon"),
        "{body}"
    );
    assert!(body.contains("Dear Ada, welcome &lt;in&gt;.") && body.contains("Bring a towel"), "{body}");
    assert!(body.contains("HTML version, as sent") && body.contains("&lt;!doctype html&gt;"), "the HTML version");
    assert!(body.contains("value=\"ada.typed@example.org\""), "what was typed comes back");
    assert!(body.contains(">Bring a towel</textarea>"), "the message box keeps what was typed");
    assert_eq!(app.count(WRITES).await, 0);
}

/// ARCHITECTURE decision 10: words put in a link are never shown as the e-mail Portico will
/// send, nor put in the form — not as the old GET form's fields, not as a draft without a
/// signature, not as a draft signed for another browser.
#[tokio::test]
async fn a_link_cannot_put_words_in_the_invite_page() {
    let app = spawn_app().await;
    app.staff_login().await;
    let template = app.template("Welcome", "", "Dear {first_name}.").await;
    let id = app.add_member("Ada", "Byron", "ada@example.org").await;
    let contact = app.self_contact(id).await;
    let page = format!("/staff/members/{id}/contacts/{contact}/invite");
    let words = "Your+account+is+suspended%2C+call+0900";
    let planted = |body: &str| body.contains("Your account is suspended") || body.contains("evil@example.org");
    for query in [
        format!("email=evil%40example.org&template_id={template}&message={words}&preview=1"),
        format!("email=evil%40example.org&template_id={template}&message={words}&__draft=1"),
        format!("email=evil%40example.org&message={words}&__draft=1&__sig=AAAA"),
    ] {
        let crafted = app.get(&app.staff, &format!("{page}?{query}")).await;
        let body = if crafted.status.is_redirection() {
            let clean = crafted.headers["location"].to_str().unwrap().to_owned();
            assert!(!clean.contains("__draft") && !clean.contains("__sig"), "{clean}");
            app.get(&app.staff, &clean).await.body
        } else {
            crafted.body
        };
        assert!(body.contains("Send invitation"), "{query}: the form is there");
        assert!(!planted(&body), "{query}: the link's words are not shown");
        assert!(!body.contains("class=\"card mail preview\""), "{query}: no preview");
    }
    // A draft the attacker's own browser had signed is no draft in the staff's browser.
    let attacker = app.staff_in_role("attacker@example.org", "staff").await;
    let posted = app
        .post_form(
            &attacker,
            "/api/preview_invitation_draft",
            &page,
            &[
                ("contact_id", &contact.to_string()),
                ("email", "evil@example.org"),
                ("message", "Your account is suspended"),
            ],
        )
        .await;
    let signed = location(&posted);
    assert!(signed.contains("__sig="), "{signed}");
    assert!(planted(&app.get(&attacker, &signed).await.body), "the attacker sees their own draft");
    let followed = app.get(&app.staff, &signed).await;
    assert!(followed.status.is_redirection(), "{}", followed.status);
    let clean = followed.headers["location"].to_str().unwrap().to_owned();
    assert!(!planted(&app.get(&app.staff, &clean).await.body), "the staff's browser shows none of it");
}

#[tokio::test]
async fn another_organisations_or_an_archived_template_is_refused() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let template = app.template("Old words", "", "Hello {first_name}.").await.to_string();
    let id = app.add_member("Ada", "Byron", "ada@example.org").await;
    let contact = app.self_contact(id).await.to_string();
    app.add_staff_login("other@example.org", "other-org-password", "Other Practice", true).await;
    let other = browser();
    app.login(&other, "other@example.org", "other-org-password").await;
    let edit = [("template_id", template.as_str()), ("name", "Mine"), ("subject_addition", ""), ("body", "Mine.")];
    assert_eq!(app.call(&other, "/api/save_template", &edit).await.status(), 404);
    assert_eq!(app.call(&other, "/api/archive_template", &[("template_id", &template)]).await.status(), 404);
    assert!(!app.get(&other, "/staff/templates").await.body.contains("Old words"));

    let archived =
        app.post_form(&app.staff, "/api/archive_template", "/staff/templates", &[("template_id", &template)]).await;
    assert_eq!(location(&archived), "/staff/templates");
    let fields = [
        ("contact_id", contact.as_str()),
        ("email", "ada@example.org"),
        ("message", ""),
        ("template_id", template.as_str()),
    ];
    let refused = app.call(&app.staff, "/api/send_invitation", &fields).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("That template is gone"));
    assert_eq!(app.count(WRITES).await, 0);
}
