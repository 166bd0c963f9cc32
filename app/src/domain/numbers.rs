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

/// The most members a selection on the member list takes at once (a page holds 50).
pub const MAX_SELECTED: usize = 1000;

/// Member numbers ticked on a list, as its forms carry them: "12,15,40".
pub fn id_list(text: &str) -> Result<Vec<i64>, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Option<i64>> = text.split(',').map(|id| id.trim().parse::<i64>().ok().filter(|id| *id > 0)).collect();
    if ids.len() > MAX_SELECTED {
        return Err("Select at most 1,000 members at once.");
    }
    ids.into_iter().collect::<Option<Vec<i64>>>().ok_or("The selected members are not a list of member numbers.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_list_is_member_numbers_and_at_most_a_thousand() {
        assert_eq!(id_list(" 12, 15 ,40"), Ok(vec![12, 15, 40]));
        assert_eq!(id_list(""), Ok(vec![]));
        assert!(id_list("12,x").is_err() && id_list("0").is_err() && id_list("-3").is_err());
        assert!(id_list(&vec!["1"; 1001].join(",")).is_err());
    }

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
