use wiremock::Mock;
use wiremock::matchers::{header, header_exists, method, path};

use crate::helpers::*;

#[tokio::test]
async fn an_invitation_is_queued_with_its_email_and_sent_by_the_dispatcher() {
    let app = spawn_app().await;
    Mock::given(path("/emails/batch"))
        .and(method("POST"))
        .and(header("authorization", "Bearer test-key"))
        .and(header_exists("idempotency-key"))
        .respond_with(AcceptsBatch::default())
        .expect(1)
        .mount(&app.email_api)
        .await;
    app.staff_login().await;
    let id = app.add_member("Ada", "Byron", "ada.byron@example.org").await;

    let contact = app.self_contact(id).await;
    let invite_page = app.get(&app.staff, &format!("/staff/members/{id}/contacts/{contact}/invite")).await;
    assert!(invite_page.body.contains("value=\"ada.byron@example.org\""), "e-mail pre-filled");

    let response = app.invite(id, "ada.byron@example.org", "Welcome to <the> club!").await;
    assert_eq!(location(&response), format!("/staff/members/{id}"));
    // The request did not wait for the provider: the e-mail is in the outbox, unsent.
    assert!(app.email_api.received_requests().await.unwrap().is_empty());
    assert_eq!(app.count("SELECT count(*) FROM outbox WHERE status = 'pending'").await, 1);

    let profile = app.get(&app.staff, &format!("/staff/members/{id}")).await;
    assert!(profile.body.contains("Invitation sent just now"), "{}", profile.body);
    assert!(profile.body.contains("Link expires on 22 December 2026"));
    assert!(profile.body.contains("E-mail waiting to be sent."));

    assert_eq!(app.dispatch_pending_emails().await.len(), 1);
    let email = &app.sent_emails().await[0];
    assert_eq!(email["from"], "\"Riverside Martial Arts\" <hello@riverside.example.org>");
    assert_eq!(email["to"], serde_json::json!(["ada.byron@example.org"]));
    assert_eq!(email["subject"], "Riverside Martial Arts invites you to your member portal");
    let text = email["text"].as_str().unwrap();
    let html = email["html"].as_str().unwrap();
    assert!(text.contains("expires on 22 December 2026") && html.contains("expires on 22 December 2026"));
    assert!(text.contains("Welcome to <the> club!"));
    assert!(html.contains("Welcome to &lt;the&gt; club!"));
    let link = invitation_link(&email);
    assert!(html.contains(&format!("{BASE_URL}{link}")));

    app.clock.advance(3 * 3600);
    app.staff_login().await; // the session went idle meanwhile
    let profile = app.get(&app.staff, &format!("/staff/members/{id}")).await;
    assert!(profile.body.contains("Waiting for member to accept invitation (sent 22 November 2026)"));
    assert!(profile.body.contains("E-mail handed to the e-mail service on 22 November 2026"));
    assert!(profile.body.contains("Resend invitation") && profile.body.contains("Revoke invitation"));
    let list = app.get(&app.staff, "/staff/members").await;
    assert!(list_row(&list.body, "Ada Byron").contains("Invited, waiting"), "{}", list.body);
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn the_raw_token_never_reaches_the_database() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let id = app.add_member("Ada", "Byron", "ada.byron@example.org").await;
    app.invite(id, "ada.byron@example.org", "").await;
    let queued = app.dump("SELECT * FROM outbox").await + &app.dump("SELECT * FROM invitations").await;
    app.dispatch_pending_emails().await;
    let link = app.invitation_links().await.pop().unwrap();
    let token = link.trim_start_matches("/invite/");
    assert_eq!(token.len(), 43);
    let sent = app.dump("SELECT * FROM outbox").await + &app.dump("SELECT * FROM invitations").await;
    assert!(!queued.contains(token) && !sent.contains(token));
    assert_eq!(app.count("SELECT count(*) FROM outbox WHERE sealed_token IS NOT NULL").await, 0);
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn the_link_uses_the_configured_address_whatever_the_host_header_says() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let id = app.add_member("Ada", "Byron", "ada.byron@example.org").await;
    let id_text = app.self_contact(id).await.to_string();
    let response = app
        .staff
        .post(format!("{}/api/send_invitation", app.address))
        .header("host", "evil.example")
        .header("x-forwarded-host", "evil.example")
        .header("accept", "text/html")
        .header("origin", BASE_URL)
        .form(&[("contact_id", id_text.as_str()), ("email", "ada.byron@example.org"), ("message", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    app.dispatch_pending_emails().await;
    let body = &app.sent_emails().await[0];
    assert!(!body.to_string().contains("evil.example"));
    invitation_link(&body); // panics unless the link is on BASE_URL
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn bad_invitation_input_gets_a_message_and_writes_nothing() {
    let app = spawn_app().await;
    app.staff_login().await;
    let id = app.add_member("Ada", "Byron", "ada.byron@example.org").await;
    let response = app.invite(id, "ada.byron@example.org\r\nBcc: all@example.org", &"x".repeat(1001)).await;
    let back = location(&response);
    assert!(back.contains("/invite?"), "{back}");
    let page = app.get(&app.staff, back.trim_start_matches(&app.address)).await;
    assert!(page.body.contains("An e-mail address cannot contain spaces or line breaks."));
    assert!(page.body.contains("That message is too long (1000 characters at most)."));
    assert_eq!(app.count("SELECT count(*) FROM invitations").await, 0);
    assert_eq!(app.count("SELECT count(*) FROM outbox").await, 0);
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn resending_an_invitation_invalidates_the_previous_link() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let (id, first_link) = app.invited_member("Ada", "ada.byron@example.org").await;
    app.clock.advance(60);
    let id_text = app.self_contact(id).await.to_string();
    let response = app
        .post_form(
            &app.staff,
            "/api/resend_invitation",
            &format!("/staff/members/{id}"),
            &[("contact_id", id_text.as_str())],
        )
        .await;
    assert_eq!(location(&response), format!("/staff/members/{id}"));
    let profile = app.get(&app.staff, &format!("/staff/members/{id}")).await.body;
    let sent = "A new invitation link was sent to ada.byron@example.org; the one sent before no longer works.";
    assert_eq!(notice(&profile).as_deref(), Some(sent), "staff see that it worked");
    app.dispatch_pending_emails().await;
    let links = app.invitation_links().await;
    assert_eq!(links.len(), 2);
    let second_link = links[1].clone();
    assert_ne!(first_link, second_link);

    let old = app.get(&browser(), &first_link).await;
    assert_eq!(old.status, 404);
    assert!(old.body.contains("This link is no longer valid"));
    let new = app.get(&browser(), &second_link).await;
    assert_eq!(new.status, 200);
    let person = browser();
    let refused = app.accept(&person, &first_link, "a long password").await;
    assert!(location(&refused).starts_with(&format!("{first_link}?")), "back to the link's page");
    assert_eq!(app.get(&person, &location(&refused)).await.status, 404);
    assert_eq!(app.count("SELECT count(*) FROM users").await, 1, "only the owner");
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn a_resend_before_the_first_email_went_out_sends_only_the_live_link() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let id = app.add_member("Ada", "Byron", "ada.byron@example.org").await;
    app.invite(id, "ada.byron@example.org", "").await;
    app.invite(id, "ada@example.net", "").await;
    app.dispatch_pending_emails().await;
    let sent = app.sent_emails().await;
    assert_eq!(sent.len(), 1, "the withdrawn invitation's e-mail is not sent");
    assert_eq!(sent[0]["to"][0], "ada@example.net");
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn revoking_a_pending_invitation_kills_its_link() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let (id, link) = app.invited_member("Ada", "ada.byron@example.org").await;
    let id_text = app.self_contact(id).await.to_string();
    let response = app
        .post_form(
            &app.staff,
            "/api/revoke_invitation",
            &format!("/staff/members/{id}"),
            &[("contact_id", id_text.as_str())],
        )
        .await;
    assert_eq!(location(&response), format!("/staff/members/{id}"));
    assert_eq!(app.get(&browser(), &link).await.status, 404);
    let profile = app.get(&app.staff, &format!("/staff/members/{id}")).await;
    assert!(profile.body.contains("Invitation revoked on 22 November 2026"));
    let said = notice(&profile.body);
    assert_eq!(said.as_deref(), Some("Invitation to Ada Example revoked: its link no longer works."));
    assert!(profile.body.contains(">Invite<"), "can be invited again");
    app.assert_standings_fresh().await;
}

/// The invitation's write carries its own guard (SQLite and D1 have no transaction to hold
/// a read for it): two requests that read the same card — a double click, two staff — both
/// reach the write, and only the first writes; a round never writes over a waiting
/// invitation less than 24 hours old, another round's made the same moment included.
#[tokio::test]
async fn two_writes_from_one_read_leave_one_live_invitation_and_one_email() {
    use portico_app::domain::Role;
    use portico_app::store::invitations::{InvitingAs, NewInvitation, create_invitation, invitation_statements};
    use portico_app::store::scope::StaffScope;
    let app = spawn_app().await;
    app.staff_login().await;
    let member = app.add_member("Ada", "Byron", "ada@example.org").await;
    let contact = app.self_contact(member).await;
    let owner: i64 = app.count("SELECT id FROM users WHERE email = 'owner@example.org'").await;
    let zone = portico_app::domain::dates::Zone::utc();
    let scope = StaffScope { organisation_id: 1, user_id: owner, all_members: true, role: Role::Owner, zone };
    let db = app.state.db.as_ref();
    let new = |key: &str| NewInvitation {
        contact_id: contact,
        email: "ada@example.org".into(),
        token_hash: format!("hash-{key}"),
        personal_message: None,
        subject_template: None,
        body_template: None,
        expires_at: START + 30 * DAY,
        mail: queued_email(&format!("key-{key}")),
    };
    const LIVE: &str = "SELECT count(*) FROM invitations WHERE revoked_at IS NULL";
    // Both read "no invitation yet".
    assert!(create_invitation(db, &scope, START, new("a"), None).await.unwrap());
    assert!(!create_invitation(db, &scope, START, new("b"), None).await.unwrap(), "the second writes nothing");
    assert_eq!((app.count(LIVE).await, app.count("SELECT count(*) FROM outbox").await), (1, 1));
    // Both read invitation `a` and resend it.
    let a = app.count("SELECT max(id) FROM invitations").await;
    assert!(create_invitation(db, &scope, START + 60, new("c"), Some(a)).await.unwrap());
    assert!(!create_invitation(db, &scope, START + 60, new("d"), Some(a)).await.unwrap());
    assert_eq!(app.count(LIVE).await, 1);
    assert_eq!(app.count("SELECT count(*) FROM invitations").await, 2);
    assert_eq!(app.count("SELECT count(*) FROM outbox").await, 2);
    assert_eq!(app.count("SELECT count(*) FROM events WHERE kind IN ('invited', 'resent')").await, 2);
    // A round at the same moment: invitation `c` is a minute old, so the round writes nothing…
    let round = invitation_statements(&scope, START + 120, &[new("e")], InvitingAs::Round).unwrap();
    db.batch(round.all().into()).await.unwrap();
    assert_eq!(app.count("SELECT count(*) FROM invitations").await, 2, "a round leaves a fresh invitation be");
    // …and a day later replaces it, as a reminder.
    let round = invitation_statements(&scope, START + 60 + DAY + 1, &[new("f")], InvitingAs::Round).unwrap();
    db.batch(round.all().into()).await.unwrap();
    assert_eq!(app.count("SELECT count(*) FROM invitations").await, 3);
    assert_eq!(app.count(LIVE).await, 1);
}
