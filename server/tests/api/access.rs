use crate::helpers::*;

/// A member who accepted, signed in with `client`; returns (member id, link).
async fn signed_in_member(app: &TestApp, client: &reqwest::Client) -> (i64, String) {
    email_api_accepts(app).await;
    app.staff_login().await;
    let (id, link) = app.invited_member("Ada", "ada.byron@example.org").await;
    assert_eq!(location(&app.accept(client, &link, "correct horse battery").await), "/portal");
    (id, link)
}

#[tokio::test]
async fn a_member_gets_404_from_every_staff_page_and_server_function() {
    let app = spawn_app().await;
    let member = browser();
    let (id, _) = signed_in_member(&app, &member).await;
    for page in
        ["/staff/members", "/staff/members/new", &format!("/staff/members/{id}"), "/staff/members/1/contacts/1/invite"]
    {
        let response = app.get(&member, page).await;
        assert_eq!(response.status, 404, "{page}");
        assert!(response.body.contains("Page not found"));
    }
    let id_text = app.self_contact(id).await.to_string();
    let calls: [(&str, Vec<(&str, &str)>); 7] = [
        ("/api/list_members", vec![]),
        ("/api/member_profile", vec![("member_id", "1")]),
        (
            "/api/add_member",
            vec![("first_name", "X"), ("last_name", "Y"), ("email", ""), ("phone", ""), ("address", "")],
        ),
        ("/api/send_invitation", vec![("contact_id", "1"), ("email", "ada.byron@example.org"), ("message", "")]),
        ("/api/resend_invitation", vec![("contact_id", id_text.as_str())]),
        ("/api/revoke_invitation", vec![("contact_id", "1")]),
        ("/api/unlink_login", vec![("contact_id", id_text.as_str())]),
    ];
    for (endpoint, fields) in calls {
        assert_eq!(app.call(&member, endpoint, &fields).await.status(), 404, "{endpoint}");
    }
    assert_eq!(app.count("SELECT count(*) FROM member_links").await, 1, "nothing changed");
    assert_eq!(app.count("SELECT count(*) FROM invitations").await, 1);
}

#[tokio::test]
async fn staff_see_no_portal_and_visitors_are_sent_to_sign_in() {
    let app = spawn_app().await;
    app.staff_login().await;
    assert_eq!(app.get(&app.staff, "/portal").await.status, 404);
    let visitor = app.get(&browser(), "/portal").await;
    assert_eq!(visitor.status, 302);
    assert_eq!(visitor.headers["location"], "/login");
}

#[tokio::test]
async fn staff_without_access_to_a_member_cannot_view_or_invite_them() {
    let app = spawn_app().await;
    app.staff_login().await;
    let hidden = app.add_member("Hidden", "Member", "hidden@example.org").await;
    // A second staff login, limited to the members it is given (none).
    app.add_staff_login("limited@example.org", "limited-password", "Riverside Martial Arts", false).await;
    let limited = browser();
    assert_eq!(location(&app.login(&limited, "limited@example.org", "limited-password").await), "/staff/members");
    let list = app.get(&limited, "/staff/members").await;
    assert_eq!(list.status, 200);
    assert!(!list.body.contains("Hidden Member") && !list.body.contains("Lovelace"));
    assert_eq!(app.get(&limited, &format!("/staff/members/{hidden}")).await.status, 404);
    let id = hidden.to_string();
    let contact = app.self_contact(hidden).await.to_string();
    let invite = app
        .call(
            &limited,
            "/api/send_invitation",
            &[("contact_id", contact.as_str()), ("email", "hidden@example.org"), ("message", "")],
        )
        .await;
    assert_eq!(invite.status(), 404);
    assert_eq!(app.count("SELECT count(*) FROM invitations").await, 0);

    // What it adds itself, it may see.
    let own = app
        .post_form(
            &limited,
            "/api/add_member",
            "/staff/members/new",
            &[("first_name", "Own"), ("last_name", "Member"), ("email", ""), ("phone", ""), ("address", "")],
        )
        .await;
    assert_eq!(app.get(&limited, &location(&own)).await.status, 200);

    // With an invitation waiting for the hidden member, the limited login can neither
    // record a decline nor change the member (whose new e-mail would revoke the link).
    email_api_accepts(&app).await;
    app.invite(hidden, "hidden@example.org", "").await;
    let before = app.dump(crate::edit_member::MEMBERS_AND_CONTACTS).await;
    let invitations = app.dump("SELECT * FROM invitations").await;
    let decline = app.call(&limited, "/api/record_decline", &[("contact_id", contact.as_str()), ("reason", "")]).await;
    assert_eq!(decline.status(), 404);
    let moved = [
        ("member_id", id.as_str()),
        ("first_name", "Hidden"),
        ("last_name", "Member"),
        ("email", "elsewhere@example.org"),
        ("phone", ""),
        ("address", ""),
    ];
    assert_eq!(app.call(&limited, "/api/update_member", &moved).await.status(), 404);
    assert_eq!(app.get(&limited, &format!("/staff/members/{hidden}/edit")).await.status, 404);
    assert_eq!(app.dump(crate::edit_member::MEMBERS_AND_CONTACTS).await, before);
    assert_eq!(app.dump("SELECT * FROM invitations").await, invitations, "the link still works");
}

