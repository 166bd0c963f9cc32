//! Each page's title (WCAG 2.4.2): what the page is, then whose — "Members – Riverside
//! Martial Arts" — and "Error: " first when a form came back with mistakes.

/// The name of the page at `path`, from the route list's own shapes.
pub fn page_name(path: &str) -> &'static str {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    match parts.as_slice() {
        [""] => "Start",
        ["login"] => "Sign in",
        ["forgot-password"] => "Forgotten password",
        ["forgot-password", "sent"] | ["join", "sent"] => "Check your e-mail",
        ["reset-password", _] => "Choose a new password",
        ["setup"] => "Set up Portico",
        ["staff", "members"] => "Members",
        ["staff", "members", "new"] => "Add a member",
        ["staff", "members", "archived"] => "Archived members",
        ["staff", "not-registered"] => "Not yet registered",
        ["staff", "members", _] => "Member profile",
        ["staff", "members", _, "edit"] => "Edit member",
        ["staff", "members", _, "contacts", "new"] => "Add a representative",
        ["staff", "members", _, "contacts", _, "edit"] => "Edit representative",
        ["staff", "members", _, "contacts", _, "invite"] => "Invite",
        ["staff", "groups"] => "Groups",
        ["staff", "groups", _] => "Group",
        ["staff", "add-to-group"] => "Add to a group",
        ["staff", "bulk-sends"] => "Bulk sends",
        ["staff", "bulk-sends", _] => "Round report",
        ["staff", "invite-round"] => "Invitation round",
        ["staff", "templates"] => "Templates",
        ["staff", "templates", _] => "Edit template",
        ["staff", "settings"] => "Settings",
        ["staff", "logo"] => "Logo",
        ["staff", "api-keys"] => "API keys",
        ["staff", "webhooks"] => "Webhooks",
        ["staff", "webhooks", _] => "Webhook endpoint",
        ["staff", "imports"] => "Import members",
        ["staff", "imports", _] => "Import",
        ["staff", "team"] => "Team",
        ["staff", "link-requests"] => "Link requests",
        ["join", "confirmed"] => "Sign-up confirmed",
        ["join", "confirm", _] => "Confirm your e-mail address",
        ["join", _] => "Sign up",
        ["invite", _] => "Your invitation",
        ["join-staff", _] => "Join the team",
        ["declined"] => "Invitation declined",
        ["portal"] => "Your portal",
        ["dev", "mailbox"] => "Dev mailbox",
        ["dev", "style-guide"] => "Style guide",
        _ => "Page not found",
    }
}

/// The whole title: the page, whose it is (Portico's own pages say Portico), and "Error: "
/// when the page shows a form's mistakes.
pub fn page_title(path: &str, organisation: Option<&str>, has_errors: bool) -> String {
    let error = if has_errors { "Error: " } else { "" };
    format!("{error}{} – {}", page_name(path), organisation.unwrap_or("Portico"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_names_the_page_and_whose_it_is() {
        assert_eq!(
            page_title("/staff/members", Some("Riverside Martial Arts"), false),
            "Members – Riverside Martial Arts"
        );
        assert_eq!(page_title("/staff/members/12/contacts/3/invite", None, true), "Error: Invite – Portico");
        assert_eq!(page_title("/login", None, false), "Sign in – Portico");
        assert_eq!(page_title("/staff/nothing/here", None, false), "Page not found – Portico");
    }
}
