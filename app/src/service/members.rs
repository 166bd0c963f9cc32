//! A profile's people as staff see them: each contact's card, with their login or their
//! latest invitation worded against the clock (state, expiry, delivery, decline).

use crate::domain::InvitationState;
use crate::domain::delivery_report::Report;
use crate::domain::{Email, PersonName, Phone, PostalAddress};
use crate::error::AppError;
use crate::error::FormErrors;
use crate::records::{ContactCard, InvitationSummary};
use crate::store::members::NewMember;
use crate::store::{invitations, members};

/// The member's contacts as their cards show them: the member themself first.
pub async fn contact_cards(
    db: &dyn crate::store::Db,
    scope: &crate::store::scope::StaffScope,
    member_id: i64,
    now: i64,
) -> Result<Vec<ContactCard>, AppError> {
    let rows = members::contacts_of(db, scope, member_id).await?;
    let mut cards = Vec::with_capacity(rows.len());
    for row in rows {
        cards.push(contact_card(db, row, now, &scope.zone).await?);
    }
    Ok(cards)
}

async fn contact_card(
    db: &dyn crate::store::Db,
    row: members::ContactRow,
    now: i64,
    zone: &crate::domain::dates::Zone,
) -> Result<ContactCard, AppError> {
    let login = row.login(zone);
    let invitation = match (row.latest_invitation(), row.invitation_id) {
        (Some(facts), Some(invitation_id)) if login.is_none() => {
            let delivery = invitations::delivery(db, invitation_id).await?;
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
                delivery_failed: delivery
                    .as_ref()
                    .is_some_and(|d| d.status == "dead" || reported(d).is_some_and(|(report, _)| report.is_failure())),
                handed_out: delivery.is_none(),
                delivery: Some(match delivery {
                    Some(d) if let Some((report, at)) = reported(&d) => {
                        report.describe(&zone.date_time(at), d.report_detail.as_deref())
                    }
                    Some(d) => match d.status.as_str() {
                        // Taken by the e-mail service: whether it reached the mailbox is its
                        // report's to say.
                        "sent" => {
                            format!(
                                "E-mail handed to the e-mail service on {}",
                                zone.date_time(d.sent_at.unwrap_or(now))
                            )
                        }
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
        is_self: row.is_self,
        first_name: row.first_name,
        last_name: row.last_name,
        relation: row.relation,
        email: row.email,
        is_primary: row.is_primary,
        login,
        invitation,
        not_linked_because: None,
        new_link: None,
    })
}

/// The member form's fields (adding and editing share them), each with its own message.
pub fn member_fields(
    first_name: &str,
    last_name: &str,
    email: &str,
    phone: &str,
    address: &str,
) -> Result<NewMember, AppError> {
    let mut form = FormErrors::default();
    let first = form.check("first_name", first_name, PersonName::parse(first_name));
    let last = form.check("last_name", last_name, PersonName::parse(last_name));
    let email_parsed = if email.trim().is_empty() { Ok(None) } else { Email::parse(email).map(Some) };
    let email_opt = form.check("email", email, email_parsed);
    let phone_opt = form.check("phone", phone, Phone::parse(phone));
    let address_opt = form.check("address", address, PostalAddress::parse(address));
    form.finish(|| {
        Some(NewMember {
            first_name: first?,
            last_name: last?,
            email: email_opt?,
            phone: phone_opt?,
            address: address_opt?,
        })
    })
}

/// The provider's report of an invitation's e-mail, when it sent one, and when.
fn reported(delivery: &invitations::Delivery) -> Option<(Report, i64)> {
    Some((Report::from_stored(delivery.report.as_deref()?)?, delivery.reported_at?))
}
