//! The portal's sections: staff keep memberships, bookings and files on a profile; the
//! member sees their own (bookings and shared files only while the organisation shows
//! them), downloads only their shared files, and no one changes what they cannot see.

use reqwest::Client;

use crate::helpers::*;

/// Ada, invited and signed in on the returned browser.
async fn signed_in_member(app: &TestApp) -> (i64, Client) {
    email_api_accepts(app).await;
    app.staff_login().await;
    let (id, link) = app.invited_member("Ada", "ada@example.org").await;
    let ada = browser();
    assert_eq!(location(&app.accept(&ada, &link, "ada's own password").await), "/portal");
    (id, ada)
}

async fn add(
    app: &TestApp,
    client: &Client,
    endpoint: &str,
    member_id: i64,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let profile = format!("/staff/members/{member_id}");
    let member = member_id.to_string();
    let fields: Vec<(&str, &str)> =
        [("member_id", member.as_str())].into_iter().chain(fields.iter().copied()).collect();
    app.post_form(client, endpoint, &profile, &fields).await
}

async fn newest_file(app: &TestApp) -> String {
    app.count("SELECT max(id) FROM member_files").await.to_string()
}

#[tokio::test]
async fn staff_keep_the_sections_and_the_member_sees_only_their_own() {
    let app = spawn_app().await;
    let (ada_id, ada) = signed_in_member(&app).await;
    let ben_id = app.add_member("Ben", "Example", "ben@example.org").await;
    let profile = format!("/staff/members/{ada_id}");
    for (endpoint, fields) in [
        ("/api/add_membership", &[("programme", "Karate"), ("level", "Green belt")][..]),
        ("/api/add_booking", &[("title", "Private lesson"), ("starts", "2026-11-24T18:00"), ("place", "Dojo 2")]),
        ("/api/add_booking", &[("title", "Last week's class"), ("starts", "2026-11-20T10:00")]),
        // 16:00 on 21 November in California, at START (00:00 UTC on the 22nd): still ahead.
        ("/api/add_booking", &[("title", "Evening class"), ("starts", "2026-11-21T18:30")]),
    ] {
        assert_eq!(location(&add(&app, &app.staff, endpoint, ada_id, fields).await), profile, "{endpoint}");
    }
    assert_eq!(location(&app.upload(&app.staff, ada_id, "Grading results.pdf", b"%PDF-1.4 ada", true).await), profile);
    let shared = newest_file(&app).await;
    app.upload(&app.staff, ada_id, "C:\\staff\\notes.txt", b"staff only", false).await;
    let unshared = newest_file(&app).await;
    add(&app, &app.staff, "/api/add_membership", ben_id, &[("programme", "Judo")]).await;
    app.upload(&app.staff, ben_id, "ben.pdf", b"%PDF-1.4 ben", true).await;
    let bens = newest_file(&app).await;

    let staff_page = app.get(&app.staff, &profile).await.body;
    for shown in [
        "Karate: Green belt",
        "Private lesson, 24 November 2026, 18:00, Dojo 2",
        "notes.txt",
        "Staff only.",
        "Past bookings",
        "Last week's class, 20 November 2026, 10:00",
    ] {
        assert!(staff_page.contains(shown), "staff page lacks {shown}: {staff_page}");
    }
    let portal = app.get(&ada, "/portal").await.body;
    for shown in [
        "Karate: Green belt",
        "Evening class, 21 November 2026, 18:30",
        "Private lesson, 24 November 2026, 18:00, Dojo 2",
        "Grading results.pdf",
    ] {
        assert!(portal.contains(shown), "portal lacks {shown}: {portal}");
    }
    for hidden in ["Last week's class", "Past bookings", "notes.txt", "Judo", "ben.pdf", "Staff only", "Remove"] {
        assert!(!portal.contains(hidden), "portal shows {hidden}");
    }

    let download = ada.get(format!("{}/files/{shared}", app.address)).send().await.unwrap();
    assert_eq!(download.status(), 200);
    let header = |name: &str| download.headers()[name].to_str().unwrap().to_owned();
    assert_eq!(header("content-type"), "application/pdf");
    assert!(header("content-disposition").starts_with("attachment; filename=\"Grading results.pdf\""));
    assert_eq!(header("cache-control"), "no-store");
    assert_eq!(download.bytes().await.unwrap().as_ref(), b"%PDF-1.4 ada");
    for not_hers in [&unshared, &bens, &"9999".to_owned(), &"x".to_owned()] {
        assert_eq!(app.get(&ada, &format!("/files/{not_hers}")).await.status, 404, "file {not_hers}");
    }
    let staff_copy = app.staff.get(format!("{}/files/{unshared}", app.address)).send().await.unwrap();
    assert_eq!(staff_copy.headers()["content-type"], "text/plain; charset=utf-8", "the browser's claim is ignored");
    assert_eq!(staff_copy.bytes().await.unwrap().as_ref(), b"staff only");
    assert_eq!(location(&browser().get(format!("{}/files/{shared}", app.address)).send().await.unwrap()), "/login");

    assert!(portal.find("Evening class") < portal.find("Private lesson"), "soonest first");
    let booking = app.count("SELECT max(id) FROM bookings WHERE title = 'Private lesson'").await.to_string();
    add(&app, &app.staff, "/api/cancel_booking", ada_id, &[("booking_id", &booking)]).await;
    assert!(app.get(&ada, "/portal").await.body.contains("Dojo 2<strong>Cancelled</strong>"));
    add(&app, &app.staff, "/api/share_file", ada_id, &[("file_id", &unshared), ("shared", "true")]).await;
    add(&app, &app.staff, "/api/share_file", ada_id, &[("file_id", &shared)]).await;
    let portal = app.get(&ada, "/portal").await.body;
    assert!(portal.contains("notes.txt") && !portal.contains("Grading results.pdf"), "{portal}");
    assert_eq!(app.get(&ada, &format!("/files/{shared}")).await.status, 404);
    let membership = app.count("SELECT min(id) FROM memberships").await.to_string();
    add(&app, &app.staff, "/api/remove_membership", ada_id, &[("membership_id", &membership)]).await;
    add(&app, &app.staff, "/api/remove_file", ada_id, &[("file_id", &unshared)]).await;
    let portal = app.get(&ada, "/portal").await.body;
    assert!(portal.contains("Not enrolled in any programme.") && portal.contains("No files shared with you yet."));

    // Once 21 November is over everywhere, its evening class is no longer upcoming.
    app.clock.advance(12 * 3600);
    app.login(&ada, "ada@example.org", "ada's own password").await;
    let portal = app.get(&ada, "/portal").await.body;
    assert!(!portal.contains("Evening class") && portal.contains("Private lesson"), "{portal}");
}

