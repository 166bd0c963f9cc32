//! The role matrix: every staff server function and page, and which roles reach it. Allowed
//! means anything but "not found" (the call may still be refused for its input, or for the
//! state of what it names); not allowed is always 404, as for something that is not there.
//! Each role gets its own app, with real things to name: a member, contacts, a group, a
//! template, a round, a link request, a staff invitation.

use std::collections::HashMap;

use portico_app::stmt;
use reqwest::Client;

use crate::helpers::*;
use portico_harness::endpoints::ENDPOINTS;

const ROLES: [&str; 4] = ["owner", "administrator", "security_administrator", "staff"];
const ALL: [bool; 4] = [true, true, true, true];
const MANAGERS: [bool; 4] = [true, true, false, false];
const LOGIN_ADMINS: [bool; 4] = [true, true, true, false];

/// Each staff server function (with what it is sent: a field's value is taken from the
/// fixture when it names a thing, else as written) and each staff page, and whether each of
/// ROLES (in order) reaches it.
const MATRIX: &[(&str, &[(&str, &str)], [bool; 4])] = &[
    (
        "/api/add_contact",
        &[("member_id", "member"), ("first_name", ""), ("last_name", ""), ("relation", ""), ("email", "")],
        ALL,
    ),
    ("/api/add_booking", &[("member_id", "member"), ("title", ""), ("starts", "")], ALL),
    ("/api/add_membership", &[("member_id", "member"), ("programme", "")], ALL),
    ("/api/add_member", &[("first_name", ""), ("last_name", ""), ("email", ""), ("phone", ""), ("address", "")], ALL),
    ("/api/add_to_group", &[("group_id", "group"), ("member_id", "other_member")], ALL),
    ("/api/add_profiles_to_group", &[("group_id", "group"), ("members", "")], ALL),
    ("/api/profiles_to_add", &[("group_id", "group"), ("q", "ex")], ALL),
    ("/api/profiles_named", &[("members", "member")], ALL),
    ("/api/bulk_sends", &[], ALL),
    ("/api/cancel_booking", &[("member_id", "member"), ("booking_id", "booking")], ALL),
    ("/api/change_login_email", &[("contact_id", "contact"), ("email", "not an address")], LOGIN_ADMINS),
    ("/api/continue_round", &[("round", "round")], ALL),
    ("/api/create_group", &[("name", "")], ALL),
    ("/api/decide_link_request", &[("request_id", "link_request")], ALL),
    ("/api/delivery_progress", &[("round", "round")], ALL),
    ("/api/grant_access", &[("user_id", "first_owner")], MANAGERS),
    ("/api/group_details", &[("group_id", "group")], ALL),
    ("/api/invite_group_owners", &[("group_id", "group"), ("request_key", "too short")], ALL),
    ("/api/invite_staff", &[("name", ""), ("email", ""), ("role", "")], MANAGERS),
    ("/api/link_requests", &[], ALL),
    ("/api/list_groups", &[], ALL),
    ("/api/list_members", &[], ALL),
    ("/api/list_templates", &[], ALL),
    ("/api/member_profile", &[("member_id", "member")], ALL),
    ("/api/member_records", &[("member_id", "member")], ALL),
    ("/api/not_registered", &[], ALL),
    ("/api/plan_round", &[("members", "member")], ALL),
    ("/api/portal_settings", &[], ALL),
    ("/api/preview_invitation", &[("contact_id", "contact")], ALL),
    ("/api/preview_invitation_draft", &[("contact_id", "contact")], ALL),
    ("/api/record_decline", &[("contact_id", "contact"), ("reason", "")], ALL),
    ("/api/reenable_invite_link", &[("contact_id", "no_email_contact")], LOGIN_ADMINS),
    ("/api/remove_from_group", &[("group_id", "group"), ("member_id", "member")], ALL),
    ("/api/remove_staff", &[("user_id", "first_owner")], MANAGERS),
    ("/api/resend_invitation", &[("contact_id", "contact")], ALL),
    ("/api/revoke_invitation", &[("contact_id", "contact")], ALL),
    ("/api/revoke_staff_invitation", &[("invitation_id", "staff_invitation")], MANAGERS),
    ("/api/round_details", &[("round", "round")], ALL),
    ("/api/save_template", &[("name", ""), ("subject", ""), ("body", "")], MANAGERS),
    ("/api/send_invitation", &[("contact_id", "contact"), ("email", "not an address"), ("message", "")], ALL),
    ("/api/send_round", &[("request_key", "too short")], ALL),
    ("/api/team_overview", &[], MANAGERS),
    ("/api/templates_to_manage", &[], MANAGERS),
    ("/api/remove_logo", &[], MANAGERS),
    ("/api/api_keys", &[], MANAGERS),
    ("/api/imports", &[], MANAGERS),
    ("/api/webhooks", &[], MANAGERS),
    ("/api/webhook_log", &[("endpoint_id", "webhook")], MANAGERS),
    ("/api/add_webhook", &[("url", ""), ("invitation_sent", "true")], MANAGERS),
    ("/api/set_webhook_enabled", &[("endpoint_id", "0")], MANAGERS),
    ("/api/send_webhook_again", &[("endpoint_id", "0"), ("delivery_id", "0")], MANAGERS),
    ("/api/import_details", &[("import", "import")], MANAGERS),
    ("/api/run_import", &[("import", "import")], MANAGERS),
    ("/api/create_api_key", &[("name", ""), ("access", "read")], MANAGERS),
    ("/api/revoke_api_key", &[("id", "0"), ("name", "")], MANAGERS),
    ("/api/unlink_login", &[("contact_id", "contact")], ALL),
    (
        "/api/update_contact",
        &[("contact_id", "representative"), ("first_name", ""), ("last_name", ""), ("relation", ""), ("email", "")],
        ALL,
    ),
    (
        "/api/update_member",
        &[
            ("member_id", "member"),
            ("first_name", ""),
            ("last_name", ""),
            ("email", ""),
            ("phone", ""),
            ("address", ""),
        ],
        ALL,
    ),
    (
        "/api/update_settings",
        &[("name", ""), ("sender_name", ""), ("sender_email", ""), ("validity_days", ""), ("auto_link", "sometimes")],
        MANAGERS,
    ),
    ("/api/share_file", &[("member_id", "member"), ("file_id", "file")], ALL),
    ("/api/update_staff", &[("user_id", "first_owner"), ("role", "boss"), ("sees", "all")], MANAGERS),
    ("/api/withdraw_access", &[("user_id", "first_owner")], MANAGERS),
    ("/staff/members", &[], ALL),
    ("/staff/members/new", &[], ALL),
    ("/staff/not-registered", &[], ALL),
    ("/staff/members/archived", &[], ALL),
    ("/api/archived_members", &[], ALL),
    ("/staff/members/{member}", &[], ALL),
    ("/staff/members/{member}/edit", &[], ALL),
    ("/staff/members/{member}/contacts/new", &[], ALL),
    ("/staff/members/{member}/contacts/{representative}/edit", &[], ALL),
    ("/staff/members/{member}/contacts/{contact}/invite", &[], ALL),
    ("/staff/groups", &[], ALL),
    ("/staff/groups/{group}", &[], ALL),
    ("/staff/add-to-group?member={member}", &[], ALL),
    ("/staff/email-preview?template={template}", &[], ALL),
    ("/staff/bulk-sends", &[], ALL),
    ("/staff/bulk-sends/{round}", &[], ALL),
    ("/staff/invite-round", &[], ALL),
    ("/staff/link-requests", &[], ALL),
    ("/staff/settings", &[], ALL),
    ("/staff/templates", &[], MANAGERS),
    ("/staff/templates/{template}", &[], MANAGERS),
    ("/staff/team", &[], MANAGERS),
    ("/staff/logo", &[], ALL),
    ("/staff/api-keys", &[], MANAGERS),
    ("/staff/webhooks", &[], MANAGERS),
    ("/staff/webhooks/{webhook}", &[], MANAGERS),
    ("/staff/imports", &[], MANAGERS),
    ("/staff/imports/{import}", &[], MANAGERS),
    ("/staff/imports/{import}/rows-to-fix.csv", &[], MANAGERS),
    ("/files/{file}", &[], ALL),
    // Last: the pages above show what these take away.
    ("/api/remove_contact", &[("contact_id", "representative")], ALL),
    ("/api/remove_membership", &[("member_id", "member"), ("membership_id", "membership")], ALL),
    ("/api/remove_file", &[("member_id", "member"), ("file_id", "file")], ALL),
    ("/api/archive_template", &[("template_id", "template")], MANAGERS),
    ("/api/archive_member", &[("member_id", "member")], ALL),
    ("/api/restore_member", &[("member_id", "member")], ALL),
];

