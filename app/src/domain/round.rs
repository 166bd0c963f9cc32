//! Whom a round invites, and why it skips anyone else: a pure rule over what is known of a
//! person, unit-tested here. The skip's words are what staff read (and what a round's report
//! keeps); `kind` counts alike skips together, whatever their dates or names.

use super::Email;
use super::invitation::{InvitationFacts, InvitationState, ROUND_SKIPS_INVITED_WITHIN};

/// A round inviting more people than this is sent only once staff typed how many.
pub const LARGE_ROUND: i64 = 500;

/// What decides whether a round invites one person around a profile.
#[derive(Debug, Clone, Copy, Default)]
pub struct Candidacy<'a> {
    pub archived: bool,
    pub has_login: bool,
    pub is_primary: bool,
    pub email: Option<&'a str>,
    /// Another contact's login uses this e-mail (002's shared-e-mail rule).
    pub email_has_access: bool,
    pub latest: Option<InvitationFacts>,
    /// An invitation e-mail to this very address bounced for good, or its recipient marked
    /// it as spam (the provider said so): writing again needs a new address.
    pub address_refused: Option<AddressRefused>,
}

/// Why the provider's reports say an address should not be written to again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressRefused {
    Bounced,
    MarkedAsSpam,
}

/// Why a round leaves someone out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    Archived,
    HasLogin,
    NotPrimary,
    NoEmail,
    InvalidEmail,
    EmailHasAccess,
    AddressRefused(AddressRefused),
    /// Declined on this day.
    Declined {
        on: String,
    },
    /// Invited on this day, less than `ROUND_SKIPS_INVITED_WITHIN` ago.
    InvitedRecently {
        on: String,
    },
    /// The same person as `who` ("Anna Keller (for Max Keller)"), invited in this round.
    SamePerson {
        who: String,
    },
    /// Someone else at the address `who` is invited at in this round.
    SharedAddress {
        who: String,
    },
}

/// Whom a round invites: a primary contact of a member still kept, with a valid e-mail no
/// other login uses and that neither bounced nor complained, no login, no decline, and no
/// invitation sent in the last 24 hours.
/// `day` writes a date as the organisation reads it.
pub fn decide(c: &Candidacy<'_>, now: i64, day: impl Fn(i64) -> String) -> Result<Email, Skip> {
    if c.archived {
        return Err(Skip::Archived);
    }
    if c.has_login {
        return Err(Skip::HasLogin);
    }
    if !c.is_primary {
        return Err(Skip::NotPrimary);
    }
    let email = Email::parse(c.email.ok_or(Skip::NoEmail)?).map_err(|_| Skip::InvalidEmail)?;
    if c.email_has_access {
        return Err(Skip::EmailHasAccess);
    }
    if let Some(refused) = c.address_refused {
        return Err(Skip::AddressRefused(refused));
    }
    match c.latest.map(|facts| (facts.state(now), facts)) {
        Some((InvitationState::Declined, facts)) => {
            Err(Skip::Declined { on: day(facts.declined_at.unwrap_or_default()) })
        }
        Some((InvitationState::Pending, facts)) if now - facts.created_at < ROUND_SKIPS_INVITED_WITHIN => {
            Err(Skip::InvitedRecently { on: day(facts.created_at) })
        }
        _ => Ok(email),
    }
}

impl Skip {
    /// The sentence staff read beside the person.
    pub fn words(&self) -> String {
        match self {
            Skip::Archived => "Archived.".into(),
            Skip::HasLogin => "Already has portal access.".into(),
            Skip::NotPrimary => "Not a primary contact (rounds go to primary contacts only).".into(),
            Skip::NoEmail => "No e-mail on file.".into(),
            Skip::InvalidEmail => "The e-mail on file is not a valid address.".into(),
            Skip::EmailHasAccess => {
                "This e-mail is already used by someone with portal access: invite them from the profile instead."
                    .into()
            }
            Skip::AddressRefused(AddressRefused::Bounced) => {
                "The last e-mail to this address bounced: correct the address on the profile to invite them.".into()
            }
            Skip::AddressRefused(AddressRefused::MarkedAsSpam) => {
                "The last e-mail to this address was marked as spam: ask them for another address.".into()
            }
            Skip::Declined { on } => format!("{DECLINED} {on}."),
            Skip::InvitedRecently { on } => format!("{INVITED} {on}, less than 24 hours ago."),
            Skip::SamePerson { who } => format!("{SAME_PERSON} {who}: one e-mail opens both profiles."),
            Skip::SharedAddress { who } => {
                format!("{SHARED_ADDRESS} {who}, one e-mail per address: invite them from their profile.")
            }
        }
    }
}

