//! The e-mail provider's reports of each message after it took it: signed (checked against
//! signatures the `standardwebhooks` package makes), each event once, a state never moved
//! back by a late report; what staff then read on the card and the timeline.

use portico_app::ports::Clock;
use portico_harness::independent::standard_webhooks_signature;
use serde_json::json;

use crate::helpers::*;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

async fn app_taking_reports() -> TestApp {
    let app = spawn_app_with(Options { email_webhook_secret: Some(SECRET), ..Options::default() }).await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    app
}

/// Posts `body` as Resend does (Svix headers) or as a Standard Webhooks adapter does,
/// signed with `secret` for `timestamp`.
async fn post_report(app: &TestApp, path: &str, id: &str, timestamp: i64, secret: &str, body: &str) -> (u16, String) {
    let prefix = if path.ends_with("/resend") { "svix" } else { "webhook" };
    let signature = standard_webhooks_signature(secret, id, timestamp, body);
    let response = reqwest::Client::new()
        .post(format!("{}{path}", app.address))
        .header("content-type", "application/json")
        .header(format!("{prefix}-id"), id)
        .header(format!("{prefix}-timestamp"), timestamp.to_string())
        .header(format!("{prefix}-signature"), signature)
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

fn resend_event(kind: &str, email_id: &str, extra: serde_json::Value) -> String {
    let mut data = json!({"email_id": email_id, "to": ["someone@example.org"]});
    data.as_object_mut().unwrap().extend(extra.as_object().cloned().unwrap_or_default());
    json!({"type": kind, "created_at": "2026-11-22T10:00:00.000Z", "data": data}).to_string()
}

async fn provider_id_of(app: &TestApp, email: &str) -> String {
    let dump = app.dump("SELECT to_email, provider_id FROM outbox").await;
    let rows: Vec<serde_json::Value> = serde_json::from_str(&dump).unwrap();
    let row = rows.iter().rev().find(|r| r["to_email"] == email).expect("an e-mail to the address");
    row["provider_id"].as_str().expect("sent").to_owned()
}

#[tokio::test]
async fn delivered_then_bounced_reads_on_the_card_and_a_late_delay_moves_nothing_back() {
    let app = app_taking_reports().await;
    // Another system hears of deliveries and failures.
    let receiver = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .respond_with(wiremock::ResponseTemplate::new(204))
        .mount(&receiver)
        .await;
    let hook = [("url", format!("{}/hooks", receiver.uri()))];
    let fields = [("url", hook[0].1.as_str()), ("invitation_delivered", "true"), ("invitation_failed", "true")];
    assert_eq!(
        location(&app.post_form(&app.staff, "/api/add_webhook", "/staff/webhooks", &fields).await),
        "/staff/webhooks"
    );
    let (member_id, _) = app.invited_member("Ada", "ada@example.org").await;
    let profile = format!("/staff/members/{member_id}");
    let card = app.get(&app.staff, &profile).await.body;
    assert!(card.contains("E-mail handed to the e-mail service on 22 November 2026"), "{card}");
    let message = provider_id_of(&app, "ada@example.org").await;
    let now = app.clock.now();

    let delivered = resend_event("email.delivered", &message, json!({}));
    assert_eq!(post_report(&app, "/webhooks/email/resend", "msg_a", now, SECRET, &delivered).await.0, 200);
    let card = app.get(&app.staff, &profile).await.body;
    assert!(card.contains("Delivered to the mailbox on 22 November 2026"), "{card}");
    assert!(card.contains("Invitation e-mail to Ada Example delivered to the mailbox (ada@example.org)."), "{card}");

    // A delay reported after the delivery changes nothing; the bounce after it does.
    let delayed = resend_event("email.delivery_delayed", &message, json!({}));
    assert_eq!(post_report(&app, "/webhooks/email/resend", "msg_b", now, SECRET, &delayed).await.0, 200);
    assert!(app.get(&app.staff, &profile).await.body.contains("Delivered to the mailbox on"));
    let bounced = resend_event(
        "email.bounced",
        &message,
        json!({"bounce": {"type": "Permanent", "subType": "General", "message": "The mailbox does not exist."}}),
    );
    assert_eq!(post_report(&app, "/webhooks/email/resend", "msg_c", now, SECRET, &bounced).await.0, 200);
    let card = app.get(&app.staff, &profile).await.body;
    assert!(
        card.contains("Bounced on 22 November 2026, 00:00 UTC: The mailbox does not exist. — check the address"),
        "{card}"
    );
    assert!(card.contains("Invitation e-mail to Ada Example bounced: The mailbox does not exist."), "{card}");
    assert_eq!(app.count("SELECT count(*) FROM events WHERE kind GLOB 'email_*'").await, 2, "no entry for the delay");
    let list = app.get(&app.staff, "/staff/members?status=email-bounced").await.body;
    assert!(list.contains("E-mail bounced (1)") && list_row(&list, "Ada Example").contains("E-mail bounced"), "{list}");

    app.webhooks.run_once().await.unwrap();
    let heard: Vec<String> = receiver
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| serde_json::from_slice::<serde_json::Value>(&r.body).unwrap()["type"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(heard, ["invitation.delivered", "invitation.failed"]);

    // The same event again (the provider retries): handled once.
    let (status, said) = post_report(&app, "/webhooks/email/resend", "msg_a", now, SECRET, &delivered).await;
    assert_eq!((status, said.contains("nothing changed")), (200, true));
    assert_eq!(app.count("SELECT count(*) FROM events WHERE kind GLOB 'email_*'").await, 2);
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn reports_unsigned_wrongly_signed_stale_or_replayed_are_refused_and_change_nothing() {
    let app = app_taking_reports().await;
    app.invited_member("Ada", "ada@example.org").await;
    let message = provider_id_of(&app, "ada@example.org").await;
    let now = app.clock.now();
    let body = resend_event("email.complained", &message, json!({}));
    let before = app.dump("SELECT * FROM outbox").await;

    let other_secret = "whsec_b3RoZXIgc2VjcmV0IG9mIDI0IGJ5dGVzISE=";
    assert_eq!(post_report(&app, "/webhooks/email/resend", "e1", now, other_secret, &body).await.0, 401);
    assert_eq!(post_report(&app, "/webhooks/email/resend", "e2", now - 301, SECRET, &body).await.0, 401, "stale");
    assert_eq!(post_report(&app, "/webhooks/email/resend", "e3", now + 301, SECRET, &body).await.0, 401, "future");
    // Signed for another body, or sent to the other endpoint's headers.
    let signature = standard_webhooks_signature(SECRET, "e4", now, &body);
    let tampered = reqwest::Client::new()
        .post(format!("{}/webhooks/email/resend", app.address))
        .header("svix-id", "e4")
        .header("svix-timestamp", now.to_string())
        .header("svix-signature", signature)
        .body(body.replace("complained", "delivered"))
        .send()
        .await
        .unwrap();
    assert_eq!(tampered.status(), 401);
    let unsigned = reqwest::Client::new().post(format!("{}/webhooks/email", app.address)).body(body.clone()).send();
    assert_eq!(unsigned.await.unwrap().status(), 401);
    assert_eq!(app.dump("SELECT * FROM outbox").await, before, "nothing recorded");
    assert_eq!(app.count("SELECT count(*) FROM email_reports").await, 0);

    // Signed but not a report we follow: acknowledged, ignored. Not JSON at all: 400.
    let opened = resend_event("email.opened", &message, json!({}));
    assert_eq!(post_report(&app, "/webhooks/email/resend", "e5", now, SECRET, &opened).await.0, 200);
    assert_eq!(post_report(&app, "/webhooks/email/resend", "e6", now, SECRET, "<html>").await.0, 400);
    assert_eq!(app.dump("SELECT * FROM outbox").await, before);

    // Unknown message ids (another deployment's) change nothing either.
    let elsewhere = resend_event("email.delivered", "re_not_ours", json!({}));
    assert_eq!(post_report(&app, "/webhooks/email/resend", "e7", now, SECRET, &elsewhere).await.0, 200);
    assert_eq!(app.dump("SELECT * FROM outbox").await, before);
}

#[tokio::test]
async fn any_provider_reports_through_the_standard_webhooks_endpoint() {
    let app = app_taking_reports().await;
    let (member_id, _) = app.invited_member("Bea", "bea@example.org").await;
    let message = provider_id_of(&app, "bea@example.org").await;
    let now = app.clock.now();
    let soft = json!({"type": "bounced", "data": {"message_id": message, "bounce": "soft", "reason": "Mailbox full"}});
    assert_eq!(post_report(&app, "/webhooks/email", "s1", now, SECRET, &soft.to_string()).await.0, 200);
    let card = app.get(&app.staff, &format!("/staff/members/{member_id}")).await.body;
    assert!(
        card.contains("Not delivered on 22 November 2026, 00:00 UTC: Mailbox full — the mailbox may be full"),
        "{card}"
    );
    // Complaints outrank everything: marked as spam stays.
    let spam = json!({"type": "complained", "data": {"message_id": message}});
    assert_eq!(post_report(&app, "/webhooks/email", "s2", now, SECRET, &spam.to_string()).await.0, 200);
    let delivered = json!({"type": "delivered", "data": {"message_id": message}});
    assert_eq!(post_report(&app, "/webhooks/email", "s3", now, SECRET, &delivered.to_string()).await.0, 200);
    let card = app.get(&app.staff, &format!("/staff/members/{member_id}")).await.body;
    assert!(card.contains("Marked as spam by the recipient on 22 November 2026"), "{card}");
    assert!(card.contains("Bea Example marked the invitation e-mail as spam."), "{card}");
}

#[tokio::test]
async fn without_a_secret_no_report_is_taken() {
    let app = spawn_app().await;
    let body = json!({"type": "delivered", "data": {"message_id": "m"}}).to_string();
    let (status, said) = post_report(&app, "/webhooks/email", "x", app.clock.now(), SECRET, &body).await;
    assert_eq!(status, 404);
    assert!(said.contains("PORTICO_EMAIL_WEBHOOK_SECRET"));
}

async fn round_plan(app: &TestApp) -> serde_json::Value {
    app.call(&app.staff, "/api/plan_round", &[("q", "Wren")]).await.json().await.unwrap()
}

/// An address bounces; rounds skip it, saying why, until staff correct it — then the round
/// goes to the new address.
#[tokio::test]
async fn an_address_that_bounced_is_skipped_by_rounds_until_staff_correct_it() {
    let app = app_taking_reports().await;
    let (member_id, _) = app.invited_member("Wren", "wren@exmaple.org").await;
    let message = provider_id_of(&app, "wren@exmaple.org").await;
    let bounced = resend_event("email.bounced", &message, json!({"bounce": {"type": "Permanent"}}));
    assert_eq!(post_report(&app, "/webhooks/email/resend", "b1", app.clock.now(), SECRET, &bounced).await.0, 200);
    app.clock.advance(25 * 3600);
    app.staff_login().await;

    let before = round_plan(&app).await;
    assert_eq!(before["will_invite"], 0, "{before}");
    let line = &before["lines"][0];
    assert_eq!(
        line["skipped_because"],
        "The last e-mail to this address bounced: correct the address on the profile to invite them."
    );

    let id = member_id.to_string();
    let fields = [
        ("member_id", id.as_str()),
        ("first_name", "Wren"),
        ("last_name", "Example"),
        ("email", "wren@example.org"),
        ("phone", ""),
        ("address", ""),
        ("primary", "true"),
    ];
    let edited = app.post_form(&app.staff, "/api/update_member", &format!("/staff/members/{id}/edit"), &fields).await;
    assert_eq!(location(&edited), format!("/staff/members/{id}"));
    let after = round_plan(&app).await;
    assert_eq!(after["will_invite"], 1, "{after}");
    let key = after["request_key"].as_str().unwrap().to_owned();
    let fields = [("request_key", key.as_str()), ("q", "Wren")];
    let sent = app.post_form(&app.staff, "/api/send_round", "/staff/invite-round", &fields).await;
    assert_eq!(sent.status(), 302);
    app.dispatch_pending_emails().await;
    assert_eq!(app.sent_emails().await.last().unwrap()["to"][0], "wren@example.org");
}
