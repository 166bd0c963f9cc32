//! What staff type for the portal's sections — a membership, a booking, a file's name — and
//! the one rule that decides how a kept file is handed back.

use super::has_forbidden_chars;

/// One line of text, trimmed: `None` when empty, an error when too long or not one line.
fn one_line(input: &str, max_chars: usize, too_long: &'static str) -> Result<Option<String>, &'static str> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if s.chars().count() > max_chars {
        return Err(too_long);
    }
    if has_forbidden_chars(s, false) {
        return Err("Write it on one line, without control characters.");
    }
    Ok(Some(s.to_owned()))
}

/// The programme a member is enrolled in: "Karate", "Junior swimming".
pub fn programme(input: &str) -> Result<String, &'static str> {
    one_line(input, 80, "That programme name is too long (80 characters at most).")?
        .ok_or("Enter the programme's name.")
}

/// Their level in it, if the organisation keeps one: "Green belt".
pub fn level(input: &str) -> Result<Option<String>, &'static str> {
    one_line(input, 60, "That level is too long (60 characters at most).")
}

/// What is booked: "Private lesson", "Tax return review".
pub fn booking_title(input: &str) -> Result<String, &'static str> {
    one_line(input, 80, "That is too long (80 characters at most).")?.ok_or("Say what is booked.")
}

/// Where, if it helps: "Dojo 2", "Video call".
pub fn place(input: &str) -> Result<Option<String>, &'static str> {
    one_line(input, 100, "That place is too long (100 characters at most).")
}

/// A date and time as a date-time field sends it, "2026-12-05T18:00" (seconds dropped):
/// sorts as text, read the same on every device because no time zone is involved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingTime(String);

impl BookingTime {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        const MESSAGE: &str = "Give the date and time as 2026-12-05T18:00.";
        let s = input.trim();
        let minutes = s.get(..16).filter(|_| s.len() == 16 || (s.len() == 19 && s.as_bytes()[16] == b':'));
        let minutes = minutes.ok_or(MESSAGE)?;
        let number = |range: std::ops::Range<usize>| minutes.get(range).and_then(|d| d.parse::<u32>().ok());
        let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':')];
        if !separators.iter().all(|&(at, byte)| minutes.as_bytes()[at] == byte)
            || !minutes.bytes().enumerate().all(|(at, b)| [4, 7, 10, 13].contains(&at) || b.is_ascii_digit())
        {
            return Err(MESSAGE);
        }
        let (year, month, day) = (number(0..4), number(5..7), number(8..10));
        let (hour, minute) = (number(11..13), number(14..16));
        let (Some(year), Some(month), Some(day), Some(hour), Some(minute)) = (year, month, day, hour, minute) else {
            return Err(MESSAGE);
        };
        if !(2000..=2100).contains(&year) {
            return Err("Give a year from 2000 to 2100.");
        }
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) || hour > 23 || minute > 59 {
            return Err("That date or time does not exist.");
        }
        Ok(Self(minutes.to_owned()))
    }

    /// Already checked when it was stored.
    pub fn stored(text: String) -> Self {
        Self(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// "5 December 2026, 18:00".
    pub fn in_words(&self) -> String {
        let part = |range: std::ops::Range<usize>| self.0.get(range).and_then(|p| p.parse::<usize>().ok());
        match (part(0..4), part(5..7), part(8..10), self.0.get(11..16)) {
            (Some(year), Some(month @ 1..=12), Some(day), Some(time)) => {
                format!("{day} {} {year}, {time}", super::dates::MONTHS[month - 1])
            }
            _ => self.0.clone(),
        }
    }
}

/// The first day whose bookings are still upcoming at `now` (unix seconds). A booking's time
/// is the organisation's wall clock, with no time zone: the day is the one it still is in the
/// last time zone to reach it (UTC−12), so no booking that is ahead where the organisation is
/// drops off early; the rest of the day's bookings stay listed until that day ends everywhere.
pub fn upcoming_from(now: i64) -> String {
    super::dates::iso_date(now - 12 * 3600)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        _ => 31,
    }
}

