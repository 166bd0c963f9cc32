//! Webhooks: the events another system may hear of, where it may be told (a public https
//! address, never one inside the network Portico runs in), and when a failed delivery is
//! tried again.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};

/// A type of event an endpoint may choose: its name in a message, the field of the form
/// that chooses it, and what it means.
pub struct EventType {
    pub name: &'static str,
    pub field: &'static str,
    pub meaning: &'static str,
}

const fn event(name: &'static str, field: &'static str, meaning: &'static str) -> EventType {
    EventType { name, field, meaning }
}

/// Every type an endpoint may choose, in the order the form lists them.
pub const EVENT_TYPES: &[EventType] = &[
    event(
        "invitation.created",
        "invitation_created",
        "An invitation was made: invited, sent again, or invited again after a decline",
    ),
    event("invitation.sent", "invitation_sent", "Its e-mail was handed to the e-mail service"),
    event(
        "invitation.delivered",
        "invitation_delivered",
        "The e-mail service reported its e-mail delivered to the mailbox",
    ),
    event("invitation.failed", "invitation_failed", "Its e-mail could not be delivered, or bounced"),
    event("invitation.accepted", "invitation_accepted", "The person accepted it and has a login"),
    event("invitation.declined", "invitation_declined", "The person declined the portal, or staff recorded it"),
    event("invitation.revoked", "invitation_revoked", "It was revoked: its link no longer works"),
    event("invitation.expired", "invitation_expired", "Its link expired unused"),
    event("member.linked", "member_linked", "A login was linked to a member's profile"),
    event("member.unlinked", "member_unlinked", "A login was unlinked from a member's profile"),
];

/// The types an endpoint hears of, as stored: each between spaces (`' a b '`), so the queue's
/// trigger finds one with `instr`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventChoice(String);

impl EventChoice {
    pub fn parse(chosen: &[String]) -> Result<Self, &'static str> {
        if chosen.is_empty() {
            return Err("Choose at least one event to send.");
        }
        let mut types: Vec<&str> = Vec::new();
        for name in chosen {
            let known = EVENT_TYPES.iter().find(|t| t.name == name).ok_or("Choose events from the list.")?;
            if !types.contains(&known.name) {
                types.push(known.name);
            }
        }
        Ok(Self(format!(" {} ", types.join(" "))))
    }

    pub fn as_stored(&self) -> &str {
        &self.0
    }

    /// The types, as stored text lists them.
    pub fn types_of(stored: &str) -> Vec<String> {
        stored.split_whitespace().map(str::to_owned).collect()
    }
}

/// Where an endpoint is told: an https address (http on loopback in dev mode only, for the
/// tests) whose host is a name, or a public address. Names are checked again, with every
/// address they resolve to, at each delivery (`is_public`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointUrl(String);