/// Server functions that are not staff's: for anyone, members, or the link's holder.
const NOT_STAFF: &[&str] = &[
    "/api/accept_invitation",
    "/api/confirm_sign_up",
    "/api/decline_invitation",
    "/api/dev_mailbox",
    "/api/dev_only",
    "/api/invitation_preview",
    "/api/join_staff",
    "/api/link_invitation",
    "/api/login",
    "/api/logout",
    "/api/password_reset_preview",
    "/api/portal_profile",
    "/api/request_new_link",
    "/api/request_password_reset",
    "/api/reset_password",
    "/api/set_up",
    "/api/setup_needed",
    "/api/sign_up",
    "/api/sign_up_page",
    "/api/sign_up_preview",
    "/api/staff_invitation_preview",
    "/api/whoami",
];

#[test]
fn the_matrix_names_every_staff_server_function() {
    let mut listed: Vec<&str> = MATRIX
        .iter()
        .map(|(path, _, _)| *path)
        .filter(|p| p.starts_with("/api/"))
        .chain(NOT_STAFF.iter().copied())
        .collect();
    listed.sort_unstable();
    let mut all: Vec<&str> = ENDPOINTS.iter().map(|(path, _)| *path).collect();
    all.sort_unstable();
    assert_eq!(listed, all);
}