/// The largest file kept on a profile: its base64 text stays under D1's 2 MB a row.
pub const MAX_FILE_BYTES: usize = 1 << 20;

/// A file's name as shown and as given back on download: the last part of what the browser
/// sent (some send a whole path), on one line, at most 120 characters.
pub fn file_name(input: &str) -> Result<String, &'static str> {
    let last = input.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = last.chars().filter(|c| !has_forbidden_chars(&c.to_string(), false)).collect();
    let name = name.trim();
    if name.is_empty() || name == "." || name == ".." {
        return Err("Choose a file to upload.");
    }
    if name.chars().count() > 120 {
        return Err("That file name is too long (120 characters at most): rename it first.");
    }
    Ok(name.to_owned())
}

/// The content type a kept file is handed back with, from its name's extension: the few kinds
/// people share this way, else plain bytes. Never what the uploader's browser claimed.
pub fn content_type_of(name: &str) -> &'static str {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booking_times_are_real_minutes() {
        assert_eq!(BookingTime::parse("2026-12-05T18:00").unwrap().as_str(), "2026-12-05T18:00");
        assert_eq!(BookingTime::parse(" 2028-02-29T07:05:00 ").unwrap().as_str(), "2028-02-29T07:05");
        for bad in ["", "2026-12-05", "2026-12-05 18:00", "2026-13-05T18:00", "2027-02-29T10:00", "2026-12-05T24:00"] {
            assert!(BookingTime::parse(bad).is_err(), "{bad:?} was accepted");
        }
        assert!(BookingTime::parse("1999-12-05T18:00").is_err());
        assert!(BookingTime::parse("2026-12-05T18:0x").is_err());
        assert!(BookingTime::parse("2026-12-05T18:00:0").is_err());
        assert_eq!(BookingTime::stored("2026-12-05T18:00".into()).in_words(), "5 December 2026, 18:00");
    }

    #[test]
    fn upcoming_bookings_start_on_the_day_it_still_is_somewhere() {
        let dec_2_at_1_utc = 1_796_173_200;
        assert_eq!(crate::domain::dates::iso_date(dec_2_at_1_utc), "2026-12-02");
        // 17:00 on 1 December in California: that evening's bookings are still ahead.
        assert_eq!(upcoming_from(dec_2_at_1_utc), "2026-12-01");
        assert_eq!(upcoming_from(dec_2_at_1_utc + 12 * 3600), "2026-12-02");
    }

    #[test]
    fn file_names_lose_paths_and_control_characters() {
        assert_eq!(file_name("C:\\Users\\ada\\belt test.pdf").unwrap(), "belt test.pdf");
        assert_eq!(file_name("../../etc/passwd").unwrap(), "passwd");
        assert_eq!(file_name("report\r\n.pdf").unwrap(), "report.pdf");
        assert!(file_name("").is_err());
        assert!(file_name("dir/..").is_err());
        assert!(file_name(&"a".repeat(121)).is_err());
    }

    #[test]
    fn content_types_come_from_the_name_only() {
        assert_eq!(content_type_of("Grading.PDF"), "application/pdf");
        assert_eq!(content_type_of("page.html"), "application/octet-stream");
        assert_eq!(content_type_of("photo.svg"), "application/octet-stream");
        assert_eq!(content_type_of("noextension"), "application/octet-stream");
    }

    #[test]
    fn memberships_and_bookings_are_one_line() {
        assert_eq!(programme("  Karate ").unwrap(), "Karate");
        assert!(programme(" ").is_err());
        assert_eq!(level("").unwrap(), None);
        assert!(booking_title("Grading\nday").is_err());
        assert!(place(&"x".repeat(101)).is_err());
    }
}
