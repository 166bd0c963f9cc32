use std::time::Duration;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use portico_app::mail::dispatch::{BATCHES_AN_INVOCATION, RetryPolicy, SUBREQUESTS_A_BATCH, drain};
use portico_app::mail::{Mailer, OutgoingEmail, SendError};
use portico_app::store::{Changes, Db, DbError, Row, Stmt, outbox};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::helpers::Outcome::{GaveUp, Sent, WillRetry};
use crate::helpers::*;

/// The e-mail API answers `failure` to the first `times` requests, then accepts.
async fn email_api_first_answers(app: &TestApp, failure: ResponseTemplate, times: u64) {
    Mock::given(path("/emails/batch")).respond_with(failure).up_to_n_times(times).mount(&app.email_api).await;
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

/// How many messages each request to the e-mail API carried.
async fn batch_sizes(app: &TestApp) -> Vec<usize> {
    let requests = app.email_api.received_requests().await.unwrap();
    requests.iter().map(|r| serde_json::from_slice::<Vec<serde_json::Value>>(&r.body).unwrap().len()).collect()
}

/// Adds `count` made-up members and sends everyone a round; returns how many it invited.
async fn round_to_seeded_members(app: &TestApp, count: i64) -> usize {
    app.staff_login().await;
    let organisation = app.count("SELECT id FROM organisations").await;
    portico_app::seed::seed_members(app.state.db.as_ref(), organisation, count, START).await.unwrap();
    let response = app.call(&app.staff, "/api/plan_round", &[("q", "")]).await;
    let dry: serde_json::Value = response.json().await.unwrap();
    let (key, confirmed) = (dry["request_key"].as_str().unwrap(), dry["will_invite"].to_string());
    let fields = [("request_key", key), ("q", ""), ("confirmed_count", &confirmed)];
    app.post_form(&app.staff, "/api/send_round", "/staff/invite-round", &fields).await;
    assert_eq!(app.count("SELECT count(*) FROM outbox WHERE status = 'pending'").await, dry["will_invite"]);
    dry["will_invite"].as_u64().unwrap() as usize
}

#[tokio::test]
async fn a_500_is_retried_after_a_backoff_with_the_same_messages_under_the_same_key() {
    let app = spawn_app().await;
    email_api_first_answers(&app, ResponseTemplate::new(500), 1).await;
    let id = invite_ada(&app).await;
    for n in 0..2 {
        let email = format!("member{n}@example.org");
        let other = app.add_member("Member", &n.to_string(), &email).await;
        app.invite(other, &email, "").await;
    }
    assert_eq!(app.dispatch_pending_emails().await, vec![WillRetry; 3]);
    let profile = app.get(&app.staff, &format!("/staff/members/{id}")).await;
    assert!(
        profile
            .body
            .contains("E-mail on its way: the e-mail service asked us to wait, and it is sent again by itself.")
    );
    assert!(app.dispatch_pending_emails().await.is_empty(), "not due before the backoff");
    app.clock.advance(60);
    assert_eq!(app.dispatch_pending_emails().await, vec![Sent; 3]);
    let keys = idempotency_keys(&app).await;
    assert_eq!(keys.len(), 2, "one batch, tried twice");
    assert_eq!(keys[0], keys[1]);
    let requests = app.email_api.received_requests().await.unwrap();
    assert_eq!(requests[0].body, requests[1].body, "exactly the same messages, links included");
    let ids = app.dump("SELECT provider_id FROM outbox ORDER BY id").await;
    assert_eq!(ids, r#"[{"provider_id":"msg_0"},{"provider_id":"msg_1"},{"provider_id":"msg_2"}]"#);
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn a_round_goes_out_in_batches_of_at_most_100_each_under_its_own_key() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    let invited = round_to_seeded_members(&app, 260).await;
    assert!(invited > 200, "{invited}");
    let outcomes = app.dispatch_pending_emails().await;
    assert_eq!(outcomes, vec![Sent; invited]);
    let hundreds: Vec<usize> = (0..invited).step_by(100).map(|first| (invited - first).min(100)).collect();
    assert_eq!(batch_sizes(&app).await, hundreds);
    let mut keys = idempotency_keys(&app).await;
    keys.dedup();
    assert_eq!(keys.len(), hundreds.len());
    let mut recipients: Vec<String> = app.sent_emails().await.iter().map(|e| e["to"][0].to_string()).collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), invited, "everyone once");
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn a_refused_batch_is_sent_again_one_by_one_so_only_the_bad_message_fails() {
    let app = spawn_app().await;
    email_api_refuses(&app, "bounce@example.org").await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let mut members = Vec::new();
    for (n, email) in ["one@example.org", "bounce@example.org", "two@example.org"].into_iter().enumerate() {
        let id = app.add_member("Member", &n.to_string(), email).await;
        app.invite(id, email, "").await;
        members.push(id);
    }
    let mut outcomes = app.dispatch_pending_emails().await;
    outcomes.sort_by_key(|o| *o == GaveUp);
    assert_eq!(outcomes, vec![Sent, Sent, GaveUp]);
    assert_eq!(batch_sizes(&app).await, vec![3, 1, 1, 1], "refused together, then each alone");
    let keys = idempotency_keys(&app).await;
    assert!(keys[1..].iter().all(|k| *k != keys[0]), "nothing went under the refused batch's key");
    assert_eq!(app.count("SELECT count(*) FROM outbox WHERE status = 'sent' AND attempts = 1").await, 2);
    let profile = app.get(&app.staff, &format!("/staff/members/{}", members[1])).await.body;
    assert!(profile.contains("Could not be delivered: the e-mail service refused it (422"), "{profile}");
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn a_429_holds_back_every_message_until_retry_after() {
    let app = spawn_app().await;
    email_api_first_answers(&app, ResponseTemplate::new(429).insert_header("retry-after", "600"), 1).await;
    let invited = round_to_seeded_members(&app, 150).await;
    assert_eq!(app.dispatch_pending_emails().await, vec![WillRetry; 100]);
    assert_eq!(batch_sizes(&app).await, vec![100], "the next batch waits too");
    app.clock.advance(599);
    assert!(app.dispatch_pending_emails().await.is_empty(), "Retry-After honoured");
    app.clock.advance(1);
    assert_eq!(app.dispatch_pending_emails().await, vec![Sent; invited]);
    let keys = idempotency_keys(&app).await;
    assert_eq!(keys[0], keys[1], "the refused batch went again whole");
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn a_batch_whose_dispatcher_stopped_mid_send_is_taken_over_under_its_key() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    invite_ada(&app).await;
    // A dispatcher claimed the batch and was never heard of again (a crash, a lost Worker).
    let claimed = outbox::claim_next_batch(app.state.db.as_ref(), "lost", "batch-of-the-lost", START, 120).await;
    assert_eq!(claimed.unwrap().len(), 1);
    assert!(app.dispatch_pending_emails().await.is_empty(), "not while its lease runs");
    app.clock.advance(120);
    assert_eq!(app.dispatch_pending_emails().await, vec![Sent]);
    assert_eq!(idempotency_keys(&app).await, vec!["batch-of-the-lost"]);
    // The lost dispatcher's late outcome changes nothing.
    outbox::mark_retry(app.state.db.as_ref(), "lost", START + 999, "late", false).await.unwrap();
    assert_eq!(app.count("SELECT count(*) FROM outbox WHERE status = 'sent'").await, 1);
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
    Mock::given(path("/emails/batch"))
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
    email_api_first_answers(&app, ResponseTemplate::new(503), 5).await;
    app.staff_login().await;
    for n in 0..3 {
        let email = format!("member{n}@example.org");
        let id = app.add_member("Member", &n.to_string(), &email).await;
        app.invite(id, &email, "").await;
    }
    // Down for the first five tries; the clock moves on 10 minutes a round.
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
    Mock::given(path("/emails/batch")).respond_with(ResponseTemplate::new(503)).mount(&app.email_api).await;
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

/// The dispatcher's database and mailer, counting every call as the Worker counts
/// subrequests.
struct Counting {
    db: Arc<dyn Db>,
    mailer: Arc<dyn Mailer>,
    calls: AtomicUsize,
}

#[async_trait]
impl Db for Counting {
    async fn fetch_all(&self, q: Stmt) -> Result<Vec<Row>, DbError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.db.fetch_all(q).await
    }
    async fn execute(&self, q: Stmt) -> Result<Changes, DbError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.db.execute(q).await
    }
    async fn batch(&self, qs: Vec<Stmt>) -> Result<Vec<Changes>, DbError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.db.batch(qs).await
    }
}