/// The things the matrix names, made in a fresh app by its owner, by id.
async fn fixture(app: &TestApp) -> HashMap<&'static str, String> {
    email_api_accepts(app).await;
    app.staff_login().await;
    let member = app.add_member("Ada", "Example", "ada@example.org").await;
    let other_member = app.add_member("Ben", "Example", "ben@example.org").await;
    let no_email = app.add_member("Cy", "Example", "").await;
    let contact = app.self_contact(member).await;
    let representative = app
        .post_form(
            &app.staff,
            "/api/add_contact",
            &format!("/staff/members/{member}/contacts/new"),
            &[
                ("member_id", &*member.to_string()),
                ("first_name", "Pat"),
                ("last_name", "Example"),
                ("relation", "Parent"),
                ("email", "pat@example.org"),
            ],
        )
        .await;
    assert_eq!(location(&representative), format!("/staff/members/{member}"));
    let created = app.post_form(&app.staff, "/api/create_group", "/staff/groups", &[("name", "The Examples")]).await;
    let group = location(&created).trim_start_matches("/staff/groups/").to_owned();
    app.call(&app.staff, "/api/add_to_group", &[("group_id", &group), ("member_id", &member.to_string())]).await;
    let template = app.template("Welcome", "Welcome", "Hello {first_name}: {link}").await;
    let sent = app
        .call(
            &app.staff,
            "/api/send_round",
            &[("request_key", "matrix-round-0001"), ("members", &other_member.to_string())],
        )
        .await;
    assert!(sent.status().is_success() || sent.status().is_redirection(), "{}", sent.status());
    let records = [
        ("/api/add_membership", &[("programme", "Karate")][..]),
        ("/api/add_booking", &[("title", "Private lesson"), ("starts", "2026-11-30T18:00")]),
    ];
    let member_field = member.to_string();
    for (endpoint, fields) in records {
        let fields: Vec<(&str, &str)> =
            [("member_id", member_field.as_str())].into_iter().chain(fields.iter().copied()).collect();
        let status = app.call(&app.staff, endpoint, &fields).await.status();
        assert!(status.is_success() || status.is_redirection(), "{endpoint}: {status}");
    }
    assert_eq!(app.upload(&app.staff, member, "grading.pdf", b"%PDF-1.4", true).await.status(), 303);
    app.call(&app.staff, "/api/invite_staff", &[("name", "Jo"), ("email", "jo@example.org"), ("role", "staff")]).await;
    app.state
        .db
        .batch(vec![
            stmt!("INSERT INTO users (email, password_hash, created_at) VALUES ('linker@example.org', 'x', 0)"),
            stmt!(
                "INSERT INTO link_requests (organisation_id, user_id, contact_id, created_at)
                 SELECT 1, id, ?, 0 FROM users WHERE email = 'linker@example.org'",
                contact
            ),
            stmt!(
                "INSERT INTO webhook_endpoints (organisation_id, url, events, secret, created_by, created_at)
                 SELECT 1, 'https://hooks.example.org/x', ' invitation.sent ', 'whsec_eA==', min(user_id), 0
                 FROM staff WHERE role = 'owner'"
            ),
        ])
        .await
        .unwrap();
    let import = app.upload_import(&app.staff, "members.csv", b"Name\nZed Example\n").await;
    assert!(location(&import).starts_with("/staff/imports/"), "{}", location(&import));
    let mut ids = HashMap::new();
    for (name, sql) in [
        ("import", "SELECT max(id) FROM imports"),
        ("representative", "SELECT max(id) FROM contacts WHERE is_self = 0"),
        ("round", "SELECT max(id) FROM bulk_sends"),
        ("staff_invitation", "SELECT max(id) FROM staff_invitations"),
        ("link_request", "SELECT max(id) FROM link_requests"),
        ("webhook", "SELECT max(id) FROM webhook_endpoints"),
        ("first_owner", "SELECT min(user_id) FROM staff WHERE role = 'owner'"),
        ("membership", "SELECT max(id) FROM memberships"),
        ("booking", "SELECT max(id) FROM bookings"),
        ("file", "SELECT max(id) FROM member_files"),
    ] {
        ids.insert(name, app.count(sql).await.to_string());
    }
    ids.insert("member", member.to_string());
    ids.insert("other_member", other_member.to_string());
    ids.insert("no_email_contact", app.self_contact(no_email).await.to_string());
    ids.insert("contact", contact.to_string());
    ids.insert("group", group);
    ids.insert("template", template.to_string());
    ids
}

