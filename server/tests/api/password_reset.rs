//! Forgot password: a reset link through the outbox, its own token kind, used once within
//! an hour; opening it changes nothing; using it ends every other session of the login; the
//! request answers the same whether or not the address has a login, under rate limits.

use portico_app::seed::DEMO_OWNER_EMAIL;
use reqwest::Client;

use crate::helpers::*;

const NEW_PASSWORD: &str = "a brand new password";

async fn request_reset(app: &TestApp, client: &Client, email: &str) -> reqwest::Response {
    app.post_form(client, "/api/request_password_reset", "/forgot-password", &[("email", email)]).await
}

/// The reset link (`/reset-password/<token>`) in the newest e-mail the API received.
async fn reset_link(app: &TestApp) -> String {
    app.dispatch_pending_emails().await;
    link_in(&app.sent_emails().await.pop().expect("an e-mail was sent"), "/reset-password/")
}

async fn reset(app: &TestApp, client: &Client, link: &str, password: &str, again: &str) -> reqwest::Response {
    let token = link.trim_start_matches("/reset-password/");
    let fields = [("token", token), ("password", password), ("confirm_password", again)];
    app.post_form(client, "/api/reset_password", link, &fields).await
}

#[tokio::test]
async fn a_reset_link_sets_a_new_password_once_and_ends_every_other_session() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await; // the owner's laptop, signed in
    let phone = browser();
    assert!(app.get(&phone, "/login").await.body.contains("href=\"/forgot-password\""));
    assert_eq!(location(&request_reset(&app, &phone, DEMO_OWNER_EMAIL).await), "/forgot-password/sent");
    let link = reset_link(&app).await;
    assert_eq!(app.sent_emails().await[0]["to"][0], DEMO_OWNER_EMAIL);

    // Opening the link (GET, twice, HEAD) names the login and changes nothing.
    for _ in 0..2 {
        let page = app.get(&phone, &link).await;
        assert!(page.body.contains("Choose a new password") && page.body.contains(DEMO_OWNER_EMAIL), "{}", page.body);
    }
    assert_eq!(browser().head(format!("{}{link}", app.address)).send().await.unwrap().status(), 200);
    assert_eq!(app.count("SELECT count(*) FROM password_resets WHERE used_at IS NULL").await, 1);
    assert_eq!(app.get(&app.staff, "/staff/members").await.status, 200, "still signed in");

    let done = reset(&app, &phone, &link, NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(location(&done), "/staff/members", "signed in with the new password");
    assert!(sets_session_cookie(&done));
    assert_eq!(app.get(&phone, "/staff/members").await.status, 200);
    let laptop = app.staff.get(format!("{}/staff/members", app.address)).send().await.unwrap();
    assert_eq!(location(&laptop), "/login", "the laptop is signed out");
    assert_eq!(app.count("SELECT count(*) FROM sessions").await, 1, "the phone's alone");
    let old_password = app.login(&browser(), DEMO_OWNER_EMAIL, OWNER_PASSWORD).await;
    assert!(refusal(&old_password).contains("BadCredentials"), "{}", refusal(&old_password));
    assert_eq!(location(&app.login(&browser(), DEMO_OWNER_EMAIL, NEW_PASSWORD).await), "/staff/members");

    // Used up: the page and the form refuse it.
    assert!(app.get(&browser(), &link).await.body.contains("This link is no longer valid"));
    let again = reset(&app, &browser(), &link, "yet another password", "yet another password").await;
    assert!(location(&again).contains("__err"), "{}", location(&again));
    assert_eq!(location(&app.login(&browser(), DEMO_OWNER_EMAIL, NEW_PASSWORD).await), "/staff/members");
}

#[tokio::test]
async fn the_answer_is_the_same_whether_or_not_the_address_has_a_login() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    let known = request_reset(&app, &browser(), DEMO_OWNER_EMAIL).await;
    let unknown = request_reset(&app, &browser(), "nobody@example.org").await;
    assert_eq!(known.status(), unknown.status());
    assert_eq!(location(&known), location(&unknown));
    let (known, unknown) = (known.text().await.unwrap(), unknown.text().await.unwrap());
    assert_eq!(known, unknown);
    app.dispatch_pending_emails().await;
    assert_eq!(app.sent_emails().await.len(), 1, "only the login's address gets an e-mail");
    // A hydrated client's call: the same 200 both ways.
    for email in [DEMO_OWNER_EMAIL, "nobody@example.org"] {
        let call = app.call(&browser(), "/api/request_password_reset", &[("email", email)]).await;
        assert_eq!(call.status(), 200, "{email}");
    }
}

