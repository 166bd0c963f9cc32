use crate::helpers::*;

#[tokio::test]
async fn staff_add_a_member_and_open_their_profile() {
    let app = spawn_app().await;
    app.staff_login().await;
    let response = app
        .post_form(
            &app.staff,
            "/api/add_member",
            "/staff/members/new",
            &[
                ("first_name", " Grace "),
                ("last_name", "Hopper"),
                ("email", "Grace@Example.org"),
                ("phone", "+1 (555) 010-2030"),
                ("address", "1 Navy Yard\r\nArlington VA"),
            ],
        )
        .await;
    let profile_path = location(&response);
    assert!(profile_path.starts_with("/staff/members/"), "{profile_path}");

    let profile = app.get(&app.staff, &profile_path).await;
    assert_eq!(profile.status, 200);
    for shown in ["Grace Hopper", "grace@example.org", "+1 (555) 010-2030", "1 Navy Yard\nArlington VA", ">Invite<"] {
        assert!(profile.body.contains(shown), "{shown} missing from {}", profile.body);
    }
    let list = app.get(&app.staff, "/staff/members").await;
    let row = list_row(&list.body, "Grace Hopper");
    assert!(row.contains("Not invited"), "{row}");
    assert!(row.contains("Never"), "last login column: {row}");
}

#[tokio::test]
async fn bad_member_input_gets_a_message_per_field_keeps_what_was_typed_and_writes_nothing() {
    let app = spawn_app().await;
    app.staff_login().await;
    let before = app.count("SELECT count(*) FROM members").await;
    let response = app
        .post_form(
            &app.staff,
            "/api/add_member",
            "/staff/members/new",
            &[
                ("first_name", ""),
                ("last_name", "Hopper"),
                ("email", "grace@@example"),
                ("phone", "call me"),
                ("address", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), 302);
    let back = location(&response);
    assert!(back.starts_with(&format!("{}/staff/members/new?", app.address)), "{back}");
    assert_eq!(app.count("SELECT count(*) FROM members").await, before);

    let page = app.get(&app.staff, back.trim_start_matches(&app.address)).await;
    assert!(page.body.contains("Enter a name."));
    assert!(page.body.contains("Enter an e-mail address like name@example.org."));
    assert!(page.body.contains("Enter a phone number using digits"));
    assert!(page.body.contains("value=\"Hopper\""), "what was typed is kept");
    assert!(page.body.contains("aria-invalid=\"true\""));

    // The hydrated client gets the same messages as a 422.
    let response = app
        .call(
            &app.staff,
            "/api/add_member",
            &[("first_name", "Grace"), ("last_name", &"x".repeat(101)), ("email", ""), ("phone", ""), ("address", "")],
        )
        .await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("That name is too long"));
    assert_eq!(app.count("SELECT count(*) FROM members").await, before);
}

#[tokio::test]
async fn staff_pages_send_a_visitor_without_a_session_to_sign_in() {
    let app = spawn_app().await;
    for page in [
        "/staff/members",
        "/staff/members/new",
        "/staff/members/1",
        "/staff/members/1/contacts/1/invite",
        "/staff/members/1/contacts/new",
    ] {
        let response = app.get(&browser(), page).await;
        assert_eq!(response.status, 302, "{page}");
        assert_eq!(response.headers["location"], "/login", "{page}");
    }
    let response = app.call(&browser(), "/api/list_members", &[]).await;
    assert_eq!(response.status(), 401);
}

/// `portico seed --members N` adds N members with their contacts in a few statements: every
/// twentieth without an e-mail, every fifth with a parent as a primary representative.
#[tokio::test]
async fn seeding_adds_members_with_their_contacts() {
    let app = spawn_app().await;
    let before = app.count("SELECT count(*) FROM members").await;
    portico_app::seed::seed_members(app.state.db.as_ref(), 1, 1000, START).await.unwrap();
    assert_eq!(app.count("SELECT count(*) FROM members").await, before + 1000);
    let own = "SELECT count(*) FROM contacts c JOIN members m ON m.id = c.member_id WHERE c.is_self = 1";
    assert_eq!(app.count(own).await, before + 1000, "each has their own contact");
    assert_eq!(app.count("SELECT count(*) FROM contacts WHERE is_self = 0").await, 200);
    assert_eq!(app.count("SELECT count(*) FROM contacts WHERE is_self = 1 AND email IS NULL").await, 50);
    app.staff_login().await;
    // Their names are folded for search like any other: found without the accents.
    let found = app.get(&app.staff, "/staff/members?q=elodie%20muller").await;
    assert_eq!(found.status, 200);
    assert!(found.body.contains("Élodie Müller"), "{}", found.body);
}

