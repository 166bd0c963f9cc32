use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use leptos::prelude::LeptosOptions;

use crate::helpers::*;

#[tokio::test]
async fn home_page_says_portico_and_the_hydrate_bundle_it_names_is_served() {
    let app = spawn_app().await;
    let home = app.get(&browser(), "/").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("<h1>Portico</h1>"), "{}", home.body);

    // The page names its JS, WASM and CSS under the bundle's published, content-hashed name.
    let name = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site/bundle-name"))
        .expect("build the front first: make front");
    let name = name.trim();
    assert!(name.starts_with("portico-") && name.len() == "portico-".len() + 16, "{name}");
    let js = attribute_after(&home.body, "rel=\"modulepreload\" href=\"");
    let wasm = attribute_after(&home.body, "rel=\"preload\" href=\"");
    let css = attribute_after(&home.body, "rel=\"stylesheet\" href=\"");
    assert_eq!([js, wasm, css], [".js", ".wasm", ".css"].map(|ext| format!("/pkg/{name}{ext}")));
    let js_response = browser().get(format!("{}{js}", app.address)).send().await.unwrap();
    assert_eq!(js_response.status(), 200);
    assert!(js_response.text().await.unwrap().contains("hydrate"));
    let wasm_response = browser().get(format!("{}{wasm}", app.address)).send().await.unwrap();
    assert_eq!(wasm_response.status(), 200);
    assert_eq!(wasm_response.headers()["content-type"], "application/wasm");
    let bytes = wasm_response.bytes().await.unwrap();
    assert_eq!(&bytes[..4], b"\0asm");
    // And its stylesheet, processed from style/main.css.
    let css_response = browser().get(format!("{}{css}", app.address)).send().await.unwrap();
    assert_eq!(css_response.status(), 200);
    assert!(css_response.headers()["content-type"].to_str().unwrap().starts_with("text/css"));
    let stylesheet = css_response.text().await.unwrap();
    assert!(stylesheet.contains(".site-header") && stylesheet.contains("overflow-wrap"), "{stylesheet}");
}

/// The bundle's files go out compressed as built (brotli, else gzip) to a browser that takes
/// it, and are cached for a year: their names change with their content. Pages are not cached.
#[tokio::test]
async fn the_bundle_is_sent_precompressed_and_cached_for_good_pages_never() {
    let app = spawn_app().await;
    let home = app.get(&browser(), "/").await;
    assert_eq!(home.headers["cache-control"], "no-store");
    let name = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site/bundle-name")).unwrap();
    for ext in ["js", "wasm", "css"] {
        let file = format!("{}.{ext}", name.trim());
        for (accepted, encoding) in
            [("gzip, deflate, br, zstd", Some("br")), ("gzip", Some("gzip")), ("identity", None)]
        {
            let answer = reqwest::Client::new()
                .get(format!("{}/pkg/{file}", app.address))
                .header("accept-encoding", accepted)
                .send()
                .await
                .unwrap();
            let case = format!("{file} for {accepted}");
            assert_eq!(answer.status(), 200, "{case}");
            let headers = answer.headers().clone();
            let header = |name: &str| headers.get(name).map(|v| v.to_str().unwrap().to_owned());
            assert_eq!(header("cache-control").as_deref(), Some("public, max-age=31536000, immutable"), "{case}");
            assert_eq!(header("content-encoding").as_deref(), encoding, "{case}");
            assert!(header("vary").is_some_and(|v| v.to_lowercase().contains("accept-encoding")), "{case}");
            let on_disk = match encoding {
                Some("br") => format!("{file}.br"),
                Some(_) => format!("{file}.gz"),
                None => file.clone(),
            };
            let expected =
                std::fs::read(format!("{}/../target/site/pkg/{on_disk}", env!("CARGO_MANIFEST_DIR"))).unwrap();
            assert!(answer.bytes().await.unwrap() == expected, "{case}: the file {on_disk} as built");
        }
    }
    // Only the published name exists: a stale page cannot load half of another bundle.
    let unhashed = reqwest::get(format!("{}/pkg/portico.wasm", app.address)).await.unwrap();
    assert_eq!(unhashed.status(), 404);
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

    let guide = app.get(&browser(), "/dev/style-guide").await;
    assert_eq!(guide.status, 200);
    assert!(guide.body.contains("<h1>Style guide</h1>") && guide.body.contains("status-delivery-failed"));

    let production = spawn_app_with(Options { production: true, ..Options::default() }).await;
    assert_eq!(production.get(&browser(), "/dev/mailbox").await.status, 404);
    assert_eq!(production.get(&browser(), "/dev/style-guide").await.status, 404);
}

fn attribute_after<'a>(html: &'a str, prefix: &str) -> &'a str {
    let start = html.find(prefix).unwrap_or_else(|| panic!("no {prefix} in {html}")) + prefix.len();
    &html[start..start + html[start..].find('"').unwrap()]
}

