//! Webhooks: an endpoint made on the webhooks page (its secret shown once) hears of the
//! events it chose, signed as Standard Webhooks says — checked by the `standardwebhooks`
//! package, which nobody here wrote; a failing endpoint is retried on the schedule, its
//! message given up after the last try, the endpoint disabled after five days of failure
//! (on the timeline), and a message can be sent again; addresses inside the network are
//! refused.

use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use portico_harness::independent::standard_webhooks_verdict;

use crate::helpers::*;

/// The receiver's requests to its hook path, as (headers, body).
async fn received(receiver: &MockServer) -> Vec<(Vec<(String, String)>, String)> {
    let requests = receiver.received_requests().await.unwrap_or_default();
    requests
        .iter()
        .map(|r| {
            let headers = r.headers.iter().map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_owned())).collect();
            (headers, String::from_utf8(r.body.clone()).unwrap())
        })
        .collect()
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

/// Verifies a message with the `standardwebhooks` package; its answer, or the refusal.
fn verified_independently(secret: &str, headers: &[(String, String)], body: &str) -> Result<Value, String> {
    let wanted = ["webhook-id", "webhook-timestamp", "webhook-signature"];
    let headers: serde_json::Map<String, Value> =
        wanted.iter().map(|name| ((*name).to_owned(), Value::from(header(headers, name)))).collect();
    standard_webhooks_verdict(secret, &Value::Object(headers), body)
}

impl TestApp {
    /// Adds an endpoint for `events` on the webhooks page; its secret, as shown once.
    async fn add_endpoint(&self, url: &str, events: &[&str]) -> String {
        let mut fields = vec![("url", url)];
        fields.extend(events.iter().map(|field| (*field, "true")));
        let added = self.post_form(&self.staff, "/api/add_webhook", "/staff/webhooks", &fields).await;
        assert_eq!(location(&added), "/staff/webhooks");
        let page = self.get(&self.staff, "/staff/webhooks").await.body;
        let start = page.find("whsec_").expect("the secret is shown");
        let secret: String =
            page[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || "_+/=".contains(*c)).collect();
        let again = self.get(&self.staff, "/staff/webhooks").await.body;
        assert!(!again.contains(&secret), "shown once");
        secret
    }

    /// Delivers what is due now.
    async fn deliver(&self) -> portico_app::service::webhooks::Delivered {
        self.webhooks.run_once().await.expect("delivery")
    }
}

/// The real time, for the receiving library's five-minute window.
fn real_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

