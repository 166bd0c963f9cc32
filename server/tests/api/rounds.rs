//! Rounds from the member list: "Invite selected" and "Send all" always show a dry run
//! first, with every skipped person's reason; the confirmed round is sent once under its
//! key, in atomic chunks that a later request continues without inviting anyone twice.

use serde_json::Value;

use crate::helpers::*;

async fn plan(app: &TestApp, fields: &[(&str, &str)]) -> Value {
    let response = app.call(&app.staff, "/api/plan_round", fields).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// The skip reason of the person named `contact` in a dry run (None: will be invited).
fn outcome(plan: &Value, contact: &str) -> Option<String> {
    let line = plan["lines"].as_array().unwrap().iter().find(|l| l["contact_name"] == contact);
    let line = line.unwrap_or_else(|| panic!("{contact} is not in the dry run: {plan}"));
    line["skipped_because"].as_str().map(str::to_owned)
}

async fn send(app: &TestApp, key: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let mut all = vec![("request_key", key)];
    all.extend_from_slice(fields);
    app.post_form(&app.staff, "/api/send_round", "/staff/invite-round", &all).await
}

async fn sql(app: &TestApp, statement: portico_app::store::Stmt) {
    app.state.db.execute(statement).await.unwrap();
}

#[tokio::test]
async fn the_dry_run_gives_each_skipped_person_their_reason_and_writes_nothing() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    // Invited 25 hours before the round: invited again (a reminder round).
    let stale = app.add_member("Stella", "Stale", "stella@example.org").await;
    app.invite(stale, "stella@example.org", "").await;
    app.clock.advance(25 * 3600);
    app.staff_login().await;

    let ready = app.add_member("Rita", "Ready", "rita@example.org").await;
    let no_email = app.add_member("Nell", "Noemail", "").await;
    let invalid = app.add_member("Ivan", "Invalid", "ivan@example.org").await;
    sql(&app, portico_app::stmt!("UPDATE contacts SET email = 'not an address' WHERE member_id = ?", invalid)).await;
    let child = app.add_member("Cody", "Child", "").await;
    let added = app
        .call(
            &app.staff,
            "/api/add_contact",
            &[
                ("member_id", &child.to_string()),
                ("first_name", "Nora"),
                ("last_name", "Notprimary"),
                ("relation", "aunt"),
                ("email", "nora@example.org"),
            ],
        )
        .await;
    assert!(added.status().is_success());
    let (active, link) = app.invited_member("Ava", "ava@example.org").await;
    app.accept(&browser(), &link, "ava-password-1").await;
    let shared = app.add_member("Sam", "Shared", "ava@example.org").await;
    let declined = app.add_member("Dora", "Declined", "dora@example.org").await;
    app.invite(declined, "dora@example.org", "").await;
    let contact = app.self_contact(declined).await.to_string();
    app.call(&app.staff, "/api/record_decline", &[("contact_id", &contact), ("reason", "")]).await;
    let recent = app.add_member("Rex", "Recent", "rex@example.org").await;
    app.invite(recent, "rex@example.org", "").await;
    let archived = app.add_member("Arlo", "Archived", "arlo@example.org").await;
    sql(&app, portico_app::stmt!("UPDATE members SET archived_at = 1 WHERE id = ?", archived)).await;

    let ids = [stale, ready, no_email, invalid, child, active, shared, declined, recent, archived]
        .map(|id| id.to_string())
        .join(",");
    let writes = "SELECT (SELECT count(*) FROM invitations) + (SELECT count(*) FROM bulk_sends)
                        + (SELECT count(*) FROM bulk_send_results) + (SELECT count(*) FROM outbox)";
    let before = app.count(writes).await;
    let dry = plan(&app, &[("members", &ids)]).await;
    assert_eq!(app.count(writes).await, before, "a dry run writes nothing");
    assert_eq!(dry["description"], "10 selected members");
    assert_eq!(dry["will_invite"], 2, "{dry}");
    assert_eq!(outcome(&dry, "Stella Stale"), None);
    assert_eq!(outcome(&dry, "Rita Ready"), None);
    for (who, because) in [
        ("Nell Noemail", "No e-mail on file."),
        ("Ivan Invalid", "The e-mail on file is not a valid address."),
        ("Nora Notprimary", "Not a primary contact (rounds go to primary contacts only)."),
        ("Ava Example", "Already has portal access."),
        (
            "Sam Shared",
            "This e-mail is already used by someone with portal access: invite them from the profile instead.",
        ),
        ("Dora Declined", "Declined the portal on 23 November 2026."),
        ("Rex Recent", "Invited on 23 November 2026, less than 24 hours ago."),
        ("Arlo Archived", "Archived."),
    ] {
        assert_eq!(outcome(&dry, who).as_deref(), Some(because), "{who}");
    }
    // Cody himself has no e-mail; his aunt is not primary.
    assert_eq!(outcome(&dry, "Cody Child").as_deref(), Some("No e-mail on file."));
    let reasons = dry["reasons"].as_array().unwrap();
    assert_eq!(reasons[0], serde_json::json!(["No e-mail on file.", 2]), "most first: {reasons:?}");
    assert_eq!(reasons.len(), 8);

    // Sent: exactly the two, and the report keeps everyone's outcome.
    let key = dry["request_key"].as_str().unwrap();
    let sent = send(&app, key, &[("members", &ids)]).await;
    let report = location(&sent);
    assert!(report.starts_with("/staff/bulk-sends/"), "{report}");
    assert_eq!(app.count(writes).await, before + 1 + 11 + 2 + 2, "the round, 11 results, 2 invitations, 2 e-mails");
    let page = app.get(&app.staff, &report).await.body;
    assert!(page.contains("Invited 2, skipped 9."), "{page}");
    assert!(page.contains("Skipped: Arlo Archived (Arlo Archived), arlo@example.org — Archived."), "{page}");
    // Stella's first link died with the new one.
    let stella_open = "SELECT count(*) FROM invitations i JOIN contacts c ON c.id = i.contact_id
                       WHERE c.email = 'stella@example.org' AND i.revoked_at IS NULL";
    assert_eq!(app.count(stella_open).await, 1);
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn a_double_submit_or_a_retry_sends_the_round_once() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    for n in 0..4 {
        app.add_member("Twice", &format!("Tester{n}"), &format!("twice{n}@example.org")).await;
    }
    let fields = [("q", "twice")];
    let dry = plan(&app, &fields).await;
    assert_eq!(dry["will_invite"], 4);
    let key = dry["request_key"].as_str().unwrap().to_owned();
    // Two submits at once (a double click), then a third (a retry after a network error).
    let (first, second) = tokio::join!(send(&app, &key, &fields), send(&app, &key, &fields));
    let third = send(&app, &key, &fields).await;
    assert_eq!(location(&first), location(&second));
    assert_eq!(location(&first), location(&third));
    assert_eq!(app.count("SELECT count(*) FROM invitations").await, 4);
    assert_eq!(app.count("SELECT count(*) FROM outbox").await, 4);
    assert_eq!(app.count("SELECT count(*) FROM bulk_sends").await, 1);
}

