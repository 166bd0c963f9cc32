//! Message templates: checked field by field, replacing the e-mail's subject and words,
//! filled in for each person (and kept for a resend), previewed rendered in a sandboxed
//! frame without writing anything, and only the organisation's own.

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
    let bad = [("name", " "), ("subject", "Term\r\nBcc: x@example.org"), ("body", "Hi {name} {link}")];
    let response = app.call(&app.staff, "/api/save_template", &bad).await;
    assert_eq!(response.status(), 422);
    let body = response.text().await.unwrap();
    for field in ["name", "subject", "body"] {
        assert!(body.contains(&format!("\"field\":\"{field}\"")), "{field}: {body}");
    }
    assert!(body.contains("Only {first_name}, {organisation}, {member_name}, {link}, {expiry} and {message} can be"));
    // Without {link} nobody could accept: refused, saying where it goes.
    let no_link = [("name", "Welcome"), ("subject", "Welcome"), ("body", "Dear {first_name}, welcome.")];
    let response = app.call(&app.staff, "/api/save_template", &no_link).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("Put {link} where the link to set a password goes"));
    let link_in_subject = [("name", "Welcome"), ("subject", "Open {link}"), ("body", "{link}")];
    assert_eq!(app.call(&app.staff, "/api/save_template", &link_in_subject).await.status(), 422);
    assert_eq!(app.count("SELECT count(*) FROM message_templates").await, 0);
}

/// The e-mail read "Hello Ada, … A message from Riverside Martial Arts: Dear Ada,"
/// under "…member portal: your new family account": a template now replaces both.
#[tokio::test]
async fn a_template_replaces_the_subject_and_the_words_and_a_resend_says_the_same() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let template = app
        .template(
            "Welcome",
            "{first_name}, your family account at {organisation}",
            "Dear {first_name}, {organisation} is glad to have you.\n\n{link}\n\nThe link works until {expiry}.",
        )
        .await;
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
    assert_eq!(email["subject"], "Ada, your family account at Riverside Martial Arts");
    let text = email["text"].as_str().unwrap();
    assert!(
        text.starts_with("Dear Ada, Riverside Martial Arts is glad to have you.\n\nSee you on Monday.\n\nhttp"),
        "{text}"
    );
    assert!(text.contains("The link works until "), "{text}");
    for fixed in ["Hello", "A message from", "invites you", "{"] {
        assert!(!text.contains(fixed), "{fixed}: {text}");
    }
    let html = email["html"].as_str().unwrap();
    assert!(html.contains("<p>Dear Ada, Riverside Martial Arts is glad to have you.</p>"), "{html}");

    let resend = app.call(&app.staff, "/api/resend_invitation", &[("contact_id", contact.as_str())]).await;
    assert_eq!(resend.status(), 200);
    app.dispatch_pending_emails().await;
    let again = app.last_email().await;
    assert_eq!(again["subject"], email["subject"]);
    assert!(
        again["text"]
            .as_str()
            .unwrap()
            .starts_with("Dear Ada, Riverside Martial Arts is glad to have you.\n\nSee you on Monday.")
    );
}

/// Without a template the built-in words go out, and a representative is told whose
/// profile the link opens.
#[tokio::test]
async fn without_a_template_the_built_in_words_name_the_profile() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let id = app.add_member("Sam", "Lee", "").await;
    let member = id.to_string();
    let fields = [
        ("member_id", member.as_str()),
        ("first_name", "Pat"),
        ("last_name", "Lee"),
        ("relation", "parent"),
        ("email", "pat@example.org"),
        ("send_now", "true"),
    ];
    let added =
        app.post_form(&app.staff, "/api/add_contact", &format!("/staff/members/{id}/contacts/new"), &fields).await;
    assert_eq!(location(&added), format!("/staff/members/{id}"));
    app.dispatch_pending_emails().await;
    let email = app.last_email().await;
    assert_eq!(email["subject"], "Riverside Martial Arts invites you to your member portal");
    let text = email["text"].as_str().unwrap();
    assert!(text.starts_with("Hello Pat,\n\nRiverside Martial Arts invites you to its member portal, where you can see the profile of Sam Lee"), "{text}");
    assert!(!text.contains("{message}") && !text.contains("\n\n\n"), "{text}");
}

