mod style_guide;

pub use style_guide::StyleGuidePage;

use leptos::prelude::*;

use super::common::LoadError;
use crate::api::dev::dev_mailbox;
use crate::domain::dates::format_date_time;

/// Dev mode only: the e-mail the dev mailer "sent", so the invitation flow can be walked
/// without a mail provider.
#[component]
pub fn DevMailboxPage() -> impl IntoView {
    let messages = Resource::new(|| (), |_| dev_mailbox());
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match messages.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(messages) => view! {
                        <section class="panel wide">
                            <h1>"Dev mailbox"</h1>
                            <p class="muted">"E-mail sent while Portico runs with the dev mailer. Newest first."</p>
                            {messages.is_empty().then(|| view! { <p>"Nothing sent yet."</p> })}
                            {messages.into_iter().map(|m| {
                                let link = first_link(&m.text_body);
                                view! {
                                    <article class="card mail">
                                        <h2>{m.subject}</h2>
                                        <p class="muted">{format!("To {} · from {} · {}", m.to_email, m.from_header, format_date_time(m.received_at))}</p>
                                        {link.map(|href| view! { <p><a class="button" href=href.clone()>"Open the link"</a></p> })}
                                        <pre>{m.text_body}</pre>
                                    </article>
                                }
                            }).collect_view()}
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn first_link(text: &str) -> Option<String> {
    text.split_whitespace().find(|word| word.starts_with("http://") || word.starts_with("https://")).map(str::to_owned)
}
