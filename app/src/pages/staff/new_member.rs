use leptos::prelude::*;

use crate::api::auth::whoami;
use crate::api::members::AddMember;
use crate::error::AppError;
use crate::pages::common::{Field, FormAlert, LoadError, TextArea, action_error};

#[component]
pub fn NewMemberPage() -> impl IntoView {
    // Only staff may see the form; anyone else gets what they would get from the API.
    let viewer = Resource::new(|| (), |_| whoami());
    let add = ServerAction::<AddMember>::new();
    let error = action_error(add);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match viewer.await {
                    Ok(Some(v)) if v.is_staff => view! {
                        <section class="panel narrow">
                            <p><a href="/staff/members">"← Members"</a></p>
                            <h1>"Add member"</h1>
                            <ActionForm action=add>
                                <FormAlert error />
                                <Field label="First name" name="first_name" autocomplete="off" required=true error />
                                <Field label="Last name" name="last_name" autocomplete="off" required=true error />
                                <Field label="E-mail address" name="email" kind="email" autocomplete="off" error />
                                <Field label="Phone" name="phone" kind="tel" autocomplete="off" error />
                                <TextArea label="Postal address" name="address" error />
                                <button type="submit" class="button">"Add member"</button>
                            </ActionForm>
                        </section>
                    }.into_any(),
                    Ok(Some(_)) => view! { <LoadError error=AppError::NotFound /> }.into_any(),
                    Ok(None) => view! { <LoadError error=AppError::Unauthenticated /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