/// "Preview" posts the invite form; the page it comes back to shows the subject, the HTML
/// version rendered in a sandboxed frame, the text version and the form as typed, and
/// nothing is written.
#[tokio::test]
async fn the_preview_shows_the_exact_email_rendered_in_a_frame_and_writes_nothing() {
    let app = spawn_app().await;
    app.staff_login().await;
    let template =
        app.template("Welcome", "Term starts soon", "Dear {first_name}, welcome <in>.\n\n{message}\n\n{link}").await;
    let id = app.add_member("Ada", "Byron", "ada@example.org").await;
    let contact = app.self_contact(id).await;
    let shown = app.preview(&app.staff, id, contact, "ada.typed@example.org", template, "Bring a <towel>").await;
    assert_eq!(shown.status, 200);
    let body = shown.body;
    assert!(body.contains("Subject: </strong>Term starts soon"), "{body}");
    assert!(body.contains("Dear Ada, welcome &lt;in&gt;.") && body.contains("Bring a &lt;towel&gt;"), "{body}");
    assert!(!body.contains("&lt;!doctype html&gt;"), "no HTML source shown as text");
    assert!(body.contains("value=\"ada.typed@example.org\""), "what was typed comes back");
    assert!(body.contains(">Bring a &lt;towel&gt;</textarea>"), "the message box keeps what was typed");
    let frame = frame_src(&body);
    assert!(frame.starts_with("/staff/email-preview?") && frame.contains("__sig="), "{frame}");
    assert!(body.contains("sandbox=\"\""), "the frame is sandboxed: nothing in it runs");

    let html = app.get(&app.staff, &frame).await;
    assert_eq!(html.status, 200, "{}", html.body);
    assert_eq!(html.headers["content-type"], "text/html; charset=utf-8");
    let policy = html.headers["content-security-policy"].to_str().unwrap();
    assert!(policy.contains("default-src 'none'") && policy.contains("sandbox"), "{policy}");
    assert!(policy.contains("frame-ancestors 'self'") && !policy.contains("script-src"), "{policy}");
    assert_eq!(html.headers["x-frame-options"], "SAMEORIGIN");
    assert!(html.body.starts_with("<!doctype html>"), "the e-mail itself");
    assert!(html.body.contains("<p>Dear Ada, welcome &lt;in&gt;.</p>"), "{}", html.body);
    assert!(html.body.contains("Bring a &lt;towel&gt;</blockquote>"), "{}", html.body);
    assert!(html.body.contains(">Set your password</a>"), "the link paragraph is a button");
    assert_eq!(app.count(WRITES).await, 0);
}

/// The preview frame's address names ids only: a message in it counts only signed for this
/// browser, another organisation's template or contact is not found, and a value that is
/// not a number is refused.
#[tokio::test]
async fn the_preview_frame_shows_no_words_from_its_address_and_only_our_own_records() {
    let app = spawn_app().await;
    app.staff_login().await;
    let template = app.template("Welcome", "Hi", "Dear {first_name}.\n\n{message}\n\n{link}").await;
    let id = app.add_member("Ada", "Byron", "ada@example.org").await;
    let contact = app.self_contact(id).await;
    let planted = format!("/staff/email-preview?template={template}&contact={contact}&message=Call+0900&__draft=1");
    let followed = app.get(&app.staff, &planted).await;
    assert!(followed.status.is_redirection(), "{}", followed.status);
    let clean = followed.headers["location"].to_str().unwrap().to_owned();
    let shown = app.get(&app.staff, &clean).await;
    assert_eq!(shown.status, 200);
    assert!(shown.body.contains("<p>Dear Ada.</p>") && !shown.body.contains("Call 0900"), "{}", shown.body);

    let built_in = app.get(&app.staff, "/staff/email-preview?template=0").await;
    assert!(built_in.body.contains("<p>Hello Sam,</p>"), "a sample person: {}", built_in.body);
    for (query, status) in [("template=abc", 422), ("contact=1e3", 422), ("template=999", 422), ("contact=999", 404)] {
        let answer = app.get(&app.staff, &format!("/staff/email-preview?{query}")).await;
        assert_eq!(answer.status, status, "{query}: {}", answer.body);
    }
    let other = browser();
    app.add_staff_login("other@example.org", "other-org-password", "Other Practice", true).await;
    app.login(&other, "other@example.org", "other-org-password").await;
    let theirs = app.get(&other, &format!("/staff/email-preview?template={template}")).await;
    assert_eq!(theirs.status, 422, "another organisation's template is gone for them");
    let theirs = app.get(&other, &format!("/staff/email-preview?contact={contact}")).await;
    assert_eq!(theirs.status, 404);
    let signed_out = app.get(&browser(), "/staff/email-preview?template=0").await;
    assert_eq!(signed_out.headers["location"], "/login");
}

