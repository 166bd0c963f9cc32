//! Rate limits hold on both targets (counted in the database): after ten wrong passwords for
//! a login in a window, a browser that never signed in as it is refused even with the right
//! password, and the page says when to try again — while the member's own phone, which
//! signed in before (its device cookie), still signs in.

use crate::flow::{Session, invited, location};
use crate::target::{OWNER_EMAIL, OWNER_PASSWORD, Target};

pub async fn a_flood_locks_unknown_browsers_out_of_an_account_but_not_its_own(target: &Target) {
    let kind = target.kind;
    let staff = Session::new(target);
    assert_eq!(staff.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members", "{kind:?}");
    let (email, password) = ("flooded@example.org", "the member's own password");
    let (_, link) = invited(&staff, target, "Flo", email).await;
    let phone = Session::new(target);
    let token = link.trim_start_matches("/invite/");
    let accept = [("token", token), ("password", password), ("confirm_password", password)];
    assert_eq!(location(&phone.post_form("/api/accept_invitation", &link, &accept).await), "/portal", "{kind:?}");
    // Signed in again once with the password: the phone is known for this login.
    assert_eq!(location(&phone.post_form("/api/logout", "/portal", &[]).await), "/login", "{kind:?}");
    assert_eq!(phone.sign_in(email, password).await, "/portal", "{kind:?}");
    assert_eq!(location(&phone.post_form("/api/logout", "/portal", &[]).await), "/login", "{kind:?}");

    let guesser = Session::new(target);
    for _ in 0..10 {
        let back = guesser.sign_in(email, "a wrong guess").await;
        let (_, page) = guesser.get(&back).await;
        assert!(page.contains("The e-mail address or password is not right."), "{kind:?}: {page}");
    }
    let stranger = Session::new(target);
    let back = stranger.sign_in(&email.to_uppercase(), password).await;
    let (_, page) = stranger.get(&back).await;
    assert!(page.contains("Too many attempts. Please try again in "), "{kind:?}: {page}");
    assert_eq!(phone.sign_in(email, password).await, "/portal", "{kind:?}: the member's own phone");
    let (status, _) = phone.get("/portal").await;
    assert_eq!(status, reqwest::StatusCode::OK, "{kind:?}: signed in, not sent to /login");
}
