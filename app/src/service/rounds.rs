//! A round of invitations: whom it invites and whom it skips (the rule is
//! `domain::round::decide`; here, one e-mail per address across the round), and the confirmed
//! round sent in atomic chunks under its form's key, continued where it stopped; its outcomes
//! per person for the report and the CSV export.

use crate::domain::Email;
use crate::domain::numbers::thousands;
use crate::domain::numbers::{count_of, id_list};
use crate::domain::round::{LARGE_ROUND, Skip, decide, kind_of};
use crate::error::AppError;
use crate::ports::AppState;
use crate::records::{MemberListQuery, NOTHING_TICKED, OutcomeCount, RoundLine, Selection};
use crate::service::invitations::{Invitee, Wording, prepare_invitation};
use crate::store::invitations::{InvitingAs, invitation_statements};
use crate::store::member_list::{self, ListQuery};
use crate::store::organisations;
use crate::store::rounds::{self, Candidate};
use crate::store::scope::StaffScope;

/// One person a round considered, and what it does for them: the address to invite, or
/// why they are skipped.
pub struct Planned {
    pub candidate: Candidate,
    pub outcome: Result<Email, String>,
}

impl Planned {
    /// This person as a dry run lists them.
    pub fn line(&self) -> RoundLine {
        RoundLine {
            member_name: self.candidate.member_name.clone(),
            contact_name: format!("{} {}", self.candidate.first_name, self.candidate.last_name),
            email: self.candidate.email.clone(),
            skipped_because: self.outcome.as_ref().err().cloned(),
            delivery_failed: false,
        }
    }
}

/// Members read per query while planning.
const PLAN_MEMBERS_PER_QUERY: usize = 1000;

/// What a round would do now for everyone around these members, writing nothing.
pub async fn plan(
    state: &AppState,
    scope: &StaffScope,
    member_ids: &[i64],
    without_login_only: bool,
) -> Result<Vec<Planned>, AppError> {
    let now = state.clock.now();
    let mut planned = Vec::new();
    for chunk in member_ids.chunks(PLAN_MEMBERS_PER_QUERY) {
        let found = rounds::candidates(state.db.as_ref(), scope, chunk, without_login_only).await?;
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
pub async fn round_outcomes(
    state: &AppState,
    scope: &StaffScope,
    round: i64,
    wanted: &str,
) -> Result<(Vec<OutcomeCount>, Vec<RoundLine>), AppError> {
    let results = rounds::round_results(state.db.as_ref(), scope, round).await?;
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
                    (false, None) => Some("Waiting to be invited: continue sending.".into()),
                    (_, None) => None,
                },
                delivery_failed: result.delivery_failed,
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
        (None, false, _) => ("waiting".into(), "Waiting to be invited".into()),
        (None, _, true) => ("delivery-failed".into(), "E-mail not delivered".into()),
        (None, _, _) => ("invited".into(), "Invited".into()),
    }
}

/// The key a confirm form carries: what `new_nonce` makes (22 URL-safe characters).
pub fn check_request_key(key: &str) -> Result<(), AppError> {
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
pub struct Round<'a> {
    pub request_key: &'a str,
    pub group_id: Option<i64>,
    pub template_id: i64,
    pub description: String,
    pub confirmed_count: &'a str,
}

/// Sends the round this key names; answers its id, for its report. A first submit plans it (with
/// `planning`), refuses it if it is large and unconfirmed, then records it and its plan; a
/// second finds it and plans nothing again; both then send whoever is still waiting.
pub async fn send<F, Fut>(state: &AppState, scope: &StaffScope, round: Round<'_>, planning: F) -> Result<i64, AppError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<Vec<Planned>, AppError>>,
{
    let db = state.db.as_ref();
    let now = state.clock.now();
    let wording = Wording::chosen(state, scope, round.template_id, None).await?;
    let template = (round.template_id != 0).then_some(round.template_id);
    let planned = match rounds::round_by_key(db, scope, round.request_key).await? {
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
        rounds::record_plan(db, found.id, &rows, now).await?;
    }
    send_waiting(state, scope, found.id, &wording).await?;
    Ok(found.id)
}

/// A round of more than `LARGE_ROUND` invitations goes only with its number typed, as the
/// dry run showed it or without the commas; a number from an older dry run is refused.
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
const INVITATIONS_PER_BATCH: usize = 200;

/// Invites whoever the round still has waiting, one atomic batch per chunk, up to this
/// target's budget per request; marks the round complete when no one is left.
pub async fn send_waiting(state: &AppState, scope: &StaffScope, round: i64, wording: &Wording) -> Result<(), AppError> {
    let db = state.db.as_ref();
    let organisation = organisations::organisation(db, scope.organisation_id).await?.ok_or(AppError::NotFound)?;
    let mut budget = state.config.invitations_per_request;
    while budget > 0 {
        let take = budget.min(INVITATIONS_PER_BATCH);
        let waiting = rounds::waiting(db, round, take as i64).await?;
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
        let statements = invitation_statements(scope, now, &invitations, InvitingAs::Round)?;
        batch.extend(statements.all());
        let invited: Vec<(i64, &str)> = invitations.iter().map(|i| (i.contact_id, i.token_hash.as_str())).collect();
        batch.extend(rounds::invited(round, &invited, now)?);
        match db.batch(batch).await {
            // Another request sent these people first: go on with whoever is still waiting.
            Ok(_) | Err(crate::store::DbError::Constraint(_)) => {}
            Err(error) => return Err(error.into()),
        }
    }
    // Woken once the round is written: a dispatcher draining meanwhile would compete with
    // the round's writes for the database (4.4 s instead of … for 10,000, `make bench`).
    (state.wake_outbox)();
    rounds::complete_if_done(db, round, state.clock.now()).await?;
    Ok(())
}

pub fn selection(
    members: String,
    q: &str,
    status: &str,
    not_registered: bool,
    ticked: bool,
    import: i64,
) -> Result<Selection, AppError> {
    let members = members.trim().to_owned();
    if ticked && members.is_empty() {
        return Err(AppError::invalid("members", NOTHING_TICKED));
    }
    id_list(&members).map_err(|message| AppError::invalid("members", message))?;
    let query = MemberListQuery::parse(q, status, "", None)?;
    Ok(Selection { members, q: query.q, status: query.status, not_registered, ticked, import })
}

/// Exactly whom a round is for, with how many members that is: "3 selected members",
/// "12 members — Declined, matching “gar”", "3,002 members — everyone".
pub fn describe(selection: &Selection, members: usize) -> String {
    let members = members as i64;
    if selection.import > 0 {
        return format!("{} of the import", count_of(members, "member", "members"));
    }
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
pub async fn selected_members(
    state: &AppState,
    scope: &StaffScope,
    selection: &Selection,
) -> Result<Vec<i64>, AppError> {
    if selection.import > 0 {
        return crate::service::imports::members_of(state, scope, selection.import).await;
    }
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
    let rows = member_list::page(state.db.as_ref(), scope, &query, EVERYONE, state.clock.now()).await?;
    Ok(rows.into_iter().map(|row| row.id).collect())
}

/// A page size that holds every member: the largest whole number D1 takes (2^53 - 1).
const EVERYONE: i64 = (1 << 53) - 1;
