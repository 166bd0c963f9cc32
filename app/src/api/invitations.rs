use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    super::limits,
    super::ssr::{
        app_state, current_session, internal, redirect_back_on_error, require_staff, respond, session_times,
        set_session_cookie,
    },
    crate::domain::dates::{DAY, format_date},
    crate::domain::{Email, InvitationState, InviteToken, Password, PersonalMessage},
    crate::error::FormErrors,
    crate::mail::render::{InvitationEmail, invitation_email},
    crate::passwords::refuse_common,
    crate::ports::AppState,
    crate::secrets::{invite_token_hash, new_invite_token, new_nonce, new_session_id, session_id_hash},
    crate::store::invitations::{self, AcceptOutcome, Acceptance, NewInvitation, QueuedEmail},
    crate::store::members::StaffScope,
    crate::store::{members, organisations, users},
};

#[server(endpoint = "send_invitation")]
pub async fn send_invitation(member_id: i64, email: String, message: String) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let mut form = FormErrors::default();
            let to = form.check("email", &email, Email::parse(&email));
            let note = form.check("message", &message, PersonalMessage::parse(&message));
            let (to, note) = form.finish(|| Some((to?, note?)))?;
            invite(&state, &scope, member_id, &to, note.as_ref().map(PersonalMessage::as_str)).await
        }
        .await,
    )
}

/// A fresh link to the address and with the message of the member's current invitation; the
/// old link stops working.
#[server(endpoint = "resend_invitation")]
pub async fn resend_invitation(member_id: i64) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let member = members::member(state.db.as_ref(), &scope, member_id)
                .await
                .map_err(internal)?
                .ok_or(AppError::NotFound)?;
            let summary = member.summary;
            if let Some(facts) =
                summary.latest_invitation().filter(|f| f.state(state.clock.now()) == InvitationState::Declined)
            {
                return Err(AppError::Conflict(format!(
                    "This member declined the portal on {}. To ask again, use Reinvite.",
                    format_date(facts.declined_at.unwrap_or_default())
                )));
            }
            let email = summary.invitation_email.as_deref().or(summary.email.as_deref()).unwrap_or_default();
            let to = Email::parse(email).map_err(|message| AppError::invalid("email", message))?;
            limits::attempt(&state, &limits::RESENDS_PER_MEMBER, &member_id.to_string()).await?;
            invite(&state, &scope, member_id, &to, summary.invitation_message.as_deref()).await
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
async fn invite(
    state: &AppState,
    scope: &StaffScope,
    member_id: i64,
    to: &Email,
    personal_message: Option<&str>,
) -> Result<(), AppError> {
    let db = state.db.as_ref();
    let member = members::member(db, scope, member_id).await.map_err(internal)?.ok_or(AppError::NotFound)?;
    if member.summary.has_login == 1 {
        return Err(AppError::Conflict(
            "This member already has a portal login. Unlink it first to invite them again.".into(),
        ));
    }
    let organisation =
        organisations::organisation(db, scope.organisation_id).await.map_err(internal)?.ok_or(AppError::NotFound)?;
    let now = state.clock.now();
    let expires_at = now + organisation.invitation_validity_days * DAY;
    let token = new_invite_token();
    let token_hash = invite_token_hash(&token);
    let rendered = invitation_email(&InvitationEmail {
        organisation_name: &organisation.name,
        member_first_name: &member.summary.first_name,
        personal_message,
        expires_at,
    });
    let created = invitations::create_invitation(
        db,
        scope,
        &NewInvitation { member_id, email: to.as_str(), token_hash: &token_hash, personal_message, now, expires_at },
        &QueuedEmail {
            idempotency_key: &new_nonce(),
            from_name: &organisation.sender_name,
            from_email: &organisation.sender_email,
            subject: &rendered.subject,
            text_body: &rendered.text,
            html_body: &rendered.html,
            sealed_token: &state.config.secret_key.seal(token.expose()),
        },
    )
    .await
    .map_err(internal)?;
    if !created {
        return Err(AppError::Conflict("This member can no longer be invited. Reload the page and try again.".into()));
    }
    (state.wake_outbox)();
    leptos_axum::redirect(&format!("/staff/members/{member_id}"));
    Ok(())
}

