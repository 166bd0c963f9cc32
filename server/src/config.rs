//! Settings, from the environment. Every one has a default that runs on a fresh clone:
//! 127.0.0.1:3000, ./portico.db, the dev mailbox.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone)]
pub enum MailConfig {
    /// Keep e-mail in the database and list it at /dev/mailbox.
    DevMailbox,
    /// A Resend-style HTTP e-mail API.
    Http { base_url: String, api_key: String, timeout: Duration },
}

#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub database: PathBuf,
    /// Where links in e-mail point, and the only origin accepted for changes.
    pub public_base_url: String,
    /// Where cargo-leptos put the hydrate bundle and CSS.
    pub site_root: PathBuf,
    pub mail: MailConfig,
    pub dev_mode: bool,
    /// base64url, 32 bytes. Unset: kept in a file next to the database.
    pub secret_key: Option<String>,
    pub outbox_poll: Duration,
    pub session_idle: Duration,
    pub session_absolute: Duration,
    /// Password for the demo owner created on an empty database; random when unset.
    pub demo_password: Option<String>,
}

impl Config {
    pub fn from_env() -> Result<Self, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let addr: SocketAddr = var("PORTICO_ADDR")
            .or_else(|| var("LEPTOS_SITE_ADDR"))
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .map_err(|e| format!("PORTICO_ADDR is not an address like 127.0.0.1:3000: {e}"))?;
        let public_base_url = parse_base_url(&var("PORTICO_PUBLIC_URL").unwrap_or_else(|| format!("http://{addr}")))?;
        let production = var("PORTICO_ENV").is_some_and(|v| v.eq_ignore_ascii_case("production"));
        let mail = match (var("PORTICO_EMAIL_API_URL"), var("PORTICO_EMAIL_API_KEY")) {
            (Some(base_url), Some(api_key)) => {
                MailConfig::Http { base_url: parse_base_url(&base_url)?, api_key, timeout: Duration::from_secs(15) }
            }
            (Some(_), None) => return Err("PORTICO_EMAIL_API_URL is set but PORTICO_EMAIL_API_KEY is not.".into()),
            (None, _) if production => {
                return Err("In production set PORTICO_EMAIL_API_URL and PORTICO_EMAIL_API_KEY (the dev mailbox sends nothing).".into());
            }
            (None, _) => MailConfig::DevMailbox,
        };
        Ok(Self {
            addr,
            database: var("PORTICO_DATABASE").unwrap_or_else(|| "portico.db".into()).into(),
            public_base_url,
            site_root: var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()).into(),
            mail,
            dev_mode: !production,
            secret_key: var("PORTICO_SECRET_KEY"),
            outbox_poll: Duration::from_secs(5),
            session_idle: Duration::from_secs(2 * 3600),
            session_absolute: Duration::from_secs(12 * 3600),
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

    #[test]
    fn base_urls_are_origins_only() {
        assert_eq!(parse_base_url("https://portal.example.org/").unwrap(), "https://portal.example.org");
        assert_eq!(parse_base_url("http://127.0.0.1:3000").unwrap(), "http://127.0.0.1:3000");
        assert!(parse_base_url("portal.example.org").is_err());
        assert!(parse_base_url("https://portal.example.org/app").is_err());
        assert!(parse_base_url("https://").is_err());
    }
}
