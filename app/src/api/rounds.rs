//! Invitation rounds (001: "it usually takes a number of rounds of invites to get everyone
//! to respond"): the members staff selected, everyone a search and filter finds, everyone
//! not yet registered, or a group's owners. A dry run always comes first — how many will be
//! invited, and everyone skipped with the reason — then the confirmed round is planned once
//! and sent in atomic chunks under the form's key, and its report is kept.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::PortalStatus;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    super::invitations::{Invitee, Wording, prepare_invitation},
    super::member_list::MemberListQuery,
    crate::domain::Email,
    crate::domain::numbers::{count_of, id_list, thousands},
    crate::domain::round::{Skip, decide, kind_of},
    crate::ports::AppState,
    crate::request::{internal, require_staff, respond},
    crate::secrets::new_nonce,
    crate::store::invitations::{InvitingAs, invitation_statements},
    crate::store::member_list::{self, ListQuery},
    crate::store::members::StaffScope,
    crate::store::organisations,
    crate::store::rounds::{self, Candidate},
};

/// People a dry run or a report lists; the counts above them cover everyone.
pub const REPORT_LINES: i64 = 1000;

/// A round inviting more people than this is sent only once staff typed how many.
pub const LARGE_ROUND: i64 = 500;

/// Who a round from the member list is for: the members ticked (`members`, ids separated by
/// commas), or else everyone the search and filter find — only those without a login when
/// `not_registered`. `ticked`: the round is "Invite selected", for the ticked members and
/// never more; with none ticked it is refused, not widened to everyone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Selection {
    pub members: String,
    pub q: String,
    pub status: Option<PortalStatus>,
    pub not_registered: bool,
    pub ticked: bool,
}

/// The refusal of "Invite selected" with no member ticked.
pub const NOTHING_TICKED: &str =
    "No member is ticked. Tick the members to invite, or use “Invite all … matching this filter”.";

impl Selection {
    /// The dry run's address.
    pub fn href(&self) -> String {
        let mut params = Vec::new();
        if !self.members.is_empty() {
            params.push(format!("members={}", self.members));
        } else {
            if !self.q.trim().is_empty() {
                params.push(format!("q={}", crate::domain::query::url_encode(self.q.trim())));
            }
            if let Some(status) = self.status {
                params.push(format!("status={}", status.slug()));
            }
        }
        if self.not_registered {
            params.push("not_registered=true".to_owned());
        }
        if self.ticked {
            params.push("ticked=true".to_owned());
        }
        format!("/staff/invite-round?{}", params.join("&"))
    }
}

/// One person in a round's dry run or report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundLine {
    pub member_name: String,
    pub contact_name: String,
    pub email: Option<String>,
    /// None: invited (or, in a dry run, will be).
    pub skipped_because: Option<String>,
    /// Invited, but the e-mail could not be delivered.
    #[serde(default)]
    pub delivery_failed: bool,
}

impl RoundLine {
    /// What happened to them, in a word or two: the start of their line on the page and
    /// their CSV outcome. `planned`: a dry run, where nothing has happened yet.
    pub fn outcome(&self, planned: bool) -> &'static str {
        match (&self.skipped_because, self.delivery_failed, planned) {
            (Some(_), _, _) => "Skipped",
            (None, true, _) => "E-mail not delivered",
            (None, false, true) => "Will invite",
            (None, false, false) => "Invited",
        }
    }
}

/// People per page of a round's report.
pub const REPORT_PAGE: usize = 100;

/// One way a round ended for people, and how many: the report's filters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeCount {
    /// Safe in an address: "invited", "delivery-failed", "waiting", "skipped-declined-the-portal".
    pub key: String,
    pub label: String,
    pub count: i64,
}

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
) -> Result<RoundPlan, AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let selection = selection(members, &q, &status, not_registered, ticked)?;
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
            let mut lines: Vec<RoundLine> = planned.iter().filter(|p| p.outcome.is_err()).map(line).collect();
            lines.extend(planned.iter().filter(|p| p.outcome.is_ok()).map(line));
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
    #[server(default)] template_id: i64,
    #[server(default)] confirmed_count: String,
) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            check_request_key(&request_key)?;
            let selection = selection(members, &q, &status, not_registered, ticked)?;
            let member_ids = selected_members(&state, &scope, &selection).await?;
            let round = Round {
                request_key: &request_key,
                group_id: None,
                template_id,
                description: describe(&selection, member_ids.len()),
                confirmed_count: &confirmed_count,
            };
            send(&state, &scope, round, || plan(&state, &scope, &member_ids, selection.not_registered)).await
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
            let found = rounds::round(state.db.as_ref(), &scope, round).await.map_err(internal)?;
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
            let found =
                rounds::round(state.db.as_ref(), &scope, round).await.map_err(internal)?.ok_or(AppError::NotFound)?;
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
            let found = rounds::round(state.db.as_ref(), &scope, round).await.map_err(internal)?;
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
            let rows = rounds::rounds(state.db.as_ref(), &scope).await.map_err(internal)?;
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
    let delivery = rounds::round_delivery(state.db.as_ref(), scope, round.id).await.map_err(internal)?;
    Ok(RoundProgress { waiting: round.waiting, queued: delivery.queued, sent: delivery.sent, failed: delivery.failed })
}

