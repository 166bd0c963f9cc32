//! Sessions on both targets: signing in again in the same browser ends the session it had
//! (the old cookie, replayed from anywhere, no longer signs anyone in); unlinking a profile
//! ends the sessions of a login left with nothing, not those of a login that is also staff.

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, COOKIE, SET_COOKIE};

use crate::flow::{Session, invited, location};
use crate::target::{OWNER_EMAIL, OWNER_PASSWORD, Target};

pub async fn signing_in_again_ends_the_previous_session(target: &Target) {
    let same_browser = Session::new(target);
    let sign_in =
        || same_browser.post_form("/api/login", "/login", &[("email", OWNER_EMAIL), ("password", OWNER_PASSWORD)]);
    let session_cookie = |response: &reqwest::Response| {
        response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("portico_session="))
            .and_then(|c| c.split(';').next())
            .map(str::to_owned)
            .expect("a session cookie")
    };
    let first = session_cookie(&sign_in().await);
    let second = session_cookie(&sign_in().await);
    assert_ne!(first, second, "{:?}: a new session id", target.kind);
    let replay = |cookie: String| async move {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let url = format!("{}/staff/members", target.base_url);
        client.get(url).header(COOKIE, cookie).header(ACCEPT, "text/html").send().await.unwrap().status()
    };
    assert_eq!(replay(first).await, StatusCode::FOUND, "{:?}: the first session ended", target.kind);
    assert_eq!(replay(second).await, StatusCode::OK, "{:?}: the new one works", target.kind);
}

async fn unlink(staff: &Session<'_>, profile: &str) {
    let contact = crate::flow::contact_ids(staff, profile).await.remove(0);
    let unlinked = staff.post_form("/api/unlink_login", profile, &[("contact_id", contact.as_str())]).await;
    assert_eq!(location(&unlinked), profile);
}

pub async fn unlinking_ends_member_sessions_but_not_staff_ones(target: &Target) {
    let kind = target.kind;
    let staff = Session::new(target);
    assert_eq!(staff.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members");

    // A member-only login: unlinked, it is signed out everywhere.
    let (profile, link) = invited(&staff, target, "Max", "max@example.org").await;
    let member = Session::new(target);
    let token = link.trim_start_matches("/invite/");
    let password = "max's own password";
    let accept = [("token", token), ("password", password), ("confirm_password", password)];
    assert_eq!(location(&member.post_form("/api/accept_invitation", &link, &accept).await), "/portal");
    assert_eq!(member.get("/portal").await.0, StatusCode::OK, "{kind:?}");
    unlink(&staff, &profile).await;
    assert_eq!(member.get("/portal").await.0, StatusCode::FOUND, "{kind:?}: the member is signed out");

    // The owner invited as a member of their own organisation links their login, in the
    // same browser; unlinking takes the portal away and leaves the staff session.
    let (profile, link) = invited(&staff, target, "Olive", OWNER_EMAIL).await;
    let token = link.trim_start_matches("/invite/");
    let linked =
        staff.post_form("/api/link_invitation", &link, &[("token", token), ("password", OWNER_PASSWORD)]).await;
    assert_eq!(location(&linked), "/portal", "{kind:?}");
    assert!(staff.get("/portal").await.1.contains("Olive"), "{kind:?}: the portal shows the profile");
    unlink(&staff, &profile).await;
    assert_eq!(staff.get("/staff/members").await.0, StatusCode::OK, "{kind:?}: still signed in as staff");
    assert!(!staff.get("/portal").await.1.contains("Olive"), "{kind:?}: the profile is no longer reachable");
}
