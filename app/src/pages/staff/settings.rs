//! The organisation's settings — its name, sender, link validity and default template; how
//! people reach the portal — with their timeline, and the Link requests they can lead to.

use leptos::prelude::*;

use crate::api::settings::{
    DecideLinkRequest, PortalSettingsView, UpdateOrganisation, UpdatePortalSettings, link_requests, portal_settings,
};
use crate::api::templates::TemplateView;
use crate::pages::common::{Checkbox, Field, FormAlert, LoadError, Timeline, action_error};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let settings = Resource::new(|| (), |_| portal_settings());
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(settings) => view! { <SettingsForm settings /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SettingsForm(settings: PortalSettingsView) -> impl IntoView {
    let update = ServerAction::<UpdatePortalSettings>::new();
    let error = action_error(update);
    let auto_link = settings.auto_link.clone();
    let choice = move |value: &'static str, label: &'static str| {
        let checked = auto_link == value;
        view! {
            <label class="choice">
                <input type="radio" name="auto_link" value=value checked=checked />" "{label}
            </label>
        }
    };
    let organisation = OrganisationFields {
        name: settings.name.clone(),
        sender_name: settings.sender_name.clone(),
        sender_email: settings.sender_email.clone(),
        validity_days: settings.validity_days,
        templates: settings.templates.clone(),
    };
    view! {
        <OrganisationForm organisation may_change=settings.may_change />
        <section class="panel narrow">
            <h2>"Portal settings"</h2>
            {(!settings.may_change).then(|| view! { <p class="muted">"Only the owner and administrators change these."</p> })}
            <ActionForm action=update>
                <FormAlert error />
                <Checkbox
                    label="Let people sign up without an invitation"
                    name="self_sign_up"
                    checked=settings.self_sign_up
                    hint="They prove their e-mail address with a link before anything is linked."
                />
                <p class="muted">{format!("Sign-up address: {}", settings.sign_up_url)}</p>
                <fieldset>
                    <legend>"When a confirmed sign-up or an accepted invitation has the e-mail of a profile's contact"</legend>
                    {choice("always", "Link it at once")}
                    {choice("ask", "Ask staff to confirm in Link requests")}
                    {choice("never", "Never: only by invitation")}
                </fieldset>
                <Checkbox
                    label="Send the portal invitation as a representative is added"
                    name="invite_at_once"
                    checked=settings.invite_at_once
                    hint="How the box on the add-representative form starts; staff can still change it."
                />
                <fieldset>
                    <legend>"What members see on the portal besides their profile and memberships"</legend>
                    <Checkbox label="Their bookings" name="bookings_shown" checked=settings.bookings_shown />
                    <Checkbox
                        label="The files shared with them"
                        name="files_shown"
                        checked=settings.files_shown
                        hint="Staff still keep files on profiles; members see them again when this is back on."
                    />
                </fieldset>
                <button type="submit" class="button" disabled=!settings.may_change>"Save settings"</button>
            </ActionForm>
            <p><a href="/staff/link-requests">"Link requests"</a></p>
        </section>
        <Timeline heading="What changed, and who changed it" entries=settings.timeline />
    }
}

#[component]
pub fn LinkRequestsPage() -> impl IntoView {
    let requests = Resource::new(|| (), |_| link_requests());
    let decide = ServerAction::<DecideLinkRequest>::new();
    let error = action_error(decide);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let requests = match requests.await {
                    Ok(requests) => requests,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                view! {
                    <section class="panel">
                        <h1>"Link requests"</h1>
                        <p>"Logins whose confirmed e-mail matches a profile's contact. Approve to link them; reject if it is not that person."</p>
                        <FormAlert error />
                        {if requests.is_empty() {
                            view! { <p>"No requests waiting."</p> }.into_any()
                        } else {
                            requests.into_iter().map(|r| view! {
                                <article class="card">
                                    <p class="headline">{format!("{} asks for ", r.login_email)}<a href=format!("/staff/members/{}", r.member_id)>{r.member_name}</a></p>
                                    <p>{format!("As {}, on {}", r.contact, r.asked_on)}</p>
                                    <div class="actions">
                                        <ActionForm action=decide>
                                            <input type="hidden" name="request_id" value=r.id />
                                            <input type="hidden" name="approve" value="true" />
                                            <button type="submit" class="button">"Approve"</button>
                                        </ActionForm>
                                        <ActionForm action=decide>
                                            <input type="hidden" name="request_id" value=r.id />
                                            <button type="submit" class="button secondary">"Reject"</button>
                                        </ActionForm>
                                    </div>
                                </article>
                            }).collect_view().into_any()
                        }}
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

/// What the organisation form starts with.
struct OrganisationFields {
    name: String,
    sender_name: String,
    sender_email: String,
    validity_days: i64,
    templates: Vec<TemplateView>,
}

#[component]
fn OrganisationForm(organisation: OrganisationFields, may_change: bool) -> impl IntoView {
    let update = ServerAction::<UpdateOrganisation>::new();
    let error = action_error(update);
    let chosen = organisation.templates.iter().find(|t| t.is_default).map_or(0, |t| t.id);
    view! {
        <section class="panel narrow">
            <h1>"Settings"</h1>
            {(!may_change).then(|| view! { <p class="muted">"Only the owner and administrators change these."</p> })}
            <ActionForm action=update>
                <FormAlert error />
                <Field label="Organisation name" name="name" value=organisation.name required=true error />
                <Field
                    label="Sender name"
                    name="sender_name"
                    value=organisation.sender_name
                    required=true
                    hint="Who the invitation e-mails say they are from."
                    error
                />
                <Field
                    label="Sender address"
                    name="sender_email"
                    kind="email"
                    value=organisation.sender_email
                    required=true
                    hint="The e-mail service must allow sending from it: verify its domain with the provider first."
                    error
                />
                <Field
                    label="Invitation links work for (days)"
                    name="validity_days"
                    kind="number"
                    value=organisation.validity_days.to_string()
                    required=true
                    hint="From 1 to 90. Links already sent keep their date."
                    error
                />
                <div class="field">
                    <label for="default_template_id">"Default template"</label>
                    <select id="default_template_id" name="default_template_id">
                        <option value="0">"None"</option>
                        {organisation
                            .templates
                            .into_iter()
                            .map(|t| view! { <option value=t.id selected=t.id == chosen>{t.name}</option> })
                            .collect_view()}
                    </select>
                </div>
                <button type="submit" class="button" disabled=!may_change>"Save"</button>
            </ActionForm>
        </section>
    }
}
