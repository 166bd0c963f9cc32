//! Members from a spreadsheet: the file as spreadsheets save it (Windows-1252, `;`, a quoted
//! line break), columns guessed and remembered, a dry run that writes nothing and refuses
//! each bad row with its line and reason, an import that adds, updates and leaves alone, a
//! second upload of the same file that changes nothing, the rows to fix as CSV, and files
//! that are not CSV or too large refused with a message. Only the owner and administrators
//! import, each in their own organisation.

use reqwest::{Client, Response};
use serde_json::Value;

use crate::helpers::*;

impl TestApp {
    /// Uploads `csv`; the import's id, from the page the browser is sent to.
    async fn imported_file(&self, client: &Client, csv: &[u8]) -> i64 {
        let sent = self.upload_import(client, "members.csv", csv).await;
        let page = location(&sent);
        let id = page.strip_prefix("/staff/imports/").unwrap_or_else(|| panic!("to the import's page: {page:?}"));
        id.parse().expect("an import id")
    }

    async fn save_columns(&self, client: &Client, import: i64, columns: &[&str], accept_json: bool) -> Response {
        let fields: Vec<(&str, &str)> = columns.iter().map(|c| ("column", *c)).collect();
        let path = format!("/staff/imports/{import}/mapping");
        if accept_json {
            return self.call(client, &path, &fields).await;
        }
        self.post_form(client, &path, &format!("/staff/imports/{import}"), &fields).await
    }

    /// Runs the import until it is done, as the page does once hydrated.
    async fn run_import(&self, client: &Client, import: i64) -> Value {
        loop {
            let answer = self.call(client, "/api/run_import", &[("import", &import.to_string())]).await;
            assert_eq!(answer.status(), 200);
            let progress: Value = answer.json().await.unwrap();
            if progress["finished"] == true {
                return progress;
            }
        }
    }
}

/// The same file as a spreadsheet on Windows saves it: `;`, Windows-1252 ("René"), an
/// address with a line break in quotes (lines 2–3 are one row).
fn school_file() -> Vec<u8> {
    let text = "Student ID;First name;Surname;E-mail;Address;Parent name;Parent e-mail;Relationship;Class\r\n\
                S-1;Ada;Lovelace;ada@school.example;\"12 St James's Square\r\nLondon\";Anne Byron;anne@school.example;Mother;Judo\r\n\
                S-2;Grace;Hopper;grace@school.example;;;;;\r\n\
                S-3;;;nobody@school.example;;;;;\r\n\
                S-4;René;=1+2;not-an-address;;;;;\r\n\
                S-5;Alan;Turing;alan@school.example;;;;;\r\n\
                S-5;Alan;Turing;alan.turing@school.example;;;;;\r\n";
    text.chars().map(|c| if c == 'é' { 0xE9 } else { c as u8 }).collect()
}

const EVERYTHING: &str = "SELECT m.id, m.first_name, m.last_name, m.phone, m.address, m.external_id, c.id, c.is_self,
                                 c.first_name, c.last_name, c.relation, c.email, c.is_primary, c.same_as,
                                 (SELECT group_concat(g.name) FROM group_members gm JOIN groups g ON g.id = gm.group_id
                                  WHERE gm.member_id = m.id)
                          FROM members m JOIN contacts c ON c.member_id = m.id ORDER BY m.id, c.id";

