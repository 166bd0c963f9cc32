//! Households and client groups: the list (and a new one), and a group's page with everyone
//! around its profiles and "Invite all owners".

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use super::group_profiles::AddProfiles;
use super::id_param;
use super::rounds::{RoundLines, SendButton};
use super::templates::{EmailPreviewCard, TemplateSelect};
use crate::api::groups::{CreateGroup, GroupView, InviteGroupOwners, RemoveFromGroup, group_details, list_groups};
use crate::api::templates::{TemplateView, list_templates, preview_invitation};
use crate::pages::common::{Field, FormAlert, LoadError, action_error};
use crate::pages::confirm::ConfirmFirst;

#[component]
pub fn GroupListPage() -> impl IntoView {
    let groups = Resource::new(|| (), |_| list_groups());
    let create = ServerAction::<CreateGroup>::new();
    let error = action_error(create);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let groups = match groups.await {
                    Ok(groups) => groups,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                view! {
                    <section class="panel">
                        <div class="title-row">
                            <h1>"Households and groups"</h1>
                            <a class="button secondary" href="/staff/bulk-sends">"Bulk sends"</a>
                        </div>
                        <p>"A family, or a business with several owners: invite everyone around their profiles at once."</p>
                        {if groups.is_empty() {
                            view! { <p>"No groups yet."</p> }.into_any()
                        } else {
                            view! {
                                <ul>
                                    {groups.into_iter().map(|g| view! {
                                        <li>
                                            <a href=format!("/staff/groups/{}", g.id)>{g.name}</a>
                                            {format!(" — {} {}", g.member_count, if g.member_count == 1 { "profile" } else { "profiles" })}
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    </section>
                    <section class="panel narrow">
                        <h2>"New group"</h2>
                        <ActionForm action=create>
                            <FormAlert error />
                            <Field label="Name" name="name" autocomplete="off" required=true hint="Such as \"The Okafor family\" or \"Harbour Bakery Ltd\"." error />
                            <button type="submit" class="button">"Create group"</button>
                        </ActionForm>
                        <p class="muted">"Add profiles to it from each member's profile."</p>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
pub fn GroupPage() -> impl IntoView {
    let group_id = id_param("id");
    let query = use_query_map();
    let planning = Memo::new(move |_| query.read().get("plan").is_some_and(|p| p == "1"));
    let template_id =
        Memo::new(move |_| query.read().get("template_id").and_then(|t| t.parse::<i64>().ok()).unwrap_or(0));
    let details = Resource::new(move || (group_id.get(), planning.get()), |(id, plan)| group_details(id, plan));
    let templates = Resource::new(|| (), |_| list_templates());
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let templates = templates.await.unwrap_or_default();
                match details.await {
                    Ok(group) if planning.get_untracked() && group.plan.is_some() => {
                        let preview = preview_invitation(0, template_id.get_untracked(), String::new()).await.ok();
                        view! { <DryRun group template_id=template_id.get_untracked() preview /> }.into_any()
                    }
                    Ok(group) => view! { <Group group templates /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Group(group: GroupView, templates: Vec<TemplateView>) -> impl IntoView {
    let remove = ServerAction::<RemoveFromGroup>::new();
    let error = action_error(remove);
    let id = group.id;
    let group_name = group.name.clone();
    view! {
        <section class="panel">
            <p><a href="/staff/groups">"← Groups"</a></p>
            <h1>{group.name}</h1>
            <FormAlert error />
            {if group.members.is_empty() {
                view! { <p>"No profiles in this group yet: find them below."</p> }.into_any()
            } else {
                view! {
                    {group.members.into_iter().map(|profile| view! {
                        <article class="card">
                            <h2><a href=format!("/staff/members/{}", profile.member_id)>{profile.name.clone()}</a></h2>
                            <ul>
                                {profile.contacts.into_iter().map(|c| view! {
                                    <li>
                                        {format!("{} {}", c.first_name, c.last_name)}" "
                                        <span class="muted">{if c.is_self { "(the member)".to_owned() } else { format!("({})", c.relation.clone().unwrap_or_else(|| "representative".into())) }}</span>" "
                                        {c.is_primary.then(|| view! { <span class="badge">"Primary"</span> })}
                                        {format!(" — {}", c.state_line())}
                                    </li>
                                }).collect_view()}
                            </ul>
                            <ConfirmFirst
                                key=format!("remove-{}", profile.member_id)
                                label="Remove from group"
                                question=format!("Remove {} from {group_name}?", profile.name)
                                consequence="Their profile stays as it is; its contacts are no longer invited with this group. You can add it again from the profile.".to_owned()
                                to=RemoveFromGroup::url()
                                fields=vec![("group_id", id.to_string()), ("member_id", profile.member_id.to_string())]
                            />
                        </article>
                    }).collect_view()}
                    // A GET to this page: the dry run comes first, and sends nothing.
                    <form method="get" action=format!("/staff/groups/{id}")>
                        <input type="hidden" name="plan" value="1" />
                        <TemplateSelect templates />
                        <p class="muted">"Sends to every primary contact who can be invited. You see who first, and why anyone is skipped."</p>
                        <button type="submit" class="button">"Invite all owners"</button>
                    </form>
                }.into_any()
            }}
            <AddProfiles group_id=id />
        </section>
    }
}

/// "Invite all owners" before anything is sent: who would be invited, who skipped and why,
/// and the button that sends exactly this round (its key makes a second press harmless).
#[component]
fn DryRun(group: GroupView, template_id: i64, preview: Option<crate::api::templates::EmailPreview>) -> impl IntoView {
    let invite = ServerAction::<InviteGroupOwners>::new();
    let error = action_error(invite);
    let id = group.id;
    let lines = group.plan.unwrap_or_default();
    let invited = lines.iter().filter(|l| l.skipped_because.is_none()).count();
    let skipped = lines.len() - invited;
    view! {
        <section class="panel">
            <p><a href=format!("/staff/groups/{id}")>{format!("← {}", group.name)}</a></p>
            <h1>{format!("Invite all owners of {}", group.name)}</h1>
            <FormAlert error />
            <p class="headline" role="status">{format!("Will invite {invited}, skip {skipped}.")}</p>
            <RoundLines lines planned=true />
            <ActionForm action=invite>
                <input type="hidden" name="group_id" value=id />
                <input type="hidden" name="request_key" value=group.request_key />
                <input type="hidden" name="template_id" value=template_id />
                <SendButton invited=invited as i64 error cancel=format!("/staff/groups/{id}") />
            </ActionForm>
            {preview.map(|email| view! { <EmailPreviewCard email /> })}
        </section>
    }
}
