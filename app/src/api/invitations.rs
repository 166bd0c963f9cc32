use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    crate::domain::{Email, InviteToken, Password, PersonalMessage},
    crate::error::FormErrors,
    crate::passwords::refuse_common,
    crate::ports::AppState,
    crate::request::limits,
    crate::request::{
        app_state, current_session, redirect_back_on_error, redirect_with_notice, require_staff, respond,
        set_session_cookie,
    },
    crate::secrets::new_session_id,
    crate::service::invitations::{self, AcceptError, Wording, invite, resend_address, revoke, visible_contact},
    crate::store::{invitations as stored, users},
};

/// Invites one contact, with the chosen template (`template_id` 0: none) and a personal
/// message, either or both.
#[server(endpoint = "send_invitation")]
pub async fn send_invitation(
    contact_id: i64,
    email: String,
    message: String,
    #[server(default)] template_id: i64,
) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let mut form = FormErrors::default();
            let to = form.check("email", &email, Email::parse(&email));
            let note = form.check("message", &message, PersonalMessage::parse(&message));
            let (to, note) = form.finish(|| Some((to?, note?)))?;
            let contact = visible_contact(&state, &scope, contact_id).await?;
            let wording = Wording::chosen(&state, &scope, template_id, note.map(|n| n.as_str().to_owned())).await?;
            invite(&state, &scope, &contact, &to, &wording).await?;
            let notice = format!("Invitation sent to {}.", to.as_str());
            redirect_with_notice(&state, &format!("/staff/members/{}", contact.member_id), &notice);
            Ok(())
        }
        .await,
    )
}

/// A fresh link to the address and with the message of the contact's current invitation;
/// the old link stops working.
#[server(endpoint = "resend_invitation")]
pub async fn resend_invitation(contact_id: i64) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let contact = visible_contact(&state, &scope, contact_id).await?;
            let to = resend_address(&contact, state.clock.now(), &scope.zone)?;
            limits::attempt(&state, &limits::RESENDS_PER_MEMBER, &contact.member_id.to_string()).await?;
            let wording = Wording::of_latest_invitation(&contact);
            invite(&state, &scope, &contact, &to, &wording).await?;
            let notice =
                format!("A new invitation link was sent to {}; the one sent before no longer works.", to.as_str());
            redirect_with_notice(&state, &format!("/staff/members/{}", contact.member_id), &notice);
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "revoke_invitation")]
pub async fn revoke_invitation(contact_id: i64) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let contact = visible_contact(&state, &scope, contact_id).await?;
            revoke(&state, &scope, contact_id).await?;
            let notice = format!("Invitation to {} revoked: its link no longer works.", contact.full_name());
            redirect_with_notice(&state, &format!("/staff/members/{}", contact.member_id), &notice);
            Ok(())
        }
        .await,
    )
}

/// Staff record that the contact declined the portal (003's "client declined"), with an
/// optional reason: the pending invitation ends as declined. Inviting again is "Reinvite".
#[server(endpoint = "record_decline")]
pub async fn record_decline(contact_id: i64, reason: String) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let mut form = FormErrors::default();
            // Kept so the message comes back to the card it was typed on.
            form.keep("contact_id", &contact_id.to_string());
            let reason = form.check("reason", &reason, PersonalMessage::parse(&reason));
            let reason = form.finish(|| reason)?;
            let contact = visible_contact(&state, &scope, contact_id).await?;
            let reason = reason.as_ref().map(PersonalMessage::as_str);
            let recorded =
                stored::record_decline(state.db.as_ref(), &scope, contact_id, reason, state.clock.now()).await?;
            if recorded == 0 {
                return Err(AppError::Conflict("There is no pending invitation to record as declined.".into()));
            }
            let notice = format!("Recorded that {} declined the portal.", contact.full_name());
            redirect_with_notice(&state, &format!("/staff/members/{}", contact.member_id), &notice);
            Ok(())
        }
        .await,
    )
}

/// Unlinks the contact's login: the login is kept, its sessions end when it has nothing
/// else to see, and the contact can be invited again.
#[server(endpoint = "unlink_login")]
pub async fn unlink_login(contact_id: i64) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let contact = visible_contact(&state, &scope, contact_id).await?;
            let unlinked = stored::unlink_login(state.db.as_ref(), &scope, contact_id, state.clock.now()).await?;
            if unlinked == 0 {
                return Err(AppError::Conflict(format!("{} has no linked login.", contact.first_name)));
            }
            let notice =
                format!("{}'s login was unlinked from this profile; they can be invited again.", contact.full_name());
            redirect_with_notice(&state, &format!("/staff/members/{}", contact.member_id), &notice);
            Ok(())
        }
        .await,
    )
}