#[cfg(feature = "ssr")]
fn selection(
    members: String,
    q: &str,
    status: &str,
    not_registered: bool,
    ticked: bool,
) -> Result<Selection, AppError> {
    let members = members.trim().to_owned();
    if ticked && members.is_empty() {
        return Err(AppError::invalid("members", NOTHING_TICKED));
    }
    id_list(&members).map_err(|message| AppError::invalid("members", message))?;
    let query = MemberListQuery::parse(q, status, "", None)?;
    Ok(Selection { members, q: query.q, status: query.status, not_registered, ticked })
}

/// Exactly whom a round is for, with how many members that is: "3 selected members",
/// "12 members — Declined, matching “gar”", "3,002 members — everyone".
#[cfg(feature = "ssr")]
fn describe(selection: &Selection, members: usize) -> String {
    let members = members as i64;
    if !selection.members.is_empty() {
        return count_of(members, "selected member", "selected members");
    }
    let mut scope = Vec::new();
    if selection.not_registered {
        scope.push("not yet registered".to_owned());
    }
    if let Some(status) = selection.status {
        scope.push(status.label().to_owned());
    }
    if !selection.q.trim().is_empty() {
        scope.push(format!("matching \u{201c}{}\u{201d}", selection.q.trim()));
    }
    let scope = if scope.is_empty() { "everyone".to_owned() } else { scope.join(", ") };
    format!("{} \u{2014} {scope}", count_of(members, "member", "members"))
}

/// The members a selection names: the ids given, or every member the search and filter find.
#[cfg(feature = "ssr")]
async fn selected_members(state: &AppState, scope: &StaffScope, selection: &Selection) -> Result<Vec<i64>, AppError> {
    if !selection.members.is_empty() {
        return Ok(selection.members.split(',').filter_map(|id| id.trim().parse().ok()).collect());
    }
    let query = ListQuery {
        search: selection.q.clone(),
        status: selection.status,
        sort: crate::domain::MemberSort::Name,
        after: None,
        not_registered: selection.not_registered,
    };
    let rows =
        member_list::page(state.db.as_ref(), scope, &query, EVERYONE, state.clock.now()).await.map_err(internal)?;
    Ok(rows.into_iter().map(|row| row.id).collect())
}

/// A page size that holds every member: the largest whole number D1 takes (2^53 - 1).
#[cfg(feature = "ssr")]
const EVERYONE: i64 = (1 << 53) - 1;

/// One person a round considered, and what it does for them: the address to invite, or
/// why they are skipped.
#[cfg(feature = "ssr")]
pub(crate) struct Planned {
    pub candidate: Candidate,
    pub outcome: Result<Email, String>,
}

/// Members read per query while planning.
#[cfg(feature = "ssr")]
const PLAN_MEMBERS_PER_QUERY: usize = 1000;

/// What a round would do now for everyone around these members, writing nothing.
#[cfg(feature = "ssr")]
pub(crate) async fn plan(
    state: &AppState,
    scope: &StaffScope,
    member_ids: &[i64],
    without_login_only: bool,
) -> Result<Vec<Planned>, AppError> {
    let now = state.clock.now();
    let mut planned = Vec::new();
    for chunk in member_ids.chunks(PLAN_MEMBERS_PER_QUERY) {
        let found = rounds::candidates(state.db.as_ref(), scope, chunk, without_login_only).await.map_err(internal)?;
        planned.extend(found.into_iter().map(|candidate| {
            let outcome = decide(&candidate.candidacy(), now, |at| scope.zone.date(at)).map_err(|skip| skip.words());
            Planned { outcome, candidate }
        }));
    }
    one_email_per_address(&mut planned);
    Ok(planned)
}

/// A round writes to an address once: the first person invited at it gets the e-mail, and
/// anyone after is skipped saying so — the same person (whose acceptance opens every profile
/// of theirs) or someone else sharing the address (invited from their profile).
#[cfg(feature = "ssr")]
fn one_email_per_address(planned: &mut [Planned]) {
    let mut first_at: std::collections::HashMap<String, (i64, String)> = std::collections::HashMap::new();
    for p in planned.iter_mut() {
        let Ok(email) = &p.outcome else { continue };
        let c = &p.candidate;
        match first_at.get(email.as_str()) {
            None => {
                let who = format!("{} {} (for {})", c.first_name, c.last_name, c.member_name);
                first_at.insert(email.as_str().to_owned(), (c.person_id, who));
            }
            Some((person, who)) if *person == c.person_id => {
                p.outcome = Err(Skip::SamePerson { who: who.clone() }.words());
            }
            Some((_, who)) => p.outcome = Err(Skip::SharedAddress { who: who.clone() }.words()),
        }
    }
}

