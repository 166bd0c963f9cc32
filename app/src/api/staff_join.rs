//! Joining the team from a staff invitation's link: a new login with the password chosen, or
//! the login the address already has, proved by its password (never replaced). Opening the
//! link changes nothing; its token is of its own kind (no member invitation opens it).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::Role;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    crate::domain::{InviteToken, Password},
    crate::error::FormErrors,
    crate::passwords::refuse_common,
    crate::ports::AppState,
    crate::request::limits,
    crate::request::{app_state, current_session, redirect_back_on_error, respond, set_session_cookie},
    crate::secrets::{new_nonce, new_session_id, session_id_hash, staff_invitation_token_hash},
    crate::store::team::{self, Joining},
    crate::store::users,
};

/// What the person opening a staff invitation link is shown.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StaffWelcome {
    pub organisation_name: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// Which members they will see: "every member", "only the members of the group …".
    pub sees: String,
    /// A login with this address exists: they prove it with its password.
    pub has_login: bool,
}

#[server(endpoint = "staff_invitation_preview")]
pub async fn staff_invitation_preview(token: String) -> Result<StaffWelcome, AppError> {
    respond(
        async move {
            let state = app_state()?;
            let (live, _) = live(&state, &token).await?;
            Ok(StaffWelcome {
                organisation_name: live.organisation_name,
                name: live.name,
                email: live.email,
                role: live.role,
                sees: live.role.sees(live.all_members, live.group_name.as_deref()),
                has_login: live.existing_user_id.is_some(),
            })
        }
        .await,
    )
}

/// The live invitation the link names, with its token's hash.
#[cfg(feature = "ssr")]
async fn live(state: &AppState, token: &str) -> Result<(team::LiveStaffInvitation, String), AppError> {
    let token = InviteToken::parse(token).ok_or(AppError::InvalidLink)?;
    let token_hash = staff_invitation_token_hash(&token);
    let live =
        team::live_invitation(state.db.as_ref(), &token_hash, state.clock.now()).await?.ok_or(AppError::InvalidLink)?;
    Ok((live, token_hash))
}

/// Joins the team from the link: a new login with the password chosen (typed twice), or —
/// when the address has a login — that login, proved by its password (never replaced).
#[server(endpoint = "join_staff")]
pub async fn join_staff(
    token: String,
    password: String,
    #[server(default)] confirm_password: String,
) -> Result<(), AppError> {
    let state = app_state()?;
    let page = InviteToken::parse(&token).map_or_else(|| "/".into(), |t| format!("/join-staff/{}", t.expose()));
    let result = join(&state, &token, password, confirm_password).await;
    redirect_back_on_error(&state, "/api/join_staff", &page, result)
}

#[cfg(feature = "ssr")]
async fn join(state: &AppState, token: &str, password: String, confirm_password: String) -> Result<(), AppError> {
    let db = state.db.as_ref();
    let (live, token_hash) = live(state, token).await?;
    let previous = current_session(state).await?;
    if let Some((_, user)) = &previous {
        if Some(user.user_id) != live.existing_user_id {
            return Err(AppError::Conflict(format!(
                "You are signed in as {}. Sign out first, then open the link again.",
                user.email
            )));
        }
    }
    if live.existing_is_staff {
        return Err(AppError::Conflict(
            "Your login is on a team already; one login is staff of one organisation. Ask for an invitation to another address."
                .into(),
        ));
    }
    limits::attempt(state, &limits::ACCEPTS_PER_ADDRESS, &limits::client_address()).await?;
    let password_hash;
    let joining = match live.existing_user_id {
        Some(user_id) => {
            let guess = limits::password_guess(state, &live.email).await?;
            let stored = users::password_hash(db, user_id).await?;
            if !state.passwords.verify(password, stored).await {
                return Err(AppError::invalid("password", "That is not the password of this login."));
            }
            guess.forgive(state).await?;
            limits::remember_device(state, &live.email);
            Joining::ExistingLogin { user_id }
        }
        None => {
            let mut form = FormErrors::default();
            let chosen = form.check_secret("password", Password::parse(&password).and_then(refuse_common));
            let matches = form.check_secret("confirm_password", Password::check_repeat(&password, &confirm_password));
            let chosen = form.finish(|| matches.and(chosen))?;
            password_hash = state.passwords.hash(chosen).await?;
            Joining::NewLogin { password_hash: &password_hash }
        }
    };
    let session_id = new_session_id();
    let joined = team::join(
        db,
        &token_hash,
        &joining,
        &new_nonce(),
        &session_id_hash(&session_id),
        &state.session_times(),
        previous.as_ref().map(|(id_hash, _)| id_hash.as_str()),
    )
    .await?;
    if !joined {
        return Err(AppError::InvalidLink);
    }
    set_session_cookie(state, &session_id);
    leptos_axum::redirect("/staff/members");
    Ok(())
}
