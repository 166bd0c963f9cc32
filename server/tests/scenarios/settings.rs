//! The owner changes whom e-mail comes from, how long links work, the organisation's time
//! zone and its accent colour, on both targets: the settings page and its timeline show it,
//! the pages wear the colour, and the next invitation says so, its expiry in the zone.

use crate::flow::{Session, email_number, invited, location};
use crate::target::{OWNER_EMAIL, OWNER_PASSWORD, Target};

pub async fn the_owner_changes_the_sender_and_how_long_links_work(target: &Target) {
    let kind = target.kind;
    let staff = Session::new(target);
    assert_eq!(staff.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members");
    let fields = [
        ("sender_name", "Scenario Office"),
        ("sender_email", "office@scenario.example.org"),
        ("validity_days", "14"),
        ("time_zone", "Europe/Zurich"),
        ("accent_colour", "#7c2d12"),
    ];
    let saved = staff.change_settings(&fields).await;
    assert_eq!(location(&saved), "/staff/settings", "{kind:?}");
    let (_, page) = staff.get("/staff/settings").await;
    assert!(page.contains("<p role=\"status\" class=\"notice\">Settings saved.</p>"), "{kind:?}: {page}");
    assert!(page.contains("value=\"Scenario Office\"") && page.contains("value=\"14\""), "{kind:?}: {page}");
    assert!(page.contains("invitation links work for (days) “30” → “14”"), "{kind:?}: {page}");
    assert!(page.contains("time zone “UTC” → “Europe/Zurich”"), "{kind:?}: {page}");
    assert!(page.contains("href=\"/brand.css?accent=7c2d12\""), "{kind:?}: the pages wear the colour");
    let (status, css) = staff.get("/brand.css?accent=7c2d12").await;
    assert_eq!((status.as_u16(), css.as_str()), (200, ":root { --accent: #7c2d12; }\n"), "{kind:?}");

    let sent_before = target.sent_emails().await.len();
    let unix_now = || std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let before = unix_now();
    invited(&staff, target, "Vera", "vera.settings@example.org").await;
    let after = unix_now();
    let email = email_number(target, sent_before + 1).await;
    assert_eq!(email["from"], "\"Scenario Office\" <office@scenario.example.org>", "{kind:?}");
    // 14 days from when it was sent (which may straddle a minute), in Zurich's time: the
    // Worker carries the time zone database too.
    let zurich = portico_app::domain::dates::Zone::parse("Europe/Zurich").unwrap();
    let expiry = |at: i64| format!("expires on {}.", zurich.date_time(at + 14 * 86_400));
    let text = email["text"].as_str().unwrap();
    assert!(text.contains(&expiry(before)) || text.contains(&expiry(after)), "{kind:?}: {text}");
}
