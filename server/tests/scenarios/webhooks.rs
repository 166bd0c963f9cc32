//! Webhooks on both targets, each started in dev mode (the only mode that may call a receiver
//! on loopback): the owner adds an endpoint, staff invite a member who accepts, and the
//! receiver hears each chosen event soon after the request that made it — from the server's
//! task, or the Worker's `wait_until` — signed so that the `standardwebhooks` package, which
//! nobody here wrote, verifies it.

use std::time::Duration;

use portico_harness::independent::standard_webhooks_verdict;
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::flow::{Session, invited, location};
use crate::target::{OWNER_EMAIL, OWNER_PASSWORD, Target, TargetKind};

pub async fn run(kind: TargetKind) {
    let target = Target::start_with(kind, &[("PORTICO_ENV", "development")]).await;
    let receiver = MockServer::start().await;
    Mock::given(method("POST")).and(path("/hooks")).respond_with(ResponseTemplate::new(200)).mount(&receiver).await;
    let staff = Session::new(&target);
    assert_eq!(staff.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members", "{kind:?}");
    let url = format!("{}/hooks", receiver.uri());
    let fields = [("url", url.as_str()), ("invitation_created", "true"), ("invitation_accepted", "true")];
    let added = staff.post_form("/api/add_webhook", "/staff/webhooks", &fields).await;
    assert_eq!(location(&added), "/staff/webhooks", "{kind:?}");
    let (_, page) = staff.get("/staff/webhooks").await;
    let start = page.find("whsec_").unwrap_or_else(|| panic!("{kind:?}: the secret is shown: {page}"));
    let secret: String =
        page[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || "_+/=".contains(*c)).collect();

    let (_, link) = invited(&staff, &target, "Hook", "hook.member@example.org").await;
    let member = Session::new(&target);
    let token = link.trim_start_matches("/invite/");
    let password = "hook member's own password";
    let accept = [("token", token), ("password", password), ("confirm_password", password)];
    assert_eq!(location(&member.post_form("/api/accept_invitation", &link, &accept).await), "/portal");

    let messages = messages_within(&receiver, 2, Duration::from_secs(20)).await;
    let bodies: Vec<Value> = messages.iter().map(|(_, body)| serde_json::from_str(body).unwrap()).collect();
    let types: Vec<&str> = bodies.iter().map(|body| body["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["invitation.created", "invitation.accepted"], "{kind:?}");
    for ((headers, raw), body) in messages.iter().zip(&bodies) {
        let verified = standard_webhooks_verdict(&secret, headers, raw);
        assert!(verified.is_ok(), "{kind:?}: {verified:?}");
        assert_eq!(body["data"]["email"], "hook.member@example.org", "{kind:?}");
    }
    let (_, log) = staff.get("/staff/webhooks/1").await;
    assert!(log.contains("invitation.accepted") && log.contains("Delivered"), "{kind:?}: {log}");
}

/// The receiver's first `count` messages (headers and body as sent), waiting up to `within`.
async fn messages_within(receiver: &MockServer, count: usize, within: Duration) -> Vec<(Value, String)> {
    let started = std::time::Instant::now();
    loop {
        let requests = receiver.received_requests().await.unwrap_or_default();
        if requests.len() >= count || started.elapsed() > within {
            return requests
                .iter()
                .map(|r| {
                    let headers: serde_json::Map<String, Value> =
                        ["webhook-id", "webhook-timestamp", "webhook-signature"]
                            .iter()
                            .map(|name| {
                                let value = r.headers.get(*name).map_or("", |v| v.to_str().unwrap());
                                ((*name).to_owned(), Value::from(value))
                            })
                            .collect();
                    (Value::Object(headers), String::from_utf8(r.body.clone()).unwrap())
                })
                .collect();
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
