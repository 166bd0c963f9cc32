//! Every response carries the security headers, static files included (on the Worker they
//! come from its assets binding, configured by edge/_headers); pages carry a
//! Content-Security-Policy whose nonce is the one on their scripts. And each page has one
//! address: the other spellings of it are redirected to it, always the same way.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_SECURITY_POLICY, LOCATION, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::flow::Session;
use crate::target::{OWNER_EMAIL, OWNER_PASSWORD, Target, workspace};

pub async fn every_response_carries_the_security_headers(target: &Target) {
    let visitor = Session::new(target);
    let bundle = bundle_files();
    let pages = ["/login", "/no/such/page"].map(str::to_owned);
    for path in pages.iter().chain(&bundle) {
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

/// The hydrate bundle's paths, under the name the front build published (target/site/bundle-name).
fn bundle_files() -> Vec<String> {
    let name = std::fs::read_to_string(workspace().join("target/site/bundle-name")).expect("make front");
    ["js", "wasm", "css"].iter().map(|ext| format!("/pkg/{}.{ext}", name.trim())).collect()
}

/// What a phone downloads: the bundle compressed (the server sends the brotli copy made at
/// build time; the Worker's assets are compressed by the platform: brotli on Cloudflare,
/// gzip under wrangler dev) and kept for a year,
/// its names changing with its content; pages never kept.
pub async fn the_bundle_is_sent_compressed_and_cached_for_good(target: &Target) {
    let client = reqwest::Client::new();
    for path in bundle_files() {
        let answer = client
            .get(format!("{}{path}", target.base_url))
            .header(ACCEPT_ENCODING, "gzip, deflate, br, zstd")
            .send()
            .await
            .expect("GET");
        let header = |name| answer.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let case = format!("{:?}: {path} ({})", target.kind, answer.status());
        assert_eq!(answer.status(), StatusCode::OK, "{case}");
        // wrangler dev picks gzip where the server sends its brotli copy (api tests).
        assert!(["br", "gzip"].contains(&header(CONTENT_ENCODING).as_str()), "{case}");
        assert_eq!(header(CACHE_CONTROL), "public, max-age=31536000, immutable", "{case}");
    }
    let page = client.get(format!("{}/login", target.base_url)).send().await.expect("GET");
    assert_eq!(page.headers().get(CACHE_CONTROL).unwrap(), "no-store", "{:?}", target.kind);
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
    // Dot segments, as a client that does not clean its paths sends them: redirected to the
    // page's own path. workerd resolves them itself before the Worker runs (as a browser
    // would): there the answer must be the page's own, as its own path gets it.
    for (path, canonical) in [("/dev/../login", "/login"), ("/staff/./members", "/staff/members")] {
        let (status, head, body) = raw_get(target, path).await;
        let redirected = status == 308 && head.contains(&format!("\r\nlocation: {canonical}\r\n"));
        let resolved_before_us = matches!(target.kind, crate::target::TargetKind::Worker) && {
            let (own_status, own_head, own_body) = raw_get(target, canonical).await;
            let location = |head: &str| head.lines().find(|l| l.starts_with("location:")).map(str::to_owned);
            let h1 = |body: &str| {
                body.split("<h1").nth(1).map(|rest| rest.split("</h1>").next().unwrap_or_default().to_owned())
            };
            status == own_status && location(&head) == location(&own_head) && h1(&body) == h1(&own_body)
        };
        assert!(redirected || resolved_before_us, "{:?}: {path} answered {status}:\n{head}", target.kind);
    }
}

/// A GET written byte for byte, so no client library cleans the path first: the status, the
/// head and the body (lower-cased).
async fn raw_get(target: &Target, path: &str) -> (u16, String, String) {
    let address = target.base_url.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("write");
    // Read to the answer's end, not the connection's: wrangler dev's proxy keeps it open
    // for seconds after `Connection: close` — and an answer with neither a length nor
    // chunks has no end but the connection's, so a pause of 2 s ends it too (else the
    // read waited for as long as the proxy kept the connection: once, for ever).
    let mut answer = Vec::new();
    let mut buffer = [0u8; 8192];
    while !whole_answer(&answer) {
        let read = match tokio::time::timeout(Duration::from_secs(2), stream.read(&mut buffer)).await {
            Ok(read) => read.expect("read"),
            Err(_) => break,
        };
        if read == 0 {
            break;
        }
        answer.extend_from_slice(&buffer[..read]);
    }
    let answer = String::from_utf8_lossy(&answer).to_lowercase();
    let status = answer.split(' ').nth(1).and_then(|code| code.parse().ok()).unwrap_or(0);
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    (status, head.to_owned(), body.to_owned())
}

/// Whether `bytes` hold a whole HTTP/1.1 answer: its head, and its body by `Content-Length`
/// or to a chunked body's last chunk.
fn whole_answer(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes).to_lowercase();
    let Some((head, body)) = text.split_once("\r\n\r\n") else { return false };
    let length = head.lines().find_map(|line| line.strip_prefix("content-length:")).map(|n| n.trim().parse::<usize>());
    match length {
        Some(Ok(length)) => body.len() >= length,
        _ if head.contains("transfer-encoding: chunked") => body.ends_with("0\r\n\r\n"),
        _ => false,
    }
}

/// Every route with a `token` segment in its address is one of the token pages: it sends
/// no Referer anywhere and is never stored, whatever the token; every other page sends its
/// Referer to this origin only.
pub async fn every_page_with_a_token_in_its_address_sends_no_referrer(target: &Target) {
    use portico_app::web::{TOKEN_PAGES, carries_token, route_list};
    let routes: Vec<String> = route_list().iter().map(|route| route.path().to_owned()).collect();
    let is_token_segment = |segment: &str| matches!(segment, ":token" | "{token}");
    let token_routes: Vec<&String> = routes.iter().filter(|route| route.split('/').any(is_token_segment)).collect();
    assert!(token_routes.len() >= TOKEN_PAGES.len(), "token routes found: {token_routes:?}");
    for prefix in TOKEN_PAGES {
        assert!(
            token_routes.iter().any(|route| route.starts_with(prefix)),
            "{prefix} in TOKEN_PAGES is no route with a token: {token_routes:?}"
        );
    }
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let token = "A".repeat(43);
    for route in &token_routes {
        let path: String = route
            .split('/')
            .map(|s| if is_token_segment(s) { token.as_str() } else { s })
            .collect::<Vec<_>>()
            .join("/");
        assert!(carries_token(&path), "{route} is not in TOKEN_PAGES");
        let answer = client.get(format!("{}{path}", target.base_url)).send().await.expect("GET");
        let header = |name| answer.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let case = format!("{:?}: {path} ({})", target.kind, answer.status());
        assert!(answer.status().is_success() || answer.status() == StatusCode::NOT_FOUND, "{case}");
        assert_eq!(header(reqwest::header::REFERRER_POLICY), "no-referrer", "{case}");
        assert_eq!(header(CACHE_CONTROL), "no-store", "{case}");
    }
    for path in ["/login", "/forgot-password", "/join/1", "/declined"] {
        let answer = client.get(format!("{}{path}", target.base_url)).send().await.expect("GET");
        let policy = answer.headers().get(reqwest::header::REFERRER_POLICY).cloned();
        assert_eq!(policy.as_ref().and_then(|v| v.to_str().ok()), Some("same-origin"), "{:?}: {path}", target.kind);
    }
}
