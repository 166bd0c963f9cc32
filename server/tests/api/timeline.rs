//! The timeline: every invitation event on the member's profile, newest first, with who did
//! it and when; the organisation's settings changes on the settings page; and the table it
//! is kept in can only grow.

use portico_app::stmt;

use crate::helpers::*;

/// The timeline's lines on the page, newest first.
fn timeline(body: &str) -> Vec<String> {
    let list = body.split("<ol class=\"timeline\">").nth(1).expect("a timeline").split("</ol>").next().unwrap();
    list.split("<li>")
        .skip(1)
        .map(|item| {
            let text = item.split("</li>").next().unwrap();
            let text = text.replace("<span class=\"when\">", "").replace("</span>", " ");
            text.replace("<!-- -->", "").replace("<!>", "").split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect()
}

#[tokio::test]
async fn every_invitation_event_is_on_the_profile_newest_first_with_who_did_it() {
    let app = spawn_app().await;
    email_api_refuses(&app, "bounce@example.org").await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let (id, _) = app.invited_member("Ada", "ada@example.org").await;
    let contact = app.self_contact(id).await.to_string();
    let profile = format!("/staff/members/{id}");
    let step = |app: &TestApp| app.clock.advance(60);
    step(&app);
    app.post_form(&app.staff, "/api/resend_invitation", &profile, &[("contact_id", &contact)]).await;
    app.dispatch_pending_emails().await;
    step(&app);
    app.post_form(&app.staff, "/api/revoke_invitation", &profile, &[("contact_id", &contact)]).await;
    step(&app);
    app.invite(id, "ada@example.org", "").await;
    app.dispatch_pending_emails().await;
    let link = app.invitation_links().await.pop().unwrap();
    step(&app);
    let token = link.trim_start_matches("/invite/");
    app.post_form(&browser(), "/api/decline_invitation", &link, &[("token", token)]).await;
    step(&app);
    app.invite(id, "bounce@example.org", "").await; // a reinvite, to an address that bounces
    app.dispatch_pending_emails().await;
    step(&app);
    app.staff_login().await;
    app.invite(id, "ada@example.org", "").await;
    app.dispatch_pending_emails().await;
    let link = app.invitation_links().await.pop().unwrap();
    step(&app);
    assert_eq!(location(&app.accept(&browser(), &link, "ada's own password").await), "/portal");
    step(&app);
    app.post_form(&app.staff, "/api/unlink_login", &profile, &[("contact_id", &contact)]).await;

    let page = app.get(&app.staff, &profile).await.body;
    let lines = timeline(&page);
    let expected = [
        "Ada Example's login (ada@example.org) unlinked from the profile, by Sam Rivera.",
        "Ada Example accepted the invitation and signed in as ada@example.org.",
        "Invitation e-mail to Ada Example (ada@example.org) handed to the e-mail service.",
        "Invitation sent again to Ada Example (ada@example.org); the earlier link no longer works, by Sam Rivera.",
        "Invitation e-mail to Ada Example: Could not be delivered: the e-mail service refused it (422 Unprocessable Entity): Invalid `to` field.",
        "Ada Example invited again after declining (bounce@example.org), by Sam Rivera.",
        "Ada Example declined the portal from their invitation link.",
        "Invitation e-mail to Ada Example (ada@example.org) handed to the e-mail service.",
        "Invitation sent again to Ada Example (ada@example.org); the earlier link no longer works, by Sam Rivera.",
        "Invitation to Ada Example revoked, by Sam Rivera.",
        "Invitation e-mail to Ada Example (ada@example.org) handed to the e-mail service.",
        "Invitation sent again to Ada Example (ada@example.org); the earlier link no longer works, by Sam Rivera.",
        "Invitation e-mail to Ada Example (ada@example.org) handed to the e-mail service.",
        "Invitation sent to Ada Example (ada@example.org), by Sam Rivera.",
    ];
    let whats: Vec<String> = lines.iter().map(|l| l.split(" UTC ").nth(1).unwrap_or(l).to_owned()).collect();
    assert_eq!(whats, expected, "{lines:#?}");
    assert!(lines[0].starts_with("22 November 2026, 00:08 UTC"), "{}", lines[0]);
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn a_new_email_and_a_recorded_decline_are_on_the_timeline_with_their_reasons() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let (id, _) = app.invited_member("Ada", "ada.old@example.org").await;
    let profile = format!("/staff/members/{id}");
    let fields = [
        ("member_id", id.to_string()),
        ("first_name", "Ada".into()),
        ("last_name", "Example".into()),
        ("email", "ada.new@example.org".into()),
        ("phone", String::new()),
        ("address", String::new()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_form(&app.staff, "/api/update_member", &format!("{profile}/edit"), &fields).await;
    app.invite(id, "ada.new@example.org", "").await;
    let contact = app.self_contact(id).await.to_string();
    let reason = [("contact_id", contact.as_str()), ("reason", "Prefers paper")];
    app.post_form(&app.staff, "/api/record_decline", &profile, &reason).await;
    let lines = timeline(&app.get(&app.staff, &profile).await.body);
    let text = lines.join("\n");
    assert!(text.contains("Recorded that Ada Example declined the portal: “Prefers paper”, by Sam Rivera."), "{text}");
    assert!(text.contains("Invitation to Ada Example revoked: the e-mail address changed, by Sam Rivera."), "{text}");
}

#[tokio::test]
async fn settings_changes_are_on_the_organisation_timeline() {
    let app = spawn_app().await;
    app.staff_login().await;
    let fields = [("auto_link", "always"), ("self_sign_up", "true"), ("invite_at_once", ""), ("bookings_shown", "")];
    app.change_settings(&app.staff, &fields).await;
    let page = app.get(&app.staff, "/staff/settings").await.body;
    let lines = timeline(&page);
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].ends_with(
            "Portal settings: self-service sign-up on, auto-link always, invite representatives as they are added off, \
             bookings shown off, files shown on, by Sam Rivera."
        ),
        "{lines:#?}"
    );
}

#[tokio::test]
async fn the_timeline_can_only_grow() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    app.invited_member("Ada", "ada@example.org").await;
    assert_eq!(app.count("SELECT count(*) FROM events").await, 2);
    for statement in ["UPDATE events SET detail = 'forged'", "DELETE FROM events"] {
        let refused = app.state.db.execute(stmt!(statement)).await.unwrap_err();
        assert!(refused.to_string().contains("append-only"), "{refused}");
    }
    assert_eq!(app.count("SELECT count(*) FROM events WHERE detail = 'forged'").await, 0);
}