#[tokio::test]
async fn switched_off_sections_are_hidden_and_their_files_do_not_download() {
    let app = spawn_app().await;
    let (ada_id, ada) = signed_in_member(&app).await;
    add(&app, &app.staff, "/api/add_booking", ada_id, &[("title", "Private lesson"), ("starts", "2026-11-24T18:00")])
        .await;
    app.upload(&app.staff, ada_id, "grading.pdf", b"%PDF", true).await;
    let file = newest_file(&app).await;
    let settings = |bookings: &'static str, files: &'static str| [("bookings_shown", bookings), ("files_shown", files)];
    let saved = app.change_settings(&app.staff, &settings("", "")).await;
    assert_eq!(location(&saved), "/staff/settings");
    let portal = app.get(&ada, "/portal").await.body;
    assert!(!portal.contains("Upcoming bookings") && !portal.contains("Private lesson"), "{portal}");
    assert!(!portal.contains("grading.pdf") && !portal.contains(">Files<"), "{portal}");
    assert!(portal.contains("Memberships"));
    assert_eq!(app.get(&ada, &format!("/files/{file}")).await.status, 404);
    let staff_page = app.get(&app.staff, &format!("/staff/members/{ada_id}")).await.body;
    assert!(staff_page.contains("Private lesson") && staff_page.contains("grading.pdf"), "staff still keep them");
    for what in ["bookings", "files"] {
        assert!(staff_page.contains(&format!("Members do not see their {what}: switched off in")), "{what}");
    }
    let settings_page = app.get(&app.staff, "/staff/settings").await.body;
    assert!(settings_page.contains("bookings shown off, files shown off, by Sam Rivera"), "{settings_page}");

    app.change_settings(&app.staff, &settings("true", "")).await;
    let portal = app.get(&ada, "/portal").await.body;
    assert!(portal.contains("Private lesson") && !portal.contains("grading.pdf"), "{portal}");
    let staff_page = app.get(&app.staff, &format!("/staff/members/{ada_id}")).await.body;
    assert!(
        !staff_page.contains("Members do not see their bookings")
            && staff_page.contains("Members do not see their files")
    );
    app.change_settings(&app.staff, &settings("true", "true")).await;
    assert!(app.get(&ada, "/portal").await.body.contains("grading.pdf"));
    assert_eq!(app.get(&ada, &format!("/files/{file}")).await.status, 200);
}

