use leptos::prelude::*;

use super::common::{Field, FormAlert, LoadError, NewPasswordFields, NotFound, action_error};
use crate::api::setup::{SetUp, setup_needed};

/// The first-run page: only while the database has no organisation (production only).
#[component]
pub fn SetupPage() -> impl IntoView {
    let needed = Resource::new(|| (), |_| setup_needed());
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match needed.await {
                    Ok(true) => view! { <SetupForm /> }.into_any(),
                    Ok(false) => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SetupForm() -> impl IntoView {
    let set_up = ServerAction::<SetUp>::new();
    let error = action_error(set_up);
    view! {
        <section class="panel narrow">
            <h1>"Set up Portico"</h1>
            <p>"Nobody has set up this Portico yet. Name your organisation and create its owner login; this page closes once it is done."</p>
            <ActionForm action=set_up>
                <FormAlert error />
                <Field label="Organisation name" name="organisation_name" autocomplete="organization" required=true error />
                <Field
                    label="Sender name"
                    name="sender_name"
                    hint="Invitations are sent from this name, e.g. your organisation's."
                    required=true
                    error
                />
                <Field
                    label="Sender e-mail address"
                    name="sender_email"
                    kind="email"
                    hint="Your e-mail provider must allow sending from this address."
                    required=true
                    error
                />
                <Field label="Your name" name="owner_name" autocomplete="name" required=true error />
                <Field label="Your e-mail address" name="owner_email" kind="email" autocomplete="username" required=true error />
                <NewPasswordFields sent=error.get_untracked() />
                <button type="submit" class="button">"Create the organisation and sign in"</button>
            </ActionForm>
        </section>
    }
}
