//! The organisation's message templates: a list with the built-in wording and a form for a
//! new one (starting from those words), and one to change; each shows its e-mail rendered.

use leptos::prelude::*;
use server_fn::ServerFn;

use super::id_param;
use crate::api::templates::{
    ArchiveTemplate, EmailPreview, SaveTemplate, TemplateView, preview_invitation, templates_to_manage,
};
use crate::domain::template::{BUILT_IN_BODY, BUILT_IN_SUBJECT};
use crate::error::AppError;
use crate::pages::common::{Field, FormAlert, LoadError, TextArea, action_error};
use crate::pages::confirm::ConfirmFirst;

#[component]
pub fn TemplatesPage() -> impl IntoView {
    let templates = Resource::new(|| (), |_| templates_to_manage());
    let built_in = Resource::new(|| (), |_| preview_invitation(0, 0, String::new()));
    let save = ServerAction::<SaveTemplate>::new();
    let error = action_error(save);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let templates = match templates.await {
                    Ok(templates) => templates,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                let built_in = built_in.await.ok();
                view! {
                    <section class="panel narrow">
                        <h1>"Message templates"</h1>
                        <p>"Your own invitation e-mails, chosen when you invite one person or a group. \
                            A template replaces the whole e-mail: its subject and its words."</p>
                        <ul>
                            <li>"Built-in wording — used when no template is chosen."</li>
                            {templates.into_iter().map(|t| view! {
                                <li><a href=format!("/staff/templates/{}", t.id)>{t.name}</a></li>
                            }).collect_view()}
                        </ul>
                        {built_in.map(|email| view! {
                            <details class="built-in">
                                <summary>"See the built-in wording"</summary>
                                <EmailPreviewCard email />
                            </details>
                        })}
                    </section>
                    <section class="panel narrow">
                        <h2>"New template"</h2>
                        <ActionForm action=save>
                            <FormAlert error />
                            <TemplateFields error template=None />
                            <button type="submit" class="button">"Save template"</button>
                        </ActionForm>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
pub fn EditTemplatePage() -> impl IntoView {
    let id = id_param("id");
    let templates = Resource::new(|| (), |_| templates_to_manage());
    let save = ServerAction::<SaveTemplate>::new();
    let archive = ServerAction::<ArchiveTemplate>::new();
    let error = action_error(save);
    let archive_error = action_error(archive);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let found = templates.await.and_then(|all| {
                    all.into_iter().find(|t| t.id == id.get_untracked()).ok_or(AppError::NotFound)
                });
                let template = match found {
                    Ok(template) => template,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                let template_id = template.id;
                let name = template.name.clone();
                let preview = preview_invitation(0, template_id, String::new()).await;
                view! {
                    <section class="panel narrow">
                        <p><a href="/staff/templates">"← Templates"</a></p>
                        <h1>{format!("Edit {}", template.name)}</h1>
                        <ActionForm action=save>
                            <FormAlert error />
                            <input type="hidden" name="template_id" value=template_id />
                            <TemplateFields error template=Some(template) />
                            <button type="submit" class="button">"Save changes"</button>
                        </ActionForm>
                        {preview.ok().map(|email| view! { <EmailPreviewCard email /> })}
                        <FormAlert error=archive_error />
                        <ConfirmFirst
                            key="archive".to_owned()
                            label="Archive template"
                            question=format!("Archive the template “{name}”?")
                            consequence="New invitations can no longer use it, and it leaves the list of templates. Invitations already sent with it are not changed.".to_owned()
                            to=ArchiveTemplate::url()
                            fields=vec![("template_id", template_id.to_string())]
                        />
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

/// A template's fields; a new one starts with the built-in words, to change rather than
/// write from nothing.
#[component]
fn TemplateFields(error: Signal<Option<AppError>>, template: Option<TemplateView>) -> impl IntoView {
    let (name, subject, body) = match template {
        Some(t) => (t.name, t.subject, t.body),
        None => (String::new(), BUILT_IN_SUBJECT.to_owned(), BUILT_IN_BODY.to_owned()),
    };
    view! {
        <Field label="Name" name="name" value=name autocomplete="off" required=true hint="For you: \"Welcome, new families\"." error />
        <Field
            label="Subject"
            name="subject"
            value=subject
            autocomplete="off"
            required=true
            hint="{first_name}, {organisation}, {member_name} and {expiry} are filled in for each person."
            error
        />
        <TextArea
            label="E-mail"
            name="body"
            value=body
            hint="Must hold {link}: on a line of its own it becomes a button. Also filled in: {first_name}, {organisation}, {member_name} (whose profile it opens), {expiry}, and {message} (the personal message, if one is written). A blank line starts a new paragraph."
            required=true
            rows=14
            error
        />
    }
}

/// An e-mail as it will look: its subject, its HTML version in a sandboxed frame (served
/// alone, with its own policy), and its text version.
#[component]
pub fn EmailPreviewCard(email: EmailPreview) -> impl IntoView {
    view! {
        <div class="card mail preview" aria-labelledby="preview-heading">
            <h2 id="preview-heading">"Preview"</h2>
            <p class="hint">{format!("As {} would get it; the link is made when the e-mail is sent.", email.shown_for)}</p>
            <p><strong>"Subject: "</strong>{email.subject}</p>
            <iframe class="mail-frame" src=email.frame sandbox="" title="The e-mail as it will look"></iframe>
            <details>
                <summary>"Text version"</summary>
                <pre>{email.text}</pre>
            </details>
        </div>
    }
}

/// The organisation's default template's id; 0 (the built-in wording) when it has none.
pub fn default_template(templates: &[TemplateView]) -> i64 {
    templates.iter().find(|t| t.is_default).map_or(0, |t| t.id)
}

/// The "Template" choice of a form that sends invitations (`template_id`, 0: the built-in
/// wording); nothing when the organisation has no templates. `chosen` starts selected (0: none); without it,
/// the organisation's default.
#[component]
pub fn TemplateSelect(templates: Vec<TemplateView>, #[prop(optional_no_strip)] chosen: Option<i64>) -> impl IntoView {
    let chosen = chosen.unwrap_or_else(|| default_template(&templates));
    (!templates.is_empty()).then(|| {
        view! {
            <div class="field">
                <label for="template_id">"Template"</label>
                <select id="template_id" name="template_id">
                    <option value="0">"Built-in wording"</option>
                    {templates
                        .into_iter()
                        .map(|t| view! { <option value=t.id selected=t.id == chosen>{t.name}</option> })
                        .collect_view()}
                </select>
            </div>
        }
    })
}
