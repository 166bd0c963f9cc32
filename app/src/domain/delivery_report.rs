//! What an e-mail provider says of a message after it took it: delivered to the mailbox,
//! delayed, bounced, marked as spam. Reports come late and out of order; a state only ever
//! moves forward (`Report::rank`), so a delay reported after the delivery changes nothing.

use serde::Deserialize;

use super::round::AddressRefused;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Report {
    /// The receiving server has not taken it yet; the provider keeps trying.
    Delayed,
    Delivered,
    /// Refused for now (a full mailbox): not retried by the provider.
    SoftBounced,
    /// The provider could not send it at all (or would not: a suppressed address).
    Failed,
    /// Refused for good: the address does not exist.
    Bounced,
    /// The recipient marked it as spam.
    Complained,
}

impl Report {
    pub const ALL: [Report; 6] =
        [Self::Delayed, Self::Delivered, Self::SoftBounced, Self::Failed, Self::Bounced, Self::Complained];

    /// As stored in `outbox.report`; the timeline's kind is `email_` and this.
    pub fn stored(self) -> &'static str {
        match self {
            Self::Delayed => "delayed",
            Self::Delivered => "delivered",
            Self::SoftBounced => "soft_bounced",
            Self::Failed => "failed",
            Self::Bounced => "bounced",
            Self::Complained => "complained",
        }
    }

    pub fn from_stored(stored: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|report| report.stored() == stored)
    }

    /// How far along a message is: a report replaces the one kept only when it ranks higher.
    pub fn rank(self) -> i64 {
        Self::ALL.iter().position(|report| *report == self).map_or(0, |at| at as i64 + 1)
    }

    /// The address should not be written to again until it changes: rounds skip it.
    pub fn refuses_address(self) -> Option<AddressRefused> {
        match self {
            Self::Bounced => Some(AddressRefused::Bounced),
            Self::Complained => Some(AddressRefused::MarkedAsSpam),
            _ => None,
        }
    }

    /// Whether staff should look at it: the card shows it as a failure.
    pub fn is_failure(self) -> bool {
        matches!(self, Self::SoftBounced | Self::Failed | Self::Bounced | Self::Complained)
    }

    /// What the card says, `on` the report's date as the organisation reads it.
    pub fn describe(self, on: &str, detail: Option<&str>) -> String {
        let why = detail.map(|d| format!(": {d}")).unwrap_or_default();
        match self {
            Self::Delayed => {
                "Delivery delayed: the receiving server has not taken it yet, and the e-mail service keeps trying."
                    .into()
            }
            Self::Delivered => format!("Delivered to the mailbox on {on}"),
            Self::SoftBounced => format!("Not delivered on {on}{why} — the mailbox may be full; try again later"),
            Self::Failed => format!("Could not be sent on {on}{why}"),
            Self::Bounced => format!("Bounced on {on}{why} — check the address"),
            Self::Complained => format!("Marked as spam by the recipient on {on}"),
        }
    }
}

/// One report as the provider posted it, read from either of the two shapes taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderReport {
    /// The provider's id of the message (`outbox.provider_id`).
    pub message_id: String,
    pub report: Report,
    /// Why, in the provider's words (a bounce's message), when it says.
    pub detail: Option<String>,
}

/// What a body was.
#[derive(Debug, PartialEq, Eq)]
pub enum Parsed {
    Report(ProviderReport),
    /// A well-formed event of a type not followed (opened, clicked, sent…): acknowledged.
    Ignored,
}

/// Resend's events (`email.delivered`, `email.bounced` with `data.bounce.type` Permanent or
/// Transient, …), keyed by `data.email_id`.
pub fn parse_resend(body: &[u8]) -> Result<Parsed, &'static str> {
    #[derive(Deserialize)]
    struct Event {
        r#type: String,
        data: Data,
    }
    #[derive(Deserialize)]
    struct Data {
        email_id: Option<String>,
        bounce: Option<Bounce>,
        failed: Option<Failed>,
    }
    #[derive(Deserialize)]
    struct Bounce {
        r#type: Option<String>,
        message: Option<String>,
    }
    #[derive(Deserialize)]
    struct Failed {
        reason: Option<String>,
    }
    let event: Event = serde_json::from_slice(body).map_err(|_| "The body is not a Resend event.")?;
    let bounce = event.data.bounce;
    let permanent =
        bounce.as_ref().and_then(|b| b.r#type.as_deref()).is_none_or(|t| !t.eq_ignore_ascii_case("transient"));
    let (report, detail) = match event.r#type.as_str() {
        "email.delivered" => (Report::Delivered, None),
        "email.delivery_delayed" => (Report::Delayed, None),
        "email.bounced" if permanent => (Report::Bounced, bounce.and_then(|b| b.message)),
        "email.bounced" => (Report::SoftBounced, bounce.and_then(|b| b.message)),
        "email.complained" => (Report::Complained, None),
        "email.failed" => (Report::Failed, event.data.failed.and_then(|f| f.reason)),
        "email.suppressed" => (Report::Failed, Some("the address is on the e-mail service's suppression list".into())),
        _ => return Ok(Parsed::Ignored),
    };
    let message_id = event.data.email_id.ok_or("The event names no email_id.")?;
    Ok(Parsed::Report(ProviderReport { message_id, report, detail: detail.map(short) }))
}

