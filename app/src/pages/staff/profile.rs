use leptos::prelude::*;
use server_fn::ServerFn;

use super::member_id_param;
use crate::api::contacts::RemoveContact;
use crate::api::groups::AddToGroup;
use crate::api::invitations::{RecordDecline, ResendInvitation, RevokeInvitation, UnlinkLogin};
use crate::api::logins::{ChangeLoginEmail, ReenableInviteLink};
use crate::api::members::{ArchiveMember, ContactCard, GroupChoice, MemberDetails, StaffAccess, member_profile};
use crate::api::team::{GrantAccess, WithdrawAccess};
use crate::error::AppError;
use crate::pages::common::{
    ContactDetails, CopyableLink, Field, FormAlert, LoadError, TextArea, Timeline, action_error,
};
use crate::pages::confirm::ConfirmFirst;

/// The actions on a contact's card. Each form posts the contact's id; the page comes back
/// with the change (or its message).
#[derive(Clone, Copy)]
struct CardActions {
    resend: ServerAction<ResendInvitation>,
    revoke: ServerAction<RevokeInvitation>,
    unlink: ServerAction<UnlinkLogin>,
    decline: ServerAction<RecordDecline>,
    remove: ServerAction<RemoveContact>,
    change_email: ServerAction<ChangeLoginEmail>,
    reenable: ServerAction<ReenableInviteLink>,
    /// The signed-in staff may change a login's e-mail (owner, administrator, security
    /// administrator).
    may_administer_logins: bool,
}

#[component]
pub fn MemberProfilePage() -> impl IntoView {
    let member_id = member_id_param();
    let actions = CardActions {
        resend: ServerAction::new(),
        revoke: ServerAction::new(),
        unlink: ServerAction::new(),
        decline: ServerAction::new(),
        remove: ServerAction::new(),
        change_email: ServerAction::new(),
        reenable: ServerAction::new(),
        may_administer_logins: false,
    };
    // Read again after each change made here: the change redirects to this same page.
    let changes = move || {
        (
            actions.resend.version().get(),
            actions.revoke.version().get(),
            actions.unlink.version().get(),
            actions.decline.version().get(),
            actions.remove.version().get(),
            actions.change_email.version().get(),
            actions.reenable.version().get(),
        )
    };
    let profile = Resource::new(move || (member_id.get(), changes()), |(id, _)| member_profile(id));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(profile) => {
                        let actions = CardActions { may_administer_logins: profile.may_administer_logins, ..actions };
                        view! { <Profile profile actions /> }.into_any()
                    }
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Profile(profile: MemberDetails, actions: CardActions) -> impl IntoView {
    let errors = [
        action_error(actions.resend),
        action_error(actions.revoke),
        action_error(actions.unlink),
        action_error(actions.decline),
        action_error(actions.remove),
        action_error(actions.change_email),
        action_error(actions.reenable),
    ];
    let error = Signal::derive(move || errors.iter().find_map(|e| e.get()));
    let id = profile.id;
    let name = format!("{} {}", profile.first_name, profile.last_name);
    let archive_question = format!("Archive {name}?");
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
            <div class="title-row">
                <h2 id="portal-heading">"Portal access"</h2>
                <a class="button secondary" href=format!("/staff/members/{id}/contacts/new")>"Add a representative"</a>
            </div>
            <FormAlert error />
            {profile.contacts.into_iter().map(|contact| view! { <Contact member_id=id contact actions /> }).collect_view()}
        </section>
        <Groups member_id=id groups=profile.groups />
        <super::portal_records::PortalRecordsPanel member_id=id />
        <StaffWithAccess member_id=id staff=profile.staff_access />
        <Timeline heading="Timeline" entries=profile.timeline />
        <section class="panel" aria-labelledby="archive-heading">
            <h2 id="archive-heading">"Archive"</h2>
            <p class="muted">"When someone leaves: their profile leaves the member list and the portal."</p>
            <ConfirmFirst
                key="archive".to_owned()
                label="Archive member"
                question=archive_question
                consequence="They leave the member list, the portal and every round; their invitation links stop working and their logins no longer see this profile. They can be restored from “Archived” on the member list.".to_owned()
                to=ArchiveMember::url()
                fields=vec![("member_id", id.to_string())]
            />
        </section>
    }
}

