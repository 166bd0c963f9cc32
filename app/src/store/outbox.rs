//! The outbox: e-mail written in the same batch as what caused it, sent later by a
//! dispatcher. Each step is guarded by the claim a dispatcher took, so a stale or duplicate
//! dispatcher cannot overwrite another's outcome.

use serde::Deserialize;

use super::{Db, DbError, fetch_optional};
use crate::stmt;

#[derive(Debug, Clone, Deserialize)]
pub struct OutboxMessage {
    pub id: i64,
    pub idempotency_key: String,
    pub to_email: String,
    pub from_name: String,
    pub from_email: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub sealed_token: Option<String>,
    /// 'invitation' or 'sign_up': which page the sealed token's link opens.
    pub link_kind: String,
    pub attempts: i64,
}

/// Cancels messages whose invitation was withdrawn before they went out, then claims the
/// next due message (or one whose previous dispatcher's lease ran out) for `lease_seconds`.
pub async fn claim_next_due(
    db: &dyn Db,
    claim: &str,
    now: i64,
    lease_seconds: i64,
) -> Result<Option<OutboxMessage>, DbError> {
    db.batch(vec![
        stmt!(
            "UPDATE outbox SET status = 'dead', sealed_token = NULL,
                 last_error = 'Not sent: the invitation was withdrawn or accepted first.'
             WHERE status = 'pending' AND invitation_id IN (
                 SELECT id FROM invitations WHERE revoked_at IS NOT NULL OR accepted_at IS NOT NULL)"
        ),
        stmt!(
            "UPDATE outbox SET status = 'sending', claim = ?, locked_until = ?, attempts = attempts + 1
             WHERE id = (SELECT id FROM outbox
                         WHERE (status = 'pending' AND next_attempt_at <= ?)
                            OR (status = 'sending' AND locked_until <= ?)
                         ORDER BY next_attempt_at, id LIMIT 1)",
            claim,
            now + lease_seconds,
            now,
            now
        ),
    ])
    .await?;
    fetch_optional(
        db,
        stmt!(
            "SELECT id, idempotency_key, to_email, from_name, from_email, subject, text_body,
                    html_body, sealed_token, link_kind, attempts
             FROM outbox WHERE claim = ? AND status = 'sending'",
            claim
        ),
    )
    .await
}

pub async fn mark_sent(db: &dyn Db, id: i64, claim: &str, now: i64, provider_id: Option<&str>) -> Result<(), DbError> {
    db.execute(stmt!(
        "UPDATE outbox SET status = 'sent', sent_at = ?, provider_id = ?, sealed_token = NULL,
             locked_until = NULL, last_error = NULL
         WHERE id = ? AND claim = ?",
        now,
        provider_id,
        id,
        claim
    ))
    .await?;
    Ok(())
}

pub async fn mark_retry(db: &dyn Db, id: i64, claim: &str, next_attempt_at: i64, error: &str) -> Result<(), DbError> {
    db.execute(stmt!(
        "UPDATE outbox SET status = 'pending', next_attempt_at = ?, last_error = ?, locked_until = NULL
         WHERE id = ? AND claim = ?",
        next_attempt_at,
        error,
        id,
        claim
    ))
    .await?;
    Ok(())
}

pub async fn mark_dead(db: &dyn Db, id: i64, claim: &str, error: &str) -> Result<(), DbError> {
    db.batch(vec![
        stmt!(
            "UPDATE outbox SET status = 'dead', last_error = ?, sealed_token = NULL, locked_until = NULL
             WHERE id = ? AND claim = ?",
            error,
            id,
            claim
        ),
        stmt!(
            super::members::refresh_standing!(
                "SELECT i.member_id FROM outbox o JOIN invitations i ON i.id = o.invitation_id WHERE o.id = ?"
            ),
            id
        ),
    ])
    .await?;
    Ok(())
}
