use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use super::profile_with_contact;
use super::templates::{EmailPreviewCard, TemplateSelect};
use crate::api::invitations::SendInvitation;
use crate::api::templates::{PreviewInvitationDraft, list_templates, preview_invitation};
use crate::pages::common::{Field, FormAlert, LoadError, TextArea, action_error};

/// Invites one person around a profile: the member themself or a representative, with a
/// template and a personal message, either or both. "Preview" posts the form, which comes
/// back to this page as a draft signed for this browser (`__draft`: `web::error_links`
/// strips one it did not sign), showing the exact e-mail first. Without a draft the form
/// starts empty, whatever the address says.
#[component]
pub fn InvitePage() -> impl IntoView {
    let loaded = profile_with_contact();
    let templates = Resource::new(|| (), |_| list_templates());
    let query = use_query_map();
    let previewing = query.read_untracked().get("__draft").is_some_and(|d| d == "1");
    let typed = move |name: &str| {
        if previewing { query.read_untracked().get(name).unwrap_or_default() } else { String::new() }
    };
    // None until the person picks one (the organisation's default is then chosen).
    let template_id = typed("template_id").parse::<i64>().ok();
    let send = ServerAction::<SendInvitation>::new();
    let error = action_error(send);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (profile, contact) = match loaded.await {
                    Ok(loaded) => loaded,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                let templates = templates.await.unwrap_or_default();
                let preview = match previewing {
                    true => Some(preview_invitation(contact.id, template_id.unwrap_or(0), typed("message")).await),
                    false => None,
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
                // What was typed before "Preview"; else the address the last invitation went
                // to, unless the contact's e-mail changed since: then the new one.
                let email = Some(typed("email")).filter(|e| !e.is_empty()).unwrap_or_else(|| {
                    contact
                        .invitation
                        .as_ref()
                        .filter(|i| !i.revoked_for_new_email)
                        .map(|i| i.email.clone())
                        .or(contact.email.clone())
                        .unwrap_or_default()
                });
                view! {
                    <section class="panel narrow">
                        <p><a href=back.clone()>{format!("← {} {}", profile.first_name, profile.last_name)}</a></p>
                        <h1>{heading}</h1>
                        <p>{format!(
                            "We will e-mail a link to set a password. It works once and for {} days; any earlier link stops working.",
                            profile.validity_days
                        )}</p>
                        {preview.map(|shown| match shown {
                            Ok(email) => view! { <EmailPreviewCard email /> }.into_any(),
                            Err(error) => view! { <FormAlert error=Signal::stored(Some(error)) /> }.into_any(),
                        })}
                        <ActionForm action=send>
                            <FormAlert error />
                            <input type="hidden" name="contact_id" value=contact.id />
                            <Field label="E-mail address" name="email" kind="email" value=email required=true error />
                            <TemplateSelect templates chosen=template_id />
                            <TextArea
                                label="Personal message"
                                name="message"
                                value=typed("message")
                                hint="Shown in the e-mail where the template puts {message}, or else just before the link."
                                error
                            />
                            <div class="actions">
                                <button type="submit" class="button">"Send invitation"</button>
                                <button type="submit" class="button secondary" formaction=PreviewInvitationDraft::url()>
                                    "Preview"
                                </button>
                            </div>
                        </ActionForm>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}
