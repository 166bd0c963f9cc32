//! Putting profiles into a group: found by name or e-mail on the group's page, or ticked on
//! the member list ("Add selected to a group"). Either way nothing changes until "Add".

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::groups::{AddProfilesToGroup, ProfileChoice, list_groups, profiles_named, profiles_to_add};
use crate::pages::common::{FormAlert, LoadError, action_error};

/// The group page's "Add profiles": a search (a GET of the same page, `find=`), and each
/// profile it finds that is not in the group yet, with its own "Add" button.
#[component]
pub fn AddProfiles(group_id: i64) -> impl IntoView {
    let query = use_query_map();
    let find = query.read_untracked().get("find").unwrap_or_default();
    let searched = !find.trim().is_empty();
    let found = Resource::new(move || (), {
        let find = find.clone();
        move |_| profiles_to_add(group_id, find.clone())
    });
    let add = ServerAction::<AddProfilesToGroup>::new();
    let error = action_error(add);
    view! {
        <section class="card" aria-labelledby="add-profiles">
            <h2 id="add-profiles">"Add profiles"</h2>
            <FormAlert error />
            <form method="get" action=format!("/staff/groups/{group_id}") role="search">
                <label for="find">"Find a member by name or e-mail"</label>
                <div class="search-row">
                    <input id="find" type="search" name="find" value=find.clone() maxlength="100" autocomplete="off" />
                    <button type="submit">"Find"</button>
                </div>
            </form>
            <p class="muted">"Or tick several on the member list and choose “Add selected to a group”."</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match found.await {
                        Err(error) => view! { <LoadError error /> }.into_any(),
                        Ok(found) if found.is_empty() && searched => {
                            view! { <p>"No member found who is not in this group already."</p> }.into_any()
                        }
                        Ok(found) => view! {
                            <ul class="choices">
                                {found.into_iter().map(|profile| view! {
                                    <li>
                                        <ProfileName profile=profile.clone() />
                                        <ActionForm action=add>
                                            <input type="hidden" name="group_id" value=group_id />
                                            <input type="hidden" name="members" value=profile.member_id />
                                            <button type="submit" class="button secondary">
                                                "Add"<span class="visually-hidden">{format!(" {}", profile.name)}</span>
                                            </button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ProfileName(profile: ProfileChoice) -> impl IntoView {
    view! {
        <span>
            <a href=format!("/staff/members/{}", profile.member_id)>{profile.name}</a>
            {profile.email.map(|email| view! { " " <span class="muted">{email}</span> })}
        </span>
    }
}

/// `/staff/add-to-group?member=…`: the members ticked on the list, and the group to put
/// them in. With none ticked it says so, with the way back.
#[component]
pub fn AddToGroupPage() -> impl IntoView {
    let query = use_query_map();
    // Ticked boxes arrive as `member=1&member=2`.
    let members = query.read_untracked().get_all("member").unwrap_or_default().join(",");
    let named = Resource::new(|| (), {
        let members = members.clone();
        move |_| profiles_named(members.clone())
    });
    let groups = Resource::new(|| (), |_| list_groups());
    let add = ServerAction::<AddProfilesToGroup>::new();
    let error = action_error(add);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || {
                let members = members.clone();
                Suspend::new(async move {
                let (profiles, groups) = match (named.await, groups.await) {
                    (Ok(profiles), Ok(groups)) => (profiles, groups),
                    (Err(error), _) => {
                        let message = error.field_message("members").unwrap_or_else(|| error.to_string());
                        return view! {
                            <section class="panel narrow">
                                <h1>"Add to a group"</h1>
                                <p class="alert" role="alert">{message}</p>
                                <p><a class="button secondary" href="/staff/members">"Back to the members"</a></p>
                            </section>
                        }.into_any();
                    }
                    (_, Err(error)) => return view! { <LoadError error /> }.into_any(),
                };
                let heading = match profiles.len() {
                    1 => "Add 1 member to a group".to_owned(),
                    n => format!("Add {n} members to a group"),
                };
                view! {
                    <section class="panel narrow">
                        <p><a href="/staff/members">"← Members"</a></p>
                        <h1>{heading}</h1>
                        <ul>{profiles.into_iter().map(|p| view! { <li>{p.name}</li> }).collect_view()}</ul>
                        {if groups.is_empty() {
                            view! { <p>"There is no group yet. "<a href="/staff/groups">"Create one first"</a>"."</p> }.into_any()
                        } else {
                            view! {
                                <ActionForm action=add>
                                    <FormAlert error />
                                    <input type="hidden" name="members" value=members />
                                    <div class="field">
                                        <label for="group_id">"Group"</label>
                                        <select id="group_id" name="group_id">
                                            {groups.into_iter().map(|g| view! { <option value=g.id>{g.name}</option> }).collect_view()}
                                        </select>
                                    </div>
                                    <div class="actions">
                                        <button type="submit" class="button">"Add to the group"</button>
                                        <a class="button secondary" href="/staff/members">"Cancel"</a>
                                    </div>
                                </ActionForm>
                            }.into_any()
                        }}
                    </section>
                }.into_any()
            })}}
        </Suspense>
    }
}
