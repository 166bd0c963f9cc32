//! Another system at work, on both targets: the owner makes a key on the API keys page, the
//! system lists members, adds one (retrying the same request, which adds it once), changes
//! it, hears of it on the timeline, invites the member and takes it back, and is refused at once when the key is revoked; every
//! refusal is problem+json.

use reqwest::{Client, Method, Response};
use serde_json::{Value, json};

use crate::flow::{Session, location};
use crate::target::{OWNER_EMAIL, OWNER_PASSWORD, Target};

async fn call(target: &Target, key: &str, method: Method, path: &str, body: Option<Value>) -> Response {
    let mut request = Client::new()
        .request(method.clone(), format!("{}{path}", target.base_url))
        .header("authorization", format!("Bearer {key}"));
    // Adding the member is retried under one key; each other write is its own request.
    if method == Method::POST && path == "/api/v1/members" {
        request = request.header("idempotency-key", "scenario-add-1");
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.expect("API request")
}

async fn problem(answer: Response, status: u16) -> Value {
    assert_eq!(answer.status().as_u16(), status);
    assert_eq!(answer.headers()["content-type"], "application/problem+json");
    answer.json().await.unwrap()
}

pub async fn another_system_reads_and_adds_members_with_a_key(target: &Target) {
    let kind = target.kind;
    let staff = Session::new(target);
    assert_eq!(staff.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members");
    let made = staff
        .post_form("/api/create_api_key", "/staff/api-keys", &[("name", "Records sync"), ("access", "read_write")])
        .await;
    assert_eq!(location(&made), "/staff/api-keys", "{kind:?}");
    let (_, page) = staff.get("/staff/api-keys").await;
    let start = page.find("pk_live_").unwrap_or_else(|| panic!("{kind:?}: the key is shown: {page}"));
    let key: String =
        page[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect();

    let listed = call(target, &key, Method::GET, "/api/v1/members?q=api.added%40example.org", None).await;
    assert_eq!(listed.status(), 200, "{kind:?}");
    assert_eq!(listed.json::<Value>().await.unwrap()["data"], json!([]), "{kind:?}");
    let cursor = latest_event(target, &key).await;
    let new = json!({"first_name": "Api", "last_name": "Added", "email": "api.added@example.org"});
    let first = call(target, &key, Method::POST, "/api/v1/members", Some(new.clone())).await;
    assert_eq!(first.status(), 201, "{kind:?}");
    let member: Value = first.json().await.unwrap();
    let retried = call(target, &key, Method::POST, "/api/v1/members", Some(new)).await;
    assert_eq!(retried.headers()["idempotent-replayed"], "true", "{kind:?}");
    assert_eq!(retried.json::<Value>().await.unwrap(), member, "{kind:?}");
    let listed = call(target, &key, Method::GET, "/api/v1/members?q=api.added%40example.org", None).await;
    assert_eq!(listed.json::<Value>().await.unwrap()["data"].as_array().unwrap().len(), 1, "{kind:?}: once");
    let (_, profile) = staff.get(&format!("/staff/members/{}", member["id"])).await;
    assert!(profile.contains("added through the API key “Records sync”"), "{kind:?}: {profile}");
    let path = format!("/api/v1/members/{}", member["id"]);
    let changed = Client::new()
        .patch(format!("{}{path}", target.base_url))
        .header("authorization", format!("Bearer {key}"))
        .json(&json!({"phone": "+44 20 7946 0002", "email": null}))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200, "{kind:?}");
    let changed: Value = changed.json().await.unwrap();
    assert_eq!((changed["phone"].as_str(), &changed["email"]), (Some("+44 20 7946 0002"), &Value::Null), "{kind:?}");
    let heard = call(target, &key, Method::GET, &format!("/api/v1/events?after={cursor}"), None).await;
    let heard: Value = heard.json().await.unwrap();
    let added = heard["data"].as_array().unwrap().iter().find(|e| e["kind"] == "added_through_api");
    assert_eq!(added.map(|e| &e["member_id"]), Some(&member["id"]), "{kind:?}: {heard}");
    let sent_before = target.sent_emails().await.len();
    let invite = json!({"member_id": member["id"], "email": "api.invited@example.org"});
    let invited = Client::new()
        .post(format!("{}/api/v1/invitations", target.base_url))
        .header("authorization", format!("Bearer {key}"))
        .json(&invite)
        .send()
        .await
        .unwrap();
    assert_eq!(invited.status(), 201, "{kind:?}");
    let invitation: Value = invited.json().await.unwrap();
    assert_eq!(invitation["status"], "pending", "{kind:?}");
    let email = crate::flow::email_number(target, sent_before + 1).await;
    assert_eq!(email["to"], json!(["api.invited@example.org"]), "{kind:?}");
    let contact = invitation["contact_id"].as_i64().unwrap();
    let path = format!("/api/v1/contacts/{contact}/invitation/revoke");
    let revoked: Value = call(target, &key, Method::POST, &path, None).await.json().await.unwrap();
    assert_eq!(revoked["status"], "revoked", "{kind:?}");
    the_other_resources_answer(target, &key, member["id"].as_i64().unwrap()).await;
    let nothing = call(target, &key, Method::GET, "/api/v1/nothing", None).await;
    assert_eq!(problem(nothing, 404).await["title"], "Not Found", "{kind:?}");

    let key_id = member_key_id(&page);
    let revoked =
        staff.post_form("/api/revoke_api_key", "/staff/api-keys", &[("id", &key_id), ("name", "Records sync")]).await;
    assert_eq!(location(&revoked), "/staff/api-keys", "{kind:?}");
    let refused = call(target, &key, Method::GET, "/api/v1/members", None).await;
    assert!(problem(refused, 401).await["detail"].as_str().unwrap().contains("revoked"), "{kind:?}");
}

/// The document both targets serve, then a representative added, the pending invitations
/// listed, a round dry-run and sent, and the member archived and restored.
async fn the_other_resources_answer(target: &Target, key: &str, member_id: i64) {
    let kind = target.kind;
    let document = Client::new().get(format!("{}/api/v1/openapi.json", target.base_url)).send().await.unwrap();
    assert_eq!(document.status(), 200, "{kind:?}");
    let served: Value = document.json().await.unwrap();
    let ours: Value = serde_json::from_str(include_str!("../../../app/src/web/rest/openapi.json")).unwrap();
    assert_eq!(served, ours, "{kind:?}: the same document on both targets");

    let path = format!("/api/v1/members/{member_id}/contacts");
    let father = json!({"first_name": "Api", "last_name": "Father", "relation": "Father",
                        "email": "api.father@example.org", "send_invitation": true});
    let added = call(target, key, Method::POST, &path, Some(father)).await;
    assert_eq!(added.status(), 201, "{kind:?}");
    let father: Value = added.json().await.unwrap();
    assert_eq!(father["invitation"]["status"], "pending", "{kind:?}");
    let mut listed = Vec::new();
    let mut after = String::new();
    loop {
        let path = format!("/api/v1/invitations?status=pending&limit=100&after={after}");
        let page: Value = call(target, key, Method::GET, &path, None).await.json().await.unwrap();
        listed.extend(page["data"].as_array().unwrap().iter().map(|i| i["contact_id"].clone()));
        match page["next_cursor"].as_str() {
            Some(next) => after = next.to_owned(),
            None => break,
        }
    }
    assert!(listed.contains(&father["id"]), "{kind:?}: the father's invitation is pending");
    let round = json!({"member_ids": [member_id]});
    let dry: Value =
        call(target, key, Method::POST, "/api/v1/rounds/dry-run", Some(round.clone())).await.json().await.unwrap();
    assert_eq!((dry["will_invite"].as_i64(), dry["will_skip"].as_i64()), (Some(0), Some(2)), "{kind:?}: {dry}");
    let sent = call(target, key, Method::POST, "/api/v1/rounds", Some(round)).await;
    assert_eq!(sent.status(), 201, "{kind:?}");
    let sent: Value = sent.json().await.unwrap();
    assert_eq!((sent["invited"].as_i64(), sent["skipped"].as_i64()), (Some(0), Some(2)), "{kind:?}: {sent}");

    let archive = format!("/api/v1/members/{member_id}/archive");
    assert_eq!(call(target, key, Method::POST, &archive, None).await.status(), 200, "{kind:?}");
    let gone = call(target, key, Method::GET, &format!("/api/v1/members/{member_id}"), None).await;
    problem(gone, 404).await;
    let restore = format!("/api/v1/members/{member_id}/restore");
    assert_eq!(call(target, key, Method::POST, &restore, None).await.status(), 200, "{kind:?}");
    let back = call(target, key, Method::GET, &format!("/api/v1/members/{member_id}"), None).await;
    assert_eq!(back.status(), 200, "{kind:?}: restored");
    problem(call(target, key, Method::POST, &restore, None).await, 404).await;
}

/// The cursor after the organisation's latest event, read page by page as a listener does.
async fn latest_event(target: &Target, key: &str) -> String {
    let mut cursor = "0".to_owned();
    loop {
        let path = format!("/api/v1/events?after={cursor}&limit=100");
        let page: Value = call(target, key, Method::GET, &path, None).await.json().await.unwrap();
        cursor = page["next_cursor"].as_str().expect("a cursor").to_owned();
        if page["has_more"] == false {
            return cursor;
        }
    }
}

/// The id the page's revoke form sends for its first key.
fn member_key_id(page: &str) -> String {
    let (_, after) = page.split_once("confirm=revoke-").expect("a revoke button");
    after.chars().take_while(char::is_ascii_digit).collect()
}
