//! Signing in again in the same browser ends the session it had, on both targets: the old
//! cookie, replayed from anywhere, no longer signs anyone in.

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, COOKIE, SET_COOKIE};

use crate::flow::Session;
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
