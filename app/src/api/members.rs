use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    crate::request::{redirect_with_notice, require_staff, respond},
    crate::service::members::{contact_cards, member_fields},
    crate::store::members,
};

#[server(endpoint = "add_member")]
pub async fn add_member(
    first_name: String,
    last_name: String,
    email: String,
    phone: String,
    address: String,
) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let new = member_fields(&first_name, &last_name, &email, &phone, &address)?;
            let id = members::insert_member(state.db.as_ref(), &scope, &new, None, state.clock.now()).await?;
            let notice = format!("{} {} added.", first_name.trim(), last_name.trim());
            redirect_with_notice(&state, &format!("/staff/members/{id}"), &notice);
            Ok(())
        }
        .await,
    )
}

/// Changes a member's details. A new e-mail revokes the pending invitation, which went to
/// the old one; the profile then offers to send a new one to the new address.
#[server(endpoint = "update_member")]
pub async fn update_member(
    member_id: i64,
    first_name: String,
    last_name: String,
    email: String,
    phone: String,
    address: String,
    #[server(default)] primary: bool,
) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let changed = member_fields(&first_name, &last_name, &email, &phone, &address)?;
            let now = state.clock.now();
            let updated = members::update_member(state.db.as_ref(), &scope, member_id, &changed, primary, now).await?;
            if !updated {
                return Err(AppError::NotFound);
            }
            redirect_with_notice(&state, &format!("/staff/members/{member_id}"), "Changes saved.");
            Ok(())
        }
        .await,
    )
}

/// Archives a member (asked first on the profile): they leave the member list, the portal
/// and every round, and their invitation links stop working.
#[server(endpoint = "archive_member")]
pub async fn archive_member(member_id: i64) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let member = members::member(state.db.as_ref(), &scope, member_id).await?.ok_or(AppError::NotFound)?;
            let now = state.clock.now();
            if !members::archive_member(state.db.as_ref(), &scope, member_id, None, now).await? {
                return Err(AppError::NotFound);
            }
            let notice = format!("{} {} archived.", member.first_name, member.last_name);
            redirect_with_notice(&state, "/staff/members", &notice);
            Ok(())
        }
        .await,
    )
}

/// An archived member on the archived members' page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArchivedMember {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    /// The day, in the organisation's time zone.
    pub archived_on: String,
}

/// The members archived that this staff login may see, the latest first.
#[server(endpoint = "archived_members")]
pub async fn archived_members() -> Result<Vec<ArchivedMember>, AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let rows = members::archived_members(state.db.as_ref(), &scope).await?;
            Ok(rows
                .into_iter()
                .map(|row| ArchivedMember {
                    id: row.id,
                    name: format!("{} {}", row.first_name, row.last_name),
                    email: row.email,
                    archived_on: scope.zone.date(row.archived_at),
                })
                .collect())
        }
        .await,
    )
}

/// Brings an archived member back as they were: the profile, with "… restored."
#[server(endpoint = "restore_member")]
pub async fn restore_member(member_id: i64) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let now = state.clock.now();
            if !members::restore_member(state.db.as_ref(), &scope, member_id, None, now).await? {
                return Err(AppError::NotFound);
            }
            let member = members::member(state.db.as_ref(), &scope, member_id).await?.ok_or(AppError::NotFound)?;
            let notice = format!("{} {} restored.", member.first_name, member.last_name);
            redirect_with_notice(&state, &format!("/staff/members/{member_id}"), &notice);
            Ok(())
        }
        .await,
    )
}