/// Everyone in a round with outcome `wanted` ("" for all), and the count of every outcome.
/// An outcome the round does not have is refused, saying so.
#[cfg(feature = "ssr")]
pub async fn round_outcomes(
    state: &AppState,
    scope: &StaffScope,
    round: i64,
    wanted: &str,
) -> Result<(Vec<OutcomeCount>, Vec<RoundLine>), AppError> {
    let results = rounds::round_results(state.db.as_ref(), scope, round).await.map_err(internal)?;
    let mut outcomes: Vec<OutcomeCount> = Vec::new();
    let mut people = Vec::new();
    for result in results {
        let (key, label) = outcome_of(&result);
        match outcomes.iter_mut().find(|o| o.key == key) {
            Some(known) => known.count += 1,
            None => outcomes.push(OutcomeCount { key: key.clone(), label, count: 1 }),
        }
        if wanted.is_empty() || wanted == key {
            people.push(RoundLine {
                member_name: result.member_name,
                contact_name: result.contact_name,
                email: result.email,
                skipped_because: match (result.invited, result.skipped_because) {
                    (_, Some(because)) => Some(because),
                    (0, None) => Some("Waiting to be invited: continue sending.".into()),
                    (_, None) => None,
                },
                delivery_failed: result.delivery_failed == 1,
            });
        }
    }
    if !wanted.is_empty() && !outcomes.iter().any(|o| o.key == wanted) {
        return Err(AppError::invalid(
            "outcome",
            "This round has nobody with that outcome: choose one of those listed.",
        ));
    }
    // The people staff must act on first: failed deliveries, then skips by size, then the rest.
    let rank = |o: &OutcomeCount| match o.key.as_str() {
        "delivery-failed" => 0,
        "invited" => 3,
        "waiting" => 2,
        _ => 1,
    };
    outcomes.sort_by(|a, b| rank(a).cmp(&rank(b)).then(b.count.cmp(&a.count)));
    Ok((outcomes, people))
}

/// An outcome's key (safe in an address) and its label.
#[cfg(feature = "ssr")]
fn outcome_of(result: &rounds::RoundResult) -> (String, String) {
    match (&result.skipped_because, result.invited, result.delivery_failed) {
        (Some(because), _, _) => {
            let kind = kind_of(because);
            let slug: String = kind
                .to_lowercase()
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|word| !word.is_empty())
                .collect::<Vec<_>>()
                .join("-");
            (format!("skipped-{slug}"), format!("Skipped: {}", kind.trim_end_matches('.')))
        }
        (None, 0, _) => ("waiting".into(), "Waiting to be invited".into()),
        (None, _, 1) => ("delivery-failed".into(), "E-mail not delivered".into()),
        (None, _, _) => ("invited".into(), "Invited".into()),
    }
}

/// One person of a dry run, as the page lists them.
#[cfg(feature = "ssr")]
pub(crate) fn line(p: &Planned) -> RoundLine {
    RoundLine {
        member_name: p.candidate.member_name.clone(),
        contact_name: format!("{} {}", p.candidate.first_name, p.candidate.last_name),
        email: p.candidate.email.clone(),
        skipped_because: p.outcome.as_ref().err().cloned(),
        delivery_failed: false,
    }
}

/// The key a confirm form carries: what `new_nonce` makes (22 URL-safe characters).
#[cfg(feature = "ssr")]
pub(crate) fn check_request_key(key: &str) -> Result<(), AppError> {
    let well_formed =
        (16..=64).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if well_formed {
        Ok(())
    } else {
        Err(AppError::Conflict("This form is out of date. Reload the page and try again.".into()))
    }
}

/// A confirmed round: the key its form carried, what it is for, its template (0: none), and
/// the number staff typed to confirm a large one.
#[cfg(feature = "ssr")]
pub(crate) struct Round<'a> {
    pub request_key: &'a str,
    pub group_id: Option<i64>,
    pub template_id: i64,
    pub description: String,
    pub confirmed_count: &'a str,
}

