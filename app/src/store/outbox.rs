//! The outbox: e-mail written in the same batch as what caused it, sent later by a
//! dispatcher in batches of up to `BATCH_SIZE`. A batch keeps its key from its first attempt
//! on, so it is retried whole and unchanged. Each step is guarded by the claim a dispatcher
//! took, so a stale or duplicate dispatcher cannot overwrite another's outcome.

use serde::Deserialize;

use super::invitations::QueuedEmail;
use super::{Db, DbError, Stmt, events, fetch_all};
use crate::domain::addresses::LinkKind;
use crate::stmt;

/// The provider's batch endpoint takes up to 100 messages a call.
pub const BATCH_SIZE: i64 = 100;

#[derive(Debug, Clone, Deserialize)]
pub struct OutboxMessage {
    pub id: i64,
    pub idempotency_key: String,
    /// The key its batch is sent under, the same on every attempt.
    pub batch_key: String,
    pub to_email: String,
    pub from_name: String,
    pub from_email: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub sealed_token: Option<String>,
    /// Which page the sealed token's link opens.
    pub link_kind: LinkKind,
    pub attempts: i64,
}

/// One e-mail that is not an invitation's, queued in the batch that causes it: `link_kind`
/// names the page its sealed token's link opens (none: it has no link), and it is queued
/// only if `only_if` holds (a condition with named values): that what it tells of happened.
pub fn queue_one(
    organisation_id: i64,
    to: &str,
    email: &QueuedEmail,
    link_kind: Option<LinkKind>,
    now: i64,
    only_if: Stmt,
) -> Stmt {
    stmt!(
        "INSERT INTO outbox (organisation_id, idempotency_key, to_email, from_name, from_email, subject,
             text_body, html_body, sealed_token, link_kind, next_attempt_at, created_at)
         SELECT :organisation, :idempotency_key, :to_email, :from_name, :from_email, :subject, :text_body,
                :html_body, nullif(:sealed_token, ''), coalesce(:link_kind, 'invitation'), :now, :now WHERE ",
        organisation = organisation_id,
        idempotency_key = email.idempotency_key.as_str(),
        to_email = to,
        from_name = email.from_name.as_str(),
        from_email = email.from_email.as_str(),
        subject = email.subject.as_str(),
        text_body = email.text_body.as_str(),
        html_body = email.html_body.as_str(),
        sealed_token = email.sealed_token.as_str(),
        link_kind = link_kind.map(LinkKind::as_str),
        now = now,
    )
    .then(only_if)
}

/// A message not yet tried whose invitation was withdrawn or accepted meanwhile.
const WITHDRAWN: &str = "EXISTS (SELECT 1 FROM invitations i WHERE i.id = outbox.invitation_id
                                 AND (i.revoked_at IS NOT NULL OR i.accepted_at IS NOT NULL))";

/// Claims the next batch for `lease_seconds`: a batch tried before, whole and under its key,
/// or else up to `BATCH_SIZE` due messages never tried, under the new key `new_batch_key`.
/// Messages not yet tried whose invitation was withdrawn first are cancelled, not sent.
pub async fn claim_next_batch(
    db: &dyn Db,
    claim: &str,
    new_batch_key: &str,
    now: i64,
    lease_seconds: i64,
) -> Result<Vec<OutboxMessage>, DbError> {
    db.batch(claim_statements(claim, new_batch_key, now, now + lease_seconds)).await?;
    fetch_all(
        db,
        stmt!(
            "SELECT id, idempotency_key, batch_key, to_email, from_name, from_email, subject, text_body,
                    html_body, sealed_token, link_kind, attempts
             FROM outbox WHERE claim = ? AND status = 'sending' ORDER BY id",
            claim
        ),
    )
    .await
}

/// What `claim_next_batch` runs, in one batch: cancel the withdrawn, then claim a batch due
/// again, or else a new one. (Each reads an index range, never the whole outbox: a test.)
pub fn claim_statements(claim: &str, new_batch_key: &str, now: i64, locked_until: i64) -> Vec<Stmt> {
    let never_tried = format!(
        "SELECT id FROM outbox WHERE status = 'pending' AND batch_key IS NULL AND next_attempt_at <= ?
         ORDER BY next_attempt_at, id LIMIT {BATCH_SIZE}"
    );
    vec![
        stmt!(
            format!(
                "UPDATE outbox SET status = 'dead', sealed_token = NULL,
                     last_error = 'Not sent: the invitation was withdrawn or accepted first.'
                 WHERE id IN ({never_tried}) AND {WITHDRAWN}"
            ),
            now
        ),
        stmt!(
            "UPDATE outbox SET status = 'sending', claim = ?, locked_until = ?, attempts = attempts + 1
             WHERE status IN ('pending', 'sending') AND batch_key = coalesce(
                 (SELECT batch_key FROM outbox WHERE status = 'sending' AND locked_until <= ? LIMIT 1),
                 (SELECT batch_key FROM outbox INDEXED BY outbox_retries
                  WHERE status = 'pending' AND batch_key IS NOT NULL
                      AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT 1))",
            claim,
            locked_until,
            now,
            now
        ),
        stmt!(
            format!(
                "UPDATE outbox SET status = 'sending', claim = ?, locked_until = ?, attempts = attempts + 1,
                     batch_key = ?
                 WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE claim = ? AND status = 'sending')
                   AND id IN ({never_tried}) AND NOT {WITHDRAWN}"
            ),
            claim,
            locked_until,
            new_batch_key,
            claim,
            now
        ),
    ]
}

