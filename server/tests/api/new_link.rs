//! "Send me a new link": the page of an expired invitation link asks for a fresh one, which
//! goes to the address the invitation was sent to — never one the request names — once per
//! expired link, under the per-address limits; used links send the person to sign in.

use portico_app::domain::dates::DAY;

use crate::helpers::*;

const EXPIRED: i64 = START + 30 * DAY + 1;

fn token(link: &str) -> &str {
    link.trim_start_matches("/invite/")
}

async fn ask_for_new_link(app: &TestApp, link: &str, extra: &[(&str, &str)]) -> reqwest::Response {
    let mut fields = vec![("token", token(link))];
    fields.extend_from_slice(extra);
    app.post_form(&browser(), "/api/request_new_link", link, &fields).await
}

#[tokio::test]
async fn an_expired_link_sends_a_new_one_to_the_address_it_went_to() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let (member_id, link) = app.invited_member("Ada", "ada@example.org").await;
    app.clock.set(EXPIRED);

    let page = app.get(&browser(), &link).await;
    assert_eq!(page.status, 404, "the link itself opens nothing");
    assert!(page.body.contains("This invitation has expired"), "{}", page.body);
    assert!(page.body.contains(">Send me a new link<"));
    assert!(page.body.contains("Riverside Martial Arts"));

    // An attacker's address posted beside the token is never read.
    let asked = ask_for_new_link(&app, &link, &[("email", "eve@example.net"), ("to", "eve@example.net")]).await;
    assert_eq!(location(&asked), "/new-link");
    assert!(app.get(&browser(), "/new-link").await.body.contains("a new link is on its way"));
    app.dispatch_pending_emails().await;
    let sent = app.sent_emails().await;
    assert_eq!(sent.len(), 2, "the invitation, then its renewal");
    assert_eq!(sent[1]["to"][0], "ada@example.org");
    assert!(!sent.iter().any(|m| m.to_string().contains("eve@example.net")));
    let renewed = invitation_link(&sent[1]);
    assert_ne!(renewed, link);

    assert!(app.get(&browser(), &renewed).await.body.contains("Choose a password"), "the new link works");
    assert!(app.get(&browser(), &link).await.body.contains("This link is no longer valid"), "the old one is spent");
    // Asked again with the old link, at once or later: the same answer, nothing sent.
    assert_eq!(location(&ask_for_new_link(&app, &link, &[]).await), "/new-link");
    app.clock.advance(2 * DAY);
    assert_eq!(location(&ask_for_new_link(&app, &link, &[]).await), "/new-link");
    assert_eq!(app.count("SELECT count(*) FROM invitations").await, 2);
    assert_eq!(app.count("SELECT count(*) FROM outbox").await, 2);

    app.staff_login().await;
    let profile = app.get(&app.staff, &format!("/staff/members/{member_id}")).await.body;
    assert!(
        profile.contains(
            "Ada Example asked for a new link from their expired invitation; it was sent to ada@example.org."
        ),
        "{profile}"
    );
    let member = browser();
    assert_eq!(location(&app.accept(&member, &renewed, "correct horse battery").await), "/portal");
    let used = app.get(&browser(), &renewed).await;
    assert!(used.body.contains("This invitation has been used") && used.body.contains(">Sign in<"), "{}", used.body);
    assert_eq!(location(&ask_for_new_link(&app, &renewed, &[]).await), "/new-link");
    assert_eq!(app.count("SELECT count(*) FROM invitations").await, 2, "a used link is not renewed");
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn only_an_expired_link_still_the_persons_latest_is_renewed() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let (_, live) = app.invited_member("Live", "live@example.org").await;
    let (revoked_id, revoked) = app.invited_member("Rev", "rev@example.org").await;
    let (_, declined) = app.invited_member("Dec", "dec@example.org").await;
    let (archived_id, archived) = app.invited_member("Arc", "arc@example.org").await;
    let (resent_id, superseded) = app.invited_member("Res", "res@example.org").await;

    // A live link is not renewed: it still works, as it was.
    assert_eq!(location(&ask_for_new_link(&app, &live, &[]).await), "/new-link");
    assert!(app.get(&browser(), &live).await.body.contains("Choose a password"));

    let contact = app.self_contact(revoked_id).await.to_string();
    app.post_form(&app.staff, "/api/revoke_invitation", "/staff/members", &[("contact_id", &contact)]).await;
    app.post_form(&browser(), "/api/decline_invitation", &declined, &[("token", token(&declined))]).await;
    app.post_form(&app.staff, "/api/archive_member", "/staff/members", &[("member_id", &archived_id.to_string())])
        .await;
    let resent_contact = app.self_contact(resent_id).await.to_string();
    let resent =
        app.post_form(&app.staff, "/api/resend_invitation", "/staff/members", &[("contact_id", &resent_contact)]).await;
    assert_eq!(resent.status(), 302);
    let invitations = app.count("SELECT count(*) FROM invitations").await;
    assert_eq!(invitations, 6);

    app.clock.set(EXPIRED + 10 * DAY);
    for (what, link) in
        [("revoked", &revoked), ("declined", &declined), ("archived", &archived), ("replaced", &superseded)]
    {
        let page = app.get(&browser(), link).await;
        assert!(page.body.contains("This link is no longer valid"), "{what}: {}", page.body);
        assert!(!page.body.contains("Send me a new link"), "{what}");
        assert_eq!(location(&ask_for_new_link(&app, link, &[]).await), "/new-link", "{what}");
    }
    for garbage in ["/invite/not-a-token", "/invite/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"] {
        assert_eq!(location(&ask_for_new_link(&app, garbage, &[]).await), "/new-link");
    }
    assert_eq!(app.count("SELECT count(*) FROM invitations").await, invitations, "nothing renewed");
    assert_eq!(app.count("SELECT count(*) FROM events WHERE kind = 'link_requested'").await, 0);
}

