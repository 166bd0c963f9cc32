//! Counts as people read them.

/// "3,002": digits in groups of three, as the pages and e-mails show a count.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        grouped.push('-');
    }
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// "1 member", "3,002 members".
pub fn count_of(n: i64, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{} {many}", thousands(n)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_digits_by_three() {
        for (n, shown) in [
            (0, "0"),
            (7, "7"),
            (999, "999"),
            (1000, "1,000"),
            (3002, "3,002"),
            (1234567, "1,234,567"),
            (-4500, "-4,500"),
        ] {
            assert_eq!(thousands(n), shown);
        }
        assert_eq!(count_of(1, "member", "members"), "1 member");
        assert_eq!(count_of(3002, "member", "members"), "3,002 members");
    }
}
