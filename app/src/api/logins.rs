//! Login administration (001's security administrator): staff who may administer logins
//! (owner, administrator, security administrator) change the e-mail a member's login signs
//! in with; both addresses are told.

use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    super::invitations::{Invitee, Wording, invitation_with_token, member_name, visible_contact},
    crate::domain::{Email, InviteToken, Role},
    crate::error::FormErrors,
    crate::mail::render::login_email_changed_email,
    crate::ports::AppState,
    crate::request::{internal, redirect_with_notice, request_cookie, require_role, respond, set_cookie},
    crate::secrets::new_nonce,
    crate::secrets::{invite_token_hash, new_invite_token},
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
            let done = format!("The login now signs in as {}; both addresses were told.", new.as_str());
            redirect_with_notice(&state, &format!("/staff/members/{}", contact.member_id), &done);
            Ok(())
        }
        .await,
    )
}

/// The cookie that carries a re-enabled link, sealed with the server's key, from the POST
/// that made it to the one page that shows it.
#[cfg(feature = "ssr")]
const REENABLED_LINK_COOKIE: &str = "portico_new_link";
/// How long the page has to show it (the redirect is immediate).
#[cfg(feature = "ssr")]
const REENABLED_LINK_SECONDS: i64 = 300;

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
            let organisation = organisations::organisation(db, scope.organisation_id)
                .await
                .map_err(internal)?
                .ok_or(AppError::NotFound)?;
            let member_name = member_name(&state, &contact).await?;
            let invitee = Invitee { contact_id, first_name: &contact.first_name, member_name: &member_name };
            let token = new_invite_token();
            let new = invitation_with_token(&state, &organisation, &invitee, &email, &Wording::default(), &token);
            if !invitations::reenable_link(db, &scope, state.clock.now(), new, contact.invitation_id)
                .await
                .map_err(internal)?
            {
                return Err(super::invitations::not_invited_meanwhile(&contact));
            }
            let sealed = state.config.secret_key.seal(&format!("{contact_id}:{}", token.expose()));
            set_cookie(&state, REENABLED_LINK_COOKIE, &sealed, REENABLED_LINK_SECONDS);
            leptos_axum::redirect(&format!("/staff/members/{}#contact-{contact_id}", contact.member_id));
            Ok(())
        }
        .await,
    )
}

/// The link just re-enabled, with its contact's id, when this request carries it and it
/// still works; the cookie is cleared, so it is shown once.
#[cfg(feature = "ssr")]
pub(crate) async fn reenabled_link(state: &AppState) -> Result<Option<(i64, String)>, AppError> {
    let Some(sealed) = request_cookie(REENABLED_LINK_COOKIE) else {
        return Ok(None);
    };
    set_cookie(state, REENABLED_LINK_COOKIE, "", 0);
    let Some((contact_id, token)) = state.config.secret_key.open(&sealed).and_then(|opened| {
        let (contact_id, token) = opened.split_once(':')?;
        Some((contact_id.parse::<i64>().ok()?, InviteToken::parse(token)?))
    }) else {
        return Ok(None);
    };
    let live = invitations::live_invitation(state.db.as_ref(), &invite_token_hash(&token), state.clock.now())
        .await
        .map_err(internal)?;
    Ok(live.map(|_| (contact_id, format!("{}/invite/{}", state.config.public_base_url, token.expose()))))
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
