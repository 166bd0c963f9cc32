//! The organisation's settings: its name, whom its e-mail comes from, how long invitation
//! links work and the default template; how people reach the portal (self-service sign-up,
//! the auto-link setting and its Link requests, whether representatives are invited as they
//! are added). Every change is on the organisation's timeline.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    crate::domain::Role,
    crate::domain::brand::{AccentColour, Brand},
    crate::domain::dates::Zone,
    crate::domain::{Email, PersonName},
    crate::error::FormErrors,
    crate::request::{redirect_with_notice, require_role, require_staff, respond},
    crate::store::{linking, organisations},
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortalSettingsView {
    pub name: String,
    pub sender_name: String,
    pub sender_email: String,
    pub validity_days: i64,
    /// "#1d4ed8", or empty for Portico's own colour.
    pub accent_colour: String,
    /// The logo's address, when there is one.
    pub logo: Option<String>,
    /// "Europe/Zurich", and every name to choose from.
    pub time_zone: String,
    pub time_zones: Vec<String>,
    /// The templates to choose the default from (the current default marked).
    pub templates: Vec<crate::records::TemplateView>,
    pub self_sign_up: bool,
    /// 'always', 'ask' or 'never'.
    pub auto_link: String,
    pub invite_at_once: bool,
    /// Members see their bookings, and the files shared with them, on the portal.
    pub bookings_shown: bool,
    pub files_shown: bool,
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
            let organisation =
                organisations::organisation(db, scope.organisation_id).await?.ok_or(AppError::NotFound)?;
            let may_change = scope.role.manages_organisation();
            let templates = crate::store::templates::templates(db, &scope).await?;
            Ok(PortalSettingsView {
                name: organisation.name,
                sender_name: organisation.sender_name,
                sender_email: organisation.sender_email,
                validity_days: organisation.invitation_validity_days,
                logo: Brand::of(organisation.id, None, organisation.logo_digest.as_deref()).logo,
                accent_colour: organisation.accent_colour.unwrap_or_default(),
                time_zone: organisation.time_zone,
                time_zones: Zone::names(),
                templates: templates.into_iter().map(crate::records::TemplateView::from).collect(),
                self_sign_up: organisation.self_sign_up,
                auto_link: organisation.auto_link,
                invite_at_once: organisation.invite_at_once,
                bookings_shown: organisation.bookings_shown,
                files_shown: organisation.files_shown,
                sign_up_url: format!("{}/join/{}", state.config.public_base_url, organisation.id),
                may_change,
                timeline: crate::store::events::organisation_timeline(db, organisation.id, &scope.zone).await?,
            })
        }
        .await,
    )
}

/// How long an invitation link may be made to work, in days.
pub const VALIDITY_DAYS: std::ops::RangeInclusive<i64> = 1..=90;

/// What turning sign-up off does, asked before it is saved.
#[cfg(feature = "ssr")]
const SIGN_UP_OFF: &str = "Turning sign-up off stops the sign-up address working: people who have it can no longer ask for an account (those already signed up keep theirs). Tick “Yes, turn sign-up off” and save again.";