#[tokio::test]
async fn bad_input_is_refused_with_its_reason_and_writes_nothing() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let id = app.add_member("Ada", "Example", "ada@example.org").await;
    let member = id.to_string();
    for (endpoint, fields, field, message) in [
        ("/api/add_membership", vec![("programme", " ")], "programme", "Enter the programme's name."),
        (
            "/api/add_membership",
            vec![("programme", "Karate"), ("level", "Green\nbelt")],
            "level",
            "Write it on one line",
        ),
        (
            "/api/add_booking",
            vec![("title", "Lesson"), ("starts", "2026-02-30T10:00")],
            "starts",
            "That date or time does not exist.",
        ),
        (
            "/api/add_booking",
            vec![("title", "Lesson"), ("starts", "tomorrow")],
            "starts",
            "Give the date and time as 2026-12-05T18:00.",
        ),
        ("/api/add_booking", vec![("title", ""), ("starts", "2026-12-05T10:00")], "title", "Say what is booked."),
    ] {
        let fields: Vec<(&str, &str)> = [("member_id", member.as_str())].into_iter().chain(fields).collect();
        let refused = app.call(&app.staff, endpoint, &fields).await;
        assert_eq!(refused.status(), 422, "{endpoint} {field}");
        let body = refused.text().await.unwrap();
        assert!(body.contains(message) && body.contains(field), "{endpoint}: {body}");
    }
    let big = vec![b'x'; (1 << 20) + 1];
    let json = "application/json";
    for (fields, status, message) in [
        (vec![("file", Some("big.pdf"), &big[..])], 422, "That file is too large"),
        (vec![("file", Some("empty.pdf"), &b""[..])], 422, "That file is empty."),
        (vec![("file", Some(""), &b"x"[..])], 422, "Choose a file to upload."),
        (vec![("shared", None, &b"true"[..])], 422, "Choose a file to upload."),
        (vec![("file", Some("a.pdf"), &b"x"[..]), ("file", Some("b.pdf"), &b"y"[..])], 400, "more than once"),
        (vec![("member_id", None, &b"2"[..]), ("file", Some("a.pdf"), &b"x"[..])], 400, "a field it should not"),
    ] {
        let refused = app.post_multipart(&app.staff, id, json, &fields).await;
        assert_eq!(refused.status(), status, "{message}");
        let body = refused.text().await.unwrap();
        assert!(body.contains(message), "{message}: {body}");
    }
    let not_multipart = app.call(&app.staff, &format!("/staff/members/{id}/files"), &[("file", "x")]).await;
    assert_eq!(not_multipart.status(), 400);

    // A browser's form comes back to the profile, the reason shown by the file field.
    let refused = app.upload(&app.staff, id, "empty.pdf", b"", true).await;
    let back = location(&refused);
    assert!(back.starts_with(&format!("{BASE_URL}/staff/members/{id}?__path=")), "{back}");
    let page = app.get(&app.staff, back.trim_start_matches(BASE_URL)).await.body;
    assert!(page.contains("That file is empty."), "{page}");
    let kept = "SELECT (SELECT count(*) FROM memberships) + (SELECT count(*) FROM bookings)
                       + (SELECT count(*) FROM member_files)";
    assert_eq!(app.count(kept).await, 0);
}