#[tokio::test]
async fn a_round_larger_than_a_requests_budget_is_continued_and_invites_no_one_twice() {
    let app = spawn_app_with(Options { invitations_per_request: Some(3), ..Options::default() }).await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    for n in 0..8 {
        app.add_member("Chunk", &format!("Tester{n}"), &format!("chunk{n}@example.org")).await;
    }
    let fields = [("q", "chunk"), ("not_registered", "true")];
    let dry = plan(&app, &fields).await;
    assert_eq!(dry["description"], "8 members — not yet registered, matching “chunk”");
    let key = dry["request_key"].as_str().unwrap().to_owned();
    let report = location(&send(&app, &key, &fields).await);
    assert_eq!(app.count("SELECT count(*) FROM invitations").await, 3, "one request's budget");
    let page = app.get(&app.staff, &report).await.body;
    assert!(page.contains("5 people are still waiting to be invited.") && page.contains("Continue sending"), "{page}");
    let round = report.trim_start_matches("/staff/bulk-sends/").to_owned();
    let progress: Value =
        app.call(&app.staff, "/api/delivery_progress", &[("round", &round)]).await.json().await.unwrap();
    assert_eq!(progress["waiting"], 5);

    // Continued from its page, and the confirm form sent again: each goes on where it stopped.
    app.post_form(&app.staff, "/api/continue_round", &report, &[("round", &round)]).await;
    assert_eq!(app.count("SELECT count(*) FROM invitations").await, 6);
    assert_eq!(location(&send(&app, &key, &fields).await), report);
    assert_eq!(app.count("SELECT count(*) FROM invitations").await, 8);
    let twice = "SELECT count(*) FROM (SELECT contact_id FROM invitations GROUP BY contact_id HAVING count(*) > 1)";
    assert_eq!(app.count(twice).await, 0, "no one invited twice");
    let page = app.get(&app.staff, &report).await.body;
    assert!(page.contains("Invited 8, skipped 0.") && !page.contains("Continue sending"), "{page}");
    app.dispatch_pending_emails().await;
    let progress: Value =
        app.call(&app.staff, "/api/delivery_progress", &[("round", &round)]).await.json().await.unwrap();
    assert_eq!(progress, serde_json::json!({"waiting": 0, "queued": 0, "sent": 8, "failed": 0}));
}

