use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    super::limits,
    crate::domain::dates::{DAY, Zone},
    crate::domain::template::{BUILT_IN_BODY, BUILT_IN_SUBJECT},
    crate::domain::{Email, InvitationState, InviteToken, Password, PersonalMessage},
    crate::error::FormErrors,
    crate::mail::render::{InvitationEmail, RenderedEmail, invitation_email},
    crate::passwords::refuse_common,
    crate::ports::AppState,
    crate::request::{
        app_state, current_session, internal, redirect_back_on_error, redirect_with_notice, require_staff, respond,
        session_times, set_session_cookie,
    },
    crate::secrets::{invite_token_hash, new_invite_token, new_nonce, new_session_id, session_id_hash},
    crate::store::invitations::{self, AcceptOutcome, Acceptance, NewInvitation, QueuedEmail},
    crate::store::members::StaffScope,
    crate::store::{linking, members, organisations, templates, users},
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
            if let Some(facts) =
                contact.latest_invitation().filter(|f| f.state(state.clock.now()) == InvitationState::Declined)
            {
                return Err(AppError::Conflict(format!(
                    "{} declined the portal on {}. To ask again, use Reinvite.",
                    contact.first_name,
                    scope.zone.date(facts.declined_at.unwrap_or_default())
                )));
            }
            let email = contact.invitation_email.as_deref().or(contact.email.as_deref()).unwrap_or_default();
            let to = Email::parse(email).map_err(|message| AppError::invalid("email", message))?;
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

/// The contact, when this staff login may see it; else "not found", as for an id that was
/// never there.
#[cfg(feature = "ssr")]
pub(crate) async fn visible_contact(
    state: &AppState,
    scope: &StaffScope,
    contact_id: i64,
) -> Result<members::ContactRow, AppError> {
    members::contact(state.db.as_ref(), scope, contact_id).await.map_err(internal)?.ok_or(AppError::NotFound)
}

/// Creates the contact's invitation and queues its e-mail (any earlier link stops working).
#[cfg(feature = "ssr")]
pub(crate) async fn invite(
    state: &AppState,
    scope: &StaffScope,
    contact: &members::ContactRow,
    to: &Email,
    wording: &Wording,
) -> Result<(), AppError> {
    let db = state.db.as_ref();
    if contact.login_user_id.is_some() {
        return Err(AppError::Conflict(format!(
            "{} already has a portal login. Unlink it first to invite them again.",
            contact.first_name
        )));
    }
    let organisation =
        organisations::organisation(db, scope.organisation_id).await.map_err(internal)?.ok_or(AppError::NotFound)?;
    let member_name = member_name(state, contact).await?;
    let invitation = prepare_invitation(
        state,
        &organisation,
        &Invitee { contact_id: contact.id, first_name: &contact.first_name, member_name: &member_name },
        to,
        wording,
    );
    let created = invitations::create_invitation(db, scope, state.clock.now(), invitation, contact.invitation_id)
        .await
        .map_err(internal)?;
    if !created {
        return Err(not_invited_meanwhile(contact));
    }
    (state.wake_outbox)();
    Ok(())
}

/// Why an invitation of one person by staff wrote nothing: someone (or a second click) sent
/// them one since this request read the contact, or they can no longer be invited.
#[cfg(feature = "ssr")]
pub(crate) fn not_invited_meanwhile(contact: &members::ContactRow) -> AppError {
    AppError::Conflict(format!(
        "{} was just sent an invitation by another request, or can no longer be invited: nothing more was sent. \
         Reload the page to see their card as it is now.",
        contact.first_name
    ))
}

/// What an invitation says: a template's subject and body (each `None`: the built-in words)
/// and a personal message, filled in for each person.
#[cfg(feature = "ssr")]
#[derive(Default)]
pub(crate) struct Wording {
    pub subject: Option<String>,
    pub body: Option<String>,
    pub personal_message: Option<String>,
}

#[cfg(feature = "ssr")]
impl Wording {
    /// The template chosen in a form (`template_id` 0: the built-in words) and the personal
    /// message. A template that is not the organisation's (any more) is refused, saying so.
    pub(crate) async fn chosen(
        state: &AppState,
        scope: &StaffScope,
        template_id: i64,
        personal_message: Option<String>,
    ) -> Result<Self, AppError> {
        let template = match template_id {
            0 => None,
            id => Some(
                templates::template(state.db.as_ref(), scope, id)
                    .await
                    .map_err(internal)?
                    .ok_or_else(|| AppError::invalid("template_id", "That template is gone. Choose another."))?,
            ),
        };
        Ok(Self {
            subject: template.as_ref().map(|t| t.subject.clone()),
            body: template.map(|t| t.body),
            personal_message,
        })
    }

    /// The words the contact's latest invitation was sent with.
    pub(crate) fn of_latest_invitation(contact: &members::ContactRow) -> Self {
        Self {
            subject: contact.invitation_subject_template.clone(),
            body: contact.invitation_body_template.clone(),
            personal_message: contact.invitation_message.clone(),
        }
    }

    /// The e-mail in these words for one person.
    pub(crate) fn email(
        &self,
        state: &AppState,
        organisation: &organisations::Organisation,
        invitee: &Invitee<'_>,
        expires_at: i64,
    ) -> RenderedEmail {
        let logo_url = organisation.logo_digest.as_deref().map(|digest| {
            format!("{}{}", state.config.public_base_url, crate::domain::brand::logo_path(organisation.id, digest))
        });
        let expires = Zone::stored(Some(&organisation.time_zone)).date_time(expires_at);
        invitation_email(&InvitationEmail {
            logo_url: logo_url.as_deref(),
            accent: organisation.accent_colour.as_deref().unwrap_or(crate::domain::brand::DEFAULT_ACCENT),
            organisation_name: &organisation.name,
            first_name: invitee.first_name,
            member_name: invitee.member_name,
            personal_message: self.personal_message.as_deref(),
            subject: self.subject.as_deref().unwrap_or(BUILT_IN_SUBJECT),
            body: self.body.as_deref().unwrap_or(BUILT_IN_BODY),
            expires: &expires,
        })
    }
}

