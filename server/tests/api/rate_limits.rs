//! Rate limits on a fixed clock (windows of 15 minutes, the test clock starts at one's start).

use portico_app::seed::DEMO_OWNER_EMAIL;

use crate::helpers::*;

async fn sign_in_status(app: &TestApp, email: &str, password: &str) -> (u16, String) {
    let response = app.call(&browser(), "/api/login", &[("email", email), ("password", password)]).await;
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn ten_wrong_passwords_lock_an_account_until_its_window_ends_and_no_longer() {
    let app = spawn_app().await;
    for _ in 0..10 {
        assert_eq!(sign_in_status(&app, DEMO_OWNER_EMAIL, "a wrong guess").await.0, 401);
    }
    // The real owner, with the right password, waits out the window like the guesser.
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

#[tokio::test]
async fn right_passwords_do_not_count_against_the_account() {
    let app = spawn_app().await;
    for _ in 0..15 {
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