#[tokio::test]
async fn no_one_changes_or_reads_what_they_cannot_see() {
    let app = spawn_app().await;
    let (ada_id, ada) = signed_in_member(&app).await;
    add(&app, &app.staff, "/api/add_membership", ada_id, &[("programme", "Karate")]).await;
    add(&app, &app.staff, "/api/add_booking", ada_id, &[("title", "Lesson"), ("starts", "2026-11-24T18:00")]).await;
    app.upload(&app.staff, ada_id, "grading.pdf", b"%PDF", false).await;
    let ids = [
        ("membership_id", app.count("SELECT max(id) FROM memberships").await.to_string()),
        ("booking_id", app.count("SELECT max(id) FROM bookings").await.to_string()),
        ("file_id", newest_file(&app).await),
    ];
    let before = app.dump("SELECT * FROM memberships").await
        + &app.dump("SELECT * FROM bookings").await
        + &app.dump("SELECT id, shared FROM member_files").await;
    app.add_staff_login("limited@example.org", "limited-password-1", "Riverside Martial Arts", false).await;
    let limited = browser();
    app.login(&limited, "limited@example.org", "limited-password-1").await;
    app.add_staff_login("other@example.org", "other-password-1", "Another School", true).await;
    let other_organisation = browser();
    app.login(&other_organisation, "other@example.org", "other-password-1").await;
    for (who, client) in
        [("limited staff", &limited), ("another organisation", &other_organisation), ("the member", &ada)]
    {
        let member = ada_id.to_string();
        let calls: [(&str, Vec<(&str, &str)>); 7] = [
            ("/api/member_records", vec![]),
            ("/api/add_membership", vec![("programme", "Judo")]),
            ("/api/add_booking", vec![("title", "Lesson"), ("starts", "2026-11-25T18:00")]),
            ("/api/remove_membership", vec![("membership_id", &ids[0].1)]),
            ("/api/cancel_booking", vec![("booking_id", &ids[1].1)]),
            ("/api/share_file", vec![("file_id", &ids[2].1), ("shared", "true")]),
            ("/api/remove_file", vec![("file_id", &ids[2].1)]),
        ];
        for (endpoint, fields) in calls {
            let fields: Vec<(&str, &str)> = [("member_id", member.as_str())].into_iter().chain(fields).collect();
            assert_eq!(app.call(client, endpoint, &fields).await.status(), 404, "{who}: {endpoint}");
        }
        let json = "application/json";
        let upload = app.post_multipart(client, ada_id, json, &[("file", Some("x.pdf"), b"x")]).await;
        assert_eq!(upload.status(), 404, "{who}: upload");
        assert_eq!(app.get(client, &format!("/files/{}", ids[2].1)).await.status, 404, "{who}: download");
    }
    let after = app.dump("SELECT * FROM memberships").await
        + &app.dump("SELECT * FROM bookings").await
        + &app.dump("SELECT id, shared FROM member_files").await;
    assert_eq!(after, before);
    let signed_out = app.post_multipart(&browser(), ada_id, "text/html", &[("file", Some("x.pdf"), b"x")]).await;
    assert_eq!(location(&signed_out), "/login");
    let (content_type, body) = portico_harness::multipart::multipart(&[("file", Some("x.pdf"), b"x")]);
    let cross_site = app
        .staff
        .post(format!("{}/staff/members/{ada_id}/files", app.address))
        .header("origin", "https://elsewhere.example")
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), 403, "a page elsewhere cannot upload as the signed-in staff");
    assert_eq!(app.count("SELECT count(*) FROM member_files").await, 1);
}
