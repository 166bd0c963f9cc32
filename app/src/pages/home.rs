use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <section class="panel hero">
            <h1>"Portico"</h1>
            <p class="lead">
                "Invite your members and clients by e-mail to their own portal. They set a password on their phone, "
                "and see their own profile — nobody else's."
            </p>
            <p><a class="button" href="/login">"Sign in"</a></p>
            <p class="muted">"Members: open the invitation link in your e-mail to set your password."</p>
        </section>
    }
}
