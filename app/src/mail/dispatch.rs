//! One step of the outbox dispatcher: claim the next batch, send it through the provider's
//! batch endpoint, record the outcome. Targets call it in a loop (tokio task, Worker cron /
//! `wait_until`).

use super::render::with_link;
use super::{Mailer, OutgoingEmail, SendError};
use crate::ports::AppConfig;
use crate::secrets::new_nonce;
use crate::store::outbox::{self, OutboxMessage};
use crate::store::{Db, DbError};

/// What sending a batch may cost the Worker in subrequests: two D1 calls to claim it, one to
/// give up on messages whose link cannot be opened, the provider's API, one to record the
/// outcome.
pub const SUBREQUESTS_A_BATCH: usize = 5;

/// How many batches (of up to 100 messages) one Worker invocation sends; the cron trigger
/// picks up the rest. At most 20 subrequests of the 50 a free-plan invocation may make,
/// leaving the rest to the request whose answer queued the mail.
pub const BATCHES_AN_INVOCATION: usize = 4;

/// What became of the messages of one batch.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct BatchOutcome {
    pub sent: usize,
    pub will_retry: usize,
    pub gave_up: usize,
    /// Refused together by the provider: each goes again alone.
    pub split: usize,
}

#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// After this many failed attempts a message is dead and staff are told.
    pub max_attempts: i64,
    pub base_delay_seconds: i64,
    pub max_delay_seconds: i64,
    /// How long a claimed message stays ours before another dispatcher may take it over.
    pub lease_seconds: i64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { max_attempts: 8, base_delay_seconds: 30, max_delay_seconds: 3600, lease_seconds: 120 }
    }
}

impl RetryPolicy {
    /// Exponential backoff with up to 25 % jitter; a provider's Retry-After wins when longer.
    pub fn delay_after(&self, attempts: i64, retry_after_seconds: Option<i64>, jitter_unit: f64) -> i64 {
        let exponent = (attempts - 1).clamp(0, 20) as u32;
        let backoff = self.base_delay_seconds.saturating_mul(1_i64 << exponent).min(self.max_delay_seconds);
        let jitter = (backoff as f64 * 0.25 * jitter_unit.clamp(0.0, 1.0)) as i64;
        (backoff + jitter).max(retry_after_seconds.unwrap_or(0).min(self.max_delay_seconds))
    }
}

/// Claims the next due batch and sends it; `None` when nothing is due.
pub async fn dispatch_next_batch(
    db: &dyn Db,
    mailer: &dyn Mailer,
    config: &AppConfig,
    policy: &RetryPolicy,
    now: i64,
) -> Result<Option<BatchOutcome>, DbError> {
    let claim = new_nonce();
    let messages = outbox::claim_next_batch(db, &claim, &new_nonce(), now, policy.lease_seconds).await?;
    let Some(first) = messages.first() else {
        return Ok(None);
    };
    let (key, attempts) = (first.batch_key.clone(), first.attempts);
    let mut outcome = BatchOutcome::default();
    let (mut ids, mut emails, mut unopenable) = (Vec::new(), Vec::new(), Vec::new());
    for message in &messages {
        match outgoing(config, message) {
            Some(email) => {
                ids.push(message.id);
                emails.push(email);
            }
            None => unopenable.push(message.id),
        }
    }
    if !unopenable.is_empty() {
        let error = "Could not be delivered: the server's secret key changed before it was sent.";
        outbox::mark_dead(db, &claim, &unopenable, error, now).await?;
        outcome.gave_up += unopenable.len();
    }
    if emails.is_empty() {
        return Ok(Some(outcome));
    }
    match mailer.send_batch(&key, &emails).await {
        Ok(provider_ids) => {
            let provider_ids = ids
                .iter()
                .zip(provider_ids)
                .filter_map(|(id, provider_id)| Some((id.to_string(), provider_id?.into())))
                .collect();
            outbox::mark_sent(db, &claim, now, &provider_ids).await?;
            outcome.sent += ids.len();
        }
        Err(SendError::Permanent(_)) if ids.len() > 1 => {
            outbox::split_batch(db, &claim, now).await?;
            outcome.split += ids.len();
        }
        Err(SendError::Permanent(reason)) => {
            outbox::mark_dead(db, &claim, &ids, &format!("Could not be delivered: {reason}"), now).await?;
            outcome.gave_up += ids.len();
        }
        Err(SendError::Retryable { reason, .. }) if attempts >= policy.max_attempts => {
            let error = format!("Could not be delivered after {attempts} attempts: {reason}");
            outbox::mark_dead(db, &claim, &ids, &error, now).await?;
            outcome.gave_up += ids.len();
        }
        Err(SendError::Retryable { reason, retry_after_seconds }) => {
            let jitter_unit = f64::from(crate::secrets::random_bytes::<1>()[0]) / 255.0;
            let delay = policy.delay_after(attempts, retry_after_seconds, jitter_unit);
            outbox::mark_retry(db, &claim, now + delay, &reason, retry_after_seconds.is_some()).await?;
            outcome.will_retry += ids.len();
        }
    }
    Ok(Some(outcome))
}

/// The e-mail as it leaves, its link opened from the sealed token; `None` when the token
/// cannot be opened (the secret key changed).
fn outgoing(config: &AppConfig, message: &OutboxMessage) -> Option<OutgoingEmail> {
    let link = match message.sealed_token.as_deref().map(|sealed| config.secret_key.open(sealed)) {
        Some(Some(token)) => format!("{}{}{token}", config.public_base_url, message.link_kind.page()),
        Some(None) => return None,
        None => String::new(),
    };
    Some(OutgoingEmail {
        idempotency_key: message.idempotency_key.clone(),
        to: message.to_email.clone(),
        from_name: message.from_name.clone(),
        from_email: message.from_email.clone(),
        subject: message.subject.clone(),
        text: with_link(&message.text_body, &link),
        html: with_link(&message.html_body, &link),
    })
}

/// Sends what is due, a batch after another, until the queue is empty or `batches` batches
/// were tried (the Worker's cron trigger and its after-response task call it, within the
/// Worker's subrequests an invocation). Returns how many messages were tried.
pub async fn drain(
    db: &dyn Db,
    mailer: &dyn Mailer,
    config: &AppConfig,
    policy: &RetryPolicy,
    now: i64,
    batches: usize,
) -> Result<usize, DbError> {
    let mut tried = 0;
    for _ in 0..batches {
        let Some(outcome) = dispatch_next_batch(db, mailer, config, policy, now).await? else {
            break;
        };
        tried += outcome.sent + outcome.will_retry + outcome.gave_up + outcome.split;
    }
    Ok(tried)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_caps_and_honours_retry_after() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay_after(1, None, 0.0), 30);
        assert_eq!(p.delay_after(2, None, 0.0), 60);
        assert_eq!(p.delay_after(3, None, 1.0), 150);
        assert_eq!(p.delay_after(30, None, 0.0), 3600);
        assert_eq!(p.delay_after(1, Some(120), 0.0), 120);
        assert_eq!(p.delay_after(1, Some(5), 0.0), 30);
        assert_eq!(p.delay_after(1, Some(1_000_000), 0.0), 3600);
    }
}
