use portico_app::seed::DEMO_OWNER_EMAIL;
use portico_app::stmt;

use crate::helpers::*;

#[tokio::test]
async fn staff_sign_in_sets_a_hardened_session_cookie_and_lands_on_the_member_list() {
    let app = spawn_app().await;
    let response = app.login(&app.staff, DEMO_OWNER_EMAIL, OWNER_PASSWORD).await;
    assert_eq!(response.status(), 302);
    assert_eq!(location(&response), "/staff/members");
    let cookie = session_cookie(&response).as_str().to_owned();
    assert!(cookie.starts_with("portico_session="));
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain-http dev origin");
    // The device cookie (rate limits): as hardened, and no session in it.
    let device = set_cookie_named(&response, "portico_device").expect("a device cookie");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(device.contains(attribute), "{device}");
    }

    // Only a hash of the id is stored, and the id is long.
    let id = cookie.trim_start_matches("portico_session=").split(';').next().unwrap();
    assert!(id.len() >= 22, "at least 128 bits");
    assert!(!app.dump("SELECT * FROM sessions").await.contains(id));

    let list = app.get(&app.staff, "/staff/members").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("Ada Lovelace"), "demo members are listed");
}

#[tokio::test]
async fn unknown_user_wrong_password_and_bad_email_get_identical_answers() {
    let app = spawn_app().await;
    let person = browser();
    let unknown = app.login(&person, "nobody@example.org", OWNER_PASSWORD).await;
    let wrong = app.login(&person, DEMO_OWNER_EMAIL, "not-the-password").await;
    let malformed = app.login(&person, "not an email", "whatever-it-is").await;
    for response in [&unknown, &wrong, &malformed] {
        assert_eq!(response.status(), 302);
        assert!(!sets_session_cookie(response));
    }
    // The pages they lead back to differ only in the e-mail typed, shown again in its field.
    let mut pages = Vec::new();
    for (response, typed) in
        [(&unknown, "nobody@example.org"), (&wrong, DEMO_OWNER_EMAIL), (&malformed, "not an email")]
    {
        let page = app.get(&person, &location(response).replace(&app.address, "")).await;
        assert!(page.body.contains(&format!("value=\"{typed}\"")), "the e-mail is kept: {}", page.body);
        let main = page.body.split("<main").nth(1).and_then(|rest| rest.split("</main>").next()).expect("a main");
        pages.push(main.replace(typed, "…"));
    }
    assert!(pages[0].contains("The e-mail address or password is not right."), "{}", pages[0]);
    assert_eq!(pages[0], pages[1]);
    assert_eq!(pages[1], pages[2]);

    let unknown = app.call(&browser(), "/api/login", &[("email", "nobody@example.org"), ("password", "x")]).await;
    let wrong = app.call(&browser(), "/api/login", &[("email", DEMO_OWNER_EMAIL), ("password", "x")]).await;
    assert_eq!(unknown.status(), 401);
    assert_eq!(wrong.status(), 401);
    assert_eq!(
        unknown.text().await.unwrap().replace("nobody@example.org", "…"),
        wrong.text().await.unwrap().replace(DEMO_OWNER_EMAIL, "…")
    );
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let app = spawn_app().await;
    let response = app.login(&app.staff, DEMO_OWNER_EMAIL, OWNER_PASSWORD).await;
    let cookie = session_cookie(&response).as_str().split(';').next().unwrap().to_owned();
    assert_eq!(app.count("SELECT count(*) FROM sessions").await, 1);
    let out = app.post_form(&app.staff, "/api/logout", "/staff/members", &[]).await;
    assert_eq!(location(&out), "/login");
    assert_eq!(app.count("SELECT count(*) FROM sessions").await, 0);

    // The old cookie, replayed, no longer opens anything.
    let replay = browser().get(format!("{}/staff/members", app.address)).header("cookie", cookie).send().await.unwrap();
    assert_eq!(replay.status(), 302);
    assert_eq!(location(&replay), "/login");
}

#[tokio::test]
async fn sessions_end_after_idle_and_absolute_timeouts() {
    let app = spawn_app().await;
    app.staff_login().await;
    app.clock.advance(2 * 3600 - 10);
    assert_eq!(app.get(&app.staff, "/staff/members").await.status, 200, "still within the idle time");
    app.clock.advance(2 * 3600 - 10);
    assert_eq!(app.get(&app.staff, "/staff/members").await.status, 200, "activity kept it alive");
    app.clock.advance(2 * 3600 + 1);
    assert_eq!(app.get(&app.staff, "/staff/members").await.status, 302, "idle too long");

    app.staff_login().await;
    for _ in 0..13 {
        app.clock.advance(3600);
        app.get(&app.staff, "/staff/members").await;
    }
    assert_eq!(app.get(&app.staff, "/staff/members").await.status, 302, "absolute limit of 12 hours");
}

#[tokio::test]
async fn a_new_session_id_is_issued_at_every_sign_in() {
    let app = spawn_app().await;
    let first = app.login(&app.staff, DEMO_OWNER_EMAIL, OWNER_PASSWORD).await;
    let second = app.login(&app.staff, DEMO_OWNER_EMAIL, OWNER_PASSWORD).await;
    assert_ne!(session_cookie(&first), session_cookie(&second));
    let rows = app.state.db.fetch_all(stmt!("SELECT id_hash FROM sessions")).await.unwrap();
    assert_eq!(rows.len(), 1, "the browser's first session ended with the second sign-in");
}

#[tokio::test]
async fn an_invitation_token_is_useless_as_a_session_and_a_session_id_as_a_link() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    let response = app.login(&app.staff, DEMO_OWNER_EMAIL, OWNER_PASSWORD).await;
    let session_id =
        session_cookie(&response).trim_start_matches("portico_session=").split(';').next().unwrap().to_owned();
    let (_, link) = app.invited_member("Ada", "ada.byron@example.org").await;
    let token = link.trim_start_matches("/invite/");

    let as_session = browser()
        .get(format!("{}/staff/members", app.address))
        .header("cookie", format!("portico_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&as_session), "/login");
    assert_eq!(session_id.len(), 43, "shaped like a token, so only its type tells them apart");
    assert_eq!(app.get(&browser(), &format!("/invite/{session_id}")).await.status, 404);
    assert_eq!(app.get(&browser(), &link).await.status, 200, "the link itself still works");
}
