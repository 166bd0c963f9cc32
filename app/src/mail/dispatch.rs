//! One step of the outbox dispatcher: claim the next due message, send it, record the
//! outcome. Targets call it in a loop (tokio task, Worker cron / `wait_until`).

use super::render::with_link;
use super::{Mailer, OutgoingEmail, SendError};
use crate::ports::AppConfig;
use crate::secrets::new_nonce;
use crate::store::{Db, DbError, outbox};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DispatchOutcome {
    Sent,
    WillRetry,
    GaveUp,
    EmptyQueue,
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

pub async fn dispatch_next(
    db: &dyn Db,
    mailer: &dyn Mailer,
    config: &AppConfig,
    policy: &RetryPolicy,
    now: i64,
) -> Result<DispatchOutcome, DbError> {
    let claim = new_nonce();
    let Some(message) = outbox::claim_next_due(db, &claim, now, policy.lease_seconds).await? else {
        return Ok(DispatchOutcome::EmptyQueue);
    };
    let link = match message.sealed_token.as_deref().map(|sealed| config.secret_key.open(sealed)) {
        Some(Some(token)) if message.link_kind == "sign_up" => {
            format!("{}/join/confirm/{token}", config.public_base_url)
        }
        Some(Some(token)) => format!("{}/invite/{token}", config.public_base_url),
        Some(None) => {
            let error = "Could not be delivered: the server's secret key changed before it was sent.";
            outbox::mark_dead(db, message.id, &claim, error).await?;
            return Ok(DispatchOutcome::GaveUp);
        }
        None => String::new(),
    };
    let email = OutgoingEmail {
        idempotency_key: message.idempotency_key.clone(),
        to: message.to_email.clone(),
        from_name: message.from_name.clone(),
        from_email: message.from_email.clone(),
        subject: message.subject.clone(),
        text: with_link(&message.text_body, &link),
        html: with_link(&message.html_body, &link),
    };
    match mailer.send(&email).await {
        Ok(provider_id) => {
            outbox::mark_sent(db, message.id, &claim, now, provider_id.as_deref()).await?;
            Ok(DispatchOutcome::Sent)
        }
        Err(SendError::Permanent(reason)) => {
            outbox::mark_dead(db, message.id, &claim, &format!("Could not be delivered: {reason}")).await?;
            Ok(DispatchOutcome::GaveUp)
        }
        Err(SendError::Retryable { reason, .. }) if message.attempts >= policy.max_attempts => {
            let error = format!("Could not be delivered after {} attempts: {reason}", message.attempts);
            outbox::mark_dead(db, message.id, &claim, &error).await?;
            Ok(DispatchOutcome::GaveUp)
        }
        Err(SendError::Retryable { reason, retry_after_seconds }) => {
            let jitter_unit = f64::from(crate::secrets::random_bytes::<1>()[0]) / 255.0;
            let delay = policy.delay_after(message.attempts, retry_after_seconds, jitter_unit);
            outbox::mark_retry(db, message.id, &claim, now + delay, &reason).await?;
            Ok(DispatchOutcome::WillRetry)
        }
    }
}

/// Sends what is due, one message after another, until the queue is empty or `limit`
/// messages were tried (the Worker's cron trigger and its after-response task call it).
pub async fn drain(
    db: &dyn Db,
    mailer: &dyn Mailer,
    config: &AppConfig,
    policy: &RetryPolicy,
    now: i64,
    limit: usize,
) -> Result<usize, DbError> {
    let mut tried = 0;
    while tried < limit {
        if dispatch_next(db, mailer, config, policy, now).await? == DispatchOutcome::EmptyQueue {
            break;
        }
        tried += 1;
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
