use leptos::prelude::*;

use super::common::{ContactDetails, LoadError};
use crate::api::portal::my_profiles;
use crate::records::OwnProfile;

#[component]
pub fn PortalPage() -> impl IntoView {
    let profiles = Resource::new(|| (), |_| my_profiles());
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match profiles.await {
                    Ok(profiles) => profiles.into_iter().map(|profile| view! { <Profile profile /> }).collect_view().into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Profile(profile: OwnProfile) -> impl IntoView {
    view! {
        <section class="panel narrow portal">
            <p class="muted">{profile.organisation_name}</p>
            <h1>{format!("{} {}", profile.first_name, profile.last_name)}</h1>
            <h2>"Your profile"</h2>
            <ContactDetails email=profile.email phone=profile.phone address=profile.address />
        </section>
    }
}