#[tokio::test]
async fn someone_who_declines_while_a_round_is_under_way_is_not_invited_by_it() {
    let app = spawn_app_with(Options { invitations_per_request: Some(1), ..Options::default() }).await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    for n in 0..2 {
        app.add_member("Later", &format!("Tester{n}"), &format!("later{n}@example.org")).await;
    }
    // Invited two days ago: the round replaces that invitation, unless they decline it first.
    let (dana, link) = app.invited_member("Later", "later.dana@example.org").await;
    app.clock.advance(2 * DAY);
    app.staff_login().await;
    let fields = [("q", "later")];
    let dry = plan(&app, &fields).await;
    assert_eq!(dry["will_invite"], 3);
    let key = dry["request_key"].as_str().unwrap().to_owned();
    let report = location(&send(&app, &key, &fields).await);
    let token = link.trim_start_matches("/invite/");
    let declined = app.post_form(&browser(), "/api/decline_invitation", &link, &[("token", token)]).await;
    assert_eq!(location(&declined), "/declined");
    let round = report.trim_start_matches("/staff/bulk-sends/").to_owned();
    for _ in 0..3 {
        app.post_form(&app.staff, "/api/continue_round", &report, &[("round", &round)]).await;
    }
    let dana_contact = app.self_contact(dana).await;
    let latest = app
        .state
        .db
        .fetch_all(portico_app::stmt!(
            "SELECT declined_at IS NOT NULL AS declined FROM invitations WHERE contact_id = ? ORDER BY id DESC LIMIT 1",
            dana_contact
        ))
        .await
        .unwrap();
    assert_eq!(latest[0]["declined"], 1, "her decline stands: no new invitation");
    let page = app.get(&app.staff, &report).await.body;
    assert!(page.contains("Invited 2, skipped 1.") && page.contains("their details changed meanwhile"), "{page}");
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn not_yet_registered_lists_everyone_without_a_login_and_send_all_leaves_the_rest_out() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let (with_login, link) = app.invited_member("Liam", "liam@example.org").await;
    app.accept(&browser(), &link, "liam-password-1").await;
    let added = app
        .call(
            &app.staff,
            "/api/add_contact",
            &[
                ("member_id", &with_login.to_string()),
                ("first_name", "Pia"),
                ("last_name", "Parent"),
                ("relation", "parent"),
                ("email", "pia@example.org"),
                ("primary", "true"),
            ],
        )
        .await;
    assert!(added.status().is_success());
    let page = app.get(&app.staff, "/staff/not-registered").await.body;
    for shown in ["Pia Parent", "Ada Lovelace", "Kenji Sato", "Send all"] {
        assert!(page.contains(shown), "{shown}: {page}");
    }
    assert!(!page.contains("liam@example.org"), "Liam has a login");
    let dry = plan(&app, &[("not_registered", "true")]).await;
    assert_eq!(dry["will_invite"], 3, "Ada, Kenji and Pia: {dry}");
    let names: Vec<&str> =
        dry["lines"].as_array().unwrap().iter().map(|l| l["contact_name"].as_str().unwrap()).collect();
    assert!(!names.contains(&"Liam Example"), "{names:?}");
}

#[tokio::test]
async fn a_bad_selection_a_forged_key_or_someone_elses_round_is_refused_and_writes_nothing() {
    let app = spawn_app().await;
    app.staff_login().await;
    let writes = "SELECT (SELECT count(*) FROM invitations) + (SELECT count(*) FROM bulk_sends)";
    let many = (1..=1001).map(|n| n.to_string()).collect::<Vec<_>>().join(",");
    for (fields, status, message) in [
        (vec![("members", "1,two")], 422, "The selected members are not a list of member numbers."),
        (vec![("members", "1,-3")], 422, "The selected members are not a list of member numbers."),
        (vec![("members", many.as_str())], 422, "Select at most 1,000 members at once."),
        (vec![("status", "everyone")], 422, "There is no status filter called “everyone”."),
    ] {
        let response = app.call(&app.staff, "/api/plan_round", &fields).await;
        assert_eq!(response.status(), status, "{fields:?}");
        assert!(response.text().await.unwrap().contains(message), "{message}");
    }
    for key in ["", "short", "not a key at all!!"] {
        let response = app.call(&app.staff, "/api/send_round", &[("request_key", key)]).await;
        assert_eq!(response.status(), 409, "{key:?}");
    }
    assert_eq!(app.count(writes).await, 0);

    // Another organisation's staff cannot read or continue this organisation's round.
    email_api_accepts(&app).await;
    let key = plan(&app, &[]).await["request_key"].as_str().unwrap().to_owned();
    let round = location(&send(&app, &key, &[]).await).trim_start_matches("/staff/bulk-sends/").to_owned();
    app.add_staff_login("other@example.org", "other-password-1", "Other Club", true).await;
    let other = browser();
    app.login(&other, "other@example.org", "other-password-1").await;
    for endpoint in ["/api/round_details", "/api/delivery_progress", "/api/continue_round"] {
        assert_eq!(app.call(&other, endpoint, &[("round", &round)]).await.status(), 404, "{endpoint}");
    }
    // Nor reuse its key to land on it.
    let response = app.call(&other, "/api/send_round", &[("request_key", &key)]).await;
    assert_eq!(response.status(), 409);
}