#[tokio::test]
async fn an_import_adds_updates_and_refuses_each_bad_row_and_the_same_file_again_changes_nothing() {
    let app = spawn_app().await;
    app.staff_login().await;
    let grace = app.add_member("Grace", "Hopper", "grace@school.example").await;
    let members_before = app.count("SELECT count(*) FROM members").await;

    let import = app.imported_file(&app.staff, &school_file()).await;
    let page = app.get(&app.staff, &format!("/staff/imports/{import}")).await.body;
    for (column, chosen) in [
        ("Student ID", "external_id"),
        ("Surname", "last_name"),
        ("Parent e-mail", "representative_email"),
        ("Class", "group"),
    ] {
        let row = &page[page.find(&format!(">{column}<")).unwrap_or_else(|| panic!("{column}: {page}"))..];
        let selected = &row[..row.find("</select>").unwrap()];
        assert!(selected.contains(&format!("value=\"{chosen}\" selected")), "{column} guessed as {chosen}: {selected}");
    }
    assert!(page.contains("<dt>To add</dt><dd>1</dd>"), "Ada is new: {page}");
    assert!(page.contains("<dt>To update</dt><dd>1</dd>"), "Grace gets her id: {page}");
    assert!(page.contains("<dt>Refused</dt><dd>4</dd>"), "{page}");
    for refusal in [
        "Line 5: </strong>No name.",
        "Line 6: </strong>E-mail not valid",
        "Line 7: </strong>The same person twice in the file: line 8 has the same external id.",
        "Line 8: </strong>The same person twice in the file: line 7 has the same external id.",
    ] {
        assert!(page.contains(refusal), "{refusal}: {page}");
    }
    assert_eq!(app.count("SELECT count(*) FROM members").await, members_before, "the dry run writes nothing");

    // The rows to fix, as the file had them (René decoded), a formula made harmless.
    let fix = app.get(&app.staff, &format!("/staff/imports/{import}/rows-to-fix.csv")).await;
    assert_eq!(fix.status, 200);
    let lines: Vec<&str> = fix.body.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 5, "{}", fix.body);
    assert!(lines[0].ends_with(",Class,Problem"), "{}", lines[0]);
    assert!(lines[2].starts_with("S-4,René,'=1+2,not-an-address,"), "{}", lines[2]);

    let progress = app.run_import(&app.staff, import).await;
    assert_eq!((progress["done_rows"].as_i64(), progress["rows_total"].as_i64()), (Some(6), Some(6)));
    let ada = app.count("SELECT id FROM members WHERE external_id = 'S-1' AND first_name = 'Ada'").await;
    let row = app
        .dump("SELECT m.address, c.first_name, c.last_name, c.relation, c.email FROM members m JOIN contacts c ON c.member_id = m.id AND c.is_self = 0 WHERE m.external_id = 'S-1'")
        .await;
    assert!(row.contains("12 St James's Square\\r\\nLondon") || row.contains("12 St James's Square\\nLondon"), "{row}");
    assert!(row.contains("Anne") && row.contains("Byron") && row.contains("anne@school.example"), "{row}");
    assert_eq!(
        app.count("SELECT count(*) FROM group_members gm JOIN groups g ON g.id = gm.group_id WHERE g.name = 'Judo'")
            .await,
        1
    );
    assert_eq!(app.count("SELECT count(*) FROM members WHERE external_id = 'S-2'").await, 1);
    assert_eq!(app.count("SELECT id FROM members WHERE external_id = 'S-2'").await, grace);
    assert_eq!(app.count("SELECT count(*) FROM members").await, members_before + 1);
    app.assert_standings_fresh().await;
    let report = app.get(&app.staff, &format!("/staff/imports/{import}")).await.body;
    assert!(report.contains("<dt>Added</dt><dd>1</dd>") && report.contains("<dt>Updated</dt><dd>1</dd>"), "{report}");
    assert!(report.contains("Line 6: </strong>E-mail not valid"), "the refusals stay in the report: {report}");
    let profile = app.get(&app.staff, &format!("/staff/members/{ada}")).await.body;
    assert!(profile.contains("added by importing “members.csv”"), "{profile}");

    // "Invite the people just imported": the round's dry run of the two the import reached.
    assert!(report.contains(&format!("href=\"/staff/invite-round?import={import}\"")), "{report}");
    let round = app.get(&app.staff, &format!("/staff/invite-round?import={import}")).await.body;
    assert!(round.contains("Invite: 2 members of the import"), "{round}");
    assert!(round.contains("Will invite 2, skip 1."), "Ada and Grace; Anne is not a primary contact: {round}");
    assert!(round.contains("name=\"import\" value=\"1\""), "the send form keeps the import: {round}");

    // The same file again: every row is found, nothing changes.
    let before = app.dump(EVERYTHING).await;
    let again = app.imported_file(&app.staff, &school_file()).await;
    let page = app.get(&app.staff, &format!("/staff/imports/{again}")).await.body;
    assert!(page.contains("<dt>To add</dt><dd>0</dd>") && page.contains("<dt>Unchanged</dt><dd>2</dd>"), "{page}");
    assert!(page.contains("There is nothing to add or update"), "{page}");
    app.run_import(&app.staff, again).await;
    assert_eq!(app.dump(EVERYTHING).await, before);

    // A run again of a finished import does nothing either.
    app.run_import(&app.staff, import).await;
    assert_eq!(app.dump(EVERYTHING).await, before);
}

