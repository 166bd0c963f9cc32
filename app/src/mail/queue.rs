//! An e-mail of the organisation's as it waits in the outbox, written in the same batch as
//! what it announces (an invitation, a reset, a sign-up) and sent by the dispatch step.

use crate::domain::InviteToken;
use crate::mail::render::RenderedEmail;
use crate::ports::AppState;
use crate::secrets::new_nonce;
use crate::store::invitations::QueuedEmail;
use crate::store::organisations::Organisation;

/// A rendered e-mail from the organisation: a fresh idempotency key, and the token of its
/// link sealed with the server's key (the outbox never holds a usable link).
pub fn queued_email(
    state: &AppState,
    organisation: &Organisation,
    rendered: RenderedEmail,
    token: &InviteToken,
) -> QueuedEmail {
    QueuedEmail {
        idempotency_key: new_nonce(),
        from_name: organisation.sender_name.clone(),
        from_email: organisation.sender_email.clone(),
        subject: rendered.subject,
        text_body: rendered.text,
        html_body: rendered.html,
        sealed_token: state.config.secret_key.seal(token.expose()),
    }
}
