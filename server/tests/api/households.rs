//! Households without duplicates: a parent added to a second child is asked first whether
//! she is the person already on the first child's profile; the same person has one login
//! for every profile of hers (a login she has reaches the new one at once, one acceptance
//! opens them all), a round writes to her once, and profiles are put into a group from the
//! group's page or from a selection on the member list.

use crate::helpers::*;

const CONTACTS: &str = "SELECT count(*) FROM contacts";

impl TestApp {
    /// Anna Keller, representative of the member `child`, at anna@example.org, as staff add
    /// her; `same_person` answers the question when it is asked ("" leaves it unanswered).
    async fn add_anna(&self, child: i64, same_person: &str) -> reqwest::Response {
        let child = child.to_string();
        self.call(&self.staff, "/api/add_contact", &anna_fields(&child, same_person)).await
    }

    /// Max and Mia Keller, their mother Anna added to both (answering `same_person` the
    /// second time), both in one group: that group.
    async fn kellers(&self, same_person: &str) -> i64 {
        let max = self.add_member("Max", "Keller", "").await;
        let mia = self.add_member("Mia", "Keller", "").await;
        self.add_anna(max, "").await;
        self.add_anna(mia, same_person).await;
        self.group_of("The Kellers", &[max, mia]).await
    }

    async fn group_of(&self, name: &str, members: &[i64]) -> i64 {
        let created = self.post_form(&self.staff, "/api/create_group", "/staff/groups", &[("name", name)]).await;
        let group: i64 = location(&created).trim_start_matches("/staff/groups/").parse().unwrap();
        let ids: Vec<String> = members.iter().map(i64::to_string).collect();
        let fields = [("group_id", group.to_string()), ("members", ids.join(","))];
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let added = self.post_form(&self.staff, "/api/add_profiles_to_group", "/staff/add-to-group", &fields).await;
        assert_eq!(location(&added), format!("/staff/groups/{group}"));
        group
    }

    /// "Invite all owners" of the group, dry run then send; the dry run's page.
    async fn invite_owners(&self, group: i64) -> String {
        let plan = self.get(&self.staff, &format!("/staff/groups/{group}?plan=1")).await.body;
        let at = plan.find("name=\"request_key\" value=\"").expect("the form's key") + 26;
        let key = plan[at..].split('"').next().unwrap().to_owned();
        let fields = [("group_id", group.to_string()), ("request_key", key)];
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let sent = self.call(&self.staff, "/api/invite_group_owners", &fields).await;
        assert_eq!(sent.status(), 200, "{}", sent.text().await.unwrap());
        plan
    }
}

/// The add-representative form's fields for Anna Keller on the member `child`.
fn anna_fields<'a>(child: &'a str, same_person: &'a str) -> [(&'static str, &'a str); 7] {
    [
        ("member_id", child),
        ("first_name", "Anna"),
        ("last_name", "Keller"),
        ("relation", "mother"),
        ("email", "anna@example.org"),
        ("primary", "true"),
        ("same_person", same_person),
    ]
}

#[tokio::test]
async fn a_parent_added_to_a_second_child_is_asked_first_and_nothing_is_written_until_answered() {
    let app = spawn_app().await;
    app.staff_login().await;
    let max = app.add_member("Max", "Keller", "").await;
    let mia = app.add_member("Mia", "Keller", "").await;
    assert_eq!(app.add_anna(max, "").await.status(), 200, "the first time there is nothing to ask");
    let before = app.count(CONTACTS).await;

    let asked = app.add_anna(mia, "").await;
    assert_eq!(asked.status(), 422);
    let body = asked.text().await.unwrap();
    assert!(body.contains("\"field\":\"same_person\""), "{body}");
    assert!(body.contains("Anna Keller has this e-mail address on Max Keller's profile"), "{body}");
    assert_eq!(app.count(CONTACTS).await, before, "nothing written until answered");

    // Without JavaScript the form comes back with the question and everything as typed.
    let page = format!("/staff/members/{mia}/contacts/new");
    let child = mia.to_string();
    let back = app.post_form(&app.staff, "/api/add_contact", &page, &anna_fields(&child, "")).await;
    let shown = app.get(&app.staff, &app.sent_back_to(&back)).await.body;
    assert!(shown.contains("The same person?") && shown.contains("name=\"same_person\" value=\"yes\""), "{shown}");
    assert!(shown.contains("value=\"anna@example.org\"") && shown.contains("value=\"mother\""), "{shown}");
    assert!(app.add_anna(mia, "maybe").await.status() == 422, "only yes or no answers it");
    assert_eq!(app.count(CONTACTS).await, before);

    assert_eq!(app.add_anna(mia, "yes").await.status(), 200);
    let same = app
        .count("SELECT count(*) FROM contacts WHERE email = 'anna@example.org' AND same_as = (SELECT min(id) FROM contacts WHERE email = 'anna@example.org')")
        .await;
    assert_eq!(same, 1, "the second Anna names the first as the same person");
}

