//! Staff and roles: owners and administrators invite staff with a token of its own kind,
//! set their roles and what they see; no one grants above their own role, nor changes
//! someone above them; the last owner stays.

use portico_app::seed::DEMO_OWNER_EMAIL;
use reqwest::Client;

use crate::helpers::*;

async fn invite_staff(app: &TestApp, client: &Client, name: &str, email: &str, role: &str) -> reqwest::Response {
    app.call(client, "/api/invite_staff", &[("name", name), ("email", email), ("role", role)]).await
}

/// The staff invitation link (`/join-staff/<token>`) in the newest e-mail.
async fn staff_link(app: &TestApp) -> String {
    app.dispatch_pending_emails().await;
    link_in(&app.sent_emails().await.pop().expect("an e-mail was sent"), "/join-staff/")
}

/// The join form, posted as from the link's page (no Referer, `Origin: null`).
async fn join(app: &TestApp, client: &Client, link: &str, password: &str, again: &str) -> reqwest::Response {
    let token = link.trim_start_matches("/join-staff/");
    client
        .post(format!("{}/api/join_staff", app.address))
        .header("accept", "text/html")
        .header("origin", "null")
        .header("sec-fetch-site", "same-origin")
        .form(&[("token", token), ("password", password), ("confirm_password", again)])
        .send()
        .await
        .unwrap()
}

async fn user_id(app: &TestApp, email: &str) -> String {
    let rows = app.state.db.fetch_all(portico_app::stmt!("SELECT id FROM users WHERE email = ?", email)).await.unwrap();
    rows[0]["id"].as_i64().unwrap().to_string()
}

async fn update(app: &TestApp, client: &Client, user: &str, role: &str, sees: &str) -> reqwest::Response {
    app.call(client, "/api/update_staff", &[("user_id", user), ("role", role), ("sees", sees)]).await
}

#[tokio::test]
async fn the_owner_invites_staff_who_join_from_the_link_and_the_timeline_says_so() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let sent = app
        .post_form(
            &app.staff,
            "/api/invite_staff",
            "/staff/team",
            &[("name", "Jo Bloggs"), ("email", "Jo@Example.org"), ("role", "security_administrator")],
        )
        .await;
    assert_eq!(location(&sent), "/staff/team");
    let link = staff_link(&app).await;
    let email = app.sent_emails().await.pop().unwrap();
    assert_eq!(email["to"], serde_json::json!(["jo@example.org"]));
    assert!(email["text"].as_str().unwrap().contains("as Security administrator"), "{email}");
    let team = app.get(&app.staff, "/staff/team").await.body;
    assert!(team.contains("Jo Bloggs (jo@example.org)") && team.contains("Withdraw invitation"), "{team}");
    // Opening the link changes nothing, however often; it says who invites them as what.
    let before = app.dump("SELECT * FROM staff_invitations").await;
    for _ in 0..3 {
        let page = app.get(&browser(), &link).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Welcome to the Riverside Martial Arts team, Jo Bloggs"), "{}", page.body);
        assert_eq!(page.headers["referrer-policy"], "no-referrer");
    }
    assert_eq!(app.dump("SELECT * FROM staff_invitations").await, before);
    let jo = browser();
    let refused = join(&app, &jo, &link, "jo's password 1", "not the same").await;
    assert!(location(&refused).starts_with("/join-staff/"), "a mistake goes back to the link's page");
    assert_eq!(app.count("SELECT count(*) FROM users WHERE email = 'jo@example.org'").await, 0);
    assert_eq!(location(&join(&app, &jo, &link, "jo's password 1", "jo's password 1").await), "/staff/members");
    assert_eq!(app.get(&jo, "/staff/members").await.status, 200);
    // Used once: the link is dead now, for anyone.
    assert_eq!(app.get(&browser(), &link).await.status, 404);
    assert_ne!(
        location(&join(&app, &browser(), &link, "other password 1", "other password 1").await),
        "/staff/members"
    );
    let team = app.get(&app.staff, "/staff/team").await.body;
    assert!(!team.contains("Withdraw invitation"), "{team}");
    let again = invite_staff(&app, &app.staff, "Jo Bloggs", "jo@example.org", "staff").await;
    assert_eq!(again.status(), 422);
    assert!(again.text().await.unwrap().contains("This address is on the team already."));
    let settings = app.get(&app.staff, "/staff/settings").await.body;
    assert!(
        settings.contains("Invited Jo Bloggs (jo@example.org) to the team as Security administrator (to see only the members and groups given — none yet), by Sam Rivera.")
    );
    assert!(settings.contains("Joined the team: Jo Bloggs (jo@example.org) as security_administrator, by Jo Bloggs."));
}

