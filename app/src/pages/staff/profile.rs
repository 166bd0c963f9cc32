use leptos::prelude::*;

use super::member_id_param;
use crate::api::invitations::{RecordDecline, ResendInvitation, RevokeInvitation, UnlinkLogin};
use crate::api::members::{MemberDetails, member_profile};
use crate::pages::common::{ContactDetails, FormAlert, LoadError, TextArea, action_error, date_or};

#[component]
pub fn MemberProfilePage() -> impl IntoView {
    let member_id = member_id_param();
    let resend = ServerAction::<ResendInvitation>::new();
    let revoke = ServerAction::<RevokeInvitation>::new();
    let unlink = ServerAction::<UnlinkLogin>::new();
    let decline = ServerAction::<RecordDecline>::new();
    // Read again after each change made here: the change redirects to this same page.
    let changes =
        move || (resend.version().get(), revoke.version().get(), unlink.version().get(), decline.version().get());
    let profile = Resource::new(move || (member_id.get(), changes()), |(id, _)| member_profile(id));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(profile) => view! { <Profile profile resend revoke unlink decline /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Profile(
    profile: MemberDetails,
    resend: ServerAction<ResendInvitation>,
    revoke: ServerAction<RevokeInvitation>,
    unlink: ServerAction<UnlinkLogin>,
    decline: ServerAction<RecordDecline>,
) -> impl IntoView {
    let decline_error = action_error(decline);
    let errors = [action_error(resend), action_error(revoke), action_error(unlink), decline_error];
    let error = Signal::derive(move || errors.iter().find_map(|e| e.get()));
    let id = profile.id;
    let name = format!("{} {}", profile.first_name, profile.last_name);
    let has_login = !profile.logins.is_empty();
    let declined = profile.invitation.as_ref().is_some_and(|inv| inv.declined.is_some());
    let new_address = profile.invitation.as_ref().is_some_and(|inv| inv.revoked_for_new_email);
    let invite_label = if declined {
        "Reinvite"
    } else if new_address {
        "Send a new invitation to the new address"
    } else {
        "Invite"
    };
    view! {
        <section class="panel">
            <p><a href="/staff/members">"← Members"</a></p>
            <div class="title-row">
                <h1>{name}</h1>
                <a class="button secondary" href=format!("/staff/members/{id}/edit")>"Edit details"</a>
            </div>
            <ContactDetails email=profile.email phone=profile.phone address=profile.address />
        </section>
        <section class="panel" aria-labelledby="portal-heading">
            <h2 id="portal-heading">"Portal access"</h2>
            <FormAlert error />
            {profile.logins.into_iter().map(|login| view! {
                <div class="card login-card">
                    <p><strong>"Linked login: "</strong>{login.email}</p>
                    <p>{format!("Last login: {}", date_or(login.last_login_at, "not yet"))}</p>
                    <p class="muted">{format!("Linked on {}", date_or(Some(login.linked_at), ""))}</p>
                    <ActionForm action=unlink>
                        <input type="hidden" name="member_id" value=id />
                        <button type="submit" class="button secondary">"Unlink login"</button>
                    </ActionForm>
                </div>
            }).collect_view()}
            {profile.invitation.map(|inv| view! {
                <div class="card invitation" class:failed=inv.delivery_failed>
                    <p class="headline">{inv.headline}</p>
                    {inv.declined.map(|d| view! { <p>{d}</p> })}
                    <p>{format!("Sent to {}", inv.email)}</p>
                    {inv.reinvite.then(|| view! { <p class="muted">"Sent again after the member had declined."</p> })}
                    {inv.revoked_for_new_email.then(|| view! {
                        <p>"The member's e-mail address changed, so this link was revoked: it went to the old address."</p>
                    })}
                    {inv.expiry.map(|e| view! { <p>{e}</p> })}
                    {inv.delivery.map(|d| view! { <p class="delivery">{d}</p> })}
                    {inv.is_pending.then(|| view! {
                        <div class="actions">
                            <ActionForm action=resend>
                                <input type="hidden" name="member_id" value=id />
                                <button type="submit" class="button">"Resend invitation"</button>
                            </ActionForm>
                            <ActionForm action=revoke>
                                <input type="hidden" name="member_id" value=id />
                                <button type="submit" class="button secondary">"Revoke invitation"</button>
                            </ActionForm>
                        </div>
                        <details class="record-decline" open=move || decline_error.get().is_some()>
                            <summary>"The member declined the portal"</summary>
                            <ActionForm action=decline>
                                <input type="hidden" name="member_id" value=id />
                                <TextArea label="Reason" name="reason" error=decline_error />
                                <button type="submit" class="button secondary">"Record as declined"</button>
                            </ActionForm>
                        </details>
                    })}
                </div>
            })}
            {if has_login {
                ().into_any()
            } else {
                view! {
                    <p>
                        <a class="button" href=format!("/staff/members/{id}/invite")>{invite_label}</a>
                    </p>
                }.into_any()
            }}
        </section>
    }
}
