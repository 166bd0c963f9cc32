//! Webhook endpoints (made, disabled and enabled by the owner or an administrator — the
//! statements check the role themselves — each on the organisation's timeline) and their
//! deliveries: queued by the `events_to_webhooks` trigger in the same transaction as each
//! event, claimed by a sender, and marked delivered, to be retried, or given up.

use serde::Deserialize;

use super::invitations::QueuedEmail;
use super::{Batch, Db, DbError, fetch_all, fetch_optional};
use crate::domain::webhook::{DISABLE_AFTER_SECONDS, EndpointUrl, EventChoice};
use crate::stmt;

/// The login may manage the organisation's webhooks (`:user`, `:organisation`).
macro_rules! manages_webhooks {
    () => {
        "EXISTS (SELECT 1 FROM staff s WHERE s.user_id = :user AND s.organisation_id = :organisation
                   AND s.role IN ('owner', 'administrator'))"
    };
}

/// Keeps a new endpoint; its id, or none when the login may not make endpoints.
pub async fn insert(
    db: &dyn Db,
    organisation_id: i64,
    user_id: i64,
    url: &EndpointUrl,
    events: &EventChoice,
    secret: &str,
    now: i64,
) -> Result<Option<i64>, DbError> {
    let mut batch = Batch::default();
    let inserted = batch.add(stmt!(
        concat!(
            "INSERT INTO webhook_endpoints (organisation_id, url, events, secret, created_by, created_at)
             SELECT :organisation, :url, :events, :secret, :user, :now WHERE ",
            manages_webhooks!()
        ),
        organisation = organisation_id,
        url = url.as_str(),
        events = events.as_stored(),
        secret = secret,
        user = user_id,
        now = now
    ));
    let detail = format!("Webhook endpoint {} added", url.as_str());
    batch.add(super::events::settings_changed_if_changed(organisation_id, user_id, &detail, now));
    let changes = batch.run(db).await?;
    Ok((changes[inserted].rows_affected == 1).then_some(changes[inserted].last_insert_id))
}

/// An endpoint as its pages show it.
#[derive(Debug, Clone, Deserialize)]
pub struct EndpointRow {
    pub id: i64,
    pub url: String,
    pub events: String,
    pub created_at: i64,
    pub failing_since: Option<i64>,
    pub disabled_at: Option<i64>,
    pub disabled_because: Option<String>,
    pub delivered: i64,
    pub waiting: i64,
    pub given_up: i64,
}

macro_rules! endpoint_select {
    () => {
        "SELECT e.id, e.url, e.events, e.created_at, e.failing_since, e.disabled_at, e.disabled_because,
                (SELECT count(*) FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.delivered_at IS NOT NULL)
                    AS delivered,
                (SELECT count(*) FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.next_attempt_at IS NOT NULL)
                    AS waiting,
                (SELECT count(*) FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.failed_at IS NOT NULL)
                    AS given_up
         FROM webhook_endpoints e WHERE e.organisation_id = :organisation"
    };
}

/// The organisation's endpoints, newest first.
pub async fn list(db: &dyn Db, organisation_id: i64) -> Result<Vec<EndpointRow>, DbError> {
    fetch_all(db, stmt!(concat!(endpoint_select!(), " ORDER BY e.id DESC"), organisation = organisation_id)).await
}

pub async fn endpoint(db: &dyn Db, organisation_id: i64, endpoint_id: i64) -> Result<Option<EndpointRow>, DbError> {
    fetch_optional(
        db,
        stmt!(
            concat!(endpoint_select!(), " AND e.id = :endpoint"),
            organisation = organisation_id,
            endpoint = endpoint_id
        ),
    )
    .await
}

/// Disables (`disable`) or enables an endpoint; false when nothing changed or the login may
/// not. Enabled again, it is given a fresh five days.
pub async fn set_enabled(
    db: &dyn Db,
    organisation_id: i64,
    user_id: i64,
    endpoint_id: i64,
    enable: bool,
    now: i64,
) -> Result<bool, DbError> {
    let mut batch = Batch::default();
    let changed = batch.add(stmt!(
        concat!(
            "UPDATE webhook_endpoints
             SET disabled_at = iif(:enable, NULL, :now), disabled_because = iif(:enable, NULL, 'Disabled by staff'),
                 failing_since = NULL
             WHERE id = :endpoint AND organisation_id = :organisation AND (disabled_at IS NULL) = (NOT :enable) AND ",
            manages_webhooks!()
        ),
        enable = enable,
        now = now,
        endpoint = endpoint_id,
        organisation = organisation_id,
        user = user_id
    ));
    let url = fetch_optional::<Url>(
        db,
        stmt!("SELECT url FROM webhook_endpoints WHERE id = ? AND organisation_id = ?", endpoint_id, organisation_id),
    )
    .await?
    .map(|u| u.url)
    .unwrap_or_default();
    let detail = format!("Webhook endpoint {url} {}", if enable { "enabled" } else { "disabled" });
    batch.add(super::events::settings_changed_if_changed(organisation_id, user_id, &detail, now));
    Ok(batch.run(db).await?[changed].rows_affected == 1)
}