impl EndpointUrl {
    pub fn parse(input: &str, dev_mode: bool) -> Result<Self, &'static str> {
        let text = input.trim();
        if text.is_empty() {
            return Err("Enter the address to send events to (https://…).");
        }
        if text.len() > 500 || text.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err("That is not a web address: one line, without spaces, up to 500 characters.");
        }
        let (scheme, rest) = text.split_once("://").ok_or("Enter a whole address, starting with https://.")?;
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if authority.contains('@') {
            return Err("The address cannot carry a user name or password.");
        }
        let host = host_of(authority).ok_or("That address has no host name.")?;
        let loopback = host_is_loopback(&host);
        match scheme.to_ascii_lowercase().as_str() {
            "https" => {}
            "http" if dev_mode && loopback => {}
            _ => return Err("The address must start with https:// (events carry members' details)."),
        }
        if loopback && !dev_mode {
            return Err("The address must be reachable on the internet, not this machine.");
        }
        if let Ok(address) = host.parse::<IpAddr>()
            && !is_public(address)
            && !(dev_mode && address.is_loopback())
        {
            return Err("The address must be public: not a private, link-local or cloud metadata address.");
        }
        if is_internal_name(&host) {
            return Err("The address must be public: not a name inside a private network.");
        }
        Ok(Self(format!("{}://{rest}", scheme.to_ascii_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The host, as a resolver takes it (brackets of an IPv6 address removed).
    pub fn host(&self) -> String {
        let rest = self.0.split_once("://").map_or("", |(_, r)| r);
        host_of(rest.split(['/', '?', '#']).next().unwrap_or_default()).unwrap_or_default()
    }
}

/// `host` of `host:port`, `[v6]:port` or `host`, lower-cased; none when empty.
fn host_of(authority: &str) -> Option<String> {
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next()?.to_owned()
    } else {
        authority.rsplit_once(':').map_or(authority, |(h, _)| h).to_owned()
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    (!host.is_empty()).then_some(host)
}

fn host_is_loopback(host: &str) -> bool {
    host == "localhost" || host.ends_with(".localhost") || host.parse::<IpAddr>().is_ok_and(|a| a.is_loopback())
}

/// Names that only mean something inside a private network or a cloud.
fn is_internal_name(host: &str) -> bool {
    let internal = [".internal", ".local", ".lan", ".home.arpa", ".intranet", ".corp"];
    let single_label = !host.contains('.') && host.parse::<IpAddr>().is_err() && host != "localhost";
    single_label || internal.iter().any(|suffix| host.ends_with(suffix))
}

/// An address on the public internet: not loopback, private, link-local (cloud metadata
/// lives there, 169.254.169.254), shared, documentation, multicast or unspecified.
pub fn is_public(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(a: Ipv4Addr) -> bool {
    let [first, second, ..] = a.octets();
    let shared = first == 100 && (64..128).contains(&second);
    let benchmarking = first == 198 && (18..20).contains(&second);
    !(a.is_loopback()
        || a.is_private()
        || a.is_link_local()
        || a.is_unspecified()
        || a.is_broadcast()
        || a.is_documentation()
        || a.is_multicast()
        || first == 0
        || first >= 240
        || shared
        || benchmarking)
}

fn is_public_v6(a: Ipv6Addr) -> bool {
    let first = a.segments()[0];
    let unique_local = (first & 0xfe00) == 0xfc00;
    let link_local = (first & 0xffc0) == 0xfe80;
    let documentation = first == 0x2001 && a.segments()[1] == 0x0db8;
    !(a.is_loopback() || a.is_unspecified() || a.is_multicast() || unique_local || link_local || documentation)
}

/// Seconds to wait before each attempt after a failure: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
/// 10 h (the first attempt is at once). Past the last, the message is given up.
pub const RETRY_DELAYS: [i64; 7] = [5, 300, 1800, 7200, 18000, 36000, 36000];

/// When to try again after `attempts` failed attempts; none when it is given up.
pub fn next_attempt(attempts: i64, now: i64) -> Option<i64> {
    let index = usize::try_from(attempts - 1).ok()?;
    RETRY_DELAYS.get(index).map(|delay| now + delay)
}

/// An endpoint failing for this long is disabled (and its owners told).
pub const DISABLE_AFTER_SECONDS: i64 = 5 * 24 * 3600;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_https_addresses_are_endpoints() {
        assert!(EndpointUrl::parse("https://hooks.example.org/portico", false).is_ok());
        assert!(EndpointUrl::parse("https://93.184.216.34:8443/x", false).is_ok());
        for refused in [
            "http://hooks.example.org/",
            "ftp://hooks.example.org/",
            "hooks.example.org",
            "https://127.0.0.1/",
            "https://localhost:3000/",
            "https://10.1.2.3/",
            "https://192.168.0.1/",
            "https://172.16.5.5/",
            "https://169.254.169.254/latest/meta-data",
            "https://[::1]/",
            "https://[fd00::1]/",
            "https://[fe80::1]/",
            "https://[::ffff:10.0.0.1]/",
            "https://100.64.0.1/",
            "https://0.0.0.0/",
            "https://metadata.google.internal/",
            "https://printer.local/",
            "https://intranet/",
            "https://user:pass@hooks.example.org/",
            "https://hooks.example.org/a b",
        ] {
            assert!(EndpointUrl::parse(refused, false).is_err(), "{refused}");
        }
    }

    #[test]
    fn dev_mode_alone_allows_loopback_over_http() {
        assert!(EndpointUrl::parse("http://127.0.0.1:9000/hook", true).is_ok());
        assert!(EndpointUrl::parse("http://127.0.0.1:9000/hook", false).is_err());
        assert!(EndpointUrl::parse("http://10.0.0.1/hook", true).is_err());
        assert_eq!(EndpointUrl::parse("https://[2606:4700::1111]:443/x", false).unwrap().host(), "2606:4700::1111");
    }

    #[test]
    fn retries_follow_the_schedule_then_stop() {
        let waits: Vec<Option<i64>> = (1..=8).map(|attempts| next_attempt(attempts, 0)).collect();
        assert_eq!(waits, [Some(5), Some(300), Some(1800), Some(7200), Some(18000), Some(36000), Some(36000), None]);
    }

    #[test]
    fn chosen_events_are_known_and_stored_between_spaces() {
        let chosen = EventChoice::parse(&["invitation.sent".into(), "member.linked".into()]).unwrap();
        assert_eq!(chosen.as_stored(), " invitation.sent member.linked ");
        assert!(EventChoice::parse(&[]).is_err());
        assert!(EventChoice::parse(&["invitation.sent ".into()]).is_err());
    }
}
