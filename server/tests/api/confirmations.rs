//! What cannot be undone asks first (issue 24): the button is a link to its page with the
//! question open (`?confirm=…`), which a GET only shows; the action is the question's own
//! form, a POST. The question is the page's own words about its own records, escaped;
//! the address only says which question to open.

use crate::helpers::*;

const INVITATIONS: &str = "SELECT * FROM invitations";
const CONTACTS: &str = "SELECT * FROM contacts";

/// The `<dialog …>` tag of the question `key` on `page`, and what it holds.
fn question<'a>(page: &'a str, key: &str) -> Option<(&'a str, &'a str)> {
    let (_, rest) = page.split_once(&format!("<dialog id=\"confirm-{key}\""))?;
    let (tag, rest) = rest.split_once('>')?;
    let (inside, _) = rest.split_once("</dialog>")?;
    Some((tag, inside))
}

#[tokio::test]
async fn revoking_asks_first_and_the_question_changes_nothing() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let (id, link) = app.invited_member("Ada", "ada.byron@example.org").await;
    let contact = app.self_contact(id).await;
    let profile_path = format!("/staff/members/{id}");
    let key = format!("revoke-{contact}");

    let profile = app.get(&app.staff, &profile_path).await.body;
    let ask = format!("href=\"{profile_path}?confirm={key}#confirm-{key}\"");
    assert!(profile.contains(&ask), "the button asks first: {profile}");
    assert!(question(&profile, &key).is_none(), "not in the page until asked: {profile}");

    let before = (app.dump(INVITATIONS).await, app.dump("SELECT * FROM events").await);
    let asked = app.get(&app.staff, &format!("{profile_path}?confirm={key}")).await;
    assert_eq!(asked.status, 200);
    let (tag, inside) = question(&asked.body, &key).expect("the question");
    assert!(tag.contains("open"), "opened by the address: {tag}");
    assert!(inside.contains("Revoke the invitation to Ada Example?"), "{inside}");
    assert!(inside.contains("The link sent to ada.byron@example.org stops working at once."), "{inside}");
    assert!(inside.contains("<form method=\"post\" action=\"/api/revoke_invitation\">"), "{inside}");
    assert!(inside.contains(&format!("name=\"contact_id\" value=\"{contact}\"")), "{inside}");
    assert!(inside.contains(&format!("href=\"{profile_path}\" autofocus")), "Cancel goes back: {inside}");
    assert_eq!((app.dump(INVITATIONS).await, app.dump("SELECT * FROM events").await), before, "a GET only asks");
    assert_eq!(app.get(&browser(), &link).await.status, 200, "the link still works");

    let contact = contact.to_string();
    let confirmed = app
        .post_form(
            &app.staff,
            "/api/revoke_invitation",
            &format!("{profile_path}?confirm={key}"),
            &[("contact_id", &contact)],
        )
        .await;
    assert_eq!(location(&confirmed), profile_path, "back to the profile, the question closed");
    let after = app.get(&app.staff, &profile_path).await.body;
    assert_eq!(notice(&after).as_deref(), Some("Invitation to Ada Example revoked: its link no longer works."));
    assert_eq!(app.get(&browser(), &link).await.status, 404);
}

#[tokio::test]
async fn every_action_that_cannot_be_undone_asks_first() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let (id, link) = app.invited_member("Ada", "ada.byron@example.org").await;
    assert_eq!(location(&app.accept(&browser(), &link, "a long member password").await), "/portal");
    let member = id.to_string();
    let added = app
        .post_form(
            &app.staff,
            "/api/add_contact",
            &format!("/staff/members/{id}/contacts/new"),
            &[
                ("member_id", &member),
                ("first_name", "Anna"),
                ("last_name", "Keller"),
                ("relation", "mother"),
                ("email", ""),
            ],
        )
        .await;
    assert_eq!(location(&added), format!("/staff/members/{id}"));
    let booking = [("member_id", member.as_str()), ("title", "Karate"), ("starts", "2026-12-01T18:00"), ("place", "")];
    app.post_form(&app.staff, "/api/add_booking", &format!("/staff/members/{id}"), &booking).await;
    let membership = [("member_id", member.as_str()), ("programme", "Juniors"), ("level", "Blue belt")];
    app.post_form(&app.staff, "/api/add_membership", &format!("/staff/members/{id}"), &membership).await;
    app.upload(&app.staff, id, "report.pdf", b"%PDF-1.4 a report", true).await;
    let template = app.template("Families", "Welcome", "Welcome: {link}").await;

    let profile_path = format!("/staff/members/{id}");
    let profile = app.get(&app.staff, &profile_path).await.body;
    let self_contact = app.self_contact(id).await;
    let anna = self_contact + 1;
    for (key, words, action) in [
        (format!("unlink-{self_contact}"), "Unlink Ada Example's login from this profile?", "/api/unlink_login"),
        (format!("remove-{anna}"), "Remove Anna Keller from this profile?", "/api/remove_contact"),
        ("cancel-booking-1".to_owned(), "Cancel the booking “Karate", "/api/cancel_booking"),
        ("remove-membership-1".to_owned(), "Remove the membership “Juniors: Blue belt”?", "/api/remove_membership"),
        ("remove-file-1".to_owned(), "Remove the file “report.pdf”?", "/api/remove_file"),
    ] {
        assert!(profile.contains(&format!("href=\"{profile_path}?confirm={key}#confirm-{key}\"")), "{key} asks first");
        // No action is a bare button any more: its form is only in its question.
        assert!(!profile.contains(&format!("action=\"{action}\"")), "{action} is a bare form: {profile}");
        let asked = app.get(&app.staff, &format!("{profile_path}?confirm={key}")).await.body;
        let (_, inside) = question(&asked, &key).unwrap_or_else(|| panic!("no question {key}: {asked}"));
        assert!(inside.contains(words), "{key}: {inside}");
        assert!(inside.contains(&format!("action=\"{action}\"")), "{key}: {inside}");
    }
    let templates = app.get(&app.staff, &format!("/staff/templates/{template}?confirm=archive")).await.body;
    let (_, inside) = question(&templates, "archive").expect("archiving asks");
    assert!(inside.contains("Archive the template “Families”?"), "{inside}");
    let team = app.get(&app.staff, "/staff/team?confirm=remove-1").await.body;
    assert!(question(&team, "remove-1").is_some_and(|(_, q)| q.contains("Leave the team?")), "{team}");
}

