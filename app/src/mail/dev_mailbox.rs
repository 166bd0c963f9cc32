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
    async fn send_batch(&self, _key: &str, emails: &[OutgoingEmail]) -> Result<Vec<Option<String>>, SendError> {
        let headers: Vec<String> = emails.iter().map(OutgoingEmail::from_header).collect();
        let messages: Vec<_> = emails
            .iter()
            .zip(&headers)
            .map(|(email, from_header)| dev_mailbox::IncomingDevMessage {
                idempotency_key: &email.idempotency_key,
                to_email: &email.to,
                from_header,
                subject: &email.subject,
                text_body: &email.text,
                html_body: &email.html,
            })
            .collect();
        dev_mailbox::deliver(self.db.as_ref(), &messages, self.clock.now())
            .await
            .map_err(|e| SendError::Retryable { reason: e.to_string(), retry_after_seconds: None })?;
        Ok(vec![None; emails.len()])
    }
}
