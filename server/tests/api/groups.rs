//! Households: "Invite all owners" invites each primary contact with an e-mail, no login,
//! no waiting invitation and no decline — once, even when the form is sent twice — and
//! says why everyone else was skipped. Staff who cannot see the members reach nothing.

use crate::helpers::*;

impl TestApp {
    async fn group_with(&self, name: &str, members: &[i64]) -> i64 {
        let created = self.post_form(&self.staff, "/api/create_group", "/staff/groups", &[("name", name)]).await;
        let group: i64 = location(&created).trim_start_matches("/staff/groups/").parse().unwrap();
        for member in members {
            let (g, m) = (group.to_string(), member.to_string());
            let profile = format!("/staff/members/{m}");
            let added = self
                .post_form(&self.staff, "/api/add_to_group", &profile, &[("group_id", &g), ("member_id", &m)])
                .await;
            assert_eq!(location(&added), profile);
        }
        group
    }

    async fn add_representative(&self, member: i64, first: &str, email: &str, primary: bool, send_now: bool) {
        let id = member.to_string();
        let mut fields =
            vec![("member_id", id.as_str()), ("first_name", first), ("last_name", "Case"), ("relation", "")];
        fields.push(("email", email));
        if primary {
            fields.push(("primary", "true"));
        }
        if send_now {
            fields.push(("send_now", "true"));
        }
        assert_eq!(self.call(&self.staff, "/api/add_contact", &fields).await.status(), 200);
    }
}

