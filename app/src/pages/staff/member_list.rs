use leptos::prelude::*;

use crate::api::members::list_members;
use crate::pages::common::{LoadError, date_or};

#[component]
pub fn MemberListPage() -> impl IntoView {
    let members = Resource::new(|| (), |_| list_members());
    view! {
        <Suspense fallback=|| view! { <p>"Loading members…"</p> }>
            {move || Suspend::new(async move {
                match members.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(members) => view! {
                        <section class="panel wide">
                            <div class="title-row">
                                <h1>"Members"</h1>
                                <a class="button" href="/staff/members/new">"Add member"</a>
                            </div>
                            {if members.is_empty() {
                                view! { <p>"No members yet. Add your first member to invite them to the portal."</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-scroll">
                                        <table class="members">
                                            <thead>
                                                <tr>
                                                    <th scope="col">"Name"</th>
                                                    <th scope="col">"E-mail"</th>
                                                    <th scope="col">"Portal status"</th>
                                                    <th scope="col">"Last login"</th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {members.into_iter().map(|m| view! {
                                                    <tr>
                                                        <td><a href=format!("/staff/members/{}", m.id)>{m.name}</a></td>
                                                        <td>{m.email.unwrap_or_default()}</td>
                                                        <td><span class=format!("status status-{:?}", m.status).to_lowercase()>{m.status.label()}</span></td>
                                                        <td>{date_or(m.last_login_at, "Never")}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }.into_any()
                            }}
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
