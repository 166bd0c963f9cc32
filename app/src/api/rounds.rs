//! Invitation rounds (001: "it usually takes a number of rounds of invites to get everyone
//! to respond"): the members staff selected, everyone a search and filter finds, everyone
//! not yet registered, or a group's owners. A dry run always comes first — how many will be
//! invited, and everyone skipped with the reason — then the confirmed round is planned once
//! and sent in atomic chunks under the form's key, and its report is kept.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    crate::domain::round::kind_of,
    crate::ports::AppState,
    crate::request::{require_staff, respond},
    crate::secrets::new_nonce,
    crate::service::invitations::Wording,
    crate::service::rounds::Planned,
    crate::service::rounds::{
        Round, check_request_key, describe, plan, round_outcomes, selected_members, selection, send, send_waiting,
    },
    crate::store::rounds,
    crate::store::scope::StaffScope,
};

/// People a dry run or a report lists; the counts above them cover everyone.
pub const REPORT_LINES: i64 = 1000;

pub use crate::domain::round::LARGE_ROUND;
pub use crate::records::{OutcomeCount, RoundLine};

pub use crate::records::{NOTHING_TICKED, Selection};

/// People per page of a round's report.
pub const REPORT_PAGE: usize = 100;

/// What a round would do, before anything is sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundPlan {
    pub description: String,
    pub selection: Selection,
    pub will_invite: i64,
    /// Each reason with how many it leaves out, most first.
    pub reasons: Vec<(String, i64)>,
    /// Everyone skipped, then everyone to invite (up to `REPORT_LINES` in all).
    pub lines: Vec<RoundLine>,
    /// A fresh key for the confirm form: sending it twice sends once.
    pub request_key: String,
}

#[server(endpoint = "plan_round")]
pub async fn plan_round(
    #[server(default)] members: String,
    #[server(default)] q: String,
    #[server(default)] status: String,
    #[server(default)] not_registered: bool,
    #[server(default)] ticked: bool,
    #[server(default)] import: i64,
) -> Result<RoundPlan, AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let selection = selection(members, &q, &status, not_registered, ticked, import)?;
            let member_ids = selected_members(&state, &scope, &selection).await?;
            let planned = plan(&state, &scope, &member_ids, selection.not_registered).await?;
            let description = describe(&selection, member_ids.len());
            let will_invite = planned.iter().filter(|p| p.outcome.is_ok()).count() as i64;
            let mut reasons: Vec<(String, i64)> = Vec::new();
            for because in planned.iter().filter_map(|p| p.outcome.as_ref().err()) {
                let kind = kind_of(because);
                match reasons.iter_mut().find(|(k, _)| *k == kind) {
                    Some((_, n)) => *n += 1,
                    None => reasons.push((kind, 1)),
                }
            }
            reasons.sort_by(|a, b| b.1.cmp(&a.1));
            let mut lines: Vec<RoundLine> = planned.iter().filter(|p| p.outcome.is_err()).map(Planned::line).collect();
            lines.extend(planned.iter().filter(|p| p.outcome.is_ok()).map(Planned::line));
            lines.truncate(REPORT_LINES as usize);
            Ok(RoundPlan { description, selection, will_invite, reasons, lines, request_key: new_nonce() })
        }
        .await,
    )
}

/// Sends the round the dry run showed (planning it again now, so anyone invited or declined
/// meanwhile is left out), then shows its report. The form's key makes a double submit or a
/// retry land on the same round, and a round left part-sent continue where it stopped. A
/// round of more than `LARGE_ROUND` invitations needs their number typed (`confirmed_count`).
#[server(endpoint = "send_round")]
pub async fn send_round(
    request_key: String,
    #[server(default)] members: String,
    #[server(default)] q: String,
    #[server(default)] status: String,
    #[server(default)] not_registered: bool,
    #[server(default)] ticked: bool,
    #[server(default)] import: i64,
    #[server(default)] template_id: i64,
    #[server(default)] confirmed_count: String,
) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            check_request_key(&request_key)?;
            let selection = selection(members, &q, &status, not_registered, ticked, import)?;
            let member_ids = selected_members(&state, &scope, &selection).await?;
            let round = Round {
                request_key: &request_key,
                group_id: None,
                template_id,
                description: describe(&selection, member_ids.len()),
                confirmed_count: &confirmed_count,
            };
            let id =
                send(&state, &scope, round, || plan(&state, &scope, &member_ids, selection.not_registered)).await?;
            leptos_axum::redirect(&format!("/staff/bulk-sends/{id}"));
            Ok(())
        }
        .await,
    )
}

