//! One login, several profiles: a parent, added as the representative of two children and
//! invited at once for each, accepts the first link with a new password and adds the
//! second to the same login while signed in, with no second password; the portal then
//! switches between exactly those two profiles.

use reqwest::StatusCode;

use crate::flow::{Session, added, location, representative_invited};
use crate::target::{OWNER_EMAIL, OWNER_PASSWORD, Target};

pub async fn a_parent_accepts_for_two_children_and_switches_between_them(target: &Target) {
    let kind = target.kind;
    let staff = Session::new(target);
    assert_eq!(staff.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members");
    let parent_email = "parent.case@example.org";
    let (mia, leo) = (added(&staff, "Mia").await, added(&staff, "Leo").await);
    let (_, first_link) = representative_invited(&staff, target, &mia, "Pat", parent_email).await;
    let (_, second_link) = representative_invited(&staff, target, &leo, "Pat", parent_email).await;
    let id = |profile: &str| profile.trim_start_matches("/staff/members/").to_owned();
    let (mia, leo) = (id(&mia), id(&leo));

    let parent = Session::new(target);
    let password = "the parent's own password";
    let token = first_link.trim_start_matches("/invite/");
    let accept = [("token", token), ("password", password), ("confirm_password", password)];
    assert_eq!(location(&parent.post_form("/api/accept_invitation", &first_link, &accept).await), "/portal");
    let (_, portal) = parent.get("/portal").await;
    assert!(portal.contains("Mia Case") && !portal.contains("Your profiles"), "{kind:?}: one profile, no switcher");

    // Signed in as the invitee, the second link adds Leo without asking for the password.
    let (_, page) = parent.get(&second_link).await;
    assert!(
        page.contains("Add Leo Case&#x27;s profile") || page.contains("Add Leo Case's profile"),
        "{kind:?}: {page}"
    );
    assert!(!page.contains("name=\"password\""), "{kind:?}: no password asked");
    let token = second_link.trim_start_matches("/invite/");
    let linked = parent.post_form("/api/link_invitation", &second_link, &[("token", token)]).await;
    assert_eq!(location(&linked), "/portal", "{kind:?}");

    let (_, portal) = parent.get("/portal").await;
    assert!(portal.contains("Your profiles"), "{kind:?}: the switcher: {portal}");
    for (chosen, shown, hidden) in [(&mia, "Mia Case", "Leo Case</h1>"), (&leo, "Leo Case", "Mia Case</h1>")] {
        let (status, page) = parent.get(&format!("/portal?profile={chosen}")).await;
        assert_eq!(status, StatusCode::OK, "{kind:?}: profile {chosen}");
        assert!(page.contains(&format!("{shown}</h1>")) && !page.contains(hidden), "{kind:?}: {page}");
    }
    // Only those two: another member's id, or no number at all, is not found.
    for other in ["1", "abc", "-1"] {
        let (status, _) = parent.get(&format!("/portal?profile={other}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{kind:?}: /portal?profile={other}");
    }
    // One login: signed out, the parent signs in once and sees both.
    assert_eq!(location(&parent.post_form("/api/logout", "/portal", &[]).await), "/login");
    assert_eq!(parent.sign_in(parent_email, password).await, "/portal");
    assert!(parent.get(&format!("/portal?profile={leo}")).await.1.contains("Leo Case</h1>"), "{kind:?}");
}
