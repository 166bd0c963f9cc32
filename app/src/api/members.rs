use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::records::LinkedLogin;
#[cfg(feature = "ssr")]
use {
    crate::domain::{Email, InvitationState, PersonName, Phone, PostalAddress},
    crate::error::FormErrors,
    crate::request::{internal, redirect_with_notice, require_staff, respond},
    crate::store::{invitations, members},
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
            let id =
                members::insert_member(state.db.as_ref(), &scope, &new, state.clock.now()).await.map_err(internal)?;
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
            let updated = members::update_member(state.db.as_ref(), &scope, member_id, &changed, primary, now)
                .await
                .map_err(internal)?;
            if !updated {
                return Err(AppError::NotFound);
            }
            redirect_with_notice(&state, &format!("/staff/members/{member_id}"), "Changes saved.");
            Ok(())
        }
        .await,
    )
}

/// The member form's fields (adding and editing share them), each with its own message.
#[cfg(feature = "ssr")]
fn member_fields(
    first_name: &str,
    last_name: &str,
    email: &str,
    phone: &str,
    address: &str,
) -> Result<members::NewMember, AppError> {
    let mut form = FormErrors::default();
    let first = form.check("first_name", first_name, PersonName::parse(first_name));
    let last = form.check("last_name", last_name, PersonName::parse(last_name));
    let email_parsed = if email.trim().is_empty() { Ok(None) } else { Email::parse(email).map(Some) };
    let email_opt = form.check("email", email, email_parsed);
    let phone_opt = form.check("phone", phone, Phone::parse(phone));
    let address_opt = form.check("address", address, PostalAddress::parse(address));
    form.finish(|| {
        Some(members::NewMember {
            first_name: first?,
            last_name: last?,
            email: email_opt?,
            phone: phone_opt?,
            address: address_opt?,
        })
    })
}

/// The invitation part of a contact's card, worded on the server against its clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationSummary {
    pub headline: String,
    pub email: String,
    pub message: Option<String>,
    pub is_pending: bool,
    /// "Link expires on …", while it is pending.
    pub expiry: Option<String>,
    /// "E-mail delivered", "Could not be delivered: …"
    pub delivery: Option<String>,
    pub delivery_failed: bool,
    /// Declined: by whom, and why ("Declined from the invitation page."). Staff then see
    /// "Reinvite" instead of "Invite".
    pub declined: Option<String>,
    /// Sent again after the person had declined.
    pub reinvite: bool,
    /// Made by "Re-enable invite link" for staff to pass on by hand: never e-mailed.
    pub handed_out: bool,
    /// Revoked because the contact's e-mail changed: staff are offered a new invitation to
    /// the new address.
    pub revoked_for_new_email: bool,
}

