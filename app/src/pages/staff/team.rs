//! The team page (owners and administrators): who is on the team, in which role, seeing
//! what; their open invitations; and the form that invites someone new.

use leptos::prelude::*;

use crate::api::team::{
    GrantAccess, InviteStaff, RemoveStaff, RevokeStaffInvitation, StaffInvitationView, TeamMemberView, TeamView,
    UpdateStaff, WithdrawAccess, team_overview,
};
use crate::domain::Role;
use crate::pages::common::{Field, FormAlert, LoadError, action_error, date_or};

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
        <section class="panel">
            <h1>"Team"</h1>
            <p class="muted">"Owners and administrators invite staff and choose what they see. No one gives a role above their own; the organisation always keeps an owner."</p>
            <FormAlert error />
            {members.into_iter().map(|member| {
                let me = member.user_id == my_user_id;
                view! { <Colleague member me assignable=assignable.clone() groups=groups.clone() actions /> }
            }).collect_view()}
        </section>
        <Invitations invitations revoke=actions.revoke />
        <InviteForm assignable invite=actions.invite />
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
    view! {
        <article class="card staff-member" id=format!("staff-{id}")>
            <h3>{shown}{me.then(|| view! { <span class="muted">" (you)"</span> })}</h3>
            <p>{member.email.clone()}</p>
            <p class="headline">{format!("{} — {}", member.role.label(), member.role.summary())}</p>
            <p>{sees}</p>
            <p class="muted">{format!("Last signed in: {}", date_or(member.last_login, "never"))}</p>
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
                    <ActionForm action=actions.remove>
                        <input type="hidden" name="user_id" value=id />
                        <button type="submit" class="button secondary">{if me { "Leave the team" } else { "Take off the team" }}</button>
                    </ActionForm>
                </details>
            })}
        </article>
    }
}

#[component]
fn Invitations(invitations: Vec<StaffInvitationView>, revoke: ServerAction<RevokeStaffInvitation>) -> impl IntoView {
    (!invitations.is_empty()).then(|| {
        view! {
            <section class="panel" aria-labelledby="invited-heading">
                <h2 id="invited-heading">"Invited"</h2>
                {invitations.into_iter().map(|inv| view! {
                    <article class="card">
                        <h3>{format!("{} ({})", inv.name, inv.email)}</h3>
                        <p>{format!("As {}, sent on {}. {}", inv.role.label(), inv.sent_on, inv.expiry)}</p>
                        {inv.may_revoke.then(|| view! {
                            <ActionForm action=revoke>
                                <input type="hidden" name="invitation_id" value=inv.id />
                                <button type="submit" class="button secondary">"Withdraw invitation"</button>
                            </ActionForm>
                        })}
                    </article>
                }).collect_view()}
            </section>
        }
    })
}

#[component]
fn InviteForm(assignable: Vec<Role>, invite: ServerAction<InviteStaff>) -> impl IntoView {
    let error = action_error(invite);
    // A form sent back with a mistake keeps the role chosen.
    let chosen = error
        .get_untracked()
        .and_then(|e| e.kept_value("role"))
        .and_then(|role| Role::parse(&role).ok())
        .unwrap_or(Role::Staff);
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
                <p class="muted">"They get an e-mail with a link to set up their login; it works once, for 7 days. New staff see every member until you limit them."</p>
                <button type="submit" class="button">"Send the invitation"</button>
            </ActionForm>
        </section>
    }
}
