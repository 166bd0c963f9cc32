//! `/staff/logo`: the organisation's logo — the one shown now, a form to upload another (a
//! multipart form, `web::brand`), and a way to take it away. A page of its own, so the
//! settings page stays one form whose edits nothing else can throw away.

use leptos::prelude::*;

use crate::api::settings::{RemoveLogo, portal_settings};
use crate::pages::common::{FileField, FormAlert, LoadError, action_error, posted_error};

#[component]
pub fn LogoPage() -> impl IntoView {
    let settings = Resource::new(|| (), |_| portal_settings());
    let error = posted_error("/staff/settings/logo".to_owned());
    let remove = ServerAction::<RemoveLogo>::new();
    let remove_error = action_error(remove);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (logo, may_change) = match settings.await {
                    Ok(settings) => (settings.logo, settings.may_change),
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                let shown = logo.clone().map(|src| view! { <p><img class="logo-preview" src=src alt="Your logo as members see it" /></p> });
                if !may_change {
                    return view! {
                        <section class="panel narrow">
                            <h1>"Logo"</h1>
                            {shown}
                            <p class="muted">"Only the owner and administrators change the logo."</p>
                        </section>
                    }.into_any();
                }
                view! {
                    <section class="panel narrow">
                        <p><a href="/staff/settings">"← Settings"</a></p>
                        <h1>"Logo"</h1>
                        <p>"Shown beside your name on your members' pages, on the invitation page and in invitation e-mails."</p>
                        {shown}
                        {logo.map(|_| view! {
                            <FormAlert error=remove_error />
                            <ActionForm action=remove>
                                <button type="submit" class="button secondary">"Remove the logo"</button>
                            </ActionForm>
                        })}
                        <form method="post" enctype="multipart/form-data" action="/staff/settings/logo">
                            <FormAlert error />
                            <FileField
                                label="Upload a logo"
                                name="logo"
                                hint="A PNG, JPEG or WebP image of up to 256 KB; it is shown 40 px high."
                                accept="image/png,image/jpeg,image/webp"
                                error
                            />
                            <button type="submit" class="button">"Upload logo"</button>
                        </form>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}
