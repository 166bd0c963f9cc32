//! Representatives on a profile (a parent, a guardian, a bookkeeper): added, changed and
//! removed by staff, each invited on their own.

use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    crate::domain::{Email, PersonName, Relation},
    crate::error::{FieldError, FormErrors, InvalidForm},
    crate::ports::AppState,
    crate::request::{redirect_with_notice, require_staff, respond},
    crate::service::invitations::{Wording, invite, visible_contact},
    crate::store::contacts::{self, NewContact, Removal},
    crate::store::scope::StaffScope,
};

/// Adds a representative; with "Send the portal invitation now" ticked, they are invited
/// to the e-mail given at once (004: a guest added to an account is invited automatically).
/// An e-mail already on another profile asks first whether this is the same person
/// (`same_person`: "yes" or "no"): one person has one login for all their profiles, so a
/// login of theirs reaches this one at once, and accepting one invitation opens them all.
#[server(endpoint = "add_contact")]
pub async fn add_contact(
    member_id: i64,
    first_name: String,
    last_name: String,
    relation: String,
    email: String,
    #[server(default)] primary: bool,
    #[server(default)] send_now: bool,
    #[server(default)] same_person: String,
) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let mut new = contact_fields(&first_name, &last_name, &relation, &email, primary, send_now)?;
            let db = state.db.as_ref();
            let elsewhere = match &new.email {
                Some(email) => contacts::same_email_elsewhere(db, &scope, member_id, email).await?,
                None => None,
            };
            if let Some(person) = &elsewhere {
                match same_person.as_str() {
                    "yes" => new.same_as = Some(person.person_id),
                    "no" => {}
                    _ => {
                        return Err(same_person_question(
                            person,
                            &[
                                ("first_name", &first_name),
                                ("last_name", &last_name),
                                ("relation", &relation),
                                ("email", &email),
                                ("primary", if primary { "true" } else { "" }),
                                ("send_now", if send_now { "true" } else { "" }),
                            ],
                        ));
                    }
                }
            }
            let added = contacts::add_contact(db, &scope, member_id, &new, state.clock.now())
                .await?
                .ok_or(AppError::NotFound)?;
            let name = format!("{} {}", new.first_name.as_str(), new.last_name.as_str());
            let notice = match (added.linked, send_now) {
                (true, _) => format!(
                    "{name} added: the same person as on {}'s profile, they see this profile with their login now.",
                    elsewhere.map(|p| p.member_name).unwrap_or_default()
                ),
                (false, true) => {
                    invite_new_contact(&state, &scope, added.contact_id, &new).await?;
                    format!("{name} added, and invited.")
                }
                (false, false) => format!("{name} added."),
            };
            redirect_with_notice(&state, &format!("/staff/members/{member_id}"), &notice);
            Ok(())
        }
        .await,
    )
}

/// The add form back with its question: is this the person already on another profile?
/// Everything typed is kept.
#[cfg(feature = "ssr")]
fn same_person_question(person: &contacts::SamePerson, typed: &[(&str, &str)]) -> AppError {
    let message = format!(
        "{} has this e-mail address on {}'s profile. Is this the same person? Choose below.",
        person.name, person.member_name
    );
    AppError::Invalid(InvalidForm {
        errors: vec![FieldError { field: "same_person".into(), message }],
        values: typed.iter().map(|(field, value)| ((*field).to_owned(), (*value).to_owned())).collect(),
    })
}

#[cfg(feature = "ssr")]
async fn invite_new_contact(
    state: &AppState,
    scope: &StaffScope,
    contact_id: i64,
    new: &NewContact,
) -> Result<(), AppError> {
    let to = new.email.as_ref().ok_or(AppError::Internal)?;
    let contact = visible_contact(state, scope, contact_id).await?;
    invite(state, scope, &contact, to, &Wording::default()).await
}

/// Changes a representative. A new e-mail revokes their pending invitation, which went to
/// the old one; the profile then offers a new one to the new address.
#[server(endpoint = "update_contact")]
pub async fn update_contact(
    contact_id: i64,
    first_name: String,
    last_name: String,
    relation: String,
    email: String,
    #[server(default)] primary: bool,
) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let changed = contact_fields(&first_name, &last_name, &relation, &email, primary, false)?;
            let contact = visible_contact(&state, &scope, contact_id).await?;
            if contact.is_self {
                return Err(AppError::Conflict("Change the member's own details with \"Edit details\".".into()));
            }
            let updated =
                contacts::update_contact(state.db.as_ref(), &scope, contact_id, &changed, state.clock.now()).await?;
            if !updated {
                return Err(AppError::NotFound);
            }
            redirect_with_notice(&state, &format!("/staff/members/{}", contact.member_id), "Changes saved.");
            Ok(())
        }
        .await,
    )
}

/// Removes a representative from the profile; their pending invitation stops working. One
/// with a login is unlinked first.
#[server(endpoint = "remove_contact")]
pub async fn remove_contact(contact_id: i64) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let contact = visible_contact(&state, &scope, contact_id).await?;
            if contact.is_self {
                return Err(AppError::Conflict("The member themself cannot be removed from their profile.".into()));
            }
            match contacts::remove_contact(state.db.as_ref(), &scope, contact_id, state.clock.now()).await? {
                Removal::Removed => {
                    let notice = format!("{} removed from this profile.", contact.full_name());
                    redirect_with_notice(&state, &format!("/staff/members/{}", contact.member_id), &notice);
                    Ok(())
                }
                Removal::HasLogin => Err(AppError::Conflict(format!(
                    "{} has a portal login. Unlink it first, then remove them.",
                    contact.first_name
                ))),
                Removal::NotFound => Err(AppError::NotFound),
            }
        }
        .await,
    )
}

/// The contact form's fields, each with its own message. Inviting at once needs an e-mail.
#[cfg(feature = "ssr")]
fn contact_fields(
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