/// One person's card: who they are, their portal state and what staff can do about it.
#[component]
fn Contact(member_id: i64, contact: ContactCard, actions: CardActions) -> impl IntoView {
    let id = contact.id;
    // A reason too long comes back to the card it was typed on, not to every card.
    let decline_error = {
        let sent = action_error(actions.decline);
        Signal::derive(move || sent.get().filter(|e| e.kept_value("contact_id") == Some(id.to_string())))
    };
    // A mistake comes back to the card it was typed on, not to every card.
    let change_email_error = {
        let sent = action_error(actions.change_email);
        Signal::derive(move || sent.get().filter(|e| e.kept_value("contact_id") == Some(id.to_string())))
    };
    let who = if contact.is_self {
        "The member".to_owned()
    } else {
        contact.relation.clone().unwrap_or_else(|| "Representative".into())
    };
    let declined = contact.invitation.as_ref().is_some_and(|inv| inv.declined.is_some());
    let new_address = contact.invitation.as_ref().is_some_and(|inv| inv.revoked_for_new_email);
    let invite_label = if declined {
        "Reinvite"
    } else if new_address {
        "Send a new invitation to the new address"
    } else {
        "Invite"
    };
    let contact_path = format!("/staff/members/{member_id}/contacts/{id}");
    let full_name = format!("{} {}", contact.first_name, contact.last_name);
    let state_line = contact.state_line();
    let not_invited = contact.login.is_none() && contact.invitation.is_none();
    // Invite while nothing waits; a waiting link has Resend and Revoke instead.
    let may_invite = contact.login.is_none() && !contact.invitation.as_ref().is_some_and(|inv| inv.is_pending);
    let may_reenable = actions.may_administer_logins && contact.login.is_none() && contact.email.is_some();
    // "Re-enable" only says something true of someone who had a link before.
    let reenable_label =
        if contact.invitation.is_some() { "Re-enable invite link" } else { "Make an invite link to pass on" };
    view! {
        <article class="card contact" id=format!("contact-{id}")>
            <h3>
                {format!("{} {}", contact.first_name, contact.last_name)}" "
                <span class="relation">{format!("({who})")}</span>" "
                {contact.is_primary.then(|| view! { <span class="badge">"Primary"</span> })}
            </h3>
            <p>{contact.email.clone().unwrap_or_else(|| "No e-mail on file".into())}</p>
            {contact.new_link.clone().map(|link| view! {
                <div class="new-link" role="status">
                    <p><strong>"New invite link — shown this once."</strong>" Copy it now and pass it on by phone or message. Earlier links no longer work; no e-mail was sent."</p>
                    <CopyableLink link label=format!("Invite link for {}", contact.first_name) />
                </div>
            })}
            {contact.not_linked_because.clone().map(|why| view! { <p class="muted not-linked">{why}</p> })}
            {(contact.login.is_some() || not_invited).then(|| view! { <p class="headline">{state_line.clone()}</p> })}
            {contact.login.map(|login| view! {
                <div class="login-card">
                    <p><strong>"Linked login: "</strong>{login.email.clone()}</p>
                    <p class="muted">{format!("Linked on {}", login.linked_on)}</p>
                    <ConfirmFirst
                        key=format!("unlink-{id}")
                        label="Unlink login"
                        question=format!("Unlink {full_name}'s login from this profile?")
                        consequence=format!(
                            "{} can no longer see this profile in the portal. The login itself stays, and you can invite them again.",
                            login.email
                        )
                        to=UnlinkLogin::url()
                        fields=vec![("contact_id", id.to_string())]
                    />
                    {actions.may_administer_logins.then(|| view! {
                        <details class="record-decline">
                            <summary>"Change login e-mail"</summary>
                            <ActionForm action=actions.change_email>
                                <input type="hidden" name="contact_id" value=id />
                                <Field
                                    label="New e-mail address"
                                    name="email"
                                    kind="email"
                                    id=format!("login-email-{id}")
                                    hint="They sign in with it from now on; both addresses are told."
                                    required=true
                                    error=change_email_error
                                />
                                <button type="submit" class="button secondary">"Change login e-mail"</button>
                            </ActionForm>
                        </details>
                    })}
                </div>
            })}
            {contact.invitation.map(|inv| view! {
                <div class="invitation" class:failed=inv.delivery_failed>
                    <p class="headline">{inv.headline}</p>
                    {inv.declined.map(|d| view! { <p>{d}</p> })}
                    <p>{if inv.handed_out { format!("For {}", inv.email) } else { format!("Sent to {}", inv.email) }}</p>
                    {inv.reinvite.then(|| view! { <p class="muted">"Sent again after they had declined."</p> })}
                    {inv.revoked_for_new_email.then(|| view! {
                        <p>"The e-mail address changed, so this link was revoked: it went to the old address."</p>
                    })}
                    {inv.expiry.map(|e| view! { <p>{e}</p> })}
                    {inv.delivery.map(|d| view! { <p class="delivery">{d}</p> })}
                    {inv.is_pending.then(|| view! {
                        <div class="actions">
                            <ActionForm action=actions.resend>
                                <input type="hidden" name="contact_id" value=id />
                                <button type="submit" class="button">"Resend invitation"</button>
                            </ActionForm>
                            {inv.handed_out.then(|| view! {
                                <p class="hint">"Resend e-mails them a new link; the one passed on by hand then stops working."</p>
                            })}
                            <ConfirmFirst
                                key=format!("revoke-{id}")
                                label="Revoke invitation"
                                question=format!("Revoke the invitation to {full_name}?")
                                consequence=format!(
                                    "The link sent to {} stops working at once. You can invite them again later.",
                                    inv.email
                                )
                                to=RevokeInvitation::url()
                                fields=vec![("contact_id", id.to_string())]
                            />
                        </div>
                        <RecordDeclineForm id decline=actions.decline error=decline_error />
                    })}
                </div>
            })}
            <div class="actions">
                {may_invite.then(|| view! {
                    <a class="button" href=format!("{contact_path}/invite")>{invite_label}</a>
                })}
                {may_reenable.then(|| view! {
                    <ActionForm action=actions.reenable>
                        <input type="hidden" name="contact_id" value=id />
                        <button type="submit" class="button secondary">{reenable_label}</button>
                    </ActionForm>
                })}
                {(!contact.is_self).then(|| view! {
                    <a class="button secondary" href=format!("{contact_path}/edit")>"Edit"</a>
                    <ConfirmFirst
                        key=format!("remove-{id}")
                        label="Remove"
                        question=format!("Remove {full_name} from this profile?")
                        consequence="Their name, e-mail and relation are deleted from this profile, and an invitation still waiting stops working. This cannot be undone.".to_owned()
                        to=RemoveContact::url()
                        fields=vec![("contact_id", id.to_string())]
                    />
                })}
            </div>
        </article>
    }
}

