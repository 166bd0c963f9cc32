use std::process::ExitCode;
use std::sync::Arc;

use portico_app::seed::ensure_demo_organisation;
use portico_app::store::organisations::any_organisation;
use portico_server::clock::SystemClock;
use portico_server::config::{Config, MailConfig};
use portico_server::startup::Application;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(message) => {
            eprintln!("portico: {message}");
            return ExitCode::FAILURE;
        }
    };
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
