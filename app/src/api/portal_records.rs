//! The portal's sections as staff keep them on a member's profile: memberships, bookings and
//! files (uploaded and downloaded through `web::files`). Any staff login that sees the member
//! may change them; each change redirects back to the profile.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::records::{BookingView, PortalRecords};
#[cfg(feature = "ssr")]
use {
    crate::domain::portal_records::{self as rules, BookingTime},
    crate::error::FormErrors,
    crate::ports::AppState,
    crate::request::{redirect_with_notice, require_staff, respond},
    crate::service::portal_records::{booking_view, records_of},
    crate::store::portal_records::{self as store, Sections},
};

/// What staff see of a member's portal sections.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeptRecords {
    /// Every section, every file (shared or not), the upcoming bookings.
    pub records: PortalRecords,
    /// The latest bookings before the upcoming ones, the latest first (staff only).
    pub past_bookings: Vec<BookingView>,
    /// Whether the organisation shows members their bookings, and their shared files.
    pub bookings_shown: bool,
    pub files_shown: bool,
}

#[server(endpoint = "member_records")]
pub async fn member_records(member_id: i64) -> Result<KeptRecords, AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let db = state.db.as_ref();
            crate::store::members::member(db, &scope, member_id).await?.ok_or(AppError::NotFound)?;
            let shown = store::sections(db, member_id).await?.ok_or(AppError::NotFound)?;
            let all = Sections { bookings_shown: true, files_shown: true };
            let from_day = rules::upcoming_from(state.clock.now());
            let past = store::past_bookings(db, member_id, &from_day).await?;
            Ok(KeptRecords {
                records: records_of(&state, member_id, all, false, &scope.zone).await?,
                past_bookings: past.into_iter().map(booking_view).collect(),
                bookings_shown: shown.bookings_shown,
                files_shown: shown.files_shown,
            })
        }
        .await,
    )
}

/// Back to the member's profile, where the change shows and `notice` says what it was.
#[cfg(feature = "ssr")]
fn back_to(state: &AppState, member_id: i64, done: bool, notice: &str) -> Result<(), AppError> {
    if !done {
        return Err(AppError::NotFound);
    }
    redirect_with_notice(state, &format!("/staff/members/{member_id}"), notice);
    Ok(())
}

#[server(endpoint = "add_membership")]
pub async fn add_membership(
    member_id: i64,
    programme: String,
    #[server(default)] level: String,
) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let mut form = FormErrors::default();
            let name = form.check("programme", &programme, rules::programme(&programme));
            let level = form.check("level", &level, rules::level(&level));
            let (name, level) = form.finish(|| Some((name?, level?)))?;
            let db = state.db.as_ref();
            let added =
                store::add_membership(db, &scope, member_id, &name, level.as_deref(), state.clock.now()).await?;
            back_to(&state, member_id, added, "Membership added.")
        }
        .await,
    )
}

#[server(endpoint = "remove_membership")]
pub async fn remove_membership(member_id: i64, membership_id: i64) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let removed = store::remove_membership(state.db.as_ref(), &scope, membership_id).await?;
            back_to(&state, member_id, removed, "Membership removed.")
        }
        .await,
    )
}

#[server(endpoint = "add_booking")]
pub async fn add_booking(
    member_id: i64,
    title: String,
    starts: String,
    #[server(default)] place: String,
) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let mut form = FormErrors::default();
            let what = form.check("title", &title, rules::booking_title(&title));
            let when = form.check("starts", &starts, BookingTime::parse(&starts));
            let place = form.check("place", &place, rules::place(&place));
            let (what, when, place) = form.finish(|| Some((what?, when?, place?)))?;
            let now = state.clock.now();
            let added =
                store::add_booking(state.db.as_ref(), &scope, member_id, &what, when.as_str(), place.as_deref(), now)
                    .await?;
            back_to(&state, member_id, added, "Booking added.")
        }
        .await,
    )
}

#[server(endpoint = "cancel_booking")]
pub async fn cancel_booking(member_id: i64, booking_id: i64) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let cancelled = store::cancel_booking(state.db.as_ref(), &scope, booking_id, state.clock.now()).await?;
            back_to(&state, member_id, cancelled, "Booking cancelled.")
        }
        .await,
    )
}

/// Shows a file to the member, or hides it again.
#[server(endpoint = "share_file")]
pub async fn share_file(member_id: i64, file_id: i64, #[server(default)] shared: bool) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let changed = store::set_file_shared(state.db.as_ref(), &scope, file_id, shared).await?;
            let notice = if shared { "File shared: the member sees it." } else { "File hidden from the member." };
            back_to(&state, member_id, changed, notice)
        }
        .await,
    )
}

#[server(endpoint = "remove_file")]
pub async fn remove_file(member_id: i64, file_id: i64) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let removed = store::remove_file(state.db.as_ref(), &scope, file_id).await?;
            back_to(&state, member_id, removed, "File removed.")
        }
        .await,
    )
}
