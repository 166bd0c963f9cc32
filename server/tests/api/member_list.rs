//! The member list at scale: search, status filters with counts, orders, keyset pages, the
//! URL as its state, and every query an index range (EXPLAIN QUERY PLAN).

use portico_app::domain::{MemberSort, PortalStatus};
use portico_app::store::member_list::{ListQuery, counts_stmt, page_stmt, remaining_stmt};
use portico_app::store::scope::StaffScope;
use serde_json::Value;

use crate::helpers::*;

async fn list(app: &TestApp, fields: &[(&str, &str)]) -> Value {
    let response = app.call(&app.staff, "/api/list_members", fields).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn names(page: &Value) -> Vec<String> {
    page["members"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap().to_owned()).collect()
}

fn count(page: &Value, status: &str) -> i64 {
    let counts = page["counts"].as_array().unwrap();
    counts.iter().find(|c| c[0] == status).map(|c| c[1].as_i64().unwrap()).unwrap_or_else(|| panic!("{status}"))
}

async fn contact_of(app: &TestApp, member_id: i64) -> String {
    app.self_contact(member_id).await.to_string()
}

/// One member in each standing, made through the API as staff and members would, then
/// each status filter finds exactly its member and its count says so.
#[tokio::test]
async fn each_status_filter_finds_its_members_and_counts_them() {
    let app = spawn_app().await;
    email_api_refuses(&app, "bounce@example.org").await;
    email_api_accepts(&app).await;
    app.staff_login().await;

    // Expired: invited 31 days before the others.
    let expired = app.add_member("Ezra", "Expired", "ezra@example.org").await;
    app.invite(expired, "ezra@example.org", "").await;
    app.clock.advance(31 * DAY);
    app.staff_login().await;

    app.add_member("Nora", "Noemail", "").await;
    let waiting = app.add_member("Wanda", "Waiting", "wanda@example.org").await;
    app.invite(waiting, "wanda@example.org", "").await;
    let failed = app.add_member("Fred", "Failed", "bounce@example.org").await;
    app.invite(failed, "bounce@example.org", "").await;
    let declined = app.add_member("Dora", "Declined", "dora@example.org").await;
    app.invite(declined, "dora@example.org", "").await;
    let contact = contact_of(&app, declined).await;
    app.call(&app.staff, "/api/record_decline", &[("contact_id", &contact), ("reason", "")]).await;
    let revoked = app.add_member("Reva", "Revoked", "reva@example.org").await;
    app.invite(revoked, "reva@example.org", "").await;
    let contact = contact_of(&app, revoked).await;
    app.call(&app.staff, "/api/revoke_invitation", &[("contact_id", &contact)]).await;
    let (_, accepted_link) = app.invited_member("Abe", "abe@example.org").await;
    app.accept(&browser(), &accepted_link, "abe-password-1").await;
    let (_, active_link) = app.invited_member("Ava", "ava@example.org").await;
    app.accept(&browser(), &active_link, "ava-password-1").await;
    app.clock.advance(60);
    assert_eq!(app.login(&browser(), "ava@example.org", "ava-password-1").await.status(), 302);
    app.dispatch_pending_emails().await;

    let all = list(&app, &[]).await;
    // Ada and Kenji, the demo organisation's members, have never been invited.
    for (status, expected) in [
        ("NotInvited", vec!["Ada Lovelace", "Kenji Sato"]),
        ("NoEmail", vec!["Nora Noemail"]),
        ("Waiting", vec!["Wanda Waiting"]),
        ("Expired", vec!["Ezra Expired"]),
        ("DeliveryFailed", vec!["Fred Failed"]),
        ("Declined", vec!["Dora Declined"]),
        ("Revoked", vec!["Reva Revoked"]),
        ("Accepted", vec!["Abe Example"]),
        ("Active", vec!["Ava Example"]),
    ] {
        let slug = PortalStatus::ALL.into_iter().find(|s| format!("{s:?}") == status).unwrap().slug();
        let filtered = list(&app, &[("status", slug)]).await;
        assert_eq!(names(&filtered), expected, "{status}");
        assert_eq!(count(&all, status), expected.len() as i64, "{status}");
        assert_eq!(filtered["members"][0]["status"], status);
    }
    assert_eq!(all["total"], 10);

    // Without JavaScript, the filters are links with their counts.
    let page = app.get(&app.staff, "/staff/members?status=waiting").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Invited, waiting (1)"), "{}", page.body);
    assert!(page.body.contains("Wanda Waiting") && !page.body.contains("Ezra Expired"));
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn search_finds_a_prefix_of_either_name_or_any_contacts_email_whatever_the_case_and_accents() {
    let app = spawn_app().await;
    app.staff_login().await;
    let elodie = app.add_member("Élodie", "García-Müller", "el@example.org").await;
    app.add_member("Eloise", "Garner", "ELOISE.G@Example.org").await;
    let contact_member = app.add_member("Zed", "Child", "").await;
    let added = app
        .call(
            &app.staff,
            "/api/add_contact",
            &[
                ("member_id", &contact_member.to_string()),
                ("first_name", "Pat"),
                ("last_name", "Parent"),
                ("relation", "parent"),
                ("email", "Pat.Parent@Example.org"),
            ],
        )
        .await;
    assert!(added.status().is_success(), "{}", added.status());

    for (search, expected) in [
        ("elodie", vec!["Élodie García-Müller"]),
        ("ÉLO", vec!["Élodie García-Müller", "Eloise Garner"]),
        ("garcia", vec!["Élodie García-Müller"]),
        ("garcia-mu", vec!["Élodie García-Müller"]),
        ("  elodie   garc ", vec!["Élodie García-Müller"]),
        ("gar", vec!["Élodie García-Müller", "Eloise Garner"]),
        ("eloise.g@", vec!["Eloise Garner"]),
        ("pat.parent", vec!["Zed Child"]),
        ("lodie", vec![]),
        ("%", vec![]),
    ] {
        assert_eq!(names(&list(&app, &[("q", search)]).await), expected, "{search:?}");
    }
    // A renamed member is found by the new name only.
    let id = elodie.to_string();
    let renamed = app
        .call(
            &app.staff,
            "/api/update_member",
            &[
                ("member_id", &id),
                ("first_name", "Odile"),
                ("last_name", "Ørsted"),
                ("email", "el@example.org"),
                ("phone", ""),
                ("address", ""),
                ("primary", "true"),
            ],
        )
        .await;
    assert!(renamed.status().is_success());
    assert!(names(&list(&app, &[("q", "elodie")]).await).is_empty());
    assert_eq!(names(&list(&app, &[("q", "orsted")]).await), vec!["Odile Ørsted"]);

    // Without JavaScript: the search box keeps what was searched.
    let page = app.get(&app.staff, "/staff/members?q=gar").await;
    assert!(page.body.contains("Eloise Garner") && !page.body.contains("Kenji Sato"));
    assert!(page.body.contains("value=\"gar\""), "the search box keeps the search");
    assert!(page.body.contains("1 member found."), "only Eloise since the rename: {}", page.body);
    app.assert_standings_fresh().await;
}

#[tokio::test]
async fn pages_of_fifty_in_each_order_neither_repeat_nor_skip_when_members_are_added_between_pages() {
    let app = spawn_app().await;
    portico_app::seed::seed_members(app.state.db.as_ref(), 1, 120, START).await.unwrap();
    app.staff_login().await;
    for sort in ["name", "last-login", "invited"] {
        let first = list(&app, &[("sort", sort)]).await;
        assert_eq!(first["members"].as_array().unwrap().len(), 50);
        let mut seen: Vec<i64> =
            first["members"].as_array().unwrap().iter().map(|m| m["id"].as_i64().unwrap()).collect();
        // Someone is added (sorting first by name: "Aaron Aaby") while staff read page one.
        app.add_member("Aaron", &format!("Aaby {sort}"), "").await;
        let mut next = first["next"].clone();
        while !next.is_null() {
            let after = next["after"].as_i64().unwrap().to_string();
            let page = list(&app, &[("sort", sort), ("after", &after)]).await;
            seen.extend(page["members"].as_array().unwrap().iter().map(|m| m["id"].as_i64().unwrap()));
            next = page["next"].clone();
        }
        let mut unique = seen.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), seen.len(), "{sort}: no member twice");
        let before_added = app.count("SELECT count(*) FROM members").await;
        assert!(seen.len() as i64 >= 122, "{sort}: every member that was there at the start, {}", seen.len());
        assert!(seen.len() as i64 <= before_added);
    }
    // By name, A–Z by last name then first name, folded.
    let by_name = list(&app, &[("sort", "name")]).await;
    assert_eq!(names(&by_name)[..3], ["Aaron Aaby invited", "Aaron Aaby last-login", "Aaron Aaby name"]);
    // The next page's link carries the whole state.
    let page = app.get(&app.staff, "/staff/members?sort=invited&q=m").await;
    assert!(page.body.contains("/staff/members?q=m&amp;sort=invited&amp;after="), "{}", page.body);
}