#[tokio::test]
async fn a_staff_token_opens_no_member_invitation_and_a_member_token_no_staff_invitation() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let (_, member_link) = app.invited_member("Ada", "ada@example.org").await;
    invite_staff(&app, &app.staff, "Jo Bloggs", "jo@example.org", "staff").await;
    let staff_link = staff_link(&app).await;
    let staff_token = staff_link.trim_start_matches("/join-staff/");
    let member_token = member_link.trim_start_matches("/invite/");
    assert_eq!(app.get(&browser(), &format!("/invite/{staff_token}")).await.status, 404);
    assert_eq!(app.get(&browser(), &format!("/join-staff/{member_token}")).await.status, 404);
    assert_eq!(app.call(&browser(), "/api/invitation_preview", &[("token", staff_token)]).await.status(), 404);
    assert_eq!(app.call(&browser(), "/api/staff_invitation_preview", &[("token", member_token)]).await.status(), 404);
    let as_member = app.accept(&browser(), &format!("/invite/{staff_token}"), "jo's password 1").await;
    assert_eq!(refusal(&as_member), "InvalidLink");
    let as_staff =
        join(&app, &browser(), &format!("/join-staff/{member_token}"), "ada's password 1", "ada's password 1").await;
    assert_eq!(refusal(&as_staff), "InvalidLink");
    assert_eq!(app.count("SELECT count(*) FROM users WHERE email IN ('jo@example.org', 'ada@example.org')").await, 0);
    // Each still works for its own kind.
    assert_eq!(
        location(&join(&app, &browser(), &staff_link, "jo's password 1", "jo's password 1").await),
        "/staff/members"
    );
    assert_eq!(location(&app.accept(&browser(), &member_link, "ada's password 1").await), "/portal");
}

#[tokio::test]
async fn an_existing_login_joins_with_its_own_password_which_stays() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let (_, member_link) = app.invited_member("Ada", "ada@example.org").await;
    assert_eq!(location(&app.accept(&browser(), &member_link, "ada's password 1").await), "/portal");
    invite_staff(&app, &app.staff, "Ada Example", "ada@example.org", "staff").await;
    let link = staff_link(&app).await;
    assert!(app.get(&browser(), &link).await.body.contains("sign in with its password to join"));
    let wrong = app
        .call(
            &browser(),
            "/api/join_staff",
            &[("token", link.trim_start_matches("/join-staff/")), ("password", "a guess at it")],
        )
        .await;
    assert_eq!(wrong.status(), 422);
    assert_eq!(location(&join(&app, &browser(), &link, "ada's password 1", "").await), "/staff/members");
    let ada = browser();
    assert_eq!(location(&app.login(&ada, "ada@example.org", "ada's password 1").await), "/staff/members");
}

