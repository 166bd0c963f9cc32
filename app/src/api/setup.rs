//! First-run setup: on a production database with no organisation, the first visitor creates
//! it and its owner login. It exists until it has been used once; of two setups at the same
//! moment exactly one wins (the insert is guarded in SQL).

use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    crate::domain::{Email, Password, PersonName},
    crate::error::FormErrors,
    crate::passwords::refuse_common,
    crate::request::{app_state, respond, sign_in},
    crate::store::organisations::{FirstOrganisation, any_organisation, create_first_organisation},
    crate::store::users,
};

/// Whether the setup page is open: no organisation yet, and not in dev mode (which has the
/// demo organisation instead).
#[server(endpoint = "setup_needed")]
pub async fn setup_needed() -> Result<bool, AppError> {
    respond(
        async {
            let state = app_state()?;
            Ok(!state.config.dev_mode && !any_organisation(state.db.as_ref()).await?)
        }
        .await,
    )
}

#[server(endpoint = "set_up")]
pub async fn set_up(
    organisation_name: String,
    sender_name: String,
    sender_email: String,
    owner_name: String,
    owner_email: String,
    password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    respond(
        async move {
            if !setup_needed().await? {
                return Err(AppError::NotFound);
            }
            let state = app_state()?;
            let mut form = FormErrors::default();
            let organisation =
                form.check("organisation_name", &organisation_name, PersonName::parse(&organisation_name));
            let sender = form.check("sender_name", &sender_name, PersonName::parse(&sender_name));
            let sender_address = form.check("sender_email", &sender_email, Email::parse(&sender_email));
            let owner_name = form.check("owner_name", &owner_name, PersonName::parse(&owner_name));
            let owner = form.check("owner_email", &owner_email, Email::parse(&owner_email));
            let chosen = form.check_secret("password", Password::parse(&password).and_then(refuse_common));
            let repeated = form.check_secret("confirm_password", Password::check_repeat(&password, &confirm_password));
            let (organisation, sender, sender_address, owner_name, owner, chosen) = form.finish(|| {
                Some((organisation?, sender?, sender_address?, owner_name?, owner?, repeated.and(chosen)?))
            })?;
            let password_hash = state.passwords.hash(chosen).await?;
            let first = FirstOrganisation {
                name: organisation.as_str(),
                sender_name: sender.as_str(),
                sender_email: sender_address.as_str(),
                owner_name: owner_name.as_str(),
                owner_email: owner.as_str(),
                owner_password_hash: &password_hash,
            };
            let db = state.db.as_ref();
            if !create_first_organisation(db, first, state.clock.now()).await? {
                return Err(AppError::NotFound);
            }
            let login = users::active_login_by_email(db, owner.as_str()).await?.ok_or(AppError::Internal)?;
            sign_in(&state, login.id).await?;
            leptos_axum::redirect("/staff/members");
            Ok(())
        }
        .await,
    )
}
