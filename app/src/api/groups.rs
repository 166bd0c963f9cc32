//! Households and client groups (004's co-owners): staff group profiles, see everyone
//! around them on one page, and "Invite all owners" — every primary contact with no login
//! and no live invitation — with a per-person report of who was invited and who was
//! skipped, and why.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::records::{ContactCard, RoundLine};
#[cfg(feature = "ssr")]
use {
    crate::domain::numbers::{count_of, id_list},
    crate::domain::{MemberSort, PersonName},
    crate::error::FormErrors,
    crate::records::MemberListQuery,
    crate::request::{redirect_with_notice, require_staff, respond},
    crate::secrets::new_nonce,
    crate::service::members::contact_cards,
    crate::service::rounds::{Planned, Round, check_request_key, plan, send},
    crate::store::member_list::{self, ListQuery},
    crate::store::{groups, members},
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
            let rows = groups::list_groups(state.db.as_ref(), &scope).await?;
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
            let id = groups::create_group(state.db.as_ref(), &scope, name.as_str(), state.clock.now()).await?;
            redirect_with_notice(
                &state,
                &format!("/staff/groups/{id}"),
                &format!("Group “{}” created.", name.as_str()),
            );
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
            let added = groups::add_to_group(db, &scope, group_id, member_id, state.clock.now()).await?;
            if !added {
                members::member(db, &scope, member_id).await?.ok_or(AppError::NotFound)?;
                return Err(AppError::Conflict("This member is in that group already, or the group is gone.".into()));
            }
            redirect_with_notice(&state, &format!("/staff/members/{member_id}"), "Added to the group.");
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
            let removed = groups::remove_from_group(state.db.as_ref(), &scope, group_id, member_id).await?;
            if !removed {
                return Err(AppError::NotFound);
            }
            redirect_with_notice(&state, &format!("/staff/groups/{group_id}"), "Removed from the group.");
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
    /// Before sending: what a round would do (the dry run).
    pub plan: Option<Vec<RoundLine>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupProfile {
    pub member_id: i64,
    pub name: String,
    pub contacts: Vec<ContactCard>,
}

#[server(endpoint = "group_details")]
pub async fn group_details(group_id: i64, #[server(default)] plan: bool) -> Result<GroupView, AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let db = state.db.as_ref();
            let now = state.clock.now();
            let group = groups::group(db, &scope, group_id).await?.ok_or(AppError::NotFound)?;
            let mut profiles = Vec::new();
            for member in groups::group_members(db, &scope, group_id).await? {
                let contacts = contact_cards(db, &scope, member.member_id, now).await?;
                let name = format!("{} {}", member.first_name, member.last_name);
                profiles.push(GroupProfile { member_id: member.member_id, name, contacts });
            }
            let plan = match plan {
                true => Some(owners_plan(&state, &scope, group_id).await?.iter().map(Planned::line).collect()),
                false => None,
            };
            Ok(GroupView { id: group.id, name: group.name, members: profiles, request_key: new_nonce(), plan })
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
    #[server(default)] confirmed_count: String,
) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            check_request_key(&request_key)?;
            let group = groups::group(state.db.as_ref(), &scope, group_id).await?.ok_or(AppError::NotFound)?;
            let description = format!("Owners of {}", group.name);
            let round = Round {
                request_key: &request_key,
                group_id: Some(group_id),
                template_id,
                description,
                confirmed_count: &confirmed_count,
            };
            let id = send(&state, &scope, round, || owners_plan(&state, &scope, group_id)).await?;
            leptos_axum::redirect(&format!("/staff/bulk-sends/{id}"));
            Ok(())
        }
        .await,
    )
}

/// What "Invite all owners" would do now for everyone around the group's profiles.
#[cfg(feature = "ssr")]
async fn owners_plan(
    state: &crate::ports::AppState,
    scope: &crate::store::scope::StaffScope,
    group_id: i64,
) -> Result<Vec<Planned>, AppError> {
    let ids: Vec<i64> =
        groups::group_members(state.db.as_ref(), scope, group_id).await?.into_iter().map(|m| m.member_id).collect();
    plan(state, scope, &ids, false).await
}