/// Owners and administrators: which staff limited to what they are given see this member,
/// and a way to give or take back this one member.
#[component]
fn StaffWithAccess(member_id: i64, staff: Vec<StaffAccess>) -> impl IntoView {
    let grant = ServerAction::<GrantAccess>::new();
    let withdraw = ServerAction::<WithdrawAccess>::new();
    let errors = [action_error(grant), action_error(withdraw)];
    let error = Signal::derive(move || errors.iter().find_map(|e| e.get()));
    (!staff.is_empty()).then(|| view! {
        <section class="panel" aria-labelledby="staff-access-heading">
            <h2 id="staff-access-heading">"Staff with access"</h2>
            <p class="muted">"Owners, administrators and staff who see every member see this one. These see only what they are given:"</p>
            <FormAlert error />
            <ul>
                {staff.into_iter().map(|s| {
                    let how = match (s.given, s.through_group) {
                        (true, _) => "sees this member",
                        (false, true) => "sees this member through a group",
                        (false, false) => "does not see this member",
                    };
                    view! {
                        <li>
                            {format!("{}: {how} ", s.name)}
                            {if s.given {
                                view! {
                                    <ActionForm action=withdraw attr:class="inline-form">
                                        <input type="hidden" name="user_id" value=s.user_id />
                                        <input type="hidden" name="member_id" value=member_id />
                                        <button type="submit" class="button secondary">"Take back"</button>
                                    </ActionForm>
                                }.into_any()
                            } else {
                                view! {
                                    <ActionForm action=grant attr:class="inline-form">
                                        <input type="hidden" name="user_id" value=s.user_id />
                                        <input type="hidden" name="member_id" value=member_id />
                                        <button type="submit" class="button secondary">"Give access"</button>
                                    </ActionForm>
                                }.into_any()
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    })
}

/// The households and groups the member is in, and a way into another one.
#[component]
fn Groups(member_id: i64, groups: Vec<GroupChoice>) -> impl IntoView {
    let add = ServerAction::<AddToGroup>::new();
    let error = action_error(add);
    let (member_of, others): (Vec<_>, Vec<_>) = groups.into_iter().partition(|g| g.member_of);
    view! {
        <section class="panel" aria-labelledby="groups-heading">
            <h2 id="groups-heading">"Household and groups"</h2>
            <FormAlert error />
            {if member_of.is_empty() {
                view! { <p>"Not in any group."</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {member_of.into_iter().map(|g| view! {
                            <li><a href=format!("/staff/groups/{}", g.id)>{g.name}</a></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {(!others.is_empty()).then(|| view! {
                <ActionForm action=add attr:class="inline-form">
                    <input type="hidden" name="member_id" value=member_id />
                    <label for="group_id">"Add to group"</label>
                    <select id="group_id" name="group_id">
                        {others.into_iter().map(|g| view! { <option value=g.id>{g.name}</option> }).collect_view()}
                    </select>
                    <button type="submit" class="button secondary">"Add"</button>
                </ActionForm>
            })}
            <p><a href="/staff/groups">"All groups, or a new one"</a></p>
        </section>
    }
}

#[component]
fn RecordDeclineForm(id: i64, decline: ServerAction<RecordDecline>, error: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <details class="record-decline" open=move || error.get().is_some()>
            <summary>"They declined the portal"</summary>
            <ActionForm action=decline>
                <input type="hidden" name="contact_id" value=id />
                <TextArea label="Reason" name="reason" id=format!("reason-{id}") error />
                <button type="submit" class="button secondary">"Record as declined"</button>
            </ActionForm>
        </details>
    }
}
