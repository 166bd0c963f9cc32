//! Inviting one person: which contact staff may see, the words of the invitation, the
//! e-mail and token prepared for the outbox, and the invitation written with it (server
//! functions, a round and the e-mail preview all invite through here). And the link's side:
//! opening it, accepting it with a new login, linking a login that exists, declining —
//! each answering `AcceptError`, which the door words.

use crate::domain::dates::{DAY, Zone};
use crate::domain::template::{BUILT_IN_BODY, BUILT_IN_SUBJECT};
use crate::domain::{Email, InvitationState, InviteToken};
use crate::error::AppError;
use crate::mail::queue::queued_email;
use crate::mail::render::{InvitationEmail, RenderedEmail, invitation_email};
use crate::ports::AppState;
use crate::secrets::{invite_token_hash, new_invite_token, new_nonce, session_id_hash};
use crate::store::invitations::{self, AcceptOutcome, Acceptance, NewInvitation};
use crate::store::members;
use crate::store::scope::StaffScope;
use crate::store::{linking, organisations, templates, users};

/// The contact, when this staff login may see it; else "not found", as for an id that was
/// never there.
pub async fn visible_contact(
    state: &AppState,
    scope: &StaffScope,
    contact_id: i64,
) -> Result<members::ContactRow, AppError> {
    members::contact(state.db.as_ref(), scope, contact_id).await?.ok_or(AppError::NotFound)
}

/// Creates the contact's invitation and queues its e-mail (any earlier link stops working).
pub async fn invite(
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
    let organisation = organisations::organisation(db, scope.organisation_id).await?.ok_or(AppError::NotFound)?;
    let member_name = member_name(state, contact).await?;
    let invitation = prepare_invitation(
        state,
        &organisation,
        &Invitee { contact_id: contact.id, first_name: &contact.first_name, member_name: &member_name },
        to,
        wording,
    );
    let created =
        invitations::create_invitation(db, scope, state.clock.now(), invitation, contact.invitation_id).await?;
    if !created {
        return Err(not_invited_meanwhile(contact));
    }
    (state.wake_outbox)();
    Ok(())
}

/// Where a resend goes: the address of the contact's current invitation (else their own).
/// A contact who declined is asked again with Reinvite, not sent the same invitation.
pub fn resend_address(contact: &members::ContactRow, now: i64, zone: &Zone) -> Result<Email, AppError> {
    if let Some(facts) = contact.latest_invitation().filter(|f| f.state(now) == InvitationState::Declined) {
        return Err(AppError::Conflict(format!(
            "{} declined the portal on {}. To ask again, use Reinvite.",
            contact.first_name,
            zone.date(facts.declined_at.unwrap_or_default())
        )));
    }
    let email = contact.invitation_email.as_deref().or(contact.email.as_deref()).unwrap_or_default();
    Email::parse(email).map_err(|message| AppError::invalid("email", message))
}

/// Ends the contact's pending invitation: its link stops working.
pub async fn revoke(state: &AppState, scope: &StaffScope, contact_id: i64) -> Result<(), AppError> {
    let revoked = invitations::revoke_open_invitations(state.db.as_ref(), scope, contact_id, state.clock.now()).await?;
    if revoked == 0 {
        return Err(AppError::Conflict("There is no pending invitation to revoke.".into()));
    }
    Ok(())
}

/// Why an invitation of one person by staff wrote nothing: someone (or a second click) sent
/// them one since this request read the contact, or they can no longer be invited.
pub fn not_invited_meanwhile(contact: &members::ContactRow) -> AppError {
    AppError::Conflict(format!(
        "{} was just sent an invitation by another request, or can no longer be invited: nothing more was sent. \
         Reload the page to see their card as it is now.",
        contact.first_name
    ))
}

/// What an invitation says: a template's subject and body (each `None`: the built-in words)
/// and a personal message, filled in for each person.
#[derive(Default)]
pub struct Wording {
    pub subject: Option<String>,
    pub body: Option<String>,
    pub personal_message: Option<String>,
}

