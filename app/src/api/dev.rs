use leptos::prelude::*;

use crate::error::AppError;
use crate::records::DevMessage;
#[cfg(feature = "ssr")]
use {
    super::ssr::{app_state, internal, respond},
    crate::store::dev_mailbox,
};

/// What the dev mailer "sent", newest first. Exists only in dev mode.
#[server(endpoint = "dev_mailbox")]
pub async fn dev_mailbox() -> Result<Vec<DevMessage>, AppError> {
    respond(
        async {
            let state = app_state()?;
            if !state.config.dev_mode {
                return Err(AppError::NotFound);
            }
            dev_mailbox::latest_messages(state.db.as_ref(), 50).await.map_err(internal)
        }
        .await,
    )
}
