use leptos::prelude::*;

use crate::error::AppError;
use crate::records::PortalView;
#[cfg(feature = "ssr")]
use {
    crate::records::ProfileChoice,
    crate::request::{require_login, respond},
    crate::store::{members, portal_records},
};

/// One of the profiles linked to the signed-in login — `member_id`, or the first when not
/// given — with its memberships, bookings and shared files (the sections its organisation
/// shows), and the others it can switch to; never anyone else's, and without staff notes or
/// billing. A profile not linked to this login, or a login with none (staff), gets 404.
#[server(endpoint = "portal_profile")]
pub async fn portal_profile(member_id: Option<i64>) -> Result<PortalView, AppError> {
    respond(
        async move {
            let (state, user) = require_login().await?;
            let profiles = members::own_profiles(state.db.as_ref(), user.user_id).await?;
            let chosen = match member_id {
                None => profiles.first(),
                Some(id) => profiles.iter().find(|p| p.member_id == id),
            };
            let profile = chosen.cloned().ok_or(AppError::NotFound)?;
            let sections =
                portal_records::sections(state.db.as_ref(), profile.member_id).await?.ok_or(AppError::NotFound)?;
            let zone = crate::domain::dates::Zone::stored(user.organisation_time_zone.as_deref());
            let records =
                crate::service::portal_records::records_of(&state, profile.member_id, sections, true, &zone).await?;
            let choices = profiles
                .into_iter()
                .map(|p| ProfileChoice {
                    member_id: p.member_id,
                    name: format!("{} {}", p.first_name, p.last_name),
                    organisation_name: p.organisation_name,
                })
                .collect();
            Ok(PortalView { profile, choices, records })
        }
        .await,
    )
}