/// Saves the whole settings page at once — the organisation's name, sender, link validity
/// and default template, and how people reach the portal — so no part of the page is lost
/// when another is saved (the owner and administrators only), and says on the timeline what
/// changed. Bad input is refused field by field and saves nothing.
#[server(endpoint = "update_settings")]
#[allow(clippy::too_many_arguments)]
pub async fn update_settings(
    name: String,
    sender_name: String,
    sender_email: String,
    validity_days: String,
    #[server(default)] default_template_id: i64,
    #[server(default)] accent_colour: String,
    #[server(default)] time_zone: String,
    auto_link: String,
    #[server(default)] self_sign_up: bool,
    #[server(default)] invite_at_once: bool,
    #[server(default)] bookings_shown: bool,
    #[server(default)] files_shown: bool,
    /// Turning sign-up off is asked first: the box the page shows when it comes back.
    #[server(default)]
    sign_up_off_confirmed: bool,
) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_role(Role::manages_organisation).await?;
            let db = state.db.as_ref();
            let before = organisations::organisation(db, scope.organisation_id).await?.ok_or(AppError::NotFound)?;
            let templates = crate::store::templates::templates(db, &scope).await?;
            let mut form = FormErrors::default();
            let name = form.check("name", &name, PersonName::parse(&name));
            let sender = form.check("sender_name", &sender_name, PersonName::parse(&sender_name));
            let address = form.check("sender_email", &sender_email, Email::parse(&sender_email));
            let days = validity_days.trim().parse::<i64>().ok().filter(|d| VALIDITY_DAYS.contains(d));
            let days = form.check("validity_days", &validity_days, days.ok_or("Give a number of days from 1 to 90."));
            let template = match default_template_id {
                0 => Ok(None),
                id => templates
                    .iter()
                    .find(|t| t.id == id)
                    .map(|t| Some((t.id, t.name.clone())))
                    .ok_or("Choose one of the organisation's templates, or none."),
            };
            let template = form.check("default_template_id", &default_template_id.to_string(), template);
            let accent = form.check("accent_colour", &accent_colour, AccentColour::parse(&accent_colour));
            let zone = form.check("time_zone", &time_zone, Zone::parse(&time_zone));
            let way = ["always", "ask", "never"]
                .into_iter()
                .find(|way| *way == auto_link)
                .ok_or("Choose one of the three ways to link logins.");
            let auto_link = form.check("auto_link", &auto_link, way);
            let boxes = [
                ("self_sign_up", self_sign_up),
                ("invite_at_once", invite_at_once),
                ("bookings_shown", bookings_shown),
                ("files_shown", files_shown),
            ];
            for (field, ticked) in boxes {
                form.keep(field, if ticked { "true" } else { "false" });
            }
            let closes_sign_up = before.self_sign_up && !self_sign_up && !sign_up_off_confirmed;
            form.check_secret("sign_up_off_confirmed", if closes_sign_up { Err(SIGN_UP_OFF) } else { Ok(()) });
            let (name, sender, address, days, template, auto_link, accent, zone) =
                form.finish(|| Some((name?, sender?, address?, days?, template?, auto_link?, accent?, zone?)))?;
            let was_default = templates.iter().find(|t| t.is_default).map(|t| t.name.clone());
            let organisation_changes = [
                changed_words("name", &before.name, name.as_str()),
                changed_words("sender name", &before.sender_name, sender.as_str()),
                changed_words("sender address", &before.sender_email, address.as_str()),
                changed_words(
                    "invitation links work for (days)",
                    &before.invitation_validity_days.to_string(),
                    &days.to_string(),
                ),
                changed_words(
                    "default template",
                    was_default.as_deref().unwrap_or("none"),
                    template.as_ref().map_or("none", |(_, name)| name.as_str()),
                ),
                changed_words("time zone", &before.time_zone, zone.name()),
                changed_words(
                    "accent colour",
                    before.accent_colour.as_deref().unwrap_or("Portico's own"),
                    accent.as_ref().map_or("Portico's own", AccentColour::as_str),
                ),
            ];
            let organisation_changes: Vec<String> = organisation_changes.into_iter().flatten().collect();
            let portal =
                organisations::PortalSettings { self_sign_up, auto_link, invite_at_once, bookings_shown, files_shown };
            let portal_before = organisations::PortalSettings {
                self_sign_up: before.self_sign_up,
                auto_link: &before.auto_link,
                invite_at_once: before.invite_at_once,
                bookings_shown: before.bookings_shown,
                files_shown: before.files_shown,
            };
            let mut changed = Vec::new();
            if !organisation_changes.is_empty() {
                changed.push(format!("Organisation: {}", organisation_changes.join("; ")));
            }
            if portal != portal_before {
                changed.push(portal.in_words());
            }
            if !changed.is_empty() {
                let organisation = organisations::OrganisationSettings {
                    name: name.as_str(),
                    sender_name: sender.as_str(),
                    sender_email: address.as_str(),
                    validity_days: days,
                    default_template_id: template.map(|(id, _)| id),
                    accent_colour: accent.as_ref().map(AccentColour::as_str),
                    time_zone: zone.name(),
                };
                let saved = organisations::update_settings(
                    db,
                    scope.organisation_id,
                    scope.user_id,
                    (&organisation, &portal),
                    &changed,
                    state.clock.now(),
                )
                .await?;
                if !saved {
                    return Err(AppError::NotFound);
                }
            }
            let notice = if changed.is_empty() {
                "Nothing changed: the settings were already these."
            } else {
                "Settings saved."
            };
            redirect_with_notice(&state, "/staff/settings", notice);
            Ok(())
        }
        .await,
    )
}

/// Takes the organisation's logo away (the owner and administrators).
#[server(endpoint = "remove_logo")]
pub async fn remove_logo() -> Result<(), AppError> {
    respond(
        async {
            let (state, scope) = require_role(Role::manages_organisation).await?;
            let removed =
                organisations::remove_logo(state.db.as_ref(), scope.organisation_id, scope.user_id, state.clock.now())
                    .await?;
            if !removed {
                return Err(AppError::Conflict("There is no logo to remove.".into()));
            }
            redirect_with_notice(&state, "/staff/logo", "Logo removed: your pages show your name alone.");
            Ok(())
        }
        .await,
    )
}

/// "name “Old” → “New”", when it changed.
#[cfg(feature = "ssr")]
fn changed_words(what: &str, before: &str, after: &str) -> Option<String> {
    (before != after).then(|| format!("{what} “{before}” → “{after}”"))
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
            let rows = linking::open_link_requests(state.db.as_ref(), &scope).await?;
            Ok(rows
                .into_iter()
                .map(|r| LinkRequestView {
                    id: r.id,
                    login_email: r.login_email,
                    asked_on: scope.zone.date(r.created_at),
                    member_id: r.member_id,
                    member_name: r.member_name,
                    contact: format!(
                        "{} ({})",
                        r.contact_name,
                        if r.is_self { "the member" } else { "representative" }
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
                linking::decide_link_request(state.db.as_ref(), &scope, request_id, approve, state.clock.now()).await?;
            if !decided {
                return Err(AppError::NotFound);
            }
            let notice =
                if approve { "Approved: the login is linked to the profile." } else { "Rejected: nothing was linked." };
            redirect_with_notice(&state, "/staff/link-requests", notice);
            Ok(())
        }
        .await,
    )
}
