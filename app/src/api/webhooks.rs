//! The webhooks pages: the owner and administrators add endpoints (the signing secret shown
//! once), see each one's deliveries, send a message again, and disable or enable an endpoint.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    crate::domain::Role,
    crate::domain::webhook::{EVENT_TYPES, EventChoice},
    crate::request::new_link::{hand_over_key, take_key},
    crate::request::{redirect_with_notice, require_role, respond},
    crate::service::webhooks,
    crate::store::webhooks::{self as store, EndpointRow},
};

pub const WEBHOOKS_PAGE: &str = "/staff/webhooks";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhooksView {
    pub endpoints: Vec<EndpointView>,
    /// The signing secret of the endpoint just added: shown this once.
    pub new_secret: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EndpointView {
    pub id: i64,
    pub url: String,
    pub events: Vec<String>,
    pub made: String,
    /// "Active", "Failing" or "Disabled".
    pub state: String,
    /// Since when, and why, when it is not active.
    pub state_detail: Option<String>,
    pub disabled: bool,
    pub delivered: i64,
    pub waiting: i64,
    pub given_up: i64,
}

#[cfg(feature = "ssr")]
fn endpoint_view(row: EndpointRow, zone: &crate::domain::dates::Zone) -> EndpointView {
    let (state, state_detail) = match (row.disabled_at, row.failing_since) {
        (Some(at), _) => {
            ("Disabled", Some(format!("{} ({}).", row.disabled_because.unwrap_or_default(), zone.date_time(at))))
        }
        (None, Some(since)) => {
            ("Failing", Some(format!("Failing since {}: deliveries are retried.", zone.date_time(since))))
        }
        (None, None) => ("Active", None),
    };
    EndpointView {
        id: row.id,
        events: EventChoice::types_of(&row.events),
        made: zone.date(row.created_at),
        disabled: row.disabled_at.is_some(),
        state: state.to_owned(),
        state_detail,
        url: row.url,
        delivered: row.delivered,
        waiting: row.waiting,
        given_up: row.given_up,
    }
}

#[server(endpoint = "webhooks")]
pub async fn webhooks() -> Result<WebhooksView, AppError> {
    respond(
        async {
            let (state, scope) = require_role(Role::manages_organisation).await?;
            let rows = store::list(state.db.as_ref(), scope.organisation_id).await?;
            let endpoints = rows.into_iter().map(|row| endpoint_view(row, &scope.zone)).collect();
            Ok(WebhooksView { endpoints, new_secret: take_key(&state) })
        }
        .await,
    )
}

/// Adds an endpoint for the events ticked (one field per type, its dots as underscores:
/// `invitation_sent`).
#[server(endpoint = "add_webhook")]
#[allow(clippy::too_many_arguments)]
pub async fn add_webhook(
    url: String,
    #[server(default)] invitation_created: bool,
    #[server(default)] invitation_sent: bool,
    #[server(default)] invitation_delivered: bool,
    #[server(default)] invitation_failed: bool,
    #[server(default)] invitation_accepted: bool,
    #[server(default)] invitation_declined: bool,
    #[server(default)] invitation_revoked: bool,
    #[server(default)] invitation_expired: bool,
    #[server(default)] member_linked: bool,
    #[server(default)] member_unlinked: bool,
) -> Result<(), AppError> {
    // One a type, in `EVENT_TYPES`' order: a type added there and not here does not compile.
    let ticked: [bool; EVENT_TYPES.len()] = [
        invitation_created,
        invitation_sent,
        invitation_delivered,
        invitation_failed,
        invitation_accepted,
        invitation_declined,
        invitation_revoked,
        invitation_expired,
        member_linked,
        member_unlinked,
    ];
    respond(
        async move {
            let (state, scope) = require_role(Role::manages_organisation).await?;
            let chosen: Vec<String> =
                EVENT_TYPES.iter().zip(ticked).filter(|(_, on)| *on).map(|(t, _)| t.name.to_owned()).collect();
            let secret = webhooks::add(&state, &scope, &url, &chosen).await?;
            hand_over_key(&state, &secret);
            let notice = "Endpoint added. Copy its signing secret now: it is shown only this once.";
            redirect_with_notice(&state, WEBHOOKS_PAGE, notice);
            Ok(())
        }
        .await,
    )
}

/// Disables an endpoint (nothing is sent to it until it is enabled) or enables it again.
#[server(endpoint = "set_webhook_enabled")]
pub async fn set_webhook_enabled(endpoint_id: i64, #[server(default)] enable: bool) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_role(Role::manages_organisation).await?;
            let now = state.clock.now();
            let db = state.db.as_ref();
            if !store::set_enabled(db, scope.organisation_id, scope.user_id, endpoint_id, enable, now).await? {
                return Err(AppError::Conflict("This endpoint is already as asked, or no longer there.".into()));
            }
            let notice = if enable {
                "Endpoint enabled: messages being retried are sent at their next try."
            } else {
                "Endpoint disabled: nothing is sent to it until it is enabled."
            };
            (state.wake_webhooks)();
            redirect_with_notice(&state, &format!("{WEBHOOKS_PAGE}/{endpoint_id}"), notice);
            Ok(())
        }
        .await,
    )
}