/// The full names on the profiles an invitation of this contact opens: theirs, or the
/// member's they represent — and, for one person around several profiles, each of them.
#[cfg(feature = "ssr")]
pub(crate) async fn member_name(state: &AppState, contact: &members::ContactRow) -> Result<String, AppError> {
    crate::store::contacts::profiles_of(state.db.as_ref(), contact.id).await.map_err(internal)
}

/// Who an invitation goes to: a contact, by first name, and the profile it opens.
#[cfg(feature = "ssr")]
pub(crate) struct Invitee<'a> {
    pub contact_id: i64,
    pub first_name: &'a str,
    pub member_name: &'a str,
}

/// A fresh token, the e-mail rendered for the invitee, its link sealed for the outbox.
#[cfg(feature = "ssr")]
pub(crate) fn prepare_invitation(
    state: &AppState,
    organisation: &organisations::Organisation,
    invitee: &Invitee<'_>,
    to: &Email,
    wording: &Wording,
) -> NewInvitation {
    invitation_with_token(state, organisation, invitee, to, wording, &new_invite_token())
}

/// The same with a token the caller made (and keeps: "Re-enable invite link" shows it).
#[cfg(feature = "ssr")]
pub(crate) fn invitation_with_token(
    state: &AppState,
    organisation: &organisations::Organisation,
    invitee: &Invitee<'_>,
    to: &Email,
    wording: &Wording,
    token: &InviteToken,
) -> NewInvitation {
    let expires_at = state.clock.now() + organisation.invitation_validity_days * DAY;
    let rendered = wording.email(state, organisation, invitee, expires_at);
    NewInvitation {
        contact_id: invitee.contact_id,
        email: to.as_str().to_owned(),
        personal_message: wording.personal_message.clone(),
        subject_template: wording.subject.clone(),
        body_template: wording.body.clone(),
        expires_at,
        mail: queued_email(state, organisation, rendered, token),
        token_hash: invite_token_hash(token),
    }
}

/// A rendered e-mail from the organisation as it waits in the outbox: a fresh idempotency
/// key, and the token of its link sealed with the server's key.
#[cfg(feature = "ssr")]
pub(crate) fn queued_email(
    state: &AppState,
    organisation: &organisations::Organisation,
    rendered: RenderedEmail,
    token: &InviteToken,
) -> QueuedEmail {
    QueuedEmail {
        idempotency_key: new_nonce(),
        from_name: organisation.sender_name.clone(),
        from_email: organisation.sender_email.clone(),
        subject: rendered.subject,
        text_body: rendered.text,
        html_body: rendered.html,
        sealed_token: state.config.secret_key.seal(token.expose()),
    }
}

#[server(endpoint = "revoke_invitation")]
pub async fn revoke_invitation(contact_id: i64) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let contact = visible_contact(&state, &scope, contact_id).await?;
            let revoked =
                invitations::revoke_open_invitations(state.db.as_ref(), &scope, contact_id, state.clock.now())
                    .await
                    .map_err(internal)?;
            if revoked == 0 {
                return Err(AppError::Conflict("There is no pending invitation to revoke.".into()));
            }
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
                invitations::record_decline(state.db.as_ref(), &scope, contact_id, reason, state.clock.now())
                    .await
                    .map_err(internal)?;
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
            let unlinked = invitations::unlink_login(state.db.as_ref(), &scope, contact_id, state.clock.now())
                .await
                .map_err(internal)?;
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
    let live = invitations::live_invitation(db, &token_hash, state.clock.now())
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
            let user_id = users::id_by_email(db, &live.email).await.map_err(internal)?.ok_or(AppError::Internal)?;
            auto_link_others(state, &live, user_id).await?;
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

/// The accepted invitation proved the e-mail address: other contacts of the organisation
/// with that address (the same parent on a second child's profile) are linked or put to
/// staff as the organisation's auto-link setting says.
#[cfg(feature = "ssr")]
async fn auto_link_others(state: &AppState, live: &invitations::LiveInvitation, user_id: i64) -> Result<(), AppError> {
    let now = state.clock.now();
    linking::apply_auto_link(state.db.as_ref(), live.organisation_id, user_id, &live.email, now)
        .await
        .map_err(internal)?;
    Ok(())
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
    let token_hash = invite_token_hash(&token);
    let declined = invitations::decline_by_link(state.db.as_ref(), &token_hash, &new_nonce(), state.clock.now())
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
        let from_address =
            limits::attempt(state, &limits::PASSWORD_ATTEMPTS_PER_ADDRESS, &limits::client_address()).await?;
        let guess = limits::password_guess(state, &live.email).await?;
        let stored = users::password_hash(db, user_id).await.map_err(internal)?;
        if !state.passwords.verify(password, stored).await {
            return Err(AppError::invalid("password", "That is not the password of this login."));
        }
        guess.forgive(state).await?;
        from_address.forgive(state).await?;
        limits::remember_device(state, &live.email);
    }
    if live.existing_user_linked == 1 {
        return Err(AppError::Conflict(
            "Your login already has access to this profile. Ask the organisation if this invitation was meant for someone else."
                .into(),
        ));
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
    auto_link_others(state, &live, user_id).await?;
    set_session_cookie(state, &session_id);
    leptos_axum::redirect("/portal");
    Ok(())
}
