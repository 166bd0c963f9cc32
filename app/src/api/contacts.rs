//! Representatives on a profile (a parent, a guardian, a bookkeeper): added, changed and
//! removed by staff, each invited on their own.

use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    crate::error::{FieldError, InvalidForm},
    crate::request::{redirect_with_notice, require_staff, respond},
    crate::service::contacts::{
        Adding, add_representative, contact_fields, remove_representative, update_representative,
    },
    crate::store::contacts,
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
            let new = contact_fields(&first_name, &last_name, &relation, &email, primary, send_now)?;
            let answer = match same_person.as_str() {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            };
            let name = format!("{} {}", new.first_name.as_str(), new.last_name.as_str());
            let notice = match add_representative(&state, &scope, member_id, new, answer, send_now).await? {
                Adding::AskSamePerson(person) => {
                    return Err(same_person_question(
                        &person,
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
                Adding::Added { linked_as_on: Some(on), .. } => {
                    format!("{name} added: the same person as on {on}'s profile, they see this profile with their login now.")
                }
                Adding::Added { invited: true, .. } => format!("{name} added, and invited."),
                Adding::Added { .. } => format!("{name} added."),
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
            let contact = update_representative(&state, &scope, contact_id, &changed).await?;
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
            let contact = remove_representative(&state, &scope, contact_id).await?;
            let notice = format!("{} removed from this profile.", contact.full_name());
            redirect_with_notice(&state, &format!("/staff/members/{}", contact.member_id), &notice);
            Ok(())
        }
        .await,
    )
}
