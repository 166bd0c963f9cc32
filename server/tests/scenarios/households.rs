//! A household: staff group a child's profile (with a parent) and a second child's, the
//! second parent added to both children as the same person, and "Invite all owners" sends
//! once to each address, reporting the others as skipped; sending the same form again lands
//! on the same round, and the parent's one acceptance opens both children's profiles.

use crate::flow::{Session, added, email_number, invitation_link, location, representative_invited};
use crate::target::{OWNER_EMAIL, OWNER_PASSWORD, Target};

pub async fn invite_all_owners_of_a_household(target: &Target) {
    let kind = target.kind;
    let staff = Session::new(target);
    assert_eq!(staff.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members");
    let (ivy, max) = (added(&staff, "Ivy").await, added(&staff, "Max").await);
    // The parent was invited on their own already: the round leaves them waiting.
    representative_invited(&staff, target, &ivy, "Ola", "ola.case@example.org").await;
    let parent = [
        ("member_id", max.trim_start_matches("/staff/members/")),
        ("first_name", "Uma"),
        ("last_name", "Case"),
        ("relation", "parent"),
        ("email", "uma.case@example.org"),
        ("primary", "true"),
    ];
    assert_eq!(location(&staff.post_form("/api/add_contact", &format!("{max}/contacts/new"), &parent).await), max);
    // Uma is Ivy's parent too: asked, then answered "the same person".
    let mut same = parent;
    same[0].1 = ivy.trim_start_matches("/staff/members/");
    let asked = location(&staff.post_form("/api/add_contact", &format!("{ivy}/contacts/new"), &same).await);
    assert!(asked.contains("__err="), "{kind:?}: {asked}");
    let (_, question) = staff.get(&asked).await;
    assert!(question.contains("Uma Case has this e-mail address on Max Case"), "{kind:?}: {question}");
    let answered: Vec<(&str, &str)> = same.iter().copied().chain([("same_person", "yes")]).collect();
    assert_eq!(location(&staff.post_form("/api/add_contact", &format!("{ivy}/contacts/new"), &answered).await), ivy);

    let created = staff.post_form("/api/create_group", "/staff/groups", &[("name", "The Case household")]).await;
    let group = location(&created);
    let group_id = group.trim_start_matches("/staff/groups/").to_owned();
    for profile in [&ivy, &max] {
        let member_id = profile.trim_start_matches("/staff/members/");
        let fields = [("group_id", group_id.as_str()), ("member_id", member_id)];
        assert_eq!(location(&staff.post_form("/api/add_to_group", profile, &fields).await), *profile, "{kind:?}");
    }
    let (_, page) = staff.get(&group).await;
    assert!(page.contains("Ivy Case") && page.contains("Uma Case") && page.contains("Invite all owners"), "{page}");
    let (_, page) = staff.get(&format!("{group}?plan=1")).await;
    assert!(page.contains("Will invite 1, skip 4.") && page.contains("Send 1 invitation"), "{kind:?}: the dry run");
    assert!(page.contains("The same person as Uma Case (for Ivy Case)"), "{kind:?}: {page}");
    let key_at = page.find("name=\"request_key\" value=\"").expect("the form's key") + 26;
    let key = page[key_at..].split('"').next().unwrap().to_owned();

    let sent_before = target.sent_emails().await.len();
    let fields = [("group_id", group_id.as_str()), ("request_key", key.as_str())];
    let report = location(&staff.post_form("/api/invite_group_owners", &group, &fields).await);
    assert!(report.starts_with("/staff/bulk-sends/"), "{kind:?}: {report}");
    let (_, page) = staff.get(&report).await;
    assert!(page.contains("Invited 1, skipped 4."), "{kind:?}: {page}");
    assert!(page.contains("Invited: Uma Case (Ivy Case), uma.case@example.org"), "{kind:?}: {page}");
    assert!(page.contains("less than 24 hours ago"), "{kind:?}: Ola");
    let again = staff.post_form("/api/invite_group_owners", &group, &fields).await;
    assert_eq!(location(&again), report, "{kind:?}: the same round");
    let email = email_number(target, sent_before + 1).await;
    assert_eq!(email["to"], serde_json::json!(["uma.case@example.org"]), "{kind:?}");
    let text = email["text"].as_str().unwrap();
    assert!(text.contains("Ivy Case and Max Case") || text.contains("Max Case and Ivy Case"), "{kind:?}: {text}");

    // One acceptance, both children's profiles.
    let uma = Session::new(target);
    let link = invitation_link(target, &email);
    let token = link.trim_start_matches("/invite/");
    let password = "uma's own password";
    let accept = [("token", token), ("password", password), ("confirm_password", password)];
    assert_eq!(location(&uma.post_form("/api/accept_invitation", &link, &accept).await), "/portal", "{kind:?}");
    let (_, portal) = uma.get("/portal").await;
    assert!(portal.contains("Ivy Case") && portal.contains("Max Case"), "{kind:?}: {portal}");
}
