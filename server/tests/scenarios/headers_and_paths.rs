//! Every response carries the security headers, static files included (on the Worker they
//! come from its assets binding, configured by edge/_headers); pages carry a
//! Content-Security-Policy whose nonce is the one on their scripts. And each page has one
//! address: the other spellings of it are redirected to it, always the same way.

use reqwest::StatusCode;
use reqwest::header::{CONTENT_SECURITY_POLICY, LOCATION, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::flow::Session;
use crate::target::{OWNER_EMAIL, OWNER_PASSWORD, Target};

pub async fn every_response_carries_the_security_headers(target: &Target) {
    let visitor = Session::new(target);
    for path in ["/login", "/pkg/portico.css", "/pkg/portico.js", "/pkg/portico.wasm", "/no/such/page"] {
        let answer = visitor.client.get(format!("{}{path}", target.base_url)).send().await.expect("GET");
        let header = |name| answer.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let case = format!("{:?}: {path} ({})", target.kind, answer.status());
        assert_eq!(header(X_CONTENT_TYPE_OPTIONS), "nosniff", "{case}");
        assert_eq!(header(X_FRAME_OPTIONS), "DENY", "{case}");
        let policy = header(CONTENT_SECURITY_POLICY);
        assert!(policy.contains("frame-ancestors 'none'"), "{case}: {policy}");
        if path.starts_with("/pkg/") {
            assert_eq!(answer.status(), StatusCode::OK, "{case}");
            assert_eq!(policy, "default-src 'none'; frame-ancestors 'none'", "{case}");
            continue;
        }
        let nonce =
            policy.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).unwrap_or_default().to_owned();
        assert!(nonce.len() >= 16, "{case}: a nonce in {policy}");
        assert!(
            policy.contains("script-src 'self' 'nonce-") && policy.contains("'wasm-unsafe-eval'"),
            "{case}: {policy}"
        );
        let page = answer.text().await.unwrap_or_default();
        let scripts = page.matches("<script").count();
        assert!(
            scripts > 0 && page.matches(&format!("nonce=\"{nonce}\"")).count() >= scripts,
            "{case}: every script has the nonce"
        );
    }
    // Each page gets its own nonce.
    let policy = |answer: reqwest::Response| answer.headers().get(CONTENT_SECURITY_POLICY).cloned();
    let first = policy(visitor.client.get(format!("{}/login", target.base_url)).send().await.unwrap());
    let second = policy(visitor.client.get(format!("{}/login", target.base_url)).send().await.unwrap());
    assert_ne!(first, second, "{:?}: a fresh nonce per page", target.kind);
}

pub async fn each_page_has_one_address(target: &Target) {
    let owner = Session::new(target);
    assert_eq!(owner.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members");
    for (path, canonical) in [
        ("/staff/members/", "/staff/members"),
        ("/staff/members//", "/staff/members"),
        ("//staff/members", "/staff/members"),
        ("/portal/", "/portal"),
        ("/login/?next=kept", "/login?next=kept"),
    ] {
        for round in 0..3 {
            let answer = owner.client.get(format!("{}{path}", target.base_url)).send().await.expect("GET");
            let location = answer.headers().get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
            let case = format!("{:?}: {path}, round {round}", target.kind);
            assert_eq!(answer.status(), StatusCode::PERMANENT_REDIRECT, "{case}");
            assert_eq!(location, canonical, "{case}");
        }
    }
    // Dot segments, as a client that does not clean its paths sends them.
    let (status, head) = raw_get(target, "/dev/../login").await;
    let redirected = status == 308 && head.contains("\r\nlocation: /login\r\n");
    assert!(redirected || status == 200, "{:?}: /dev/../login answered {status}:\n{head}", target.kind);
}

/// A GET written byte for byte, so no client library cleans the path first.
async fn raw_get(target: &Target, path: &str) -> (u16, String) {
    let address = target.base_url.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.expect("read");
    let answer = String::from_utf8_lossy(&answer).to_lowercase();
    let status = answer.split(' ').nth(1).and_then(|code| code.parse().ok()).unwrap_or(0);
    let head = answer.split("\r\n\r\n").next().unwrap_or_default().to_owned();
    (status, head)
}
