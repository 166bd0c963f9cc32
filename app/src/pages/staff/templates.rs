//! The organisation's message templates: a list with a form for a new one, and one to change.

use leptos::prelude::*;
use server_fn::ServerFn;

use super::id_param;
use crate::api::templates::{ArchiveTemplate, SaveTemplate, TemplateView, templates_to_manage};
use crate::error::AppError;
use crate::pages::common::{Field, FormAlert, LoadError, TextArea, action_error};
use crate::pages::confirm::ConfirmFirst;

#[component]
pub fn TemplatesPage() -> impl IntoView {
    let templates = Resource::new(|| (), |_| templates_to_manage());
    let save = ServerAction::<SaveTemplate>::new();
    let error = action_error(save);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let templates = match templates.await {
                    Ok(templates) => templates,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                view! {
                    <section class="panel">
                        <h1>"Message templates"</h1>
                        <p>"Your own words for invitations, chosen when you invite one person or a group."</p>
                        {if templates.is_empty() {
                            view! { <p>"No templates yet."</p> }.into_any()
                        } else {
                            view! {
                                <ul>
                                    {templates.into_iter().map(|t| view! {
                                        <li><a href=format!("/staff/templates/{}", t.id)>{t.name}</a></li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
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

#[component]
fn TemplateFields(error: Signal<Option<AppError>>, template: Option<TemplateView>) -> impl IntoView {
    let (name, addition, body) = match template {
        Some(t) => (t.name, t.subject_addition.unwrap_or_default(), t.body),
        None => Default::default(),
    };
    view! {
        <Field label="Name" name="name" value=name autocomplete="off" required=true hint="For you: \"Welcome, new families\"." error />
        <Field
            label="Added to the subject line"
            name="subject_addition"
            value=addition
            autocomplete="off"
            hint="After \"… invites you to your member portal:\""
            error
        />
        <TextArea
            label="Message"
            name="body"
            value=body
            hint="Put {first_name} and {organisation} where the person's first name and yours go."
            required=true
            error
        />
    }
}

/// The "Template" choice of a form that sends invitations (`template_id`, 0: none); nothing
/// when the organisation has no templates. `chosen` starts selected (0: none); without it,
/// the organisation's default.
#[component]
pub fn TemplateSelect(templates: Vec<TemplateView>, #[prop(optional_no_strip)] chosen: Option<i64>) -> impl IntoView {
    let chosen = chosen.unwrap_or_else(|| templates.iter().find(|t| t.is_default).map_or(0, |t| t.id));
    (!templates.is_empty()).then(|| {
        view! {
            <div class="field">
                <label for="template_id">"Template"</label>
                <select id="template_id" name="template_id">
                    <option value="0">"No template"</option>
                    {templates
                        .into_iter()
                        .map(|t| view! { <option value=t.id selected=t.id == chosen>{t.name}</option> })
                        .collect_view()}
                </select>
            </div>
        }
    })
}
