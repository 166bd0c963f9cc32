mod reset;

use leptos::prelude::*;
pub use reset::{ForgotPasswordPage, ForgotPasswordSentPage, ResetPasswordPage};

use super::common::{Field, FormAlert, action_error};
use crate::api::auth::Login;

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let error = action_error(login);
    view! {
        <section class="panel narrow">
            <h1>"Sign in"</h1>
            <ActionForm action=login>
                <FormAlert error />
                <Field label="E-mail address" name="email" kind="email" autocomplete="username" required=true error />
                <Field
                    label="Password"
                    name="password"
                    kind="password"
                    autocomplete="current-password"
                    required=true
                    error
                />
                <button type="submit" class="button">"Sign in"</button>
            </ActionForm>
            <p>"Cannot sign in? "<a href="/forgot-password">"Forgot your password?"</a></p>
        </section>
    }
}