/// What the invitation page shows. Reading it changes nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationWelcome {
    pub organisation_name: String,
    /// The organisation's logo and accent colour: the page is theirs.
    pub brand: crate::domain::brand::Brand,
    pub email: String,
    pub first_name: String,
    /// A representative's invitation: the member whose profile it opens.
    pub on_behalf_of: Option<String>,
    /// The person already has a login with this e-mail: they sign in to link it.
    pub has_login: bool,
    /// The browser is signed in as that login already: linking needs no password.
    pub signed_in_as_invitee: bool,
}

/// What an invitation link's page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum InvitationPage {
    /// The link works: the person sets a password (or links their login), or declines.
    Open(InvitationWelcome),
    /// It expired unused: the person may ask for a new one, sent where this one was.
    Expired(ClosedLinkView),
    /// It was used (or the person reaches the profile with a login by now): they sign in.
    Used(ClosedLinkView),
}

/// Whose link it was, for a page that can no longer use it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClosedLinkView {
    pub organisation_name: String,
    pub brand: crate::domain::brand::Brand,
}

/// The page of an invitation link. Reading it changes nothing. A link that was never made,
/// was revoked or replaced, or was declined, opens the one page for links that lead nowhere
/// (`AppError::InvalidLink`).
#[server(endpoint = "invitation_preview")]
pub async fn invitation_preview(token: String) -> Result<InvitationPage, AppError> {
    respond(
        async move {
            let state = app_state()?;
            let live = match invitations::open(&state, &token).await {
                Ok(opened) => opened.live,
                Err(AppError::InvalidLink) => return closed_link_page(&state, &token).await,
                Err(other) => return Err(other),
            };
            let viewer = current_session(&state).await?.map(|(_, user)| user.user_id);
            Ok(InvitationPage::Open(InvitationWelcome {
                brand: crate::domain::brand::Brand::of(
                    live.organisation_id,
                    live.organisation_accent.as_deref(),
                    live.organisation_logo.as_deref(),
                ),
                organisation_name: live.organisation_name,
                email: live.email,
                first_name: live.first_name,
                on_behalf_of: live.on_behalf_of,
                has_login: live.existing_user_id.is_some(),
                signed_in_as_invitee: viewer.is_some() && viewer == live.existing_user_id,
            }))
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
async fn closed_link_page(state: &AppState, token: &str) -> Result<InvitationPage, AppError> {
    let closed = invitations::closed(state, token).await?.ok_or(AppError::InvalidLink)?;
    let view = ClosedLinkView {
        brand: crate::domain::brand::Brand::of(
            closed.organisation_id,
            closed.organisation_accent.as_deref(),
            closed.organisation_logo.as_deref(),
        ),
        organisation_name: closed.organisation_name,
    };
    match (closed.used, closed.renewable) {
        (true, _) => Ok(InvitationPage::Used(view)),
        (false, true) => Ok(InvitationPage::Expired(view)),
        (false, false) => Err(AppError::InvalidLink),
    }
}

/// Where "Send me a new link" lands, whether or not one was sent.
pub const NEW_LINK_PAGE: &str = "/new-link";

/// "Send me a new link", from the page of an expired link: a new invitation e-mailed to the
/// address the expired one went to. Only the token comes from the form: an address posted
/// with it is never read. The answer is the same whether or not one was sent.
#[server(endpoint = "request_new_link")]
pub async fn request_new_link(token: String) -> Result<(), AppError> {
    let state = app_state()?;
    let result = async {
        limits::attempt(&state, &limits::NEW_LINKS_PER_ADDRESS, &limits::client_address()).await?;
        invitations::renew(&state, &token).await?;
        leptos_axum::redirect(NEW_LINK_PAGE);
        Ok(())
    }
    .await;
    redirect_back_on_error(&state, "/api/request_new_link", &invitation_page(&token), result)
}

/// Sets the password, creates the login, links it to the member, consumes the link and
/// signs the member in. Only the token comes from the form besides the password.
#[server(endpoint = "accept_invitation")]
pub async fn accept_invitation(token: String, password: String, confirm_password: String) -> Result<(), AppError> {
    let state = app_state()?;
    let result = accept(&state, &token, password, confirm_password).await;
    redirect_back_on_error(&state, "/api/accept_invitation", &invitation_page(&token), result)
}

/// Where a failed accept or link goes back to: the link's own page.
#[cfg(feature = "ssr")]
fn invitation_page(token: &str) -> String {
    InviteToken::parse(token).map_or_else(|| "/".into(), |t| format!("/invite/{}", t.expose()))
}

#[cfg(feature = "ssr")]
async fn accept(state: &AppState, token: &str, password: String, confirm_password: String) -> Result<(), AppError> {
    let opened = invitations::open(state, token).await?;
    if let Some((_, user)) = current_session(state).await? {
        return Err(signed_in_as_other(&user.email));
    }
    limits::attempt(state, &limits::ACCEPTS_PER_ADDRESS, &limits::client_address()).await?;
    let mut form = FormErrors::default();
    let chosen = form.check_secret("password", Password::parse(&password).and_then(refuse_common));
    let matches = form.check_secret("confirm_password", Password::check_repeat(&password, &confirm_password));
    let chosen = form.finish(|| matches.and(chosen))?;
    let password_hash = state.passwords.hash(chosen).await?;
    let session_id = new_session_id();
    invitations::accept(state, &opened, &password_hash, &session_id).await.map_err(accept_error)?;
    set_session_cookie(state, &session_id);
    leptos_axum::redirect("/portal");
    Ok(())
}

/// What the person reads when a link could not be used.
#[cfg(feature = "ssr")]
fn accept_error(error: AcceptError) -> AppError {
    match error {
        AcceptError::InvalidLink => AppError::InvalidLink,
        AcceptError::LoginExists => AppError::Conflict(
            "A login already exists for this e-mail address. Reload the page and sign in with it to link this profile."
                .into(),
        ),
        AcceptError::AlreadyLinked => AppError::Conflict(
            "Your login already has access to this profile. Ask the organisation if this invitation was meant for someone else."
                .into(),
        ),
        AcceptError::Storage(error) => error.into(),
    }
}

#[cfg(feature = "ssr")]
fn signed_in_as_other(email: &str) -> AppError {
    AppError::Conflict(format!("You are signed in as {email}. Sign out first, then open the link again."))
}

/// "No thanks, I don't want portal access": the member declines from the invitation page.
/// The link is used up and nothing is linked; staff see "Declined on <date>". A POST only:
/// opening the link never declines it.
#[server(endpoint = "decline_invitation")]
pub async fn decline_invitation(token: String) -> Result<(), AppError> {
    let state = app_state()?;
    let result = decline(&state, &token).await;
    redirect_back_on_error(&state, "/api/decline_invitation", &invitation_page(&token), result)
}

#[cfg(feature = "ssr")]
async fn decline(state: &AppState, token: &str) -> Result<(), AppError> {
    let token = InviteToken::parse(token).ok_or(AppError::InvalidLink)?;
    limits::attempt(state, &limits::ACCEPTS_PER_ADDRESS, &limits::client_address()).await?;
    invitations::decline(state, &token).await.map_err(accept_error)?;
    leptos_axum::redirect("/declined");
    Ok(())
}

/// For someone who already has a login with the invitation's e-mail (in this organisation
/// or another): they prove it with its password — or are signed in as that login already —
/// and the profile is linked to it (a parent's second child, a bookkeeper's next business).
/// The password is checked, never replaced.
#[server(endpoint = "link_invitation")]
pub async fn link_invitation(token: String, #[server(default)] password: String) -> Result<(), AppError> {
    let state = app_state()?;
    let result = link(&state, &token, password).await;
    redirect_back_on_error(&state, "/api/link_invitation", &invitation_page(&token), result)
}

#[cfg(feature = "ssr")]
async fn link(state: &AppState, token: &str, password: String) -> Result<(), AppError> {
    let opened = invitations::open(state, token).await?;
    let user_id = opened.live.existing_user_id.ok_or(AppError::InvalidLink)?;
    let previous_session = current_session(state).await?;
    if let Some((_, user)) = &previous_session {
        if user.user_id != user_id {
            return Err(signed_in_as_other(&user.email));
        }
    }
    // Signed in as this very login, the session is the proof; otherwise its password.
    if previous_session.is_none() {
        let from_address =
            limits::attempt(state, &limits::PASSWORD_ATTEMPTS_PER_ADDRESS, &limits::client_address()).await?;
        let guess = limits::password_guess(state, &opened.live.email).await?;
        let stored = users::password_hash(state.db.as_ref(), user_id).await?;
        if !state.passwords.verify(password, stored).await {
            return Err(AppError::invalid("password", "That is not the password of this login."));
        }
        guess.forgive(state).await?;
        from_address.forgive(state).await?;
        limits::remember_device(state, &opened.live.email);
    }
    let session_id = new_session_id();
    let previous = previous_session.as_ref().map(|(id_hash, _)| id_hash.as_str());
    invitations::link(state, &opened, user_id, &session_id, previous).await.map_err(accept_error)?;
    set_session_cookie(state, &session_id);
    leptos_axum::redirect("/portal");
    Ok(())
}
