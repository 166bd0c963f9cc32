//! What the provider answers decides what staff see: a refused recipient (422, as its batch
//! endpoint does) fails alone and is not retried; a provider over its rate limit (429) or
//! down (503) keeps the invitation queued to be retried, never lost and never "delivered";
//! what it reports later (a bounce) is what staff and rounds go by.

use std::time::Duration;

use portico_harness::independent::standard_webhooks_signature;

use crate::flow::{Session, contact_ids, invited, location};
use crate::target::{
    BUSY_DOMAIN, DOWN_DOMAIN, EMAIL_WEBHOOK_SECRET, OWNER_EMAIL, OWNER_PASSWORD, REFUSED_DOMAIN, Target, provider_id,
};

pub async fn a_refused_recipient_fails_alone_and_says_so(target: &Target) {
    let kind = target.kind;
    let staff = Session::new(target);
    assert_eq!(staff.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members");
    let refused = format!("nobody{REFUSED_DOMAIN}");
    let mut profiles = Vec::new();
    for (first, email) in [("Rae", refused.as_str()), ("Del", "del.ivered@example.org")] {
        let fields =
            [("first_name", first), ("last_name", "Bouncetest"), ("email", email), ("phone", ""), ("address", "")];
        profiles.push(location(&staff.post_form("/api/add_member", "/staff/members/new", &fields).await));
    }
    let (_, dry) = staff.get("/staff/invite-round?q=bouncetest").await;
    let key_at = dry.find("name=\"request_key\" value=\"").expect("the form's key") + 26;
    let key = dry[key_at..].split('"').next().unwrap().to_owned();
    let fields = [("request_key", key.as_str()), ("q", "bouncetest")];
    let report = location(&staff.post_form("/api/send_round", "/staff/invite-round?q=bouncetest", &fields).await);
    assert!(report.starts_with("/staff/bulk-sends/"), "{kind:?}: {report}");

    let progress = staff.page_showing(&report, "0 waiting to be sent", Duration::from_secs(60)).await;
    assert!(
        progress.contains("E-mails: 1 sent, 0 waiting to be sent, 1 could not be delivered."),
        "{kind:?}: {progress}"
    );
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

pub async fn a_busy_or_down_provider_leaves_the_invitation_waiting_to_be_retried(target: &Target) {
    let kind = target.kind;
    let staff = Session::new(target);
    assert_eq!(staff.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members");
    for (first, domain, status) in [("Busy", BUSY_DOMAIN, 429), ("Down", DOWN_DOMAIN, 503)] {
        let email = format!("{}{domain}", first.to_lowercase());
        let fields =
            [("first_name", first), ("last_name", "Retrytest"), ("email", &email), ("phone", ""), ("address", "")];
        let profile = location(&staff.post_form("/api/add_member", "/staff/members/new", &fields).await);
        let contact = contact_ids(&staff, &profile).await.remove(0);
        let invite = [("contact_id", contact.as_str()), ("email", email.as_str()), ("message", "")];
        let invite_page = format!("{profile}/contacts/{contact}/invite");
        assert_eq!(location(&staff.post_form("/api/send_invitation", &invite_page, &invite).await), profile);

        let card = staff.page_showing(&profile, "sent again by itself", Duration::from_secs(30)).await;
        assert!(
            card.contains("E-mail on its way: the e-mail service asked us to wait, and it is sent again by itself."),
            "{kind:?}, {status}: {card}"
        );
        assert!(card.contains("Invitation sent just now"), "{kind:?}, {status}: the invitation stands: {card}");
        let asked = target.email_api.received_requests().await.unwrap_or_default();
        let asked = asked.iter().filter(|r| String::from_utf8_lossy(&r.body).contains(&email)).count();
        assert_eq!(asked, 1, "{kind:?}, {status}: asked once, the retry waits its backoff");
        let sent = target.sent_emails().await.into_iter().filter(|e| e["to"].to_string().contains(&email)).count();
        assert_eq!(sent, 0, "{kind:?}, {status}: not counted as sent");
    }
}

/// The provider reports that an invitation bounced (signed as Resend's Svix signs, by the
/// `standardwebhooks` package): the card says so, a round skips the address saying why,
/// staff correct it, and the round goes to the new address.
pub async fn an_address_bounces_staff_fix_it_and_the_round_goes_to_the_new_one(target: &Target) {
    let kind = target.kind;
    let staff = Session::new(target);
    assert_eq!(staff.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members");
    let (profile, _) = invited(&staff, target, "Bouncy", "bouncy@exmaple.org").await;
    let sent = target.sent_emails().await;
    let message = sent.iter().rev().find(|m| m["to"][0] == "bouncy@exmaple.org").expect("the invitation");
    let body = serde_json::json!({
        "type": "email.bounced",
        "created_at": "2026-12-08T10:00:00.000Z",
        "data": {"email_id": provider_id(message), "to": ["bouncy@exmaple.org"],
                 "bounce": {"type": "Permanent", "subType": "General", "message": "No such user here."}}
    })
    .to_string();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let report = reqwest::Client::new()
        .post(format!("{}/webhooks/email/resend", target.base_url))
        .header("svix-id", "evt_bounce_1")
        .header("svix-timestamp", now.to_string())
        .header("svix-signature", standard_webhooks_signature(EMAIL_WEBHOOK_SECRET, "evt_bounce_1", now, &body))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(report.status(), 200, "{kind:?}: {}", report.text().await.unwrap_or_default());
    let (_, card) = staff.get(&profile).await;
    assert!(card.contains("No such user here. — check the address"), "{kind:?}: {card}");

    let (_, dry) = staff.get("/staff/invite-round?q=bouncy").await;
    assert!(
        dry.contains("Will invite 0, skip 1.") && dry.contains("The last e-mail to this address bounced"),
        "{kind:?}: {dry}"
    );

    let id = profile.rsplit('/').next().unwrap();
    let fields = [
        ("member_id", id),
        ("first_name", "Bouncy"),
        ("last_name", "Case"),
        ("email", "bouncy@example.org"),
        ("phone", ""),
        ("address", ""),
        ("primary", "true"),
    ];
    assert_eq!(location(&staff.post_form("/api/update_member", &format!("{profile}/edit"), &fields).await), profile);
    let (_, dry) = staff.get("/staff/invite-round?q=bouncy").await;
    assert!(dry.contains("Will invite 1, skip 0."), "{kind:?}: {dry}");
    let key_at = dry.find("name=\"request_key\" value=\"").expect("the form's key") + 26;
    let key = dry[key_at..].split('"').next().unwrap().to_owned();
    let round = [("request_key", key.as_str()), ("q", "bouncy")];
    let sent = staff.post_form("/api/send_round", "/staff/invite-round?q=bouncy", &round).await;
    assert!(location(&sent).starts_with("/staff/bulk-sends/"), "{kind:?}");
    for _ in 0..100 {
        if target.sent_emails().await.iter().any(|m| m["to"][0] == "bouncy@example.org") {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{kind:?}: the round's e-mail never went to the corrected address");
}
