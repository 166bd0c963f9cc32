//! The organisation's settings: its name, whom its e-mail comes from, how long invitation
//! links work, the default template, how people reach the portal — one form. The owner and
//! administrators change them; each change is on the organisation's timeline; bad input is
//! refused field by field, changes nothing and comes back as it was typed; a saved form
//! says so, once.

use crate::helpers::*;

async fn save(app: &TestApp, client: &reqwest::Client, fields: &[(&str, &str)]) -> reqwest::Response {
    app.change_settings(client, fields).await
}

fn settings<'a>(
    name: &'a str,
    sender: &'a str,
    address: &'a str,
    days: &'a str,
    template: &'a str,
) -> [(&'static str, &'a str); 6] {
    [
        ("name", name),
        ("sender_name", sender),
        ("sender_email", address),
        ("validity_days", days),
        ("default_template_id", template),
        ("auto_link", "ask"),
    ]
}

#[tokio::test]
async fn the_owner_changes_the_organisation_and_the_next_invitation_says_so() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let template = app
        .template("Welcome", "Welcome", "Hello {first_name}, welcome to {organisation}: {link}. Until {expiry}.")
        .await
        .to_string();

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
    assert!(email["text"].as_str().unwrap().contains("Until 6 December 2026, 00:00 UTC."), "{email}");
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
    let mut cases = cases.map(|(fields, field)| (fields.to_vec(), field)).to_vec();
    let mut sometimes = settings("Dojo", "Office", "office@example.org", "30", "0").to_vec();
    sometimes[5] = ("auto_link", "sometimes");
    cases.push((sometimes, "auto_link"));
    for (fields, field) in cases {
        let refused = app.call(&app.staff, "/api/update_settings", &fields).await;
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
    assert_eq!(app.call(&staff, "/api/update_settings", &fields).await.status(), 404);
    assert_eq!(app.dump("SELECT * FROM organisations").await, before);
    assert_eq!(app.count("SELECT count(*) FROM events").await, 0);
    let page = app.get(&staff, "/staff/settings").await.body;
    assert!(page.contains("Only the owner and administrators change these."), "{page}");
}

