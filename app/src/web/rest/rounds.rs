//! Invitation rounds: who a round would invite and who it skips and why (the dry run, which
//! writes nothing), then the round sent, by the member list's rules.

use axum::body::Bytes;
use axum::extract::{Path, State};
use http::HeaderMap;
use serde::{Deserialize, Serialize};

use super::{API_V1, Answer, Done, Problem, key_of, once, read_json, record_id, write_to, writer};
use crate::domain::dates::rfc3339;
use crate::error::AppError;
use crate::ports::AppState;
use crate::records::Selection;
use crate::secrets::new_nonce;
use crate::service::api_keys::KeyScope;
use crate::service::invitations::Wording;
use crate::service::rounds::{Planned, Round, describe, plan, selected_members, selection, send_waiting};
use crate::store::rounds;

/// People a dry run lists; its counts cover everyone.
const DRY_RUN_PEOPLE: usize = 1000;

/// Whom a round is for: the members named, or the members of an import, or everyone the
/// search and status filter find (everyone, when none is given).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RoundBody {
    #[serde(default)]
    member_ids: Option<Vec<i64>>,
    #[serde(default)]
    import_id: Option<i64>,
    #[serde(default)]
    q: Option<String>,
    /// A member-list status: `not-invited`, `waiting`, `expired`, `delivery-failed`,
    /// `email-bounced`, `declined`, `revoked`, `never-signed-in`, `active`, `no-email`.
    #[serde(default)]
    status: Option<String>,
    /// Only people without a login.
    #[serde(default)]
    not_registered: bool,
    /// The round's words: a template of the organisation's (sending only).
    #[serde(default)]
    template_id: Option<i64>,
    /// A round of more than 500 invitations is sent only with their number here, as the dry
    /// run counted it (sending only).
    #[serde(default)]
    confirmed_count: Option<i64>,
}

impl RoundBody {
    fn selection(&self) -> Result<Selection, Problem> {
        let by_search = self.q.is_some() || self.status.is_some();
        let ways = [self.member_ids.is_some(), self.import_id.is_some(), by_search];
        if ways.into_iter().filter(|&way| way).count() > 1 {
            let message = "Give `member_ids`, or `import_id`, or `q` and `status`: one way to choose.";
            return Err(AppError::invalid("member_ids", message).into());
        }
        if self.member_ids.as_ref().is_some_and(Vec::is_empty) {
            return Err(AppError::invalid("member_ids", "`member_ids` is empty: name at least one member.").into());
        }
        let members = self.member_ids.iter().flatten().map(i64::to_string).collect::<Vec<_>>().join(",");
        let ticked = self.member_ids.is_some();
        let (q, status) = (self.q.as_deref().unwrap_or_default(), self.status.as_deref().unwrap_or_default());
        Ok(selection(members, q, status, self.not_registered, ticked, self.import_id.unwrap_or(0))?)
    }
}

/// One person a round considered.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize)]
struct Person {
    member_id: i64,
    contact_id: i64,
    name: String,
    email: Option<String>,
    /// `invite`, or `skip` with the reason.
    outcome: &'static str,
    reason: Option<String>,
}

impl Person {
    fn of(planned: &Planned) -> Self {
        let c = &planned.candidate;
        Self {
            member_id: c.member_id,
            contact_id: c.contact_id,
            name: format!("{} {}", c.first_name, c.last_name),
            email: planned.outcome.as_ref().map(|to| to.as_str().to_owned()).ok().or_else(|| c.email.clone()),
            outcome: if planned.outcome.is_ok() { "invite" } else { "skip" },
            reason: planned.outcome.as_ref().err().cloned(),
        }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize)]
struct DryRun {
    description: String,
    will_invite: usize,
    will_skip: usize,
    /// Everyone skipped first, then everyone to invite, up to 1,000.
    people: Vec<Person>,
}

