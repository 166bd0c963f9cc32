//! Households and client groups (004's co-owners): staff group profiles, see everyone
//! around them on one page, and "Invite all owners" — every primary contact with no login
//! and no live invitation — with a per-person report of who was invited and who was
//! skipped, and why.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::members::ContactCard;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    super::invitations::{Invitee, Wording, prepare_invitation},
    super::members::contact_cards,
    super::ssr::{internal, require_staff, respond},
    crate::domain::dates::format_date,
    crate::domain::{Email, InvitationState, PersonName},
    crate::error::FormErrors,
    crate::secrets::new_nonce,
    crate::store::groups::{self, RoundEntry},
    crate::store::members::{self, ContactRow},
    crate::store::organisations,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupSummary {
    pub id: i64,
    pub name: String,
    pub member_count: i64,
}

#[server(endpoint = "list_groups")]
pub async fn list_groups() -> Result<Vec<GroupSummary>, AppError> {
    respond(
        async {
            let (state, scope) = require_staff().await?;
            let rows = groups::list_groups(state.db.as_ref(), &scope).await.map_err(internal)?;
            Ok(rows
                .into_iter()
                .map(|g| GroupSummary { id: g.id, name: g.name, member_count: g.member_count })
                .collect())
        }
        .await,
    )
}

#[server(endpoint = "create_group")]
pub async fn create_group(name: String) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let mut form = FormErrors::default();
            let name = form.check("name", &name, PersonName::parse(&name));
            let name = form.finish(|| name)?;
            let id = groups::create_group(state.db.as_ref(), &scope, name.as_str(), state.clock.now())
                .await
                .map_err(internal)?;
            leptos_axum::redirect(&format!("/staff/groups/{id}"));
            Ok(())
        }
        .await,
    )
}

/// Puts a member into a group, from the member's profile.
#[server(endpoint = "add_to_group")]
pub async fn add_to_group(group_id: i64, member_id: i64) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let db = state.db.as_ref();
            let added =
                groups::add_to_group(db, &scope, group_id, member_id, state.clock.now()).await.map_err(internal)?;
            if !added {
                members::member(db, &scope, member_id).await.map_err(internal)?.ok_or(AppError::NotFound)?;
                return Err(AppError::Conflict("This member is in that group already, or the group is gone.".into()));
            }
            leptos_axum::redirect(&format!("/staff/members/{member_id}"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "remove_from_group")]
pub async fn remove_from_group(group_id: i64, member_id: i64) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let removed =
                groups::remove_from_group(state.db.as_ref(), &scope, group_id, member_id).await.map_err(internal)?;
            if !removed {
                return Err(AppError::NotFound);
            }
            leptos_axum::redirect(&format!("/staff/groups/{group_id}"));
            Ok(())
        }
        .await,
    )
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupView {
    pub id: i64,
    pub name: String,
    pub members: Vec<GroupProfile>,
    /// A fresh key for the "Invite all owners" form: sending twice with it sends once.
    pub request_key: String,
    /// The round just sent, when the page shows its report — or, before sending, what a
    /// round would do (the dry run).
    pub report: Option<Vec<RoundLine>>,
    /// How the round's e-mails are doing (after sending): reload to follow it.
    pub delivery: Option<RoundProgress>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RoundProgress {
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupProfile {
    pub member_id: i64,
    pub name: String,
    pub contacts: Vec<ContactCard>,
}

/// One person in a round's report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundLine {
    pub member_name: String,
    pub contact_name: String,
    pub email: Option<String>,
    /// None: invited.
    pub skipped_because: Option<String>,
}

#[server(endpoint = "group_details")]
pub async fn group_details(
    group_id: i64,
    #[server(default)] round: Option<i64>,
    #[server(default)] plan: bool,
) -> Result<GroupView, AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let db = state.db.as_ref();
            let now = state.clock.now();
            let group = groups::group(db, &scope, group_id).await.map_err(internal)?.ok_or(AppError::NotFound)?;
            let mut profiles = Vec::new();
            for member in groups::group_members(db, &scope, group_id).await.map_err(internal)? {
                let contacts = contact_cards(db, &scope, member.member_id, now).await?;
                let name = format!("{} {}", member.first_name, member.last_name);
                profiles.push(GroupProfile { member_id: member.member_id, name, contacts });
            }
            let report = match round {
                None if plan => Some(
                    plan_round(&state, &scope, group_id)
                        .await?
                        .into_iter()
                        .map(|p| RoundLine {
                            member_name: p.member_name,
                            contact_name: format!("{} {}", p.contact.first_name, p.contact.last_name),
                            email: p.contact.email,
                            skipped_because: p.outcome.err(),
                        })
                        .collect(),
                ),
                Some(round) => Some(
                    groups::round_results(db, &scope, group_id, round)
                        .await
                        .map_err(internal)?
                        .into_iter()
                        .map(|r| RoundLine {
                            member_name: r.member_name,
                            contact_name: r.contact_name,
                            email: r.email,
                            skipped_because: r.skipped_because,
                        })
                        .collect(),
                ),
                None => None,
            };
            let delivery = match round {
                Some(round) => {
                    let d = groups::round_delivery(db, &scope, round).await.map_err(internal)?;
                    Some(RoundProgress { queued: d.queued, sent: d.sent, failed: d.failed })
                }
                None => None,
            };
            Ok(GroupView {
                id: group.id,
                name: group.name,
                members: profiles,
                request_key: new_nonce(),
                report,
                delivery,
            })
        }
        .await,
    )
}

