//! The team page (owners and administrators): who is on the team, in which role, seeing
//! what; their open invitations; and the form that invites someone new.

use leptos::prelude::*;
use server_fn::ServerFn;

use crate::api::team::{
    GrantAccess, InviteStaff, RemoveStaff, RevokeStaffInvitation, StaffInvitationView, TeamMemberView, TeamView,
    UpdateStaff, WithdrawAccess, team_overview,
};
use crate::domain::Role;
use crate::pages::common::{Field, FormAlert, LoadError, action_error};
use crate::pages::confirm::ConfirmFirst;

/// Every form on the page; each redirects back to it, which is read again.
#[derive(Clone, Copy)]
struct TeamActions {
    invite: ServerAction<InviteStaff>,
    revoke: ServerAction<RevokeStaffInvitation>,
    update: ServerAction<UpdateStaff>,
    remove: ServerAction<RemoveStaff>,
    grant: ServerAction<GrantAccess>,
    withdraw: ServerAction<WithdrawAccess>,
}

#[component]
pub fn TeamPage() -> impl IntoView {
    let actions = TeamActions {
        invite: ServerAction::new(),
        revoke: ServerAction::new(),
        update: ServerAction::new(),
        remove: ServerAction::new(),
        grant: ServerAction::new(),
        withdraw: ServerAction::new(),
    };
    let changes = move || {
        (
            actions.invite.version().get(),
            actions.revoke.version().get(),
            actions.update.version().get(),
            actions.remove.version().get(),
            actions.grant.version().get(),
            actions.withdraw.version().get(),
        )
    };
    let team = Resource::new(changes, |_| team_overview());
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match team.await {
                    Ok(team) => view! { <Team team actions /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Team(team: TeamView, actions: TeamActions) -> impl IntoView {
    let errors = [
        action_error(actions.revoke),
        action_error(actions.update),
        action_error(actions.remove),
        action_error(actions.grant),
        action_error(actions.withdraw),
    ];
    let error = Signal::derive(move || errors.iter().find_map(|e| e.get()));
    let TeamView { my_user_id, members, invitations, assignable, groups } = team;
    view! {
        <section class="panel narrow">
            <h1>"Team"</h1>
            <p class="muted">"Owners and administrators invite staff and choose what they see. No one gives a role above their own; the organisation always keeps an owner."</p>
            <FormAlert error />
            {members.into_iter().map(|member| {
                let me = member.user_id == my_user_id;
                view! { <Colleague member me assignable=assignable.clone() groups=groups.clone() actions /> }
            }).collect_view()}
        </section>
        <Invitations invitations />
        <InviteForm assignable groups invite=actions.invite />
    }
}

/// A role's `<option>`s: those the signed-in login may give, `chosen` selected.
fn role_options(assignable: &[Role], chosen: Role) -> impl IntoView + use<> {
    assignable
        .iter()
        .map(|role| view! { <option value=role.as_str() selected=*role == chosen>{role.label()}</option> })
        .collect_view()
}

#[component]
fn Colleague(
    member: TeamMemberView,
    me: bool,
    assignable: Vec<Role>,
    groups: Vec<(i64, String)>,
    actions: TeamActions,
) -> impl IntoView {
    let id = member.user_id;
    let shown = if member.name.is_empty() { member.email.clone() } else { member.name.clone() };
    let sees = if member.role >= Role::Administrator || member.sees_all {
        "Sees every member".to_owned()
    } else if member.grants.is_empty() {
        "Sees no member yet: give them groups or members".to_owned()
    } else {
        format!("Sees only: {}", member.grants.iter().map(|g| g.name.as_str()).collect::<Vec<_>>().join(", "))
    };
    let limited = !member.sees_all && member.role < Role::Administrator;
    let given: Vec<i64> = member.grants.iter().map(|g| g.group_id).collect();
    let grantable: Vec<(i64, String)> = groups.into_iter().filter(|(gid, _)| !given.contains(gid)).collect();
    let grants = member.grants.clone();
    let (removal_question, removal_consequence) = if me {
        ("Leave the team?".to_owned(), "You can no longer sign in to the staff pages, and your sessions end now. To come back you need a new invitation.".to_owned())
    } else {
        (
            format!("Take {shown} off the team?"),
            format!(
                "{shown} can no longer sign in to the staff pages, and their sessions end now. What they did stays on the timelines. To come back they need a new invitation."
            ),
        )
    };
    view! {
        <article class="card staff-member" id=format!("staff-{id}")>
            <h2>{shown.clone()}{me.then(|| view! { <span class="muted">" (you)"</span> })}</h2>
            <p>{member.email.clone()}</p>
            <p class="headline">{format!("{} — {}", member.role.label(), member.role.summary())}</p>
            <p>{sees}</p>
            <p class="muted">{format!("Last signed in: {}", member.last_login.clone().unwrap_or_else(|| "never".into()))}</p>
            {member.may_change.then(move || view! {
                <details class="record-decline">
                    <summary>{format!("Change role or access")}</summary>
                    <ActionForm action=actions.update>
                        <input type="hidden" name="user_id" value=id />
                        <div class="field">
                            <label for=format!("role-{id}")>"Role"</label>
                            <select id=format!("role-{id}") name="role">{role_options(&assignable, member.role)}</select>
                        </div>
                        <div class="field">
                            <label for=format!("sees-{id}")>"Sees"</label>
                            <select id=format!("sees-{id}") name="sees">
                                <option value="all" selected=member.sees_all>"Every member"</option>
                                <option value="given" selected=!member.sees_all>"Only the members and groups given"</option>
                            </select>
                        </div>
                        <button type="submit" class="button secondary">"Save role and access"</button>
                    </ActionForm>
                    {limited.then(move || view! {
                        <ul class="grants">
                            {grants.into_iter().map(|g| view! {
                                <li>
                                    {g.name}" "
                                    <ActionForm action=actions.withdraw>
                                        <input type="hidden" name="user_id" value=id />
                                        <input type="hidden" name="group_id" value=g.group_id />
                                        <input type="hidden" name="member_id" value=g.member_id />
                                        <button type="submit" class="link-button">"Take back"</button>
                                    </ActionForm>
                                </li>
                            }).collect_view()}
                        </ul>
                        {(!grantable.is_empty()).then(move || view! {
                            <ActionForm action=actions.grant>
                                <input type="hidden" name="user_id" value=id />
                                <label for=format!("group-{id}")>"Give a group"</label>
                                <select id=format!("group-{id}") name="group_id">
                                    {grantable.into_iter().map(|(gid, name)| view! { <option value=gid>{name}</option> }).collect_view()}
                                </select>
                                <button type="submit" class="button secondary">"Give access"</button>
                            </ActionForm>
                        })}
                        <p class="muted">"To give one member, open their profile and use “Staff with access”."</p>
                    })}
                </details>
                <ConfirmFirst
                    key=format!("remove-{id}")
                    label=if me { "Leave the team" } else { "Take off the team" }
                    question=removal_question.clone()
                    consequence=removal_consequence.clone()
                    to=RemoveStaff::url()
                    fields=vec![("user_id", id.to_string())]
                />
            })}
        </article>
    }
}

#[component]
fn Invitations(invitations: Vec<StaffInvitationView>) -> impl IntoView {
    (!invitations.is_empty()).then(|| {
        view! {
            <section class="panel narrow" aria-labelledby="invited-heading">
                <h2 id="invited-heading">"Invited"</h2>
                {invitations.into_iter().map(|inv| view! {
                    <article class="card">
                        <h3>{format!("{} ({})", inv.name, inv.email)}</h3>
                        <p>{format!("As {}, sent on {}. {}", inv.role.label(), inv.sent_on, inv.expiry)}</p>
                        <p>{format!("Will see {}.", inv.sees)}</p>
                        {inv.may_revoke.then(|| view! {
                            <ConfirmFirst
                                key=format!("withdraw-{}", inv.id)
                                label="Withdraw invitation"
                                question=format!("Withdraw the invitation to {}?", inv.name)
                                consequence=format!("The link sent to {} stops working at once. You can invite them again.", inv.email)
                                to=RevokeStaffInvitation::url()
                                fields=vec![("invitation_id", inv.id.to_string())]
                            />
                        })}
                    </article>
                }).collect_view()}
            </section>
        }
    })
}

#[component]
fn InviteForm(assignable: Vec<Role>, groups: Vec<(i64, String)>, invite: ServerAction<InviteStaff>) -> impl IntoView {
    let error = action_error(invite);
    // A form sent back with a mistake keeps the role chosen.
    let chosen = error
        .get_untracked()
        .and_then(|e| e.kept_value("role"))
        .and_then(|role| Role::parse(&role).ok())
        .unwrap_or(Role::Staff);
    // A form sent back with a mistake keeps what they were to see.
    let sees = error.get_untracked().and_then(|e| e.kept_value("sees")).unwrap_or_else(|| "given".into());
    let option = move |value: String, label: String| {
        let selected = value == sees;
        view! { <option value=value selected=selected>{label}</option> }
    };
    view! {
        <section class="panel narrow" aria-labelledby="invite-heading">
            <h2 id="invite-heading">"Invite someone to the team"</h2>
            <ActionForm action=invite>
                <FormAlert error />
                <Field label="Name" name="name" autocomplete="name" required=true error />
                <Field label="E-mail address" name="email" kind="email" autocomplete="email" required=true error />
                <div class="field">
                    <label for="role">"Role"</label>
                    <select id="role" name="role">{role_options(&assignable, chosen)}</select>
                </div>
                <ul class="muted role-summaries">
                    {assignable.iter().map(|role| view! { <li><strong>{role.label()}</strong>": "{role.summary()}</li> }).collect_view()}
                </ul>
                <div class="field">
                    <label for="sees">"What they see"</label>
                    <p class="hint" id="sees-hint">"Staff and security administrators see only this once they join; owners and administrators see every member."</p>
                    <select id="sees" name="sees" aria-describedby="sees-hint">
                        {option("given".into(), "Only the members and groups I give them later".into())}
                        {groups.into_iter().map(|(id, name)| option(format!("group-{id}"), format!("Only the group {name}"))).collect_view()}
                        {option("all".into(), "Every member".into())}
                    </select>
                </div>
                <p class="muted">"They get an e-mail with a link to set up their login; it works once, for 7 days."</p>
                <button type="submit" class="button">"Send the invitation"</button>
            </ActionForm>
        </section>
    }
}
