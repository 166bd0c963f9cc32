use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::common::{ContactDetails, LoadError, booking_item, file_link, records_list};
use crate::api::portal::portal_profile;
use crate::records::{PortalRecords, PortalView, ProfileChoice};

/// A member's portal: `/portal` shows the first profile linked to the login,
/// `/portal?profile=<id>` another of them (the switcher links there).
#[component]
pub fn PortalPage() -> impl IntoView {
    let query = use_query_map();
    // Anything but a number asks for a profile no login has: 404, not the first profile.
    let chosen = move || query.read().get("profile").map(|raw| raw.parse::<i64>().unwrap_or(-1));
    let portal = Resource::new(chosen, portal_profile);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match portal.await {
                    Ok(portal) => view! { <Portal portal /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Portal(portal: PortalView) -> impl IntoView {
    let PortalView { profile, choices, records } = portal;
    let current = profile.member_id;
    view! {
        {(choices.len() > 1).then(|| view! { <ProfileSwitcher choices current /> })}
        <section class="panel narrow portal">
            <p class="muted">{profile.organisation_name}</p>
            <h1>{format!("{} {}", profile.first_name, profile.last_name)}</h1>
            <h2>"Profile"</h2>
            <ContactDetails email=profile.email phone=profile.phone address=profile.address />
            <Sections records />
        </section>
    }
}

/// Memberships always; bookings and files when the organisation shows them.
#[component]
fn Sections(records: PortalRecords) -> impl IntoView {
    let PortalRecords { memberships, bookings, files } = records;
    view! {
        <h2>"Memberships"</h2>
        {records_list(memberships, "Not enrolled in any programme.", |m| view! { <li>{m.summary()}</li> }.into_any())}
        {bookings.map(|bookings| view! {
            <h2>"Upcoming bookings"</h2>
            {records_list(bookings, "No upcoming bookings.", booking_item)}
        })}
        {files.map(|files| view! {
            <h2>"Files"</h2>
            {records_list(files, "No files shared with you yet.", |f| view! { <li>{file_link(&f)}</li> }.into_any())}
        })}
    }
}

/// The profiles one login sees (a parent's children, a bookkeeper's businesses): plain
/// links, so switching works without JavaScript.
#[component]
fn ProfileSwitcher(choices: Vec<ProfileChoice>, current: i64) -> impl IntoView {
    view! {
        <nav class="panel narrow profile-switcher" aria-label="Your profiles">
            <h2>"Your profiles"</h2>
            <ul>
                {choices
                    .into_iter()
                    .map(|choice| {
                        let here = choice.member_id == current;
                        view! {
                            <li>
                                <a
                                    href=format!("/portal?profile={}", choice.member_id)
                                    aria-current=here.then_some("page")
                                >
                                    <span>{choice.name}</span>
                                    <span class="muted">{choice.organisation_name}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