/// Listing the app's routes renders the whole app with resource loading switched off for the
/// whole process (leptos-rs/leptos#4773). When every router built listed them again (each test
/// app, each Worker request), a page whose data was first asked for meanwhile sent its head
/// and never its body. Here another thread builds routers back to back, holding that switch
/// for most of the time if it still lists routes, while pages render: every page must finish.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_finish_while_other_routers_are_being_built() {
    let app = spawn_app().await;
    app.staff_login().await;
    let stop = Arc::new(AtomicBool::new(false));
    let builder = std::thread::spawn({
        let (stop, state, runtime) = (stop.clone(), app.state.clone(), tokio::runtime::Handle::current());
        move || {
            let _in_runtime = runtime.enter();
            let mut built = 0;
            while !stop.load(Ordering::Relaxed) {
                let options = LeptosOptions::builder().output_name("portico").build();
                drop(portico_app::web::router(options, state.clone(), axum::Router::new()));
                built += 1;
            }
            built
        }
    });
    let mut unfinished = Vec::new();
    for round in 0..10 {
        for path in ["/", "/staff/members"] {
            // A stalled page never ends: give each a few seconds, not the suite's 20.
            let load = tokio::time::timeout(Duration::from_secs(5), app.get(&app.staff, path)).await;
            match load {
                Ok(page) => assert_eq!(page.status, 200, "{path}"),
                Err(_) => unfinished.push(format!("round {round}: {path}")),
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    let built = builder.join().expect("router builder");
    assert!(built > 0, "no router was built while the pages rendered");
    assert!(unfinished.is_empty(), "pages that never finished while {built} routers were built: {unfinished:?}");
}

/// The server compiles the migrations in (`portico_server::migrations::FILES`); D1 applies the
/// folder. They must be the same files, in the same order.
#[test]
fn the_server_carries_every_migration_in_the_folder() {
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations");
    let mut on_disk: Vec<(String, String)> = std::fs::read_dir(folder)
        .expect("migrations folder")
        .map(|entry| {
            let path = entry.unwrap().path();
            (path.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    on_disk.sort();
    let compiled: Vec<(String, String)> =
        portico_server::migrations::FILES.iter().map(|(name, sql)| (name.to_string(), sql.to_string())).collect();
    assert_eq!(compiled, on_disk);
}

/// Every page has its own title, naming the organisation its reader belongs to (WCAG 2.4.2,
/// which a title of "Portico" on every page failed), and "Error: " when a form came back.
#[tokio::test]
async fn each_page_is_titled_with_what_it_is_and_whose() {
    let app = spawn_app().await;
    let title = |page: &str| {
        let (_, rest) = page.split_once("<title>").unwrap_or_else(|| panic!("no title: {page}"));
        rest.split_once("</title>").unwrap().0.to_owned()
    };
    assert_eq!(title(&app.get(&browser(), "/login").await.body), "Sign in – Portico");
    assert_eq!(title(&app.get(&browser(), "/forgot-password").await.body), "Forgotten password – Portico");
    for dead_end in ["/forgot-password/sent", "/join/sent"] {
        let page = app.get(&browser(), dead_end).await.body;
        assert!(page.contains("href=\"/login\">Back to sign in</a>"), "{dead_end} has a way back: {page}");
    }
    app.staff_login().await;
    for (path, expected) in [
        ("/staff/members", "Members – Riverside Martial Arts"),
        ("/staff/settings", "Settings – Riverside Martial Arts"),
        ("/staff/team", "Team – Riverside Martial Arts"),
        ("/staff/members/new", "Add a member – Riverside Martial Arts"),
        ("/staff/no-such-page", "Page not found – Riverside Martial Arts"),
    ] {
        let page = app.get(&app.staff, path).await.body;
        assert_eq!(page.matches("<title>").count(), 1, "{path}: one title");
        assert_eq!(title(&page), expected, "{path}");
    }
    let fields = [("first_name", ""), ("last_name", "Case"), ("email", ""), ("phone", ""), ("address", "")];
    let refused = app.post_form(&app.staff, "/api/add_member", "/staff/members/new", &fields).await;
    let back = location(&refused);
    let page = app.get(&app.staff, back.trim_start_matches(app.address.as_str())).await.body;
    assert_eq!(title(&page), "Error: Add a member – Riverside Martial Arts");
    // The summary on top takes the focus and leads to each field in error.
    let (_, summary) = page.split_once("<div role=\"alert\" tabindex=\"-1\" autofocus").expect("a summary");
    let summary = summary.split_once("</div>").unwrap().0;
    assert!(summary.starts_with(" class=\"alert\">"), "{summary}");
    assert!(summary.contains("<a href=\"#first_name\">"), "{summary}");
    assert!(page.contains("id=\"first_name\""), "the link's field");

    let (_, link) = app.invited_member("Ada", "ada.byron@example.org").await;
    let member = browser();
    assert_eq!(location(&app.accept(&member, &link, "a long member password").await), "/portal");
    let portal = app.get(&member, "/portal").await.body;
    assert_eq!(title(&portal), "Your portal – Riverside Martial Arts");
    let brand = portal.split_once("class=\"brand\"").map(|(_, b)| b.split_once("</a>").unwrap().0).unwrap_or_default();
    assert!(brand.ends_with(">Riverside Martial Arts"), "the member meets their organisation: {brand}");
}
