//! A member's standing with the portal, as the member list shows and filters it, and the
//! list's orders. The database keeps each member's standing (migration 0010); whether an
//! open invitation is still waiting or has expired is decided here, against the time now.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PortalStatus {
    NotInvited,
    Waiting,
    Expired,
    DeliveryFailed,
    /// The latest invitation's e-mail bounced for good, or was marked as spam.
    Bounced,
    Declined,
    Revoked,
    /// A login is linked, and no one has signed in since accepting.
    Accepted,
    Active,
    NoEmail,
}

impl PortalStatus {
    /// The list's filters, in the order they are offered.
    pub const ALL: [Self; 10] = [
        Self::NotInvited,
        Self::Waiting,
        Self::Expired,
        Self::DeliveryFailed,
        Self::Bounced,
        Self::Declined,
        Self::Revoked,
        Self::Accepted,
        Self::Active,
        Self::NoEmail,
    ];

    /// From the stored standing: an open invitation waits until its link expires.
    pub fn from_standing(standing: &str, expires_at: Option<i64>, now: i64) -> Option<Self> {
        Some(match standing {
            "not_invited" => Self::NotInvited,
            "invited" if expires_at.is_some_and(|at| now < at) => Self::Waiting,
            "invited" => Self::Expired,
            "failed" => Self::DeliveryFailed,
            "bounced" => Self::Bounced,
            "declined" => Self::Declined,
            "revoked" => Self::Revoked,
            "accepted" => Self::Accepted,
            "active" => Self::Active,
            "no_email" => Self::NoEmail,
            _ => return None,
        })
    }

    /// The stored standing it is read from.
    pub fn standing(self) -> &'static str {
        match self {
            Self::NotInvited => "not_invited",
            Self::Waiting | Self::Expired => "invited",
            Self::DeliveryFailed => "failed",
            Self::Bounced => "bounced",
            Self::Declined => "declined",
            Self::Revoked => "revoked",
            Self::Accepted => "accepted",
            Self::Active => "active",
            Self::NoEmail => "no_email",
        }
    }

    /// Its name in a URL: `?status=waiting`.
    pub fn slug(self) -> &'static str {
        match self {
            Self::NotInvited => "not-invited",
            Self::Waiting => "waiting",
            Self::Expired => "expired",
            Self::DeliveryFailed => "delivery-failed",
            Self::Bounced => "email-bounced",
            Self::Declined => "declined",
            Self::Revoked => "revoked",
            Self::Accepted => "never-signed-in",
            Self::Active => "active",
            Self::NoEmail => "no-email",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.slug() == slug)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NotInvited => "Not invited",
            Self::Waiting => "Invited, waiting",
            Self::Expired => "Invitation expired",
            Self::DeliveryFailed => "Delivery failed",
            Self::Bounced => "E-mail bounced",
            Self::Declined => "Declined",
            Self::Revoked => "Invitation revoked",
            Self::Accepted => "Never signed in since accepting",
            Self::Active => "Portal active",
            Self::NoEmail => "No e-mail on file",
        }
    }
}

/// The member list's orders: by name A–Z, or newest first by last login or invitation date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum MemberSort {
    #[default]
    Name,
    LastLogin,
    Invited,
}

impl MemberSort {
    pub const ALL: [Self; 3] = [Self::Name, Self::LastLogin, Self::Invited];

    pub fn slug(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::LastLogin => "last-login",
            Self::Invited => "invited",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|sort| sort.slug() == slug)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Name => "Name",
            Self::LastLogin => "Last login",
            Self::Invited => "Invitation date",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_invitation_waits_until_its_link_expires() {
        assert_eq!(PortalStatus::from_standing("invited", Some(100), 99), Some(PortalStatus::Waiting));
        assert_eq!(PortalStatus::from_standing("invited", Some(100), 100), Some(PortalStatus::Expired));
        assert_eq!(PortalStatus::from_standing("unheard-of", None, 0), None);
    }

    #[test]
    fn every_status_reads_back_from_its_standing_and_its_slug() {
        for status in PortalStatus::ALL {
            let expires = match status {
                PortalStatus::Expired => Some(0),
                _ => Some(i64::MAX),
            };
            assert_eq!(PortalStatus::from_standing(status.standing(), expires, 1), Some(status));
            assert_eq!(PortalStatus::from_slug(status.slug()), Some(status));
        }
        for sort in MemberSort::ALL {
            assert_eq!(MemberSort::from_slug(sort.slug()), Some(sort));
        }
    }
}