/// The provider took the batch: `provider_ids` maps a message id to the provider's id for it.
/// Each invitation's timeline says its e-mail went out.
pub async fn mark_sent(
    db: &dyn Db,
    claim: &str,
    now: i64,
    provider_ids: &serde_json::Map<String, serde_json::Value>,
) -> Result<(), DbError> {
    db.batch(vec![
        events::invitation_emails("emailed", claim, None, None, now),
        stmt!(
            "UPDATE outbox SET status = 'sent', sent_at = ?, provider_id = json_extract(?, '$.\"' || id || '\"'),
                 sealed_token = NULL, locked_until = NULL, last_error = NULL
             WHERE claim = ? AND status = 'sending'",
            now,
            serde_json::Value::Object(provider_ids.clone()).to_string(),
            claim
        ),
    ])
    .await?;
    Ok(())
}

/// The batch goes again, whole, at `next_attempt_at`. When the provider asked us to wait
/// (429, Retry-After), nothing else pending goes before then either.
pub async fn mark_retry(
    db: &dyn Db,
    claim: &str,
    next_attempt_at: i64,
    error: &str,
    provider_asked_to_wait: bool,
) -> Result<(), DbError> {
    let mut statements = vec![stmt!(
        "UPDATE outbox SET status = 'pending', next_attempt_at = ?, last_error = ?, locked_until = NULL
         WHERE claim = ? AND status = 'sending'",
        next_attempt_at,
        error,
        claim
    )];
    if provider_asked_to_wait {
        statements.push(stmt!(
            "UPDATE outbox SET next_attempt_at = ? WHERE status = 'pending' AND next_attempt_at < ?",
            next_attempt_at,
            next_attempt_at
        ));
    }
    db.batch(statements).await?;
    Ok(())
}

/// The provider refused a batch of several: each message is sent again alone (under its own
/// key, the refused batch having sent nothing), so one bad message does not sink the others.
/// The refused attempt is not counted against them.
pub async fn split_batch(db: &dyn Db, claim: &str, now: i64) -> Result<(), DbError> {
    db.execute(stmt!(
        "UPDATE outbox SET status = 'pending', batch_key = idempotency_key, attempts = attempts - 1,
             next_attempt_at = ?, locked_until = NULL
         WHERE claim = ? AND status = 'sending'",
        now,
        claim
    ))
    .await?;
    Ok(())
}

/// Gives up on the messages `ids` of the claim; their members' standing and timeline show it.
pub async fn mark_dead(db: &dyn Db, claim: &str, ids: &[i64], error: &str, now: i64) -> Result<(), DbError> {
    let ids = serde_json::to_string(ids).expect("ids serialise");
    db.batch(vec![
        events::invitation_emails("delivery_failed", claim, Some(&ids), Some(error), now),
        stmt!(
            "UPDATE outbox SET status = 'dead', last_error = ?, sealed_token = NULL, locked_until = NULL
             WHERE claim = ? AND status = 'sending' AND id IN (SELECT value FROM json_each(?))",
            error,
            claim,
            ids.clone()
        ),
        stmt!(
            super::scope::refresh_standing!(
                "SELECT i.member_id FROM outbox o JOIN invitations i ON i.id = o.invitation_id
                 WHERE o.id IN (SELECT value FROM json_each(?))"
            ),
            ids
        ),
    ])
    .await?;
    Ok(())
}

/// What recording a provider's report came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// The message moved to the reported state (on the timeline, for an invitation's).
    Moved,
    /// Kept as it was: the event was handled before, the message is further along already,
    /// or no message has that id (another deployment's, or one sent before it was kept).
    Unchanged,
}

/// Records the provider's report `event_id` of its message `report.message_id` once: the
/// event's id kept, the message moved forward only (`Report::rank`), and for an invitation's
/// e-mail a timeline entry (`email_<state>`, the reason as its detail), in one batch.
pub async fn record_report(
    db: &dyn Db,
    event_id: &str,
    report: &crate::domain::delivery_report::ProviderReport,
    claim: &str,
    now: i64,
) -> Result<Recorded, DbError> {
    use crate::domain::delivery_report::Report;
    let rank_of_kept = Report::ALL
        .iter()
        .fold(String::from("CASE report"), |sql, r| format!("{sql} WHEN '{}' THEN {}", r.stored(), r.rank()))
        + " ELSE 0 END";
    let mut batch = super::Batch::default();
    batch.add(stmt!(
        "INSERT INTO email_reports (id, claim, received_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
        event_id,
        claim,
        now
    ));
    let moved = batch.add(
        Stmt::new(format!(
            "UPDATE outbox SET report = :report, report_detail = :detail, reported_at = :now, report_claim = :claim
             WHERE provider_id = :provider AND {rank_of_kept} < :rank
               AND EXISTS (SELECT 1 FROM email_reports WHERE id = :event AND claim = :claim)"
        ))
        .bind_as("report", report.report.stored())
        .bind_as("detail", report.detail.as_deref())
        .bind_as("now", now)
        .bind_as("claim", claim)
        .bind_as("provider", report.message_id.as_str())
        .bind_as("rank", report.report.rank())
        .bind_as("event", event_id),
    );
    batch.add_all([
        events::delivery_reported(claim),
        stmt!(
            super::scope::refresh_standing!(
                "SELECT i.member_id FROM outbox o JOIN invitations i ON i.id = o.invitation_id WHERE o.report_claim = ?"
            ),
            claim
        ),
    ]);
    let changes = batch.run(db).await?;
    Ok(if changes[moved].rows_affected > 0 { Recorded::Moved } else { Recorded::Unchanged })
}
