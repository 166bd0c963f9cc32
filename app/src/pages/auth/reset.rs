//! Forgot password: ask for a link, the page that says it is on its way, and the page the
//! link opens (opening it changes nothing; the form sets the new password).

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::password_reset::{RequestPasswordReset, ResetPassword, password_reset_preview};
use crate::pages::common::{Field, FormAlert, LoadError, NewPasswordFields, action_error};

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let request = ServerAction::<RequestPasswordReset>::new();
    let error = action_error(request);
    view! {
        <section class="panel narrow">
            <h1>"Forgot your password?"</h1>
            <p>"Give the e-mail address you sign in with: we send it a link to choose a new password."</p>
            <ActionForm action=request>
                <FormAlert error />
                <Field label="E-mail address" name="email" kind="email" autocomplete="username" required=true error />
                <button type="submit" class="button">"Send me a link"</button>
            </ActionForm>
            <p>"Remembered it? "<a href="/login">"Back to sign in"</a></p>
        </section>
    }
}

#[component]
pub fn ForgotPasswordSentPage() -> impl IntoView {
    view! {
        <section class="panel narrow">
            <h1>"Check your e-mail"</h1>
            <p>"If that address has a login, a link to choose a new password is on its way. It works once, for an hour."</p>
            <p>"Nothing arrived? Check your spam folder, or ask the organisation which address your login uses."</p>
            <p class="actions">
                <a class="button secondary" href="/login">"Back to sign in"</a>
                <a class="button secondary" href="/forgot-password">"Try another address"</a>
            </p>
        </section>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let params = use_params_map();
    let token = Memo::new(move |_| params.read().get("token").unwrap_or_default());
    let preview = Resource::new(move || token.get(), password_reset_preview);
    let reset = ServerAction::<ResetPassword>::new();
    let error = action_error(reset);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let email = match preview.await {
                    Ok(email) => email,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                view! {
                    <section class="panel narrow">
                        <h1>"Choose a new password"</h1>
                        <p>"For the login "<strong>{email}</strong>". Every other device signed in with it is signed out."</p>
                        <ActionForm action=reset>
                            <FormAlert error />
                            <input type="hidden" name="token" value=token.get_untracked() />
                            <NewPasswordFields sent=error.get_untracked() />
                            <button type="submit" class="button">"Set my new password"</button>
                        </ActionForm>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}