/// `POST /api/v1/rounds/dry-run`: whom the round would invite, and everyone it would skip
/// and why (a login already, declined, invited recently, no e-mail, an address shared…).
/// Writes nothing.
#[cfg_attr(
    feature = "openapi",
    utoipa::path(
        post, path = "/api/v1/rounds/dry-run", tag = "rounds",
        request_body = RoundBody,
        responses((status = 200, body = DryRun)),
    )
)]
pub(super) async fn dry_run(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Answer {
    let key = key_of(&state, &headers).await?;
    let asked: RoundBody = read_json(&headers, &body)?;
    let chosen = asked.selection()?;
    let member_ids = selected_members(&state, &key.scope, &chosen).await?;
    let planned = plan(&state, &key.scope, &member_ids, chosen.not_registered).await?;
    let will_invite = planned.iter().filter(|p| p.outcome.is_ok()).count();
    let skipped = planned.iter().filter(|p| p.outcome.is_err());
    let mut people: Vec<Person> = skipped.chain(planned.iter().filter(|p| p.outcome.is_ok())).map(Person::of).collect();
    people.truncate(DRY_RUN_PEOPLE);
    let description = describe(&chosen, member_ids.len());
    Ok(Done::changed(&DryRun { description, will_invite, will_skip: planned.len() - will_invite, people }).response())
}

/// A round as it stands.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize)]
struct RoundState {
    id: i64,
    description: String,
    created_at: String,
    invited: i64,
    skipped: i64,
    /// Planned and not invited yet: `POST …/continue` sends them.
    waiting: i64,
    completed_at: Option<String>,
}

async fn round_state(state: &AppState, key: &KeyScope, id: i64) -> Result<RoundState, Problem> {
    let found = rounds::round(state.db.as_ref(), &key.scope, id).await?.ok_or(AppError::NotFound)?;
    Ok(RoundState {
        id: found.id,
        description: found.description,
        created_at: rfc3339(found.created_at),
        invited: found.invited,
        skipped: found.skipped,
        waiting: found.waiting,
        completed_at: found.completed_at.map(rfc3339),
    })
}

/// `POST /api/v1/rounds`: plans the round again now (anyone invited or declined since the dry
/// run is left out) and sends it; 201 with the round. Send it with an `Idempotency-Key`: a
/// retry then lands on the same round.
#[cfg_attr(
    feature = "openapi",
    utoipa::path(
        post, path = "/api/v1/rounds", tag = "rounds",
        request_body = RoundBody,
        responses((status = 201, body = RoundState)),
    )
)]
pub(super) async fn send(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Answer {
    let key = key_of(&state, &headers).await?;
    writer(&key)?;
    once(&state, &key, "POST /api/v1/rounds", &headers, &body, async {
        let asked: RoundBody = read_json(&headers, &body)?;
        let chosen = asked.selection()?;
        let member_ids = selected_members(&state, &key.scope, &chosen).await?;
        let confirmed = asked.confirmed_count.map(|n| n.to_string()).unwrap_or_default();
        let request_key = new_nonce();
        let round = Round {
            request_key: &request_key,
            group_id: None,
            template_id: asked.template_id.unwrap_or(0),
            description: describe(&chosen, member_ids.len()),
            confirmed_count: &confirmed,
        };
        let planning = || plan(&state, &key.scope, &member_ids, chosen.not_registered);
        let id = crate::service::rounds::send(&state, &key.scope, round, planning).await?;
        Ok(Done::created(format!("{API_V1}/rounds/{id}"), &round_state(&state, &key, id).await?))
    })
    .await
}

/// `GET /api/v1/rounds/{id}`.
#[cfg_attr(
    feature = "openapi",
    utoipa::path(
        get, path = "/api/v1/rounds/{id}", tag = "rounds",
        params(("id" = i64, Path)),
        responses((status = 200, body = RoundState)),
    )
)]
pub(super) async fn get(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Answer {
    let key = key_of(&state, &headers).await?;
    let id = record_id(&id)?;
    Ok(Done::changed(&round_state(&state, &key, id).await?).response())
}

/// `POST /api/v1/rounds/{id}/continue`: sends whoever the round still has waiting (a large
/// round on the edge target goes out over several requests).
#[cfg_attr(
    feature = "openapi",
    utoipa::path(
        post, path = "/api/v1/rounds/{id}/continue", tag = "rounds",
        params(("id" = i64, Path)),
        responses((status = 200, body = RoundState)),
    )
)]
pub(super) async fn resume(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Answer {
    let (key, id, request) = write_to(&state, &headers, "POST", "/rounds/{id}/continue", &id).await?;
    once(&state, &key, &request, &headers, &[], async {
        let found = rounds::round(state.db.as_ref(), &key.scope, id).await?.ok_or(AppError::NotFound)?;
        let wording = Wording::chosen(&state, &key.scope, found.template_id.unwrap_or(0), None).await?;
        send_waiting(&state, &key.scope, id, &wording).await?;
        Ok(Done::changed(&round_state(&state, &key, id).await?))
    })
    .await
}