#[tokio::test]
async fn columns_are_changed_checked_and_remembered_for_the_next_file() {
    let app = spawn_app().await;
    app.staff_login().await;
    let file = b"Kid,Mail\nAda Lovelace,ada@school.example\nAlan Turing,alan@school.example\n";
    let import = app.imported_file(&app.staff, file).await;
    let page = app.get(&app.staff, &format!("/staff/imports/{import}")).await.body;
    assert!(
        page.contains("Choose the columns with the members&#x27;")
            || page.contains("Choose the columns with the members'"),
        "{page}"
    );
    assert!(!page.contains("Dry run: what the import would do</h2><p class=\"muted\">Nothing"), "{page}");

    for (columns, status, message) in [
        (vec!["email", "email"], 422, "Only one column can be"),
        (vec!["full_name"], 400, "give one choice for each of the file's 2 columns"),
        (vec!["full_name", "shoe_size"], 400, "unknown column choice"),
    ] {
        let refused = app.save_columns(&app.staff, import, &columns, true).await;
        assert_eq!(refused.status(), status, "{columns:?}");
        let body = refused.text().await.unwrap();
        assert!(body.contains(message), "{columns:?}: {body}");
    }
    let saved = app.save_columns(&app.staff, import, &["full_name", "email"], false).await;
    assert_eq!(location(&saved), format!("/staff/imports/{import}"));
    let page = app.get(&app.staff, &format!("/staff/imports/{import}")).await.body;
    assert!(page.contains("<dt>To add</dt><dd>2</dd>"), "{page}");

    // The next file with the same headers starts out as chosen.
    let next = app.imported_file(&app.staff, b"kid, mail\nGrace Hopper,grace@school.example\n").await;
    let page = app.get(&app.staff, &format!("/staff/imports/{next}")).await.body;
    assert!(page.contains("value=\"full_name\" selected"), "{page}");
    assert!(page.contains("<dt>To add</dt><dd>1</dd>"), "{page}");

    app.run_import(&app.staff, import).await;
    let late = app.save_columns(&app.staff, import, &["ignore", "email"], true).await;
    assert_eq!(late.status(), 409, "a started import keeps its columns");

    // Headers and cells are the file's text, shown as text.
    let hostile = "<img src=x onerror=alert(1)>,E-mail\n\"<script>alert(2)</script>\",x@school.example\n";
    let shown = app.imported_file(&app.staff, hostile.as_bytes()).await;
    let page = app.get(&app.staff, &format!("/staff/imports/{shown}")).await.body;
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;") && page.contains("&lt;script&gt;alert(2)"), "{page}");
    assert!(!page.contains("<img src=x") && !page.contains("<script>alert"), "{page}");
}

#[tokio::test]
async fn files_that_are_not_csv_empty_broken_or_too_large_are_refused_with_a_message() {
    let app = spawn_app().await;
    app.staff_login().await;
    let too_many = format!("Name\n{}", "Ada Lovelace\n".repeat(100_001));
    let too_large = vec![b'a'; portico_app::web::MAX_IMPORT_BYTES + 1];
    let cases: [(&[u8], &str); 5] = [
        (b"%PDF-1.7\0\0binary", "This file is not a CSV"),
        (b"Name,E-mail\n", "This file has no rows"),
        (b"Name\n\"Ada Lovelace\nGrace", "A quote opened on line 2 is never closed"),
        (too_many.as_bytes(), "more than 100000 rows"),
        (&too_large, "This file is larger than 32 MiB"),
    ];
    for (file, message) in cases {
        let refused = app.upload_import(&app.staff, "members.csv", file).await;
        let back = location(&refused);
        assert!(back.starts_with(&format!("{BASE_URL}/staff/imports?__path=")), "{message}: {back}");
        let page = app.get(&app.staff, back.trim_start_matches(BASE_URL)).await.body;
        assert!(page.contains(message), "{message}: {page}");
    }
    // A large file within the limit is taken whole (past 2 MiB, the limit of every other form).
    let large: String = std::iter::once("Name,E-mail\n".to_owned())
        .chain((0..60_000).map(|i| format!("Member Number{i},member{i}@large.example\n")))
        .collect();
    assert!(large.len() > 2 << 20, "{}", large.len());
    let taken = app.upload_import(&app.staff, "large.csv", large.as_bytes()).await;
    assert!(location(&taken).starts_with("/staff/imports/"), "{}", location(&taken));
    let page = app.get(&app.staff, &location(&taken)).await.body;
    assert!(page.contains("<dt>To add</dt><dd>60,000</dd>"), "{page}");
    app.state.db.execute(portico_app::stmt!("DELETE FROM import_chunks")).await.unwrap();
    app.state.db.execute(portico_app::stmt!("DELETE FROM imports")).await.unwrap();

    let empty = app.upload_import(&app.staff, "members.csv", b"").await;
    let page = app.get(&app.staff, location(&empty).trim_start_matches(BASE_URL)).await.body;
    assert!(page.contains("this one is empty"), "{page}");
    assert_eq!(app.count("SELECT count(*) FROM imports").await, 0);
}

