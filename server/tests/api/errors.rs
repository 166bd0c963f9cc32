//! An error of ours names its place: a storage error says which statement, written where,
//! met it — what `request::internal` logs before answering 500 — in a single statement and
//! in a batch alike.

use portico_app::stmt;

use crate::helpers::*;

#[tokio::test]
async fn a_storage_error_names_the_statement_that_met_it() {
    let app = spawn_app().await;
    let db = app.state.db.as_ref();
    let (statement, line) = (stmt!("INSERT INTO no_such_table VALUES (1)"), line!());
    let error = db.execute(statement).await.unwrap_err().to_string();
    assert!(error.contains(&format!("{}:{line}:", file!())), "{error}");
    assert!(error.contains("no_such_table"), "and what the database said: {error}");

    let (failing, line) = (stmt!("INSERT INTO organisations (id, name) VALUES (1, 'twice')"), line!());
    let error = db.batch(vec![stmt!("SELECT 1"), failing]).await.unwrap_err().to_string();
    assert!(error.contains(&format!("{}:{line}:", file!())), "the batch's failing statement: {error}");
}

/// What the app logs, kept for the tests to read.
static LOG: std::sync::Mutex<Vec<u8>> = std::sync::Mutex::new(Vec::new());

/// The log, once a process-wide subscriber (the server's own format) writes to it: the first
/// test that asks installs it.
fn captured_log() -> &'static std::sync::Mutex<Vec<u8>> {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter("info,sqlx=warn")
            .with_ansi(false)
            .with_writer(|| LogWriter)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
    });
    &LOG
}

struct LogWriter;

impl std::io::Write for LogWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        LOG.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The log's lines that carry `request`'s id.
fn lines_of(request: &str) -> Vec<String> {
    let log = String::from_utf8_lossy(&captured_log().lock().unwrap()).into_owned();
    log.lines().filter(|line| line.contains(request)).map(str::to_owned).collect()
}

fn request_id(headers: &reqwest::header::HeaderMap) -> String {
    headers.get("x-request-id").expect("every answer names its request").to_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_500_is_logged_once_with_its_statement_and_the_request_id_it_answered_with() {
    captured_log();
    let app = spawn_app().await;
    app.staff_login().await;
    app.state.db.execute(stmt!("DROP TABLE message_templates")).await.unwrap();

    // A server function: its error is logged inside the request's span.
    let response = app.call(&app.staff, "/api/list_templates", &[]).await;
    assert_eq!(response.status(), 500);
    let id = request_id(response.headers());
    let body = response.text().await.unwrap();
    assert!(!body.contains("templates") && !body.contains(".rs"), "the person is told nothing of it: {body}");
    let lines = lines_of(&id);
    let failed: Vec<&String> = lines.iter().filter(|l| l.contains("storage failed")).collect();
    assert_eq!(failed.len(), 1, "logged once: {lines:#?}");
    assert!(failed[0].contains("app/src/store/templates.rs:"), "names the statement's place: {}", failed[0]);
    assert!(failed[0].contains("no such table"), "and what the database said: {}", failed[0]);
    assert!(
        lines.iter().any(|l| l.contains("status=500") && l.contains("route=/api/list_templates")),
        "and how the request ended: {lines:#?}"
    );

    // A page whose data fails renders in a task of its own: the line still names the request.
    let page = app.get(&app.staff, "/staff/templates").await;
    let id = request_id(&page.headers);
    let lines = lines_of(&id);
    assert!(
        lines.iter().any(|l| l.contains("storage failed") && l.contains("app/src/store/templates.rs:")),
        "the page's failure names its request: {lines:#?}"
    );
}

#[tokio::test]
async fn an_ordinary_request_is_one_line_with_its_route_and_no_token() {
    captured_log();
    let app = spawn_app().await;
    let token = "a".repeat(43);
    let page = app.get(&browser(), &format!("/invite/{token}")).await;
    let lines = lines_of(&request_id(&page.headers));
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(lines[0].contains("route=/invite/…") && lines[0].contains("method=GET"), "{}", lines[0]);
    assert!(!lines[0].contains(&token), "a link's token is never logged: {}", lines[0]);
}
