use leptos::prelude::*;

use super::member_id_param;
use crate::api::members::{MemberDetails, UpdateMember, member_profile};
use crate::pages::common::{Checkbox, Field, FormAlert, LoadError, TextArea, action_error};

/// The member's details, to correct. A new e-mail address revokes a pending invitation
/// (it went to the old address); the profile then offers a new one.
#[component]
pub fn EditMemberPage() -> impl IntoView {
    let member_id = member_id_param();
    let profile = Resource::new(move || member_id.get(), member_profile);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(member) => view! { <EditForm member /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditForm(member: MemberDetails) -> impl IntoView {
    let update = ServerAction::<UpdateMember>::new();
    let error = action_error(update);
    let id = member.id;
    let primary = member.contacts.first().is_some_and(|own| own.is_primary);
    view! {
        <section class="panel narrow">
            <p><a href=format!("/staff/members/{id}")>"← Profile"</a></p>
            <h1>{format!("Edit {} {}", member.first_name, member.last_name)}</h1>
            <ActionForm action=update>
                <FormAlert error />
                <input type="hidden" name="member_id" value=id />
                <Field label="First name" name="first_name" value=member.first_name autocomplete="off" required=true error />
                <Field label="Last name" name="last_name" value=member.last_name autocomplete="off" required=true error />
                <Field
                    label="E-mail address"
                    name="email"
                    kind="email"
                    value=member.email.unwrap_or_default()
                    autocomplete="off"
                    hint="A new address revokes a pending invitation: it went to the old one."
                    error
                />
                <Field label="Phone" name="phone" kind="tel" value=member.phone.unwrap_or_default() autocomplete="off" error />
                <TextArea label="Postal address" name="address" value=member.address.unwrap_or_default() error />
                <Checkbox
                    label="The member is a primary contact"
                    name="primary"
                    checked=primary
                    hint="Untick for a young child whose parent is invited instead: invitations sent to many at once go to primary contacts only."
                />
                <button type="submit" class="button">"Save changes"</button>
            </ActionForm>
        </section>
    }
}