/// Sends the round this key names and shows its report. A first submit plans it (with
/// `planning`), refuses it if it is large and unconfirmed, then records it and its plan; a
/// second finds it and plans nothing again; both then send whoever is still waiting.
#[cfg(feature = "ssr")]
pub(crate) async fn send<F, Fut>(
    state: &AppState,
    scope: &StaffScope,
    round: Round<'_>,
    planning: F,
) -> Result<(), AppError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<Vec<Planned>, AppError>>,
{
    let db = state.db.as_ref();
    let now = state.clock.now();
    let wording = Wording::chosen(state, scope, round.template_id, None).await?;
    let template = (round.template_id != 0).then_some(round.template_id);
    let planned = match rounds::round_by_key(db, scope, round.request_key).await.map_err(internal)? {
        Some(found) if found.planned_at.is_some() => None,
        _ => {
            let planned = planning().await?;
            confirm_large(&planned, round.confirmed_count)?;
            Some(planned)
        }
    };
    let found = rounds::start_round(db, scope, round.request_key, round.group_id, template, &round.description, now)
        .await
        .map_err(|_| AppError::Conflict("This form is out of date. Reload the page and try again.".into()))?;
    // Planned by this request and not by another one meanwhile.
    if let (None, Some(planned)) = (found.planned_at, planned) {
        let rows: Vec<(i64, Option<String>)> =
            planned.into_iter().map(|p| (p.candidate.contact_id, p.outcome.err())).collect();
        rounds::record_plan(db, found.id, &rows, now).await.map_err(internal)?;
    }
    send_waiting(state, scope, found.id, &wording).await?;
    leptos_axum::redirect(&format!("/staff/bulk-sends/{}", found.id));
    Ok(())
}

/// A round of more than `LARGE_ROUND` invitations goes only with its number typed, as the
/// dry run showed it or without the commas; a number from an older dry run is refused.
#[cfg(feature = "ssr")]
fn confirm_large(planned: &[Planned], confirmed_count: &str) -> Result<(), AppError> {
    let count = planned.iter().filter(|p| p.outcome.is_ok()).count() as i64;
    let typed: String = confirmed_count.chars().filter(|c| !c.is_whitespace() && *c != ',').collect();
    if count <= LARGE_ROUND || typed.parse::<i64>() == Ok(count) {
        return Ok(());
    }
    let count = thousands(count);
    Err(AppError::invalid(
        "confirmed_count",
        &format!("This round sends {count} invitations. Type {count} in the box to confirm, or go back and narrow it."),
    ))
}

/// Invitations written per batch: one atomic chunk.
#[cfg(feature = "ssr")]
const INVITATIONS_PER_BATCH: usize = 200;

/// Invites whoever the round still has waiting, one atomic batch per chunk, up to this
/// target's budget per request; marks the round complete when no one is left.
#[cfg(feature = "ssr")]
pub(crate) async fn send_waiting(
    state: &AppState,
    scope: &StaffScope,
    round: i64,
    wording: &Wording,
) -> Result<(), AppError> {
    let db = state.db.as_ref();
    let organisation =
        organisations::organisation(db, scope.organisation_id).await.map_err(internal)?.ok_or(AppError::NotFound)?;
    let mut budget = state.config.invitations_per_request;
    while budget > 0 {
        let take = budget.min(INVITATIONS_PER_BATCH);
        let waiting = rounds::waiting(db, round, take as i64).await.map_err(internal)?;
        if waiting.is_empty() {
            break;
        }
        budget -= waiting.len();
        let mut batch = vec![rounds::claim_chunk(round, waiting[0].contact_id)];
        let mut invitations = Vec::with_capacity(waiting.len());
        for person in &waiting {
            let Some(to) = person.email.as_deref().and_then(|email| Email::parse(email).ok()) else {
                batch.push(rounds::skipped(round, person.contact_id, "No valid e-mail on file any more."));
                continue;
            };
            let invitee = Invitee {
                contact_id: person.contact_id,
                first_name: &person.first_name,
                member_name: &person.member_name,
            };
            invitations.push(prepare_invitation(state, &organisation, &invitee, &to, wording));
        }
        let now = state.clock.now();
        let statements = invitation_statements(scope, now, &invitations, InvitingAs::Round).map_err(internal)?;
        batch.extend(statements);
        let invited: Vec<(i64, &str)> = invitations.iter().map(|i| (i.contact_id, i.token_hash.as_str())).collect();
        batch.extend(rounds::invited(round, &invited, now).map_err(internal)?);
        match db.batch(batch).await {
            // Another request sent these people first: go on with whoever is still waiting.
            Ok(_) | Err(crate::store::DbError::Constraint(_)) => {}
            Err(error) => return Err(internal(error)),
        }
    }
    // Woken once the round is written: a dispatcher draining meanwhile would compete with
    // the round's writes for the database (4.4 s instead of … for 10,000, `make bench`).
    (state.wake_outbox)();
    rounds::complete_if_done(db, round, state.clock.now()).await.map_err(internal)?;
    Ok(())
}