/// The issue: the same mother "listed twice in Invite all owners, who then gets two
/// separate e-mails". Now one e-mail names both children, and accepting it opens both.
#[tokio::test]
async fn the_same_person_gets_one_email_in_a_round_and_accepting_it_opens_every_profile_of_hers() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let group = app.kellers("yes").await;
    let plan = app.invite_owners(group).await;
    assert!(plan.contains("Will invite 1, skip"), "{plan}");
    assert!(
        plan.contains("The same person as Anna Keller (for Max Keller): one e-mail opens both profiles."),
        "{plan}"
    );
    app.dispatch_pending_emails().await;
    let emails = app.sent_emails().await;
    assert_eq!(emails.len(), 1, "one e-mail to her address: {emails:?}");
    let text = emails[0]["text"].as_str().unwrap();
    assert!(
        text.contains("the profile of Max Keller and Mia Keller")
            || text.contains("the profile of Mia Keller and Max Keller"),
        "{text}"
    );

    let anna = browser();
    let link = invitation_link(&emails[0]);
    assert_eq!(location(&app.accept(&anna, &link, "anna's own password").await), "/portal");
    let links = app
        .count(
            "SELECT count(*) FROM member_links l JOIN users u ON u.id = l.user_id WHERE u.email = 'anna@example.org'",
        )
        .await;
    assert_eq!(links, 2, "one login, both profiles");
    let portal = app.get(&anna, "/portal").await.body;
    assert!(portal.contains("Max Keller") && portal.contains("Mia Keller"), "{portal}");
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn a_login_of_the_same_person_reaches_a_profile_she_is_added_to_at_once() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let max = app.add_member("Max", "Keller", "").await;
    let contact = {
        app.add_anna(max, "").await;
        app.count("SELECT max(id) FROM contacts").await.to_string()
    };
    let fields = [("contact_id", contact.as_str()), ("email", "anna@example.org"), ("message", "")];
    app.call(&app.staff, "/api/send_invitation", &fields).await;
    app.dispatch_pending_emails().await;
    let anna = browser();
    app.accept(&anna, &app.invitation_links().await.pop().unwrap(), "anna's own password").await;

    let mia = app.add_member("Mia", "Keller", "").await;
    let page = format!("/staff/members/{mia}/contacts/new");
    let child = mia.to_string();
    let fields: Vec<(&str, &str)> = anna_fields(&child, "yes").into_iter().chain([("send_now", "true")]).collect();
    let added = app.post_form(&app.staff, "/api/add_contact", &page, &fields).await;
    assert_eq!(location(&added), format!("/staff/members/{mia}"));
    let profile = app.get(&app.staff, &format!("/staff/members/{mia}")).await.body;
    assert!(profile.contains("they see this profile with their login now"), "{profile}");
    assert_eq!(app.sent_emails().await.len(), 1, "no second invitation: her login reaches it");
    assert!(app.get(&anna, "/portal").await.body.contains("Mia Keller"));
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn someone_else_at_the_same_address_stays_apart_and_a_round_writes_to_the_address_once() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let group = app.kellers("no").await;
    assert_eq!(app.count("SELECT count(*) FROM contacts WHERE same_as IS NOT NULL").await, 0);
    let plan = app.invite_owners(group).await;
    assert!(plan.contains("Same e-mail address as Anna Keller (for Max Keller), one e-mail per address"), "{plan}");
    app.dispatch_pending_emails().await;
    let emails = app.sent_emails().await;
    assert_eq!(emails.len(), 1);
    assert!(emails[0]["text"].as_str().unwrap().contains("the profile of Max Keller:"));
    app.accept(&browser(), &invitation_link(&emails[0]), "anna's own password").await;
    assert_eq!(app.count("SELECT count(*) FROM member_links").await, 1, "only the profile she was invited to");
}