#[async_trait]
impl Mailer for Counting {
    async fn send_batch(&self, key: &str, emails: &[OutgoingEmail]) -> Result<Vec<Option<String>>, SendError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.mailer.send_batch(key, emails).await
    }
}

#[tokio::test]
async fn a_worker_invocation_sends_its_batches_within_its_subrequests_and_the_next_one_the_rest() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    let invited = round_to_seeded_members(&app, 520).await;
    let per_invocation = BATCHES_AN_INVOCATION * 100;
    assert!(invited > per_invocation, "{invited}");
    let d = &app.dispatcher;
    let counting = Counting { db: d.db.clone(), mailer: d.mailer.clone(), calls: AtomicUsize::new(0) };
    let policy = RetryPolicy::default();
    let invocation = || drain(&counting, &counting, &d.config, &policy, START, BATCHES_AN_INVOCATION);
    assert_eq!(invocation().await.unwrap(), per_invocation);
    let calls = counting.calls.swap(0, Ordering::SeqCst);
    assert!(calls <= BATCHES_AN_INVOCATION * SUBREQUESTS_A_BATCH, "{calls} subrequests");
    assert_eq!(
        app.count("SELECT count(*) FROM outbox WHERE status = 'pending'").await as usize,
        invited - per_invocation
    );
    // The next invocation (the cron trigger's) sends the rest.
    assert_eq!(invocation().await.unwrap(), invited - per_invocation);
    assert_eq!(app.count("SELECT count(*) FROM outbox WHERE status = 'sent'").await as usize, invited);
    assert_eq!(app.sent_emails().await.len(), invited);
}

#[tokio::test]
async fn claiming_a_batch_reads_index_ranges_never_the_whole_outbox() {
    let app = spawn_app().await;
    let plans = outbox::claim_statements("claim", "key", START, START + 120);
    let mut steps = Vec::new();
    for statement in plans {
        steps.extend(app.query_plan(statement).await);
    }
    assert!(!steps.iter().any(|step| step.contains("SCAN outbox")), "{steps:#?}");
    // A batch due again is found among the retries alone, not among every message due.
    assert!(steps.iter().any(|step| step.contains("INDEX outbox_retries")), "{steps:#?}");
}