/// Whether `client` reaches the page or server function: anything but 404 (and not sent
/// to sign in).
async fn reaches(
    app: &TestApp,
    client: &Client,
    path: &str,
    fields: &[(&str, &str)],
    ids: &HashMap<&str, String>,
) -> bool {
    let status = if path.starts_with("/api/") {
        let fields: Vec<(&str, &str)> =
            fields.iter().map(|(name, value)| (*name, ids.get(value).map_or(*value, String::as_str))).collect();
        app.call(client, path, &fields).await.status()
    } else {
        let mut page = path.to_owned();
        for (name, id) in ids {
            page = page.replace(&format!("{{{name}}}"), id);
        }
        app.get(client, &page).await.status
    };
    assert!(status != 401 && status.as_u16() < 500, "{path}: {status}");
    status != 404
}

#[tokio::test]
async fn every_role_reaches_exactly_what_the_matrix_says() {
    for (column, role) in ROLES.iter().enumerate() {
        let app = spawn_app().await;
        let ids = fixture(&app).await;
        let client = app.staff_in_role(&format!("{role}.matrix@example.org"), role).await;
        let mut wrong = Vec::new();
        for (path, fields, allowed) in MATRIX {
            if reaches(&app, &client, path, fields, &ids).await != allowed[column] {
                wrong.push(*path);
            }
        }
        assert!(wrong.is_empty(), "{role}: not as the matrix says: {wrong:?}");
    }
}