/// 004's "Invite all owners": every primary contact of the group's members who has an
/// e-mail, no login, no invitation waiting and has not declined is invited, in one batch;
/// everyone else is listed as skipped with the reason. The form's key makes a double
/// submit or a retry land on the same round.
#[server(endpoint = "invite_group_owners")]
pub async fn invite_group_owners(
    group_id: i64,
    request_key: String,
    #[server(default)] template_id: i64,
) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            if !is_request_key(&request_key) {
                return Err(AppError::Conflict("This form is out of date. Reload the page and try again.".into()));
            }
            let db = state.db.as_ref();
            let now = state.clock.now();
            groups::group(db, &scope, group_id).await.map_err(internal)?.ok_or(AppError::NotFound)?;
            // Sent already (a double click, a retry): that round, without planning it again.
            if let Some(round) = groups::round_by_key(db, &scope, &request_key).await.map_err(internal)? {
                leptos_axum::redirect(&format!("/staff/groups/{group_id}?round={round}"));
                return Ok(());
            }
            let wording = Wording::chosen(&state, &scope, template_id, None).await?;
            let organisation = organisations::organisation(db, scope.organisation_id)
                .await
                .map_err(internal)?
                .ok_or(AppError::NotFound)?;
            let mut entries = Vec::new();
            for planned in plan_round(&state, &scope, group_id).await? {
                let contact = &planned.contact;
                entries.push(match planned.outcome {
                    Err(because) => RoundEntry::Skipped { contact_id: contact.id, because },
                    Ok(to) => {
                        let invitee = Invitee {
                            contact_id: contact.id,
                            first_name: &contact.first_name,
                            on_behalf_of: (contact.is_self == 0).then_some(planned.member_name.as_str()),
                        };
                        let prepared = prepare_invitation(&state, &scope, &organisation, &invitee, &to, &wording);
                        RoundEntry::Invited {
                            contact_id: contact.id,
                            statements: prepared.statements,
                            token_hash: prepared.token_hash,
                        }
                    }
                });
            }
            let round = groups::send_round(db, &scope, &request_key, group_id, entries, now).await.map_err(internal)?;
            (state.wake_outbox)();
            leptos_axum::redirect(&format!("/staff/groups/{group_id}?round={round}"));
            Ok(())
        }
        .await,
    )
}

/// One person around the group's profiles, and what a round would do: the address to
/// invite, or why they are skipped.
#[cfg(feature = "ssr")]
struct Planned {
    member_name: String,
    contact: ContactRow,
    outcome: Result<Email, String>,
}

/// What "Invite all owners" would do now, person by person, writing nothing.
#[cfg(feature = "ssr")]
async fn plan_round(
    state: &crate::ports::AppState,
    scope: &members::StaffScope,
    group_id: i64,
) -> Result<Vec<Planned>, AppError> {
    let db = state.db.as_ref();
    let now = state.clock.now();
    let mut plan = Vec::new();
    for member in groups::group_members(db, scope, group_id).await.map_err(internal)? {
        let member_name = format!("{} {}", member.first_name, member.last_name);
        for contact in members::contacts_of(db, scope, member.member_id).await.map_err(internal)? {
            let outcome = match (skip_reason(&contact, now), contact.email.as_deref()) {
                (Some(because), _) => Err(because),
                (None, None) => Err("No e-mail on file.".to_owned()),
                (None, Some(email)) => {
                    Email::parse(email).map_err(|_| "The e-mail on file is not a valid address.".to_owned())
                }
            };
            plan.push(Planned { member_name: member_name.clone(), contact, outcome });
        }
    }
    Ok(plan)
}

/// Why a contact is left out of "Invite all owners", if they are.
#[cfg(feature = "ssr")]
fn skip_reason(contact: &ContactRow, now: i64) -> Option<String> {
    if contact.is_primary == 0 {
        return Some("Not a primary contact.".into());
    }
    if contact.login_user_id.is_some() {
        return Some("Already has portal access.".into());
    }
    let latest = contact.latest_invitation()?;
    match latest.state(now) {
        InvitationState::Pending => {
            Some(format!("An invitation sent on {} is still waiting.", format_date(latest.created_at)))
        }
        InvitationState::Declined => {
            Some(format!("Declined the portal on {}.", format_date(latest.declined_at.unwrap_or_default())))
        }
        _ => None,
    }
}

/// The key a form carries: what `new_nonce` makes (22 URL-safe characters).
#[cfg(feature = "ssr")]
fn is_request_key(key: &str) -> bool {
    (16..=64).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A round in the "Bulk sends" history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundView {
    pub id: i64,
    pub group_id: i64,
    pub group_name: String,
    pub sent_by: String,
    pub sent_on: String,
    pub invited: i64,
    pub skipped: i64,
}

#[server(endpoint = "bulk_sends")]
pub async fn bulk_sends() -> Result<Vec<RoundView>, AppError> {
    respond(
        async {
            let (state, scope) = require_staff().await?;
            let rows = groups::rounds(state.db.as_ref(), &scope).await.map_err(internal)?;
            Ok(rows
                .into_iter()
                .map(|r| RoundView {
                    id: r.id,
                    group_id: r.group_id,
                    group_name: r.group_name,
                    sent_by: r.sent_by,
                    sent_on: format_date(r.created_at),
                    invited: r.invited,
                    skipped: r.skipped,
                })
                .collect())
        }
        .await,
    )
}
