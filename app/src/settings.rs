//! The settings both targets read from their environment (process variables on the server,
//! Worker vars and secrets on the edge), with the same names, defaults and messages.

/// Where e-mail goes.
#[derive(Debug, Clone, PartialEq)]
pub enum MailConfig {
    /// Keep e-mail in the database and list it at /dev/mailbox.
    DevMailbox,
    /// A Resend-style HTTP e-mail API.
    Http { base_url: String, api_key: String },
}

#[derive(Debug, Clone)]
pub struct Settings {
    /// PORTICO_PUBLIC_URL: where links in e-mail point, and the only origin accepted for changes.
    pub public_base_url: String,
    /// PORTICO_EMAIL_API_URL + PORTICO_EMAIL_API_KEY, or the dev mailbox.
    pub mail: MailConfig,
    /// PORTICO_ENV=production: no dev mailbox, no /dev pages.
    pub production: bool,
    /// PORTICO_SECRET_KEY: base64url, 32 bytes.
    pub secret_key: Option<String>,
    /// PORTICO_DEMO_PASSWORD: the demo owner's password on an empty database.
    pub demo_password: Option<String>,
}

impl Settings {
    /// `var` looks a name up; empty values count as unset.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>, default_public_url: &str) -> Result<Self, String> {
        let var = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let public_base_url = parse_base_url(&var("PORTICO_PUBLIC_URL").unwrap_or_else(|| default_public_url.into()))?;
        let production = var("PORTICO_ENV").is_some_and(|v| v.eq_ignore_ascii_case("production"));
        let mail = match (var("PORTICO_EMAIL_API_URL"), var("PORTICO_EMAIL_API_KEY")) {
            (Some(base_url), Some(api_key)) => MailConfig::Http { base_url: parse_base_url(&base_url)?, api_key },
            (Some(_), None) => {
                return Err("PORTICO_EMAIL_API_URL is set but PORTICO_EMAIL_API_KEY is not.".into());
            }
            (None, _) if production => {
                return Err("In production set PORTICO_EMAIL_API_URL and PORTICO_EMAIL_API_KEY (the dev mailbox sends nothing).".into());
            }
            (None, _) => MailConfig::DevMailbox,
        };
        Ok(Self {
            public_base_url,
            mail,
            production,
            secret_key: var("PORTICO_SECRET_KEY"),
            demo_password: var("PORTICO_DEMO_PASSWORD"),
        })
    }
}

/// `scheme://host[:port]`, no path, no trailing slash.
pub fn parse_base_url(input: &str) -> Result<String, String> {
    let url = input.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("{input:?} must start with http:// or https://"))?;
    if rest.is_empty() || rest.contains(['/', '?', '#', ' ']) {
        return Err(format!("{input:?} must be a scheme and host only, like https://portal.example.org"));
    }
    Ok(url.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |name| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    #[test]
    fn base_urls_are_origins_only() {
        assert_eq!(parse_base_url("https://portal.example.org/").unwrap(), "https://portal.example.org");
        assert_eq!(parse_base_url("http://127.0.0.1:3000").unwrap(), "http://127.0.0.1:3000");
        assert!(parse_base_url("portal.example.org").is_err());
        assert!(parse_base_url("https://portal.example.org/app").is_err());
        assert!(parse_base_url("https://").is_err());
    }

    #[test]
    fn a_fresh_clone_gets_the_dev_mailbox_and_production_must_name_an_email_api() {
        let fresh = Settings::from_vars(vars(&[]), "http://127.0.0.1:3000").unwrap();
        assert_eq!((fresh.mail, fresh.production), (MailConfig::DevMailbox, false));
        assert_eq!(fresh.public_base_url, "http://127.0.0.1:3000");

        let error = Settings::from_vars(vars(&[("PORTICO_ENV", "production")]), "http://x").unwrap_err();
        assert!(error.contains("PORTICO_EMAIL_API_URL"), "{error}");
        let error =
            Settings::from_vars(vars(&[("PORTICO_EMAIL_API_URL", "https://api.example")]), "http://x").unwrap_err();
        assert!(error.contains("PORTICO_EMAIL_API_KEY"), "{error}");

        let api = Settings::from_vars(
            vars(&[
                ("PORTICO_EMAIL_API_URL", "https://api.example/"),
                ("PORTICO_EMAIL_API_KEY", "k"),
                ("PORTICO_DEMO_PASSWORD", " "),
            ]),
            "http://x",
        )
        .unwrap();
        assert_eq!(api.mail, MailConfig::Http { base_url: "https://api.example".into(), api_key: "k".into() });
        assert_eq!(api.demo_password, None, "blank counts as unset");
    }
}
