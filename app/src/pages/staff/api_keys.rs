//! `/staff/api-keys`: keys other systems use to call `/api/v1` — the one just made (shown
//! this once), each key with what it may do and when it was last used, a form to make one,
//! and revoking (asked first: systems using the key stop at once).

use leptos::prelude::*;
use server_fn::ServerFn;

use crate::api::api_keys::{ApiKeyView, CreateApiKey, RevokeApiKey, api_keys};
use crate::pages::common::{CopyableLink, Field, FormAlert, LoadError, action_error};
use crate::pages::confirm::ConfirmFirst;

#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let page = Resource::new(|| (), |_| api_keys());
    let create = ServerAction::<CreateApiKey>::new();
    let error = action_error(create);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let view = match page.await {
                    Ok(view) => view,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                view! {
                    <section class="panel narrow">
                        <p><a href="/staff/settings">"← Settings"</a></p>
                        <h1>"API keys"</h1>
                        <p>"Other systems — your school's or practice's records, a sync script — use a key to read your members and timeline, and to add, change and invite members, through the API at "<code>"/api/v1"</code>". A key works for your organisation only."</p>
                        {view.new_key.map(|key| view! {
                            <div class="notice new-key" role="status">
                                <p><strong>"Your new key. Copy it now: it is not shown again."</strong></p>
                                <CopyableLink link=key label="New API key".to_owned() button="Copy key".to_owned() />
                            </div>
                        })}
                        {if view.keys.is_empty() {
                            view! { <p class="muted">"No keys yet."</p> }.into_any()
                        } else {
                            view.keys.into_iter().map(key_card).collect_view().into_any()
                        }}
                    </section>
                    <section class="panel narrow" aria-labelledby="new-key-heading">
                        <h2 id="new-key-heading">"Make a key"</h2>
                        <ActionForm action=create>
                            <FormAlert error />
                            <Field label="Name" name="name" required=true error hint="What will use it, such as “Office records sync”." />
                            <div class="field">
                                <label for="access">"It may"</label>
                                <select id="access" name="access">
                                    <option value="read">"Read members and the timeline"</option>
                                    <option value="read_write">"Read, and add, change and invite members"</option>
                                </select>
                            </div>
                            <button type="submit" class="button">"Make key"</button>
                        </ActionForm>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

fn key_card(key: ApiKeyView) -> impl IntoView {
    let revoke = key.revoked.is_none().then(|| {
        view! {
            <ConfirmFirst
                key=format!("revoke-{}", key.id)
                label="Revoke key"
                question=format!("Revoke the key “{}”?", key.name)
                consequence="Every system using it is refused from the next request on. This cannot be undone: a new key would have to be made and given to them.".to_owned()
                to=RevokeApiKey::url()
                fields=vec![("id", key.id.to_string()), ("name", key.name.clone())]
            />
        }
    });
    view! {
        <article class="card">
            <h3>{key.name.clone()}</h3>
            <p><code>{key.shown}</code>" · "{key.access}</p>
            <p class="muted">{format!("Made on {}. Last used: {}.", key.made, key.last_used)}</p>
            {key.revoked.map(|at| view! { <p class="status status-revoked">{format!("Revoked on {at}")}</p> })}
            {revoke}
        </article>
    }
}
