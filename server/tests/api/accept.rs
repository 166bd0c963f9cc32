use crate::helpers::*;

#[tokio::test]
async fn the_member_sets_a_password_and_lands_on_their_own_portal() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let (id, link) = app.invited_member("Ada", "ada.byron@example.org").await;

    let page = app.get(&browser(), &link).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Riverside Martial Arts invites you to its member portal."));
    assert!(page.body.contains("ada.byron@example.org"));
    assert_eq!(page.headers["referrer-policy"], "no-referrer");
    assert_eq!(page.headers["cache-control"], "no-store");

    let member = browser();
    let response = app.accept(&member, &link, "correct horse battery").await;
    assert_eq!(response.status(), 302);
    assert_eq!(location(&response), "/portal");
    let portal = app.get(&member, "/portal").await;
    assert_eq!(portal.status, 200);
    assert!(portal.body.contains("Ada Example") && portal.body.contains("ada.byron@example.org"));
    assert!(!portal.body.contains("Lovelace"), "no other member's profile");

    let profile = app.get(&app.staff, &format!("/staff/members/{id}")).await;
    assert!(profile.body.contains("Linked login: </strong>ada.byron@example.org"), "{}", profile.body);
    assert!(profile.body.contains("Active, last login 22 November 2026"));
    assert!(!profile.body.contains(">Invite<"), "Invite only while no login is linked");
    let list = app.get(&app.staff, "/staff/members").await;
    let row = list_row(&list.body, "Ada Example");
    assert!(row.contains("Never signed in since accepting"), "accepting signs in once: {row}");

    // Signed out and in again (an hour later), the member still sees only their own profile.
    app.post_form(&member, "/api/logout", "/portal", &[]).await;
    assert_eq!(app.get(&member, "/portal").await.status, 302);
    app.clock.advance(3600);
    let again = app.login(&member, "ada.byron@example.org", "correct horse battery").await;
    assert_eq!(location(&again), "/portal");
    assert!(app.get(&member, "/portal").await.body.contains("Ada Example"));
    let list = app.get(&app.staff, "/staff/members").await;
    assert!(list_row(&list.body, "Ada Example").contains("Portal active"), "{}", list.body);
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn opening_a_link_five_times_with_get_and_head_changes_nothing() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let (_, link) = app.invited_member("Ada", "ada.byron@example.org").await;
    let before = app.dump("SELECT * FROM invitations").await + &app.dump("SELECT * FROM users").await;
    for _ in 0..5 {
        assert_eq!(app.get(&browser(), &link).await.status, 200);
        let head = browser().head(format!("{}{link}", app.address)).send().await.unwrap();
        assert_eq!(head.status(), 200);
    }
    let after = app.dump("SELECT * FROM invitations").await + &app.dump("SELECT * FROM users").await;
    assert_eq!(before, after);
    assert_eq!(location(&app.accept(&browser(), &link, "correct horse battery").await), "/portal");
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn bogus_and_malformed_links_show_the_same_page_and_a_used_one_says_to_sign_in() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let (_, link) = app.invited_member("Ada", "ada.byron@example.org").await;
    app.accept(&browser(), &link, "correct horse battery").await;

    let used = app.get(&browser(), &link).await;
    assert_eq!(used.status, 404);
    assert!(used.body.contains("This invitation has been used"), "{}", used.body);
    assert!(used.body.contains("<a class=\"button\" href=\"/login\">Sign in</a>"));
    assert!(!used.body.contains("Send me a new link"));

    let bogus = format!("/invite/{}", "A".repeat(43));
    let pages = [app.get(&browser(), &bogus).await, app.get(&browser(), "/invite/short").await];
    for page in &pages {
        assert_eq!(page.status, 404);
        assert!(page.body.contains("This link is no longer valid"));
        assert!(page.body.contains("Otherwise ask your organisation to send you a new one."));
        assert!(page.body.contains("<a class=\"button\" href=\"/login\">Sign in</a>"), "a way on, not a dead end");
    }
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn replaying_an_accepted_link_fails_and_changes_nothing() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let (_, link) = app.invited_member("Ada", "ada.byron@example.org").await;
    assert_eq!(location(&app.accept(&browser(), &link, "correct horse battery").await), "/portal");
    let users = app.dump("SELECT * FROM users").await;
    let replay = app.accept(&browser(), &link, "another password!").await;
    assert_eq!(refusal(&replay), "InvalidLink");
    assert!(!sets_session_cookie(&replay));
    assert_eq!(app.dump("SELECT * FROM users").await, users, "the password was not replaced");
    let json = app
        .call(
            &browser(),
            "/api/accept_invitation",
            &[
                ("token", link.trim_start_matches("/invite/")),
                ("password", "x1234567"),
                ("confirm_password", "x1234567"),
            ],
        )
        .await;
    assert_eq!(json.status(), 404);
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn a_link_works_one_second_before_expiry_and_not_one_second_after() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let (_, link_a) = app.invited_member("Ada", "ada.byron@example.org").await;
    let (_, link_b) = app.invited_member("Bea", "bea@example.org").await;
    let expires_at = START + 30 * DAY;

    app.clock.set(expires_at - 1);
    assert_eq!(app.get(&browser(), &link_a).await.status, 200);
    assert_eq!(location(&app.accept(&browser(), &link_a, "correct horse battery").await), "/portal");

    app.clock.set(expires_at + 1);
    let expired = app.get(&browser(), &link_b).await;
    assert_eq!(expired.status, 404);
    assert!(expired.body.contains("This invitation has expired") && expired.body.contains(">Send me a new link<"));
    assert_eq!(refusal(&app.accept(&browser(), &link_b, "correct horse battery").await), "InvalidLink");
    app.staff_login().await; // a month later
    let list = app.get(&app.staff, "/staff/members").await;
    assert!(list_row(&list.body, "Bea Example").contains("Invitation expired"), "{}", list.body);
    assert!(list_row(&list.body, "Ada Example").contains("Never signed in since accepting"), "{}", list.body);
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn the_accept_form_ignores_any_email_or_member_it_is_sent() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let (_, link) = app.invited_member("Ada", "ada.byron@example.org").await;
    let token = link.trim_start_matches("/invite/");
    let member = browser();
    let response = app
        .post_form(
            &member,
            "/api/accept_invitation",
            &link,
            &[
                ("token", token),
                ("password", "correct horse battery"),
                ("confirm_password", "correct horse battery"),
                ("email", "attacker@example.com"),
                ("member_id", "1"),
                ("organisation_id", "2"),
            ],
        )
        .await;
    assert_eq!(location(&response), "/portal");
    assert_eq!(app.count("SELECT count(*) FROM users WHERE email = 'attacker@example.com'").await, 0);
    assert_eq!(app.count("SELECT count(*) FROM member_links WHERE member_id = 1").await, 0);
    let portal = app.get(&member, "/portal").await;
    assert!(portal.body.contains("ada.byron@example.org") && !portal.body.contains("Lovelace"));
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn a_short_or_mismatched_password_is_explained_on_the_link_page_and_nothing_is_used_up() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let (_, link) = app.invited_member("Ada", "ada.byron@example.org").await;
    let token = link.trim_start_matches("/invite/");
    let person = browser();
    let response = app
        .post_form(
            &person,
            "/api/accept_invitation",
            &link,
            &[("token", token), ("password", "short"), ("confirm_password", "other")],
        )
        .await;
    // The link page sends no Referer; the answer still comes back to it.
    let back = location(&response);
    assert!(back.starts_with(&format!("{link}?")), "{back}");
    let page = app.get(&person, &back).await;
    assert!(page.body.contains("Use at least 8 characters."));
    assert!(page.body.contains("The two passwords are not the same."));
    assert!(!back.contains("short") && !page.body.contains("value=\"short\""), "passwords are never echoed");
    assert_eq!(app.count("SELECT count(*) FROM invitations WHERE accepted_at IS NOT NULL").await, 0);
    assert_eq!(location(&app.accept(&browser(), &link, "correct horse battery").await), "/portal");
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn of_two_concurrent_accepts_exactly_one_wins() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let (_, link) = app.invited_member("Ada", "ada.byron@example.org").await;
    let (first, second) = (browser(), browser());
    let (a, b) =
        tokio::join!(app.accept(&first, &link, "first password!"), app.accept(&second, &link, "second password!"));
    let winners = [&a, &b].iter().filter(|r| location(r) == "/portal").count();
    assert_eq!(winners, 1);
    assert_eq!(app.count("SELECT count(*) FROM users WHERE email = 'ada.byron@example.org'").await, 1);
    assert_eq!(app.count("SELECT count(*) FROM member_links").await, 1);
    assert_eq!(app.count("SELECT count(*) FROM sessions WHERE user_id != 1").await, 1);
    app.assert_standings_fresh().await;
}

