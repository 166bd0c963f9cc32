//! What a timeline event says, in the words staff read on a profile or the settings page.

use serde::{Deserialize, Serialize};

/// One line of a timeline: when, and what happened (who did it included).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub when: String,
    pub what: String,
}

/// An event in words. `contact`: whom it concerns; `detail`: the address, a reason, what
/// changed; `actor`: the staff who did it (none: the person themself, or the system).
pub fn describe(kind: &str, contact: Option<&str>, detail: Option<&str>, actor: Option<&str>) -> String {
    let who = contact.unwrap_or("someone no longer on the profile");
    let to = detail.map(|d| format!(" ({d})")).unwrap_or_default();
    let text = match kind {
        "invited" => format!("Invitation sent to {who}{to}"),
        "resent" => format!("Invitation sent again to {who}{to}; the earlier link no longer works"),
        "reinvited" => format!("{who} invited again after declining{to}"),
        "emailed" => format!("Invitation e-mail to {who}{to} handed to the e-mail service"),
        "delivery_failed" => format!("Invitation e-mail to {who}: {}", detail.unwrap_or("could not be delivered")),
        "accepted" => format!(
            "{who} accepted the invitation and signed in{}",
            detail.map(|d| format!(" as {d}")).unwrap_or_default()
        ),
        "declined" if actor.is_some() => {
            format!("Recorded that {who} declined the portal{}", detail.map(|d| format!(": “{d}”")).unwrap_or_default())
        }
        "declined" => format!("{who} declined the portal from their invitation link"),
        "revoked" => format!("Invitation to {who} revoked{}", detail.map(|d| format!(": {d}")).unwrap_or_default()),
        "unlinked" => {
            format!("{who}'s login{} unlinked from the profile", detail.map(|d| format!(" ({d})")).unwrap_or_default())
        }
        "login_email_changed" => {
            format!("{who}'s login e-mail changed{}", detail.map(|d| format!(": {d}")).unwrap_or_default())
        }
        "settings_changed" | "team_changed" => detail.unwrap_or("Settings changed").to_owned(),
        "imported" => format!("{who} added by importing “{}”", detail.unwrap_or("a spreadsheet")),
        "updated_by_import" => format!("{who}'s profile updated by importing “{}”", detail.unwrap_or("a spreadsheet")),
        "archived" => match detail {
            Some(key) => format!("{who} archived through the API key “{key}”"),
            None => format!("{who} archived"),
        },
        "restored" => match detail {
            Some(key) => format!("{who} restored from the archive through the API key “{key}”"),
            None => format!("{who} restored from the archive"),
        },
        "linked" => format!(
            "{who}'s profile linked to the login {}, by the same e-mail address",
            detail.unwrap_or("(no longer there)")
        ),
        "expired" => format!("The invitation to {who}{to} expired unused"),
        "webhook_disabled" => {
            format!("Webhook endpoint {} disabled: every delivery failed for 5 days", detail.unwrap_or("(removed)"))
        }
        "added_through_api" => format!("{who} added through the API key “{}”", detail.unwrap_or("no longer there")),
        "staff_joined" => format!("Joined the team: {}", detail.unwrap_or("a new login")),
        "email_delivered" => format!("Invitation e-mail to {who} delivered to the mailbox{to}"),
        "email_delayed" => format!("Invitation e-mail to {who} delayed: the receiving server has not taken it yet{to}"),
        "email_soft_bounced" => format!("Invitation e-mail to {who} not delivered for now{}", reason(detail)),
        "email_failed" => format!("Invitation e-mail to {who} could not be sent{}", reason(detail)),
        "email_bounced" => format!("Invitation e-mail to {who} bounced{}", reason(detail)),
        "email_complained" => format!("{who} marked the invitation e-mail as spam"),
        "link_requested" => format!(
            "{who} asked for a new link from their expired invitation; it was sent to {}",
            detail.unwrap_or("the address it was sent to before")
        ),
        "link_reenabled" => {
            format!("A new invite link was made for {who}{to} to pass on by hand; earlier links no longer work")
        }
        other => other.replace('_', " "),
    };
    match actor {
        Some(actor) => format!("{text}, by {actor}."),
        None => format!("{text}."),
    }
}

/// A provider's reason after a colon, when it gave one.
fn reason(detail: Option<&str>) -> String {
    detail.map(|d| format!(": {d}")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_read_as_sentences_naming_who_did_them() {
        assert_eq!(
            describe("invited", Some("Ada Byron"), Some("ada@example.org"), Some("Olive")),
            "Invitation sent to Ada Byron (ada@example.org), by Olive."
        );
        assert_eq!(
            describe("declined", Some("Ada Byron"), None, None),
            "Ada Byron declined the portal from their invitation link."
        );
        assert_eq!(
            describe("declined", Some("Ada Byron"), Some("prefers paper"), Some("Olive")),
            "Recorded that Ada Byron declined the portal: “prefers paper”, by Olive."
        );
        assert_eq!(
            describe("revoked", Some("Pat Case"), Some("the e-mail address changed"), Some("Olive")),
            "Invitation to Pat Case revoked: the e-mail address changed, by Olive."
        );
        assert_eq!(
            describe("emailed", None, None, None),
            "Invitation e-mail to someone no longer on the profile handed to the e-mail service."
        );
        assert_eq!(
            describe("link_requested", Some("Ada Byron"), Some("ada@example.org"), None),
            "Ada Byron asked for a new link from their expired invitation; it was sent to ada@example.org."
        );
    }
}