/// The question is the page's own text about its own record: a hostile name is shown as
/// text, and an address naming a question the page does not have opens nothing and shows
/// nothing of what it carried.
#[tokio::test]
async fn a_question_shows_typed_names_as_text_and_nothing_from_the_address() {
    let app = spawn_app().await;
    app.staff_login().await;
    let id = app.add_member("Noa", "Case", "").await;
    let member = id.to_string();
    let hostile = "<img src=x onerror=alert(1)>";
    let fields = [
        ("member_id", member.as_str()),
        ("first_name", hostile),
        ("last_name", "Case"),
        ("relation", "parent"),
        ("email", ""),
    ];
    app.post_form(&app.staff, "/api/add_contact", &format!("/staff/members/{id}/contacts/new"), &fields).await;
    let contact = app.self_contact(id).await + 1;
    let page = app.get(&app.staff, &format!("/staff/members/{id}?confirm=remove-{contact}")).await.body;
    let (tag, inside) = question(&page, &format!("remove-{contact}")).expect("the question");
    assert!(tag.contains("open"));
    assert!(inside.contains("Remove &lt;img src=x onerror=alert(1)&gt; Case from this profile?"), "{inside}");
    assert!(!page.contains(hostile), "escaped everywhere");

    let before = app.dump(CONTACTS).await;
    let foreign = "%3Cscript%3Ealert(1)%3C%2Fscript%3E";
    let page = app.get(&app.staff, &format!("/staff/members/{id}?confirm={foreign}")).await;
    assert_eq!(page.status, 200);
    let opened = page.body.split("<dialog").skip(1).filter(|d| d.split('>').next().unwrap_or("").contains("open"));
    assert_eq!(opened.count(), 0, "nothing opened");
    assert!(!page.body.contains("alert(1)</script>") && !page.body.contains("&lt;script&gt;"), "nothing echoed");
    assert_eq!(app.dump(CONTACTS).await, before);
}

/// Turning sign-up off is asked in the settings form itself: the page comes back with the
/// question and everything typed, and nothing is saved until it is answered.
#[tokio::test]
async fn turning_sign_up_off_is_asked_first_and_keeps_what_was_typed() {
    let app = spawn_app().await;
    app.staff_login().await;
    assert_eq!(location(&app.change_settings(&app.staff, &[("self_sign_up", "true")]).await), "/staff/settings");
    let before = app.dump("SELECT * FROM organisations").await;

    let asked = app.change_settings(&app.staff, &[("name", "Riverside Dojo"), ("self_sign_up", "")]).await;
    assert!(refusal(&asked).contains("Yes, turn sign-up off"), "{}", refusal(&asked));
    assert_eq!(app.dump("SELECT * FROM organisations").await, before, "nothing saved yet");
    let back = location(&asked);
    let page = app.get(&app.staff, back.trim_start_matches(app.address.as_str())).await.body;
    assert!(page.contains("name=\"sign_up_off_confirmed\""), "the box that says yes: {page}");
    let shown = portico_harness::forms::form_as_shown(&page, "/api/update_settings");
    assert!(shown.contains(&("name".to_owned(), "Riverside Dojo".to_owned())), "as typed: {shown:?}");
    assert!(!shown.iter().any(|(field, _)| field == "self_sign_up"), "still unticked: {shown:?}");

    let answered = portico_harness::forms::changed(shown, &[("sign_up_off_confirmed", "true")]);
    let answered: Vec<(&str, &str)> = answered.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let saved = app.post_form(&app.staff, "/api/update_settings", "/staff/settings", &answered).await;
    assert_eq!(location(&saved), "/staff/settings");
    let now = app.dump("SELECT name, self_sign_up FROM organisations").await;
    assert_eq!(now, r#"[{"name":"Riverside Dojo","self_sign_up":0}]"#);
    // Turning it on, or leaving it as it is, asks nothing.
    assert_eq!(location(&app.change_settings(&app.staff, &[("name", "Riverside")]).await), "/staff/settings");
}
