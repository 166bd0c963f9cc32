//! Login administration (001's security administrator): staff who may administer logins
//! (owner, administrator, security administrator) change the e-mail a member's login signs
//! in with; both addresses are told.

use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    crate::domain::{Email, Role},
    crate::error::FormErrors,
    crate::mail::render::login_email_changed_email,
    crate::request::new_link,
    crate::request::{redirect_with_notice, require_role, respond},
    crate::secrets::{new_invite_token, new_nonce},
    crate::service::invitations::{Invitee, Wording, invitation_with_token, member_name, visible_contact},
    crate::store::invitations,
    crate::store::invitations::QueuedEmail,
    crate::store::{DbError, organisations, users},
};

#[server(endpoint = "change_login_email")]
pub async fn change_login_email(contact_id: i64, email: String) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_role(Role::administers_logins).await?;
            let db = state.db.as_ref();
            let contact = visible_contact(&state, &scope, contact_id).await?;
            let Some(login) = contact.login(&scope.zone) else {
                return Err(AppError::Conflict(format!("{} has no linked login.", contact.first_name)));
            };
            let new = Email::parse(&email).and_then(|new| {
                if new.as_str() == login.email { Err("That is already the login's address.") } else { Ok(new) }
            });
            let new = refused_on_card(contact_id, &email, new)?;
            let organisation =
                organisations::organisation(db, scope.organisation_id).await?.ok_or(AppError::NotFound)?;
            let rendered = login_email_changed_email(&organisation.name, &login.email, new.as_str());
            let notice = QueuedEmail {
                idempotency_key: String::new(),
                from_name: organisation.sender_name.clone(),
                from_email: organisation.sender_email.clone(),
                subject: rendered.subject,
                text_body: rendered.text,
                html_body: rendered.html,
                sealed_token: String::new(),
            };
            let to_old = QueuedEmail { idempotency_key: new_nonce(), ..notice.clone() };
            let to_new = QueuedEmail { idempotency_key: new_nonce(), ..notice };
            let told = [(login.email.as_str(), &to_old), (new.as_str(), &to_new)];
            match users::change_login_email(db, &scope, contact_id, new.as_str(), told, state.clock.now()).await {
                Ok(true) => {}
                Ok(false) => return Err(AppError::NotFound),
                Err(DbError::Constraint(_)) => {
                    refused_on_card::<()>(
                        contact_id,
                        &email,
                        Err("Another login signs in with this address already."),
                    )?;
                }
                Err(error) => return Err(error.into()),
            }
            (state.wake_outbox)();
            let done = format!("The login now signs in as {}; both addresses were told.", new.as_str());
            redirect_with_notice(&state, &format!("/staff/members/{}", contact.member_id), &done);
            Ok(())
        }
        .await,
    )
}

/// 001's "Re-enable invite link": a fresh link for a person with no login yet, shown once
/// on their card for staff to pass on by phone or message; no e-mail is sent and every
/// earlier link dies. The link is never stored in clear: the invitation keeps its hash, and
/// the browser a sealed copy for the next page, which shows it and clears it.
#[server(endpoint = "reenable_invite_link")]
pub async fn reenable_invite_link(contact_id: i64) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_role(Role::administers_logins).await?;
            let db = state.db.as_ref();
            let contact = visible_contact(&state, &scope, contact_id).await?;
            if contact.login_user_id.is_some() {
                return Err(AppError::Conflict(format!(
                    "{} has a login already: change its e-mail, or unlink it first.",
                    contact.first_name
                )));
            }
            let Some(email) = contact.email.as_deref().and_then(|e| Email::parse(e).ok()) else {
                return Err(AppError::Conflict(format!(
                    "{} has no e-mail address: add one first, it becomes their login.",
                    contact.first_name
                )));
            };
            let organisation =
                organisations::organisation(db, scope.organisation_id).await?.ok_or(AppError::NotFound)?;
            let member_name = member_name(&state, &contact).await?;
            let invitee = Invitee { contact_id, first_name: &contact.first_name, member_name: &member_name };
            let token = new_invite_token();
            let new = invitation_with_token(&state, &organisation, &invitee, &email, &Wording::default(), &token);
            if !invitations::reenable_link(db, &scope, state.clock.now(), new, contact.invitation_id).await? {
                return Err(crate::service::invitations::not_invited_meanwhile(&contact));
            }
            new_link::hand_over(&state, contact_id, &token);
            leptos_axum::redirect(&format!("/staff/members/{}#contact-{contact_id}", contact.member_id));
            Ok(())
        }
        .await,
    )
}

/// The new address, or its mistake kept with the card's contact id (so the page shows it on
/// that card, not on every card).
#[cfg(feature = "ssr")]
fn refused_on_card<T>(contact_id: i64, typed: &str, checked: Result<T, &'static str>) -> Result<T, AppError> {
    let mut form = FormErrors::default();
    form.keep("contact_id", &contact_id.to_string());
    let checked = form.check("email", typed, checked);
    form.finish(|| checked)
}