#[server(endpoint = "revoke_invitation")]
pub async fn revoke_invitation(member_id: i64) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let now = state.clock.now();
            let revoked = invitations::revoke_open_invitations(state.db.as_ref(), &scope, member_id, now)
                .await
                .map_err(internal)?;
            if revoked == 0 {
                members::member(state.db.as_ref(), &scope, member_id)
                    .await
                    .map_err(internal)?
                    .ok_or(AppError::NotFound)?;
                return Err(AppError::Conflict("There is no pending invitation to revoke.".into()));
            }
            leptos_axum::redirect(&format!("/staff/members/{member_id}"));
            Ok(())
        }
        .await,
    )
}

/// Staff record that the member declined the portal (003's "client declined"), with an
/// optional reason: the pending invitation ends as declined. Inviting again is "Reinvite".
#[server(endpoint = "record_decline")]
pub async fn record_decline(member_id: i64, reason: String) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let mut form = FormErrors::default();
            let reason = form.check("reason", &reason, PersonalMessage::parse(&reason));
            let reason = form.finish(|| reason)?;
            let now = state.clock.now();
            let db = state.db.as_ref();
            let recorded =
                invitations::record_decline(db, &scope, member_id, reason.as_ref().map(PersonalMessage::as_str), now)
                    .await
                    .map_err(internal)?;
            if recorded == 0 {
                members::member(db, &scope, member_id).await.map_err(internal)?.ok_or(AppError::NotFound)?;
                return Err(AppError::Conflict("There is no pending invitation to record as declined.".into()));
            }
            leptos_axum::redirect(&format!("/staff/members/{member_id}"));
            Ok(())
        }
        .await,
    )
}

/// Unlinks the member's login: the login is kept, its sessions end, and the member can be
/// invited again.
#[server(endpoint = "unlink_login")]
pub async fn unlink_login(member_id: i64) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let now = state.clock.now();
            let unlinked =
                invitations::unlink_logins(state.db.as_ref(), &scope, member_id, now).await.map_err(internal)?;
            if unlinked == 0 {
                members::member(state.db.as_ref(), &scope, member_id)
                    .await
                    .map_err(internal)?
                    .ok_or(AppError::NotFound)?;
                return Err(AppError::Conflict("This member has no linked login.".into()));
            }
            leptos_axum::redirect(&format!("/staff/members/{member_id}"));
            Ok(())
        }
        .await,
    )
}

/// What the invitation page shows. Reading it changes nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationWelcome {
    pub organisation_name: String,
    pub email: String,
    pub first_name: String,
    /// The person already has a login with this e-mail: they sign in to link it.
    pub has_login: bool,
    /// The browser is signed in as that login already: linking needs no password.
    pub signed_in_as_invitee: bool,
}