#[tokio::test]
async fn an_archived_member_leaves_the_list_the_portal_and_their_login() {
    let app = spawn_app().await;
    app.staff_login().await;
    email_api_accepts(&app).await;
    let (member_id, link) = app.invited_member("Wren", "wren@example.org").await;
    let member = portico_harness::browser();
    app.accept(&member, &link, "wren's own password").await;
    assert_eq!(app.get(&member, "/portal").await.status, 200);
    let profile = format!("/staff/members/{member_id}");
    let page = app.get(&app.staff, &format!("{profile}?confirm=archive")).await.body;
    assert!(page.contains("Archive Wren Example?"), "asked first");

    let archived =
        app.post_form(&app.staff, "/api/archive_member", &profile, &[("member_id", &member_id.to_string())]).await;
    assert_eq!(location(&archived), "/staff/members");
    let list = app.get(&app.staff, "/staff/members").await.body;
    assert_eq!(notice(&list).as_deref(), Some("Wren Example archived."));
    assert!(!list.contains(&format!("{profile}\"")), "no longer listed");
    assert_eq!(app.get(&app.staff, &profile).await.status, 404);
    let portal = app.get(&member, "/portal").await.body;
    assert!(!portal.contains("Wren Example"), "their login no longer sees the profile: {portal}");
    let again =
        app.post_form(&app.staff, "/api/archive_member", &profile, &[("member_id", &member_id.to_string())]).await;
    assert_ne!(location(&again), "/staff/members", "nothing to archive twice");
    app.assert_standings_fresh().await;

    // Archived by mistake: listed on "Archived members", and restored as they were.
    let hostile = app.add_member("<b>Bold</b>", "<script>x</script>", "").await;
    let hostile_profile = format!("/staff/members/{hostile}");
    app.post_form(&app.staff, "/api/archive_member", &hostile_profile, &[("member_id", &hostile.to_string())]).await;
    let archived_page = app.get(&app.staff, "/staff/members/archived").await;
    assert_eq!(archived_page.status, 200);
    assert!(
        archived_page.body.contains("Wren Example") && archived_page.body.contains("Restore"),
        "{}",
        archived_page.body
    );
    assert!(archived_page.body.contains("&lt;b&gt;Bold&lt;/b&gt; &lt;script&gt;x&lt;/script&gt;"), "escaped");
    assert!(!archived_page.body.contains("<b>Bold"), "never as markup");
    let restored = app
        .post_form(
            &app.staff,
            "/api/restore_member",
            "/staff/members/archived",
            &[("member_id", &member_id.to_string())],
        )
        .await;
    assert_eq!(location(&restored), profile);
    let page = app.get(&app.staff, &profile).await;
    assert_eq!(page.status, 200);
    assert_eq!(notice(&page.body).as_deref(), Some("Wren Example restored."));
    assert!(page.body.contains("Wren Example restored from the archive"), "on the timeline");
    assert!(app.get(&app.staff, "/staff/members").await.body.contains(&format!("{profile}\"")), "listed again");
    assert!(app.get(&member, "/portal").await.body.contains("Wren Example"), "their login sees the profile again");
    let archived_page = app.get(&app.staff, "/staff/members/archived").await.body;
    assert!(!archived_page.contains("Wren Example"), "no longer archived");
    let twice = app
        .post_form(
            &app.staff,
            "/api/restore_member",
            "/staff/members/archived",
            &[("member_id", &member_id.to_string())],
        )
        .await;
    assert_ne!(location(&twice), profile, "a member not archived is not restored");
    app.assert_standings_fresh().await;
}
