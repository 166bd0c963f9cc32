//! `/api/v1` beyond members and single invitations: a member's representatives added,
//! changed and removed by the profile's rules (the same-person question included), a
//! member archived, every invitation listed by status, and rounds — their dry run writing
//! nothing, then sent once.

use reqwest::Method;
use serde_json::{Value, json};

use crate::api_v1::assert_problem;
use crate::helpers::*;

#[tokio::test]
async fn representatives_are_added_changed_and_removed_by_the_profiles_rules() {
    let app = spawn_app().await;
    app.staff_login().await;
    email_api_accepts(&app).await;
    let key = app.make_key(&app.staff, "Office", "read_write").await;
    let member_id = app.add_member("Lina", "Haddad", "").await;
    let path = format!("/api/v1/members/{member_id}/contacts");

    let added = app
        .api(
            &key,
            Method::POST,
            &path,
            Some(json!({"first_name": "Omar", "last_name": "Haddad", "relation": "Father",
                        "email": "omar@example.org", "primary": true, "send_invitation": true})),
        )
        .await;
    assert_eq!(added.status(), 201);
    let address = added.headers()["location"].to_str().unwrap().to_owned();
    let omar: Value = added.json().await.unwrap();
    assert_eq!(
        (omar["relation"].as_str(), omar["primary"].as_bool(), omar["invitation"]["status"].as_str()),
        (Some("Father"), Some(true), Some("pending"))
    );
    assert_eq!(address, format!("/api/v1/contacts/{}", omar["id"]));
    app.dispatch_pending_emails().await;
    assert_eq!(app.sent_emails().await.last().unwrap()["to"][0], "omar@example.org");

    // A new e-mail revokes the invitation that went to the old one.
    let changed = app.api(&key, Method::PATCH, &address, Some(json!({"email": "omar.h@example.org"}))).await;
    assert_eq!(changed.status(), 200);
    let changed: Value = changed.json().await.unwrap();
    assert_eq!((changed["email"].as_str(), changed["first_name"].as_str()), (Some("omar.h@example.org"), Some("Omar")));
    assert_eq!(changed["invitation"]["status"], "revoked");
    let bad = app.api(&key, Method::PATCH, &address, Some(json!({"first_name": "", "email": "not an address"}))).await;
    let bad = assert_problem(bad, 422, "not valid").await;
    let fields: Vec<&str> = bad["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["first_name", "email"]);

    // The member themself is changed as the member, and never removed.
    let own = format!("/api/v1/contacts/{}", app.self_contact(member_id).await);
    assert_problem(
        app.api(&key, Method::PATCH, &own, Some(json!({"first_name": "X"}))).await,
        409,
        "the member themself",
    )
    .await;
    assert_problem(app.api(&key, Method::DELETE, &own, None).await, 409, "cannot be removed").await;

    // An address on another profile: asked, then the same person (one login) or not.
    let other = app.add_member("Sara", "Haddad", "").await;
    let same = json!({"first_name": "Omar", "last_name": "Haddad", "email": "omar.h@example.org"});
    let other_path = format!("/api/v1/members/{other}/contacts");
    let asked = assert_problem(app.api(&key, Method::POST, &other_path, Some(same.clone())).await, 422, "").await;
    assert_eq!(asked["errors"][0]["field"], "same_person");
    assert!(asked["errors"][0]["message"].as_str().unwrap().contains("Lina Haddad's profile"), "{asked}");
    let mut answered = same.clone();
    answered["same_person"] = json!(true);
    assert_eq!(app.api(&key, Method::POST, &other_path, Some(answered)).await.status(), 201);

    let removed = app.api(&key, Method::DELETE, &address, None).await;
    assert_eq!(removed.status(), 200);
    let (_, left) = app.api_get(&key, &path).await;
    assert_eq!(left["data"].as_array().unwrap().len(), 1, "only the member themself is left: {left}");
    assert_problem(app.api(&key, Method::DELETE, &address, None).await, 404, "no such record").await;

    let reader = app.make_key(&app.staff, "Reader", "read").await;
    let refused = app.api(&reader, Method::POST, &path, Some(json!({"first_name": "A", "last_name": "B"}))).await;
    assert_problem(refused, 403, "may only read").await;
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn an_archived_member_leaves_the_list_the_portal_and_their_links() {
    let app = spawn_app().await;
    app.staff_login().await;
    email_api_accepts(&app).await;
    let key = app.make_key(&app.staff, "Office", "read_write").await;
    let (member_id, link) = app.invited_member("Tomas", "tomas@example.org").await;
    let welcome = app.get(&portico_harness::browser(), &link).await;
    assert!(welcome.body.contains("Welcome, Tomas"), "the link works before");

    let archived = app.api(&key, Method::POST, &format!("/api/v1/members/{member_id}/archive"), None).await;
    assert_eq!(archived.status(), 200);
    let archived: Value = archived.json().await.unwrap();
    assert_eq!(archived["member"]["first_name"], "Tomas");
    let (status, _) = app.api_get(&key, &format!("/api/v1/members/{member_id}")).await;
    assert_eq!(status, 404, "no longer found");
    let (_, list) = app.api_get(&key, "/api/v1/members?q=Tomas").await;
    assert_eq!(list["data"], json!([]));
    let invitation_page = app.get(&portico_harness::browser(), &link).await;
    assert!(!invitation_page.body.contains("Welcome, Tomas"), "the link no longer works");
    let (_, events) = app.api_get(&key, "/api/v1/events").await;
    let last = events["data"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "archived");
    assert!(last["text"].as_str().unwrap().contains("archived through the API key “Office”"), "{last}");
    let again = app.api(&key, Method::POST, &format!("/api/v1/members/{member_id}/archive"), None).await;
    assert_problem(again, 404, "no such record").await;

    let restored = app.api(&key, Method::POST, &format!("/api/v1/members/{member_id}/restore"), None).await;
    assert_eq!(restored.status(), 200);
    let restored: Value = restored.json().await.unwrap();
    assert_eq!(restored["first_name"], "Tomas");
    let (status, _) = app.api_get(&key, &format!("/api/v1/members/{member_id}")).await;
    assert_eq!(status, 200, "found again");
    let welcome = app.get(&portico_harness::browser(), &link).await;
    assert!(welcome.body.contains("Welcome, Tomas"), "the link not yet expired works again");
    let (_, events) = app.api_get(&key, "/api/v1/events").await;
    let last = events["data"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "restored");
    assert!(
        last["text"].as_str().unwrap().contains("restored from the archive through the API key “Office”"),
        "{last}"
    );
    let twice = app.api(&key, Method::POST, &format!("/api/v1/members/{member_id}/restore"), None).await;
    assert_problem(twice, 404, "no such record").await;
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn invitations_are_listed_by_status_in_pages() {
    let app = spawn_app().await;
    app.staff_login().await;
    email_api_accepts(&app).await;
    let key = app.make_key(&app.staff, "Office", "read").await;
    let (first, _) = app.invited_member("Ana", "ana@example.org").await;
    let (_, link) = app.invited_member("Ben", "ben@example.org").await;
    app.accept(&portico_harness::browser(), &link, "ben's own password").await;
    let (third, _) = app.invited_member("Cai", "cai@example.org").await;
    app.post_form(
        &app.staff,
        "/api/revoke_invitation",
        &format!("/staff/members/{third}"),
        &[("contact_id", &app.self_contact(third).await.to_string())],
    )
    .await;

    let emails = |page: &Value| -> Vec<String> {
        page["data"].as_array().unwrap().iter().map(|i| i["email"].as_str().unwrap().to_owned()).collect()
    };
    let (_, pending) = app.api_get(&key, "/api/v1/invitations?status=pending").await;
    assert_eq!(emails(&pending), ["ana@example.org"]);
    let (_, accepted) = app.api_get(&key, "/api/v1/invitations?status=accepted").await;
    assert_eq!(emails(&accepted), ["ben@example.org"]);
    let (_, revoked) = app.api_get(&key, "/api/v1/invitations?status=revoked").await;
    assert_eq!(emails(&revoked), ["cai@example.org"]);

    let (_, page) = app.api_get(&key, "/api/v1/invitations?limit=2").await;
    assert_eq!(emails(&page), ["ana@example.org", "ben@example.org"]);
    let cursor = page["next_cursor"].as_str().unwrap();
    let (_, rest) = app.api_get(&key, &format!("/api/v1/invitations?limit=2&after={cursor}")).await;
    assert_eq!((emails(&rest), &rest["next_cursor"]), (vec!["cai@example.org".to_owned()], &Value::Null));

    app.clock.advance(31 * 24 * 3600);
    let (_, expired) = app.api_get(&key, "/api/v1/invitations?status=expired").await;
    assert_eq!(emails(&expired), ["ana@example.org"], "{first}");
    let wrong = app.api(&key, Method::GET, "/api/v1/invitations?status=lost", None).await;
    assert_eq!(assert_problem(wrong, 422, "").await["errors"][0]["field"], "status");
}

#[tokio::test]
async fn a_round_is_dry_run_writing_nothing_then_sent_once() {
    let app = spawn_app().await;
    app.staff_login().await;
    email_api_accepts(&app).await;
    let key = app.make_key(&app.staff, "Office", "read_write").await;
    let a = app.add_member("Ada", "Round", "ada@example.org").await;
    let b = app.add_member("Bo", "Round", "").await;
    let (c, _) = app.invited_member("Cy", "cy@example.org").await;
    let outbox_before = app.count("SELECT count(*) FROM outbox").await;

    let selection = json!({"member_ids": [a, b, c]});
    let dry = app.api(&key, Method::POST, "/api/v1/rounds/dry-run", Some(selection.clone())).await;
    assert_eq!(dry.status(), 200);
    let dry: Value = dry.json().await.unwrap();
    assert_eq!((dry["will_invite"].as_i64(), dry["will_skip"].as_i64()), (Some(1), Some(2)), "{dry}");
    let people = dry["people"].as_array().unwrap();
    let skipped: Vec<(&str, &str)> = people
        .iter()
        .filter(|p| p["outcome"] == "skip")
        .map(|p| (p["name"].as_str().unwrap(), p["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(skipped.len(), 2);
    assert!(skipped.iter().any(|(name, why)| *name == "Bo Round" && why.contains("e-mail")), "{skipped:?}");
    assert_eq!(app.count("SELECT count(*) FROM outbox").await, outbox_before, "a dry run writes nothing");
    assert_eq!(app.count("SELECT count(*) FROM bulk_sends").await, 0);

    let send = |body: Value| {
        let client = reqwest::Client::new();
        let address = format!("{}/api/v1/rounds", app.address);
        let key = key.clone();
        async move {
            client.post(address).bearer_auth(key).header("idempotency-key", "round-1").json(&body).send().await.unwrap()
        }
    };
    let sent = send(selection.clone()).await;
    assert_eq!(sent.status(), 201);
    let round: Value = sent.json().await.unwrap();
    assert_eq!(
        (round["invited"].as_i64(), round["skipped"].as_i64(), round["waiting"].as_i64()),
        (Some(1), Some(2), Some(0))
    );
    let again = send(selection).await;
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(app.count("SELECT count(*) FROM bulk_sends").await, 1, "sent once");
    let (_, read) = app.api_get(&key, &format!("/api/v1/rounds/{}", round["id"])).await;
    assert_eq!(read, round);
    app.dispatch_pending_emails().await;
    assert_eq!(app.sent_emails().await.last().unwrap()["to"][0], "ada@example.org");

    let mixed = app.api(&key, Method::POST, "/api/v1/rounds/dry-run", Some(json!({"member_ids": [a], "q": "x"}))).await;
    assert_problem(mixed, 422, "").await;
    let empty = app.api(&key, Method::POST, "/api/v1/rounds/dry-run", Some(json!({"member_ids": []}))).await;
    assert_problem(empty, 422, "").await;
    let reader = app.make_key(&app.staff, "Reader", "read").await;
    let refused = app.api(&reader, Method::POST, "/api/v1/rounds", Some(json!({"member_ids": [b]}))).await;
    assert_problem(refused, 403, "may only read").await;
}