#[tokio::test]
async fn profiles_are_added_to_a_group_from_its_page_or_a_selection_and_nothing_ticked_is_refused() {
    let app = spawn_app().await;
    app.staff_login().await;
    let max = app.add_member("Max", "Keller", "max@example.org").await;
    let mia = app.add_member("Mia", "Keller", "").await;
    let ada = app.add_member("Ada", "Byron", "").await;
    let group = app.group_of("The Kellers", &[max]).await;
    let path = format!("/staff/groups/{group}");

    let found = app.get(&app.staff, &format!("{path}?find=kel")).await.body;
    assert!(found.contains("Mia Keller") && !found.contains("Ada Byron"), "{found}");
    assert!(found.matches(">Max Keller</a>").count() == 1, "Max is listed once, as in the group: {found}");
    let fields = [("group_id", group.to_string()), ("members", mia.to_string())];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let added = app.post_form(&app.staff, "/api/add_profiles_to_group", &path, &fields).await;
    assert_eq!(location(&added), path);
    assert!(app.get(&app.staff, &path).await.body.contains("1 profile added to “The Kellers”."));
    assert_eq!(app.call(&app.staff, "/api/add_profiles_to_group", &fields).await.status(), 409, "in it already");

    let chosen = app.get(&app.staff, &format!("/staff/add-to-group?member={ada}&member={mia}")).await.body;
    assert!(chosen.contains("Add 2 members to a group") && chosen.contains("Ada Byron"), "{chosen}");
    let nothing = app.get(&app.staff, "/staff/add-to-group").await.body;
    assert!(nothing.contains("No member is ticked. Tick the members to add to a group."), "{nothing}");
    let group_id = group.to_string();
    for members in ["", "1,x", "0"] {
        let refused =
            app.call(&app.staff, "/api/add_profiles_to_group", &[("group_id", &group_id), ("members", members)]).await;
        assert_eq!(refused.status(), 422, "{members:?}");
    }
    let both = [("group_id", group_id.as_str()), ("members", &format!("{ada},{mia}"))];
    let added = app.post_form(&app.staff, "/api/add_profiles_to_group", "/staff/add-to-group", &both).await;
    assert_eq!(location(&added), path);
    assert_eq!(app.count("SELECT count(*) FROM group_members").await, 3);

    // Another organisation's staff reach neither the group nor the members.
    app.add_staff_login("other@example.org", "other-org-password", "Other Practice", true).await;
    let other = browser();
    app.login(&other, "other@example.org", "other-org-password").await;
    assert_eq!(app.call(&other, "/api/add_profiles_to_group", &both).await.status(), 404);
    assert_eq!(app.call(&other, "/api/profiles_to_add", &[("group_id", &group_id), ("q", "kel")]).await.status(), 404);
}

#[tokio::test]
async fn whose_profiles_an_invitation_opens_is_read_by_index() {
    let app = spawn_app().await;
    portico_app::seed::seed_members(app.state.db.as_ref(), 1, 2000, START).await.unwrap();
    app.state.db.execute(portico_app::stmt!("ANALYZE")).await.unwrap();
    // A round's next 200 (each naming the profiles its e-mail opens), and one invitation's.
    let statements =
        [portico_app::store::rounds::waiting_stmt(1, 200), portico_app::store::contacts::profiles_of_stmt(7)];
    for statement in statements {
        let plan = app.query_plan(statement).await;
        let scans: Vec<_> =
            plan.iter().filter(|step| step.starts_with("SCAN ") && !step.ends_with("CONSTANT ROW")).collect();
        assert!(scans.is_empty(), "{plan:#?}");
    }
}