/// The issue: paging was "First page / Next 50", with no "51–100 of 3,002".
#[tokio::test]
async fn each_page_says_where_it_stands_and_the_headers_sort_the_list() {
    let app = spawn_app().await;
    portico_app::seed::seed_members(app.state.db.as_ref(), 1, 120, START).await.unwrap();
    app.staff_login().await;
    let total = app.count("SELECT count(*) FROM members").await;
    for sort in ["name", "invited"] {
        let mut shown = Vec::new();
        let mut path = format!("/staff/members?sort={sort}");
        loop {
            let page = app.get(&app.staff, &path).await.body;
            let at = page.find("<span class=\"position\">").expect("the position") + 23;
            shown.push(page[at..].split('<').next().unwrap().to_owned());
            let Some(next) = page.find("rel=\"next\"").map(|end| {
                let start = page[..end].rfind("href=\"").unwrap() + 6;
                page[start..end].split('"').next().unwrap().replace("&amp;", "&")
            }) else {
                break;
            };
            path = next;
        }
        let last = format!("101–{total} of {total}");
        assert_eq!(shown, [format!("1–50 of {total}"), format!("51–100 of {total}"), last], "{sort}");
    }
    // The headers sort: each a link, the current column marked for a screen reader.
    let page = app.get(&app.staff, "/staff/members?sort=invited").await.body;
    assert!(page.contains("aria-sort=\"descending\""), "{page}");
    assert!(page.contains("href=\"/staff/members?sort=last-login\""), "{page}");
    assert_eq!(page.matches("aria-sort=").count(), 1);
}

