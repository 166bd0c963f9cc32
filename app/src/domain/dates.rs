//! Dates as people read them, from unix seconds (UTC).

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
    fn formats_known_dates() {
        assert_eq!(format_date(0), "1 January 1970");
        assert_eq!(format_date(951_782_400), "29 February 2000");
        assert_eq!(format_date(1_795_305_600), "22 November 2026");
        assert_eq!(format_date_time(1_795_305_600 + 14 * 3600 + 5 * 60 + 59), "22 November 2026, 14:05 UTC");
        assert_eq!(format_date(-1), "31 December 1969");
    }
}
