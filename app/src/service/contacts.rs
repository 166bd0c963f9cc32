//! Representatives on a profile (a parent, a guardian, a bookkeeper), as the profile page and
//! the API add, change and remove them: one person has one login for all their profiles, so
//! an e-mail already on another profile is asked about, never silently taken as the same
//! person or as another one.

use crate::domain::{Email, PersonName, Relation};
use crate::error::{AppError, FormErrors};
use crate::ports::AppState;
use crate::service::invitations::{Wording, invite, visible_contact};
use crate::store::contacts::{self, NewContact, Removal, SamePerson};
use crate::store::members::ContactRow;
use crate::store::scope::StaffScope;

/// The contact form's fields, each with its own message. Inviting at once needs an e-mail.
pub fn contact_fields(
    first_name: &str,
    last_name: &str,
    relation: &str,
    email: &str,
    primary: bool,
    send_now: bool,
) -> Result<NewContact, AppError> {
    let mut form = FormErrors::default();
    let first = form.check("first_name", first_name, PersonName::parse(first_name));
    let last = form.check("last_name", last_name, PersonName::parse(last_name));
    let relation = form.check("relation", relation, Relation::parse(relation));
    let email_parsed = match email.trim() {
        "" if send_now => Err("Enter an e-mail address to send the invitation to."),
        "" => Ok(None),
        _ => Email::parse(email).map(Some),
    };
    let email = form.check("email", email, email_parsed);
    form.finish(|| {
        Some(NewContact {
            first_name: first?,
            last_name: last?,
            relation: relation?,
            email: email?,
            is_primary: primary,
            same_as: None,
        })
    })
}

/// What adding a contact did.
pub enum Adding {
    Added {
        contact_id: i64,
        /// The same person as on another profile (named): their login reaches this one now.
        linked_as_on: Option<String>,
        invited: bool,
    },
    /// Not added: the e-mail is on another profile; ask whether this is the same person.
    AskSamePerson(SamePerson),
}

/// Adds a representative to the member's profile. `same_person`: the answer to the question
/// (none: not asked yet). `send_now`: invite them to the e-mail given at once (unless they
/// are the same person as one already linked elsewhere: their login reaches this profile).
pub async fn add_representative(
    state: &AppState,
    scope: &StaffScope,
    member_id: i64,
    mut new: NewContact,
    same_person: Option<bool>,
    send_now: bool,
) -> Result<Adding, AppError> {
    let db = state.db.as_ref();
    let elsewhere = match &new.email {
        Some(email) => contacts::same_email_elsewhere(db, scope, member_id, email).await?,
        None => None,
    };
    let elsewhere = match (elsewhere, same_person) {
        (Some(person), None) => return Ok(Adding::AskSamePerson(person)),
        (Some(person), Some(true)) => {
            new.same_as = Some(person.person_id);
            Some(person)
        }
        (other, _) => other,
    };
    let added =
        contacts::add_contact(db, scope, member_id, &new, state.clock.now()).await?.ok_or(AppError::NotFound)?;
    if added.linked {
        let on = elsewhere.map(|p| p.member_name).unwrap_or_default();
        return Ok(Adding::Added { contact_id: added.contact_id, linked_as_on: Some(on), invited: false });
    }
    if send_now {
        let to = new.email.as_ref().ok_or(AppError::Internal)?;
        let contact = visible_contact(state, scope, added.contact_id).await?;
        invite(state, scope, &contact, to, &Wording::default()).await?;
    }
    Ok(Adding::Added { contact_id: added.contact_id, linked_as_on: None, invited: send_now })
}

/// Changes a representative (the member's own contact changes with the member's details).
/// A new e-mail revokes their pending invitation, which went to the old one. Answers the
/// contact as they were.
pub async fn update_representative(
    state: &AppState,
    scope: &StaffScope,
    contact_id: i64,
    changed: &NewContact,
) -> Result<ContactRow, AppError> {
    let contact = visible_contact(state, scope, contact_id).await?;
    if contact.is_self {
        return Err(AppError::Conflict("Change the member's own details with \"Edit details\".".into()));
    }
    if !contacts::update_contact(state.db.as_ref(), scope, contact_id, changed, state.clock.now()).await? {
        return Err(AppError::NotFound);
    }
    Ok(contact)
}

/// Removes a representative from the profile; their pending invitation stops working. One
/// with a login must be unlinked first. Answers the contact as they were.
pub async fn remove_representative(
    state: &AppState,
    scope: &StaffScope,
    contact_id: i64,
) -> Result<ContactRow, AppError> {
    let contact = visible_contact(state, scope, contact_id).await?;
    if contact.is_self {
        return Err(AppError::Conflict("The member themself cannot be removed from their profile.".into()));
    }
    match contacts::remove_contact(state.db.as_ref(), scope, contact_id, state.clock.now()).await? {
        Removal::Removed => Ok(contact),
        Removal::HasLogin => Err(AppError::Conflict(format!(
            "{} has a portal login. Unlink it first, then remove them.",
            contact.first_name
        ))),
        Removal::NotFound => Err(AppError::NotFound),
    }
}