#[tokio::test]
async fn a_limited_staff_login_lists_and_counts_only_its_members_and_cannot_page_from_anyone_elses() {
    let app = spawn_app().await;
    app.staff_login().await;
    let mine = app.add_member("Mina", "Mine", "mina@example.org").await;
    let theirs = app.add_member("Theo", "Theirs", "theo@example.org").await;
    app.add_staff_login("helper@example.org", "helper-password-1", "Riverside Martial Arts", false).await;
    app.state
        .db
        .execute(portico_app::stmt!(
            "INSERT INTO staff_access (user_id, member_id) SELECT id, ? FROM users WHERE email = 'helper@example.org'",
            mine
        ))
        .await
        .unwrap();
    let helper = browser();
    app.login(&helper, "helper@example.org", "helper-password-1").await;
    let response = app.call(&helper, "/api/list_members", &[]).await;
    let page: Value = response.json().await.unwrap();
    assert_eq!(names(&page), vec!["Mina Mine"]);
    assert_eq!(page["total"], 1);
    assert_eq!(count(&page, "NotInvited"), 1);
    let after = theirs.to_string();
    let response = app.call(&helper, "/api/list_members", &[("after", &after)]).await;
    let page: Value = response.json().await.unwrap();
    assert!(names(&page).is_empty(), "a cursor on a member it cannot see tells nothing");
}

#[tokio::test]
async fn an_unknown_filter_order_or_page_or_an_overlong_search_is_refused_by_name() {
    let app = spawn_app().await;
    app.staff_login().await;
    for (fields, message) in [
        (vec![("status", "archived")], "There is no status filter called “archived”."),
        (vec![("sort", "age")], "The list cannot be sorted by “age”."),
        (vec![("q", &*"a".repeat(101))], "That search is too long (100 characters at most)."),
        (vec![("q", "a\u{7}b")], "A search cannot contain line breaks or control characters."),
    ] {
        let response = app.call(&app.staff, "/api/list_members", &fields).await;
        assert_eq!(response.status(), 422, "{fields:?}");
        assert!(response.text().await.unwrap().contains(message), "{message}");
    }
    let response = app.call(&app.staff, "/api/list_members", &[("after", "twelve")]).await;
    assert_eq!(response.status(), 400);
    let page = app.get(&app.staff, "/staff/members?after=twelve").await;
    assert!(page.body.contains("That page address is not valid"), "{}", page.body);
    let page = app.get(&app.staff, "/staff/members?sort=age").await;
    assert!(page.body.contains("The list cannot be sorted by “age”."));
}