fn request_key(page: &str) -> String {
    let start = page.find("name=\"request_key\" value=\"").expect("the form's key") + 26;
    page[start..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn invite_all_owners_invites_each_primary_contact_once_and_says_why_others_were_skipped() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let ada = app.add_member("Ada", "Case", "ada@example.org").await;
    let ben = app.add_member("Ben", "Case", "").await;
    app.add_representative(ben, "Rosa", "rosa@example.org", true, false).await;
    app.add_representative(ben, "Nico", "nico@example.org", false, false).await;
    app.add_representative(ada, "Wim", "wim@example.org", true, true).await;
    let group = app.group_with("The Case family", &[ada, ben]).await;
    let path = format!("/staff/groups/{group}");
    let page = app.get(&app.staff, &path).await;
    assert!(page.body.contains("Rosa Case") && page.body.contains("Invite all owners"), "{}", page.body);
    let before = app.count("SELECT count(*) FROM outbox").await;
    // The dry run first: the same lines, nothing written.
    let plan = app.get(&app.staff, &format!("{path}?plan=1")).await.body;
    assert!(plan.contains("Will invite 2, skip 3.") && plan.contains("Send 2 invitations"), "{plan}");
    assert!(plan.contains("Will invite: Rosa Case (Ben Case), rosa@example.org"), "{plan}");
    assert!(
        plan.contains(
            "Skipped: Nico Case (Ben Case), nico@example.org — Not a primary contact (rounds go to primary contacts only)."
        ),
        "{plan}"
    );
    assert_eq!(app.count("SELECT count(*) FROM outbox").await, before);
    assert_eq!(app.count("SELECT count(*) FROM bulk_sends").await, 0);
    let key = request_key(&plan);

    let group_text = group.to_string();
    let fields = [("group_id", group_text.as_str()), ("request_key", key.as_str())];
    let sent = app.post_form(&app.staff, "/api/invite_group_owners", &path, &fields).await;
    let report_path = location(&sent);
    assert!(report_path.starts_with("/staff/bulk-sends/"), "{report_path}");
    assert_eq!(app.count("SELECT count(*) FROM outbox").await, before + 2, "Ada and Rosa");
    let report = app.get(&app.staff, &report_path).await.body;
    assert!(report.contains("Invited 2, skipped 3."), "{report}");
    assert!(report.contains("E-mails: 0 sent, 2 waiting to be sent, 0 could not be delivered."), "{report}");
    app.dispatch_pending_emails().await;
    let delivered = app.get(&app.staff, &report_path).await.body;
    assert!(delivered.contains("E-mails: 2 sent, 0 waiting to be sent"), "reload to follow: {delivered}");
    for line in [
        "Invited: Ada Case (Ada Case), ada@example.org",
        "Invited: Rosa Case (Ben Case), rosa@example.org",
        "Skipped: Ben Case (Ben Case), no e-mail — No e-mail on file.",
        "Skipped: Nico Case (Ben Case), nico@example.org — Not a primary contact (rounds go to primary contacts only).",
        "Skipped: Wim Case (Ada Case), wim@example.org — Invited on 22 November 2026, less than 24 hours ago.",
    ] {
        assert!(report.contains(line), "{line}: {report}");
    }

    // The same form again (a double click, a retry): the same round, nothing sent twice.
    let again = app.post_form(&app.staff, "/api/invite_group_owners", &path, &fields).await;
    assert_eq!(location(&again), report_path);
    assert_eq!(app.count("SELECT count(*) FROM outbox").await, before + 2);
    // A new round now skips the two who are waiting.
    let key = request_key(&app.get(&app.staff, &format!("{path}?plan=1")).await.body);
    let fields = [("group_id", group_text.as_str()), ("request_key", key.as_str())];
    let next = location(&app.post_form(&app.staff, "/api/invite_group_owners", &path, &fields).await);
    assert!(app.get(&app.staff, &next).await.body.contains("Invited 0, skipped 5."));
    assert_eq!(app.count("SELECT count(*) FROM outbox").await, before + 2);

    // Both rounds stay reachable from the history, newest first, with their counts.
    let history = app.get(&app.staff, "/staff/bulk-sends").await.body;
    let (newest, oldest) =
        (history.find(&format!("href=\"{next}\"")), history.find(&format!("href=\"{report_path}\"")));
    assert!(newest.is_some() && oldest.is_some() && newest < oldest, "{history}");
    assert!(history.contains("<td>2</td><td>3</td>") && history.contains("<td>0</td><td>5</td>"), "{history}");
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn a_forged_key_or_a_hidden_group_writes_nothing() {
    let app = spawn_app().await;
    app.staff_login().await;
    let hidden = app.add_member("Hidden", "Case", "hidden@example.org").await;
    let group = app.group_with("Hidden family", &[hidden]).await.to_string();
    let rounds = "SELECT (SELECT count(*) FROM bulk_sends) + (SELECT count(*) FROM invitations)";
    for key in ["", "x", "not a key!", &"k".repeat(65)] {
        let response =
            app.call(&app.staff, "/api/invite_group_owners", &[("group_id", &group), ("request_key", key)]).await;
        assert_eq!(response.status(), 409, "{key:?}");
    }
    assert_eq!(app.count(rounds).await, 0);

    app.add_staff_login("limited@example.org", "limited-password", "Riverside Martial Arts", false).await;
    let limited = browser();
    app.login(&limited, "limited@example.org", "limited-password").await;
    assert!(!app.get(&limited, "/staff/groups").await.body.contains("Hidden family"));
    assert_eq!(app.get(&limited, &format!("/staff/groups/{group}")).await.status, 404);
    let key = "a-fresh-key-of-22-char";
    let send = app.call(&limited, "/api/invite_group_owners", &[("group_id", &group), ("request_key", key)]).await;
    assert_eq!(send.status(), 404);
    let member = hidden.to_string();
    let fields = [("group_id", group.as_str()), ("member_id", member.as_str())];
    assert_eq!(app.call(&limited, "/api/remove_from_group", &fields).await.status(), 404);
    assert_eq!(app.count(rounds).await, 0);
    assert_eq!(app.count("SELECT count(*) FROM group_members").await, 1);
    // A member already in the group is not added twice.
    assert_eq!(app.call(&app.staff, "/api/add_to_group", &fields).await.status(), 409);
    app.assert_standings_fresh().await;
}
