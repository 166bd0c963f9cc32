//! The mail port: what a message is, how a provider may fail, the invitation e-mail, and the
//! outbox dispatch step. Targets provide a `Mailer` (HTTP e-mail API, dev mailbox).

pub mod dev_mailbox;
pub mod dispatch;
pub mod http_api;
pub mod queue;
pub mod render;

use async_trait::async_trait;

#[derive(Debug, Clone, PartialEq)]
pub struct OutgoingEmail {
    /// The message's own key: the dev mailbox keeps one copy a key. (The provider
    /// de-duplicates on its batch's key.)
    pub idempotency_key: String,
    pub to: String,
    pub from_name: String,
    pub from_email: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl OutgoingEmail {
    /// `"Name" <address>`, with quotes escaped and line breaks impossible.
    pub fn from_header(&self) -> String {
        let name: String = self
            .from_name
            .chars()
            .filter(|c| !c.is_control())
            .collect::<String>()
            .replace('\\', "\\\\")
            .replace('"', "\\\"");
        format!("\"{name}\" <{}>", self.from_email)
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SendError {
    /// 429, 5xx, time-outs and network failures: try again later.
    #[error("temporary failure: {reason}")]
    Retryable { reason: String, retry_after_seconds: Option<i64> },
    /// Any other refusal: sending again would fail the same way.
    #[error("rejected: {0}")]
    Permanent(String),
}

#[async_trait]
pub trait Mailer: Send + Sync {
    /// Sends `emails` (at most 100) as one batch under `key`, all or none: a batch sent again
    /// under the same key is delivered once. Returns the provider's id for each message, in
    /// order, where it gives them.
    async fn send_batch(&self, key: &str, emails: &[OutgoingEmail]) -> Result<Vec<Option<String>>, SendError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_header_cannot_carry_header_injection() {
        let email = OutgoingEmail {
            idempotency_key: "k".into(),
            to: "a@example.org".into(),
            from_name: "Dojo \"Best\"\r\nBcc: evil@example.com".into(),
            from_email: "hello@dojo.example".into(),
            subject: "s".into(),
            text: "t".into(),
            html: "h".into(),
        };
        assert_eq!(email.from_header(), "\"Dojo \\\"Best\\\"Bcc: evil@example.com\" <hello@dojo.example>");
        assert!(!email.from_header().contains('\n'));
    }
}