#[tokio::test]
async fn cross_site_posts_are_refused_and_write_nothing() {
    let app = spawn_app().await;
    app.staff_login().await;
    let before = app.count("SELECT count(*) FROM members").await;
    let fields = [("first_name", "Eve"), ("last_name", "Forger"), ("email", ""), ("phone", ""), ("address", "")];
    let url = format!("{}/api/add_member", app.address);
    let cross_site = app.staff.post(&url).header("sec-fetch-site", "cross-site").form(&fields).send().await.unwrap();
    assert_eq!(cross_site.status(), 403);
    let foreign = app.staff.post(&url).header("origin", "http://evil.example").form(&fields).send().await.unwrap();
    assert_eq!(foreign.status(), 403);
    let same_site = app
        .staff
        .post(&url)
        .header("sec-fetch-site", "same-origin")
        .header("origin", BASE_URL)
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_ne!(same_site.status(), 403);
    assert_eq!(app.count("SELECT count(*) FROM members").await, before + 1, "only the same-origin post wrote");

    // `Origin: null` (what a no-referrer page's forms send) passes only when the browser
    // itself vouches that the request is same-origin.
    for fetch_site in [Some("cross-site"), Some("same-site"), None] {
        let mut request = app.staff.post(&url).header("origin", "null").form(&fields);
        if let Some(fetch_site) = fetch_site {
            request = request.header("sec-fetch-site", fetch_site);
        }
        assert_eq!(request.send().await.unwrap().status(), 403, "Origin: null with {fetch_site:?}");
    }
    assert_eq!(app.count("SELECT count(*) FROM members").await, before + 1);
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_with_413_and_writes_nothing() {
    let app = spawn_app().await;
    app.staff_login().await;
    let before = app.count("SELECT count(*) FROM members").await;
    let long = "x".repeat(portico_app::web::MAX_BODY_BYTES);
    let response = app
        .post_form(
            &app.staff,
            "/api/add_member",
            "/staff/members/new",
            &[("first_name", "Ada"), ("last_name", &long), ("email", ""), ("phone", ""), ("address", "")],
        )
        .await;
    assert_eq!(response.status(), 413);
    assert_eq!(response.text().await.unwrap(), "The request is too large: at most 2048 KiB.");
    assert_eq!(app.count("SELECT count(*) FROM members").await, before);
}

#[tokio::test]
async fn unlinking_keeps_the_login_ends_its_sessions_and_allows_a_new_invitation() {
    let app = spawn_app().await;
    let member = browser();
    let (id, _) = signed_in_member(&app, &member).await;
    let contact = app.self_contact(id).await.to_string();
    let response = app
        .post_form(
            &app.staff,
            "/api/unlink_login",
            &format!("/staff/members/{id}"),
            &[("contact_id", contact.as_str())],
        )
        .await;
    assert_eq!(location(&response), format!("/staff/members/{id}"));
    assert_eq!(app.count("SELECT count(*) FROM users WHERE email = 'ada.byron@example.org'").await, 1, "login kept");
    assert_eq!(app.count("SELECT count(*) FROM member_links").await, 0);
    assert_eq!(app.get(&member, "/portal").await.status, 302, "its session ended");

    let profile = app.get(&app.staff, &format!("/staff/members/{id}")).await;
    assert!(profile.body.contains(">Invite<"));
    assert_eq!(location(&app.invite(id, "ada.byron@example.org", "").await), format!("/staff/members/{id}"));

    // The kept login links again by signing in; setting a new password is refused.
    app.dispatch_pending_emails().await;
    let link = app.invitation_links().await.pop().unwrap();
    let token = link.trim_start_matches("/invite/");
    let page = app.get(&browser(), &link).await;
    assert!(page.body.contains("You already have a login for"), "{}", page.body);
    let users = app.dump("SELECT * FROM users").await;
    let overwrite = app.accept(&browser(), &link, "a brand new password").await;
    assert!(refusal(&overwrite).contains("A login already exists for this e-mail address"), "{}", refusal(&overwrite));
    assert_eq!(app.dump("SELECT * FROM users").await, users, "the password is never overwritten");

    let again = browser();
    let wrong =
        app.post_form(&again, "/api/link_invitation", &link, &[("token", token), ("password", "wrong password")]).await;
    assert!(location(&wrong).starts_with(&format!("{link}?")), "{}", location(&wrong));
    assert!(app.get(&again, &location(&wrong)).await.body.contains("That is not the password of this login."));
    let linked = app
        .post_form(&again, "/api/link_invitation", &link, &[("token", token), ("password", "correct horse battery")])
        .await;
    assert_eq!(location(&linked), "/portal");
    assert!(app.get(&again, "/portal").await.body.contains("Ada Example"));
    assert_eq!(app.count("SELECT count(*) FROM member_links").await, 1);
}

#[tokio::test]
async fn staff_of_another_organisation_see_none_of_this_ones_members() {
    let app = spawn_app().await;
    app.staff_login().await;
    app.add_staff_login("other@example.org", "other-org-password", "Other Practice", true).await;
    let other = browser();
    assert_eq!(location(&app.login(&other, "other@example.org", "other-org-password").await), "/staff/members");
    let list = app.get(&other, "/staff/members").await;
    assert!(!list.body.contains("Lovelace"), "another organisation's members are not listed");
    assert_eq!(app.get(&other, "/staff/members/1").await.status, 404);
    let invite = app
        .call(&other, "/api/send_invitation", &[("contact_id", "1"), ("email", "ada@example.org"), ("message", "")])
        .await;
    assert_eq!(invite.status(), 404);
    let revoke = app.call(&other, "/api/revoke_invitation", &[("contact_id", "1")]).await;
    assert_eq!(revoke.status(), 404);
    let representative = [
        ("member_id", "1"),
        ("first_name", "Pat"),
        ("last_name", "Other"),
        ("relation", "parent"),
        ("email", "pat@example.org"),
        ("send_now", "true"),
    ];
    assert_eq!(app.call(&other, "/api/add_contact", &representative).await.status(), 404);
    assert_eq!(app.count("SELECT count(*) FROM contacts WHERE is_self = 0").await, 0);
    assert_eq!(app.count("SELECT count(*) FROM invitations").await, 0);
}

/// The malformed-request table (tests/scenarios/malformed.rs) covers every server function.
#[test]
fn the_malformed_request_table_lists_every_server_function() {
    let listed: Vec<&str> = portico_harness::endpoints::ENDPOINTS.iter().map(|(path, _)| *path).collect();
    assert_eq!(portico_app::web::server_function_paths(), listed);
}

/// The portal's profile switch cannot reach a profile the login is not linked to: a guessed
/// id (the demo members), a profile unlinked while the page was open, or any id from a
/// login that is staff with no profile of its own.
#[tokio::test]
async fn the_portal_shows_only_profiles_linked_to_the_login() {
    let app = spawn_app().await;
    let member = browser();
    let (id, _) = signed_in_member(&app, &member).await;
    let own = id.to_string();
    let shown = |response: reqwest::Response| async move { (response.status(), response.text().await.unwrap()) };
    let (status, body) = shown(app.call(&member, "/api/portal_profile", &[("member_id", own.as_str())]).await).await;
    assert_eq!(status, 200);
    assert!(body.contains("Ada") && body.contains("\"choices\""), "{body}");
    for guessed in ["1", "2", "0", "-5"] {
        let response = app.call(&member, "/api/portal_profile", &[("member_id", guessed)]).await;
        assert_eq!(response.status(), 404, "profile {guessed}");
        assert_eq!(app.get(&member, &format!("/portal?profile={guessed}")).await.status, 404);
    }
    assert_eq!(app.call(&app.staff, "/api/portal_profile", &[("member_id", own.as_str())]).await.status(), 404);

    // Unlinked meanwhile: the login's sessions end, and the profile is gone for it.
    let contact = app.self_contact(id).await.to_string();
    app.post_form(
        &app.staff,
        "/api/unlink_login",
        &format!("/staff/members/{id}"),
        &[("contact_id", contact.as_str())],
    )
    .await;
    let again = browser();
    assert_eq!(app.call(&member, "/api/portal_profile", &[("member_id", own.as_str())]).await.status(), 401);
    // A login left with no profile (and not staff) cannot sign in to reach it either.
    let login = app.login(&again, "ada.byron@example.org", "correct horse battery").await;
    assert!(location(&login).contains("__err"), "{}", location(&login));
    assert_eq!(app.call(&again, "/api/portal_profile", &[("member_id", own.as_str())]).await.status(), 401);
}
