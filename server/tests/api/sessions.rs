//! Signing in again ends the previous session: see tests/scenarios/sessions.rs (both targets).

use crate::helpers::*;

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
