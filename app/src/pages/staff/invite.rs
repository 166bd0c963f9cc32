use leptos::prelude::*;

use super::member_id_param;
use crate::api::invitations::SendInvitation;
use crate::api::members::member_profile;
use crate::pages::common::{Field, FormAlert, LoadError, TextArea, action_error};

#[component]
pub fn InvitePage() -> impl IntoView {
    let member_id = member_id_param();
    let profile = Resource::new(move || member_id.get(), member_profile);
    let send = ServerAction::<SendInvitation>::new();
    let error = action_error(send);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let profile = match profile.await {
                    Ok(profile) => profile,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                let back = format!("/staff/members/{}", profile.id);
                let name = format!("{} {}", profile.first_name, profile.last_name);
                if !profile.logins.is_empty() {
                    return view! {
                        <section class="panel narrow">
                            <h1>{format!("Invite {name}")}</h1>
                            <p>"This member already has a portal login. Unlink it on their profile to invite them again."</p>
                            <p><a href=back>"Back to the profile"</a></p>
                        </section>
                    }.into_any();
                }
                // The address the last invitation went to (a parent's, say), unless the
                // member's e-mail changed since: then the new one.
                let email = profile
                    .invitation
                    .as_ref()
                    .filter(|i| !i.revoked_for_new_email)
                    .map(|i| i.email.clone())
                    .or(profile.email.clone())
                    .unwrap_or_default();
                view! {
                    <section class="panel narrow">
                        <p><a href=back>{format!("← {name}")}</a></p>
                        <h1>{format!("Invite {name}")}</h1>
                        <p>{format!(
                            "We will e-mail a link to set a password. It works once and for {} days; any earlier link stops working.",
                            profile.validity_days
                        )}</p>
                        <ActionForm action=send>
                            <FormAlert error />
                            <input type="hidden" name="member_id" value=profile.id />
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
