use crate::helpers::*;

#[tokio::test]
async fn home_page_says_portico_and_the_hydrate_bundle_it_names_is_served() {
    let app = spawn_app().await;
    let home = app.get(&browser(), "/").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("<h1>Portico</h1>"), "{}", home.body);

    // The page names its JS and WASM; both must be there and be what they claim.
    let js = attribute_after(&home.body, "rel=\"modulepreload\" href=\"");
    let wasm = attribute_after(&home.body, "rel=\"preload\" href=\"");
    assert_eq!(js, "/pkg/portico.js");
    assert_eq!(wasm, "/pkg/portico.wasm");
    let js_response = browser().get(format!("{}{js}", app.address)).send().await.unwrap();
    assert_eq!(js_response.status(), 200, "build the site first: cargo leptos build");
    assert!(js_response.text().await.unwrap().contains("hydrate"));
    let wasm_response = browser().get(format!("{}{wasm}", app.address)).send().await.unwrap();
    assert_eq!(wasm_response.status(), 200);
    assert_eq!(wasm_response.headers()["content-type"], "application/wasm");
    let bytes = wasm_response.bytes().await.unwrap();
    assert_eq!(&bytes[..4], b"\0asm");
    let css = browser().get(format!("{}/pkg/portico.css", app.address)).send().await.unwrap();
    assert_eq!(css.status(), 200);
}

#[tokio::test]
async fn unknown_pages_are_404_with_a_page_a_person_can_read() {
    let app = spawn_app().await;
    let page = app.get(&browser(), "/no/such/page").await;
    assert_eq!(page.status, 404);
    assert!(page.body.contains("Page not found"));
}

#[tokio::test]
async fn the_dev_mailbox_lists_sent_mail_in_dev_mode_only() {
    let app = spawn_app_with(Options { dev_mailbox: true, ..Options::default() }).await;
    app.staff_login().await;
    let id = app.add_member("Ada", "Lovelace", "ada@example.org").await;
    app.invite(id, "ada@example.org", "See you on the mat").await;
    app.dispatch_pending_emails().await;
    let mailbox = app.get(&browser(), "/dev/mailbox").await;
    assert_eq!(mailbox.status, 200);
    assert!(mailbox.body.contains("Riverside Martial Arts invites you to your member portal"));
    assert!(mailbox.body.contains("To ada@example.org"));
    assert!(mailbox.body.contains(&format!("href=\"{BASE_URL}/invite/")));
    assert!(mailbox.body.contains("See you on the mat"));

    let production = spawn_app_with(Options { production: true, ..Options::default() }).await;
    assert_eq!(production.get(&browser(), "/dev/mailbox").await.status, 404);
}

fn attribute_after<'a>(html: &'a str, prefix: &str) -> &'a str {
    let start = html.find(prefix).unwrap_or_else(|| panic!("no {prefix} in {html}")) + prefix.len();
    &html[start..start + html[start..].find('"').unwrap()]
}