/// One endpoint's deliveries, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EndpointLog {
    pub endpoint: EndpointView,
    pub deliveries: Vec<DeliveryView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryView {
    pub id: i64,
    pub r#type: String,
    /// Whom the message is about: the member's name, if any.
    pub member: Option<String>,
    /// The address the message names, if any.
    pub email: Option<String>,
    pub made: String,
    /// "Delivered", "Retrying at …", "Given up".
    pub outcome: String,
    /// The last answer: "200", "Answered 500", "timed out"…
    pub last_answer: String,
    pub attempts: i64,
    /// Finished (delivered or given up): it may be sent again.
    pub finished: bool,
}

#[server(endpoint = "webhook_log")]
pub async fn webhook_log(endpoint_id: i64) -> Result<EndpointLog, AppError> {
    respond(
        async move {
            let (state, scope) = require_role(Role::manages_organisation).await?;
            let db = state.db.as_ref();
            let row = store::endpoint(db, scope.organisation_id, endpoint_id).await?.ok_or(AppError::NotFound)?;
            let zone = &scope.zone;
            let deliveries = store::log(db, scope.organisation_id, endpoint_id)
                .await?
                .into_iter()
                .map(|d| DeliveryView {
                    outcome: match (d.delivered_at, d.next_attempt_at, d.failed_at) {
                        (Some(at), _, _) => format!("Delivered {}", zone.date_time(at)),
                        (_, Some(at), _) if d.attempts == 0 => format!("Waiting to be sent ({})", zone.date_time(at)),
                        (_, Some(at), _) => format!("Retrying at {}", zone.date_time(at)),
                        (_, _, Some(at)) => format!("Given up {}", zone.date_time(at)),
                        _ => "Waiting".to_owned(),
                    },
                    last_answer: match (d.last_status, d.last_error) {
                        (_, Some(error)) => error,
                        (Some(status), None) => format!("Answered {status}"),
                        (None, None) => "Not tried yet".to_owned(),
                    },
                    finished: d.next_attempt_at.is_none(),
                    id: d.id,
                    r#type: d.r#type,
                    member: d.member_first_name.zip(d.member_last_name).map(|(first, last)| format!("{first} {last}")),
                    email: d.email,
                    made: zone.date_time(d.created_at),
                    attempts: d.attempts,
                })
                .collect();
            Ok(EndpointLog { endpoint: endpoint_view(row, zone), deliveries })
        }
        .await,
    )
}

/// Sends a delivered or given-up message again, at once.
#[server(endpoint = "send_webhook_again")]
pub async fn send_webhook_again(endpoint_id: i64, delivery_id: i64) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_role(Role::manages_organisation).await?;
            let now = state.clock.now();
            if !store::send_again(state.db.as_ref(), scope.organisation_id, scope.user_id, delivery_id, now).await? {
                return Err(AppError::Conflict(
                    "This message is still being sent; it cannot be sent again yet.".into(),
                ));
            }
            (state.wake_webhooks)();
            redirect_with_notice(&state, &format!("{WEBHOOKS_PAGE}/{endpoint_id}"), "Queued to be sent again now.");
            Ok(())
        }
        .await,
    )
}
