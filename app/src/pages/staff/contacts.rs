//! Adding and changing a representative (a parent, a guardian, a bookkeeper) on a profile.

use leptos::prelude::*;

use super::{member_id_param, profile_with_contact};
use crate::api::contacts::{AddContact, UpdateContact};
use crate::api::members::{ContactCard, member_profile};
use crate::error::AppError;
use crate::pages::common::{Checkbox, Field, FormAlert, LoadError, action_error};

/// 003's "Invite a representative": e-mail, first and last name — and, ticked, the
/// invitation goes out at once.
#[component]
pub fn AddContactPage() -> impl IntoView {
    let member_id = member_id_param();
    let profile = Resource::new(move || member_id.get(), member_profile);
    let add = ServerAction::<AddContact>::new();
    let error = action_error(add);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let profile = match profile.await {
                    Ok(profile) => profile,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                let name = format!("{} {}", profile.first_name, profile.last_name);
                view! {
                    <section class="panel narrow">
                        <p><a href=format!("/staff/members/{}", profile.id)>{format!("← {name}")}</a></p>
                        <h1>{format!("Add a representative for {name}")}</h1>
                        <p>"A parent, a guardian, a carer or a bookkeeper: they get their own login to this profile."</p>
                        <ActionForm action=add>
                            <FormAlert error />
                            <input type="hidden" name="member_id" value=profile.id />
                            <SamePersonQuestion error />
                            <ContactFields error contact=None />
                            <Checkbox
                                label="Send the portal invitation now"
                                name="send_now"
                                checked=profile.invite_at_once
                                hint="Needs an e-mail address."
                                error
                            />
                            <button type="submit" class="button">"Add representative"</button>
                        </ActionForm>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
pub fn EditContactPage() -> impl IntoView {
    let loaded = profile_with_contact();
    let update = ServerAction::<UpdateContact>::new();
    let error = action_error(update);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (profile, contact) = match loaded.await {
                    Ok(loaded) => loaded,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                let back = format!("/staff/members/{}", profile.id);
                if contact.is_self {
                    return view! {
                        <section class="panel narrow">
                            <p>"The member's own name and e-mail are their details: "<a href=format!("{back}/edit")>"Edit details"</a></p>
                        </section>
                    }.into_any();
                }
                view! {
                    <section class="panel narrow">
                        <p><a href=back>{format!("← {} {}", profile.first_name, profile.last_name)}</a></p>
                        <h1>{format!("Edit {} {}", contact.first_name, contact.last_name)}</h1>
                        <ActionForm action=update>
                            <FormAlert error />
                            <input type="hidden" name="contact_id" value=contact.id />
                            <ContactFields error contact=Some(contact) />
                            <button type="submit" class="button">"Save changes"</button>
                        </ActionForm>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

/// The fields adding and editing share; empty when adding.
#[component]
fn ContactFields(error: Signal<Option<AppError>>, contact: Option<ContactCard>) -> impl IntoView {
    let primary = contact.as_ref().is_none_or(|c| c.is_primary);
    let email_hint = if contact.is_some() {
        "A new address revokes a pending invitation: it went to the old one."
    } else {
        "Where their invitation goes."
    };
    let (first, last, relation, email) = match contact {
        Some(c) => (c.first_name, c.last_name, c.relation.unwrap_or_default(), c.email.unwrap_or_default()),
        None => Default::default(),
    };
    view! {
        <Field label="E-mail address" name="email" kind="email" value=email autocomplete="off" hint=email_hint error />
        <Field label="First name" name="first_name" value=first autocomplete="off" required=true error />
        <Field label="Last name" name="last_name" value=last autocomplete="off" required=true error />
        <Field
            label="Relation"
            name="relation"
            value=relation
            autocomplete="off"
            hint="How they stand to the member: parent, guardian, bookkeeper…"
            error
        />
        <Checkbox
            label="Primary contact"
            name="primary"
            checked=primary
            hint="Invitations sent to many at once go to primary contacts only."
            error
        />
    }
}

/// When the e-mail given is already someone's on another profile, the form comes back
/// asking whether this is that person: one login for all their profiles, or someone else
/// who shares the address.
#[component]
fn SamePersonQuestion(error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error.get().and_then(|e| e.field_message("same_person")).map(|question| {
            view! {
                <fieldset class="field question" id="same_person" aria-describedby="same_person-error">
                    <legend>"The same person?"</legend>
                    <p id="same_person-error">{question}</p>
                    <label class="choice">
                        <input type="radio" name="same_person" value="yes" required=true />
                        " Yes, the same person: one login for both profiles"
                    </label>
                    <label class="choice">
                        <input type="radio" name="same_person" value="no" />
                        " No, someone else who shares this e-mail address"
                    </label>
                </fieldset>
            }
        })
    }
}