impl Wording {
    /// The template chosen in a form (`template_id` 0: the built-in words) and the personal
    /// message. A template that is not the organisation's (any more) is refused, saying so.
    pub async fn chosen(
        state: &AppState,
        scope: &StaffScope,
        template_id: i64,
        personal_message: Option<String>,
    ) -> Result<Self, AppError> {
        let template = match template_id {
            0 => None,
            id => Some(
                templates::template(state.db.as_ref(), scope, id)
                    .await?
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
    pub fn of_latest_invitation(contact: &members::ContactRow) -> Self {
        Self {
            subject: contact.invitation_subject_template.clone(),
            body: contact.invitation_body_template.clone(),
            personal_message: contact.invitation_message.clone(),
        }
    }

    /// The e-mail in these words for one person.
    pub fn email(
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
pub async fn member_name(state: &AppState, contact: &members::ContactRow) -> Result<String, AppError> {
    crate::store::contacts::profiles_of(state.db.as_ref(), contact.id).await.map_err(AppError::from)
}

/// Who an invitation goes to: a contact, by first name, and the profile it opens.
pub struct Invitee<'a> {
    pub contact_id: i64,
    pub first_name: &'a str,
    pub member_name: &'a str,
}

/// A fresh token, the e-mail rendered for the invitee, its link sealed for the outbox.
pub fn prepare_invitation(
    state: &AppState,
    organisation: &organisations::Organisation,
    invitee: &Invitee<'_>,
    to: &Email,
    wording: &Wording,
) -> NewInvitation {
    invitation_with_token(state, organisation, invitee, to, wording, &new_invite_token())
}

/// The same with a token the caller made (and keeps: "Re-enable invite link" shows it).
pub fn invitation_with_token(
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

/// Why an invitation's link could not be used; the door says it in its own words.
#[derive(Debug)]
pub enum AcceptError {
    /// Unknown, expired, used or revoked: the person is told the same for each.
    InvalidLink,
    /// A login with the invitation's e-mail exists: its password is never replaced here.
    LoginExists,
    /// The login reaches this profile already.
    AlreadyLinked,
    Storage(crate::store::DbError),
}

impl From<crate::store::DbError> for AcceptError {
    fn from(error: crate::store::DbError) -> Self {
        Self::Storage(error)
    }
}

/// A link that opens a live invitation: its token's hash and what it invites to.
pub struct OpenedInvitation {
    pub token_hash: String,
    pub live: invitations::LiveInvitation,
}

/// The invitation behind a link, while it can be used; reading it changes nothing.
pub async fn open(state: &AppState, token: &str) -> Result<OpenedInvitation, AppError> {
    let token = InviteToken::parse(token).ok_or(AppError::InvalidLink)?;
    let token_hash = invite_token_hash(&token);
    let live = invitations::live_invitation(state.db.as_ref(), &token_hash, state.clock.now())
        .await?
        .ok_or(AppError::InvalidLink)?;
    Ok(OpenedInvitation { token_hash, live })
}

/// A link that opens no live invitation, as its page shows it: used, renewable, or neither.
/// None for what was never a link.
pub async fn closed(state: &AppState, token: &str) -> Result<Option<invitations::ClosedLink>, AppError> {
    let Some(token) = InviteToken::parse(token) else { return Ok(None) };
    Ok(invitations::closed_link(state.db.as_ref(), &invite_token_hash(&token), state.clock.now()).await?)
}

/// "Send me a new link" from an expired link: a new invitation, in the expired one's words,
/// to the address it went to (never one the request names); the expired link stays dead.
/// True when one was sent; the door says the same either way, so a link's state is not
/// told to whoever holds it twice. Once per expired link: the new one supersedes it.
pub async fn renew(state: &AppState, token: &str) -> Result<bool, AppError> {
    let Some(token) = InviteToken::parse(token) else { return Ok(false) };
    let token_hash = invite_token_hash(&token);
    let (db, now) = (state.db.as_ref(), state.clock.now());
    let Some(expired) = invitations::renewable_invitation(db, &token_hash, now).await? else { return Ok(false) };
    let Some(organisation) = organisations::organisation(db, expired.organisation_id).await? else {
        return Ok(false);
    };
    let Ok(to) = Email::parse(&expired.email) else { return Ok(false) };
    let member_name = crate::store::contacts::profiles_of(db, expired.contact_id).await?;
    let wording = Wording {
        subject: expired.subject_template,
        body: expired.body_template,
        personal_message: expired.personal_message,
    };
    let invitee =
        Invitee { contact_id: expired.contact_id, first_name: &expired.first_name, member_name: &member_name };
    let renewal = prepare_invitation(state, &organisation, &invitee, &to, &wording);
    let renewed = invitations::renew_expired(db, &token_hash, renewal, now).await?;
    if renewed {
        (state.wake_outbox)();
    }
    Ok(renewed)
}

/// Accepts with a new login: creates it with `password_hash`, links it to every profile the
/// invitation opens, uses up the link and starts the session `session_id`, in one batch; then
/// links the organisation's other contacts with the proven address, as its setting says.
pub async fn accept(
    state: &AppState,
    opened: &OpenedInvitation,
    password_hash: &str,
    session_id: &str,
) -> Result<(), AcceptError> {
    let db = state.db.as_ref();
    let outcome = invitations::accept_invitation(
        db,
        &Acceptance {
            token_hash: &opened.token_hash,
            password_hash,
            claim: &new_nonce(),
            session_id_hash: &session_id_hash(session_id),
        },
        &state.session_times(),
    )
    .await?;
    match outcome {
        AcceptOutcome::Accepted => {
            let user_id = users::id_by_email(db, &opened.live.email).await?.ok_or(AcceptError::InvalidLink)?;
            auto_link_others(state, &opened.live, user_id).await
        }
        AcceptOutcome::InvalidLink => Err(AcceptError::InvalidLink),
        AcceptOutcome::LoginExists => Err(AcceptError::LoginExists),
    }
}

/// Links the invitation's profile to the existing login `user_id`, whose owner proved it
/// (its password, or a session of it: `previous_session`, which ends), and starts the session
/// `session_id`.
pub async fn link(
    state: &AppState,
    opened: &OpenedInvitation,
    user_id: i64,
    session_id: &str,
    previous_session: Option<&str>,
) -> Result<(), AcceptError> {
    if opened.live.existing_user_linked {
        return Err(AcceptError::AlreadyLinked);
    }
    let linked = invitations::link_existing_login(
        state.db.as_ref(),
        &opened.token_hash,
        user_id,
        &new_nonce(),
        &session_id_hash(session_id),
        &state.session_times(),
        previous_session,
    )
    .await?;
    if !linked {
        return Err(AcceptError::InvalidLink);
    }
    auto_link_others(state, &opened.live, user_id).await
}

/// "No thanks": the link is used up and nothing is linked; staff see the decline.
pub async fn decline(state: &AppState, token: &InviteToken) -> Result<(), AcceptError> {
    let token_hash = invite_token_hash(token);
    let declined =
        invitations::decline_by_link(state.db.as_ref(), &token_hash, &new_nonce(), state.clock.now()).await?;
    if declined { Ok(()) } else { Err(AcceptError::InvalidLink) }
}

/// The accepted invitation proved the e-mail address: other contacts of the organisation
/// with that address (the same parent on a second child's profile) are linked or put to
/// staff as the organisation's auto-link setting says.
async fn auto_link_others(
    state: &AppState,
    live: &invitations::LiveInvitation,
    user_id: i64,
) -> Result<(), AcceptError> {
    let now = state.clock.now();
    linking::apply_auto_link(state.db.as_ref(), live.organisation_id, user_id, &live.email, now).await?;
    Ok(())
}
