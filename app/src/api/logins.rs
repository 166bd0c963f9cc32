//! Login administration (001's security administrator): staff who may administer logins
//! (owner, administrator, security administrator) change the e-mail a member's login signs
//! in with; both addresses are told.

use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    super::invitations::visible_contact,
    super::ssr::{internal, require_staff, respond},
    crate::domain::Email,
    crate::error::FormErrors,
    crate::mail::render::login_email_changed_email,
    crate::secrets::new_nonce,
    crate::store::invitations::QueuedEmail,
    crate::store::{DbError, organisations, users},
};

#[server(endpoint = "change_login_email")]
pub async fn change_login_email(contact_id: i64, email: String) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let db = state.db.as_ref();
            if !users::may_administer_logins(db, scope.organisation_id, scope.user_id).await.map_err(internal)? {
                return Err(AppError::NotFound);
            }
            let contact = visible_contact(&state, &scope, contact_id).await?;
            let Some(login) = contact.login() else {
                return Err(AppError::Conflict(format!("{} has no linked login.", contact.first_name)));
            };
            let new = Email::parse(&email).and_then(|new| {
                if new.as_str() == login.email { Err("That is already the login's address.") } else { Ok(new) }
            });
            let new = refused_on_card(contact_id, &email, new)?;
            let organisation = organisations::organisation(db, scope.organisation_id)
                .await
                .map_err(internal)?
                .ok_or(AppError::NotFound)?;
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
                Err(error) => return Err(internal(error)),
            }
            (state.wake_outbox)();
            leptos_axum::redirect(&format!("/staff/members/{}", contact.member_id));
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
    form.check("contact_id", &contact_id.to_string(), Ok(()));
    let checked = form.check("email", typed, checked);
    form.finish(|| checked)
}
