use leptos::prelude::*;

use super::profile_with_contact;
use crate::api::invitations::SendInvitation;
use crate::pages::common::{Field, FormAlert, LoadError, TextArea, action_error};

/// Invites one person around a profile: the member themself or a representative.
#[component]
pub fn InvitePage() -> impl IntoView {
    let loaded = profile_with_contact();
    let send = ServerAction::<SendInvitation>::new();
    let error = action_error(send);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (profile, contact) = match loaded.await {
                    Ok(loaded) => loaded,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                let back = format!("/staff/members/{}", profile.id);
                let name = format!("{} {}", contact.first_name, contact.last_name);
                let heading = if contact.is_self {
                    format!("Invite {name}")
                } else {
                    format!("Invite {name} to {} {}'s profile", profile.first_name, profile.last_name)
                };
                if contact.login.is_some() {
                    return view! {
                        <section class="panel narrow">
                            <h1>{heading}</h1>
                            <p>"They already have a portal login. Unlink it on the profile to invite them again."</p>
                            <p><a href=back>"Back to the profile"</a></p>
                        </section>
                    }.into_any();
                }
                // The address the last invitation went to, unless the contact's e-mail
                // changed since: then the new one.
                let email = contact
                    .invitation
                    .as_ref()
                    .filter(|i| !i.revoked_for_new_email)
                    .map(|i| i.email.clone())
                    .or(contact.email.clone())
                    .unwrap_or_default();
                view! {
                    <section class="panel narrow">
                        <p><a href=back>{format!("← {} {}", profile.first_name, profile.last_name)}</a></p>
                        <h1>{heading}</h1>
                        <p>{format!(
                            "We will e-mail a link to set a password. It works once and for {} days; any earlier link stops working.",
                            profile.validity_days
                        )}</p>
                        <ActionForm action=send>
                            <FormAlert error />
                            <input type="hidden" name="contact_id" value=contact.id />
                            <Field label="E-mail address" name="email" kind="email" value=email required=true error />
                            <TextArea
                                label="Personal message"
                                name="message"
                                hint="Added to the invitation e-mail."
                                error
                            />
                            <button type="submit" class="button">"Send invitation"</button>
                        </ActionForm>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}
