use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::member_list::{FilterLink, MemberListQuery, MemberPage, list_members};
use crate::api::rounds::Selection;
use crate::domain::{MemberSort, PortalStatus};
use crate::error::AppError;
use crate::pages::common::LoadError;

/// Members, found by the URL's search, filter, order and page: the page works without
/// JavaScript, and its island then updates the results as the person types.
#[component]
pub fn MemberListPage() -> impl IntoView {
    let params = use_query_map();
    let page = Resource::new(
        move || params.get(),
        |params| async move {
            let after = match params.get("after") {
                None => None,
                Some(after) => Some(after.parse::<i64>().map_err(|_| {
                    AppError::invalid("after", "That page address is not valid: start again from the first page.")
                })?),
            };
            list_members(
                params.get("q").unwrap_or_default(),
                params.get("status").unwrap_or_default(),
                params.get("sort").unwrap_or_default(),
                after,
            )
            .await
        },
    );
    view! {
        <Suspense fallback=|| view! { <p>"Loading members…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => match ["q", "status", "sort", "after"].into_iter().find_map(|field| error.field_message(field)) {
                        Some(problem) => view! {
                            <section class="panel wide">
                                <h1>"Members"</h1>
                                <p role="alert" class="alert">{problem}" "<a href="/staff/members">"Show all members"</a></p>
                            </section>
                        }.into_any(),
                        None => view! { <LoadError error /> }.into_any(),
                    },
                    Ok(initial) => view! {
                        <section class="panel wide">
                            <div class="title-row">
                                <h1>"Members"</h1>
                                <div class="actions">
                                    <a class="button secondary" href="/staff/not-registered">"Not yet registered"</a>
                                    <a class="button secondary" href="/staff/bulk-sends">"Bulk sends"</a>
                                    <a class="button secondary" href="/staff/members/archived">"Archived"</a>
                                    <a class="button" href="/staff/members/new">"Add member"</a>
                                </div>
                            </div>
                            <MemberList initial />
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// How long typing must pause before the list is searched again.
const TYPING_PAUSE_MS: u64 = 250;

#[island]
fn MemberList(initial: MemberPage) -> impl IntoView {
    let typed = RwSignal::new(initial.query.q.clone());
    let page = RwSignal::new(initial);
    let problem = RwSignal::new(None::<String>);
    // Each keystroke starts a search; only the newest one's answer is shown.
    let latest = StoredValue::new(0_u64);
    let search = move |text: String| {
        typed.set(text.clone());
        latest.update_value(|n| *n += 1);
        let mine = latest.get_value();
        set_timeout(
            move || {
                if latest.get_value() != mine {
                    return;
                }
                let query = MemberListQuery { q: text, after: None, ..page.get_untracked().query };
                leptos::task::spawn_local(async move {
                    let answer = list_members(
                        query.q.clone(),
                        query.status.map(PortalStatus::slug).unwrap_or_default().to_owned(),
                        query.sort.slug().to_owned(),
                        None,
                    )
                    .await;
                    if latest.get_value() != mine {
                        return;
                    }
                    match answer {
                        Ok(found) => {
                            replace_address(&found.query.href());
                            problem.set(None);
                            page.set(found);
                        }
                        Err(error) => problem.set(Some(error.field_message("q").unwrap_or_else(|| error.to_string()))),
                    }
                });
            },
            std::time::Duration::from_millis(TYPING_PAUSE_MS),
        );
    };
    let query = move || page.with(|p| p.query.clone());
    let all_on_page = RwSignal::new(false);
    view! {
        <form method="get" action="/staff/members" role="search" class="member-search">
            <label for="member-search">"Search by name or e-mail"</label>
            <div class="search-row">
                <input
                    id="member-search"
                    type="search"
                    name="q"
                    autocomplete="off"
                    maxlength="100"
                    value=typed.get_untracked()
                    prop:value=typed
                    on:input=move |ev| search(event_target_value(&ev))
                />
                {move || query().status.map(|status| view! { <input type="hidden" name="status" value=status.slug() /> })}
                {move || (query().sort != MemberSort::Name).then(|| view! { <input type="hidden" name="sort" value=query().sort.slug() /> })}
                <button type="submit">"Search"</button>
            </div>
            <p class="error" role="alert">{move || problem.get()}</p>
        </form>
        <nav class="filters" aria-label="Filter by portal status">
            {move || page.with(|p| p.filter_links("/staff/members").into_iter().map(filter_link).collect_view())}
        </nav>
        // At a desk the table's headers sort it; on a phone, where its date columns are
        // folded away, these links do.
        <p class="sort narrow-only">
            "Sort by: "
            {move || page.with(|p| MemberSort::ALL.into_iter().map(|sort| {
                let target = p.query.with(p.query.status, sort).href();
                let current = p.query.sort == sort;
                view! { <a href=target aria-current=current.then_some("true")>{sort.label()}</a>" " }
            }).collect_view())}
        </p>
        <div class="title-row">
            <p class="found" aria-live="polite">{move || page.with(|p| found_line(p))}</p>
            <a href=move || page.with(|p| p.query.export_href()) download>"Export these members (CSV)"</a>
        </div>
        // Ticked members go to the dry run of "Invite selected", or to the choice of a group;
        // a GET, so nothing is sent or changed yet.
        <form method="get" action="/staff/invite-round" class="bulk-select">
            <input type="hidden" name="ticked" value="true" />
            {move || page.with(|p| (!p.query.q.trim().is_empty()).then(|| view! { <input type="hidden" name="q" value=p.query.q.clone() /> }))}
            {move || page.with(|p| p.query.status.map(|status| view! { <input type="hidden" name="status" value=status.slug() /> }))}
            {move || page.with(|p| members_table(p, all_on_page))}
            {move || page.with(|p| (!p.members.is_empty()).then(|| {
                let everyone = Selection { q: p.query.q.clone(), status: p.query.status, ..Selection::default() };
                let matching = p.matching();
                view! {
                    <div class="actions">
                        <button type="submit" class="button">"Invite selected"</button>
                        <button type="submit" class="button secondary" formaction="/staff/add-to-group">"Add selected to a group"</button>
                        <a class="button secondary" href=everyone.href()>{format!("Invite all {matching} matching this filter")}</a>
                    </div>
                }
            }))}
        </form>
        // Only when there is another page to go to: an empty navigation is noise to a reader.
        {move || page.with(|p| (p.query.after.is_some() || p.next.is_some()).then(|| view! {
            <nav class="pager" aria-label="Pages">
                <span class="position">{p.position()}</span>" "
                {p.query.after.is_some().then(|| {
                    view! { <a href=MemberListQuery { after: None, ..p.query.clone() }.href()>"First page"</a>" " }
                })}
                {p.next.as_ref().map(|next| view! { <a href=next.href() rel="next">"Next 50"</a> })}
            </nav>
        }))}
    }
}

pub(super) fn filter_link(link: FilterLink) -> impl IntoView {
    view! { <a href=link.href aria-current=link.current.then_some("true")>{link.label}</a>" " }
}

fn found_line(page: &MemberPage) -> String {
    match (page.matching(), page.query.q.trim().is_empty()) {
        (1, true) => "1 member.".to_owned(),
        (n, true) => format!("{n} members."),
        (1, false) => "1 member found.".to_owned(),
        (n, false) => format!("{n} members found."),
    }
}

fn members_table(page: &MemberPage, all_on_page: RwSignal<bool>) -> AnyView {
    if page.members.is_empty() {
        let message = if page.total == 0 && page.query.q.trim().is_empty() && page.query.status.is_none() {
            "No members yet. Add your first member to invite them to the portal."
        } else {
            "No members match."
        };
        return view! { <p>{message}</p> }.into_any();
    }
    let rows = page
        .members
        .iter()
        .map(|m| {
            view! {
                <tr>
                    <td>
                        <input
                            type="checkbox"
                            name="member"
                            value=m.id
                            aria-label=format!("Select {}", m.name)
                            prop:checked=move || all_on_page.get()
                        />
                    </td>
                    <td><a href=format!("/staff/members/{}", m.id)>{m.name.clone()}</a></td>
                    <td class="wide-column">{m.email.clone().unwrap_or_default()}</td>
                    <td><span class=format!("status status-{}", m.status.slug())>{m.status.label()}</span></td>
                    <td class="wide-column">{m.invited_on.clone().unwrap_or_else(|| "Never".into())}</td>
                    <td class="wide-column">{m.last_login_on.clone().unwrap_or_else(|| "Never".into())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="members">
                <thead>
                    <tr>
                        <th scope="col">
                            <input
                                type="checkbox"
                                aria-label="Select everyone on this page"
                                on:change=move |ev| all_on_page.set(event_target_checked(&ev))
                            />
                        </th>
                        {sortable(page, MemberSort::Name, "Name", "")}
                        <th scope="col" class="wide-column">"E-mail"</th>
                        <th scope="col">"Portal status"</th>
                        {sortable(page, MemberSort::Invited, "Invited", "wide-column")}
                        {sortable(page, MemberSort::LastLogin, "Last login", "wide-column")}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// A column header that sorts the list by it: a link, and `aria-sort` on the column the
/// list is sorted by (names A to Z, dates newest first).
fn sortable(page: &MemberPage, sort: MemberSort, label: &'static str, class: &'static str) -> impl IntoView {
    let current = page.query.sort == sort;
    let direction = if sort == MemberSort::Name { "ascending" } else { "descending" };
    let href = page.query.with(page.query.status, sort).href();
    view! {
        <th scope="col" class=class aria-sort=current.then_some(direction)>
            <a href=href aria-current=current.then_some("true")>
                {label}
                <span aria-hidden="true">{if !current { "" } else if sort == MemberSort::Name { " ▲" } else { " ▼" }}</span>
            </a>
        </th>
    }
}

/// Puts the list's state in the address bar without a new history entry, so a reload or a
/// shared link shows the same list.
fn replace_address(href: &str) {
    #[cfg(feature = "hydrate")]
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = href;
}
