//! How people reach the portal, per organisation: self-service sign-up, the auto-link
//! setting and its Link requests, and whether representatives are invited as they are added.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    super::ssr::{internal, require_staff, respond},
    crate::domain::dates::format_date,
    crate::store::{linking, organisations},
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortalSettingsView {
    pub self_sign_up: bool,
    /// 'always', 'ask' or 'never'.
    pub auto_link: String,
    pub invite_at_once: bool,
    /// Where people sign up, when they may.
    pub sign_up_url: String,
    /// Only the owner and administrators change these; others see them.
    pub may_change: bool,
    /// The organisation's timeline: its settings' changes, newest first.
    pub timeline: Vec<crate::domain::timeline::TimelineEntry>,
}

#[server(endpoint = "portal_settings")]
pub async fn portal_settings() -> Result<PortalSettingsView, AppError> {
    respond(
        async {
            let (state, scope) = require_staff().await?;
            let db = state.db.as_ref();
            let organisation = organisations::organisation(db, scope.organisation_id)
                .await
                .map_err(internal)?
                .ok_or(AppError::NotFound)?;
            let may_change =
                organisations::may_change_settings(db, scope.organisation_id, scope.user_id).await.map_err(internal)?;
            Ok(PortalSettingsView {
                self_sign_up: organisation.self_sign_up == 1,
                auto_link: organisation.auto_link,
                invite_at_once: organisation.invite_at_once == 1,
                sign_up_url: format!("{}/join/{}", state.config.public_base_url, organisation.id),
                may_change,
                timeline: crate::store::events::organisation_timeline(state.db.as_ref(), organisation.id)
                    .await
                    .map_err(internal)?
                    .iter()
                    .map(crate::store::events::EventRow::entry)
                    .collect(),
            })
        }
        .await,
    )
}

#[server(endpoint = "update_portal_settings")]
pub async fn update_portal_settings(
    auto_link: String,
    #[server(default)] self_sign_up: bool,
    #[server(default)] invite_at_once: bool,
) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            if !["always", "ask", "never"].contains(&auto_link.as_str()) {
                return Err(AppError::invalid("auto_link", "Choose one of the three ways to link logins."));
            }
            let settings = organisations::PortalSettings { self_sign_up, auto_link: &auto_link, invite_at_once };
            let changed = organisations::update_portal_settings(
                state.db.as_ref(),
                scope.organisation_id,
                scope.user_id,
                &settings,
                state.clock.now(),
            )
            .await
            .map_err(internal)?;
            if !changed {
                return Err(AppError::NotFound);
            }
            leptos_axum::redirect("/staff/settings");
            Ok(())
        }
        .await,
    )
}

/// A login asking to be linked to a contact with its e-mail, for staff to decide.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkRequestView {
    pub id: i64,
    pub login_email: String,
    pub asked_on: String,
    pub member_id: i64,
    pub member_name: String,
    /// "Ada Case (the member)" or "Pat Case (representative)".
    pub contact: String,
}

#[server(endpoint = "link_requests")]
pub async fn link_requests() -> Result<Vec<LinkRequestView>, AppError> {
    respond(
        async {
            let (state, scope) = require_staff().await?;
            let rows = linking::open_link_requests(state.db.as_ref(), &scope).await.map_err(internal)?;
            Ok(rows
                .into_iter()
                .map(|r| LinkRequestView {
                    id: r.id,
                    login_email: r.login_email,
                    asked_on: format_date(r.created_at),
                    member_id: r.member_id,
                    member_name: r.member_name,
                    contact: format!(
                        "{} ({})",
                        r.contact_name,
                        if r.is_self == 1 { "the member" } else { "representative" }
                    ),
                })
                .collect())
        }
        .await,
    )
}

/// Approves (links the login) or rejects a link request.
#[server(endpoint = "decide_link_request")]
pub async fn decide_link_request(request_id: i64, #[server(default)] approve: bool) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let decided =
                linking::decide_link_request(state.db.as_ref(), &scope, request_id, approve, state.clock.now())
                    .await
                    .map_err(internal)?;
            if !decided {
                return Err(AppError::NotFound);
            }
            leptos_axum::redirect("/staff/link-requests");
            Ok(())
        }
        .await,
    )
}
