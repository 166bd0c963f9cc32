//! Safe by default: a target started as deployed (production, the default) has no dev
//! mailbox and no demo data; its empty database shows the first-run setup page, which works
//! once — of two setups at the same moment exactly one wins — and is gone afterwards. Dev
//! mode is refused on an address that is not loopback, with the reason.

use std::process::Stdio;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::LOCATION;

use crate::flow::Session;
use crate::target::{OWNER_EMAIL, OWNER_PASSWORD, Target, TargetKind, free_port, server_command};

const OWNER_NAME: &str = "Morgan Reyes";
const REFUSAL: &str = "only allowed when PORTICO_PUBLIC_URL is a loopback address";

fn setup_fields(organisation: &str) -> Vec<(&'static str, String)> {
    vec![
        ("organisation_name", organisation.to_owned()),
        ("sender_name", "Riverside Martial Arts".to_owned()),
        ("sender_email", "hello@riverside.example.org".to_owned()),
        ("owner_name", OWNER_NAME.to_owned()),
        ("owner_email", OWNER_EMAIL.to_owned()),
        ("password", OWNER_PASSWORD.to_owned()),
        ("confirm_password", OWNER_PASSWORD.to_owned()),
    ]
}

pub async fn the_first_visitor_sets_up_the_organisation_once(target: &Target) {
    let visitor = Session::new(target);
    let kind = target.kind;
    assert_eq!(visitor.get("/dev/mailbox").await.0, StatusCode::NOT_FOUND, "{kind:?}: no dev mailbox in production");
    for path in ["/", "/login"] {
        let answer = visitor.client.get(format!("{}{path}", target.base_url)).send().await.unwrap();
        let location = answer.headers().get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        assert_eq!((answer.status(), location.as_str()), (StatusCode::SEE_OTHER, "/setup"), "{kind:?}: {path}");
    }
    assert!(visitor.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await.contains("__err"), "{kind:?}: no demo owner");

    // Mistakes are explained and write nothing.
    let mut wrong = setup_fields("");
    wrong.retain(|(name, _)| *name != "confirm_password");
    wrong.push(("confirm_password", "something else entirely".to_owned()));
    let wrong: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let back = visitor.post_form("/api/set_up", "/setup", &wrong).await;
    let (_, page) = visitor.get(back.headers()[LOCATION].to_str().unwrap()).await;
    assert!(page.contains("Enter a name.") && page.contains("The two passwords are not the same."), "{kind:?}: {page}");
    assert_eq!(visitor.get("/setup").await.0, StatusCode::OK, "{kind:?}: still open");

    // Two at once: exactly one organisation, one owner.
    let (first, second) = (Session::new(target), Session::new(target));
    let (a, b) = (setup_fields("Riverside Martial Arts"), setup_fields("Riverside Martial Arts (again)"));
    let (a, b): (Vec<(&str, &str)>, Vec<(&str, &str)>) =
        (a.iter().map(|(k, v)| (*k, v.as_str())).collect(), b.iter().map(|(k, v)| (*k, v.as_str())).collect());
    let (a, b) =
        tokio::join!(first.post_form("/api/set_up", "/setup", &a), second.post_form("/api/set_up", "/setup", &b));
    let won: Vec<bool> =
        [&a, &b].iter().map(|r| r.headers().get(LOCATION).is_some_and(|l| l == "/staff/members")).collect();
    assert_eq!(won.iter().filter(|w| **w).count(), 1, "{kind:?}: exactly one setup wins: {a:?} {b:?}");
    let (winner, loser, name) =
        if won[0] { (&first, &b, "Riverside Martial Arts") } else { (&second, &a, "Riverside Martial Arts (again)") };
    let refused = loser.headers().get(LOCATION).and_then(|l| l.to_str().ok()).unwrap_or_default();
    assert!(refused.contains("/setup?") && refused.contains("__err="), "{kind:?}: the other is refused: {refused}");
    let (status, members) = winner.get("/staff/members").await;
    assert_eq!(status, StatusCode::OK, "{kind:?}: the owner is signed in");
    assert!(members.contains(OWNER_NAME), "{kind:?}: the header names the owner: {members}");
    // One organisation, the winner's, with one owner on its team.
    let (_, settings) = winner.get("/staff/settings").await;
    assert!(settings.contains(&format!("value=\"{name}\"")), "{kind:?}: the winner's name: {settings}");
    let (_, team) = winner.get("/staff/team").await;
    assert_eq!(team.matches(OWNER_EMAIL).count(), 1, "{kind:?}: one owner: {team}");

    assert_eq!(visitor.get("/setup").await.0, StatusCode::NOT_FOUND, "{kind:?}: setup is gone");
    let again: Vec<(&str, String)> = setup_fields("Someone else's");
    let again: Vec<(&str, &str)> = again.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let late = visitor.post_form("/api/set_up", "/setup", &again).await;
    let late = late.headers().get(LOCATION).and_then(|l| l.to_str().ok()).unwrap_or_default().to_owned();
    assert!(late.contains("/setup?") && late.contains("__err="), "{kind:?}: a late setup is refused: {late}");
    assert_eq!(visitor.get("/login").await.0, StatusCode::OK, "{kind:?}: sign-in is open");
}

/// PORTICO_ENV=development with a public address: the server does not start, and says why.
#[tokio::test]
async fn the_server_refuses_dev_mode_on_a_public_address() {
    let dir = tempfile::tempdir().unwrap();
    let settings =
        [("PORTICO_ENV", "development".to_owned()), ("PORTICO_PUBLIC_URL", "https://portal.example.org".to_owned())];
    let mut command = server_command(free_port(), dir.path(), &settings);
    command.stdout(Stdio::null()).stderr(Stdio::piped());
    let child = command.spawn().expect("the portico binary");
    let output =
        tokio::time::timeout(Duration::from_secs(20), tokio::task::spawn_blocking(|| child.wait_with_output()))
            .await
            .expect("it stops at once")
            .unwrap()
            .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success() && stderr.contains(REFUSAL), "{:?}: {stderr}", output.status);
}

/// The same on the Worker: every request gets the not-configured page naming the reason.
#[tokio::test]
async fn the_worker_refuses_dev_mode_on_a_public_address() {
    let settings = [("PORTICO_ENV", "development"), ("PORTICO_PUBLIC_URL", "https://portal.example.org")];
    let target = Target::start_with(TargetKind::Worker, &settings).await;
    let answer = reqwest::get(format!("{}/dev/mailbox", target.base_url)).await.unwrap();
    assert_eq!(answer.status(), StatusCode::SERVICE_UNAVAILABLE);
    let text = answer.text().await.unwrap();
    assert!(text.contains(REFUSAL), "{text}");
}
