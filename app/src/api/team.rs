//! The team: owners and administrators invite staff by e-mail, set their roles and what they
//! see; the invited person sets up their login from the link (or proves the one they have).
//! No one grants a role above their own, nor changes someone above them; the last owner
//! stays (each refused here with words, and again in the store's guards).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::Role;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    crate::domain::dates::DAY,
    crate::domain::{Email, PersonName},
    crate::error::FormErrors,
    crate::mail::queue::queued_email,
    crate::mail::render::staff_invitation_email,
    crate::ports::AppState,
    crate::request::{redirect_with_notice, require_role, respond},
    crate::secrets::{new_invite_token, staff_invitation_token_hash},
    crate::store::scope::StaffScope,
    crate::store::team::{self, Granted, NewStaffInvitation},
    crate::store::{groups, members, organisations},
};

/// How long a staff invitation's link works.
pub const STAFF_INVITATION_DAYS: i64 = 7;

/// The team page: who is on it, who is invited, and what the signed-in login may change.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TeamView {
    pub my_user_id: i64,
    pub members: Vec<TeamMemberView>,
    pub invitations: Vec<StaffInvitationView>,
    /// The roles the signed-in login may give, highest first.
    pub assignable: Vec<Role>,
    /// The organisation's groups, to give limited staff.
    pub groups: Vec<(i64, String)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TeamMemberView {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub sees_all: bool,
    /// What a limited login was given, by name.
    pub grants: Vec<GrantView>,
    /// When, in the organisation's time zone.
    pub last_login: Option<String>,
    /// The signed-in login may change this one (not above it).
    pub may_change: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GrantView {
    pub name: String,
    pub group_id: i64,
    pub member_id: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StaffInvitationView {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub sent_on: String,
    /// "Link works until …" or "Expired on …".
    pub expiry: String,
    pub may_revoke: bool,
    /// "every member", "only the members of the group “Juniors”", …
    pub sees: String,
}

#[server(endpoint = "team_overview")]
pub async fn team_overview() -> Result<TeamView, AppError> {
    respond(
        async move {
            let (state, scope) = require_role(Role::manages_organisation).await?;
            let db = state.db.as_ref();
            let now = state.clock.now();
            let grants = team::grants(db, scope.organisation_id).await?;
            let members = team::team(db, scope.organisation_id)
                .await?
                .into_iter()
                .map(|m| TeamMemberView {
                    grants: grants
                        .iter()
                        .filter(|g| g.user_id == m.user_id)
                        .map(|g| GrantView {
                            name: g.name.clone(),
                            group_id: g.group_id.unwrap_or(0),
                            member_id: g.member_id.unwrap_or(0),
                        })
                        .collect(),
                    may_change: scope.role.may_assign(Some(m.role), m.role),
                    user_id: m.user_id,
                    name: m.name,
                    email: m.email,
                    role: m.role,
                    sees_all: m.all_members,
                    last_login: m.last_login_at.map(|at| scope.zone.date_time(at)),
                })
                .collect();
            let invitations = team::open_invitations(db, scope.organisation_id)
                .await?
                .into_iter()
                .map(|i| StaffInvitationView {
                    id: i.id,
                    name: i.name,
                    email: i.email,
                    role: i.role,
                    sent_on: scope.zone.date(i.created_at),
                    expiry: if i.expires_at > now {
                        format!("Link works until {}", scope.zone.date_time(i.expires_at))
                    } else {
                        format!("Expired on {}; invite again to send a new link", scope.zone.date_time(i.expires_at))
                    },
                    may_revoke: scope.role.may_assign(None, i.role),
                    sees: i.role.sees(i.all_members, i.group_name.as_deref()),
                })
                .collect();
            let groups = groups::list_groups(db, &scope).await?.into_iter().map(|g| (g.id, g.name)).collect();
            let assignable = Role::ALL.into_iter().filter(|role| scope.role.may_assign(None, *role)).collect();
            Ok(TeamView { my_user_id: scope.user_id, members, invitations, assignable, groups })
        }
        .await,
    )
}

/// E-mails a link to join the team in `role` (its own token kind; any earlier open link to
/// the address dies).
#[server(endpoint = "invite_staff")]
pub async fn invite_staff(
    name: String,
    email: String,
    role: String,
    /// "all", "given" (the default: only what they are given, nothing yet) or "group-<id>".
    #[server(default)]
    sees: String,
) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_role(Role::manages_organisation).await?;
            let db = state.db.as_ref();
            let mut form = FormErrors::default();
            let who = form.check("name", &name, PersonName::parse(&name));
            let to = form.check("email", &email, Email::parse(&email));
            let role_checked = Role::parse(&role).and_then(|role| {
                if scope.role.may_assign(None, role) { Ok(role) } else { Err("You cannot give a role above your own.") }
            });
            let role = form.check("role", &role, role_checked);
            let group = match sees.strip_prefix("group-").and_then(|id| id.parse::<i64>().ok()) {
                Some(id) => groups::group(db, &scope, id).await?,
                None => None,
            };
            let chosen = match sees.as_str() {
                "" | "given" => Ok((false, None)),
                "all" => Ok((true, None)),
                _ => group.map(|g| (false, Some((g.id, g.name)))).ok_or("Choose one of the ways listed."),
            };
            let chosen = form.check("sees", &sees, chosen);
            let (who, to, role, (all_members, group)) = form.finish(|| Some((who?, to?, role?, chosen?)))?;
            // Those who manage the organisation see every member whatever was chosen.
            let all_members = all_members || role.manages_organisation();
            let group = group.filter(|_| !all_members);
            let team = team::team(db, scope.organisation_id).await?;
            if team.iter().any(|m| m.email == to.as_str()) {
                return Err(AppError::invalid("email", "This address is on the team already."));
            }
            let now = state.clock.now();
            let open = team::open_invitations(db, scope.organisation_id).await?;
            let open_above_me = |i: &team::OpenStaffInvitation| {
                i.email == to.as_str() && i.expires_at > now && !scope.role.may_assign(None, i.role)
            };
            if open.iter().any(open_above_me) {
                return Err(AppError::Conflict(
                    "An invitation to be an owner is open for this address: only an owner can replace it.".into(),
                ));
            }
            let inviter = team.iter().find(|m| m.user_id == scope.user_id).map_or("", shown);
            let organisation =
                organisations::organisation(db, scope.organisation_id).await?.ok_or(AppError::NotFound)?;
            let rendered = staff_invitation_email(&organisation.name, who.as_str(), role.label(), inviter);
            let token = new_invite_token();
            let token_hash = staff_invitation_token_hash(&token);
            let mail = queued_email(&state, &organisation, rendered, &token);
            let sees = role.sees(all_members, group.as_ref().map(|(_, name)| name.as_str()));
            let detail =
                format!("Invited {} ({}) to the team as {} (to see {sees})", who.as_str(), to.as_str(), role.label());
            let new = NewStaffInvitation {
                email: to.as_str(),
                name: who.as_str(),
                role,
                token_hash: &token_hash,
                expires_at: now + STAFF_INVITATION_DAYS * DAY,
                all_members,
                group_id: group.map(|(id, _)| id),
                detail: &detail,
            };
            if !team::create_invitation(db, &scope, &new, &mail, now).await? {
                return Err(AppError::NotFound);
            }
            (state.wake_outbox)();
            redirect_with_notice(&state, "/staff/team", &format!("Invitation sent to {}.", to.as_str()));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "revoke_staff_invitation")]
