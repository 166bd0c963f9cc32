//! The e-mail provider's reports of what became of each message it took — delivered,
//! delayed, bounced, marked as spam — posted to `/webhooks/email/resend` (Resend, signed
//! through Svix) or `/webhooks/email` (any provider through an adapter, Standard Webhooks).
//! Both sign alike: HMAC-SHA256 of `id.timestamp.body` under the `whsec_` secret
//! (PORTICO_EMAIL_WEBHOOK_SECRET). A report is taken only signed, within five minutes of its
//! timestamp, once per event id; a refused one is logged without its body.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::domain::delivery_report::{Parsed, parse_resend, parse_standard};
use crate::ports::AppState;
use crate::secrets::{new_nonce, webhook_signature_matches};
use crate::store::outbox::{Recorded, record_report};

/// How far a report's timestamp may be from our clock, either way.
const CLOCK_SKEW_SECONDS: i64 = 5 * 60;

pub async fn resend(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    receive(&state, &headers, &body, "svix", parse_resend).await
}

pub async fn standard(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    receive(&state, &headers, &body, "webhook", parse_standard).await
}

async fn receive(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
    prefix: &str,
    parse: fn(&[u8]) -> Result<Parsed, &'static str>,
) -> Response {
    let Some(secret) = state.config.email_webhook_secret.as_deref() else {
        return (
            StatusCode::NOT_FOUND,
            "Delivery reports are not taken here: PORTICO_EMAIL_WEBHOOK_SECRET is not set.",
        )
            .into_response();
    };
    let header = |name: &str| headers.get(format!("{prefix}-{name}")).and_then(|v| v.to_str().ok());
    let (Some(id), Some(timestamp), Some(signatures)) = (header("id"), header("timestamp"), header("signature")) else {
        return refused(format!(
            "Unsigned: the {prefix}-id, {prefix}-timestamp and {prefix}-signature headers are required."
        ));
    };
    let now = state.clock.now();
    let Ok(timestamp) = timestamp.trim().parse::<i64>() else {
        return refused(format!("The {prefix}-timestamp header is not a time in seconds."));
    };
    if (now - timestamp).abs() > CLOCK_SKEW_SECONDS {
        return refused("The timestamp is more than 5 minutes from now: a replay, or a clock that is wrong.".into());
    }
    if !webhook_signature_matches(secret, id, timestamp, body, signatures) {
        return refused("The signature does not match: check PORTICO_EMAIL_WEBHOOK_SECRET.".into());
    }
    let report = match parse(body) {
        Ok(Parsed::Report(report)) => report,
        Ok(Parsed::Ignored) => return (StatusCode::OK, "Not a delivery report: ignored.").into_response(),
        Err(message) => return (StatusCode::BAD_REQUEST, message).into_response(),
    };
    match record_report(state.db.as_ref(), id, &report, &new_nonce(), now).await {
        Ok(Recorded::Moved) => {
            (state.wake_webhooks)();
            (StatusCode::OK, "Recorded.").into_response()
        }
        Ok(Recorded::Unchanged) => {
            (StatusCode::OK, "Already known, or no such message: nothing changed.").into_response()
        }
        Err(error) => {
            // The provider sends it again later.
            tracing::error!(%error, event = id, "storing a delivery report failed");
            (StatusCode::SERVICE_UNAVAILABLE, "Could not record it now; send it again.").into_response()
        }
    }
}

fn refused(why: String) -> Response {
    tracing::warn!(reason = %why, "delivery report refused");
    (StatusCode::UNAUTHORIZED, why).into_response()
}