/// One person around a profile, with their own portal access.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactCard {
    pub id: i64,
    /// The member themself (else a representative).
    pub is_self: bool,
    pub first_name: String,
    pub last_name: String,
    pub relation: Option<String>,
    pub email: Option<String>,
    pub is_primary: bool,
    pub login: Option<LinkedLogin>,
    /// The latest invitation, while no login is linked.
    pub invitation: Option<InvitationSummary>,
    /// Why no login is linked by e-mail (000's troubleshooting): one waits in Link
    /// requests, one exists unlinked, or none uses this exact address.
    pub not_linked_because: Option<String>,
    /// The link "Re-enable invite link" just made, shown this once (from the sealed cookie
    /// `reenabled_link` reads).
    pub new_link: Option<String>,
}

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
            let record = members::member(db, &scope, member_id).await.map_err(internal)?.ok_or(AppError::NotFound)?;
            let organisation = crate::store::organisations::organisation(db, scope.organisation_id)
                .await
                .map_err(internal)?
                .ok_or(AppError::NotFound)?;
            let reasons = crate::store::linking::unlinked_reasons(db, member_id).await.map_err(internal)?;
            let mut contacts = contact_cards(db, &scope, member_id, state.clock.now()).await?;
            for card in &mut contacts {
                card.not_linked_because = reasons.iter().find(|r| r.contact_id == card.id).and_then(|r| {
                    if r.waiting_request == 1 {
                        Some("A login with this e-mail asked to be linked: approve or reject it in Link requests.".into())
                    } else if r.login_exists == 1 {
                        Some("A login with this e-mail exists but is not linked to this profile: invite them, and they sign in to accept.".into())
                    } else if organisation.self_sign_up == 1 {
                        Some("No login uses this e-mail address. A sign-up is linked only when its e-mail is exactly this one: if they signed up with another, correct it here or invite them.".into())
                    } else {
                        None
                    }
                });
            }
            if let Some((contact_id, link)) = super::logins::reenabled_link(&state).await? {
                if let Some(card) = contacts.iter_mut().find(|card| card.id == contact_id) {
                    card.new_link = Some(link);
                }
            }
            let groups = crate::store::groups::groups_around_member(db, &scope, member_id)
                .await
                .map_err(internal)?
                .into_iter()
                .map(|g| GroupChoice { id: g.id, name: g.name, member_of: g.member_of == 1 })
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
                invite_at_once: organisation.invite_at_once == 1,
                timeline: crate::store::events::member_timeline(db, member_id, &scope.zone).await.map_err(internal)?,
                may_administer_logins: scope.role.administers_logins(),
                staff_access: if scope.role.manages_organisation() {
                    crate::store::team::limited_staff_around(db, scope.organisation_id, member_id)
                        .await
                        .map_err(internal)?
                        .into_iter()
                        .map(|s| StaffAccess {
                            user_id: s.user_id,
                            name: s.name,
                            given: s.given == 1,
                            through_group: s.through_group == 1,
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

/// The member's contacts as their cards show them: the member themself first.
#[cfg(feature = "ssr")]
pub(crate) async fn contact_cards(
    db: &dyn crate::store::Db,
    scope: &members::StaffScope,
    member_id: i64,
    now: i64,
) -> Result<Vec<ContactCard>, AppError> {
    let rows = members::contacts_of(db, scope, member_id).await.map_err(internal)?;
    let mut cards = Vec::with_capacity(rows.len());
    for row in rows {
        cards.push(contact_card(db, row, now, &scope.zone).await?);
    }
    Ok(cards)
}

#[cfg(feature = "ssr")]
async fn contact_card(
    db: &dyn crate::store::Db,
    row: members::ContactRow,
    now: i64,
    zone: &crate::domain::dates::Zone,
) -> Result<ContactCard, AppError> {
    let login = row.login(zone);
    let invitation = match (row.latest_invitation(), row.invitation_id) {
        (Some(facts), Some(invitation_id)) if login.is_none() => {
            let delivery = invitations::delivery(db, invitation_id).await.map_err(internal)?;
            let state = facts.state(now);
            let is_pending = state == InvitationState::Pending;
            let declined = (state == InvitationState::Declined).then(|| {
                match (row.inv_declined_by_staff == Some(1), &row.inv_decline_reason) {
                    (false, _) => "Declined from the invitation page.".to_owned(),
                    (true, Some(reason)) => format!("Recorded by staff. Reason: {reason}"),
                    (true, None) => "Recorded by staff.".to_owned(),
                }
            });
            Some(InvitationSummary {
                headline: facts.headline(now, zone),
                email: row.invitation_email.clone().unwrap_or_default(),
                message: row.invitation_message.clone(),
                is_pending,
                expiry: is_pending.then(|| format!("Link expires on {}", zone.date_time(facts.expires_at))),
                delivery_failed: delivery.as_ref().is_some_and(|d| d.status == "dead"),
                handed_out: delivery.is_none(),
                delivery: Some(match delivery {
                    Some(d) => match d.status.as_str() {
                        "sent" => format!("E-mail delivered on {}", zone.date_time(d.sent_at.unwrap_or(now))),
                        "dead" => d.last_error.unwrap_or_else(|| "Could not be delivered.".into()),
                        // Waiting is normal: nothing here should sound like a failure.
                        "sending" => "E-mail being sent.".into(),
                        _ if d.attempts > 0 => {
                            "E-mail on its way: the e-mail service asked us to wait, and it is sent again by itself."
                                .into()
                        }
                        _ => "E-mail waiting to be sent.".into(),
                    },
                    // Only "Re-enable invite link" makes an invitation without its e-mail.
                    None => "Not e-mailed: a link made for staff to pass on by hand.".into(),
                }),
                declined,
                reinvite: row.inv_reinvite == Some(1),
                revoked_for_new_email: state == InvitationState::Revoked
                    && row.inv_revoked_because.as_deref() == Some("email_changed"),
            })
        }
        _ => None,
    };
    Ok(ContactCard {
        id: row.id,
        is_self: row.is_self == 1,
        first_name: row.first_name,
        last_name: row.last_name,
        relation: row.relation,
        email: row.email,
        is_primary: row.is_primary == 1,
        login,
        invitation,
        not_linked_because: None,
        new_link: None,
    })
}