/// Sends what a round still has waiting (a Worker stops after its request's budget).
#[server(endpoint = "continue_round")]
pub async fn continue_round(round: i64) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let found = rounds::round(state.db.as_ref(), &scope, round).await?;
            let found = found.ok_or(AppError::NotFound)?;
            let wording = Wording::chosen(&state, &scope, found.template_id.unwrap_or(0), None).await?;
            send_waiting(&state, &scope, round, &wording).await?;
            leptos_axum::redirect(&format!("/staff/bulk-sends/{round}"));
            Ok(())
        }
        .await,
    )
}

/// How a round's e-mails are doing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RoundProgress {
    /// Invitations planned and not written yet (a round continued later).
    pub waiting: i64,
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
}

impl RoundProgress {
    pub fn done(&self) -> bool {
        self.waiting == 0 && self.queued == 0
    }
}

/// A kept round: what it was sent to, by whom, when, and per person what it did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundReport {
    pub id: i64,
    pub description: String,
    pub group_id: Option<i64>,
    pub sent_by: String,
    pub sent_on: String,
    pub invited: i64,
    pub skipped: i64,
    pub progress: RoundProgress,
    /// Each outcome with its count, in the report's order (every one above zero).
    pub outcomes: Vec<OutcomeCount>,
    /// The outcome shown ("" for everyone), and how many people have it.
    pub outcome: String,
    pub matching: i64,
    /// The page shown, from 1, of `REPORT_PAGE` people.
    pub page: i64,
    pub lines: Vec<RoundLine>,
}

impl RoundReport {
    /// "101–200 of 3,605".
    pub fn range(&self) -> String {
        let first = (self.page - 1) * REPORT_PAGE as i64 + 1;
        let last = first + self.lines.len() as i64 - 1;
        match self.matching {
            0 => "Nobody".into(),
            _ => {
                use crate::domain::numbers::thousands;
                format!("{}–{} of {}", thousands(first), thousands(last), thousands(self.matching))
            }
        }
    }

    pub fn pages(&self) -> i64 {
        pages_of(self.matching)
    }
}

/// Pages of `REPORT_PAGE` for `people` (one, empty, for nobody).
fn pages_of(people: i64) -> i64 {
    ((people + REPORT_PAGE as i64 - 1) / REPORT_PAGE as i64).max(1)
}

/// A round's report: one outcome (`outcome`, "" for everyone), one page of it (from 1).
#[server(endpoint = "round_details")]
pub async fn round_details(
    round: i64,
    #[server(default)] outcome: String,
    #[server(default)] page: i64,
) -> Result<RoundReport, AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let found = rounds::round(state.db.as_ref(), &scope, round).await?.ok_or(AppError::NotFound)?;
            let progress = progress_of(&state, &scope, &found).await?;
            let (outcomes, people) = round_outcomes(&state, &scope, round, &outcome).await?;
            let matching = people.len() as i64;
            let page = page.clamp(1, pages_of(matching));
            let lines = people.into_iter().skip((page - 1) as usize * REPORT_PAGE).take(REPORT_PAGE).collect();
            Ok(RoundReport {
                id: found.id,
                description: found.description,
                group_id: found.group_id,
                sent_by: found.sent_by,
                sent_on: scope.zone.date_time(found.created_at),
                invited: found.invited,
                skipped: found.skipped,
                progress,
                outcomes,
                outcome,
                matching,
                page,
                lines,
            })
        }
        .await,
    )
}

/// The live figures of a round's page, asked for again while e-mails are on their way.
#[server(endpoint = "delivery_progress")]
pub async fn delivery_progress(round: i64) -> Result<RoundProgress, AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let found = rounds::round(state.db.as_ref(), &scope, round).await?;
            progress_of(&state, &scope, &found.ok_or(AppError::NotFound)?).await
        }
        .await,
    )
}

/// A round in the "Bulk sends" history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundView {
    pub id: i64,
    pub description: String,
    pub sent_by: String,
    pub sent_on: String,
    pub invited: i64,
    pub skipped: i64,
    pub waiting: i64,
}

#[server(endpoint = "bulk_sends")]
pub async fn bulk_sends() -> Result<Vec<RoundView>, AppError> {
    respond(
        async {
            let (state, scope) = require_staff().await?;
            let rows = rounds::rounds(state.db.as_ref(), &scope).await?;
            Ok(rows
                .into_iter()
                .map(|r| RoundView {
                    id: r.id,
                    description: r.description,
                    sent_by: r.sent_by,
                    sent_on: scope.zone.date_time(r.created_at),
                    invited: r.invited,
                    skipped: r.skipped,
                    waiting: r.waiting,
                })
                .collect())
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
async fn progress_of(state: &AppState, scope: &StaffScope, round: &rounds::Round) -> Result<RoundProgress, AppError> {
    let delivery = rounds::round_delivery(state.db.as_ref(), scope, round.id).await?;
    Ok(RoundProgress { waiting: round.waiting, queued: delivery.queued, sent: delivery.sent, failed: delivery.failed })
}