/// Any other provider, through an adapter that posts Standard Webhooks: `type` one of
/// `delivered`, `delivery_delayed`, `bounced` (`data.bounce`: `hard`, the default, or
/// `soft`), `complained`, `failed`; `data.message_id`; `data.reason` optional.
pub fn parse_standard(body: &[u8]) -> Result<Parsed, &'static str> {
    #[derive(Deserialize)]
    struct Event {
        r#type: String,
        data: Data,
    }
    #[derive(Deserialize)]
    struct Data {
        message_id: Option<String>,
        bounce: Option<String>,
        reason: Option<String>,
    }
    let event: Event = serde_json::from_slice(body).map_err(|_| "The body is not a delivery event.")?;
    let kind = event.r#type.strip_prefix("email.").unwrap_or(&event.r#type);
    let report = match kind {
        "delivered" => Report::Delivered,
        "delivery_delayed" => Report::Delayed,
        "bounced" if event.data.bounce.as_deref() == Some("soft") => Report::SoftBounced,
        "bounced" => Report::Bounced,
        "complained" => Report::Complained,
        "failed" | "suppressed" => Report::Failed,
        _ => return Ok(Parsed::Ignored),
    };
    let message_id = event.data.message_id.ok_or("The event names no message_id.")?;
    Ok(Parsed::Report(ProviderReport { message_id, report, detail: event.data.reason.map(short) }))
}

/// A provider's reason as staff read it: one line, not a novel.
fn short(reason: String) -> String {
    let line = reason.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(300) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_later_state_outranks_an_earlier_one_never_the_reverse() {
        assert!(Report::Delivered.rank() > Report::Delayed.rank());
        assert!(Report::Bounced.rank() > Report::Delivered.rank());
        assert!(Report::Complained.rank() > Report::Bounced.rank());
        for report in Report::ALL {
            assert_eq!(Report::from_stored(report.stored()), Some(report));
        }
    }

    #[test]
    fn resend_events_are_read_by_type_and_bounce_kind() {
        let bounced = br#"{"type":"email.bounced","created_at":"2026-12-08T10:00:00Z","data":{"email_id":"re_1",
            "bounce":{"type":"Permanent","subType":"General","message":"The mailbox does not exist."}}}"#;
        assert_eq!(
            parse_resend(bounced),
            Ok(Parsed::Report(ProviderReport {
                message_id: "re_1".into(),
                report: Report::Bounced,
                detail: Some("The mailbox does not exist.".into())
            }))
        );
        let soft = br#"{"type":"email.bounced","data":{"email_id":"re_1","bounce":{"type":"Transient"}}}"#;
        assert!(matches!(parse_resend(soft), Ok(Parsed::Report(ProviderReport { report: Report::SoftBounced, .. }))));
        assert_eq!(parse_resend(br#"{"type":"email.opened","data":{"email_id":"re_1"}}"#), Ok(Parsed::Ignored));
        assert!(parse_resend(b"not json").is_err());
        assert!(parse_resend(br#"{"type":"email.delivered","data":{}}"#).is_err());
    }

    #[test]
    fn standard_events_name_their_message_and_bounce() {
        let soft = br#"{"type":"bounced","data":{"message_id":"m1","bounce":"soft","reason":"Mailbox  full\n"}}"#;
        assert_eq!(
            parse_standard(soft),
            Ok(Parsed::Report(ProviderReport {
                message_id: "m1".into(),
                report: Report::SoftBounced,
                detail: Some("Mailbox full".into())
            }))
        );
        assert_eq!(parse_standard(br#"{"type":"clicked","data":{"message_id":"m1"}}"#), Ok(Parsed::Ignored));
    }
}