#[tokio::test]
async fn a_reset_link_dies_after_an_hour_and_when_a_newer_one_is_sent() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    request_reset(&app, &browser(), DEMO_OWNER_EMAIL).await;
    let first = reset_link(&app).await;
    request_reset(&app, &browser(), DEMO_OWNER_EMAIL).await;
    let second = reset_link(&app).await;
    assert!(app.get(&browser(), &first).await.body.contains("This link is no longer valid"), "superseded");
    app.clock.advance(3600);
    assert!(app.get(&browser(), &second).await.body.contains("This link is no longer valid"), "expired");
    let late = reset(&app, &browser(), &second, NEW_PASSWORD, NEW_PASSWORD).await;
    assert!(location(&late).contains("__err"));
    assert_eq!(location(&app.login(&browser(), DEMO_OWNER_EMAIL, OWNER_PASSWORD).await), "/staff/members");
}

#[tokio::test]
async fn a_reset_token_opens_no_invitation_and_an_invitation_token_resets_no_password() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let (_, invitation) = app.invited_member("Ada", "ada@example.org").await;
    request_reset(&app, &browser(), DEMO_OWNER_EMAIL).await;
    let link = reset_link(&app).await;
    let reset_token = link.trim_start_matches("/reset-password/");
    let invitation_token = invitation.trim_start_matches("/invite/");

    assert!(app.get(&browser(), &format!("/invite/{reset_token}")).await.body.contains("This link is no longer valid"));
    let accepted = app.accept(&browser(), &format!("/invite/{reset_token}"), NEW_PASSWORD).await;
    assert_eq!(refusal(&accepted), "InvalidLink");
    let page = app.get(&browser(), &format!("/reset-password/{invitation_token}")).await;
    assert!(page.body.contains("This link is no longer valid"));
    let misused = format!("/reset-password/{invitation_token}");
    assert!(location(&reset(&app, &browser(), &misused, NEW_PASSWORD, NEW_PASSWORD).await).contains("__err"));
    let call = app
        .call(
            &browser(),
            "/api/reset_password",
            &[("token", invitation_token), ("password", NEW_PASSWORD), ("confirm_password", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(call.status(), 404, "a link that is no good");
    assert_eq!(app.count("SELECT count(*) FROM users").await, 1, "no login made from either");
    assert_eq!(location(&app.login(&browser(), DEMO_OWNER_EMAIL, OWNER_PASSWORD).await), "/staff/members");
}

#[tokio::test]
async fn bad_input_gets_a_message_and_changes_nothing() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    let call = app.call(&browser(), "/api/request_password_reset", &[("email", "not an address")]).await;
    assert_eq!(call.status(), 422);
    assert_eq!(app.count("SELECT count(*) FROM password_resets").await, 0);
    request_reset(&app, &browser(), DEMO_OWNER_EMAIL).await;
    let link = reset_link(&app).await;
    let token = link.trim_start_matches("/reset-password/");
    for (password, again) in
        [("short", "short"), (NEW_PASSWORD, "a different one entirely"), ("password123", "password123")]
    {
        let fields = [("token", token), ("password", password), ("confirm_password", again)];
        let refused = app.call(&browser(), "/api/reset_password", &fields).await;
        assert_eq!(refused.status(), 422, "{password} / {again}");
    }
    assert_eq!(app.count("SELECT count(*) FROM password_resets WHERE used_at IS NULL").await, 1, "still usable");
    assert_eq!(location(&app.login(&browser(), DEMO_OWNER_EMAIL, OWNER_PASSWORD).await), "/staff/members");
}

#[tokio::test]
async fn reset_requests_are_rate_limited_per_address_typed_and_per_client() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    for _ in 0..3 {
        assert_eq!(request_reset(&app, &browser(), DEMO_OWNER_EMAIL).await.status(), 302);
    }
    let limited = app.call(&browser(), "/api/request_password_reset", &[("email", DEMO_OWNER_EMAIL)]).await;
    assert_eq!(limited.status(), 429);
    // An address without a login is counted alike: the limit tells nothing about accounts.
    for _ in 0..3 {
        request_reset(&app, &browser(), "nobody@example.org").await;
    }
    let limited = app.call(&browser(), "/api/request_password_reset", &[("email", "nobody@example.org")]).await;
    assert_eq!(limited.status(), 429);
    app.dispatch_pending_emails().await;
    assert_eq!(app.sent_emails().await.len(), 3, "three e-mails, not more");
    // Ten requests from one client in all (the two refused above included), whatever the address.
    for n in 0..2 {
        request_reset(&app, &browser(), &format!("someone{n}@example.org")).await;
    }
    let limited = app.call(&browser(), "/api/request_password_reset", &[("email", "someone9@example.org")]).await;
    assert_eq!(limited.status(), 429);
    app.clock.advance(15 * 60);
    assert_eq!(request_reset(&app, &browser(), DEMO_OWNER_EMAIL).await.status(), 302, "the window is over");
}
