//! `/api/v1` and its keys: a key is shown once and kept as a hash, acts within its own
//! organisation only, reads or also writes as it was made, stops at once when revoked, and
//! is slowed past its rate; a POST with an Idempotency-Key is done once; every error is
//! problem+json with a clear detail, and a staff session's cookie opens nothing here.

use reqwest::{Client, Response};
use serde_json::{Value, json};

use crate::helpers::*;

impl TestApp {
    /// A key made on the API keys page by `client` (owner or administrator), as the page
    /// shows it once.
    pub(crate) async fn make_key(&self, client: &Client, name: &str, access: &str) -> String {
        let made = self
            .post_form(client, "/api/create_api_key", "/staff/api-keys", &[("name", name), ("access", access)])
            .await;
        assert_eq!(location(&made), "/staff/api-keys");
        let page = self.get(client, "/staff/api-keys").await.body;
        let start = page.find("pk_live_").expect("the new key is shown");
        page[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect()
    }

    /// An API request, its exchange checked against the OpenAPI document (`openapi.rs`).
    pub(crate) async fn api(&self, key: &str, method: reqwest::Method, path: &str, body: Option<Value>) -> Response {
        let mut request = Client::new()
            .request(method.clone(), format!("{}{path}", self.address))
            .header("authorization", format!("Bearer {key}"));
        if let Some(body) = &body {
            request = request.json(body);
        }
        let answer = request.send().await.expect("API request");
        let (status, headers) = (answer.status(), answer.headers().clone());
        let bytes = answer.bytes().await.expect("API answer");
        let parsed: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        crate::openapi::check_exchange(method.as_str(), path, body.as_ref(), status.as_u16(), &parsed);
        let mut rebuilt = http::Response::new(bytes);
        *rebuilt.status_mut() = status;
        *rebuilt.headers_mut() = headers;
        Response::from(rebuilt)
    }

    pub(crate) async fn api_get(&self, key: &str, path: &str) -> (u16, Value) {
        let answer = self.api(key, reqwest::Method::GET, path, None).await;
        let status = answer.status().as_u16();
        (status, answer.json().await.expect("JSON"))
    }
}

/// The answer is problem+json with this status, and its detail mentions `words`.
pub(crate) async fn assert_problem(answer: Response, status: u16, words: &str) -> Value {
    assert_eq!(answer.status().as_u16(), status, "{words}");
    let kind = answer.headers()["content-type"].to_str().unwrap().to_owned();
    assert_eq!(kind, "application/problem+json", "{words}");
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["status"], status, "{body}");
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()), "{body}");
    assert!(body["detail"].as_str().unwrap().contains(words), "{body}");
    body
}