/// A profile that may be added to a group: the member, and their own e-mail to tell alike
/// names apart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileChoice {
    pub member_id: i64,
    pub name: String,
    pub email: Option<String>,
}

/// Profiles found by name or e-mail that are not in the group yet (the group page's
/// "Add profiles"), at most `PROFILES_FOUND`.
#[server(endpoint = "profiles_to_add")]
pub async fn profiles_to_add(group_id: i64, #[server(default)] q: String) -> Result<Vec<ProfileChoice>, AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let db = state.db.as_ref();
            groups::group(db, &scope, group_id).await?.ok_or(AppError::NotFound)?;
            let search = MemberListQuery::parse(&q, "", "", None)?.q;
            if search.trim().is_empty() {
                return Ok(Vec::new());
            }
            let in_group: Vec<i64> =
                groups::group_members(db, &scope, group_id).await?.iter().map(|m| m.member_id).collect();
            let query = ListQuery { search, status: None, sort: MemberSort::Name, after: None, not_registered: false };
            let limit = PROFILES_FOUND + in_group.len() as i64;
            let found = member_list::page(db, &scope, &query, limit, state.clock.now()).await?;
            Ok(found
                .into_iter()
                .filter(|m| !in_group.contains(&m.id))
                .take(PROFILES_FOUND as usize)
                .map(|m| ProfileChoice {
                    member_id: m.id,
                    name: format!("{} {}", m.first_name, m.last_name),
                    email: m.email,
                })
                .collect())
        }
        .await,
    )
}

/// How many profiles a search on the group page offers at once.
pub const PROFILES_FOUND: i64 = 20;

/// The members ticked on the member list, by name, for "Add selected to a group".
#[server(endpoint = "profiles_named")]
pub async fn profiles_named(#[server(default)] members: String) -> Result<Vec<ProfileChoice>, AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let ids = ticked(&members, NOTHING_TICKED_TO_ADD)?;
            let found = groups::profiles(state.db.as_ref(), &scope, &ids).await?;
            Ok(found
                .into_iter()
                .map(|m| ProfileChoice {
                    member_id: m.member_id,
                    name: format!("{} {}", m.first_name, m.last_name),
                    email: None,
                })
                .collect())
        }
        .await,
    )
}

/// The refusal of "Add selected to a group" with no member ticked.
pub const NOTHING_TICKED_TO_ADD: &str = "No member is ticked. Tick the members to add to a group.";

/// Adds profiles to a group — one found on the group page, or those ticked on the list
/// (`members`: ids separated by commas) — and shows the group.
#[server(endpoint = "add_profiles_to_group")]
pub async fn add_profiles_to_group(group_id: i64, #[server(default)] members: String) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let ids = ticked(&members, "Choose at least one member to add.")?;
            let db = state.db.as_ref();
            let group = groups::group(db, &scope, group_id).await?.ok_or(AppError::NotFound)?;
            let added = groups::add_profiles_to_group(db, &scope, group_id, &ids, state.clock.now()).await?;
            if added == 0 {
                return Err(AppError::Conflict(format!(
                    "Nothing was added: they are in “{}” already, or not members you can see.",
                    group.name
                )));
            }
            let notice = format!("{} added to “{}”.", count_of(added as i64, "profile", "profiles"), group.name);
            redirect_with_notice(&state, &format!("/staff/groups/{group_id}"), &notice);
            Ok(())
        }
        .await,
    )
}

/// The member numbers of a selection; none is refused with `nothing`.
#[cfg(feature = "ssr")]
fn ticked(members: &str, nothing: &str) -> Result<Vec<i64>, AppError> {
    let ids = id_list(members).map_err(|message| AppError::invalid("members", message))?;
    if ids.is_empty() {
        return Err(AppError::invalid("members", nothing));
    }
    Ok(ids)
}