#[tokio::test]
async fn no_one_grants_a_role_above_their_own_nor_changes_someone_above_them() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    let admin = app.staff_in_role("admin@example.org", "administrator").await;
    let refused = invite_staff(&app, &admin, "Olga Owner", "olga@example.org", "owner").await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("You cannot give a role above your own."));
    assert_eq!(invite_staff(&app, &admin, "Al Admin", "al@example.org", "administrator").await.status(), 200);
    let owner = user_id(&app, DEMO_OWNER_EMAIL).await;
    let before = app.dump("SELECT * FROM staff").await;
    let demote = update(&app, &admin, &owner, "staff", "all").await;
    assert_eq!(demote.status(), 409);
    assert!(demote.text().await.unwrap().contains("Only an owner can change"));
    assert_eq!(app.call(&admin, "/api/remove_staff", &[("user_id", &owner)]).await.status(), 409);
    let me = user_id(&app, "admin@example.org").await;
    assert_eq!(update(&app, &admin, &me, "owner", "all").await.status(), 409, "nor promotes themself");
    assert_eq!(app.dump("SELECT * FROM staff").await, before);
    for (role, sees) in [("boss", "all"), ("staff", "some")] {
        assert_eq!(update(&app, &admin, &me, role, sees).await.status(), 422, "{role} {sees}");
    }
    // Nor replaces the owner's open invitation of an owner by inviting the same address.
    app.staff_login().await;
    assert_eq!(invite_staff(&app, &app.staff, "Olga Owner", "olga@example.org", "owner").await.status(), 200);
    let invitations = app.dump("SELECT * FROM staff_invitations").await;
    let replaced = invite_staff(&app, &admin, "Olga Owner", "olga@example.org", "staff").await;
    assert_eq!(replaced.status(), 409);
    assert!(replaced.text().await.unwrap().contains("only an owner can replace it"));
    assert_eq!(app.dump("SELECT * FROM staff_invitations").await, invitations);
    // A security administrator or staff manages no one.
    let security = app.staff_in_role("sec@example.org", "security_administrator").await;
    assert_eq!(invite_staff(&app, &security, "Sid", "sid@example.org", "staff").await.status(), 404);
    assert_eq!(update(&app, &security, &me, "staff", "all").await.status(), 404);
    assert_eq!(app.get(&security, "/staff/team").await.status, 404);
}

#[tokio::test]
async fn the_last_owner_stays_an_owner_until_there_is_another() {
    let app = spawn_app().await;
    app.staff_login().await;
    let owner = user_id(&app, DEMO_OWNER_EMAIL).await;
    for refused in [
        update(&app, &app.staff, &owner, "administrator", "all").await,
        app.call(&app.staff, "/api/remove_staff", &[("user_id", &owner)]).await,
    ] {
        assert_eq!(refused.status(), 409);
        assert!(refused.text().await.unwrap().contains("The organisation needs an owner"));
    }
    app.staff_in_role("second@example.org", "administrator").await;
    let second = user_id(&app, "second@example.org").await;
    assert_eq!(update(&app, &app.staff, &second, "owner", "all").await.status(), 200);
    assert_eq!(update(&app, &app.staff, &owner, "administrator", "all").await.status(), 200);
    assert_eq!(app.count("SELECT count(*) FROM staff WHERE role = 'owner'").await, 1);
    let settings = app.get(&app.staff, "/staff/settings").await.body;
    assert!(settings.contains("Sam Rivera is now Administrator, seeing every member, by Sam Rivera."), "{settings}");
}

#[tokio::test]
async fn staff_limited_to_a_group_see_only_its_members_and_removal_ends_their_sessions() {
    let app = spawn_app().await;
    app.staff_login().await;
    let ada = app.add_member("Ada", "Example", "ada@example.org").await;
    let ben = app.add_member("Ben", "Example", "ben@example.org").await;
    let created = app.post_form(&app.staff, "/api/create_group", "/staff/groups", &[("name", "Ada's family")]).await;
    let group = location(&created).trim_start_matches("/staff/groups/").to_owned();
    let added =
        app.call(&app.staff, "/api/add_to_group", &[("group_id", &group), ("member_id", &ada.to_string())]).await;
    assert_eq!(added.status(), 200);
    let helper = app.staff_in_role("helper@example.org", "staff").await;
    let user = user_id(&app, "helper@example.org").await;
    assert_eq!(update(&app, &app.staff, &user, "staff", "given").await.status(), 200);
    assert_eq!(app.get(&helper, &format!("/staff/members/{ada}")).await.status, 404, "given nothing yet");
    let grant = [("user_id", user.as_str()), ("group_id", group.as_str())];
    assert_eq!(app.call(&app.staff, "/api/grant_access", &grant).await.status(), 200);
    assert_eq!(app.call(&app.staff, "/api/grant_access", &grant).await.status(), 409, "given already");
    assert_eq!(app.get(&helper, &format!("/staff/members/{ada}")).await.status, 200);
    assert_eq!(app.get(&helper, &format!("/staff/members/{ben}")).await.status, 404);
    let listed = app.get(&helper, "/staff/members").await.body;
    assert!(listed.contains("Ada") && !listed.contains("Ben Example"), "{listed}");
    // One member given directly, too.
    let one = [("user_id", user.as_str()), ("member_id", &*ben.to_string())];
    assert_eq!(app.call(&app.staff, "/api/grant_access", &one).await.status(), 200);
    assert_eq!(app.get(&helper, &format!("/staff/members/{ben}")).await.status, 200);
    let profile = app.get(&app.staff, &format!("/staff/members/{ada}")).await.body;
    assert!(profile.contains("helper@example.org: sees this member through a group"), "{profile}");
    assert!(
        app.get(&app.staff, &format!("/staff/members/{ben}"))
            .await
            .body
            .contains("helper@example.org: sees this member ")
    );
    assert_eq!(app.call(&app.staff, "/api/withdraw_access", &grant).await.status(), 200);
    assert_eq!(app.get(&helper, &format!("/staff/members/{ada}")).await.status, 404);
    let team = app.get(&app.staff, "/staff/team").await.body;
    assert!(team.contains("Sees only: Ben Example"), "{team}");
    // Off the team: the session ends at once.
    assert_eq!(app.call(&app.staff, "/api/remove_staff", &[("user_id", &user)]).await.status(), 200);
    let sessions =
        "SELECT count(*) FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = 'helper@example.org')";
    assert_eq!(app.count(sessions).await, 0, "their sessions are deleted");
    let after = app.get(&helper, "/staff/members").await;
    assert!(after.status.is_redirection(), "{}", after.status);
    assert_eq!(after.headers["location"], "/login", "signed out, not merely refused");
    assert_eq!(app.count("SELECT count(*) FROM staff_access").await, 0);
}

