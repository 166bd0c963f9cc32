//! The member list at work, on both targets: a search that finds people by a name without
//! its accents, a filter, a dry run for everyone the search finds, the round sent twice at
//! once (a double click) landing once, its kept report, and the CSV of the same search.

use crate::flow::{Session, location};
use crate::target::{OWNER_EMAIL, OWNER_PASSWORD, Target};

pub async fn staff_search_then_invite_everyone_found_once(target: &Target) {
    let kind = target.kind;
    let staff = Session::new(target);
    assert_eq!(staff.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members");
    for (first, email) in [("Zoë", "zoe.roundtrip@example.org"), ("Zeno", "zeno.roundtrip@example.org")] {
        let fields =
            [("first_name", first), ("last_name", "Roundtrip"), ("email", email), ("phone", ""), ("address", "")];
        let added = staff.post_form("/api/add_member", "/staff/members/new", &fields).await;
        // Where a browser goes next, and where "… added." is said.
        assert!(staff.get(&location(&added)).await.1.contains(&format!("{first} Roundtrip added.")), "{kind:?}");
    }
    let (_, found) = staff.get("/staff/members?q=zoe%20round").await;
    assert!(found.contains("Zoë Roundtrip") && !found.contains("Zeno Roundtrip"), "{kind:?}: {found}");
    let (_, found) = staff.get("/staff/members?q=roundtrip&status=not-invited").await;
    assert!(found.contains("2 members found.") && found.contains("Not invited (2)"), "{kind:?}: {found}");

    let (_, dry) = staff.get("/staff/invite-round?q=roundtrip").await;
    assert!(dry.contains("Will invite 2, skip 0.") && dry.contains("Send 2 invitations"), "{kind:?}: {dry}");
    let key_at = dry.find("name=\"request_key\" value=\"").expect("the form's key") + 26;
    let key = dry[key_at..].split('"').next().unwrap().to_owned();
    let sent_before = target.sent_emails().await.len();
    let fields = [("request_key", key.as_str()), ("q", "roundtrip")];
    let (first, second) = tokio::join!(
        staff.post_form("/api/send_round", "/staff/invite-round?q=roundtrip", &fields),
        staff.post_form("/api/send_round", "/staff/invite-round?q=roundtrip", &fields)
    );
    let report = location(&first);
    assert!(report.starts_with("/staff/bulk-sends/"), "{kind:?}: {report}");
    assert_eq!(location(&second), report, "{kind:?}: a double click is one round");
    let (_, page) = staff.get(&report).await;
    assert!(page.contains("Invited 2, skipped 0."), "{kind:?}: {page}");
    // The outbox sends after the answer: wait for two e-mails, then a moment for any third.
    for _ in 0..100 {
        if target.sent_emails().await.len() >= sent_before + 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(target.sent_emails().await.len(), sent_before + 2, "{kind:?}: each invited once");

    let (status, csv) = staff.get("/staff/members/export?q=roundtrip").await;
    assert_eq!(status, 200, "{kind:?}");
    assert!(csv.starts_with('\u{FEFF}'), "{kind:?}: a byte-order mark");
    assert_eq!(csv.matches("Roundtrip,\"Invited, waiting\"").count(), 2, "{kind:?}: {csv}");
}

/// A round of more people than one batch of the e-mail API takes: sent in batches of at most
/// 100 (on the Worker, within an invocation's subrequests, by the task after the answer),
/// each person once.
pub async fn a_round_larger_than_a_batch_reaches_everyone_once(target: &Target) {
    let kind = target.kind;
    let staff = Session::new(target);
    assert_eq!(staff.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members");
    let people = 120;
    for n in 0..people {
        let (last, email) = (format!("Batchmate{n:03}"), format!("batchmate{n}@example.org"));
        let fields = [("first_name", "Bea"), ("last_name", &last), ("email", &email), ("phone", ""), ("address", "")];
        staff.post_form("/api/add_member", "/staff/members/new", &fields).await;
    }
    let (_, dry) = staff.get("/staff/invite-round?q=batchmate").await;
    assert!(dry.contains(&format!("Will invite {people}, skip 0.")), "{kind:?}: {dry}");
    let key_at = dry.find("name=\"request_key\" value=\"").expect("the form's key") + 26;
    let key = dry[key_at..].split('"').next().unwrap().to_owned();
    let fields = [("request_key", key.as_str()), ("q", "batchmate")];
    let report = location(&staff.post_form("/api/send_round", "/staff/invite-round?q=batchmate", &fields).await);
    assert!(report.starts_with("/staff/bulk-sends/"), "{kind:?}: {report}");
    let batchmates = |emails: &[serde_json::Value]| {
        let mut to: Vec<String> =
            emails.iter().map(|e| e["to"][0].to_string()).filter(|t| t.contains("batch")).collect();
        to.sort();
        to
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
    while batchmates(&target.sent_emails().await).len() < people && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let mut to = batchmates(&target.sent_emails().await);
    assert_eq!(to.len(), people, "{kind:?}: everyone, once");
    to.dedup();
    assert_eq!(to.len(), people, "{kind:?}: no one twice");
    let (_, page) = staff.get(&report).await;
    assert!(page.contains(&format!("Invited {people}, skipped 0.")), "{kind:?}: {page}");
}

/// Rounds planned at the same moment (two staff, or two tabs: each its own dry run and key)
/// and sent at once: the rule "invited less than 24 hours ago" lives in the invitation's own
/// write, so with 2, 4 or 8 rounds at once each person still gets one invitation and one
/// e-mail, and the rounds' reports add up to everyone once.
pub async fn rounds_sent_at_the_same_moment_invite_each_person_once(target: &Target) {
    let kind = target.kind;
    let staff = Session::new(target);
    assert_eq!(staff.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members");
    let people = 6;
    for rounds in [2, 4, 8] {
        let name = format!("Samemoment{rounds}");
        let search = format!("/staff/invite-round?q={name}");
        for n in 0..people {
            let email = format!("same.moment.{rounds}.{n}@example.org");
            let fields =
                [("first_name", "Sam"), ("last_name", &name), ("email", &email), ("phone", ""), ("address", "")];
            staff.post_form("/api/add_member", "/staff/members/new", &fields).await;
        }
        let mut keys = Vec::new();
        for _ in 0..rounds {
            let (_, dry) = staff.get(&search).await;
            assert!(dry.contains(&format!("Will invite {people}, skip 0.")), "{kind:?}: {dry}");
            let key_at = dry.find("name=\"request_key\" value=\"").expect("the form's key") + 26;
            keys.push(dry[key_at..].split('"').next().unwrap().to_owned());
        }
        let sends = keys.iter().map(|key| {
            let fields = [("request_key", key.clone()), ("q", name.clone())];
            let staff = &staff;
            let search = &search;
            async move {
                let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let response = staff.post_form("/api/send_round", search, &fields).await;
                let status = response.status();
                (location(&response), status)
            }
        });
        let reports = futures::future::join_all(sends).await;
        let mut invited = 0;
        for (report, status) in &reports {
            assert!(report.starts_with("/staff/bulk-sends/"), "{kind:?}: {status}, not the round's page");
            let (status, page) = staff.get(report).await;
            let headline = page.split("Invited ").nth(1).and_then(|rest| rest.split(',').next()).unwrap_or_default();
            invited += headline.parse::<usize>().unwrap_or_else(|_| panic!("{kind:?}: {status} from {report}: {page}"));
        }
        assert_eq!(invited, people, "{kind:?}, {rounds} rounds: everyone invited by one round");
        let ours = |emails: &[serde_json::Value]| {
            let prefix = format!("same.moment.{rounds}.");
            let mut to: Vec<String> =
                emails.iter().map(|e| e["to"][0].to_string()).filter(|t| t.contains(&prefix)).collect();
            to.sort();
            to
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while ours(&target.sent_emails().await).len() < people && std::time::Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
        let mut to = ours(&target.sent_emails().await);
        assert_eq!(to.len(), people, "{kind:?}, {rounds} rounds: one e-mail each: {to:?}");
        to.dedup();
        assert_eq!(to.len(), people, "{kind:?}, {rounds} rounds: no one twice");
        let (_, list) = staff.get(&format!("/staff/members?q={name}&status=waiting")).await;
        assert!(list.contains(&format!("{people} members found.")), "{kind:?}: everyone's one invitation is waiting");
    }
}