/// Every list and count query, for each filter, order and with or without a search and a
/// cursor, reads members through an index: no full scan of members.
#[tokio::test]
async fn every_list_and_count_query_uses_an_index() {
    let app = spawn_app().await;
    portico_app::seed::seed_members(app.state.db.as_ref(), 1, 2000, START).await.unwrap();
    app.state.db.execute(portico_app::stmt!("ANALYZE")).await.unwrap();
    let mut checked = 0;
    // Every member, or only those given (then each member's grants are read by index too).
    for all_members in [true, false] {
        let scope = StaffScope {
            organisation_id: 1,
            user_id: 1,
            all_members,
            role: portico_app::domain::Role::Owner,
            zone: portico_app::domain::dates::Zone::utc(),
        };
        let statuses = std::iter::once(None).chain(PortalStatus::ALL.into_iter().map(Some));
        for status in statuses {
            for sort in MemberSort::ALL {
                for search in ["", "gar"] {
                    for after in [None, Some(7)] {
                        let query = ListQuery { search: search.into(), status, sort, after, not_registered: false };
                        let mut statements =
                            vec![page_stmt(&scope, &query, 51, START), counts_stmt(&scope, search, false, START)];
                        // Where a later page stands (the first page needs no count).
                        if after.is_some() {
                            statements.push(remaining_stmt(&scope, &query, START));
                        }
                        for stmt in statements {
                            let plan = app.query_plan(stmt).await;
                            assert!(
                                !plan.iter().any(|step| {
                                    step.starts_with("SCAN m")
                                        || step.contains("SCAN members")
                                        || step.starts_with("SCAN a")
                                }),
                                "{all_members} {status:?} {sort:?} {search:?} {after:?}: {plan:#?}"
                            );
                            checked += 1;
                        }
                    }
                }
            }
        }
    }
    assert_eq!(checked, 2 * 11 * 3 * 2 * (2 + 3));
}

async fn export(app: &TestApp, client: &reqwest::Client, query: &str) -> (u16, String, String) {
    let response = client.get(format!("{}/staff/members/export{query}", app.address)).send().await.unwrap();
    let status = response.status().as_u16();
    let kind = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, kind, response.text().await.unwrap())
}

#[tokio::test]
async fn the_csv_export_has_a_bom_every_contact_and_no_cell_a_spreadsheet_would_run() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let evil = app.add_member("=HYPERLINK(\"http://evil.example\")", "@Sum", "evil@example.org").await;
    let added = app
        .call(
            &app.staff,
            "/api/add_contact",
            &[
                ("member_id", &evil.to_string()),
                ("first_name", "+Plus"),
                ("last_name", "-Minus, Jr"),
                ("relation", "guardian"),
                ("email", "guardian@example.org"),
            ],
        )
        .await;
    assert!(added.status().is_success());
    app.invite(evil, "evil@example.org", "").await;
    app.dispatch_pending_emails().await;

    let (status, kind, body) = export(&app, &app.staff, "?status=waiting").await;
    assert_eq!(status, 200);
    assert_eq!(kind, "text/csv; charset=utf-8");
    assert!(body.starts_with("\u{FEFF}Member,Member portal status,Contact,Relation,E-mail,"), "{body}");
    let lines: Vec<&str> = body.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 3, "the header, the member and their guardian: {body}");
    let sent = portico_app::domain::dates::iso_date(START);
    assert_eq!(
        lines[1],
        format!(
            "\"'=HYPERLINK(\"\"http://evil.example\"\") @Sum\",\"Invited, waiting\",\"'=HYPERLINK(\"\"http://evil.example\"\") @Sum\",Self,evil@example.org,Yes,\"Invited, waiting\",{sent},{},,,Delivered,",
            portico_app::domain::dates::iso_date(START + 30 * DAY)
        )
    );
    assert!(lines[2].contains(",\"'+Plus -Minus, Jr\",guardian,guardian@example.org,No,Not invited,"), "{}", lines[2]);

    // The whole list, streamed in chunks: every contact once.
    portico_app::seed::seed_members(app.state.db.as_ref(), 1, 1200, START).await.unwrap();
    let (_, _, body) = export(&app, &app.staff, "").await;
    let contacts = app.count("SELECT count(*) FROM contacts WHERE removed_at IS NULL").await;
    assert_eq!(body.trim_end().split("\r\n").count() as i64, contacts + 1);
    let (_, _, by_login) = export(&app, &app.staff, "?sort=last-login&q=parent").await;
    assert_eq!(
        by_login.trim_end().split("\r\n").count(),
        1 + 240 * 2,
        "each seeded parent's member: member and parent"
    );
}

#[tokio::test]
async fn the_csv_export_is_for_signed_in_staff_and_refuses_an_unknown_filter() {
    let app = spawn_app().await;
    let (status, _, _) = export(&app, &browser(), "").await;
    assert_eq!(status, 303, "to sign in");
    let (_, link) = {
        email_api_accepts(&app).await;
        app.staff_login().await;
        app.invited_member("Mo", "mo@example.org").await
    };
    let member = browser();
    app.accept(&member, &link, "member-password-1").await;
    let (status, _, body) = export(&app, &member, "").await;
    assert_eq!(status, 404, "{body}");
    assert!(!body.contains("mo@example.org"));
    let (status, _, body) = export(&app, &app.staff, "?status=everyone").await;
    assert_eq!(status, 422);
    assert_eq!(body, "There is no status filter called “everyone”.");
}
