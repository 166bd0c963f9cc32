//! Message templates (002): the organisation's own words for invitations, and the preview
//! of the exact e-mail one person would get.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    crate::domain::Role,
    crate::domain::addresses::EMAIL_PREVIEW_PATH,
    crate::domain::template::{TemplateBody, TemplateSubject},
    crate::domain::{PersonName, PersonalMessage},
    crate::error::FormErrors,
    crate::request::{redirect_with_notice, request_cookie, require_role, require_staff, respond},
    crate::service::invitations::visible_contact,
    crate::service::templates::preview_email,
    crate::store::templates::{self, NewTemplate},
};

pub use crate::records::TemplateView;

#[server(endpoint = "list_templates")]
pub async fn list_templates() -> Result<Vec<TemplateView>, AppError> {
    respond(
        async {
            let (state, scope) = require_staff().await?;
            let rows = templates::templates(state.db.as_ref(), &scope).await?;
            Ok(rows.into_iter().map(TemplateView::from).collect())
        }
        .await,
    )
}

/// The same list, for the pages that change templates: owners and administrators only.
#[server(endpoint = "templates_to_manage")]
pub async fn templates_to_manage() -> Result<Vec<TemplateView>, AppError> {
    respond(
        async {
            let (state, scope) = require_role(Role::manages_organisation).await?;
            let rows = templates::templates(state.db.as_ref(), &scope).await?;
            Ok(rows.into_iter().map(TemplateView::from).collect())
        }
        .await,
    )
}

/// Adds a template (`template_id` 0) or changes one.
#[server(endpoint = "save_template")]
pub async fn save_template(
    #[server(default)] template_id: i64,
    name: String,
    subject: String,
    body: String,
) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_role(Role::manages_organisation).await?;
            let mut form = FormErrors::default();
            let parsed_name = form.check("name", &name, PersonName::parse(&name));
            let parsed_subject = form.check("subject", &subject, TemplateSubject::parse(&subject));
            let parsed_body = form.check("body", &body, TemplateBody::parse(&body));
            let (name, subject, body) = form.finish(|| Some((parsed_name?, parsed_subject?, parsed_body?)))?;
            let new = NewTemplate { name: name.as_str(), subject: subject.as_str(), body: body.as_str() };
            let db = state.db.as_ref();
            if template_id == 0 {
                templates::insert_template(db, &scope, &new, state.clock.now()).await?;
            } else if !templates::update_template(db, &scope, template_id, &new).await? {
                return Err(AppError::NotFound);
            }
            redirect_with_notice(&state, "/staff/templates", &format!("Template “{}” saved.", name.as_str()));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "archive_template")]
pub async fn archive_template(template_id: i64) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_role(Role::manages_organisation).await?;
            let archived =
                templates::archive_template(state.db.as_ref(), &scope, template_id, state.clock.now()).await?;
            if !archived {
                return Err(AppError::NotFound);
            }
            redirect_with_notice(
                &state,
                "/staff/templates",
                "Template archived: new invitations can no longer use it.",
            );
            Ok(())
        }
        .await,
    )
}

/// The e-mail exactly as one person would get it, the link aside (it is made when the
/// e-mail is sent): its subject, its text version, and the address of its HTML version
/// (`/staff/email-preview`, shown in a sandboxed frame).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmailPreview {
    pub subject: String,
    pub text: String,
    pub frame: String,
    /// Who it is shown for: the contact, or a sample person.
    pub shown_for: String,
}

/// The invite page's "Preview": the form's fields go back to that page as a draft, in a
/// link signed for this browser (`web::error_links`), so the page shows a preview, and fills
/// its form, only with what this browser typed — never with words someone put in a link.
#[server(endpoint = "preview_invitation_draft")]
pub async fn preview_invitation_draft(
    contact_id: i64,
    #[server(default)] email: String,
    #[server(default)] template_id: i64,
    #[server(default)] message: String,
) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let mut form = FormErrors::default();
            let email = email.trim();
            if !email.is_empty() {
                form.check("email", email, crate::domain::Email::parse(email).map(|_| ()));
            }
            let note = form.check("message", &message, PersonalMessage::parse(&message));
            form.finish(|| note)?;
            let contact = visible_contact(&state, &scope, contact_id).await?;
            let draft = crate::request::form_links::draft_query(&[
                ("email", email),
                ("template_id", &template_id.to_string()),
                ("message", &message),
            ]);
            leptos_axum::redirect(&format!(
                "/staff/members/{}/contacts/{contact_id}/invite?{draft}",
                contact.member_id
            ));
            Ok(())
        }
        .await,
    )
}

/// The preview of an invitation in the words of `template_id` (0: the built-in ones) to
/// `contact_id` (0: a sample person, as on the template and round pages), with a personal
/// message.
#[server(endpoint = "preview_invitation")]
pub async fn preview_invitation(
    #[server(default)] contact_id: i64,
    #[server(default)] template_id: i64,
    #[server(default)] message: String,
) -> Result<EmailPreview, AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let mut form = FormErrors::default();
            let note = form.check("message", &message, PersonalMessage::parse(&message));
            let note = form.finish(|| note)?;
            let message = note.map(|n| n.as_str().to_owned());
            let (rendered, shown_for) = preview_email(&state, &scope, contact_id, template_id, message.clone()).await?;
            let (template, contact) = (template_id.to_string(), contact_id.to_string());
            let ids = [("template", template.as_str()), ("contact", contact.as_str())];
            // The message is words: the frame shows it only from an address signed for this
            // browser, as the invite page's draft is.
            let browser = request_cookie(crate::request::form_links::BROWSER_COOKIE);
            let frame = match (message.as_deref(), browser.as_deref()) {
                (Some(message), Some(browser)) => {
                    let fields = [ids[0], ids[1], ("message", message)];
                    crate::request::form_links::signed_draft_link(&state, browser, EMAIL_PREVIEW_PATH, &fields)
                }
                _ => format!(
                    "{EMAIL_PREVIEW_PATH}?{}",
                    form_urlencoded::Serializer::new(String::new()).extend_pairs(ids).finish()
                ),
            };
            Ok(EmailPreview { subject: rendered.subject, text: rendered.text, frame, shown_for })
        }
        .await,
    )
}