/// The store's guards refuse on their own, whatever the server function checked first: an
/// administrator's statement cannot touch an owner nor make one, and the last owner's row
/// cannot stop being an owner's. Nothing is written, not even the timeline's line.
#[tokio::test]
async fn the_sql_guards_refuse_without_the_checks_before_them() {
    use portico_app::domain::Role;
    use portico_app::store::scope::StaffScope;
    use portico_app::store::team;
    let app = spawn_app().await;
    app.staff_in_role("admin@example.org", "administrator").await;
    let (owner, admin) = (user_id(&app, DEMO_OWNER_EMAIL).await, user_id(&app, "admin@example.org").await);
    let (owner, admin): (i64, i64) = (owner.parse().unwrap(), admin.parse().unwrap());
    let db = app.state.db.as_ref();
    let as_admin = StaffScope {
        organisation_id: 1,
        user_id: admin,
        all_members: true,
        role: Role::Administrator,
        zone: portico_app::domain::dates::Zone::utc(),
    };
    let as_owner = StaffScope { user_id: owner, role: Role::Owner, ..as_admin.clone() };
    let before = app.dump("SELECT * FROM staff").await + &app.dump("SELECT * FROM events").await;
    assert!(!team::update_staff(db, &as_admin, owner, Role::Staff, true, "x", START).await.unwrap());
    assert!(!team::update_staff(db, &as_admin, admin, Role::Owner, true, "x", START).await.unwrap());
    assert!(!team::remove_staff(db, &as_admin, owner, "x", START).await.unwrap());
    assert!(!team::update_staff(db, &as_owner, owner, Role::Administrator, true, "x", START).await.unwrap());
    assert!(!team::remove_staff(db, &as_owner, owner, "x", START).await.unwrap());
    let mail = |key: &str| queued_email(&key.repeat(20));
    let new = team::NewStaffInvitation {
        email: "olga@example.org",
        name: "Olga",
        role: Role::Owner,
        token_hash: "hash",
        expires_at: START + DAY,
        all_members: true,
        group_id: None,
        detail: "x",
    };
    assert!(!team::create_invitation(db, &as_admin, &new, &mail("k"), START).await.unwrap());
    assert_eq!(app.dump("SELECT * FROM staff").await + &app.dump("SELECT * FROM events").await, before);
    assert_eq!(
        app.count("SELECT count(*) FROM outbox").await + app.count("SELECT count(*) FROM staff_invitations").await,
        0
    );
    // Nor does an administrator's invitation replace the owner's open one to the same address.
    let owners_invitation = team::NewStaffInvitation { token_hash: "owner's", ..new };
    assert!(team::create_invitation(db, &as_owner, &owners_invitation, &mail("o"), START).await.unwrap());
    let invitations = app.dump("SELECT * FROM staff_invitations").await;
    let as_staff = team::NewStaffInvitation { role: Role::Staff, token_hash: "admin's", ..new };
    assert!(!team::create_invitation(db, &as_admin, &as_staff, &mail("a"), START).await.unwrap(), "nor replaces it");
    assert_eq!(app.dump("SELECT * FROM staff_invitations").await, invitations);
    // The same statements do what is allowed.
    assert!(team::update_staff(db, &as_owner, admin, Role::Owner, true, "x", START).await.unwrap());
    assert!(team::update_staff(db, &as_owner, owner, Role::Administrator, true, "x", START).await.unwrap());
}

