use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    crate::domain::Email,
    crate::request::limits,
    crate::request::{app_state, current_session, respond, sign_in},
    crate::store::{sessions, users},
};

/// Who is signed in, for the page header: a staff member by name, anyone else by e-mail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub shown_as: String,
    pub is_staff: bool,
    /// Owner or administrator: sees the team and template pages' forms.
    pub manages_organisation: bool,
    /// The organisation they meet on every page: its name heads the page and its title.
    pub organisation: Option<String>,
    /// Its logo and accent colour on every page.
    pub brand: crate::domain::brand::Brand,
}

#[server(endpoint = "whoami")]
pub async fn whoami() -> Result<Option<Viewer>, AppError> {
    respond(
        async {
            let state = app_state()?;
            Ok(current_session(&state).await?.map(|(_, user)| Viewer {
                is_staff: user.staff_organisation_id.is_some(),
                manages_organisation: user.staff_role.is_some_and(crate::domain::Role::manages_organisation),
                shown_as: user.staff_name.filter(|name| !name.is_empty()).unwrap_or(user.email),
                brand: user.organisation_id.map_or_else(Default::default, |id| {
                    crate::domain::brand::Brand::of(
                        id,
                        user.organisation_accent.as_deref(),
                        user.organisation_logo.as_deref(),
                    )
                }),
                organisation: user.organisation_name,
            }))
        }
        .await,
    )
}

/// Unknown e-mail, wrong password, disabled or not-yet-accepted: the same answer, after the
/// same argon2 work.
#[server(endpoint = "login")]
pub async fn login(email: String, password: String) -> Result<(), AppError> {
    respond(
        async move {
            let state = app_state()?;
            let from_address =
                limits::attempt(&state, &limits::PASSWORD_ATTEMPTS_PER_ADDRESS, &limits::client_address()).await?;
            // Counted per address typed, known or not, so the limit tells nothing about accounts.
            let parsed = Email::parse(&email).ok();
            let account = parsed.as_ref().map_or_else(|| email.trim().to_lowercase(), |e| e.as_str().to_owned());
            let guess = limits::password_guess(&state, &account).await?;
            let login = match parsed {
                Some(email) => users::active_login_by_email(state.db.as_ref(), email.as_str()).await?,
                None => None,
            };
            let phc = login.as_ref().map(|l| l.password_hash.clone());
            let verified = state.passwords.verify(password, phc).await;
            let Some(login) = login.filter(|_| verified) else {
                return Err(AppError::BadCredentials { email });
            };
            guess.forgive(&state).await?;
            from_address.forgive(&state).await?;
            limits::remember_device(&state, &account);
            sign_in(&state, login.id).await?;
            let is_staff = current_is_staff(&state, login.id).await?;
            leptos_axum::redirect(if is_staff { "/staff/members" } else { "/portal" });
            Ok(())
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
async fn current_is_staff(state: &crate::ports::AppState, user_id: i64) -> Result<bool, AppError> {
    users::is_staff(state.db.as_ref(), user_id).await.map_err(AppError::from)
}

#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    respond(
        async {
            let state = app_state()?;
            if let Some((id_hash, _)) = current_session(&state).await? {
                sessions::delete_session(state.db.as_ref(), &id_hash).await?;
            }
            crate::request::clear_session_cookie(&state);
            leptos_axum::redirect("/login");
            Ok(())
        }
        .await,
    )
}
