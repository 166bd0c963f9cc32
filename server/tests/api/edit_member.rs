//! Correcting a member's details. A new e-mail address revokes the pending invitation in
//! the same batch (SECURITY.md rule 6): the old link dies, and the profile says why and
//! offers a new invitation to the new address. Bad input changes nothing.

use crate::helpers::*;

pub const MEMBERS_AND_CONTACTS: &str = "SELECT * FROM members JOIN contacts ON contacts.member_id = members.id";

fn fields<'a>(id: &'a str, email: &'a str) -> [(&'static str, &'a str); 6] {
    [
        ("member_id", id),
        ("first_name", "Ada"),
        ("last_name", "King"),
        ("email", email),
        ("phone", "+44 20 7946 0001"),
        ("address", "Ockham Park"),
    ]
}

#[tokio::test]
async fn a_new_email_revokes_the_pending_invitation_and_the_profile_offers_a_new_one() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let (id, old_link) = app.invited_member("Ada", "ada.old@example.org").await;
    let id_text = id.to_string();
    let profile_path = format!("/staff/members/{id}");
    let edit_page = format!("{profile_path}/edit");
    assert!(app.get(&app.staff, &edit_page).await.body.contains("value=\"ada.old@example.org\""));

    let before = app.dump(MEMBERS_AND_CONTACTS).await;
    let refused =
        app.post_form(&app.staff, "/api/update_member", &edit_page, &fields(&id_text, "not an address")).await;
    let back = app.get(&app.staff, location(&refused).trim_start_matches(&app.address)).await;
    assert!(back.body.contains("not an address"), "what was typed comes back");
    assert_eq!(app.dump(MEMBERS_AND_CONTACTS).await, before, "nothing changed");
    assert!(app.get(&browser(), &old_link).await.body.contains("Choose a password"), "the link still works");

    // Same address, other details: the invitation stays.
    let same =
        app.post_form(&app.staff, "/api/update_member", &edit_page, &fields(&id_text, "ada.old@example.org")).await;
    assert_eq!(location(&same), profile_path);
    assert_eq!(app.count("SELECT count(*) FROM invitations WHERE revoked_at IS NULL").await, 1);

    let moved =
        app.post_form(&app.staff, "/api/update_member", &edit_page, &fields(&id_text, "ada.new@example.org")).await;
    assert_eq!(location(&moved), profile_path);
    assert_eq!(
        app.count(
            "SELECT count(*) FROM members m JOIN contacts c ON c.member_id = m.id AND c.is_self = 1
             WHERE c.email = 'ada.new@example.org' AND m.last_name = 'King'"
        )
        .await,
        1
    );
    assert_eq!(app.count("SELECT count(*) FROM invitations WHERE revoked_because = 'email_changed'").await, 1);
    assert!(app.get(&browser(), &old_link).await.body.contains("This link is no longer valid"), "the old link died");
    let profile = app.get(&app.staff, &profile_path).await;
    assert!(profile.body.contains("e-mail address changed, so this link was revoked"), "{}", profile.body);
    assert!(profile.body.contains(">Send a new invitation to the new address<"), "{}", profile.body);
    let contact = app.self_contact(id).await;
    let invite_page = app.get(&app.staff, &format!("{profile_path}/contacts/{contact}/invite")).await;
    assert!(invite_page.body.contains("value=\"ada.new@example.org\""), "the new address is offered");
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn only_staff_who_can_see_a_member_can_change_it() {
    let app = spawn_app().await;
    app.staff_login().await;
    let id = app.add_member("Ada", "Lovelace", "ada@example.org").await;
    let id_text = id.to_string();
    app.add_staff_login("other@example.org", "other-org-password", "Other Practice", true).await;
    let other = browser();
    app.login(&other, "other@example.org", "other-org-password").await;
    let before = app.dump(MEMBERS_AND_CONTACTS).await;
    let foreign = app.call(&other, "/api/update_member", &fields(&id_text, "taken@example.org")).await;
    assert_eq!(foreign.status(), 404);
    assert_eq!(app.get(&other, &format!("/staff/members/{id}/edit")).await.status, 404);
    let member = browser();
    let unknown = app.call(&member, "/api/update_member", &fields(&id_text, "taken@example.org")).await;
    assert_eq!(unknown.status(), 401);
    assert_eq!(app.dump(MEMBERS_AND_CONTACTS).await, before);
    app.assert_standings_fresh().await;
}

/// A young child is not a primary contact of their own profile: unticking it leaves them
/// out of rounds sent to many; ticking it again brings them back.
#[tokio::test]
async fn the_member_themself_may_be_made_a_primary_contact_or_not() {
    let app = spawn_app().await;
    app.staff_login().await;
    let id = app.add_member("Ada", "Lovelace", "ada@example.org").await;
    let id_text = id.to_string();
    let primary = "SELECT is_primary FROM contacts WHERE is_self = 1 ORDER BY id DESC LIMIT 1";
    assert_eq!(app.count(primary).await, 1, "a new member is a primary contact");
    let edit_page = format!("/staff/members/{id}/edit");
    assert!(app.get(&app.staff, &edit_page).await.body.contains("name=\"primary\" value=\"true\" checked"));
    app.post_form(&app.staff, "/api/update_member", &edit_page, &fields(&id_text, "ada@example.org")).await;
    assert_eq!(app.count(primary).await, 0);
    let mut ticked = fields(&id_text, "ada@example.org").to_vec();
    ticked.push(("primary", "true"));
    app.post_form(&app.staff, "/api/update_member", &edit_page, &ticked).await;
    assert_eq!(app.count(primary).await, 1);
    app.assert_standings_fresh().await;
}