/// SECURITY.md rule 10: signed in as one login, a link to another's invitation is refused,
/// saying so — linking it would hand this browser the other login's profile (and, for a link
/// to an existing login, its session) without its password. Nothing is linked or signed in.
#[tokio::test]
async fn signed_in_as_someone_else_a_link_is_refused_and_links_nothing() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    // Bea has a login of her own; a second profile of hers is invited (a link for an existing login).
    let (_, bea_link) = app.invited_member("Bea", "bea@example.org").await;
    assert_eq!(location(&app.accept(&browser(), &bea_link, "bea's own password").await), "/portal");
    let (_, second_link) = app.invited_member("Bea-again", "bea@example.org").await;
    // Ada's is a plain new invitation.
    let (_, ada_link) = app.invited_member("Ada", "ada@example.org").await;
    let links_before = app.dump("SELECT * FROM member_links").await;
    let sessions_before = app.count("SELECT count(*) FROM sessions").await;
    for (endpoint, link) in [("/api/link_invitation", &second_link), ("/api/accept_invitation", &ada_link)] {
        let token = link.trim_start_matches("/invite/");
        let fields = [("token", token), ("password", ""), ("confirm_password", "")];
        let refused = app.call(&app.staff, endpoint, &fields).await;
        assert_eq!(refused.status(), 409, "{endpoint}");
        assert!(!sets_session_cookie(&refused), "{endpoint}");
        let body = refused.text().await.unwrap();
        assert!(body.contains("You are signed in as owner@example.org. Sign out first"), "{endpoint}: {body}");
        assert_eq!(app.get(&browser(), link).await.status, 200, "{endpoint}: the link still works");
    }
    assert_eq!(app.dump("SELECT * FROM member_links").await, links_before, "nothing linked");
    assert_eq!(app.count("SELECT count(*) FROM sessions").await, sessions_before, "no one signed in");
    assert_eq!(app.get(&app.staff, "/staff/members").await.status, 200, "still the owner");
}

/// Setting a password from links (each an argon2 hash) is limited per address: the 31st
/// attempt in a window is refused, whatever the link, and the window ends.
#[tokio::test]
async fn thirty_acceptances_from_one_address_a_window_at_most() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let (_, link) = app.invited_member("Ada", "ada@example.org").await;
    for attempt in 0..30 {
        let refused = app.accept(&browser(), &link, "short").await;
        assert!(location(&refused).contains("__err="), "attempt {attempt}: the password is refused");
    }
    let limited = app.accept(&browser(), &link, "a good long password").await;
    assert!(refusal(&limited).contains("TooManyAttempts"), "{}", refusal(&limited));
    assert_eq!(app.count("SELECT count(*) FROM member_links").await, 0);
    app.clock.advance(15 * 60);
    assert_eq!(location(&app.accept(&browser(), &link, "a good long password").await), "/portal");
}
