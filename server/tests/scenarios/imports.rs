//! A club's spreadsheet imported on both targets: uploaded as Excel saves it (`;`, a quoted
//! line break), its columns guessed, the dry run (a bad row refused with its line), the
//! import from the page's plain form, the rows to fix as CSV, and the same file uploaded
//! again finding everyone and changing nothing.

use crate::flow::{Session, location, member_count};
use crate::target::{OWNER_EMAIL, OWNER_PASSWORD, Target};

const CLUB_FILE: &str = "Member number;Name;E-mail;Address;Parent name;Parent e-mail;Class\r\n\
    R-101;Ida Import;ida.import@example.org;\"1 Quay Street\r\nHarbourside\";Ola Import;ola.import@example.org;Sailing\r\n\
    R-102;Ivo Import;ivo.import@example.org;;Ola Import;ola.import@example.org;Sailing\r\n\
    R-103;;nobody@example.org;;;;\r\n";

/// Uploads the club's file and runs its import from the page, as a browser without
/// JavaScript does; the import's page with its report.
async fn import_club_file(staff: &Session<'_>, expected_dry_run: &[&str]) -> String {
    let kind = staff.kind();
    let sent = staff.upload_import("club.csv", CLUB_FILE.as_bytes()).await;
    let page_path = location(&sent);
    assert!(page_path.starts_with("/staff/imports/"), "{kind:?}: {page_path:?}");
    let (_, page) = staff.get(&page_path).await;
    for text in expected_dry_run {
        assert!(page.contains(text), "{kind:?}: the dry run shows {text:?}: {page}");
    }
    let id = page_path.trim_start_matches("/staff/imports/").to_owned();
    let confirm = format!("{page_path}?confirm=import-{id}");
    let done = staff.post_form("/api/run_import", &confirm, &[("import", &id)]).await;
    assert_eq!(location(&done), page_path, "{kind:?}");
    let (_, report) = staff.get(&page_path).await;
    assert!(report.contains("Import done"), "{kind:?}: {report}");
    page_path
}

pub async fn the_owner_imports_a_spreadsheet_and_the_same_file_again_changes_nothing(target: &Target) {
    let kind = target.kind;
    let staff = Session::new(target);
    assert_eq!(staff.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members");
    let before = member_count(&staff).await;
    let first = import_club_file(
        &staff,
        &["value=\"external_id\" selected", "<dt>To add</dt><dd>2</dd>", "Line 5: </strong>No name."],
    )
    .await;
    let (_, report) = staff.get(&first).await;
    assert!(
        report.contains("<dt>Added</dt><dd>2</dd>") && report.contains("<dt>Refused</dt><dd>1</dd>"),
        "{kind:?}: {report}"
    );
    assert_eq!(member_count(&staff).await, before + 2, "{kind:?}");
    let (_, list) = staff.get("/staff/members?q=ivo.import").await;
    let ivo = list
        .split("href=\"/staff/members/")
        .filter_map(|rest| rest.split('"').next())
        .find(|id| id.parse::<i64>().is_ok())
        .unwrap_or_else(|| panic!("{kind:?}: Ivo is listed: {list}"));
    let (_, profile) = staff.get(&format!("/staff/members/{ivo}")).await;
    assert!(profile.contains("Ola Import") && profile.contains("added by importing “club.csv”"), "{kind:?}: {profile}");

    let (status, disposition, bytes) = staff.download(&format!("{first}/rows-to-fix.csv")).await;
    assert_eq!(status, 200, "{kind:?}");
    assert!(disposition.contains("rows-to-fix.csv"), "{kind:?}: {disposition}");
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains("R-103,,nobody@example.org") && text.ends_with(",No name.\r\n"), "{kind:?}: {text}");

    import_club_file(&staff, &["<dt>To add</dt><dd>0</dd>", "<dt>Unchanged</dt><dd>2</dd>"]).await;
    assert_eq!(member_count(&staff).await, before + 2, "{kind:?}: the same file again adds no one");
}
