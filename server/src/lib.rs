//! Portico self-hosted: the Leptos app on axum, with an embedded SQLite database, the
//! outbox dispatcher and the webhook sender as tokio tasks, and an HTTP e-mail API client or
//! the dev mailbox.

pub mod clock;
pub mod config;
pub mod dispatcher;
pub mod hasher;
pub mod mailer;
pub mod migrations;
pub mod sqlite;
pub mod startup;
pub mod webhooks;