#[derive(Deserialize)]
struct Url {
    url: String,
}

/// A delivery as the endpoint's log shows it.
#[derive(Debug, Clone, Deserialize)]
pub struct DeliveryRow {
    pub id: i64,
    pub event_id: i64,
    pub r#type: String,
    pub created_at: i64,
    pub attempts: i64,
    pub next_attempt_at: Option<i64>,
    pub last_attempt_at: Option<i64>,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub delivered_at: Option<i64>,
    pub failed_at: Option<i64>,
    /// The member the message is about, and the address it names (none for events that
    /// concern no one person).
    pub member_first_name: Option<String>,
    pub member_last_name: Option<String>,
    pub email: Option<String>,
}

/// How many deliveries an endpoint's log shows, newest first.
pub const LOG_LENGTH: i64 = 100;

pub async fn log(db: &dyn Db, organisation_id: i64, endpoint_id: i64) -> Result<Vec<DeliveryRow>, DbError> {
    fetch_all(
        db,
        stmt!(
            "SELECT d.id, d.event_id, d.type, d.created_at, d.attempts, d.next_attempt_at, d.last_attempt_at,
                    d.last_status, d.last_error, d.delivered_at, d.failed_at,
                    m.first_name AS member_first_name, m.last_name AS member_last_name,
                    json_extract(d.payload, '$.data.email') AS email
             FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
             LEFT JOIN events ev ON ev.id = d.event_id
             LEFT JOIN members m ON m.id = ev.member_id AND m.organisation_id = e.organisation_id
             WHERE d.endpoint_id = :endpoint AND e.organisation_id = :organisation
             ORDER BY d.id DESC LIMIT :limit",
            endpoint = endpoint_id,
            organisation = organisation_id,
            limit = LOG_LENGTH
        ),
    )
    .await
}

/// Queues a delivered or given-up message again, at once, with the whole retry schedule
/// ahead of it (the same `webhook-id`: a receiver that has it already can tell). False when
/// it is still being tried, or the login may not.
pub async fn send_again(
    db: &dyn Db,
    organisation_id: i64,
    user_id: i64,
    delivery_id: i64,
    now: i64,
) -> Result<bool, DbError> {
    let changes = db
        .execute(stmt!(
            concat!(
                "UPDATE webhook_deliveries
                 SET next_attempt_at = :now, attempts = 0, failed_at = NULL, delivered_at = NULL, claim = NULL,
                     claimed_until = NULL
                 WHERE id = :delivery AND next_attempt_at IS NULL
                   AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE organisation_id = :organisation)
                   AND ",
                manages_webhooks!()
            ),
            now = now,
            delivery = delivery_id,
            organisation = organisation_id,
            user = user_id
        ))
        .await?;
    Ok(changes.rows_affected == 1)
}

/// A message claimed for sending, with where it goes and the key it is signed with.
#[derive(Debug, Clone, Deserialize)]
pub struct Due {
    pub id: i64,
    pub endpoint_id: i64,
    pub organisation_id: i64,
    /// Since when the endpoint has failed, if it does.
    pub failing_since: Option<i64>,
    pub payload: String,
    pub created_at: i64,
    pub attempts: i64,
    pub url: String,
    pub secret: String,
}

/// How long a claim holds a message: past it, a sender that stopped mid-way is taken over.
const CLAIM_SECONDS: i64 = 60;

/// Claims up to `limit` messages due now (of endpoints not disabled) for the sender `claim`.
/// Asked after every request that writes: when nothing is due (the usual answer) it only
/// reads, taking no write lock from the requests beside it.
pub async fn claim_due(db: &dyn Db, claim: &str, now: i64, limit: i64) -> Result<Vec<Due>, DbError> {
    #[derive(Deserialize)]
    struct Any {
        due: i64,
    }
    let any: Option<Any> = fetch_optional(
        db,
        stmt!(
            "SELECT 1 AS due FROM webhook_deliveries WHERE next_attempt_at IS NOT NULL AND next_attempt_at <= ? LIMIT 1",
            now
        ),
    )
    .await?;
    if any.is_none_or(|a| a.due != 1) {
        return Ok(Vec::new());
    }
    db.execute(stmt!(
        "UPDATE webhook_deliveries SET claim = :claim, claimed_until = :until
         WHERE id IN (SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
                      WHERE d.next_attempt_at <= :now AND e.disabled_at IS NULL
                        AND (d.claimed_until IS NULL OR d.claimed_until < :now)
                      ORDER BY d.next_attempt_at, d.id LIMIT :limit)",
        claim = claim,
        until = now + CLAIM_SECONDS,
        now = now,
        limit = limit
    ))
    .await?;
    fetch_all(
        db,
        stmt!(
            "SELECT d.id, d.endpoint_id, e.organisation_id, e.failing_since, d.payload, d.created_at, d.attempts,
                    e.url, e.secret
             FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
             WHERE d.claim = ? AND d.next_attempt_at IS NOT NULL ORDER BY d.id",
            claim
        ),
    )
    .await
}

