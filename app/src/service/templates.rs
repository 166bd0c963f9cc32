//! An organisation's invitation templates as their pages show them, and the invitation
//! e-mail previewed in a template's words before anyone is sent it.

use crate::domain::dates::DAY;
use crate::error::AppError;
use crate::mail::render::{RenderedEmail, with_link};
use crate::ports::AppState;
use crate::records::TemplateView;
use crate::service::invitations::{Invitee, Wording, member_name, visible_contact};
use crate::store::scope::StaffScope;
use crate::store::{organisations, templates};

impl From<templates::TemplateRow> for TemplateView {
    fn from(t: templates::TemplateRow) -> Self {
        Self { id: t.id, name: t.name, subject: t.subject, body: t.body, is_default: t.is_default }
    }
}

/// The invitation e-mail as `contact_id` (0: a sample person) would get it in the words of
/// `template_id` (0: the built-in ones), its link shown as an address that opens nothing;
/// and whom it is shown for.
pub async fn preview_email(
    state: &AppState,
    scope: &StaffScope,
    contact_id: i64,
    template_id: i64,
    message: Option<String>,
) -> Result<(RenderedEmail, String), AppError> {
    let wording = Wording::chosen(state, scope, template_id, message).await?;
    let db = state.db.as_ref();
    let organisation = organisations::organisation(db, scope.organisation_id).await?.ok_or(AppError::NotFound)?;
    let (first_name, member, shown_for) = match contact_id {
        0 => ("Sam".to_owned(), "Sam Example".to_owned(), "a sample person, Sam Example".to_owned()),
        id => {
            let contact = visible_contact(state, scope, id).await?;
            let member = member_name(state, &contact).await?;
            (contact.first_name.clone(), member, contact.full_name())
        }
    };
    let invitee = Invitee { contact_id, first_name: &first_name, member_name: &member };
    let expires_at = state.clock.now() + organisation.invitation_validity_days * DAY;
    let rendered = wording.email(state, &organisation, &invitee, expires_at);
    let link = format!("{}/invite/…", state.config.public_base_url);
    let shown = RenderedEmail {
        subject: rendered.subject,
        text: with_link(&rendered.text, &link),
        html: with_link(&rendered.html, &link),
    };
    Ok((shown, shown_for))
}
