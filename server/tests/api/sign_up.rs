//! Self-service sign-up and the auto-link setting (000): closed unless the organisation
//! opens it; the address proved by a typed, single-use link whose GET changes nothing;
//! then linked at once, put to staff, or left alone, as the setting says — and the same
//! for an accepted invitation whose e-mail another contact has.

use crate::helpers::*;

const SIGN_UP_PASSWORD: &str = "a sign-up password";

impl TestApp {
    async fn portal_settings(&self, self_sign_up: bool, auto_link: &str) {
        let fields = [
            ("auto_link", auto_link),
            ("self_sign_up", if self_sign_up { "true" } else { "" }),
            ("sign_up_off_confirmed", "true"),
        ];
        let saved = self.change_settings(&self.staff, &fields).await;
        assert_eq!(location(&saved), "/staff/settings");
    }

    /// Signs up with `email` and delivers the confirmation; returns the link's path.
    async fn signed_up(&self, email: &str) -> String {
        let fields = [
            ("organisation_id", "1"),
            ("email", email),
            ("password", SIGN_UP_PASSWORD),
            ("confirm_password", SIGN_UP_PASSWORD),
        ];
        let sent = self.post_form(&browser(), "/api/sign_up", "/join/1", &fields).await;
        assert_eq!(location(&sent), "/join/sent");
        self.dispatch_pending_emails().await;
        let body = self.sent_emails().await.pop().expect("an e-mail was sent");
        assert_eq!(body["to"], serde_json::json!([email.to_lowercase()]));
        link_in(&body, "/join/confirm/")
    }

    async fn confirm(&self, link: &str) -> reqwest::Response {
        let token = link.trim_start_matches("/join/confirm/");
        self.post_form(&browser(), "/api/confirm_sign_up", link, &[("token", token)]).await
    }
}

#[tokio::test]
async fn sign_up_is_closed_until_the_organisation_opens_it() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    assert_eq!(app.get(&browser(), "/join/1").await.status, 404);
    let fields = [
        ("organisation_id", "1"),
        ("email", "new@example.org"),
        ("password", SIGN_UP_PASSWORD),
        ("confirm_password", SIGN_UP_PASSWORD),
    ];
    assert_eq!(app.call(&browser(), "/api/sign_up", &fields).await.status(), 404);
    assert_eq!(app.count("SELECT count(*) FROM sign_ups").await + app.count("SELECT count(*) FROM outbox").await, 0);
    app.staff_login().await;
    app.portal_settings(true, "ask").await;
    assert_eq!(app.get(&browser(), "/join/1").await.status, 200);
    assert_eq!(app.get(&browser(), "/join/2").await.status, 404, "no such organisation");
}

