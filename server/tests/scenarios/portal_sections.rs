//! The portal's sections on both targets: staff add a membership, a booking and a shared
//! file to a member's profile; the member sees them and downloads the file byte for byte;
//! with files switched off in the settings, the member sees no files and the link is dead.

use crate::flow::{Session, invited, location};
use crate::target::{OWNER_EMAIL, OWNER_PASSWORD, Target};

pub async fn the_member_sees_what_staff_keep_for_them_while_it_is_shown(target: &Target) {
    let kind = target.kind;
    let staff = Session::new(target);
    assert_eq!(staff.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members");
    let all_shown = [("bookings_shown", "true"), ("files_shown", "true")];
    assert_eq!(location(&staff.change_settings(&all_shown).await), "/staff/settings");
    let (profile, link) = invited(&staff, target, "Una", "una@example.org").await;
    let member_id = profile.trim_start_matches("/staff/members/");
    let una = Session::new(target);
    let token = link.trim_start_matches("/invite/");
    let accept = [("token", token), ("password", "una's own password"), ("confirm_password", "una's own password")];
    assert_eq!(location(&una.post_form("/api/accept_invitation", &link, &accept).await), "/portal", "{kind:?}");

    let membership = [("member_id", member_id), ("programme", "Karate"), ("level", "Blue belt")];
    assert_eq!(location(&staff.post_form("/api/add_membership", &profile, &membership).await), profile, "{kind:?}");
    let booking =
        [("member_id", member_id), ("title", "Grading"), ("starts", "2099-01-15T17:30"), ("place", "Main hall")];
    assert_eq!(location(&staff.post_form("/api/add_booking", &profile, &booking).await), profile, "{kind:?}");
    // Every byte value, so nothing on the way may treat the file as text; as large as a file
    // may be, so D1 is shown to keep it.
    let content: Vec<u8> = (0..=255u8).cycle().take(1 << 20).collect();
    assert_eq!(
        location(&staff.upload(member_id, "Blue belt certificate.pdf", &content, true).await),
        profile,
        "{kind:?}"
    );
    let refused = staff.upload(member_id, "empty.pdf", b"", true).await;
    let (_, page) = staff.get(&location(&refused)).await;
    assert!(page.contains("That file is empty."), "{kind:?}: {page}");

    let (_, portal) = una.get("/portal").await;
    for shown in ["Karate: Blue belt", "Grading, 15 January 2099, 17:30, Main hall", "Blue belt certificate.pdf"] {
        assert!(portal.contains(shown), "{kind:?}: the portal lacks {shown}: {portal}");
    }
    assert!(!portal.contains("empty.pdf"), "{kind:?}");
    let file = portal.split("href=\"/files/").nth(1).and_then(|rest| rest.split('"').next()).expect("a file link");
    let (status, disposition, bytes) = una.download(&format!("/files/{file}")).await;
    assert_eq!(status, 200, "{kind:?}");
    assert!(disposition.starts_with("attachment; filename=\"Blue belt certificate.pdf\""), "{kind:?}: {disposition}");
    assert!(bytes == content, "{kind:?}: the file came back changed ({} bytes)", bytes.len());

    staff.change_settings(&[("files_shown", "")]).await;
    let (_, portal) = una.get("/portal").await;
    assert!(portal.contains("Grading") && !portal.contains("Blue belt certificate.pdf"), "{kind:?}: {portal}");
    assert_eq!(una.download(&format!("/files/{file}")).await.0, 404, "{kind:?}");
    assert_eq!(staff.download(&format!("/files/{file}")).await.0, 200, "{kind:?}: staff keep it");
    staff.change_settings(&all_shown).await;
}
