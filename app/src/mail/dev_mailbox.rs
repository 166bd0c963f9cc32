//! The dev mailbox: "sends" by keeping the message in the database, listed at /dev/mailbox.
//! The default on a fresh clone, on both targets.

use std::sync::Arc;

use async_trait::async_trait;

use super::{Mailer, OutgoingEmail, SendError};
use crate::ports::Clock;
use crate::store::{Db, dev_mailbox};

pub struct DevMailbox {
    pub db: Arc<dyn Db>,
    pub clock: Arc<dyn Clock>,
}

#[async_trait]
impl Mailer for DevMailbox {
    async fn send(&self, email: &OutgoingEmail) -> Result<Option<String>, SendError> {
        let message = dev_mailbox::IncomingDevMessage {
            idempotency_key: &email.idempotency_key,
            to_email: &email.to,
            from_header: &email.from_header(),
            subject: &email.subject,
            text_body: &email.text,
            html_body: &email.html,
        };
        dev_mailbox::deliver(self.db.as_ref(), &message, self.clock.now())
            .await
            .map_err(|e| SendError::Retryable { reason: e.to_string(), retry_after_seconds: None })?;
        Ok(None)
    }
}
