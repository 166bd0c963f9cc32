//! A household: staff group a child's profile (with a parent) and a second child's, and
//! "Invite all owners" sends once to each primary contact with an e-mail, reporting the
//! others as skipped; sending the same form again lands on the same round.

use crate::flow::{Session, added, email_number, location, representative_invited};
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
    assert!(page.contains("Will invite 1, skip 3.") && page.contains("Send 1 invitation"), "{kind:?}: the dry run");
    let key_at = page.find("name=\"request_key\" value=\"").expect("the form's key") + 26;
    let key = page[key_at..].split('"').next().unwrap().to_owned();

    let sent_before = target.sent_emails().await.len();
    let fields = [("group_id", group_id.as_str()), ("request_key", key.as_str())];
    let report = location(&staff.post_form("/api/invite_group_owners", &group, &fields).await);
    assert!(report.starts_with("/staff/bulk-sends/"), "{kind:?}: {report}");
    let (_, page) = staff.get(&report).await;
    assert!(page.contains("Invited 1, skipped 3."), "{kind:?}: {page}");
    assert!(page.contains("Invited: Uma Case (Max Case), uma.case@example.org"), "{kind:?}: {page}");
    assert!(page.contains("less than 24 hours ago"), "{kind:?}: Ola");
    let again = staff.post_form("/api/invite_group_owners", &group, &fields).await;
    assert_eq!(location(&again), report, "{kind:?}: the same round");
    let email = email_number(target, sent_before + 1).await;
    assert_eq!(email["to"], serde_json::json!(["uma.case@example.org"]), "{kind:?}");
    assert!(email["text"].as_str().unwrap().contains("Max Case's profile"), "{kind:?}");
}
