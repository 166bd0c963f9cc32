//! Message templates (002): the organisation's own words for invitations, and the preview
//! of the exact e-mail one person would get.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    super::invitations::{Wording, on_behalf_of, visible_contact},
    super::ssr::{internal, redirect_with_notice, require_role, require_staff, respond},
    crate::domain::Role,
    crate::domain::template::{SubjectAddition, TemplateBody},
    crate::domain::{PersonName, PersonalMessage},
    crate::error::FormErrors,
    crate::mail::render::{InvitationEmail, invitation_email, with_link},
    crate::store::organisations,
    crate::store::templates::{self, NewTemplate},
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateView {
    pub id: i64,
    pub name: String,
    pub subject_addition: Option<String>,
    pub body: String,
    /// The organisation's default: forms that send invitations start with it.
    pub is_default: bool,
}

#[cfg(feature = "ssr")]
impl From<templates::TemplateRow> for TemplateView {
    fn from(t: templates::TemplateRow) -> Self {
        Self {
            id: t.id,
            name: t.name,
            subject_addition: t.subject_addition,
            body: t.body,
            is_default: t.is_default == 1,
        }
    }
}

#[server(endpoint = "list_templates")]
pub async fn list_templates() -> Result<Vec<TemplateView>, AppError> {
    respond(
        async {
            let (state, scope) = require_staff().await?;
            let rows = templates::templates(state.db.as_ref(), &scope).await.map_err(internal)?;
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
            let rows = templates::templates(state.db.as_ref(), &scope).await.map_err(internal)?;
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
    subject_addition: String,
    body: String,
) -> Result<(), AppError> {
    respond(
        async move {
            let (state, scope) = require_role(Role::manages_organisation).await?;
            let mut form = FormErrors::default();
            let parsed_name = form.check("name", &name, PersonName::parse(&name));
            let addition = form.check("subject_addition", &subject_addition, SubjectAddition::parse(&subject_addition));
            let parsed_body = form.check("body", &body, TemplateBody::parse(&body));
            let (name, addition, body) = form.finish(|| Some((parsed_name?, addition?, parsed_body?)))?;
            let new = NewTemplate {
                name: name.as_str(),
                subject_addition: addition.as_ref().map(SubjectAddition::as_str),
                body: body.as_str(),
            };
            let db = state.db.as_ref();
            if template_id == 0 {
                templates::insert_template(db, &scope, &new, state.clock.now()).await.map_err(internal)?;
            } else if !templates::update_template(db, &scope, template_id, &new).await.map_err(internal)? {
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
            let archived = templates::archive_template(state.db.as_ref(), &scope, template_id, state.clock.now())
                .await
                .map_err(internal)?;
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

/// The e-mail exactly as the contact would get it, the link aside (it is made when the
/// e-mail is sent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmailPreview {
    pub subject: String,
    pub text: String,
    pub html: String,
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
            let draft = crate::web::draft_query(&[
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

#[server(endpoint = "preview_invitation")]
pub async fn preview_invitation(
    contact_id: i64,
    #[server(default)] template_id: i64,
    #[server(default)] message: String,
) -> Result<EmailPreview, AppError> {
    respond(
        async move {
            let (state, scope) = require_staff().await?;
            let mut form = FormErrors::default();
            let note = form.check("message", &message, PersonalMessage::parse(&message));
            let note = form.finish(|| note)?;
            let contact = visible_contact(&state, &scope, contact_id).await?;
            let wording = Wording::chosen(&state, &scope, template_id, note.map(|n| n.as_str().to_owned())).await?;
            let db = state.db.as_ref();
            let organisation = organisations::organisation(db, scope.organisation_id)
                .await
                .map_err(internal)?
                .ok_or(AppError::NotFound)?;
            let behalf = on_behalf_of(&state, &scope, &contact).await?;
            let message = wording.message_for(&contact.first_name, &organisation.name);
            let rendered = invitation_email(&InvitationEmail {
                organisation_name: &organisation.name,
                first_name: &contact.first_name,
                on_behalf_of: behalf.as_deref(),
                personal_message: message.as_deref(),
                subject_addition: wording.subject_addition.as_deref(),
                expires_at: state.clock.now() + organisation.invitation_validity_days * crate::domain::dates::DAY,
            });
            let link = format!("{}/invite/…", state.config.public_base_url);
            Ok(EmailPreview {
                subject: rendered.subject,
                text: with_link(&rendered.text, &link),
                html: with_link(&rendered.html, &link),
            })
        }
        .await,
    )
}