#[tokio::test]
async fn two_requests_at_once_with_one_expired_link_send_one_new_link() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let (_, link) = app.invited_member("Ada", "ada@example.org").await;
    app.clock.set(EXPIRED);
    let (first, second) = tokio::join!(ask_for_new_link(&app, &link, &[]), ask_for_new_link(&app, &link, &[]));
    assert_eq!((location(&first), location(&second)), ("/new-link".to_owned(), "/new-link".to_owned()));
    assert_eq!(app.count("SELECT count(*) FROM invitations").await, 2);
    assert_eq!(app.count("SELECT count(*) FROM outbox").await, 2);
    assert_eq!(app.count("SELECT count(*) FROM events WHERE kind = 'link_requested'").await, 1);
}

#[tokio::test]
async fn asking_for_new_links_is_limited_per_client_address() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let (_, link) = app.invited_member("Ada", "ada@example.org").await;
    app.clock.set(EXPIRED);
    for _ in 0..10 {
        assert_eq!(location(&ask_for_new_link(&app, "/invite/not-a-token", &[]).await), "/new-link");
    }
    // The eleventh from this address is refused, saying when to try again, and sends nothing.
    let refused = app.call(&browser(), "/api/request_new_link", &[("token", token(&link))]).await;
    assert_eq!(refused.status(), 429);
    assert!(refused.text().await.unwrap().contains("minutes"));
    let back = ask_for_new_link(&app, &link, &[]).await;
    assert!(location(&back).starts_with(&link), "back to the link's page with the reason: {}", location(&back));
    assert_eq!(app.count("SELECT count(*) FROM invitations").await, 1);
    // A quarter of an hour later it goes through.
    app.clock.advance(15 * 60);
    assert_eq!(location(&ask_for_new_link(&app, &link, &[]).await), "/new-link");
    assert_eq!(app.count("SELECT count(*) FROM invitations").await, 2);
}