const DECLINED: &str = "Declined the portal on";
const INVITED: &str = "Invited on";
const SAME_PERSON: &str = "The same person as";
const SHARED_ADDRESS: &str = "Same e-mail address as";

/// A skip's words without their dates and names, to count alike skips together — also for
/// the words a round kept before.
pub fn kind_of(words: &str) -> String {
    match words {
        w if w.starts_with(DECLINED) => "Declined the portal.".into(),
        w if w.starts_with(INVITED) => "Invited less than 24 hours ago.".into(),
        w if w.starts_with(SAME_PERSON) => "The same person as someone invited in this round.".into(),
        w if w.starts_with(SHARED_ADDRESS) => "Same e-mail address as someone invited in this round.".into(),
        w => w.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_305_600;

    fn invitable() -> Candidacy<'static> {
        Candidacy { is_primary: true, email: Some("ada@example.org"), ..Candidacy::default() }
    }

    fn day(at: i64) -> String {
        format!("day {at}")
    }

    #[test]
    fn the_first_reason_that_holds_is_the_one_given() {
        assert_eq!(decide(&invitable(), NOW, day).unwrap().as_str(), "ada@example.org");
        assert_eq!(
            decide(&Candidacy { archived: true, has_login: true, ..invitable() }, NOW, day),
            Err(Skip::Archived)
        );
        assert_eq!(decide(&Candidacy { has_login: true, ..invitable() }, NOW, day), Err(Skip::HasLogin));
        assert_eq!(decide(&Candidacy { is_primary: false, ..invitable() }, NOW, day), Err(Skip::NotPrimary));
        assert_eq!(decide(&Candidacy { email: None, ..invitable() }, NOW, day), Err(Skip::NoEmail));
        assert_eq!(decide(&Candidacy { email: Some("ada@"), ..invitable() }, NOW, day), Err(Skip::InvalidEmail));
        assert_eq!(decide(&Candidacy { email_has_access: true, ..invitable() }, NOW, day), Err(Skip::EmailHasAccess));
        let bounced = Candidacy { address_refused: Some(AddressRefused::Bounced), ..invitable() };
        assert_eq!(decide(&bounced, NOW, day), Err(Skip::AddressRefused(AddressRefused::Bounced)));
    }

    #[test]
    fn a_decline_is_kept_and_a_recent_invitation_waits_a_day() {
        let sent = InvitationFacts { created_at: NOW, expires_at: NOW + 30 * 86_400, ..InvitationFacts::default() };
        let declined = InvitationFacts { declined_at: Some(NOW + 5), ..sent };
        let c = |latest| Candidacy { latest: Some(latest), ..invitable() };
        assert_eq!(decide(&c(declined), NOW + 10, day), Err(Skip::Declined { on: day(NOW + 5) }));
        assert_eq!(decide(&c(sent), NOW + 3600, day), Err(Skip::InvitedRecently { on: day(NOW) }));
        assert!(decide(&c(sent), NOW + ROUND_SKIPS_INVITED_WITHIN, day).is_ok(), "a day on, it is sent again");
    }

    #[test]
    fn every_skips_words_count_with_their_kind() {
        let who = "Anna Keller (for Max Keller)".to_owned();
        for (skip, kind) in [
            (Skip::Declined { on: "2 May".into() }, "Declined the portal."),
            (Skip::InvitedRecently { on: "2 May".into() }, "Invited less than 24 hours ago."),
            (Skip::SamePerson { who: who.clone() }, "The same person as someone invited in this round."),
            (Skip::SharedAddress { who }, "Same e-mail address as someone invited in this round."),
            (Skip::NoEmail, "No e-mail on file."),
        ] {
            assert_eq!(kind_of(&skip.words()), kind, "{skip:?}");
        }
    }
}
