//! Declining the portal: the member from the invitation page (a POST: opening the link
//! never declines it), or staff recording what the member told them, with a reason. Staff
//! then see "Declined on <date>", Resend is refused, and inviting again is a recorded
//! "Reinvite".

use crate::helpers::*;

#[tokio::test]
async fn a_member_declines_from_the_invitation_page_and_staff_can_reinvite() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let (id, link) = app.invited_member("Dana", "dana@example.org").await;
    let token = link.trim_start_matches("/invite/");

    // Opening the link (GET, HEAD) shows the choice and declines nothing.
    let page = app.get(&browser(), &link).await;
    assert!(
        page.body.contains("No thanks, I don&#x27;t want portal access")
            || page.body.contains("No thanks, I don't want portal access")
    );
    assert_eq!(browser().head(format!("{}{link}", app.address)).send().await.unwrap().status(), 200);
    assert_eq!(app.count("SELECT count(*) FROM invitations WHERE declined_at IS NOT NULL").await, 0);

    let member = browser();
    let declined = app.post_form(&member, "/api/decline_invitation", &link, &[("token", token)]).await;
    assert_eq!(location(&declined), "/declined");
    assert!(app.get(&member, "/declined").await.body.contains("You declined the invitation"));
    assert_eq!(
        app.count("SELECT count(*) FROM invitations WHERE declined_at IS NOT NULL AND declined_by IS NULL").await,
        1
    );
    assert_eq!(app.count("SELECT count(*) FROM users WHERE email = 'dana@example.org'").await, 0, "no login made");
    assert!(app.get(&member, &link).await.body.contains("This link is no longer valid"), "the link is used up");
    let twice = app.post_form(&member, "/api/decline_invitation", &link, &[("token", token)]).await;
    assert!(location(&twice).contains("__err"), "a used link cannot decline again: {}", location(&twice));
    let accept = app.accept(&browser(), &link, "a password after declining").await;
    assert_eq!(refusal(&accept), "InvalidLink");

    let profile = app.get(&app.staff, &format!("/staff/members/{id}")).await;
    assert!(profile.body.contains("Declined on") && profile.body.contains("Declined from the invitation page"));
    assert!(profile.body.contains(">Reinvite<"), "{}", profile.body);
    let id_text = app.self_contact(id).await.to_string();
    let resend = app.call(&app.staff, "/api/resend_invitation", &[("contact_id", id_text.as_str())]).await;
    assert_eq!(resend.status(), 409);
    assert!(resend.text().await.unwrap().contains("To ask again, use Reinvite."));

    // Reinvite: a new link, recorded as sent again after the decline, which works.
    assert_eq!(location(&app.invite(id, "dana@example.org", "").await), format!("/staff/members/{id}"));
    assert_eq!(app.count("SELECT count(*) FROM invitations WHERE reinvite = 1").await, 1);
    let profile = app.get(&app.staff, &format!("/staff/members/{id}")).await;
    assert!(profile.body.contains("Sent again after they had declined."), "{}", profile.body);
    app.dispatch_pending_emails().await;
    let again = app.invitation_links().await.pop().unwrap();
    assert_ne!(again, link);
    assert_eq!(location(&app.accept(&browser(), &again, "dana's own password").await), "/portal");
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn staff_record_a_decline_with_a_reason_only_for_a_pending_invitation_they_can_see() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let (id, link) = app.invited_member("Ravi", "ravi@example.org").await;
    let id_text = app.self_contact(id).await.to_string();
    let profile_path = format!("/staff/members/{id}");

    let long = "x".repeat(1001);
    let refused = app
        .post_form(&app.staff, "/api/record_decline", &profile_path, &[("contact_id", &id_text), ("reason", &long)])
        .await;
    let back = app.get(&app.staff, location(&refused).trim_start_matches(&app.address)).await;
    assert!(back.body.contains("too long"), "{}", back.body);
    assert_eq!(app.count("SELECT count(*) FROM invitations WHERE declined_at IS NOT NULL").await, 0);

    app.add_staff_login("other@example.org", "other-org-password", "Other Practice", true).await;
    let other = browser();
    app.login(&other, "other@example.org", "other-org-password").await;
    let foreign = app.call(&other, "/api/record_decline", &[("contact_id", &id_text), ("reason", "")]).await;
    assert_eq!(foreign.status(), 404);

    let reason = [("contact_id", id_text.as_str()), ("reason", "Prefers paper statements")];
    let recorded = app.post_form(&app.staff, "/api/record_decline", &profile_path, &reason).await;
    assert_eq!(location(&recorded), profile_path);
    let profile = app.get(&app.staff, &profile_path).await;
    assert!(profile.body.contains("Declined on") && profile.body.contains("Reason: Prefers paper statements"));
    assert!(app.get(&browser(), &link).await.body.contains("This link is no longer valid"));
    let again = app.call(&app.staff, "/api/record_decline", &[("contact_id", &id_text), ("reason", "")]).await;
    assert_eq!(again.status(), 409, "nothing pending to decline");
    app.assert_standings_fresh().await;
}