/// The page once had two forms: changing the name and the link lifetime, then pressing the
/// lower form's button, saved the lower form and silently threw the upper edits away.
#[tokio::test]
async fn one_press_saves_every_part_of_the_page() {
    let app = spawn_app().await;
    app.staff_login().await;
    let page = app.get(&app.staff, "/staff/settings").await.body;
    assert_eq!(page.matches("<form").count(), 2, "the settings form and Sign out: {page}");
    assert_eq!(page.matches(">Save settings</button>").count(), 1, "{page}");

    let changes = [("name", "Riverside Dojo"), ("validity_days", "7"), ("self_sign_up", "true")];
    assert_eq!(location(&app.change_settings(&app.staff, &changes).await), "/staff/settings");
    let saved = app.dump("SELECT name, invitation_validity_days, self_sign_up, auto_link FROM organisations").await;
    assert_eq!(saved, r#"[{"auto_link":"ask","invitation_validity_days":7,"name":"Riverside Dojo","self_sign_up":1}]"#);
    let lines = app.count("SELECT count(*) FROM events WHERE kind = 'settings_changed'").await;
    assert_eq!(lines, 2, "what changed of the organisation, and of the portal");
}

#[tokio::test]
async fn a_refused_form_comes_back_as_it_was_typed_and_saves_nothing() {
    let app = spawn_app().await;
    app.staff_login().await;
    let before = app.dump("SELECT * FROM organisations").await;
    let changes = [
        ("name", "Riverside Dojo"),
        ("validity_days", "a month"),
        ("self_sign_up", "true"),
        ("files_shown", ""),
        ("auto_link", "never"),
    ];
    let refused = app.change_settings(&app.staff, &changes).await;
    assert!(refusal(&refused).contains("validity_days"), "{}", refusal(&refused));
    assert_eq!(app.dump("SELECT * FROM organisations").await, before);
    let back = location(&refused);
    let page = app.get(&app.staff, back.trim_start_matches(app.address.as_str())).await.body;
    let shown = portico_harness::forms::form_as_shown(&page, "/api/update_settings");
    for (field, typed) in
        [("name", "Riverside Dojo"), ("validity_days", "a month"), ("self_sign_up", "true"), ("auto_link", "never")]
    {
        assert!(shown.contains(&(field.to_owned(), typed.to_owned())), "{field} is not as typed: {shown:?}");
    }
    assert!(!shown.iter().any(|(field, _)| field == "files_shown"), "files_shown was unticked: {shown:?}");
    assert!(shown.contains(&("bookings_shown".to_owned(), "true".to_owned())), "untouched: {shown:?}");
}

#[tokio::test]
async fn a_saved_form_says_so_once() {
    let app = spawn_app().await;
    app.staff_login().await;
    let saved = app.change_settings(&app.staff, &[("validity_days", "14")]).await;
    assert_eq!(location(&saved), "/staff/settings");
    let notice = "<p role=\"status\" class=\"notice\">Settings saved.</p>";
    let page = app.get(&app.staff, "/staff/settings").await.body;
    assert!(page.contains(notice), "shown on the next page: {page}");
    assert!(!app.get(&app.staff, "/staff/settings").await.body.contains("class=\"notice\""), "and only once");
    app.change_settings(&app.staff, &[]).await;
    let page = app.get(&app.staff, "/staff/settings").await.body;
    assert!(page.contains("Nothing changed: the settings were already these."), "{page}");
}

/// Nobody can make our pages say their words: not in the address, not with a cookie of
/// their own making, not with a notice signed for other words.
#[tokio::test]
async fn a_notice_cannot_carry_anyone_elses_text() {
    let app = spawn_app().await;
    app.staff_login().await;
    let page = app.get(&app.staff, "/staff/settings?__notice=Your+account+is+locked").await.body;
    assert!(!page.contains("Your account is locked") && !page.contains("class=\"notice\""), "{page}");

    let saved = app.change_settings(&app.staff, &[("validity_days", "14")]).await;
    let cookie = set_cookie_named(&saved, "portico_notice").expect("the notice cookie");
    let cookie = cookie.trim_start_matches("portico_notice=").split(';').next().unwrap().to_owned();
    let (_, signature) = cookie.rsplit_once('.').unwrap();
    let forged = [
        "Your+account+is+locked".to_owned(),
        format!("Your+account+is+locked.{signature}"),
        format!("Settings+saved.+Call+0900+123.{signature}"),
        format!("{cookie}x"),
    ];
    // A browser with nothing but that cookie, on a page anyone may open.
    let address = app.address.clone();
    let sign_in_page = |cookie: String| {
        let request = reqwest::Client::new().get(format!("{address}/login")).header(reqwest::header::COOKIE, cookie);
        async move { request.send().await.expect("GET").text().await.unwrap() }
    };
    for forged in forged {
        let page = sign_in_page(format!("portico_notice={forged}")).await;
        assert!(!page.contains("class=\"notice\""), "{forged}: {page}");
    }
    let page = sign_in_page(format!("portico_notice={cookie}")).await;
    assert!(page.contains("<p role=\"status\" class=\"notice\">Settings saved.</p>"), "the real one is shown: {page}");
}

/// Every time a page or an e-mail shows is in the organisation's time zone, with its
/// abbreviation: the e-mail's link expiry, the card's, the timeline's. A zone the database
/// does not know is refused and changes nothing.
#[tokio::test]
async fn times_are_shown_in_the_organisations_time_zone() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let refused = save(&app, &app.staff, &[("time_zone", "Mars/Olympus_Mons")]).await;
    let back = app.get(&app.staff, &app.sent_back_to(&refused)).await.body;
    assert!(back.contains("Choose a time zone from the list"), "{back}");
    assert!(app.dump("SELECT time_zone FROM organisations").await.contains("UTC"));

    assert_eq!(location(&save(&app, &app.staff, &[("time_zone", "europe/zurich")]).await), "/staff/settings");
    let page = app.get(&app.staff, "/staff/settings").await.body;
    assert!(page.contains("value=\"Europe/Zurich\""), "kept as the database spells it");
    assert!(page.contains("time zone “UTC” → “Europe/Zurich”"), "{page}");
    assert!(page.contains(" CET</"), "the timeline's time, in the zone: {page}");

    let (id, _) = app.invited_member("Ada", "ada@example.org").await;
    let text = app.sent_emails().await.pop().unwrap()["text"].as_str().unwrap().to_owned();
    // The test clock starts at midnight UTC: 01:00 in Zurich, 30 days on.
    assert!(text.contains("expires on 22 December 2026, 01:00 CET."), "{text}");
    let card = app.get(&app.staff, &format!("/staff/members/{id}")).await.body;
    assert!(card.contains("Link expires on 22 December 2026, 01:00 CET"), "{card}");
}
