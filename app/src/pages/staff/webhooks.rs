//! `/staff/webhooks`: endpoints of other systems that hear of invitations and links as they
//! happen — the one just added with its signing secret (shown this once), each endpoint with
//! its events and how its deliveries go, and a form to add one. `/staff/webhooks/:id`: an
//! endpoint's deliveries, sending one again, and disabling or enabling it.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;

use crate::api::webhooks::{
    AddWebhook, DeliveryView, EndpointView, SendWebhookAgain, SetWebhookEnabled, webhook_log, webhooks,
};
use crate::domain::webhook::EVENT_TYPES;
use crate::pages::common::{Checkbox, CopyableLink, Field, FormAlert, LoadError, action_error};
use crate::pages::confirm::ConfirmFirst;

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let page = Resource::new(|| (), |_| webhooks());
    let add = ServerAction::<AddWebhook>::new();
    let error = action_error(add);
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
                        <h1>"Webhooks"</h1>
                        <p>"Your other systems can hear of invitations and portal logins as they happen: Portico sends each event you choose to their address, signed so they can tell it came from here. A message that is not answered is tried again 7 times over about a day; an address that fails for 5 days is disabled, and you are told here and on the settings page."</p>
                        {view.new_secret.map(|secret| view! {
                            <div class="notice new-key" role="status">
                                <p><strong>"The endpoint's signing secret. Copy it now: it is not shown again."</strong></p>
                                <CopyableLink link=secret label="Signing secret".to_owned() button="Copy secret".to_owned() />
                                <p class="hint">"Check each message's webhook-signature header with it (Standard Webhooks)."</p>
                            </div>
                        })}
                        {if view.endpoints.is_empty() {
                            view! { <p class="muted">"No endpoints yet."</p> }.into_any()
                        } else {
                            view.endpoints.into_iter().map(endpoint_card).collect_view().into_any()
                        }}
                    </section>
                    <section class="panel narrow" aria-labelledby="new-endpoint-heading">
                        <h2 id="new-endpoint-heading">"Add an endpoint"</h2>
                        <ActionForm action=add>
                            <FormAlert error />
                            <Field label="Address" name="url" kind="url" required=true error hint="Where to send events: https://…, reachable on the internet." />
                            <fieldset id="events">
                                <legend>"Events to send"</legend>
                                {EVENT_TYPES.iter().map(|event| view! {
                                    <Checkbox label=event.name name=event.field hint=event.meaning error=error />
                                }).collect_view()}
                            </fieldset>
                            <button type="submit" class="button">"Add endpoint"</button>
                        </ActionForm>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

fn endpoint_card(endpoint: EndpointView) -> impl IntoView {
    let state_class = if endpoint.disabled { "status status-revoked" } else { "status" };
    view! {
        <article class="card">
            <h3 class="address"><a href=format!("/staff/webhooks/{}", endpoint.id)>{endpoint.url.clone()}</a></h3>
            <p><span class=state_class>{endpoint.state.clone()}</span></p>
            {endpoint.state_detail.clone().map(|detail| view! { <p class="muted">{detail}</p> })}
            <p>{endpoint.events.join(", ")}</p>
            <p class="muted">{counts(&endpoint)}</p>
        </article>
    }
}

fn counts(endpoint: &EndpointView) -> String {
    format!(
        "Added on {}. {} delivered, {} waiting, {} given up.",
        endpoint.made, endpoint.delivered, endpoint.waiting, endpoint.given_up
    )
}

#[component]
pub fn WebhookLogPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or(0);
    let page = Resource::new(id, webhook_log);
    let send_again = ServerAction::<SendWebhookAgain>::new();
    let error = action_error(send_again);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let log = match page.await {
                    Ok(log) => log,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                let endpoint = log.endpoint;
                let id = endpoint.id;
                let switch = if endpoint.disabled {
                    view! {
                        <form method="post" action=SetWebhookEnabled::url()>
                            <input type="hidden" name="endpoint_id" value=id />
                            <input type="hidden" name="enable" value="true" />
                            <button type="submit" class="button">"Enable endpoint"</button>
                        </form>
                    }.into_any()
                } else {
                    view! {
                        <ConfirmFirst
                            key="disable".to_owned()
                            label="Disable endpoint"
                            question=format!("Disable {}?", endpoint.url)
                            consequence="Nothing is sent to it until it is enabled again, and events meanwhile are not sent to it later (they stay on the timeline and in the API's events). Messages being retried are sent once it is enabled.".to_owned()
                            to=SetWebhookEnabled::url()
                            fields=vec![("endpoint_id", id.to_string())]
                        />
                    }.into_any()
                };
                view! {
                    <section class="panel">
                        <p><a href="/staff/webhooks">"← Webhooks"</a></p>
                        <h1 class="address">{endpoint.url.clone()}</h1>
                        <p><span class=if endpoint.disabled { "status status-revoked" } else { "status" }>{endpoint.state.clone()}</span></p>
                        {endpoint.state_detail.clone().map(|detail| view! { <p class="muted">{detail}</p> })}
                        <p>{format!("Events: {}", endpoint.events.join(", "))}</p>
                        <p class="muted">{counts(&endpoint)}</p>
                        {switch}
                    </section>
                    <section class="panel" aria-labelledby="log-heading">
                        <h2 id="log-heading">"Deliveries"</h2>
                        <FormAlert error />
                        {if log.deliveries.is_empty() {
                            view! { <p class="muted">"Nothing sent yet."</p> }.into_any()
                        } else {
                            view! {
                                <table class="deliveries">
                                    <thead><tr><th>"Event"</th><th>"About"</th><th>"Made"</th><th>"Outcome"</th><th>"Last answer"</th><th>"Attempts"</th><th></th></tr></thead>
                                    <tbody>
                                        {log.deliveries.into_iter().map(|d| delivery_row(id, d, send_again)).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any()
                        }}
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

fn delivery_row(endpoint_id: i64, delivery: DeliveryView, send_again: ServerAction<SendWebhookAgain>) -> impl IntoView {
    let again = delivery.finished.then(|| {
        view! {
            <ActionForm action=send_again>
                <input type="hidden" name="endpoint_id" value=endpoint_id />
                <input type="hidden" name="delivery_id" value=delivery.id />
                <button type="submit" class="button secondary">"Send again"</button>
            </ActionForm>
        }
    });
    view! {
        <tr>
            <td data-label="Event"><code>{delivery.r#type}</code></td>
            <td data-label="About">
                {delivery.member.unwrap_or_else(|| "—".to_owned())}
                {delivery.email.map(|email| view! { " " <span class="muted">{email}</span> })}
            </td>
            <td data-label="Made">{delivery.made}</td>
            <td data-label="Outcome">{delivery.outcome}</td>
            <td data-label="Last answer">{delivery.last_answer}</td>
            <td data-label="Attempts">{delivery.attempts}</td>
            <td>{again}</td>
        </tr>
    }
}
