//! Self-service sign-up with the auto-link setting on "link at once": the owner opens
//! sign-ups, a person whose e-mail is on a profile signs up, proves the address with the
//! e-mailed link (opening it changes nothing), and signs in to that profile.

use crate::flow::{Session, email_number, location};
use crate::target::{OWNER_EMAIL, OWNER_PASSWORD, Target};

pub async fn a_person_signs_up_and_is_linked_by_their_email(target: &Target) {
    let kind = target.kind;
    let staff = Session::new(target);
    assert_eq!(staff.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members");
    assert_eq!(Session::new(target).get("/join/1").await.0, reqwest::StatusCode::NOT_FOUND, "{kind:?}: closed");
    let settings = [("auto_link", "always"), ("self_sign_up", "true"), ("invite_at_once", "true")];
    assert_eq!(location(&staff.change_settings(&settings).await), "/staff/settings");
    let fields = [
        ("first_name", "Sia"),
        ("last_name", "Case"),
        ("email", "sia.case@example.org"),
        ("phone", ""),
        ("address", ""),
    ];
    let profile = location(&staff.post_form("/api/add_member", "/staff/members/new", &fields).await);

    let person = Session::new(target);
    let (status, page) = person.get("/join/1").await;
    assert_eq!(status, reqwest::StatusCode::OK, "{kind:?}: {page}");
    let sent_before = target.sent_emails().await.len();
    let password = "sia's own password";
    let sign_up = [
        ("organisation_id", "1"),
        ("email", "sia.case@example.org"),
        ("password", password),
        ("confirm_password", password),
    ];
    assert_eq!(location(&person.post_form("/api/sign_up", "/join/1", &sign_up).await), "/join/sent", "{kind:?}");
    let email = email_number(target, sent_before + 1).await;
    let text = email["text"].as_str().unwrap();
    let url = text.split_whitespace().find(|w| w.contains("/join/confirm/")).expect("the confirmation link");
    let link = url.strip_prefix(&target.base_url).expect("on the public address").to_owned();
    assert!(person.get(&link).await.1.contains("Confirm my e-mail address"), "{kind:?}");
    assert!(person.get(&link).await.1.contains("sia.case@example.org"), "{kind:?}: opening twice changes nothing");

    let token = link.trim_start_matches("/join/confirm/");
    let confirmed = person.post_form("/api/confirm_sign_up", &link, &[("token", token)]).await;
    assert_eq!(location(&confirmed), "/join/confirmed?outcome=linked", "{kind:?}");
    assert_eq!(person.sign_in("sia.case@example.org", password).await, "/portal", "{kind:?}");
    assert!(person.get("/portal").await.1.contains("Sia Case"), "{kind:?}");
    assert!(staff.get(&profile).await.1.contains("Linked login: </strong>sia.case@example.org"), "{kind:?}");
    let closed = staff.change_settings(&[("auto_link", "ask"), ("self_sign_up", "")]).await;
    let (_, asked) = staff.get(&location(&closed)).await;
    assert!(asked.contains("Yes, turn sign-up off"), "{kind:?}: turning sign-up off is asked first");
    assert_eq!(Session::new(target).get("/join/1").await.0, reqwest::StatusCode::OK, "{kind:?}: still open");
    let closed =
        staff.change_settings(&[("auto_link", "ask"), ("self_sign_up", ""), ("sign_up_off_confirmed", "true")]).await;
    assert_eq!(location(&closed), "/staff/settings");
    assert_eq!(Session::new(target).get("/join/1").await.0, reqwest::StatusCode::NOT_FOUND, "{kind:?}: closed again");
}