/// What one attempt came to.
pub struct Attempt<'a> {
    pub status: Option<u16>,
    pub error: Option<&'a str>,
    pub delivered: bool,
    /// When to try again after a failure; none: given up.
    pub next_attempt_at: Option<i64>,
}

/// Writes down an attempt of a claimed message. A good one ends the endpoint's failing; a
/// failure starts it, and an endpoint failing for five days is disabled, on the timeline,
/// and `notices` (to whom, what) are queued then: each only if this attempt disabled it.
pub async fn record(
    db: &dyn Db,
    claim: &str,
    due: &Due,
    attempt: &Attempt<'_>,
    notices: &[(String, QueuedEmail)],
    now: i64,
) -> Result<(), DbError> {
    let mut batch = Batch::default();
    batch.add(stmt!(
        "UPDATE webhook_deliveries
         SET attempts = attempts + 1, last_attempt_at = :now, last_status = :status, last_error = :error,
             delivered_at = iif(:delivered, :now, NULL), next_attempt_at = :next,
             failed_at = iif(:delivered OR :next IS NOT NULL, NULL, :now), claim = NULL, claimed_until = NULL
         WHERE id = :delivery AND claim = :claim",
        now = now,
        status = attempt.status.map(i64::from),
        error = attempt.error,
        delivered = attempt.delivered,
        next = attempt.next_attempt_at,
        delivery = due.id,
        claim = claim
    ));
    if attempt.delivered {
        batch.add(stmt!("UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ?", due.endpoint_id));
        batch.run(db).await?;
        return Ok(());
    }
    batch.add_all([
        stmt!(
            "UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, ?) WHERE id = ?",
            now,
            due.endpoint_id
        ),
        stmt!(
            "UPDATE webhook_endpoints
             SET disabled_at = :now,
                 disabled_because = 'Every delivery failed for 5 days: enable it again once it answers'
             WHERE id = :endpoint AND disabled_at IS NULL AND failing_since <= :now - :after",
            now = now,
            endpoint = due.endpoint_id,
            after = DISABLE_AFTER_SECONDS
        ),
        stmt!(
            concat!(
                super::events::insert_event!(),
                "SELECT organisation_id, NULL, NULL, 'webhook_disabled', NULL, url, :now
                 FROM webhook_endpoints WHERE id = :endpoint AND disabled_at = :now AND changes() > 0"
            ),
            now = now,
            endpoint = due.endpoint_id
        ),
    ]);
    for (to, notice) in notices {
        let disabled_now = stmt!(
            "EXISTS (SELECT 1 FROM webhook_endpoints WHERE id = :endpoint AND disabled_at = :now)",
            endpoint = due.endpoint_id,
            now = now
        );
        batch.add(super::outbox::queue_one(due.organisation_id, to, notice, None, now, disabled_now));
    }
    batch.run(db).await?;
    Ok(())
}

/// The invitations (`i.id`) whose link expired unused and was not yet written down: each
/// contact's latest only, oldest first, up to `:limit`.
macro_rules! expired_unnoted {
    () => {
        "SELECT i.id FROM invitations i
         WHERE i.expiry_noted_at IS NULL AND i.accepted_at IS NULL AND i.revoked_at IS NULL
           AND i.declined_at IS NULL AND i.expires_at <= :now
           AND i.id = (SELECT max(l.id) FROM invitations l WHERE l.contact_id = i.contact_id)
         ORDER BY i.expires_at, i.id LIMIT :limit"
    };
}

/// Writes on the timeline (and so to webhooks) up to `limit` invitations whose link expired
/// unused, each once; answers how many.
pub async fn note_expired_invitations(db: &dyn Db, now: i64, limit: i64) -> Result<u64, DbError> {
    let mut batch = Batch::default();
    batch.add(stmt!(
        concat!(
            super::events::insert_event!(),
            "SELECT i.organisation_id, i.member_id, i.contact_id, 'expired', NULL, i.email, i.expires_at
             FROM invitations i WHERE i.id IN (",
            expired_unnoted!(),
            ")"
        ),
        now = now,
        limit = limit
    ));
    // Read from this statement, not the events': D1 counts the trigger's rows in that one.
    let noted = batch.add(stmt!(
        concat!("UPDATE invitations SET expiry_noted_at = :now WHERE id IN (", expired_unnoted!(), ")"),
        now = now,
        limit = limit
    ));
    let changes = batch.run(db).await?;
    Ok(changes[noted].rows_affected)
}

/// The e-mail addresses of the organisation's owner and administrators: whom a disabled
/// endpoint is told to.
pub async fn managers(db: &dyn Db, organisation_id: i64) -> Result<Vec<String>, DbError> {
    #[derive(Deserialize)]
    struct Manager {
        email: String,
    }
    let found: Vec<Manager> = fetch_all(
        db,
        stmt!(
            "SELECT u.email FROM staff s JOIN users u ON u.id = s.user_id
             WHERE s.organisation_id = ? AND s.role IN ('owner', 'administrator') AND u.disabled_at IS NULL
             ORDER BY u.id",
            organisation_id
        ),
    )
    .await?;
    Ok(found.into_iter().map(|m| m.email).collect())
}
