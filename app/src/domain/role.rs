//! Staff roles and what each may do. The order is the order of trust: no one grants a role
//! above their own (SECURITY.md rule 20), nor changes someone whose role is above theirs.

use serde::{Deserialize, Serialize};

/// Stored, posted and sent under the names `as_str` gives (serde reads a row's role as one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Staff,
    SecurityAdministrator,
    Administrator,
    Owner,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Owner, Role::Administrator, Role::SecurityAdministrator, Role::Staff];

    /// From its stored or posted name; anything else is not a role.
    pub fn parse(name: &str) -> Result<Self, &'static str> {
        Self::ALL.into_iter().find(|role| role.as_str() == name).ok_or("Choose one of the roles listed.")
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Administrator => "administrator",
            Role::SecurityAdministrator => "security_administrator",
            Role::Staff => "staff",
        }
    }

    /// As staff read it.
    pub fn label(self) -> &'static str {
        match self {
            Role::Owner => "Owner",
            Role::Administrator => "Administrator",
            Role::SecurityAdministrator => "Security administrator",
            Role::Staff => "Staff",
        }
    }

    /// Which members a login of this role sees, in words: every member for those who
    /// manage the organisation or were given everyone, else only what they were given.
    pub fn sees(self, all_members: bool, group: Option<&str>) -> String {
        match group {
            _ if self.manages_organisation() || all_members => "every member".into(),
            Some(group) => format!("only the members of the group “{group}”"),
            None => "only the members and groups given — none yet".into(),
        }
    }

    /// What the role may do, in a sentence for the team page.
    pub fn summary(self) -> &'static str {
        match self {
            Role::Owner => "Everything, including the team and other owners.",
            Role::Administrator => "Everything but owners: the team, settings, templates, members.",
            Role::SecurityAdministrator => {
                "Members, and their logins: change a login's e-mail, re-enable an invite link."
            }
            Role::Staff => "The members they are given: invite, resend, revoke, edit.",
        }
    }

    /// Invites staff, sets their roles and access, changes settings and templates, decides
    /// link requests.
    pub fn manages_organisation(self) -> bool {
        self >= Role::Administrator
    }

    /// Changes a member's login e-mail, re-enables an invite link (001).
    pub fn administers_logins(self) -> bool {
        self >= Role::SecurityAdministrator
    }

    /// Whether someone in this role may give `role` to a person who has `current` (none: a
    /// new invitation), or remove them.
    pub fn may_assign(self, current: Option<Role>, role: Role) -> bool {
        self.manages_organisation() && role <= self && current.is_none_or(|current| current <= self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_one_grants_a_role_above_their_own() {
        assert!(Role::Owner.may_assign(None, Role::Owner));
        assert!(Role::Administrator.may_assign(None, Role::Administrator));
        assert!(!Role::Administrator.may_assign(None, Role::Owner));
        assert!(!Role::Administrator.may_assign(Some(Role::Owner), Role::Staff));
        assert!(!Role::SecurityAdministrator.may_assign(None, Role::Staff));
        assert!(!Role::Staff.may_assign(Some(Role::Staff), Role::Staff));
    }

    #[test]
    fn roles_read_back_from_their_names_and_nothing_else() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(Role::parse("Owner").is_err());
        #[cfg(feature = "ssr")]
        for role in Role::ALL {
            assert_eq!(serde_json::to_value(role).unwrap(), role.as_str(), "serde names it as the table does");
        }
        assert!(Role::parse("root").is_err());
    }
}
