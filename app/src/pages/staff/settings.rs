//! The organisation's settings — its name, sender, link validity and default template; how
//! people reach the portal — in one form, with their timeline, and the Link requests they can
//! lead to.

use leptos::prelude::*;

use crate::api::settings::{DecideLinkRequest, PortalSettingsView, UpdateSettings, link_requests, portal_settings};
use crate::error::AppError;
use crate::pages::common::{Checkbox, Field, FormAlert, LoadError, Timeline, action_error, chosen};

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

/// One form for the whole page: saving one part can never throw away edits to another.
#[component]
fn SettingsForm(settings: PortalSettingsView) -> impl IntoView {
    let update = ServerAction::<UpdateSettings>::new();
    let error = action_error(update);
    let auto_link = settings.auto_link.clone();
    let choice = move |value: &'static str, label: &'static str| {
        let auto_link = auto_link.clone();
        let checked = move || chosen(Some(error), "auto_link").unwrap_or_else(|| auto_link.clone()) == value;
        view! {
            <label class="choice">
                <input type="radio" name="auto_link" value=value checked=checked />" "{label}
            </label>
        }
    };
    let may_change = settings.may_change;
    let timeline = settings.timeline.clone();
    let logo = settings.logo.clone();
    view! {
        <section class="panel narrow">
            <h1>"Settings"</h1>
            {(!may_change).then(|| view! { <p class="muted">"Only the owner and administrators change these."</p> })}
            <ActionForm action=update>
                <FormAlert error />
                <h2>"The organisation"</h2>
                <OrganisationFields settings=settings.clone() error />
                <h2>"Portal settings"</h2>
                <Checkbox
                    label="Let people sign up without an invitation"
                    name="self_sign_up"
                    checked=settings.self_sign_up
                    hint="They prove their e-mail address with a link before anything is linked."
                    error
                />
                <SignUpOffQuestion error />
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
                    error
                />
                <fieldset>
                    <legend>"What members see on the portal besides their profile and memberships"</legend>
                    <Checkbox label="Their bookings" name="bookings_shown" checked=settings.bookings_shown error />
                    <Checkbox
                        label="The files shared with them"
                        name="files_shown"
                        checked=settings.files_shown
                        hint="Staff still keep files on profiles; members see them again when this is back on."
                        error
                    />
                </fieldset>
                <button type="submit" class="button" disabled=!may_change>"Save settings"</button>
            </ActionForm>
            <p><a href="/staff/link-requests">"Link requests"</a></p>
        </section>
        <section class="panel narrow" aria-labelledby="logo-heading">
            <h2 id="logo-heading">"Logo"</h2>
            {match logo {
                Some(src) => view! { <p><img class="logo-preview" src=src alt="Your logo as members see it" /></p> }.into_any(),
                None => view! { <p>"No logo yet: your pages show your name alone."</p> }.into_any(),
            }}
            {may_change.then(|| view! { <p><a href="/staff/logo">"Change the logo"</a></p> })}
        </section>
        {may_change.then(|| view! {
            <section class="panel narrow" aria-labelledby="api-heading">
                <h2 id="api-heading">"Other systems"</h2>
                <p>"Bring in the members you keep in a spreadsheet or another system, from a CSV file."</p>
                <p><a href="/staff/imports">"Import members"</a></p>
                <p>"Keys let your other systems read and change your members through the API."</p>
                <p><a href="/staff/api-keys">"API keys"</a></p>
                <p>"Webhooks tell your other systems of invitations and logins as they happen."</p>
                <p><a href="/staff/webhooks">"Webhooks"</a></p>
            </section>
        })}
        <Timeline heading="What changed, and who changed it" entries=timeline narrow=true />
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

/// The organisation's name, sender, link validity and default template.
#[component]
fn OrganisationFields(settings: PortalSettingsView, error: Signal<Option<AppError>>) -> impl IntoView {
    let chosen_template = super::templates::default_template(&settings.templates);
    let chosen_template =
        move || chosen(Some(error), "default_template_id").and_then(|id| id.parse().ok()).unwrap_or(chosen_template);
    view! {
        <Field label="Organisation name" name="name" value=settings.name required=true error />
        <Field
            label="Sender name"
            name="sender_name"
            value=settings.sender_name
            required=true
            hint="Who the invitation e-mails say they are from."
            error
        />
        <Field
            label="Sender address"
            name="sender_email"
            kind="email"
            value=settings.sender_email
            required=true
            hint="The e-mail service must allow sending from it: verify its domain with the provider first."
            error
        />
        <Field
            label="Invitation links work for (days)"
            name="validity_days"
            kind="number"
            value=settings.validity_days.to_string()
            required=true
            hint="From 1 to 90. Links already sent keep their date."
            error
        />
        <Field
            label="Time zone"
            name="time_zone"
            value=settings.time_zone
            autocomplete="off"
            list="time-zones"
            required=true
            hint="Every time your pages and e-mails show is in it: Europe/Zurich, America/New_York, UTC…"
            error
        />
        <datalist id="time-zones">
            {settings.time_zones.into_iter().map(|name| view! { <option value=name></option> }).collect_view()}
        </datalist>
        <Field
            label="Accent colour"
            name="accent_colour"
            value=settings.accent_colour
            autocomplete="off"
            hint="Buttons and links on your members' pages and e-mails, as # and six digits (#1d4ed8). It must be dark enough for white text on it. Empty: Portico's blue."
            error
        />
        <div class="field">
            <label for="default_template_id">"Default template"</label>
            <select id="default_template_id" name="default_template_id">
                <option value="0">"Built-in wording"</option>
                {settings
                    .templates
                    .into_iter()
                    .map(|t| view! { <option value=t.id selected=move || t.id == chosen_template()>{t.name}</option> })
                    .collect_view()}
            </select>
        </div>
    }
}

/// Turning sign-up off is asked first: when the form comes back with that question, the
/// box that says yes, next to it.
#[component]
fn SignUpOffQuestion(error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error.get().and_then(|e| e.field_message("sign_up_off_confirmed")).map(|question| {
            view! {
                <div class="field checkbox has-error">
                    <p class="field-error" id="sign_up_off_confirmed-error">{question}</p>
                    <label>
                        <input
                            type="checkbox"
                            id="sign_up_off_confirmed"
                            name="sign_up_off_confirmed"
                            value="true"
                            aria-describedby="sign_up_off_confirmed-error"
                        />
                        " Yes, turn sign-up off"
                    </label>
                </div>
            }
        })
    }
}
