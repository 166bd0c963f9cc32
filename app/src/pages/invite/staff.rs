//! The page a staff invitation's link opens: a new login's password, or the existing
//! login's to prove it. Opening it changes nothing.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::staff_join::{JoinStaff, StaffWelcome, staff_invitation_preview};
use crate::pages::common::{Field, FormAlert, LoadError, NewPasswordFields, action_error};

#[component]
pub fn JoinStaffPage() -> impl IntoView {
    let params = use_params_map();
    let token = Memo::new(move |_| params.read().get("token").unwrap_or_default());
    let preview = Resource::new(move || token.get(), staff_invitation_preview);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match preview.await {
                    Ok(welcome) => view! { <JoinForm welcome token=token.get_untracked() /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn JoinForm(welcome: StaffWelcome, token: String) -> impl IntoView {
    let join = ServerAction::<JoinStaff>::new();
    let error = action_error(join);
    let has_login = welcome.has_login;
    view! {
        <section class="panel narrow">
            <h1>{format!("Welcome to the {} team, {}", welcome.organisation_name, welcome.name)}</h1>
            <p>{format!("You are invited as {}. You will see {}.", welcome.role.label(), welcome.sees)}</p>
            {if has_login {
                view! { <p>"You have a login with "<strong>{welcome.email.clone()}</strong>" already: sign in with its password to join. It stays as it is."</p> }.into_any()
            } else {
                view! { <p>"Choose a password to sign in with "<strong>{welcome.email.clone()}</strong>"."</p> }.into_any()
            }}
            <ActionForm action=join>
                <FormAlert error />
                <input type="hidden" name="token" value=token />
                {if has_login {
                    view! {
                        <Field label="Password" name="password" kind="password" autocomplete="current-password" required=true error />
                    }.into_any()
                } else {
                    view! { <NewPasswordFields sent=error.get_untracked() /> }.into_any()
                }}
                <button type="submit" class="button">"Join the team"</button>
            </ActionForm>
        </section>
    }
}