/// Staff invited with the Staff role once started with every member, limited only after
/// they joined. What they see is chosen with the invitation and set in the join's own
/// batch: by default nothing until given, or one group, or everyone when chosen so.
#[tokio::test]
async fn what_invited_staff_see_is_set_at_invitation_and_holds_from_their_first_page() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let inside = app.add_member("Ina", "Inside", "ina@example.org").await;
    let outside = app.add_member("Otto", "Outside", "otto@example.org").await;
    let created = app.post_form(&app.staff, "/api/create_group", "/staff/groups", &[("name", "Juniors")]).await;
    let group = location(&created).trim_start_matches("/staff/groups/").to_owned();
    let (g, m) = (group.clone(), inside.to_string());
    app.post_form(
        &app.staff,
        "/api/add_to_group",
        &format!("/staff/members/{m}"),
        &[("group_id", &g), ("member_id", &m)],
    )
    .await;

    let fields =
        [("name", "Gil Group"), ("email", "gil@example.org"), ("role", "staff"), ("sees", &format!("group-{group}"))];
    assert_eq!(app.call(&app.staff, "/api/invite_staff", &fields).await.status(), 200);
    let team = app.get(&app.staff, "/staff/team").await.body;
    assert!(team.contains("Will see only the members of the group “Juniors”."), "{team}");
    let link = staff_link(&app).await;
    let welcome = app.get(&browser(), &link).await.body;
    assert!(
        welcome.contains("You are invited as Staff. You will see only the members of the group “Juniors”."),
        "{welcome}"
    );
    let gil = browser();
    assert_eq!(location(&join(&app, &gil, &link, "gil's password 1", "gil's password 1").await), "/staff/members");
    let list = app.get(&gil, "/staff/members").await.body;
    assert!(
        list.contains("Ina Inside") && !list.contains("Otto Outside"),
        "only the group, from the first page: {list}"
    );
    assert_eq!(app.get(&gil, &format!("/staff/members/{outside}")).await.status, 404);

    // Nothing chosen: nothing seen until given.
    invite_staff(&app, &app.staff, "Nell None", "nell@example.org", "staff").await;
    let link = staff_link(&app).await;
    assert!(
        app.get(&browser(), &link).await.body.contains("You will see only the members and groups given — none yet.")
    );
    let nell = browser();
    join(&app, &nell, &link, "nell's password 1", "nell's password 1").await;
    let list = app.get(&nell, "/staff/members").await.body;
    assert!(!list.contains("Ina Inside") && !list.contains("Otto Outside"), "{list}");

    // Everyone, when chosen; and a group of another kind of value is refused, writing nothing.
    let before = app.dump("SELECT * FROM staff_invitations").await;
    for sees in ["group-999", "group-x", "<script>"] {
        let fields = [("name", "Eve"), ("email", "eve@example.org"), ("role", "staff"), ("sees", sees)];
        let refused = app.call(&app.staff, "/api/invite_staff", &fields).await;
        assert_eq!(refused.status(), 422, "{sees}");
        assert!(refused.text().await.unwrap().contains("Choose one of the ways listed."));
    }
    assert_eq!(app.dump("SELECT * FROM staff_invitations").await, before);
    let fields = [("name", "Al All"), ("email", "al@example.org"), ("role", "staff"), ("sees", "all")];
    app.call(&app.staff, "/api/invite_staff", &fields).await;
    let link = staff_link(&app).await;
    let al = browser();
    join(&app, &al, &link, "al's password 12", "al's password 12").await;
    let list = app.get(&al, "/staff/members").await.body;
    assert!(list.contains("Ina Inside") && list.contains("Otto Outside"), "{list}");
}
