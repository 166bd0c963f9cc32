//! Dev mode only: every component of the design system on one page, as the other pages use
//! them, so a change to the style sheet can be seen at once (the browser tests screenshot it
//! at desktop and phone size).

use leptos::prelude::*;

use crate::api::dev::dev_only;
use crate::domain::PortalStatus;
use crate::error::AppError;
use crate::pages::common::{Checkbox, Field, FileField, FormAlert, LoadError};
use crate::pages::confirm::ConfirmFirst;

#[component]
pub fn StyleGuidePage() -> impl IntoView {
    let allowed = Resource::new(|| (), |_| dev_only());
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match allowed.await {
                    Ok(()) => view! { <StyleGuide /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StyleGuide() -> impl IntoView {
    let mistake = Signal::stored(Some(AppError::invalid("email", "Enter an e-mail address like name@example.org.")));
    let none = Signal::stored(None::<AppError>);
    view! {
        <section class="panel">
            <h1>"Style guide"</h1>
            <p class="muted">"Every component, as the pages use it. Dev mode only."</p>

            <h2>"Buttons"</h2>
            <div class="actions">
                <button type="button" class="button">"Primary"</button>
                <button type="button" class="button secondary">"Secondary"</button>
                <button type="button" class="button danger">"Danger (inside a question only)"</button>
                <button type="button" class="button" disabled>"Disabled"</button>
            </div>

            <h2>"Status tags"</h2>
            <p class="actions">
                {PortalStatus::ALL.into_iter().map(|status| view! {
                    <span class=format!("status status-{}", status.slug())>{status.label()}</span>
                }).collect_view()}
            </p>

            <h2>"Filter chips"</h2>
            <nav class="filters" aria-label="Example filters">
                <a href="/dev/style-guide" aria-current="page">"Everyone (3,002)"</a>
                <a href="/dev/style-guide">"Waiting (12)"</a>
                <a href="/dev/style-guide" class="muted">"Declined (0)"</a>
            </nav>

            <h2>"Notice and error summary"</h2>
            <p class="notice" role="status">"Invitation sent to anna@example.org."</p>
            <FormAlert error=mistake />

            <h2>"Fields"</h2>
            <Field label="E-mail address" name="email" kind="email" hint="Where the link goes." error=mistake />
            <Field label="First name" name="first_name" error=none />
            <Checkbox label="Send the portal invitation now" name="send_now" checked=true />
            <FileField label="Add a file" name="file" hint="Up to 1 MiB." error=none />

            <h2>"Table"</h2>
            <div class="table-scroll">
                <table class="members">
                    <thead>
                        <tr>
                            <th scope="col" aria-sort="ascending"><a href="/dev/style-guide" aria-current="true">"Name"<span aria-hidden="true">" ▲"</span></a></th>
                            <th scope="col">"Status"</th>
                            <th scope="col" class="wide-column"><a href="/dev/style-guide">"Last login"</a></th>
                        </tr>
                    </thead>
                    <tbody>
                        <tr><td><a href="/dev/style-guide">"Ada Byron"</a></td><td><span class="status status-active">"Active"</span></td><td class="wide-column">"2 December 2026"</td></tr>
                        <tr><td><a href="/dev/style-guide">"Noa Case"</a></td><td><span class="status status-waiting">"Waiting"</span></td><td class="wide-column">"—"</td></tr>
                    </tbody>
                </table>
            </div>

            <h2>"Pagination"</h2>
            <nav class="pager" aria-label="Example pages">
                <span class="position">"51–100 of 3,002"</span>" "
                <a href="/dev/style-guide">"First page"</a>" "
                <a href="/dev/style-guide">"Next 50"</a>
            </nav>

            <h2>"Card"</h2>
            <article class="card">
                <h3>"Anna Keller " <span class="relation">"(mother)"</span></h3>
                <p>"anna@example.org"</p>
                <p class="headline">"Invitation sent just now"</p>
            </article>

            <h2>"Confirmation"</h2>
            <p>"What cannot be undone asks first; without JavaScript the page opens the question itself."</p>
            <ConfirmFirst
                key="example".to_owned()
                label="Remove"
                question="Remove Anna Keller from this profile?".to_owned()
                consequence="Their name, e-mail and relation are deleted from this profile. This cannot be undone.".to_owned()
                to="/dev/style-guide"
                fields=vec![]
            />
        </section>
    }
}
