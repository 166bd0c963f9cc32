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
    /// PORTICO_ENV=development (and a loopback public URL): the dev mailbox at /dev/mailbox,
    /// the demo organisation on an empty database. Otherwise production: first-run setup.
    pub dev_mode: bool,
    /// Rate limits; PORTICO_RATE_LIMITS=off (dev mode only, for `make bench`) switches them off.
    pub rate_limits: bool,
    /// PORTICO_SECRET_KEY: base64url, 32 bytes.
    pub secret_key: Option<String>,
    /// PORTICO_DEMO_PASSWORD: the demo owner's password on an empty database.
    pub demo_password: Option<String>,
    /// PORTICO_EMAIL_WEBHOOK_SECRET: the secret (`whsec_…`) the e-mail provider signs its
    /// delivery reports with; unset, none are taken.
    pub email_webhook_secret: Option<String>,
}

impl Settings {
    /// `var` looks a name up; empty values count as unset.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>, default_public_url: &str) -> Result<Self, String> {
        let var = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let public_base_url = parse_base_url(&var("PORTICO_PUBLIC_URL").unwrap_or_else(|| default_public_url.into()))?;
        let dev_mode = match var("PORTICO_ENV").map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            None | Some("production") => false,
            Some("development") if is_loopback(&public_base_url) => true,
            Some("development") => {
                return Err(format!(
                    "PORTICO_ENV=development shows every invitation link to anyone at /dev/mailbox, so it \
                     is only allowed when PORTICO_PUBLIC_URL is a loopback address (http://127.0.0.1:…, \
                     http://localhost:…, http://[::1]:…), and {public_base_url} is not one. Remove \
                     PORTICO_ENV (production is the default) and set PORTICO_EMAIL_API_URL and \
                     PORTICO_EMAIL_API_KEY."
                ));
            }
            Some(other) => {
                return Err(format!("PORTICO_ENV is {other:?}: use production (the default) or development."));
            }
        };
        let production = !dev_mode;
        let rate_limits = match var("PORTICO_RATE_LIMITS").map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            None | Some("on") => true,
            Some("off") if dev_mode => false,
            Some("off") => return Err("PORTICO_RATE_LIMITS=off is only allowed in dev mode.".into()),
            Some(other) => return Err(format!("PORTICO_RATE_LIMITS is {other:?}: use on (the default) or off.")),
        };
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
            dev_mode,
            rate_limits,
            secret_key: var("PORTICO_SECRET_KEY"),
            demo_password: var("PORTICO_DEMO_PASSWORD"),
            email_webhook_secret: var("PORTICO_EMAIL_WEBHOOK_SECRET")
                .map(|secret| parse_webhook_secret(&secret))
                .transpose()?,
        })
    }
}

/// A signing secret as providers give it: `whsec_` and base64 of at least 16 bytes.
fn parse_webhook_secret(input: &str) -> Result<String, String> {
    use base64::Engine;
    let secret = input.trim();
    let key = secret.strip_prefix("whsec_").and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok());
    match key {
        Some(key) if key.len() >= 16 => Ok(secret.to_owned()),
        _ => Err("PORTICO_EMAIL_WEBHOOK_SECRET must be the signing secret the e-mail provider shows, \
                  whsec_ followed by base64 (at least 16 bytes)."
            .into()),
    }
}

/// Whether a base URL (as `parse_base_url` returns it) can only be reached from this machine.
fn is_loopback(base_url: &str) -> bool {
    let host_and_port = base_url.split_once("://").map_or(base_url, |(_, rest)| rest);
    let host = match host_and_port.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
        None => host_and_port.split(':').next().unwrap_or_default(),
    };
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
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
    fn production_is_the_default_and_must_name_an_email_api() {
        for env in [vec![], vec![("PORTICO_ENV", "production")], vec![("PORTICO_ENV", " ")]] {
            let error = Settings::from_vars(vars(&env), "http://127.0.0.1:3000").unwrap_err();
            assert!(error.contains("PORTICO_EMAIL_API_URL"), "{env:?}: {error}");
        }
        let with_api = [("PORTICO_EMAIL_API_URL", "https://api.example"), ("PORTICO_EMAIL_API_KEY", "k")];
        assert!(!Settings::from_vars(vars(&with_api), "http://127.0.0.1:3000").unwrap().dev_mode);
    }

    #[test]
    fn dev_mode_only_when_asked_for_and_only_on_a_loopback_address() {
        for url in ["http://127.0.0.1:3000", "http://localhost:8787", "http://[::1]:3000", "http://127.0.0.2"] {
            let dev =
                Settings::from_vars(vars(&[("PORTICO_ENV", "development"), ("PORTICO_PUBLIC_URL", url)]), "").unwrap();
            assert_eq!((dev.dev_mode, dev.mail), (true, MailConfig::DevMailbox), "{url}");
        }
        for url in [
            "https://portal.example.org",
            "http://10.0.0.5:3000",
            "http://localhost.example.org",
            "http://0.0.0.0:3000",
        ] {
            let error = Settings::from_vars(vars(&[("PORTICO_ENV", "development"), ("PORTICO_PUBLIC_URL", url)]), "")
                .unwrap_err();
            assert!(error.contains("only allowed when PORTICO_PUBLIC_URL is a loopback address"), "{url}: {error}");
        }
        let error = Settings::from_vars(vars(&[("PORTICO_ENV", "dev")]), "http://127.0.0.1:3000").unwrap_err();
        assert!(error.contains("production (the default) or development"), "{error}");
    }

    #[test]
    fn an_email_api_needs_its_key_and_blank_values_count_as_unset() {
        let error =
            Settings::from_vars(vars(&[("PORTICO_EMAIL_API_URL", "https://api.example")]), "http://x").unwrap_err();
        assert!(error.contains("PORTICO_EMAIL_API_KEY"), "{error}");

        let api = Settings::from_vars(
            vars(&[
                ("PORTICO_ENV", "development"),
                ("PORTICO_EMAIL_API_URL", "https://api.example/"),
                ("PORTICO_EMAIL_API_KEY", "k"),
                ("PORTICO_DEMO_PASSWORD", " "),
            ]),
            "http://127.0.0.1:3000",
        )
        .unwrap();
        assert_eq!(api.mail, MailConfig::Http { base_url: "https://api.example".into(), api_key: "k".into() });
        assert_eq!(api.demo_password, None, "blank counts as unset");
    }
}
