//! Rate limits on a fixed clock (windows of 15 minutes, the test clock starts at one's start).

use portico_app::seed::DEMO_OWNER_EMAIL;

use crate::helpers::*;

async fn sign_in_status(app: &TestApp, email: &str, password: &str) -> (u16, String) {
    sign_in_from(app, &browser(), email, password).await
}

async fn sign_in_from(app: &TestApp, client: &reqwest::Client, email: &str, password: &str) -> (u16, String) {
    let response = app.call(client, "/api/login", &[("email", email), ("password", password)]).await;
    (response.status().as_u16(), response.text().await.unwrap())
}

/// The owner's own browser: it signed in once (and so carries the device cookie), then
/// signed out.
async fn known_browser(app: &TestApp) -> reqwest::Client {
    let owner = browser();
    assert_eq!(sign_in_from(app, &owner, DEMO_OWNER_EMAIL, OWNER_PASSWORD).await.0, 200);
    assert_eq!(app.call(&owner, "/api/logout", &[]).await.status(), 200);
    owner
}

#[tokio::test]
async fn ten_wrong_passwords_lock_an_account_for_unknown_browsers_until_its_window_ends() {
    let app = spawn_app().await;
    for _ in 0..10 {
        assert_eq!(sign_in_status(&app, DEMO_OWNER_EMAIL, "a wrong guess").await.0, 401);
    }
    // Someone with the right password on a browser never signed in waits out the window.
    let (status, body) = sign_in_status(&app, DEMO_OWNER_EMAIL, OWNER_PASSWORD).await;
    assert_eq!(status, 429, "{body}");
    assert!(body.contains(r#"{"TooManyAttempts":{"minutes":15}}"#), "{body}");
    app.clock.advance(10 * 60);
    assert!(sign_in_status(&app, DEMO_OWNER_EMAIL, OWNER_PASSWORD).await.1.contains(r#""minutes":5"#));
    // Another account is not affected; the e-mail's letter case does not make a new bucket.
    assert_eq!(sign_in_status(&app, "nobody@example.org", "x").await.0, 401);
    assert_eq!(sign_in_status(&app, &DEMO_OWNER_EMAIL.to_uppercase(), OWNER_PASSWORD).await.0, 429);
    app.clock.advance(5 * 60);
    assert_eq!(sign_in_status(&app, DEMO_OWNER_EMAIL, OWNER_PASSWORD).await.0, 200, "the window is over");
}

/// OWASP's device cookies: a stranger's flood does not lock the owner out of their own
/// browser, window after window; unknown browsers are still limited.
#[tokio::test]
async fn a_flood_of_wrong_passwords_does_not_lock_the_owner_s_known_browser() {
    let app = spawn_app().await;
    let owner = known_browser(&app).await;
    for window in 0..3 {
        for _ in 0..25 {
            sign_in_status(&app, DEMO_OWNER_EMAIL, "the attacker's guess").await;
        }
        assert_eq!(sign_in_status(&app, DEMO_OWNER_EMAIL, OWNER_PASSWORD).await.0, 429, "window {window}");
        let (status, body) = sign_in_from(&app, &owner, DEMO_OWNER_EMAIL, OWNER_PASSWORD).await;
        assert_eq!(status, 200, "window {window}: the owner's browser signs in: {body}");
        assert_eq!(app.call(&owner, "/api/logout", &[]).await.status(), 200);
        app.clock.advance(15 * 60);
    }
}

/// The device cookie copied to another browser buys nothing without the password: wrong
/// guesses are refused as from anywhere, no session is made, and the cookie's own few
/// guesses run out; it is no key to another account either.
#[tokio::test]
async fn a_stolen_device_cookie_without_the_password_gains_nothing() {
    let app = spawn_app().await;
    let cookie = app.device_cookie_of(&known_browser(&app).await).await;
    let thief = browser_with_cookie(&cookie);
    for _ in 0..10 {
        let guess = app.call(&thief, "/api/login", &[("email", DEMO_OWNER_EMAIL), ("password", "a guess")]).await;
        assert_eq!(guess.status(), 401);
        assert!(!sets_session_cookie(&guess), "no session from a wrong password");
    }
    let (status, body) = sign_in_from(&app, &thief, DEMO_OWNER_EMAIL, "another guess").await;
    assert_eq!(status, 429, "the cookie's own limit: {body}");
    // Its guesses were not the account's: unknown browsers are not locked by them…
    assert_eq!(sign_in_status(&app, DEMO_OWNER_EMAIL, OWNER_PASSWORD).await.0, 200);
    // …and a cookie signed for one account is no cookie for another.
    app.add_staff_login("second@example.org", "second-password-1", "Riverside Martial Arts", true).await;
    let with_owner_cookie = browser_with_cookie(&cookie);
    for _ in 0..10 {
        assert_eq!(sign_in_from(&app, &with_owner_cookie, "second@example.org", "x").await.0, 401);
    }
    assert_eq!(sign_in_status(&app, "second@example.org", "second-password-1").await.0, 429);
    // A forged cookie (the owner's with its signature changed) counts as none.
    let (nonce, signature) = cookie.split_once('.').expect("nonce.signature");
    let changed = if signature.starts_with('A') { 'B' } else { 'A' };
    let forged = browser_with_cookie(&format!("{nonce}.{changed}{}", &signature[1..]));
    for _ in 0..10 {
        assert_eq!(sign_in_from(&app, &forged, DEMO_OWNER_EMAIL, "a guess").await.0, 401);
    }
    assert_eq!(sign_in_status(&app, DEMO_OWNER_EMAIL, OWNER_PASSWORD).await.0, 429, "counted as unknown");
}

fn browser_with_cookie(cookie: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::COOKIE, format!("portico_device={cookie}").parse().unwrap());
    reqwest::Client::builder().default_headers(headers).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

#[tokio::test]
async fn right_passwords_do_not_count_against_the_account_nor_the_address() {
    let app = spawn_app().await;
    // More than the address's 60: a school's morning, everyone behind one address.
    for _ in 0..65 {
        assert_eq!(sign_in_status(&app, DEMO_OWNER_EMAIL, OWNER_PASSWORD).await.0, 200);
    }
}

#[tokio::test]
async fn one_address_trying_many_accounts_is_stopped_after_sixty() {
    let app = spawn_app().await;
    for n in 0..60 {
        assert_eq!(sign_in_status(&app, &format!("guess{n}@example.org"), "x").await.0, 401);
    }
    let (status, body) = sign_in_status(&app, "guess60@example.org", "x").await;
    assert_eq!(status, 429, "{body}");
    app.clock.advance(15 * 60);
    assert_eq!(sign_in_status(&app, "guess61@example.org", "x").await.0, 401);
}

/// A leaked link to an invitation for an existing login does not allow guessing that
/// login's password without limit: it shares the account's count with the sign-in page.
#[tokio::test]
async fn guessing_a_login_password_through_an_invitation_link_is_limited() {
    let app = spawn_app().await;
    let (_, link) = app.owner_invited_as_member().await;
    let token = link.trim_start_matches("/invite/");
    for _ in 0..10 {
        let guess = app.call(&browser(), "/api/link_invitation", &[("token", token), ("password", "a guess")]).await;
        assert_eq!(guess.status(), 422);
    }
    let guess = app.call(&browser(), "/api/link_invitation", &[("token", token), ("password", OWNER_PASSWORD)]).await;
    assert_eq!(guess.status(), 429);
    assert_eq!(sign_in_status(&app, DEMO_OWNER_EMAIL, OWNER_PASSWORD).await.0, 429, "the same account's count");
    // The owner's own browser (it signed in before) still links the invitation with the password.
    let owner = app.staff.clone();
    assert_eq!(app.call(&owner, "/api/logout", &[]).await.status(), 200);
    let linked = app.call(&owner, "/api/link_invitation", &[("token", token), ("password", OWNER_PASSWORD)]).await;
    assert_eq!(linked.status(), 200, "{}", linked.text().await.unwrap());
}

#[tokio::test]
async fn a_member_s_invitation_is_resent_three_times_a_window_at_most() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let (id, _) = app.invited_member("Ada", "ada.byron@example.org").await;
    let id_text = app.self_contact(id).await.to_string();
    for _ in 0..3 {
        assert_eq!(
            app.call(&app.staff, "/api/resend_invitation", &[("contact_id", id_text.as_str())]).await.status(),
            200
        );
    }
    let refused = app.call(&app.staff, "/api/resend_invitation", &[("contact_id", id_text.as_str())]).await;
    assert_eq!(refused.status(), 429);
    app.clock.advance(15 * 60);
    assert_eq!(app.call(&app.staff, "/api/resend_invitation", &[("contact_id", id_text.as_str())]).await.status(), 200);
}

/// The counts do not pile up: the first attempt of a window clears the windows before the
/// last one, and only that attempt (every attempt would be a DELETE per password guess).
#[tokio::test]
async fn the_first_attempt_of_a_window_clears_windows_long_past() {
    let app = spawn_app().await;
    let rows = "SELECT count(*) FROM rate_limits";
    let old_rows = "SELECT count(*) FROM rate_limits WHERE window_start < (SELECT max(window_start) FROM rate_limits)";
    for _ in 0..3 {
        assert_eq!(sign_in_status(&app, "nobody@example.org", "a wrong guess").await.0, 401);
    }
    let first_window = app.count(rows).await;
    assert!(first_window > 0, "the attempts were counted");
    app.clock.advance(2 * 15 * 60);
    assert_eq!(sign_in_status(&app, "nobody@example.org", "a wrong guess").await.0, 401);
    assert_eq!(app.count(old_rows).await, 0, "the windows long past are gone");
    assert_eq!(app.count(rows).await, first_window, "this window's buckets alone");
}