/// "Invite selected" is for the ticked members only: with none ticked, the dry run, a form
/// post and a hydrated call are refused with the reason, whatever filter or search comes
/// with them, and nothing is written — never a round for everyone.
#[tokio::test]
async fn invite_selected_with_nothing_ticked_is_refused_never_widened() {
    let app = spawn_app().await;
    app.staff_login().await;
    email_api_accepts(&app).await;
    app.add_member("Ada", "Byron", "ada@example.org").await;
    let writes = "SELECT (SELECT count(*) FROM invitations) + (SELECT count(*) FROM bulk_sends)";
    let nothing_ticked = portico_app::api::rounds::NOTHING_TICKED;
    for fields in [vec![("ticked", "true")], vec![("ticked", "true"), ("members", " "), ("status", "not-invited")]] {
        let dry = app.call(&app.staff, "/api/plan_round", &fields).await;
        assert_eq!(dry.status(), 422, "{fields:?}");
        assert!(dry.text().await.unwrap().contains(nothing_ticked), "{fields:?}");
    }
    let page = app.get(&app.staff, "/staff/invite-round?ticked=true").await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains(&portico_app::domain::html::escape_html(nothing_ticked)), "{}", page.body);
    assert!(!page.body.contains("Will invite") && !page.body.contains("name=\"request_key\""), "nothing to send");

    let key = plan(&app, &[]).await["request_key"].as_str().unwrap().to_owned();
    let posted = send(&app, &key, &[("ticked", "true")]).await;
    assert!(refusal(&posted).contains(nothing_ticked), "{}", refusal(&posted));
    let called = app.call(&app.staff, "/api/send_round", &[("request_key", &key), ("ticked", "true")]).await;
    assert_eq!(called.status(), 422);
    assert_eq!(app.count(writes).await, 0, "no round, no invitation");

    // Ticked, the round is exactly those members.
    let id = app.add_member("Bea", "Byron", "bea@example.org").await.to_string();
    let dry = plan(&app, &[("ticked", "true"), ("members", &id)]).await;
    assert_eq!(dry["will_invite"], 1, "{dry}");
    assert_eq!(dry["description"], "1 selected member");
}

