//! Forgot password on both targets: the link arrives through the e-mail API, opening it
//! changes nothing, setting the password signs the person in and signs out their other
//! devices. The owner's password is set back the same way for the scenarios after this one.

use crate::flow::{Session, email_number, link_in, location};
use crate::target::{OWNER_EMAIL, OWNER_PASSWORD, Target};

/// Asks for a reset link for the owner and returns it (`/reset-password/<token>`).
async fn reset_link(target: &Target, session: &Session<'_>) -> String {
    let sent_before = target.sent_emails().await.len();
    let asked = session.post_form("/api/request_password_reset", "/forgot-password", &[("email", OWNER_EMAIL)]).await;
    assert_eq!(location(&asked), "/forgot-password/sent", "{:?}", target.kind);
    let email = email_number(target, sent_before + 1).await;
    assert_eq!(email["to"][0], OWNER_EMAIL);
    link_in(target, &email, "/reset-password/")
}

async fn set_password(session: &Session<'_>, link: &str, password: &str) -> String {
    let token = link.trim_start_matches("/reset-password/");
    let fields = [("token", token), ("password", password), ("confirm_password", password)];
    location(&session.post_form("/api/reset_password", link, &fields).await)
}

pub async fn a_forgotten_password_is_reset_from_the_emailed_link(target: &Target) {
    let kind = target.kind;
    let laptop = Session::new(target);
    assert_eq!(laptop.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members");
    let phone = Session::new(target);
    let (_, login) = phone.get("/login").await;
    assert!(login.contains("href=\"/forgot-password\""), "{kind:?}: {login}");
    let link = reset_link(target, &phone).await;
    let (status, page) = phone.get(&link).await;
    assert_eq!(status, 200, "{kind:?}");
    assert!(page.contains("Choose a new password") && page.contains(OWNER_EMAIL), "{kind:?}: {page}");
    assert_eq!(laptop.get("/staff/members").await.0, 200, "{kind:?}: opening the link changed nothing");

    let new_password = "the owner's new password";
    assert_eq!(set_password(&phone, &link, new_password).await, "/staff/members", "{kind:?}");
    assert_eq!(phone.get("/staff/members").await.0, 200, "{kind:?}: signed in");
    assert_eq!(laptop.get("/staff/members").await.0, 302, "{kind:?}: the laptop is signed out");
    assert!(set_password(&phone, &link, "once more, no").await.contains("__err"), "{kind:?}: used up");

    let back = reset_link(target, &Session::new(target)).await;
    assert_eq!(set_password(&Session::new(target), &back, OWNER_PASSWORD).await, "/staff/members", "{kind:?}");
    assert_eq!(Session::new(target).sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members", "{kind:?}");
}
