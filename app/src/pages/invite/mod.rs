mod staff;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

pub use staff::JoinStaffPage;

use super::common::{Field, FormAlert, LoadError, NewPasswordFields, action_error, set_status};
use crate::api::invitations::{
    AcceptInvitation, ClosedLinkView, DeclineInvitation, InvitationPage, InvitationWelcome, LinkInvitation,
    RequestNewLink, invitation_preview,
};
use crate::domain::brand::Brand;

/// The page an invitation link opens. Loading it changes nothing (e-mail scanners open
/// links too); only submitting the form consumes the link.
#[component]
pub fn AcceptInvitationPage() -> impl IntoView {
    let params = use_params_map();
    let token = Memo::new(move |_| params.read().get("token").unwrap_or_default());
    let preview = Resource::new(move || token.get(), invitation_preview);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match preview.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(InvitationPage::Open(invitation)) if invitation.has_login => {
                        view! { <LinkExistingLogin invitation token=token.get_untracked() /> }.into_any()
                    }
                    Ok(InvitationPage::Open(invitation)) => {
                        view! { <SetPassword invitation token=token.get_untracked() /> }.into_any()
                    }
                    Ok(InvitationPage::Expired(link)) => {
                        view! { <ExpiredLink link token=token.get_untracked() /> }.into_any()
                    }
                    Ok(InvitationPage::Used(link)) => view! { <UsedLink link /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SetPassword(invitation: InvitationWelcome, token: String) -> impl IntoView {
    let token_for_decline = token.clone();
    let accept = ServerAction::<AcceptInvitation>::new();
    let error = action_error(accept);
    view! {
        <section class="panel narrow">
            <WelcomeLogo brand=invitation.brand.clone() organisation=invitation.organisation_name.clone() />
            <h1>{format!("Welcome, {}", invitation.first_name)}</h1>
            <Invites invitation=invitation.clone() />
            <p>"Choose a password to sign in with "<strong>{invitation.email}</strong>"."</p>
            <ActionForm action=accept>
                <FormAlert error />
                <input type="hidden" name="token" value=token />
                <NewPasswordFields sent=error.get_untracked() />
                <button type="submit" class="button">"Set password and sign in"</button>
            </ActionForm>
        </section>
        <DeclinePortal token=token_for_decline />
    }
}

/// The invitation's e-mail already has a login (here or in another organisation): the
/// person signs in with it to add this profile; its password stays as it is.
#[component]
fn LinkExistingLogin(invitation: InvitationWelcome, token: String) -> impl IntoView {
    let token_for_decline = token.clone();
    let link = ServerAction::<LinkInvitation>::new();
    let error = action_error(link);
    let signed_in = invitation.signed_in_as_invitee;
    let whose = invitation.on_behalf_of.clone().unwrap_or_else(|| invitation.first_name.clone());
    let button = if signed_in { format!("Add {whose}'s profile") } else { "Sign in and link".to_owned() };
    view! {
        <section class="panel narrow">
            <WelcomeLogo brand=invitation.brand.clone() organisation=invitation.organisation_name.clone() />
            <h1>{format!("Welcome, {}", invitation.first_name)}</h1>
            <Invites invitation=invitation.clone() />
            {if signed_in {
                view! {
                    <p>"You are signed in as "<strong>{invitation.email}</strong>". Add this profile to your login: you will see it beside the others in your portal."</p>
                }.into_any()
            } else {
                view! {
                    <p>"You already have a login for "<strong>{invitation.email}</strong>". Enter its password to add this profile to it."</p>
                }.into_any()
            }}
            <ActionForm action=link>
                <FormAlert error />
                <input type="hidden" name="token" value=token />
                // Signed in as this login, the session proves it: no password to type.
                {(!signed_in).then(|| view! {
                    <Field label="Password" name="password" kind="password" autocomplete="current-password" required=true error />
                })}
                <button type="submit" class="button">{button}</button>
            </ActionForm>
        </section>
        <DeclinePortal token=token_for_decline />
    }
}

/// Who invites, and — for a representative — to whose profile.
#[component]
fn Invites(invitation: InvitationWelcome) -> impl IntoView {
    let text = match invitation.on_behalf_of {
        Some(member) => {
            format!("{} invites you to its member portal, to see {member}'s profile.", invitation.organisation_name)
        }
        None => format!("{} invites you to its member portal.", invitation.organisation_name),
    };
    view! { <p>{text}</p> }
}

/// The organisation's face above its invitation: its logo (its name for a reader) and its
/// accent colour.
#[component]
fn WelcomeLogo(brand: Brand, organisation: String) -> impl IntoView {
    view! {
        {brand.stylesheet.map(|href| view! { <leptos_meta::Stylesheet href /> })}
        {brand.logo.map(|src| view! { <img class="welcome-logo" src=src alt=organisation /> })}
    }
}

/// An invitation that expired unused: the person asks for a new link rather than phoning
/// the office. It goes where this one went; the form carries the link alone.
#[component]
fn ExpiredLink(link: ClosedLinkView, token: String) -> impl IntoView {
    set_status(404);
    let ask = ServerAction::<RequestNewLink>::new();
    let error = action_error(ask);
    let organisation = link.organisation_name.clone();
    view! {
        <section class="panel narrow">
            <WelcomeLogo brand=link.brand organisation=link.organisation_name />
            <h1>"This invitation has expired"</h1>
            <p>{format!("You can still join the member portal of {organisation}: ask for a new link and it comes by e-mail in a few minutes.")}</p>
            <p>"It is sent to the address this invitation was sent to. This link stays expired."</p>
            <ActionForm action=ask>
                <FormAlert error />
                <input type="hidden" name="token" value=token />
                <button type="submit" class="button">"Send me a new link"</button>
            </ActionForm>
            <p class="muted">"Set a password with it already? "<a href="/login">"Sign in"</a>"."</p>
        </section>
    }
}

/// An invitation used already (or whose person reaches the profile with a login by now):
/// there is nothing to set up, only to sign in.
#[component]
fn UsedLink(link: ClosedLinkView) -> impl IntoView {
    set_status(404);
    view! {
        <section class="panel narrow">
            <WelcomeLogo brand=link.brand organisation=link.organisation_name.clone() />
            <h1>"This invitation has been used"</h1>
            <p>{format!("A login to the member portal of {} was set up with it. Sign in with that login's e-mail address and password.", link.organisation_name)}</p>
            <p class="actions">
                <a class="button" href="/login">"Sign in"</a>
                <a class="button secondary" href="/forgot-password">"Forgotten your password?"</a>
            </p>
        </section>
    }
}

/// Where "Send me a new link" lands: the same words whether or not one was sent.
#[component]
pub fn NewLinkPage() -> impl IntoView {
    view! {
        <section class="panel narrow">
            <h1>"Check your e-mail"</h1>
            <p>"If your invitation could be renewed, a new link is on its way to the address it was sent to. It can take a few minutes; look in your spam folder too."</p>
            <p>"Nothing came? Ask your organisation to invite you again."</p>
        </section>
    }
}

/// "No thanks": a form, so opening the link (as e-mail scanners do) never declines it.
#[component]
fn DeclinePortal(token: String) -> impl IntoView {
    let decline = ServerAction::<DeclineInvitation>::new();
    let error = action_error(decline);
    view! {
        <section class="panel narrow" aria-labelledby="decline-heading">
            <h2 id="decline-heading">"Don't want portal access?"</h2>
            <p>"You can say no: this link stops working, and the organisation sees that you declined."</p>
            <ActionForm action=decline>
                <FormAlert error />
                <input type="hidden" name="token" value=token />
                <button type="submit" class="button secondary">"No thanks, I don't want portal access"</button>
            </ActionForm>
        </section>
    }
}

/// Where declining lands.
#[component]
pub fn DeclinedPage() -> impl IntoView {
    view! {
        <section class="panel narrow">
            <h1>"You declined the invitation"</h1>
            <p>"This link no longer works, and no login was made. If you change your mind, ask the organisation to invite you again."</p>
        </section>
    }
}