/// The `src` of the page's e-mail preview frame, as the browser would request it.
fn frame_src(body: &str) -> String {
    let start = body.find("<iframe").expect("a preview frame");
    let src = &body[start..];
    let src = &src[src.find("src=\"").unwrap() + 5..];
    src[..src.find('"').unwrap()].replace("&amp;", "&")
}

/// ARCHITECTURE decision 10: words put in a link are never shown as the e-mail Portico will
/// send, nor put in the form — not as the old GET form's fields, not as a draft without a
/// signature, not as a draft signed for another browser.
#[tokio::test]
async fn a_link_cannot_put_words_in_the_invite_page() {
    let app = spawn_app().await;
    app.staff_login().await;
    let template = app.template("Welcome", "Welcome", "Dear {first_name}. {link}").await;
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
    let template = app.template("Old words", "Old", "Hello {first_name}. {link}").await.to_string();
    let id = app.add_member("Ada", "Byron", "ada@example.org").await;
    let contact = app.self_contact(id).await.to_string();
    app.add_staff_login("other@example.org", "other-org-password", "Other Practice", true).await;
    let other = browser();
    app.login(&other, "other@example.org", "other-org-password").await;
    let edit = [("template_id", template.as_str()), ("name", "Mine"), ("subject", "Mine"), ("body", "Mine {link}")];
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

/// The preview is on every page that chooses the words: a template's own page, a round's dry
/// run ("Preview this template" sends the form back to it by GET, the choice kept) and a
/// group's; the built-in wording on the templates list.
#[tokio::test]
async fn each_page_that_chooses_the_words_previews_them_rendered() {
    let app = spawn_app().await;
    app.staff_login().await;
    let template = app.template("Welcome", "Hi {first_name}", "Dear {first_name}.\n\n{link}").await;
    let frame = format!("/staff/email-preview?template={template}&amp;contact=0");
    let own = app.get(&app.staff, &format!("/staff/templates/{template}")).await.body;
    assert!(own.contains(&frame) && own.contains("Subject: </strong>Hi Sam"), "{own}");
    let list = app.get(&app.staff, "/staff/templates").await.body;
    assert!(list.contains("/staff/email-preview?template=0&amp;contact=0"), "the built-in wording: {list}");
    assert!(list.contains("{organisation} invites you to its member portal"), "a new one starts from it");

    let id = app.add_member("Ada", "Byron", "ada@example.org").await;
    let round = app.get(&app.staff, &format!("/staff/invite-round?members={id}&template_id={template}")).await.body;
    assert!(round.contains(&frame), "{round}");
    assert!(round.contains(&format!("<option value=\"{template}\" selected")), "the choice is kept: {round}");
    assert!(round.contains("formmethod=\"get\"") && round.contains("Preview this template"), "{round}");
    let built_in = app.get(&app.staff, &format!("/staff/invite-round?members={id}")).await.body;
    assert!(built_in.contains("/staff/email-preview?template=0&amp;contact=0"), "{built_in}");
    assert_eq!(app.count("SELECT count(*) FROM invitations").await, 0, "previews send nothing");
}
