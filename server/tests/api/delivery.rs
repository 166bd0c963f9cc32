use std::time::Duration;

use portico_app::mail::dispatch::DispatchOutcome::{GaveUp, Sent, WillRetry};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::helpers::*;

/// The e-mail API answers `failure` to the first `times` requests, then accepts.
async fn email_api_first_answers(app: &TestApp, failure: ResponseTemplate, times: u64) {
    Mock::given(path("/emails")).respond_with(failure).up_to_n_times(times).mount(&app.email_api).await;
    email_api_accepts(app).await;
}

async fn invite_ada(app: &TestApp) -> i64 {
    app.staff_login().await;
    let id = app.add_member("Ada", "Byron", "ada.byron@example.org").await;
    app.invite(id, "ada.byron@example.org", "").await;
    id
}

async fn idempotency_keys(app: &TestApp) -> Vec<String> {
    let requests = app.email_api.received_requests().await.unwrap();
    requests.iter().map(|r| r.headers["idempotency-key"].to_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn a_500_is_retried_after_a_backoff_with_the_same_idempotency_key() {
    let app = spawn_app().await;
    email_api_first_answers(&app, ResponseTemplate::new(500), 1).await;
    let id = invite_ada(&app).await;
    assert_eq!(app.dispatch_pending_emails().await, vec![WillRetry]);
    let profile = app.get(&app.staff, &format!("/staff/members/{id}")).await;
    assert!(profile.body.contains("E-mail not delivered yet; retrying."));
    assert!(app.dispatch_pending_emails().await.is_empty(), "not due before the backoff");
    app.clock.advance(60);
    assert_eq!(app.dispatch_pending_emails().await, vec![Sent]);
    let keys = idempotency_keys(&app).await;
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0], keys[1]);
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn a_429_waits_for_retry_after() {
    let app = spawn_app().await;
    email_api_first_answers(&app, ResponseTemplate::new(429).insert_header("retry-after", "600"), 1).await;
    invite_ada(&app).await;
    assert_eq!(app.dispatch_pending_emails().await, vec![WillRetry]);
    app.clock.advance(599);
    assert!(app.dispatch_pending_emails().await.is_empty(), "Retry-After honoured");
    app.clock.advance(1);
    assert_eq!(app.dispatch_pending_emails().await, vec![Sent]);
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn a_422_is_not_retried_and_staff_see_it_could_not_be_delivered() {
    let app = spawn_app().await;
    Mock::given(path("/emails"))
        .and(method("POST"))
        .respond_with(ResponseTemplate::new(422).set_body_json(serde_json::json!({"message": "Invalid `to` field"})))
        .mount(&app.email_api)
        .await;
    let id = invite_ada(&app).await;
    assert_eq!(app.dispatch_pending_emails().await, vec![GaveUp]);
    app.clock.advance(7 * DAY);
    assert!(app.dispatch_pending_emails().await.is_empty());
    assert_eq!(app.email_api.received_requests().await.unwrap().len(), 1);
    app.staff_login().await; // a week later
    let profile = app.get(&app.staff, &format!("/staff/members/{id}")).await;
    assert!(
        profile.body.contains(
            "Could not be delivered: the e-mail service refused it (422 Unprocessable Entity): Invalid `to` field"
        ),
        "{}",
        profile.body
    );
    assert_eq!(app.count("SELECT count(*) FROM outbox WHERE sealed_token IS NOT NULL").await, 0);
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn a_timeout_is_retried_with_the_same_key_so_the_provider_sends_once() {
    let app = spawn_app().await;
    email_api_first_answers(&app, ResponseTemplate::new(200).set_delay(Duration::from_secs(5)), 1).await;
    invite_ada(&app).await;
    assert_eq!(app.dispatch_pending_emails().await, vec![WillRetry]);
    app.clock.advance(3600);
    assert_eq!(app.dispatch_pending_emails().await, vec![Sent]);
    let keys = idempotency_keys(&app).await;
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0], keys[1], "a provider that got the first one drops the second");
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn every_message_is_sent_after_the_api_was_down_for_minutes() {
    let app = spawn_app().await;
    email_api_first_answers(&app, ResponseTemplate::new(503), 9).await;
    app.staff_login().await;
    for n in 0..3 {
        let email = format!("member{n}@example.org");
        let id = app.add_member("Member", &n.to_string(), &email).await;
        app.invite(id, &email, "").await;
    }
    // Down for the first three rounds of every message; the clock moves on 10 minutes a round.
    let mut sent = 0;
    for _ in 0..10 {
        sent += app.dispatch_pending_emails().await.iter().filter(|o| **o == Sent).count();
        app.clock.advance(600);
    }
    assert_eq!(sent, 3);
    assert_eq!(app.count("SELECT count(*) FROM outbox WHERE status = 'sent'").await, 3);
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn a_message_that_keeps_failing_is_given_up_after_the_last_attempt() {
    let app = spawn_app().await;
    Mock::given(path("/emails")).respond_with(ResponseTemplate::new(503)).mount(&app.email_api).await;
    let id = invite_ada(&app).await;
    let mut outcomes = Vec::new();
    for _ in 0..20 {
        outcomes.extend(app.dispatch_pending_emails().await);
        app.clock.advance(2 * 3600);
    }
    assert_eq!(outcomes.iter().filter(|o| **o == WillRetry).count(), 7);
    assert_eq!(outcomes.last(), Some(&GaveUp));
    app.staff_login().await; // hours later
    let profile = app.get(&app.staff, &format!("/staff/members/{id}")).await;
    assert!(profile.body.contains("Could not be delivered after 8 attempts"));
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn the_background_dispatcher_sends_without_being_asked() {
    let app = spawn_app_with(Options { background_dispatcher: true, ..Options::default() }).await;
    email_api_accepts(&app).await;
    invite_ada(&app).await;
    for _ in 0..50 {
        if !app.email_api.received_requests().await.unwrap().is_empty() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the dispatcher did not send the invitation within 5 s");
}
