//! The provider refuses one recipient of a batch (422, as its batch endpoint does): the
//! others of that batch are still sent, once each; the refused one is not retried, and its
//! card and the round's report say it could not be delivered.

use std::time::{Duration, Instant};

use crate::flow::{Session, location};
use crate::target::{OWNER_EMAIL, OWNER_PASSWORD, REFUSED_DOMAIN, Target};

pub async fn a_refused_recipient_fails_alone_and_says_so(target: &Target) {
    let kind = target.kind;
    let staff = Session::new(target);
    assert_eq!(staff.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members");
    let refused = format!("nobody{REFUSED_DOMAIN}");
    let mut profiles = Vec::new();
    for (first, email) in [("Rae", refused.as_str()), ("Del", "del.ivered@example.org")] {
        let fields = [("first_name", first), ("last_name", "Bouncetest"), ("email", email), ("phone", ""), ("address", "")];
        profiles.push(location(&staff.post_form("/api/add_member", "/staff/members/new", &fields).await));
    }
    let (_, dry) = staff.get("/staff/invite-round?q=bouncetest").await;
    let key_at = dry.find("name=\"request_key\" value=\"").expect("the form's key") + 26;
    let key = dry[key_at..].split('"').next().unwrap().to_owned();
    let fields = [("request_key", key.as_str()), ("q", "bouncetest")];
    let report = location(&staff.post_form("/api/send_round", "/staff/invite-round?q=bouncetest", &fields).await);
    assert!(report.starts_with("/staff/bulk-sends/"), "{kind:?}: {report}");

    let deadline = Instant::now() + Duration::from_secs(60);
    let progress = loop {
        let (_, page) = staff.get(&report).await;
        if page.contains("0 waiting to be sent") || Instant::now() > deadline {
            break page;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    assert!(progress.contains("E-mails: 1 sent, 0 waiting to be sent, 1 could not be delivered."), "{kind:?}: {progress}");
    let delivered: Vec<_> =
        target.sent_emails().await.into_iter().filter(|e| e["to"].to_string().contains("del.ivered@")).collect();
    assert_eq!(delivered.len(), 1, "{kind:?}: the other recipient, once");
    let (_, card) = staff.get(&profiles[0]).await;
    assert!(card.contains("Invalid `to` field."), "{kind:?}: the provider's reason on the card: {card}");
    let attempts = target
        .email_api
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| String::from_utf8_lossy(&r.body).contains(&refused))
        .count();
    assert_eq!(attempts, 2, "{kind:?}: in its batch, then alone; a refusal is not retried");
}
