//! 001's "Not yet registered": everyone around the profiles who has no login yet, found and
//! filtered like the member list, each with Send (or Resend), and "Send all" at the bottom,
//! which shows its dry run first.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::member_list::filter_link;
use crate::api::invitations::ResendInvitation;
use crate::api::member_list::{MemberListQuery, UnregisteredPage, not_registered};
use crate::api::rounds::Selection;
use crate::pages::common::{FormAlert, LoadError, action_error};

const PATH: &str = "/staff/not-registered";

#[component]
pub fn NotRegisteredPage() -> impl IntoView {
    let params = use_query_map();
    let found = Resource::new(
        move || params.get(),
        |params| {
            not_registered(
                params.get("q").unwrap_or_default(),
                params.get("status").unwrap_or_default(),
                params.get("sort").unwrap_or_default(),
                params.get("after").and_then(|after| after.parse().ok()),
            )
        },
    );
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(found) => view! { <NotRegistered found /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NotRegistered(found: UnregisteredPage) -> impl IntoView {
    let resend = ServerAction::<ResendInvitation>::new();
    let error = action_error(resend);
    let page = found.page;
    let query = page.query.clone();
    let send_all = Selection { q: query.q.clone(), status: query.status, not_registered: true, ..Selection::default() };
    // A status no one here is in is left out.
    let filters = page
        .filter_links(PATH)
        .into_iter()
        .filter(|link| link.status.is_none() || link.count > 0)
        .map(filter_link)
        .collect_view();
    view! {
        <section class="panel wide">
            <p><a href="/staff/members">"← Members"</a></p>
            <h1>"Not yet registered"</h1>
            <p class="muted">"Everyone around a profile who has no login yet."</p>
            <form method="get" action=PATH role="search" class="member-search">
                <label for="unregistered-search">"Search by name or e-mail"</label>
                <div class="search-row">
                    <input id="unregistered-search" type="search" name="q" value=query.q.clone() maxlength="100" />
                    {query.status.map(|status| view! { <input type="hidden" name="status" value=status.slug() /> })}
                    <button type="submit">"Search"</button>
                </div>
            </form>
            <nav class="filters" aria-label="Filter by portal status">{filters}</nav>
            <FormAlert error />
            {if found.people.is_empty() {
                view! { <p>"Everyone found here has a login."</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="members">
                            <thead>
                                <tr>
                                    <th scope="col">"Name"</th>
                                    <th scope="col">"Profile"</th>
                                    <th scope="col">"E-mail"</th>
                                    <th scope="col">"Invitation"</th>
                                    <th scope="col"><span class="visually-hidden">"Action"</span></th>
                                </tr>
                            </thead>
                            <tbody>
                                {found.people.into_iter().map(|p| view! {
                                    <tr>
                                        <td>{p.name.clone()}<span class="muted">{format!(" ({})", p.role)}</span></td>
                                        <td><a href=format!("/staff/members/{}", p.member_id)>{p.member_name}</a></td>
                                        <td>{p.email.clone().unwrap_or_else(|| "No e-mail on file".into())}</td>
                                        <td>{p.state}</td>
                                        <td>{if p.can_resend {
                                            view! {
                                                <ActionForm action=resend>
                                                    <input type="hidden" name="contact_id" value=p.contact_id />
                                                    <button type="submit" class="button secondary" aria-label=format!("Resend to {}", p.name)>"Resend"</button>
                                                </ActionForm>
                                            }.into_any()
                                        } else if p.email.is_some() {
                                            view! {
                                                <a class="button secondary" aria-label=format!("Send to {}", p.name)
                                                   href=format!("/staff/members/{}/contacts/{}/invite", p.member_id, p.contact_id)>"Send"</a>
                                            }.into_any()
                                        } else {
                                            view! { <a href=format!("/staff/members/{}", p.member_id)>"Add an e-mail"</a> }.into_any()
                                        }}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            {(query.after.is_some() || page.next.is_some()).then(|| view! {
                <nav class="pager" aria-label="Pages">
                    {query.after.is_some().then(|| view! { <a href=MemberListQuery { after: None, ..query.clone() }.href_on(PATH)>"First page"</a>" " })}
                    {page.next.as_ref().map(|next| view! { <a href=next.href_on(PATH) rel="next">"Next 50 profiles"</a> })}
                </nav>
            })}
            <div class="actions">
                <a class="button" href=send_all.href()>"Send all…"</a>
            </div>
            <p class="muted">"Send all shows who will be invited and who is skipped, and why, before anything is sent."</p>
        </section>
    }
}
