use leptos::prelude::*;

use crate::error::AppError;
use crate::records::DevMessage;
#[cfg(feature = "ssr")]
use {
    crate::request::{app_state, respond},
    crate::store::dev_mailbox,
};

/// Nothing, in dev mode; "not found" otherwise (the dev pages' guard).
#[server(endpoint = "dev_only")]
pub async fn dev_only() -> Result<(), AppError> {
    respond(async { if app_state()?.config.dev_mode { Ok(()) } else { Err(AppError::NotFound) } }.await)
}

/// What the dev mailer "sent", newest first. Exists only in dev mode.
#[server(endpoint = "dev_mailbox")]
pub async fn dev_mailbox() -> Result<Vec<DevMessage>, AppError> {
    respond(
        async {
            let state = app_state()?;
            if !state.config.dev_mode {
                return Err(AppError::NotFound);
            }
            dev_mailbox::latest_messages(state.db.as_ref(), 50).await.map_err(AppError::from)
        }
        .await,
    )
}