#[tokio::test]
async fn only_the_owner_and_administrators_import_each_in_their_own_organisation() {
    let app = spawn_app().await;
    app.staff_login().await;
    let import = app.imported_file(&app.staff, b"Name\nAda Lovelace\n").await;
    let staff = app.staff_in_role("staff@example.org", "staff").await;
    let admin = app.staff_in_role("admin@example.org", "administrator").await;
    assert_eq!(app.get(&admin, &format!("/staff/imports/{import}")).await.status, 200);
    app.add_staff_login("elsewhere@example.org", OWNER_PASSWORD, "Another School", true).await;
    app.state
        .db
        .execute(portico_app::stmt!("UPDATE staff SET role = 'owner' WHERE user_id = (SELECT id FROM users WHERE email = 'elsewhere@example.org')"))
        .await
        .unwrap();
    let elsewhere = browser();
    app.login(&elsewhere, "elsewhere@example.org", OWNER_PASSWORD).await;
    for client in [&staff, &elsewhere] {
        assert_eq!(app.get(client, &format!("/staff/imports/{import}")).await.status, 404);
        let csv = app.get(client, &format!("/staff/imports/{import}/rows-to-fix.csv")).await;
        assert_eq!(csv.status, 404);
        assert_eq!(app.save_columns(client, import, &["full_name"], true).await.status(), 404);
        let run = app.call(client, "/api/run_import", &[("import", &import.to_string())]).await;
        assert_eq!(run.status(), 404);
    }
    let upload = app.upload_import(&staff, "members.csv", b"Name\nAlan Turing\n").await;
    assert_eq!(upload.status(), 404);
    assert_eq!(app.get(&staff, "/staff/imports").await.status, 404);
    assert_eq!(app.count("SELECT count(*) FROM imports").await, 1);
    assert_eq!(app.count("SELECT count(*) FROM import_results").await, 0);
}

/// A request writes only so many rows (the Worker's budget, here 2): the import goes on
/// where it stopped, from the page's plain form as from the hydrated page's calls, and ends
/// as one that ran at once.
#[tokio::test]
async fn an_import_interrupted_goes_on_where_it_stopped_and_writes_each_row_once() {
    let app = spawn_app_with(Options { import_rows_per_request: Some(2), ..Options::default() }).await;
    app.staff_login().await;
    let import = app.imported_file(&app.staff, &school_file()).await;
    let page = format!("/staff/imports/{import}");
    let first = app.post_form(&app.staff, "/api/run_import", &page, &[("import", &import.to_string())]).await;
    assert_eq!(location(&first), page);
    let shown = app.get(&app.staff, &page).await.body;
    assert!(shown.contains("Imported 2 of 6 rows so far"), "{shown}");
    assert!(shown.contains("Continue importing") && shown.contains("Imported 2 of 6 rows…"), "{shown}");
    assert_eq!(app.count("SELECT count(*) FROM import_results").await, 2);

    let progress = app.run_import(&app.staff, import).await;
    assert_eq!(progress["done_rows"], 6);
    assert_eq!(app.count("SELECT count(*) FROM import_results").await, 6);
    assert_eq!(app.count("SELECT count(*) FROM import_steps").await, 3);
    assert_eq!(app.count("SELECT count(*) FROM members WHERE external_id IN ('S-1', 'S-2')").await, 2);
    app.assert_standings_fresh().await;
    let shown = app.get(&app.staff, &page).await.body;
    assert!(shown.contains("<dt>Added</dt><dd>2</dd>") && shown.contains("<dt>Refused</dt><dd>4</dd>"), "{shown}");
    assert!(!shown.contains("Continue importing"), "{shown}");
}

/// A step that breaks a rule of the schema is not taken for one written by another request:
/// the import says where it stopped (409) instead of being asked again forever.
#[tokio::test]
async fn a_step_that_cannot_be_written_stops_the_import_with_a_message() {
    let app = spawn_app().await;
    app.staff_login().await;
    let import = app.imported_file(&app.staff, b"Name\nAda Byron\nAlan Turing\n").await;
    // A report line already there for line 3: the step's own line for it cannot be written.
    app.state
        .db
        .execute(portico_app::stmt!(
            "INSERT INTO import_results (import_id, line, outcome) VALUES (?, 3, 'unchanged')",
            import
        ))
        .await
        .unwrap();
    let stopped = app.call(&app.staff, "/api/run_import", &[("import", &import.to_string())]).await;
    assert_eq!(stopped.status(), 409);
    assert!(stopped.text().await.unwrap().contains("Lines 2–3 of the file could not be written"));
    assert_eq!(
        app.count(
            "SELECT count(*) FROM members WHERE first_name IN ('Ada', 'Alan') AND last_name IN ('Byron', 'Turing')"
        )
        .await,
        0
    );
    assert_eq!(app.count("SELECT count(*) FROM import_steps").await, 0);
}
