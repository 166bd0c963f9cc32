use portico_app::seed::DEMO_OWNER_EMAIL;
use reqwest::header::{ACCEPT, COOKIE, SET_COOKIE};

use crate::helpers::*;

fn session_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("portico_session="))
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_owned()
}

#[tokio::test]
async fn signing_in_again_ends_the_session_the_browser_had() {
    let app = spawn_app().await;
    let same_browser = browser();
    let first = session_cookie(&app.login(&same_browser, DEMO_OWNER_EMAIL, OWNER_PASSWORD).await);
    let second = session_cookie(&app.login(&same_browser, DEMO_OWNER_EMAIL, OWNER_PASSWORD).await);
    assert_ne!(first, second, "a new session id");

    let replay = |cookie: String| {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let url = format!("{}/staff/members", app.address);
        async move { client.get(url).header(COOKIE, cookie).header(ACCEPT, "text/html").send().await.unwrap().status() }
    };
    assert_eq!(replay(first).await, 302, "the first session ended");
    assert_eq!(replay(second).await, 200, "the new one works");
}

/// A login that is staff and also linked to a member profile (the owner invited as a member
/// of their own organisation): unlinking the profile takes the portal away from it, not
/// its staff session. A login left with nothing is signed out (see access.rs).
#[tokio::test]
async fn unlinking_a_login_that_is_also_staff_keeps_its_staff_session() {
    let app = spawn_app().await;
    let (id, link) = app.owner_invited_as_member().await;
    let token = link.trim_start_matches("/invite/");
    let linked = app
        .post_form(&app.staff, "/api/link_invitation", &link, &[("token", token), ("password", OWNER_PASSWORD)])
        .await;
    assert_eq!(location(&linked), "/portal");
    assert!(app.get(&app.staff, "/portal").await.body.contains("Olive"), "the portal shows the profile");

    let id_text = id.to_string();
    let profile = format!("/staff/members/{id}");
    let unlinked = app.post_form(&app.staff, "/api/unlink_login", &profile, &[("member_id", id_text.as_str())]).await;
    assert_eq!(location(&unlinked), profile);
    assert_eq!(app.get(&app.staff, "/staff/members").await.status, 200, "still signed in as staff");
    assert!(!app.get(&app.staff, "/portal").await.body.contains("Olive"), "the profile is no longer reachable");
}
