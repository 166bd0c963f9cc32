//! The dev mailer's inbox: what it "sent", listed at /dev/mailbox in dev mode.

use super::{Db, DbError, fetch_all};
use crate::records::DevMessage;
use crate::stmt;

pub struct IncomingDevMessage<'a> {
    pub idempotency_key: &'a str,
    pub to_email: &'a str,
    pub from_header: &'a str,
    pub subject: &'a str,
    pub text_body: &'a str,
    pub html_body: &'a str,
}

/// Stores each message once per idempotency key, as a real provider would deliver it once.
pub async fn deliver(db: &dyn Db, messages: &[IncomingDevMessage<'_>], now: i64) -> Result<(), DbError> {
    let statements = messages.iter().map(|m| {
        stmt!(
            "INSERT INTO dev_mailbox (idempotency_key, to_email, from_header, subject, text_body, html_body, received_at)
             VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING",
            m.idempotency_key,
            m.to_email,
            m.from_header,
            m.subject,
            m.text_body,
            m.html_body,
            now
        )
    });
    db.batch(statements.collect()).await?;
    Ok(())
}

pub async fn latest_messages(db: &dyn Db, limit: i64) -> Result<Vec<DevMessage>, DbError> {
    fetch_all(
        db,
        stmt!(
            "SELECT id, to_email, from_header, subject, text_body, html_body, received_at
             FROM dev_mailbox ORDER BY id DESC LIMIT ?",
            limit
        ),
    )
    .await
}
