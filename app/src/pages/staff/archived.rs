//! Archived members: who left, and "Restore" for one archived by mistake or come back.

use leptos::prelude::*;

use crate::api::members::{ArchivedMember, RestoreMember, archived_members};
use crate::pages::common::{FormAlert, LoadError, action_error};

#[component]
pub fn ArchivedMembersPage() -> impl IntoView {
    let found = Resource::new(|| (), |_| archived_members());
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(members) => view! { <ArchivedMembers members /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ArchivedMembers(members: Vec<ArchivedMember>) -> impl IntoView {
    let restore = ServerAction::<RestoreMember>::new();
    let error = action_error(restore);
    view! {
        <section class="panel wide">
            <p><a href="/staff/members">"← Members"</a></p>
            <h1>"Archived members"</h1>
            <p class="muted">
                "Archived members are not on the member list, in the portal or in any round. "
                "Restoring one brings them back as they were."
            </p>
            <FormAlert error />
            {if members.is_empty() {
                view! { <p>"No one is archived."</p> }.into_any()
            } else {
                // On a phone the e-mail and date columns fold away (as on the member list),
                // so "Restore" stays on the screen.
                view! {
                    <div class="table-scroll">
                        <table class="members">
                            <thead>
                                <tr>
                                    <th scope="col">"Name"</th>
                                    <th scope="col" class="wide-column">"E-mail"</th>
                                    <th scope="col" class="wide-column">"Archived"</th>
                                    <th scope="col"><span class="visually-hidden">"Action"</span></th>
                                </tr>
                            </thead>
                            <tbody>
                                {members.into_iter().map(|m| view! {
                                    <tr>
                                        <td>{m.name.clone()}</td>
                                        <td class="wide-column">{m.email.unwrap_or_else(|| "No e-mail on file".into())}</td>
                                        <td class="wide-column">{m.archived_on}</td>
                                        <td>
                                            <ActionForm action=restore>
                                                <input type="hidden" name="member_id" value=m.id />
                                                <button type="submit" class="button secondary" aria-label=format!("Restore {}", m.name)>"Restore"</button>
                                            </ActionForm>
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}
