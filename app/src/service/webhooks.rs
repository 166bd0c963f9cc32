//! Webhooks: endpoints made by the owner or an administrator (the signing secret shown once),
//! and the step that delivers what is due — signed as the Standard Webhooks specification
//! says, each address checked again before it is called, every attempt written down, and a
//! failure retried on the schedule. Each target runs the step its own way: a tokio task on
//! the server, `wait_until` and the cron trigger on the Worker.

use async_trait::async_trait;

use crate::domain::webhook::{DISABLE_AFTER_SECONDS, EVENT_TYPES, EndpointUrl, EventChoice, next_attempt};
use crate::error::{AppError, FormErrors};
use crate::mail::render::webhook_disabled_email;
use crate::ports::AppState;
use crate::secrets::{new_nonce, new_webhook_secret, webhook_signature};
use crate::store::invitations::QueuedEmail;
use crate::store::organisations;
use crate::store::scope::StaffScope;
use crate::store::webhooks::{self, Attempt, Due};
use crate::store::{Db, DbError};

/// What an endpoint answered: its status, or why there was none (refused, timed out, an
/// address not allowed).
pub struct Reply {
    pub status: Option<u16>,
    pub error: Option<String>,
}

/// Sends one message. Implementations follow no redirect, give up after a short time, read
/// at most a little of the answer, and refuse an address that is not public (after DNS,
/// where the target can resolve), except loopback in dev mode.
#[async_trait]
pub trait WebhookClient: Send + Sync {
    async fn post(&self, url: &EndpointUrl, headers: &[(&'static str, String)], body: &str) -> Reply;
}

/// Makes an endpoint and returns its signing secret: the only time it is shown.
pub async fn add(state: &AppState, scope: &StaffScope, url: &str, events: &[String]) -> Result<String, AppError> {
    let mut form = FormErrors::default();
    let url = form.check("url", url, EndpointUrl::parse(url, state.config.dev_mode));
    for chosen in EVENT_TYPES.iter().filter(|t| events.iter().any(|e| e == t.name)) {
        form.keep(chosen.field, "true");
    }
    let events = form.check_secret("events", EventChoice::parse(events));
    let (url, events) = form.finish(|| Some((url?, events?)))?;
    let secret = new_webhook_secret();
    let now = state.clock.now();
    webhooks::insert(state.db.as_ref(), scope.organisation_id, scope.user_id, &url, &events, &secret, now)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(secret)
}

/// Messages sent at once per claim.
const MESSAGES_PER_CLAIM: usize = 50;

/// What one run of the step did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivered {
    pub attempted: usize,
    pub delivered: usize,
}

/// Sends what is due, up to `budget` messages (the Worker's subrequests per invocation),
/// each claimed first so two senders never send one message at once.
pub async fn deliver_due(
    db: &dyn Db,
    client: &dyn WebhookClient,
    dev_mode: bool,
    now: i64,
    budget: usize,
) -> Result<Delivered, DbError> {
    let mut done = Delivered::default();
    while done.attempted < budget {
        let claim = new_nonce();
        let take = (budget - done.attempted).min(MESSAGES_PER_CLAIM) as i64;
        let due = webhooks::claim_due(db, &claim, now, take).await?;
        if due.is_empty() {
            break;
        }
        let replies = futures::future::join_all(due.iter().map(|message| send(client, dev_mode, message, now))).await;
        for (message, reply) in due.iter().zip(replies) {
            let delivered = reply.status.is_some_and(|status| (200..300).contains(&status));
            let error = match (&reply.error, reply.status) {
                (Some(error), _) => Some(error.clone()),
                (None, Some(status)) if (300..400).contains(&status) => {
                    Some(format!("Answered {status}: redirects are not followed"))
                }
                (None, Some(status)) if !delivered => Some(format!("Answered {status}")),
                _ => None,
            };
            let attempt = Attempt {
                status: reply.status,
                error: error.as_deref(),
                delivered,
                next_attempt_at: if delivered { None } else { next_attempt(message.attempts + 1, now) },
            };
            let disables = message.failing_since.is_some_and(|since| now - since >= DISABLE_AFTER_SECONDS);
            let notices = if !delivered && disables { disabled_notices(db, message).await? } else { Vec::new() };
            webhooks::record(db, &claim, message, &attempt, &notices, now).await?;
            done.attempted += 1;
            done.delivered += usize::from(delivered);
        }
    }
    Ok(done)
}

/// The e-mails telling the owner and administrators that the endpoint was disabled.
async fn disabled_notices(db: &dyn Db, message: &Due) -> Result<Vec<(String, QueuedEmail)>, DbError> {
    let Some(organisation) = organisations::organisation(db, message.organisation_id).await? else {
        return Ok(Vec::new());
    };
    let rendered = webhook_disabled_email(&organisation.name, &message.url);
    let notices = webhooks::managers(db, message.organisation_id).await?.into_iter().map(|to| {
        let notice = QueuedEmail {
            idempotency_key: new_nonce(),
            from_name: organisation.sender_name.clone(),
            from_email: organisation.sender_email.clone(),
            subject: rendered.subject.clone(),
            text_body: rendered.text.clone(),
            html_body: rendered.html.clone(),
            sealed_token: String::new(),
        };
        (to, notice)
    });
    Ok(notices.collect())
}

/// One attempt: the address checked again (the rules may have tightened since it was saved),
/// then the message signed for this moment and posted.
async fn send(client: &dyn WebhookClient, dev_mode: bool, message: &Due, now: i64) -> Reply {
    let url = match EndpointUrl::parse(&message.url, dev_mode) {
        Ok(url) => url,
        Err(refused) => return Reply { status: None, error: Some(refused.to_owned()) },
    };
    let id = format!("msg_{}", message.id);
    let headers = [
        ("content-type", "application/json".to_owned()),
        ("user-agent", "Portico-Webhooks/1".to_owned()),
        ("webhook-signature", webhook_signature(&message.secret, &id, now, &message.payload)),
        ("webhook-timestamp", now.to_string()),
        ("webhook-id", id),
    ];
    client.post(&url, &headers, &message.payload).await
}

/// Invitations noted as expired per run of the scheduled step.
pub const EXPIRIES_PER_RUN: i64 = 500;

/// The scheduled step's other half: invitations whose link expired unused go on the
/// timeline, and so to the webhooks that hear of `invitation.expired`.
pub async fn note_expired_invitations(db: &dyn Db, now: i64) -> Result<u64, DbError> {
    webhooks::note_expired_invitations(db, now, EXPIRIES_PER_RUN).await
}
