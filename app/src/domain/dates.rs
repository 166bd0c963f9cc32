//! Dates as people read them, from unix seconds: in UTC, or (on the server) in the
//! organisation's time zone with its abbreviation.

pub const DAY: i64 = 86_400;

pub(crate) const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "22 November 2026".
pub fn format_date(unix_seconds: i64) -> String {
    let (year, month, day) = civil_from_days(unix_seconds.div_euclid(DAY));
    format!("{day} {} {year}", MONTHS[(month - 1) as usize])
}

/// "22 November 2026, 14:05 UTC".
pub fn format_date_time(unix_seconds: i64) -> String {
    let secs = unix_seconds.rem_euclid(DAY);
    format!("{}, {:02}:{:02} UTC", format_date(unix_seconds), secs / 3600, secs % 3600 / 60)
}

/// "2026-11-22", as spreadsheets read a date.
pub fn iso_date(unix_seconds: i64) -> String {
    let (year, month, day) = civil_from_days(unix_seconds.div_euclid(DAY));
    format!("{year:04}-{month:02}-{day:02}")
}

/// "2026-11-22T14:05:09Z": a moment as the API gives it (RFC 3339, UTC).
pub fn rfc3339(unix_seconds: i64) -> String {
    let secs = unix_seconds.rem_euclid(DAY);
    format!("{}T{:02}:{:02}:{:02}Z", iso_date(unix_seconds), secs / 3600, secs % 3600 / 60, secs % 60)
}

/// An organisation's time zone (an IANA name such as "Europe/Zurich"): every time its pages
/// and e-mails show is in it, written with its abbreviation ("14:05 CET").
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    name: String,
    tz: jiff::tz::TimeZone,
}

#[cfg(feature = "ssr")]
impl Zone {
    pub fn utc() -> Self {
        Self { name: "UTC".into(), tz: jiff::tz::TimeZone::UTC }
    }

    /// A name of the time zone database, in any case; kept as the database spells it.
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let name = input.trim();
        if name.eq_ignore_ascii_case("UTC") {
            return Ok(Self::utc());
        }
        let unknown = "Choose a time zone from the list, such as Europe/London or America/New_York.";
        if name.is_empty() || name.len() > 64 || name.chars().any(|c| c.is_control()) {
            return Err(unknown);
        }
        let tz = jiff::tz::TimeZone::get(name).map_err(|_| unknown)?;
        let name = tz.iana_name().unwrap_or(name).to_owned();
        Ok(Self { name, tz })
    }

    /// The zone a stored name says; UTC for a name this build does not know.
    pub fn stored(name: Option<&str>) -> Self {
        name.and_then(|name| Self::parse(name).ok()).unwrap_or_else(Self::utc)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Every name the database knows, for the settings page's list.
    pub fn names() -> Vec<String> {
        let mut names: Vec<String> = jiff::tz::db().available().map(|n| n.to_string()).collect();
        names.sort();
        names
    }

    /// "22 November 2026", the day it is there.
    pub fn date(&self, unix_seconds: i64) -> String {
        let (day, _) = self.local(unix_seconds);
        format!("{} {} {}", day.day(), MONTHS[(day.month() - 1) as usize], day.year())
    }

    /// "22 November 2026, 14:05 CET".
    pub fn date_time(&self, unix_seconds: i64) -> String {
        let (local, abbreviation) = self.local(unix_seconds);
        format!("{}, {:02}:{:02} {abbreviation}", self.date(unix_seconds), local.hour(), local.minute())
    }

    /// "2026-11-22", as spreadsheets read a date.
    pub fn iso_date(&self, unix_seconds: i64) -> String {
        let (day, _) = self.local(unix_seconds);
        format!("{:04}-{:02}-{:02}", day.year(), day.month(), day.day())
    }

    /// The wall clock there, and the zone's abbreviation then ("CET", "CEST"; "UTC+05:30"
    /// where the database has only a number).
    fn local(&self, unix_seconds: i64) -> (jiff::civil::DateTime, String) {
        let at = jiff::Timestamp::from_second(unix_seconds).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let info = self.tz.to_offset_info(at);
        let abbreviation = info.abbreviation();
        let abbreviation =
            if abbreviation.starts_with(['+', '-']) { format!("UTC{abbreviation}") } else { abbreviation.to_owned() };
        (self.tz.to_datetime(at), abbreviation)
    }
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_moments_are_rfc3339_in_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_795_356_309), "2026-11-22T14:05:09Z");
    }

    #[test]
    fn formats_known_dates() {
        assert_eq!(format_date(0), "1 January 1970");
        assert_eq!(format_date(951_782_400), "29 February 2000");
        assert_eq!(format_date(1_795_305_600), "22 November 2026");
        assert_eq!(format_date_time(1_795_305_600 + 14 * 3600 + 5 * 60 + 59), "22 November 2026, 14:05 UTC");
        assert_eq!(format_date(-1), "31 December 1969");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_zone_shows_its_own_day_and_hour_with_its_abbreviation() {
        // 22 November 2026, 23:30 UTC: already the 23rd in Zurich, still the 22nd in New York.
        let at = 1_795_305_600 + 23 * 3600 + 30 * 60;
        let zurich = Zone::parse("europe/zurich").unwrap();
        assert_eq!(zurich.name(), "Europe/Zurich");
        assert_eq!(zurich.date_time(at), "23 November 2026, 00:30 CET");
        assert_eq!(zurich.iso_date(at), "2026-11-23");
        assert_eq!(Zone::parse("America/New_York").unwrap().date_time(at), "22 November 2026, 18:30 EST");
        // Summer time, and a zone whose abbreviation is only a number.
        assert_eq!(zurich.date_time(1_783_000_000), "2 July 2026, 15:46 CEST");
        assert_eq!(Zone::parse("Asia/Kolkata").unwrap().date_time(at), "23 November 2026, 05:00 IST");
        assert_eq!(Zone::parse("America/Sao_Paulo").unwrap().date_time(at), "22 November 2026, 20:30 UTC-03");
        assert_eq!(Zone::utc().date_time(at), "22 November 2026, 23:30 UTC");
        assert!(Zone::parse("Mars/Olympus").is_err() && Zone::parse("").is_err());
        assert!(Zone::names().iter().any(|n| n == "Europe/Geneva" || n == "Europe/Zurich"));
    }
}