#[tokio::test]
async fn a_proved_address_is_linked_at_once_when_the_setting_says_always() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    app.portal_settings(true, "always").await;
    let id = app.add_member("Sol", "Case", "sol@example.org").await;
    let link = app.signed_up("Sol@Example.org").await;

    // Opening the link (twice) changes nothing; its token is no invitation token.
    for _ in 0..2 {
        let page = app.get(&browser(), &link).await;
        assert!(page.body.contains("sol@example.org") && page.body.contains("Confirm my e-mail address"));
    }
    assert_eq!(app.count("SELECT count(*) FROM users WHERE email = 'sol@example.org'").await, 0);
    let token = link.trim_start_matches("/join/confirm/");
    assert!(app.get(&browser(), &format!("/invite/{token}")).await.body.contains("This link is no longer valid"));

    let confirmed = app.confirm(&link).await;
    assert_eq!(location(&confirmed), "/join/confirmed?outcome=linked");
    assert_eq!(app.count("SELECT count(*) FROM member_links").await, 1);
    let sol = browser();
    assert_eq!(location(&app.login(&sol, "sol@example.org", SIGN_UP_PASSWORD).await), "/portal");
    assert!(app.get(&sol, "/portal").await.body.contains("Sol Case"));
    let profile = app.get(&app.staff, &format!("/staff/members/{id}")).await;
    assert!(profile.body.contains("Linked login: </strong>sol@example.org"));
    assert!(
        profile.body.contains("Sol Case's profile linked to the login sol@example.org, by the same e-mail address.")
    );
    assert_eq!(app.count("SELECT count(*) FROM events WHERE kind = 'linked'").await, 1);

    // Single use.
    assert!(location(&app.confirm(&link).await).contains("__err"));
    assert_eq!(app.count("SELECT count(*) FROM users WHERE email = 'sol@example.org'").await, 1);
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn ask_puts_the_match_to_staff_who_approve_or_reject() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    app.portal_settings(true, "ask").await;
    let id = app.add_member("Sol", "Case", "sol@example.org").await;
    let link = app.signed_up("sol@example.org").await;
    assert_eq!(location(&app.confirm(&link).await), "/join/confirmed?outcome=waiting");
    let sol = browser();
    assert!(location(&app.login(&sol, "sol@example.org", SIGN_UP_PASSWORD).await).contains("__err"), "not yet");
    let profile = app.get(&app.staff, &format!("/staff/members/{id}")).await;
    assert!(profile.body.contains("asked to be linked"), "{}", profile.body);

    let requests = app.get(&app.staff, "/staff/link-requests").await.body;
    assert!(requests.contains("sol@example.org asks for") && requests.contains("Sol Case"), "{requests}");
    let request = app.count("SELECT id FROM link_requests").await.to_string();
    let approve = [("request_id", request.as_str()), ("approve", "true")];
    let approved = app.post_form(&app.staff, "/api/decide_link_request", "/staff/link-requests", &approve).await;
    assert_eq!(location(&approved), "/staff/link-requests");
    assert_eq!(location(&app.login(&sol, "sol@example.org", SIGN_UP_PASSWORD).await), "/portal");
    assert_eq!(app.call(&app.staff, "/api/decide_link_request", &approve).await.status(), 404, "decided once");

    // Another sign-up for a second profile with the same address, rejected: nothing linked.
    let other = app.add_member("Sol", "Junior", "sol@example.org").await;
    let link = app.signed_up("sol@example.org").await;
    assert_eq!(location(&app.confirm(&link).await), "/join/confirmed?outcome=waiting");
    let request = app.count("SELECT max(id) FROM link_requests").await.to_string();
    let reject = [("request_id", request.as_str())];
    app.post_form(&app.staff, "/api/decide_link_request", "/staff/link-requests", &reject).await;
    assert_eq!(app.count("SELECT count(*) FROM member_links").await, 1);
    assert_eq!(app.count("SELECT count(*) FROM link_requests WHERE approved = 0").await, 1);
    assert_eq!(app.count("SELECT count(*) FROM events WHERE kind = 'linked'").await, 1, "the approval's, alone");
    let profile = app.get(&app.staff, &format!("/staff/members/{id}")).await.body;
    assert!(profile.contains("linked to the login sol@example.org, by the same e-mail address, by"), "{profile}");
    assert_eq!(app.count("SELECT count(*) FROM users WHERE email = 'sol@example.org'").await, 1, "one login");
    let _ = other;
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn never_links_nothing_and_the_profile_says_why_an_address_is_not_linked() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    app.portal_settings(true, "never").await;
    let id = app.add_member("Sol", "Case", "sol.case@example.org").await;
    let link = app.signed_up("sol.other@example.org").await;
    assert_eq!(location(&app.confirm(&link).await), "/join/confirmed?outcome=unmatched");
    assert_eq!(
        app.count("SELECT count(*) FROM member_links").await + app.count("SELECT count(*) FROM link_requests").await,
        0
    );
    let profile = app.get(&app.staff, &format!("/staff/members/{id}")).await;
    assert!(profile.body.contains("No login uses this e-mail address"), "{}", profile.body);
    let same = app.signed_up("sol.case@example.org").await;
    assert_eq!(location(&app.confirm(&same).await), "/join/confirmed?outcome=unmatched");
    assert_eq!(app.count("SELECT count(*) FROM member_links").await, 0);
    let profile = app.get(&app.staff, &format!("/staff/members/{id}")).await;
    assert!(profile.body.contains("A login with this e-mail exists but is not linked"), "{}", profile.body);
}

#[tokio::test]
async fn an_accepted_invitation_links_the_same_address_on_another_profile_when_always() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    app.portal_settings(false, "always").await;
    let (first, link) = app.invited_member("Mia", "parent@example.org").await;
    let second = app.add_member("Leo", "Example", "parent@example.org").await;
    let parent = browser();
    assert_eq!(location(&app.accept(&parent, &link, "the parent's password").await), "/portal");
    let portal = app.get(&parent, "/portal").await.body;
    assert!(portal.contains("Your profiles") && portal.contains("Leo Example"), "{portal}");
    let linked = app.dump("SELECT member_id FROM member_links ORDER BY member_id").await;
    assert_eq!(linked, format!("[{{\"member_id\":{first}}},{{\"member_id\":{second}}}]"));
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn settings_are_checked_and_changed_only_by_the_owner_or_an_administrator() {
    let app = spawn_app().await;
    app.staff_login().await;
    let before = app.dump("SELECT * FROM organisations").await;
    let bad = app.change_settings(&app.staff, &[("auto_link", "sometimes")]).await;
    assert!(refusal(&bad).contains("Choose one of the three ways to link logins."), "{}", refusal(&bad));
    app.add_staff_login("staff@example.org", "staff-password", "Riverside Martial Arts", true).await;
    let staff = browser();
    app.login(&staff, "staff@example.org", "staff-password").await;
    let fields = [
        ("name", "Riverside Martial Arts"),
        ("sender_name", "Riverside Martial Arts"),
        ("sender_email", "hello@riverside.example.org"),
        ("validity_days", "30"),
        ("auto_link", "always"),
        ("self_sign_up", "true"),
    ];
    assert_eq!(app.call(&staff, "/api/update_settings", &fields).await.status(), 404);
    assert!(app.get(&staff, "/staff/settings").await.body.contains("Only the owner and administrators"));
    assert_eq!(app.dump("SELECT * FROM organisations").await, before);
}

#[tokio::test]
async fn sign_ups_to_one_address_are_limited() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    app.portal_settings(true, "ask").await;
    let fields = [
        ("organisation_id", "1"),
        ("email", "flood@example.org"),
        ("password", SIGN_UP_PASSWORD),
        ("confirm_password", SIGN_UP_PASSWORD),
    ];
    for _ in 0..3 {
        assert_eq!(app.call(&browser(), "/api/sign_up", &fields).await.status(), 200);
    }
    assert_eq!(app.call(&browser(), "/api/sign_up", &fields).await.status(), 429);
    assert_eq!(app.count("SELECT count(*) FROM sign_ups").await, 3);
}