pub use crate::records::{ContactCard, InvitationSummary};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberDetails {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    /// The member themself first, then representatives.
    pub contacts: Vec<ContactCard>,
    pub groups: Vec<GroupChoice>,
    pub validity_days: i64,
    /// The add-representative form's "Send the portal invitation now" starts ticked.
    pub invite_at_once: bool,
    /// Who invited, resent, revoked, and what became of it: newest first.
    pub timeline: Vec<crate::domain::timeline::TimelineEntry>,
    /// The signed-in staff may administer logins (change a login's e-mail).
    pub may_administer_logins: bool,
    /// For owners and administrators: the staff limited to what they are given, and whether
    /// they see this member (empty for anyone else).
    pub staff_access: Vec<StaffAccess>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffAccess {
    pub user_id: i64,
    pub name: String,
    /// Given this member directly (can be taken back here).
    pub given: bool,
    /// Sees them through a group they were given.
    pub through_group: bool,
}

impl ContactCard {
    /// Their portal state in a few words: "Not invited yet", "Invitation sent just now",
    /// "Declined on …", "Active, last login …".
    pub fn state_line(&self) -> String {
        match (&self.login, &self.invitation) {
            (Some(login), _) => {
                format!("Active, last login {}", login.last_login.clone().unwrap_or_else(|| "not yet".to_owned()))
            }
            (None, Some(invitation)) => invitation.headline.clone(),
            (None, None) => "Not invited yet".to_owned(),
        }
    }
}

/// A group on a member's profile: one they are in, or one they may be added to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupChoice {
    pub id: i64,
    pub name: String,
    pub member_of: bool,
}

impl MemberDetails {
    pub fn contact(&self, contact_id: i64) -> Option<&ContactCard> {
        self.contacts.iter().find(|c| c.id == contact_id)
    }
}

#[server(endpoint = "member_profile")]
pub async fn member_profile(member_id: i64) -> Result<MemberDetails, AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let db = state.db.as_ref();
            let record = members::member(db, &scope, member_id).await?.ok_or(AppError::NotFound)?;
            let organisation = crate::store::organisations::organisation(db, scope.organisation_id)
                .await
                ?
                .ok_or(AppError::NotFound)?;
            let reasons = crate::store::linking::unlinked_reasons(db, member_id).await?;
            let mut contacts = contact_cards(db, &scope, member_id, state.clock.now()).await?;
            for card in &mut contacts {
                card.not_linked_because = reasons.iter().find(|r| r.contact_id == card.id).and_then(|r| {
                    if r.waiting_request {
                        Some("A login with this e-mail asked to be linked: approve or reject it in Link requests.".into())
                    } else if r.login_exists {
                        Some("A login with this e-mail exists but is not linked to this profile: invite them, and they sign in to accept.".into())
                    } else if organisation.self_sign_up {
                        Some("No login uses this e-mail address. A sign-up is linked only when its e-mail is exactly this one: if they signed up with another, correct it here or invite them.".into())
                    } else {
                        None
                    }
                });
            }
            if let Some((contact_id, link)) = crate::request::new_link::take(&state).await? {
                if let Some(card) = contacts.iter_mut().find(|card| card.id == contact_id) {
                    card.new_link = Some(link);
                }
            }
            let groups = crate::store::groups::groups_around_member(db, &scope, member_id)
                .await
                ?
                .into_iter()
                .map(|g| GroupChoice { id: g.id, name: g.name, member_of: g.member_of })
                .collect();
            Ok(MemberDetails {
                id: record.id,
                first_name: record.first_name,
                last_name: record.last_name,
                email: record.email,
                phone: record.phone,
                address: record.address,
                contacts,
                groups,
                validity_days: organisation.invitation_validity_days,
                invite_at_once: organisation.invite_at_once,
                timeline: crate::store::events::member_timeline(db, member_id, &scope.zone).await?,
                may_administer_logins: scope.role.administers_logins(),
                staff_access: if scope.role.manages_organisation() {
                    crate::store::team::limited_staff_around(db, scope.organisation_id, member_id)
                        .await
                        ?
                        .into_iter()
                        .map(|s| StaffAccess {
                            user_id: s.user_id,
                            name: s.name,
                            given: s.given,
                            through_group: s.through_group,
                        })
                        .collect()
                } else {
                    Vec::new()
                },
            })
        }
        .await,
    )
}