pub async fn revoke_staff_invitation(invitation_id: i64) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_role(Role::manages_organisation).await?;
            let db = state.db.as_ref();
            let invitation = team::open_invitations(db, scope.organisation_id)
                .await?
                .into_iter()
                .find(|i| i.id == invitation_id)
                .ok_or(AppError::NotFound)?;
            if !scope.role.may_assign(None, invitation.role) {
                return Err(AppError::Conflict("Only an owner can withdraw an invitation to be an owner.".into()));
            }
            let detail = format!("Withdrew the team invitation to {} ({})", invitation.name, invitation.email);
            let changed = team::revoke_invitation(db, &scope, invitation_id, &detail, state.clock.now()).await?;
            back_to_team(&state, changed, &detail)
        }
        .await,
    )
}

/// One of the team, when the signed-in login is not below them (else refused saying so),
/// with the number of owners.
#[cfg(feature = "ssr")]
async fn not_above(
    state: &AppState,
    scope: &StaffScope,
    user_id: i64,
) -> Result<(team::TeamMember, Role, usize), AppError> {
    let team = team::team(state.db.as_ref(), scope.organisation_id).await?;
    let owners = team.iter().filter(|m| m.role == Role::Owner).count();
    let member = team.into_iter().find(|m| m.user_id == user_id).ok_or(AppError::NotFound)?;
    let current = member.role;
    if current > scope.role {
        return Err(AppError::Conflict(format!("Only an owner can change {}'s access.", shown(&member))));
    }
    Ok((member, current, owners))
}

/// One of the team, as the signed-in login may change their role to `becomes` (none: take
/// them off): not above it, nor the new role, and the last owner stays.
#[cfg(feature = "ssr")]
async fn changeable(
    state: &AppState,
    scope: &StaffScope,
    user_id: i64,
    becomes: Option<Role>,
) -> Result<team::TeamMember, AppError> {
    let (member, current, owners) = not_above(state, scope, user_id).await?;
    if becomes.is_some_and(|role| role > scope.role) {
        return Err(AppError::Conflict("You cannot give a role above your own.".into()));
    }
    if current == Role::Owner && becomes != Some(Role::Owner) && owners == 1 {
        return Err(AppError::Conflict("The organisation needs an owner: make someone else an owner first.".into()));
    }
    Ok(member)
}

