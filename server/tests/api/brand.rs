//! The organisation's own face: an accent colour checked for contrast with white text, and a
//! logo that is a PNG, JPEG or WebP image by its bytes and no larger than 256 KB, served with
//! safe headers at an address its content names — shown on member pages, the invitation
//! page and the invitation e-mail. A refused colour or image writes nothing.

use reqwest::Client;
use reqwest::header::{ACCEPT, CONTENT_TYPE, ORIGIN, REFERER};

use crate::helpers::*;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\0\x05\0\x01\xff\x89\x99=\x1d\0\0\0\0IEND\xaeB`\x82";
const LOGOS: &str = "SELECT count(*) FROM organisation_logos";

impl TestApp {
    /// The settings page's logo form, as a browser sends it.
    async fn upload_logo(&self, client: &Client, name: &str, bytes: &[u8]) -> reqwest::Response {
        let (content_type, body) = portico_harness::multipart::multipart(&[("logo", Some(name), bytes)]);
        client
            .post(format!("{}/staff/settings/logo", self.address))
            .header(ACCEPT, "text/html")
            .header(ORIGIN, BASE_URL)
            .header(REFERER, format!("{}/staff/logo", self.address))
            .header(CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .await
            .expect("POST")
    }
}

#[tokio::test]
async fn an_accent_too_light_for_white_text_is_refused_and_one_that_passes_colours_every_page() {
    let app = spawn_app().await;
    app.staff_login().await;
    let events = "SELECT count(*) FROM events";
    let before = app.count(events).await;
    let refused = app.change_settings(&app.staff, &[("accent_colour", "#93b4fb"), ("name", "Renamed")]).await;
    let error = refusal_fields(&refused);
    assert!(error.contains("contrast of 2.1:1") && error.contains("4.5:1"), "{error}");
    assert_eq!(app.count(events).await, before, "nothing saved");
    assert!(!app.dump("SELECT name FROM organisations").await.contains("Renamed"));
    for bad in ["blue", "#12345", "#1d4ed8; } body { display: none"] {
        let refused = app.change_settings(&app.staff, &[("accent_colour", bad)]).await;
        assert!(refusal_fields(&refused).contains("six hexadecimal digits"), "{bad}");
    }

    let saved = app.change_settings(&app.staff, &[("accent_colour", "#7C2D12")]).await;
    assert_eq!(location(&saved), "/staff/settings");
    let page = app.get(&app.staff, "/staff/members").await.body;
    assert!(page.contains("href=\"/brand.css?accent=7c2d12\""), "{page}");
    let css = app.get(&app.staff, "/brand.css?accent=7c2d12").await;
    assert_eq!(css.headers["content-type"], "text/css; charset=utf-8");
    assert_eq!(css.body, ":root { --accent: #7c2d12; }\n");
    for refused in ["93b4fb", "zzzzzz", "", "7c2d12;x"] {
        let answer = app.get(&app.staff, &format!("/brand.css?accent={refused}")).await;
        assert_eq!(answer.status, 404, "{refused}");
    }
    assert!(
        app.get(&app.staff, "/staff/settings").await.body.contains("accent colour “Portico&#x27;s own” → “#7c2d12”")
            || app.get(&app.staff, "/staff/settings").await.body.contains("accent colour “Portico's own” → “#7c2d12”")
    );
}

#[tokio::test]
async fn a_logo_must_be_a_small_png_jpeg_or_webp_and_is_served_with_safe_headers() {
    let app = spawn_app().await;
    email_api_accepts(&app).await;
    app.staff_login().await;
    let mut big = PNG.to_vec();
    big.resize(256 * 1024 + 1, 0);
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
    for (name, bytes, message) in [
        ("logo.svg", &svg[..], "The logo must be a PNG, JPEG or WebP image."),
        ("logo.png", b"GIF89a\x01\0\x01\0", "The logo must be a PNG, JPEG or WebP image."),
        ("logo.png", b"just text", "The logo must be a PNG, JPEG or WebP image."),
        ("logo.png", &big, "That image is too large: 256 KB (262,144 bytes) at most."),
        ("logo.png", b"", "Choose an image to upload."),
    ] {
        let answer = app.upload_logo(&app.staff, name, bytes).await;
        assert!(location(&answer).contains("/staff/logo?__path=%2Fstaff%2Fsettings%2Flogo"), "{name}");
        let page = app.get(&app.staff, &app.sent_back_to(&answer)).await.body;
        assert!(page.contains(message), "{name}: {message}");
        assert_eq!(app.count(LOGOS).await, 0, "{name}: nothing kept");
    }

    let saved = app.upload_logo(&app.staff, "logo.png", PNG).await;
    assert_eq!(location(&saved), "/staff/logo");
    assert!(app.get(&app.staff, "/staff/logo").await.body.contains("Logo saved"), "the notice");
    let settings = app.get(&app.staff, "/staff/settings").await.body;
    let digest: String = {
        let dump = app.dump("SELECT digest FROM organisation_logos").await;
        dump.split('"').nth(3).unwrap().to_owned()
    };
    let address = format!("/logo/1/{digest}");
    assert!(settings.contains(&format!("src=\"{address}\"")), "{settings}");
    let served = app.get(&browser(), &address).await;
    assert_eq!(served.status, 200, "public: e-mails show it");
    assert_eq!(served.headers["content-type"], "image/png");
    assert_eq!(served.headers["x-content-type-options"], "nosniff");
    assert_eq!(served.headers["content-security-policy"], "default-src 'none'; sandbox");
    assert_eq!(served.headers["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(app.get(&browser(), "/logo/1/0000000000000000").await.status, 404, "an old address");
    assert_eq!(app.get(&browser(), "/logo/x/y").await.status, 404);

    // On member pages, the invitation page and the invitation e-mail.
    let (_, link) = app.invited_member("Ada", "ada@example.org").await;
    let email = app.sent_emails().await.pop().unwrap();
    let html = email["html"].as_str().unwrap();
    assert!(html.contains(&format!("<img src=\"{BASE_URL}{address}\" alt=\"Riverside Martial Arts\"")), "{html}");
    let ada = browser();
    let welcome = app.get(&ada, &link).await.body;
    assert!(welcome.contains("welcome-logo") && welcome.contains(&format!("src=\"{address}\"")), "{welcome}");
    app.accept(&ada, &link, "ada's own password").await;
    let portal = app.get(&ada, "/portal").await.body;
    assert!(portal.contains("brand-logo") && portal.contains(&format!("src=\"{address}\"")), "{portal}");

    // Only the owner and administrators change it.
    let staff = app.staff_in_role("plain.staff@example.org", "staff").await;
    assert_eq!(app.upload_logo(&staff, "logo.png", PNG).await.status(), 404);
    assert_eq!(app.call(&staff, "/api/remove_logo", &[]).await.status(), 404);
    assert_eq!(location(&app.upload_logo(&browser(), "logo.png", PNG).await), "/login");

    let removed = app.post_form(&app.staff, "/api/remove_logo", "/staff/logo", &[]).await;
    assert_eq!(location(&removed), "/staff/logo");
    assert_eq!(app.count(LOGOS).await, 0);
    assert_eq!(app.get(&browser(), &address).await.status, 404);
    assert_eq!(app.call(&app.staff, "/api/remove_logo", &[]).await.status(), 409, "none left to remove");
}

/// Every field message a plain form post was sent back with, as one text.
fn refusal_fields(response: &reqwest::Response) -> String {
    let back = location(response);
    let query = back.split_once('?').map(|(_, q)| q).unwrap_or_default();
    let error = reqwest::Url::parse(&format!("http://x/?{query}"))
        .ok()
        .and_then(|url| url.query_pairs().find(|(name, _)| name == "__err").map(|(_, v)| v.into_owned()))
        .unwrap_or_else(|| panic!("not sent back with an error: {back}"));
    use base64::Engine;
    String::from_utf8(base64::engine::general_purpose::STANDARD.decode(error).unwrap()).unwrap()
}