#[server(endpoint = "invitation_preview")]
pub async fn invitation_preview(token: String) -> Result<InvitationWelcome, AppError> {
    respond(
        async move {
            let state = app_state()?;
            let token = InviteToken::parse(&token).ok_or(AppError::InvalidLink)?;
            let live = invitations::live_invitation(state.db.as_ref(), &invite_token_hash(&token), state.clock.now())
                .await
                .map_err(internal)?
                .ok_or(AppError::InvalidLink)?;
            let viewer = current_session(&state).await?.map(|(_, user)| user.user_id);
            Ok(InvitationWelcome {
                organisation_name: live.organisation_name,
                email: live.email,
                first_name: live.first_name,
                has_login: live.existing_user_id.is_some(),
                signed_in_as_invitee: viewer.is_some() && viewer == live.existing_user_id,
            })
        }
        .await,
    )
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
    let db = state.db.as_ref();
    let token = InviteToken::parse(token).ok_or(AppError::InvalidLink)?;
    let token_hash = invite_token_hash(&token);
    invitations::live_invitation(db, &token_hash, state.clock.now())
        .await
        .map_err(internal)?
        .ok_or(AppError::InvalidLink)?;
    if let Some((_, user)) = current_session(state).await? {
        return Err(AppError::Conflict(format!(
            "You are signed in as {}. Sign out first, then open the link again.",
            user.email
        )));
    }
    limits::attempt(state, &limits::ACCEPTS_PER_ADDRESS, &limits::client_address()).await?;
    let mut form = FormErrors::default();
    let chosen = form.check_secret("password", Password::parse(&password).and_then(refuse_common));
    let matches = form.check_secret("confirm_password", Password::check_repeat(&password, &confirm_password));
    let chosen = form.finish(|| matches.and(chosen))?;
    let password_hash = state.passwords.hash(chosen).await?;
    let session_id = new_session_id();
    let outcome = invitations::accept_invitation(
        db,
        &Acceptance {
            token_hash: &token_hash,
            password_hash: &password_hash,
            claim: &new_nonce(),
            session_id_hash: &session_id_hash(&session_id),
        },
        &session_times(state),
    )
    .await
    .map_err(internal)?;
    match outcome {
        AcceptOutcome::Accepted => {
            set_session_cookie(state, &session_id);
            leptos_axum::redirect("/portal");
            Ok(())
        }
        AcceptOutcome::InvalidLink => Err(AppError::InvalidLink),
        AcceptOutcome::LoginExists => Err(AppError::Conflict(
            "A login already exists for this e-mail address. Reload the page and sign in with it to link this profile."
                .into(),
        )),
    }
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
    let declined = invitations::decline_by_link(state.db.as_ref(), &invite_token_hash(&token), state.clock.now())
        .await
        .map_err(internal)?;
    if !declined {
        return Err(AppError::InvalidLink);
    }
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
    let db = state.db.as_ref();
    let token = InviteToken::parse(token).ok_or(AppError::InvalidLink)?;
    let token_hash = invite_token_hash(&token);
    let live = invitations::live_invitation(db, &token_hash, state.clock.now())
        .await
        .map_err(internal)?
        .ok_or(AppError::InvalidLink)?;
    let user_id = live.existing_user_id.ok_or(AppError::InvalidLink)?;
    let previous_session = current_session(state).await?;
    if let Some((_, user)) = &previous_session {
        if user.user_id != user_id {
            return Err(AppError::Conflict(format!(
                "You are signed in as {}. Sign out first, then open the link again.",
                user.email
            )));
        }
    }
    // Signed in as this very login, the session is the proof; otherwise its password.
    if previous_session.is_none() {
        limits::attempt(state, &limits::PASSWORD_ATTEMPTS_PER_ADDRESS, &limits::client_address()).await?;
        let guess = limits::attempt(state, &limits::PASSWORD_GUESSES_PER_ACCOUNT, &live.email).await?;
        let stored = users::password_hash(db, user_id).await.map_err(internal)?;
        if !state.passwords.verify(password, stored).await {
            return Err(AppError::invalid("password", "That is not the password of this login."));
        }
        guess.forgive(state).await?;
    }
    let session_id = new_session_id();
    let linked = invitations::link_existing_login(
        db,
        &token_hash,
        user_id,
        &new_nonce(),
        &session_id_hash(&session_id),
        &session_times(state),
        previous_session.as_ref().map(|(id_hash, _)| id_hash.as_str()),
    )
    .await
    .map_err(internal)?;
    if !linked {
        return Err(AppError::InvalidLink);
    }
    set_session_cookie(state, &session_id);
    leptos_axum::redirect("/portal");
    Ok(())
}