/// A round's title says exactly whom it is for, and a round of more than 500 invitations is
/// sent only once staff typed that number: no number, an old one or a wrong one is refused
/// next to the box and writes nothing.
#[tokio::test]
async fn a_round_of_more_than_500_goes_only_with_its_number_typed() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let organisation = app.count("SELECT id FROM organisations").await;
    portico_app::seed::seed_members(app.state.db.as_ref(), organisation, 600, START).await.unwrap();
    app.add_member("Zebulon", "Quill", "zebulon@example.org").await;
    let small = plan(&app, &[("q", "zebulon")]).await;
    assert_eq!(small["description"], "1 member — matching “zebulon”");

    let dry = plan(&app, &[]).await;
    let everyone = app.count("SELECT count(*) FROM members").await;
    assert_eq!(dry["description"], format!("{everyone} members — everyone"));
    let count = dry["will_invite"].as_i64().unwrap();
    assert!(count > 500, "{count}");
    let page = app.get(&app.staff, "/staff/invite-round?q=").await.body;
    let shown = portico_app::domain::numbers::thousands(count);
    assert!(page.contains(&format!("This round sends {shown} invitations at once.")), "{page}");
    assert!(page.contains(r#"name="confirmed_count""#), "{page}");

    let key = dry["request_key"].as_str().unwrap();
    let writes = "SELECT (SELECT count(*) FROM invitations) + (SELECT count(*) FROM bulk_sends)
                        + (SELECT count(*) FROM bulk_send_results) + (SELECT count(*) FROM outbox)";
    let refusal = format!("This round sends {shown} invitations. Type {shown} in the box to confirm");
    for typed in ["", "500", &(count - 1).to_string(), &(count + 1).to_string(), "all of them"] {
        let response =
            app.call(&app.staff, "/api/send_round", &[("request_key", key), ("confirmed_count", typed)]).await;
        assert_eq!(response.status(), 422, "{typed:?}");
        let body = response.text().await.unwrap();
        assert!(body.contains("confirmed_count") && body.contains(&refusal), "{typed:?}: {body}");
        assert_eq!(app.count(writes).await, 0, "{typed:?}: nothing written");
    }
    // As the page shows it, with its comma: sent, under the same key.
    let sent = send(&app, key, &[("confirmed_count", &shown)]).await;
    assert!(location(&sent).starts_with("/staff/bulk-sends/"));
    assert_eq!(app.count("SELECT count(*) FROM invitations").await, count);
    assert_eq!(app.count("SELECT count(*) FROM bulk_sends").await, 1);
    let report = app.get(&app.staff, &location(&sent)).await.body;
    assert!(report.contains(&format!("{everyone} members — everyone")), "{report}");
}

/// A round's report once hid the people skipped beyond its first 1,000 lines, invited ones
/// first — the very people staff must fix. It lists everyone now, a page at a time, one
/// outcome at a time with each outcome's count, and downloads as CSV the same way.
#[tokio::test]
async fn a_rounds_report_pages_everyone_filters_by_outcome_and_downloads_as_csv() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    for n in 0..103 {
        app.add_member("Paged", &format!("Tester{n:03}"), &format!("paged{n}@example.org")).await;
    }
    app.add_member("Paged", "Noemail1", "").await;
    app.add_member("Paged", "Noemail2", "").await;
    let fields = [("q", "paged")];
    let key = plan(&app, &fields).await["request_key"].as_str().unwrap().to_owned();
    let report = location(&send(&app, &key, &fields).await);
    app.dispatch_pending_emails().await;
    sql(&app, portico_app::stmt!("UPDATE outbox SET status = 'dead' WHERE to_email = 'paged7@example.org'")).await;

    let page = app.get(&app.staff, &report).await.body;
    for chip in ["Everyone (105)", "Invited (102)", "E-mail not delivered (1)", "Skipped: No e-mail on file (2)"] {
        assert!(page.contains(chip), "{chip}: {page}");
    }
    assert!(page.contains("1–100 of 105") && page.contains("Page 1 of 2"), "{page}");
    let (skipped, invited) =
        (page.find("Skipped: Paged Noemail1").unwrap(), page.find("Invited: Paged Tester").unwrap());
    assert!(skipped < invited, "the people to fix come first");

    let failed = app.get(&app.staff, &format!("{report}?outcome=delivery-failed")).await.body;
    assert!(failed.contains("E-mail not delivered: Paged Tester007") && failed.contains("1–1 of 1"), "{failed}");
    assert!(!failed.contains("Invited: Paged"), "only that outcome: {failed}");
    let second = app.get(&app.staff, &format!("{report}?page=2")).await.body;
    assert!(second.contains("101–105 of 105") && second.contains("← Previous 100"), "{second}");

    let csv = app.staff.get(format!("{}{report}/report.csv", app.address)).send().await.unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.unwrap();
    assert_eq!(text.lines().count(), 106, "a header and everyone");
    assert!(text.lines().any(|l| l == "Paged Noemail1,Paged Noemail1,,Skipped,No e-mail on file."), "{text}");
    let csv = app.staff.get(format!("{}{report}/report.csv?outcome=skipped-no-e-mail-on-file", app.address));
    assert_eq!(csv.send().await.unwrap().text().await.unwrap().lines().count(), 3);
    // An outcome the round does not have, here or in the CSV, is a plain refusal.
    let unknown = app.staff.get(format!("{}{report}/report.csv?outcome=%3Cscript%3E", app.address));
    let unknown = unknown.send().await.unwrap();
    assert_eq!(unknown.status(), 422);
    assert!(!unknown.text().await.unwrap().contains("<script>"));
    let unknown = app.get(&app.staff, &format!("{report}?outcome=%3Cscript%3E")).await;
    assert_eq!(unknown.status, 422);
    assert!(unknown.body.contains("This round has nobody with that outcome") && !unknown.body.contains("<script>"));
    let outsider = browser().get(format!("{}{report}/report.csv", app.address)).send().await.unwrap();
    assert_eq!(location(&outsider), "/login", "the sign-in page, not the file");
}