/// After a change to the team: back to the team page, which says what was done (`detail`,
/// as the timeline says it); or, when the store's guard refused
/// (the team changed since the checks before it), saying so.
#[cfg(feature = "ssr")]
fn back_to_team(state: &AppState, changed: bool, detail: &str) -> Result<(), AppError> {
    if !changed {
        return Err(AppError::Conflict("The team changed meanwhile. Reload the page and try again.".into()));
    }
    redirect_with_notice(state, "/staff/team", &format!("{detail}."));
    Ok(())
}

#[cfg(feature = "ssr")]
fn shown(member: &team::TeamMember) -> &str {
    if member.name.is_empty() { &member.email } else { &member.name }
}

/// Sets a team member's role, and whether they see every member (`sees` "all") or only
/// what they were given ("given").
#[server(endpoint = "update_staff")]
pub async fn update_staff(user_id: i64, role: String, sees: String) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_role(Role::manages_organisation).await?;
            let mut form = FormErrors::default();
            let role = form.check("role", &role, Role::parse(&role));
            let sees_all = form.check(
                "sees",
                &sees,
                match sees.as_str() {
                    "all" => Ok(true),
                    "given" => Ok(false),
                    _ => Err("Choose every member, or only those given."),
                },
            );
            let (role, sees_all) = form.finish(|| Some((role?, sees_all?)))?;
            // Who manages the team sees every member.
            let sees_all = sees_all || role.manages_organisation();
            let member = changeable(&state, &scope, user_id, Some(role)).await?;
            let detail = format!(
                "{} is now {}, seeing {}",
                shown(&member),
                role.label(),
                if sees_all { "every member" } else { "only the members and groups given" }
            );
            let db = state.db.as_ref();
            let changed = team::update_staff(db, &scope, user_id, role, sees_all, &detail, state.clock.now()).await?;
            back_to_team(&state, changed, &detail)
        }
        .await,
    )
}

/// Takes someone off the team; their sessions end.
#[server(endpoint = "remove_staff")]
pub async fn remove_staff(user_id: i64) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_role(Role::manages_organisation).await?;
            let member = changeable(&state, &scope, user_id, None).await?;
            let detail = format!("Took {} ({}) off the team", shown(&member), member.email);
            let changed = team::remove_staff(state.db.as_ref(), &scope, user_id, &detail, state.clock.now()).await?;
            back_to_team(&state, changed, &detail)
        }
        .await,
    )
}

/// Gives a team member a group (`group_id`) or a member (`member_id`) to see.
#[server(endpoint = "grant_access")]
pub async fn grant_access(
    user_id: i64,
    #[server(default)] group_id: i64,
    #[server(default)] member_id: i64,
) -> Result<(), AppError> {
    respond(change_access(user_id, group_id, member_id, true).await)
}

/// Takes back what `grant_access` gave.
#[server(endpoint = "withdraw_access")]
pub async fn withdraw_access(
    user_id: i64,
    #[server(default)] group_id: i64,
    #[server(default)] member_id: i64,
) -> Result<(), AppError> {
    respond(change_access(user_id, group_id, member_id, false).await)
}

#[cfg(feature = "ssr")]
async fn change_access(user_id: i64, group_id: i64, member_id: i64, give: bool) -> Result<(), AppError> {
    let (state, scope) = require_role(Role::manages_organisation).await?;
    let granted = match (group_id, member_id) {
        (0, 0) => return Err(AppError::invalid("group_id", "Choose a group.")),
        (group, 0) => Granted::Group(group),
        (0, member) => Granted::Member(member),
        _ => return Err(AppError::invalid("group_id", "Choose a group or a member, not both.")),
    };
    let (member, _, _) = not_above(&state, &scope, user_id).await?;
    let verb = if give { "Gave" } else { "Took back from" };
    // Named as the acting manager sees it: every member and group (`staff_scope`).
    let db = state.db.as_ref();
    let what = match granted {
        Granted::Group(id) => groups::group(db, &scope, id).await?.map(|g| format!("the group {}", g.name)),
        Granted::Member(id) => {
            members::member(db, &scope, id).await?.map(|m| format!("{} {}", m.first_name, m.last_name))
        }
    }
    .ok_or_else(|| AppError::Conflict("That is not a group or member of the organisation.".into()))?;
    let detail = format!("{verb} {} access to {what}", shown(&member));
    let changed = team::set_grant(db, &scope, user_id, granted, give, &detail, state.clock.now()).await?;
    if !changed {
        return Err(if give {
            AppError::Conflict("That was given already.".into())
        } else {
            AppError::Conflict("That was not given.".into())
        });
    }
    // Given from a member's profile, back to it; a group, from the team page.
    let back = match granted {
        Granted::Member(id) => format!("/staff/members/{id}"),
        Granted::Group(_) => "/staff/team".to_owned(),
    };
    redirect_with_notice(&state, &back, &format!("{detail}."));
    Ok(())
}