fn names(page: &Value) -> Vec<String> {
    page["data"].as_array().unwrap().iter().map(|m| m["first_name"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn a_key_is_shown_once_kept_as_a_hash_and_reads_its_own_organisation_only() {
    let app = spawn_app().await;
    app.staff_login().await;
    let ada = app.add_member("Ada", "Lovelace", "ada@example.org").await;
    app.add_member("Grace", "Hopper", "").await;
    let key = app.make_key(&app.staff, "Office <b>sync</b>", "read").await;
    assert!(key.starts_with("pk_live_") && key.len() > 40, "{key}");
    let again = app.get(&app.staff, "/staff/api-keys").await.body;
    assert!(!again.contains(&key), "shown once");
    assert!(again.contains("Office &lt;b&gt;sync&lt;/b&gt;") && !again.contains("<b>sync"), "escaped: {again}");
    assert!(again.contains(&format!("{}…", &key[..14])), "its first characters tell it apart: {again}");
    assert_eq!(app.count("SELECT count(*) FROM api_keys WHERE key_hash LIKE '%' || 'pk_live' || '%'").await, 0);
    let stored = app.dump("SELECT * FROM api_keys").await;
    assert!(!stored.contains(&key[8..]), "only a hash is kept: {stored}");
    let settings = app.get(&app.staff, "/staff/settings").await.body;
    assert!(settings.contains("API key “Office &lt;b&gt;sync&lt;/b&gt;” made (read)"), "{settings}");

    let (status, page) = app.api_get(&key, "/api/v1/members").await;
    assert_eq!(status, 200, "{page}");
    let ours = names(&page);
    assert!(ours.contains(&"Grace".to_owned()), "{page}");
    assert_eq!(
        ours.len() as i64,
        app.count("SELECT count(*) FROM members").await,
        "every member of the one organisation"
    );
    let grace = page["data"].as_array().unwrap().iter().find(|m| m["first_name"] == "Grace").unwrap();
    assert_eq!(
        (&grace["email"], &grace["status"], &grace["invited_at"]),
        (&Value::Null, &json!("no-email"), &Value::Null)
    );
    assert_eq!(page["next_cursor"], Value::Null);
    let (status, member) = app.api_get(&key, &format!("/api/v1/members/{ada}")).await;
    assert_eq!((status, member["last_name"].as_str()), (200, Some("Lovelace")));

    app.add_staff_login("elsewhere@example.org", "elsewhere-password", "Other Club", true).await;
    app.state
        .db
        .execute(portico_app::stmt!(
            "UPDATE staff SET role = 'owner' WHERE user_id = (SELECT id FROM users WHERE email = 'elsewhere@example.org')"
        ))
        .await
        .unwrap();
    let elsewhere = portico_harness::browser();
    assert_eq!(location(&app.login(&elsewhere, "elsewhere@example.org", "elsewhere-password").await), "/staff/members");
    let their_key = app.make_key(&elsewhere, "Their sync", "read_write").await;
    let (status, theirs) = app.api_get(&their_key, "/api/v1/members").await;
    assert_eq!((status, names(&theirs).len()), (200, 0), "nothing of the first organisation: {theirs}");
    let answer = app.api(&their_key, reqwest::Method::GET, &format!("/api/v1/members/{ada}"), None).await;
    assert_problem(answer, 404, "no such record").await;
    let made = app
        .api(
            &their_key,
            reqwest::Method::POST,
            "/api/v1/members",
            Some(json!({"first_name": "Otto", "last_name": "Other"})),
        )
        .await;
    assert_eq!(made.status(), 201);
    let (_, after) = app.api_get(&key, "/api/v1/members").await;
    assert_eq!(names(&after), ours, "their member is not ours");
}

#[tokio::test]
async fn a_read_key_cannot_write_and_a_revoked_key_is_refused_at_once() {
    let app = spawn_app().await;
    app.staff_login().await;
    let reader = app.make_key(&app.staff, "Reader", "read").await;
    let writer = app.make_key(&app.staff, "Office sync", "read_write").await;
    let members = "SELECT count(*) FROM members";
    let before = app.count(members).await;
    let new =
        json!({"first_name": "Kenji", "last_name": "Sato", "email": "KENJI@example.org", "phone": "+41 44 000 00 00"});
    let refused = app.api(&reader, reqwest::Method::POST, "/api/v1/members", Some(new.clone())).await;
    assert_problem(refused, 403, "may only read").await;
    assert_eq!(app.count(members).await, before, "nothing written");

    let made = app.api(&writer, reqwest::Method::POST, "/api/v1/members", Some(new)).await;
    assert_eq!(made.status(), 201);
    let address = made.headers()["location"].to_str().unwrap().to_owned();
    let member: Value = made.json().await.unwrap();
    assert_eq!(address, format!("/api/v1/members/{}", member["id"]));
    assert_eq!(
        (member["email"].as_str(), member["phone"].as_str()),
        (Some("kenji@example.org"), Some("+41 44 000 00 00"))
    );
    let profile = app.get(&app.staff, &format!("/staff/members/{}", member["id"])).await.body;
    assert!(profile.contains("Kenji Sato added through the API key “Office sync”."), "{profile}");
    let keys = app.get(&app.staff, "/staff/api-keys").await.body;
    assert!(!keys.contains("Last used: Never."), "a use is noted, a refused one too: {keys}");

    let writer_id = app.count("SELECT id FROM api_keys WHERE name = 'Office sync'").await.to_string();
    let revoked = app
        .post_form(&app.staff, "/api/revoke_api_key", "/staff/api-keys", &[("id", &writer_id), ("name", "Office sync")])
        .await;
    assert_eq!(location(&revoked), "/staff/api-keys");
    let page = app.get(&app.staff, "/staff/api-keys").await.body;
    assert!(notice(&page).is_some_and(|n| n.contains("Key \"Office sync\" revoked")), "{page}");
    assert!(page.contains("Revoked on"), "{page}");
    let answer = app.api(&writer, reqwest::Method::GET, "/api/v1/members", None).await;
    assert_eq!(answer.headers()["www-authenticate"], "Bearer");
    assert_problem(answer, 401, "revoked").await;
    let again = app.call(&app.staff, "/api/revoke_api_key", &[("id", &writer_id), ("name", "x")]).await;
    assert_eq!(again.status().as_u16(), 409, "a revoked key is not revoked twice");
    let settings = app.get(&app.staff, "/staff/settings").await.body;
    assert!(settings.contains("API key “Office sync” revoked"), "{settings}");
}

#[tokio::test]
async fn only_owners_and_administrators_reach_the_keys() {
    let app = spawn_app().await;
    for role in ["staff", "security_administrator"] {
        let client = app.staff_in_role(&format!("{role}@example.org"), role).await;
        assert_eq!(app.get(&client, "/staff/api-keys").await.status, 404, "{role}");
        let made = app.call(&client, "/api/create_api_key", &[("name", "Mine"), ("access", "read_write")]).await;
        assert_eq!(made.status().as_u16(), 404, "{role}");
    }
    let admin = app.staff_in_role("admin@example.org", "administrator").await;
    assert!(app.make_key(&admin, "Admin's", "read").await.starts_with("pk_live_"));
    assert_eq!(app.count("SELECT count(*) FROM api_keys").await, 1);
    let refused = app.call(&admin, "/api/create_api_key", &[("name", " "), ("access", "everything")]).await;
    assert_eq!(refused.status().as_u16(), 422);
    let fields = refused.text().await.unwrap();
    assert!(fields.contains("Give the key a name") && fields.contains("read, or read and write"), "{fields}");
    assert_eq!(app.count("SELECT count(*) FROM api_keys").await, 1, "nothing written");
}

#[tokio::test]
async fn a_post_with_an_idempotency_key_is_done_once() {
    let app = spawn_app().await;
    app.staff_login().await;
    let key = app.make_key(&app.staff, "Sync", "read_write").await;
    let post = |body: Value, idempotency: &'static str| {
        let key = key.clone();
        let url = format!("{}/api/v1/members", app.address);
        async move {
            Client::new()
                .post(url)
                .header("authorization", format!("Bearer {key}"))
                .header("idempotency-key", idempotency)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let members = "SELECT count(*) FROM members";
    let before = app.count(members).await;
    let ada = json!({"first_name": "Ada", "last_name": "Lovelace"});
    let first = post(ada.clone(), "add-ada-1").await;
    assert_eq!(first.status(), 201);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first_body = first.text().await.unwrap();
    let retried = post(ada.clone(), "add-ada-1").await;
    assert_eq!(retried.status(), 201);
    assert_eq!(retried.headers()["idempotent-replayed"], "true");
    assert!(retried.headers()["location"].to_str().unwrap().starts_with("/api/v1/members/"));
    assert_eq!(retried.text().await.unwrap(), first_body, "the first answer, again");
    assert_eq!(app.count(members).await, before + 1, "added once");

    let other = post(json!({"first_name": "Grace", "last_name": "Hopper"}), "add-ada-1").await;
    assert_problem(other, 422, "different request").await;
    let invalid = json!({"first_name": "", "last_name": "Hopper", "email": "not an address"});
    let refused = assert_problem(post(invalid.clone(), "bad-1").await, 422, "not valid").await;
    let fields: Vec<&str> =
        refused["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["first_name", "email"]);
    let replayed = post(invalid, "bad-1").await;
    assert_eq!(replayed.headers()["idempotent-replayed"], "true");
    assert_problem(replayed, 422, "not valid").await;
    assert_eq!(app.count(members).await, before + 1);

    // A day later the key may name a new request.
    app.clock.advance(DAY + 1);
    assert_eq!(post(json!({"first_name": "Grace", "last_name": "Hopper"}), "add-ada-1").await.status(), 201);
    assert_eq!(app.count(members).await, before + 2);
}

#[tokio::test]
async fn every_error_is_problem_json_and_a_session_cookie_opens_nothing() {
    let app = spawn_app().await;
    app.staff_login().await;
    let key = app.make_key(&app.staff, "Sync", "read_write").await;
    let url = |path: &str| format!("{}{path}", app.address);

    // Signed in as the owner, but no key: the API does not read cookies.
    let cookie_only = app.staff.get(url("/api/v1/members")).send().await.unwrap();
    assert_problem(cookie_only, 401, "Authorization: Bearer").await;
    let cookie_post = app
        .staff
        .post(url("/api/v1/members"))
        .json(&json!({"first_name": "A", "last_name": "B"}))
        .send()
        .await
        .unwrap();
    assert_problem(cookie_post, 401, "Authorization").await;
    for header in ["Basic abc", "Bearer sk_live_x", "Bearer pk_live_with space", "pk_live_abc"] {
        let answer = Client::new().get(url("/api/v1/members")).header("authorization", header).send().await.unwrap();
        assert_problem(answer, 401, "not `Bearer`").await;
    }
    let unknown = app.api("pk_live_neverMadeNeverMadeNeverMade", reqwest::Method::GET, "/api/v1/members", None).await;
    assert_problem(unknown, 401, "not valid").await;

    let get = |path: &'static str| app.api(&key, reqwest::Method::GET, path, None);
    assert_problem(get("/api/v1/nothing-here").await, 404, "no such API route").await;
    assert_problem(get("/api/v1").await, 404, "no such API route").await;
    assert_problem(get("/api/v1/members/abc").await, 404, "no such record").await;
    assert_problem(get("/api/v1/members/999999").await, 404, "no such record").await;
    let delete = app.api(&key, reqwest::Method::DELETE, "/api/v1/members", None).await;
    assert_problem(delete, 405, "does not take that method").await;
    let limit = assert_problem(get("/api/v1/members?limit=0").await, 422, "not valid").await;
    assert_eq!(limit["errors"][0]["field"], "limit");
    assert_problem(get("/api/v1/members?limit=101").await, 422, "not valid").await;
    let status = assert_problem(get("/api/v1/members?status=gone").await, 422, "not valid").await;
    assert!(status["errors"][0]["message"].as_str().unwrap().contains("“gone”"), "{status}");
    assert_eq!(assert_problem(get("/api/v1/members?after=x").await, 422, "").await["errors"][0]["field"], "after");
    assert_problem(get("/api/v1/members?sort=name").await, 400, "Unknown query parameter `sort`").await;
    assert_problem(get("/api/v1/members?q=a&q=b").await, 400, "given twice").await;

    let members = "SELECT count(*) FROM members";
    let before = app.count(members).await;
    let post_raw = |content_type: &'static str, body: &'static str| {
        Client::new()
            .post(url("/api/v1/members"))
            .header("authorization", format!("Bearer {key}"))
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    assert_problem(post_raw("text/plain", "{}").await.unwrap(), 415, "as JSON").await;
    assert_problem(post_raw("application/json", "{not json").await.unwrap(), 400, "could not be read").await;
    assert_problem(post_raw("application/json", "{\"first_name\":\"A\"}").await.unwrap(), 400, "last_name").await;
    let extra = "{\"first_name\":\"A\",\"last_name\":\"B\",\"notes\":\"x\"}";
    assert_problem(post_raw("application/json", extra).await.unwrap(), 400, "unknown field `notes`").await;
    let long_key = "k".repeat(300);
    let answer = Client::new()
        .post(url("/api/v1/members"))
        .header("authorization", format!("Bearer {key}"))
        .header("idempotency-key", long_key)
        .json(&json!({"first_name": "A", "last_name": "B"}))
        .send()
        .await
        .unwrap();
    assert_problem(answer, 400, "Idempotency-Key").await;
    assert_eq!(app.count(members).await, before, "nothing written");
}

#[tokio::test]
async fn members_come_in_pages_by_name_filtered_and_searched() {
    let app = spawn_app().await;
    app.staff_login().await;
    for (first, last) in [("Cleo", "Adams"), ("Ada", "Baker"), ("Bea", "Clark")] {
        app.add_member(first, last, &format!("{}@example.org", first.to_lowercase())).await;
    }
    app.invite(app.count("SELECT id FROM members WHERE first_name = 'Bea'").await, "bea@example.org", "").await;
    let key = app.make_key(&app.staff, "Sync", "read").await;
    let everyone = app.api_get(&key, "/api/v1/members?limit=100").await.1;
    let all = names(&everyone);
    assert!(all.len() >= 3 && all.len() as i64 == app.count("SELECT count(*) FROM members").await, "{everyone}");
    let mut walked = Vec::new();
    let mut path = "/api/v1/members?limit=2".to_owned();
    loop {
        let (status, page) = app.api_get(&key, &path).await;
        assert_eq!(status, 200, "{page}");
        assert!(page["data"].as_array().unwrap().len() <= 2);
        walked.extend(names(&page));
        let Some(cursor) = page["next_cursor"].as_str() else { break };
        path = format!("/api/v1/members?limit=2&after={cursor}");
    }
    assert_eq!(walked, all, "the pages hold everyone once, in order");
    let (_, waiting) = app.api_get(&key, "/api/v1/members?status=waiting").await;
    let bea = waiting["data"].as_array().unwrap().iter().find(|m| m["first_name"] == "Bea").expect("Bea is waiting");
    assert!(names(&waiting).iter().all(|n| n != "Cleo"), "{waiting}");
    let invited_at = bea["invited_at"].as_str().unwrap();
    assert_eq!(invited_at, portico_app::domain::dates::rfc3339(START), "RFC 3339, UTC");
    let (_, found) = app.api_get(&key, "/api/v1/members?q=clark").await;
    assert_eq!(names(&found), ["Bea"]);
}

#[tokio::test]
async fn a_key_past_its_rate_is_told_when_to_come_back() {
    let app = spawn_app().await;
    app.staff_login().await;
    let key = app.make_key(&app.staff, "Loop", "read").await;
    for _ in 0..600 {
        assert_eq!(app.api(&key, reqwest::Method::GET, "/api/v1/members?limit=1", None).await.status(), 200);
    }
    let slowed = app.api(&key, reqwest::Method::GET, "/api/v1/members?limit=1", None).await;
    let retry_after: i64 = slowed.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert_problem(slowed, 429, "Too many").await;
    let other = app.make_key(&app.staff, "Other", "read").await;
    assert_eq!(app.api(&other, reqwest::Method::GET, "/api/v1/members", None).await.status(), 200, "per key");
}

#[tokio::test]
async fn a_patch_changes_only_what_it_gives_by_the_edit_pages_rules() {
    let app = spawn_app().await;
    app.staff_login().await;
    let key = app.make_key(&app.staff, "Sync", "read_write").await;
    let (member_id, _) = app.invited_member("Rosa", "rosa@example.org").await;
    let path = format!("/api/v1/members/{member_id}");
    let patch = |body: Value| app.api(&key, reqwest::Method::PATCH, &path, Some(body));

    let changed = patch(json!({"phone": "+44 20 7946 0001", "address": null})).await;
    assert_eq!(changed.status(), 200);
    let member: Value = changed.json().await.unwrap();
    assert_eq!((member["first_name"].as_str(), member["email"].as_str()), (Some("Rosa"), Some("rosa@example.org")));
    assert_eq!(member["phone"], "+44 20 7946 0001");
    let waiting = "SELECT count(*) FROM invitations WHERE revoked_at IS NULL AND accepted_at IS NULL";
    assert_eq!(app.count(waiting).await, 1, "the invitation still waits");

    let refused = assert_problem(patch(json!({"last_name": "", "email": "nope"})).await, 422, "not valid").await;
    let fields: Vec<&str> =
        refused["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["last_name", "email"]);
    assert_problem(patch(json!({"staff_notes": "x"})).await, 400, "unknown field `staff_notes`").await;
    let (_, unchanged) = app.api_get(&key, &path).await;
    assert_eq!(unchanged, member, "a refused change writes nothing");

    let moved = patch(json!({"email": "rosa.new@example.org"})).await;
    assert_eq!(moved.status(), 200);
    assert_eq!(app.count(waiting).await, 0, "a new address revokes the link sent to the old one");
    let reader = app.make_key(&app.staff, "Reader", "read").await;
    let read_only = app.api(&reader, reqwest::Method::PATCH, &path, Some(json!({"phone": null}))).await;
    assert_problem(read_only, 403, "may only read").await;
    let elsewhere = app.api(&key, reqwest::Method::PATCH, "/api/v1/members/999999", Some(json!({"phone": null}))).await;
    assert_problem(elsewhere, 404, "no such record").await;
}

#[tokio::test]
async fn events_are_heard_since_a_cursor() {
    let app = spawn_app().await;
    app.staff_login().await;
    let key = app.make_key(&app.staff, "Listener", "read").await;
    let (_, first) = app.api_get(&key, "/api/v1/events?limit=100").await;
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    assert!(
        first["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["text"].as_str().unwrap().contains("API key “Listener” made"))
    );

    let (member_id, _) = app.invited_member("Ines", "ines@example.org").await;
    let (status, since) = app.api_get(&key, &format!("/api/v1/events?after={cursor}")).await;
    assert_eq!(status, 200, "{since}");
    let kinds: Vec<&str> = since["data"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"invited"), "{since}");
    let invited = since["data"].as_array().unwrap().iter().find(|e| e["kind"] == "invited").unwrap();
    assert_eq!(invited["member_id"], member_id);
    assert_eq!(invited["at"], portico_app::domain::dates::rfc3339(START));
    assert!(invited["text"].as_str().unwrap().starts_with("Invitation sent to Ines"), "{invited}");
    let body = since.to_string();
    assert!(!body.contains("/invite/") && !body.contains("token"), "never a link or a token: {body}");
    let next = since["next_cursor"].as_str().unwrap();
    let (_, nothing) = app.api_get(&key, &format!("/api/v1/events?after={next}")).await;
    assert_eq!((nothing["data"].as_array().unwrap().len(), nothing["next_cursor"].as_str()), (0, Some(next)));
    assert_eq!(nothing["has_more"], false);
    let (_, one) = app.api_get(&key, "/api/v1/events?limit=1").await;
    assert_eq!((one["data"].as_array().unwrap().len(), &one["has_more"]), (1, &json!(true)));
    assert_problem(app.api(&key, reqwest::Method::GET, "/api/v1/events?after=-1", None).await, 422, "not valid").await;
    assert_problem(app.api(&key, reqwest::Method::POST, "/api/v1/events", None).await, 405, "method").await;
    let plan = app.query_plan(portico_app::store::events::since_stmt(1, 0, 100)).await;
    assert!(plan.iter().any(|step| step.contains("USING") && step.contains("events_in_order")), "{plan:?}");
    assert!(!plan.iter().any(|step| step.contains("SCAN e")), "{plan:?}");
}

#[tokio::test]
async fn another_system_invites_a_member_by_the_profiles_rules() {
    let app = spawn_app().await;
    app.staff_login().await;
    email_api_accepts(&app).await;
    let key = app.make_key(&app.staff, "School office", "read_write").await;
    let member_id = app.add_member("Noor", "Haddad", "noor@example.org").await;
    let invite = |body: Value| app.api(&key, reqwest::Method::POST, "/api/v1/invitations", Some(body));

    let sent = invite(json!({"member_id": member_id, "message": "Welcome to the club!"})).await;
    assert_eq!(sent.status(), 201);
    let address = sent.headers()["location"].to_str().unwrap().to_owned();
    let invitation: Value = sent.json().await.unwrap();
    assert_eq!(
        (invitation["status"].as_str(), invitation["email"].as_str()),
        (Some("pending"), Some("noor@example.org"))
    );
    assert_eq!(invitation["sent_at"], portico_app::domain::dates::rfc3339(START));
    app.dispatch_pending_emails().await;
    let emails = app.sent_emails().await;
    let email = emails.last().expect("the invitation e-mail went out");
    assert_eq!(email["to"][0], "noor@example.org");
    assert!(email["text"].as_str().unwrap().contains("Welcome to the club!"), "{email}");
    let body = invitation.to_string();
    assert!(!body.contains("/invite/"), "the API never hands out a link: {body}");
    let (status, read) = app.api_get(&key, &address).await;
    assert_eq!((status, &read), (200, &invitation));

    let (_, contacts) = app.api_get(&key, &format!("/api/v1/members/{member_id}/contacts")).await;
    let own = &contacts["data"][0];
    assert_eq!((own["is_member"].as_bool(), own["invitation"]["status"].as_str()), (Some(true), Some("pending")));

    // Accepted: a login now, so not invited again.
    let link = app.invitation_links().await.pop().unwrap();
    app.accept(&portico_harness::browser(), &link, "noor's own password").await;
    let (_, accepted) = app.api_get(&key, &address).await;
    assert_eq!(accepted["status"], "accepted");
    let again = invite(json!({"member_id": member_id})).await;
    assert_problem(again, 409, "already has a portal login").await;

    let other = app.add_member("Sami", "Haddad", "").await;
    let refused = assert_problem(invite(json!({"member_id": other})).await, 422, "not valid").await;
    assert_eq!(refused["errors"][0]["field"], "email", "no address on file and none given");
    assert_problem(invite(json!({"member_id": other, "contact_id": 1})).await, 422, "not valid").await;
    assert_problem(invite(json!({"member_id": 999999})).await, 404, "no such record").await;
    let never_path = format!("/api/v1/contacts/{}/invitation", app.self_contact(other).await);
    assert_problem(app.api(&key, reqwest::Method::GET, &never_path, None).await, 404, "never invited").await;
    let reader = app.make_key(&app.staff, "Reader", "read").await;
    let read_only = app
        .api(
            &reader,
            reqwest::Method::POST,
            "/api/v1/invitations",
            Some(json!({"member_id": other, "email": "sami@example.org"})),
        )
        .await;
    assert_problem(read_only, 403, "may only read").await;
    assert_eq!(
        app.count(
            "SELECT count(*) FROM invitations WHERE member_id = (SELECT id FROM members WHERE first_name = 'Sami')"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn an_invitation_is_resent_and_revoked_by_the_profiles_rules() {
    let app = spawn_app().await;
    app.staff_login().await;
    email_api_accepts(&app).await;
    let key = app.make_key(&app.staff, "Office", "read_write").await;
    let (member_id, first_link) = app.invited_member("Yara", "yara@example.org").await;
    let contact = app.self_contact(member_id).await;
    let app = &app;
    let key = &key;
    let act = move |what: &'static str| async move {
        let path = format!("/api/v1/contacts/{contact}/invitation/{what}");
        app.api(key, reqwest::Method::POST, &path, None).await
    };

    let resent = act("resend").await;
    assert_eq!(resent.status(), 200);
    let resent: Value = resent.json().await.unwrap();
    assert_eq!((resent["status"].as_str(), resent["email"].as_str()), (Some("pending"), Some("yara@example.org")));
    app.dispatch_pending_emails().await;
    let new_link = app.invitation_links().await.pop().unwrap();
    assert_ne!(new_link, first_link);
    let old = app.get(&portico_harness::browser(), &first_link).await.body;
    assert!(old.contains("This link is no longer valid"), "the earlier link no longer works");
    for _ in 0..2 {
        assert_eq!(act("resend").await.status(), 200);
    }
    let slowed = act("resend").await;
    assert!(slowed.headers().contains_key("retry-after"));
    assert_problem(slowed, 429, "Too many").await;

    let revoked = act("revoke").await;
    assert_eq!(revoked.status(), 200);
    assert_eq!(revoked.json::<Value>().await.unwrap()["status"], "revoked");
    assert_problem(act("revoke").await, 409, "no pending invitation").await;
    let never = app.add_member("Zed", "Never", "zed@example.org").await;
    let path = format!("/api/v1/contacts/{}/invitation/resend", app.self_contact(never).await);
    assert_problem(app.api(&key, reqwest::Method::POST, &path, None).await, 404, "never invited").await;
    let reader = app.make_key(&app.staff, "Reader", "read").await;
    let read_only =
        app.api(&reader, reqwest::Method::POST, &format!("/api/v1/contacts/{contact}/invitation/revoke"), None).await;
    assert_problem(read_only, 403, "may only read").await;
    let profile = app.get(&app.staff, &format!("/staff/members/{member_id}")).await.body;
    assert!(profile.contains("Invitation to Yara Example revoked"), "on the timeline: {profile}");
}

#[tokio::test]
async fn a_declined_invitation_is_not_resent_but_invited_again() {
    let app = spawn_app().await;
    app.staff_login().await;
    email_api_accepts(&app).await;
    let key = app.make_key(&app.staff, "Office", "read_write").await;
    let (member_id, link) = app.invited_member("Dara", "dara@example.org").await;
    let token = link.trim_start_matches("/invite/");
    let declined =
        app.post_form(&portico_harness::browser(), "/api/decline_invitation", &link, &[("token", token)]).await;
    assert_eq!(location(&declined), "/declined");
    let contact = app.self_contact(member_id).await;
    let (_, invitation) = app.api_get(&key, &format!("/api/v1/contacts/{contact}/invitation")).await;
    assert_eq!(invitation["status"], "declined", "{invitation}");
    let resend =
        app.api(&key, reqwest::Method::POST, &format!("/api/v1/contacts/{contact}/invitation/resend"), None).await;
    assert_problem(resend, 409, "use Reinvite").await;
    let again = app.api(&key, reqwest::Method::POST, "/api/v1/invitations", Some(json!({"contact_id": contact}))).await;
    assert_eq!(again.status(), 201);
    assert_eq!(again.json::<Value>().await.unwrap()["status"], "pending");
}