#[tokio::test]
async fn an_endpoint_hears_what_it_chose_signed_as_standard_webhooks_says() {
    let app = spawn_app().await;
    app.clock.set(real_now());
    app.staff_login().await;
    email_api_accepts(&app).await;
    let receiver = MockServer::start().await;
    Mock::given(method("POST")).and(path("/hooks")).respond_with(ResponseTemplate::new(204)).mount(&receiver).await;
    let url = format!("{}/hooks", receiver.uri());
    let secret = app
        .add_endpoint(&url, &["invitation_created", "invitation_sent", "invitation_accepted", "member_linked"])
        .await;

    let (member_id, link) = app.invited_member("Iris", "iris@example.org").await;
    app.accept(&browser(), &link, "iris's own password").await;
    let done = app.deliver().await;
    assert_eq!((done.attempted, done.delivered), (4, 4));
    let messages = received(&receiver).await;
    let types: Vec<String> = messages
        .iter()
        .map(|(_, body)| serde_json::from_str::<Value>(body).unwrap()["type"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(types, ["invitation.created", "invitation.sent", "invitation.accepted", "member.linked"]);
    for (headers, body) in &messages {
        let payload = verified_independently(&secret, headers, body).expect("signature verified");
        assert_eq!(payload["data"]["member_id"], member_id);
        assert_eq!(payload["data"]["email"], "iris@example.org");
        assert!(!body.contains("/invite/") && !body.contains("token"), "never a link or a token: {body}");
        assert_eq!(header(headers, "content-type"), "application/json");
        assert!(header(headers, "webhook-id").starts_with("msg_"));
    }
    let (headers, body) = &messages[0];
    let mut forged = headers.clone();
    let stamp = forged.iter_mut().find(|(k, _)| k == "webhook-timestamp").unwrap();
    stamp.1 = (stamp.1.parse::<i64>().unwrap() - 60).to_string();
    assert!(verified_independently(&secret, &forged, body).is_err(), "a changed timestamp fails");
    assert!(verified_independently(&secret, headers, &body.replace("iris", "eve")).is_err(), "a changed body fails");

    // Nothing else is due, and nothing is sent twice.
    assert_eq!(app.deliver().await.attempted, 0);
    let log = app.get(&app.staff, "/staff/webhooks/1").await.body;
    assert!(log.contains("invitation.accepted") && log.contains("Answered 204"), "{log}");
    assert!(log.contains("Iris Example") && log.contains("iris@example.org"), "each message says whom: {log}");
    // Events not chosen are not sent.
    app.post_form(
        &app.staff,
        "/api/unlink_login",
        &format!("/staff/members/{member_id}"),
        &[("contact_id", &app.self_contact(member_id).await.to_string())],
    )
    .await;
    assert_eq!(app.deliver().await.attempted, 0, "member.unlinked was not chosen");
}

#[tokio::test]
async fn a_failing_endpoint_is_retried_on_schedule_given_up_then_disabled_and_sent_again() {
    let app = spawn_app().await;
    app.staff_login().await;
    email_api_accepts(&app).await;
    let receiver = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(500)).mount(&receiver).await;
    app.add_endpoint(&format!("{}/hooks", receiver.uri()), &["invitation_created"]).await;
    app.invited_member("Finn", "finn@example.org").await;

    // At once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h later: eight attempts.
    let mut tried = Vec::new();
    for wait in [0, 5, 300, 1800, 7200, 18000, 36000, 36000] {
        app.clock.advance(wait - 1);
        if wait > 0 {
            assert_eq!(app.deliver().await.attempted, 0, "not before its time ({wait} s)");
        }
        app.clock.advance(1);
        tried.push(app.deliver().await.attempted);
    }
    assert_eq!(tried, [1; 8]);
    assert_eq!(received(&receiver).await.len(), 8);
    app.clock.advance(7 * DAY);
    assert_eq!(app.deliver().await.attempted, 0, "given up after the last");
    app.staff_login().await;
    let log = app.get(&app.staff, "/staff/webhooks/1").await.body;
    let deliveries = log.split_once("Deliveries").map_or(log.as_str(), |(_, d)| d);
    assert!(deliveries.contains("Given up") && deliveries.contains("Answered 500"), "{deliveries}");

    // Failing for five days: the next failure disables the endpoint, on the timeline.
    app.invited_member("Gus", "gus@example.org").await;
    app.deliver().await;
    let page = app.get(&app.staff, "/staff/webhooks").await.body;
    assert!(page.contains("Every delivery failed for 5 days"), "{page}");
    let settings = app.get(&app.staff, "/staff/settings").await.body;
    assert!(settings.contains("disabled: every delivery failed for 5 days"), "on the timeline: {settings}");
    app.dispatch_pending_emails().await;
    let told = app.sent_emails().await.pop().expect("the owner is told by e-mail");
    assert_eq!(told["to"][0], portico_app::seed::DEMO_OWNER_EMAIL);
    assert!(
        told["subject"].as_str().unwrap().contains("webhook endpoint")
            && told["text"].as_str().unwrap().contains("/hooks"),
        "{told}"
    );
    let hal = app.add_member("Hal", "Example", "hal@example.org").await;
    app.invite(hal, "hal@example.org", "").await;
    assert_eq!(app.deliver().await.attempted, 0, "nothing goes to a disabled endpoint");

    // Enabled again, it answers: what was being retried is sent, and a given-up message sent
    // again.
    receiver.reset().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).mount(&receiver).await;
    let enabled = app
        .post_form(
            &app.staff,
            "/api/set_webhook_enabled",
            "/staff/webhooks/1",
            &[("endpoint_id", "1"), ("enable", "true")],
        )
        .await;
    assert_eq!(location(&enabled), "/staff/webhooks/1");
    app.clock.advance(5);
    assert_eq!(app.deliver().await.delivered, 1, "Gus's, retried; Hal's came while it was disabled");
    let again = app
        .post_form(
            &app.staff,
            "/api/send_webhook_again",
            "/staff/webhooks/1",
            &[("endpoint_id", "1"), ("delivery_id", "1")],
        )
        .await;
    assert_eq!(location(&again), "/staff/webhooks/1");
    assert_eq!(app.deliver().await.delivered, 1);
    let ids: Vec<String> =
        received(&receiver).await.iter().map(|(headers, _)| header(headers, "webhook-id").to_owned()).collect();
    assert_eq!(ids.last().map(String::as_str), Some("msg_1"), "sent again under its own id");
}

#[tokio::test]
async fn an_endpoint_inside_the_network_is_refused() {
    let app = spawn_app_with(Options { production: true, ..Options::default() }).await;
    app.staff_login().await;
    for (url, why) in [
        ("http://hooks.example.org/x", "https://"),
        ("https://127.0.0.1/x", "not this machine"),
        ("https://10.0.0.7/x", "public"),
        ("https://169.254.169.254/latest/meta-data", "public"),
        ("https://[fd00::1]/x", "public"),
        ("https://metadata.google.internal/", "public"),
        ("not a url", "not a web address"),
    ] {
        let refused = app
            .post_form(&app.staff, "/api/add_webhook", "/staff/webhooks", &[("url", url), ("invitation_sent", "true")])
            .await;
        let error = refusal(&refused);
        assert!(error.contains(why), "{url}: {error}");
    }
    let none_chosen = app
        .post_form(&app.staff, "/api/add_webhook", "/staff/webhooks", &[("url", "https://hooks.example.org/x")])
        .await;
    assert!(refusal(&none_chosen).contains("at least one event"));
    assert_eq!(app.count("SELECT count(*) FROM webhook_endpoints").await, 0);
}

#[tokio::test]
async fn an_expired_invitation_is_told_once() {
    let app = spawn_app().await;
    app.staff_login().await;
    email_api_accepts(&app).await;
    let receiver = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).mount(&receiver).await;
    app.add_endpoint(&format!("{}/hooks", receiver.uri()), &["invitation_expired"]).await;
    let (member_id, _) = app.invited_member("Ema", "ema@example.org").await;
    assert_eq!(app.deliver().await.attempted, 0);
    app.clock.advance(31 * DAY);
    assert_eq!(app.deliver().await.attempted, 1);
    assert_eq!(app.deliver().await.attempted, 0, "once");
    app.staff_login().await;
    let (_, body) = received(&receiver).await.pop().unwrap();
    let payload: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (payload["type"].as_str(), &payload["data"]["member_id"]),
        (Some("invitation.expired"), &member_id.into())
    );
    let profile = app.get(&app.staff, &format!("/staff/members/{member_id}")).await.body;
    let timeline = profile.split_once("Timeline").map_or(profile.as_str(), |(_, t)| t);
    assert!(timeline.contains("expired unused"), "on the timeline too: {timeline}");
}
