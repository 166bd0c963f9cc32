//! A failed form's error comes back in the page URL; only Portico's own, for the browser it
//! was made for, may show. A crafted link — or a genuine one made in an attacker's browser —
//! opens the page without any error on it.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE;
use reqwest::StatusCode;
use reqwest::header::LOCATION;

use crate::flow::Session;
use crate::target::{OWNER_EMAIL, Target};

const BAIT: &str = "Your account is locked: call +44 20 7946 0000";

fn crafted(path: &str, endpoint: &str, error: serde_json::Value) -> String {
    let encoded = URL_SAFE.encode(error.to_string());
    format!("{path}?__path={endpoint}&__err={encoded}")
}

pub async fn error_links_show_only_our_own_errors(target: &Target) {
    let victim = Session::new(target);
    let field_error =
        serde_json::json!({"Invalid": {"errors": [{"field": "email", "message": BAIT}], "values": [["email", BAIT]]}});
    let links = [
        crafted("/login", "/api/login", serde_json::json!({ "Conflict": BAIT })),
        crafted("/login", "/api/login", field_error.clone()),
        crafted("/invite/some-token", "/api/accept_invitation", serde_json::json!({ "Conflict": BAIT })),
        crafted("/login", "/api/login", serde_json::json!({ "Conflict": BAIT })) + "&__sig=AAAA&next=kept",
    ];
    for link in &links {
        let answer = victim.client.get(format!("{}{link}", target.base_url)).send().await.expect("GET");
        assert_eq!(answer.status(), StatusCode::SEE_OTHER, "{:?}: {link}", target.kind);
        let clean = answer.headers().get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        assert!(!clean.contains("__err") && !clean.contains("__sig"), "{:?}: {link} → {clean}", target.kind);
        let (status, page) = victim.get(&clean).await;
        assert!(!page.contains("Your account is locked"), "{:?}: {clean} ({status}) shows the bait", target.kind);
    }
    assert!(links[3].contains("next=kept"));

    // A genuine error, made in the attacker's browser with their own input, is theirs alone.
    let attacker = Session::new(target);
    let back = attacker.sign_in(BAIT, "whatever").await;
    assert!(back.contains("__err") && back.contains("__sig"), "{:?}: {back}", target.kind);
    let (_, attackers_page) = attacker.get(&back).await;
    assert!(
        attackers_page.contains("The e-mail address or password is not right."),
        "{:?}: the real error shows",
        target.kind
    );
    let url = if back.starts_with("http") { back.clone() } else { format!("{}{back}", target.base_url) };
    let answer = victim.client.get(url).send().await.expect("GET");
    assert_eq!(
        answer.status(),
        StatusCode::SEE_OTHER,
        "{:?}: the attacker's link in the victim's browser",
        target.kind
    );

    // The victim's own mistake still shows, with what they typed.
    let own = victim.sign_in(OWNER_EMAIL, "not the password").await;
    let (status, page) = victim.get(&own).await;
    assert_eq!(status, StatusCode::OK, "{:?}", target.kind);
    assert!(
        page.contains("The e-mail address or password is not right.") && page.contains(OWNER_EMAIL),
        "{:?}",
        target.kind
    );
}
