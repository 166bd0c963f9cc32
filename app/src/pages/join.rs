//! Self-service sign-up at an organisation's portal address (when it allows it), and the
//! page its confirmation link opens.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::common::{Field, FormAlert, LoadError, NewPasswordFields, action_error};
use crate::api::sign_up::{ConfirmSignUp, SignUp, sign_up_page, sign_up_preview};

#[component]
pub fn SignUpPage() -> impl IntoView {
    let params = use_params_map();
    let organisation_id =
        Memo::new(move |_| params.read().get("organisation").and_then(|id| id.parse::<i64>().ok()).unwrap_or(0));
    let page = Resource::new(move || organisation_id.get(), sign_up_page);
    let sign_up = ServerAction::<SignUp>::new();
    let error = action_error(sign_up);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let organisation_name = match page.await {
                    Ok(name) => name,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                view! {
                    <section class="panel narrow">
                        <h1>{format!("Sign up for {organisation_name}")}</h1>
                        <p>"Use the e-mail address the organisation has for you: your login is linked to your profile by it. We send a link to prove the address is yours."</p>
                        <ActionForm action=sign_up>
                            <FormAlert error />
                            <input type="hidden" name="organisation_id" value=organisation_id.get_untracked() />
                            <Field label="E-mail address" name="email" kind="email" autocomplete="username" required=true error />
                            <NewPasswordFields sent=error.get_untracked() />
                            <button type="submit" class="button">"Sign up"</button>
                        </ActionForm>
                        <p>"Have a login already? "<a href="/login">"Sign in"</a></p>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
pub fn SignUpSentPage() -> impl IntoView {
    view! {
        <section class="panel narrow">
            <h1>"Check your e-mail"</h1>
            <p>"We sent a link to the address you gave. Open it within a day to confirm it; nothing is set up until then."</p>
            <p class="actions"><a class="button secondary" href="/login">"Back to sign in"</a></p>
        </section>
    }
}

/// The confirmation link's page: opening it changes nothing, the button confirms.
#[component]
pub fn ConfirmSignUpPage() -> impl IntoView {
    let params = use_params_map();
    let token = Memo::new(move |_| params.read().get("token").unwrap_or_default());
    let preview = Resource::new(move || token.get(), sign_up_preview);
    let confirm = ServerAction::<ConfirmSignUp>::new();
    let error = action_error(confirm);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let welcome = match preview.await {
                    Ok(welcome) => welcome,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                view! {
                    <section class="panel narrow">
                        <h1>"Confirm your e-mail address"</h1>
                        <p>{format!("You signed up for {} with ", welcome.organisation_name)}<strong>{welcome.email}</strong>"."</p>
                        <ActionForm action=confirm>
                            <FormAlert error />
                            <input type="hidden" name="token" value=token.get_untracked() />
                            <button type="submit" class="button">"Confirm my e-mail address"</button>
                        </ActionForm>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

/// What the confirmed address reached, as the organisation's setting decided.
#[component]
pub fn SignUpConfirmedPage() -> impl IntoView {
    let query = use_query_map();
    let outcome = query.read_untracked().get("outcome").unwrap_or_default();
    let text = match outcome.as_str() {
        "linked" => "Your login is linked to your profile. Sign in to see it.",
        "waiting" => {
            "Your profile has this e-mail address: the organisation will confirm it is you and link it. You can sign in once they have."
        }
        _ => {
            "Your login is ready, but it is not linked to a profile yet. Ask the organisation to invite you, or to put this e-mail address on your profile."
        }
    };
    view! {
        <section class="panel narrow">
            <h1>"Your e-mail address is confirmed"</h1>
            <p>{text}</p>
            <p><a class="button" href="/login">"Sign in"</a></p>
        </section>
    }
}
