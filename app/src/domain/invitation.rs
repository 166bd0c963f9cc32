//! The invitation life cycle, decided from the row's timestamps and the time now:
//! pending → accepted | expired | revoked | declined.

use serde::{Deserialize, Serialize};

/// How long after sending an invitation still reads as "sent just now".
pub const JUST_NOW_SECONDS: i64 = 60;

/// How recent a waiting invitation keeps a person out of a round, so rounds do not spam
/// (and two rounds at once do not invite anyone twice).
pub const ROUND_SKIPS_INVITED_WITHIN: i64 = super::dates::DAY;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationFacts {
    pub created_at: i64,
    pub expires_at: i64,
    pub accepted_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub declined_at: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationState {
    Pending,
    Accepted,
    Expired,
    Revoked,
    Declined,
}

impl InvitationState {
    /// As the API names it.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::Expired => "expired",
            Self::Revoked => "revoked",
            Self::Declined => "declined",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        [Self::Pending, Self::Accepted, Self::Expired, Self::Revoked, Self::Declined]
            .into_iter()
            .find(|state| state.slug() == slug)
    }
}

impl InvitationFacts {
    /// A link is live strictly before `expires_at` — the same rule as the SQL guard
    /// `expires_at > ?` that consumes it.
    pub fn state(&self, now: i64) -> InvitationState {
        if self.accepted_at.is_some() {
            InvitationState::Accepted
        } else if self.revoked_at.is_some() {
            InvitationState::Revoked
        } else if self.declined_at.is_some() {
            InvitationState::Declined
        } else if now >= self.expires_at {
            InvitationState::Expired
        } else {
            InvitationState::Pending
        }
    }

    /// The line staff read on the member's profile, its dates in the organisation's zone.
    #[cfg(feature = "ssr")]
    pub fn headline(&self, now: i64, zone: &super::dates::Zone) -> String {
        let format_date = |at: i64| zone.date(at);
        match self.state(now) {
            InvitationState::Pending if now - self.created_at < JUST_NOW_SECONDS => {
                "Invitation sent just now".to_owned()
            }
            InvitationState::Pending => {
                format!("Waiting for member to accept invitation (sent {})", format_date(self.created_at))
            }
            InvitationState::Accepted => {
                format!("Invitation accepted on {}", format_date(self.accepted_at.unwrap_or_default()))
            }
            InvitationState::Expired => format!("Invitation expired on {}", format_date(self.expires_at)),
            InvitationState::Revoked => {
                format!("Invitation revoked on {}", format_date(self.revoked_at.unwrap_or_default()))
            }
            InvitationState::Declined => {
                format!("Declined on {}", format_date(self.declined_at.unwrap_or_default()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SENT: i64 = 1_795_305_600; // 22 November 2026
    const DAY: i64 = 86_400;

    fn pending() -> InvitationFacts {
        InvitationFacts {
            created_at: SENT,
            expires_at: SENT + 30 * DAY,
            accepted_at: None,
            revoked_at: None,
            declined_at: None,
        }
    }

    #[test]
    fn live_one_second_before_expiry_and_expired_one_second_after() {
        let facts = pending();
        assert_eq!(facts.state(facts.expires_at - 1), InvitationState::Pending);
        assert_eq!(facts.state(facts.expires_at), InvitationState::Expired);
        assert_eq!(facts.state(facts.expires_at + 1), InvitationState::Expired);
    }

    #[test]
    fn accepted_revoked_and_declined_win_over_time() {
        let now = SENT + 40 * DAY;
        assert_eq!(InvitationFacts { accepted_at: Some(SENT + 1), ..pending() }.state(now), InvitationState::Accepted);
        assert_eq!(InvitationFacts { revoked_at: Some(SENT + 1), ..pending() }.state(now), InvitationState::Revoked);
        assert_eq!(InvitationFacts { declined_at: Some(SENT + 1), ..pending() }.state(now), InvitationState::Declined);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn headline_says_just_now_then_waiting_with_the_date_of_the_organisations_zone() {
        let facts = pending();
        let utc = crate::domain::dates::Zone::utc();
        assert_eq!(facts.headline(SENT + 5, &utc), "Invitation sent just now");
        assert_eq!(
            facts.headline(SENT + 3600, &utc),
            "Waiting for member to accept invitation (sent 22 November 2026)"
        );
        assert_eq!(facts.headline(SENT + 31 * DAY, &utc), "Invitation expired on 22 December 2026");
        // Sent at midnight UTC: still the 21st in New York.
        let new_york = crate::domain::dates::Zone::parse("America/New_York").unwrap();
        assert!(facts.headline(SENT + 3600, &new_york).ends_with("(sent 21 November 2026)"));
    }
}
