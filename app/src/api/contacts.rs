//! Representatives on a profile (a parent, a guardian, a bookkeeper): added, changed and
//! removed by staff, each invited on their own.

use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    super::invitations::{Wording, invite, visible_contact},
    super::ssr::{internal, redirect_with_notice, require_staff, respond},
    crate::domain::{Email, PersonName, Relation},
    crate::error::FormErrors,
    crate::ports::AppState,
    crate::store::contacts::{self, NewContact, Removal},
    crate::store::members::StaffScope,
};

/// Adds a representative; with "Send the portal invitation now" ticked, they are invited
/// to the e-mail given at once (004: a guest added to an account is invited automatically).
#[server(endpoint = "add_contact")]
pub async fn add_contact(
    member_id: i64,
    first_name: String,
    last_name: String,
    relation: String,
    email: String,
    #[server(default)] primary: bool,
    #[server(default)] send_now: bool,
) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let new = contact_fields(&first_name, &last_name, &relation, &email, primary, send_now)?;
            let db = state.db.as_ref();
            let contact_id = contacts::add_contact(db, &scope, member_id, &new, state.clock.now())
                .await
                .map_err(internal)?
                .ok_or(AppError::NotFound)?;
            if send_now {
                invite_new_contact(&state, &scope, contact_id, &new).await?;
            }
            let name = format!("{} {}", new.first_name.as_str(), new.last_name.as_str());
            let notice = if send_now { format!("{name} added, and invited.") } else { format!("{name} added.") };
            redirect_with_notice(&state, &format!("/staff/members/{member_id}"), &notice);
            Ok(())
        }
        .await,
    )
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
            if contact.is_self == 1 {
                return Err(AppError::Conflict("Change the member's own details with \"Edit details\".".into()));
            }
            let updated = contacts::update_contact(state.db.as_ref(), &scope, contact_id, &changed, state.clock.now())
                .await
                .map_err(internal)?;
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
            if contact.is_self == 1 {
                return Err(AppError::Conflict("The member themself cannot be removed from their profile.".into()));
            }
            match contacts::remove_contact(state.db.as_ref(), &scope, contact_id, state.clock.now())
                .await
                .map_err(internal)?
            {
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
        })
    })
}
