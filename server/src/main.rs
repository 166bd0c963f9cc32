use std::process::ExitCode;
use std::sync::Arc;

use portico_app::seed::ensure_demo_organisation;
use portico_app::store::Db;
use portico_app::store::organisations::any_organisation;
use portico_server::clock::SystemClock;
use portico_server::config::{Config, MailConfig};
use portico_server::startup::Application;

// glibc's allocator spent a sixth of a page's time under load, much of it waiting on its
// arena locks between the runtime's threads and SQLite's; mimalloc keeps a heap per thread.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        // Colours on a terminal only: a log file or journald gets plain lines.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `portico openapi`: the API's OpenAPI document, as `make openapi` writes it beside the code.
    if args.first().map(String::as_str) == Some("openapi") {
        print!("{}", portico_app::web::openapi_document());
        return ExitCode::SUCCESS;
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(message) => {
            eprintln!("portico: {message}");
            return ExitCode::FAILURE;
        }
    };
    if args.first().map(String::as_str) == Some("seed") {
        return seed(&config, &args[1..]).await;
    }
    let demo_password = config.demo_password.clone();
    let app = match Application::build(config, Arc::new(SystemClock)).await {
        Ok(app) => app,
        Err(error) => {
            eprintln!("portico: {error}");
            return ExitCode::FAILURE;
        }
    };
    let base = app.config.public_base_url.clone();
    println!("\nPortico is running at {base}  (database: {})", app.config.database.display());
    if !app.config.dev_mode {
        match any_organisation(app.state.db.as_ref()).await {
            Ok(false) => println!("\nNo organisation yet: open {base}/setup to create it and its owner login."),
            Ok(true) => println!("Sign in at {base}/login"),
            Err(error) => {
                eprintln!("portico: could not read the database: {error}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        match ensure_demo_organisation(&app.state, demo_password).await {
            Ok(Some(owner)) => println!(
                "\nA demo organisation was created. Sign in at {base}/login with\n    e-mail:   {}\n    password: {}\n(shown once; delete {} to start again)",
                owner.email,
                owner.password,
                app.config.database.display()
            ),
            Ok(None) => println!("Sign in at {base}/login"),
            Err(error) => {
                eprintln!("portico: could not create the demo organisation: {error}");
                return ExitCode::FAILURE;
            }
        }
    }
    if matches!(app.config.mail, MailConfig::DevMailbox) {
        println!("E-mail is not sent anywhere: read it at {base}/dev/mailbox\n");
    }
    match app.run_until_stopped(true).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("portico: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `portico seed --members N`: adds N made-up members (with contacts) to the database's
/// first organisation — for demos, and for measuring at scale (`make bench`).
async fn seed(config: &Config, args: &[String]) -> ExitCode {
    let count = match args {
        [flag, n] if flag == "--members" => n.parse::<i64>().ok().filter(|n| (1..=1_000_000).contains(n)),
        _ => None,
    };
    let Some(count) = count else {
        eprintln!("portico: use `portico seed --members N` (N from 1 to 1000000)");
        return ExitCode::FAILURE;
    };
    let db = match portico_server::sqlite::SqliteDb::open(&config.database).await {
        Ok(db) => db,
        Err(error) => {
            eprintln!("portico: could not open {}: {error}", config.database.display());
            return ExitCode::FAILURE;
        }
    };
    let first = db.fetch_all(portico_app::stmt!("SELECT min(id) AS id FROM organisations")).await;
    let Some(organisation_id) = first.ok().and_then(|rows| rows.first().and_then(|row| row["id"].as_i64())) else {
        eprintln!("portico: no organisation yet: start portico once (or open /setup), then seed");
        return ExitCode::FAILURE;
    };
    let started = std::time::Instant::now();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    match portico_app::seed::seed_members(&db, organisation_id, count, now).await {
        Ok(()) => {
            println!("Added {count} members to organisation {organisation_id} in {} ms", started.elapsed().as_millis());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("portico: {error}");
            ExitCode::FAILURE
        }
    }
}
