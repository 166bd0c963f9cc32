//! Search keys: a name folded so that "Élodie", "ELODIE" and "elodie" are the same, and a
//! prefix turned into the index range that finds every key starting with it.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::PersonName;

/// Lower case, accents removed (é → e, ñ → n, ß → ss, ø → o), runs of spaces made one.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.nfkd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase) {
        match c {
            'ß' => folded.push_str("ss"),
            'æ' => folded.push_str("ae"),
            'œ' => folded.push_str("oe"),
            'þ' => folded.push_str("th"),
            'ø' => folded.push('o'),
            'ł' => folded.push('l'),
            'đ' | 'ð' => folded.push('d'),
            'ı' => folded.push('i'),
            c if c.is_whitespace() => {
                if !folded.is_empty() && !folded.ends_with(' ') {
                    folded.push(' ');
                }
            }
            c => folded.push(c),
        }
    }
    folded.truncate(folded.trim_end().len());
    folded
}

/// A member's two name keys: "first last" and "last first", so a search for either name's
/// beginning, or a full name in either order, is a prefix of one of them. The second is
/// also the list's order by name.
pub struct NameKeys {
    pub name_key: String,
    pub sort_key: String,
}

impl NameKeys {
    pub fn of(first: &PersonName, last: &PersonName) -> Self {
        let (first, last) = (fold(first.as_str()), fold(last.as_str()));
        Self { name_key: format!("{first} {last}"), sort_key: format!("{last} {first}") }
    }
}

/// Every string that starts with `prefix` sorts at or after it and before this bound
/// (UTF-8 order is code point order, and U+10FFFF is the last code point).
pub fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_spaces() {
        assert_eq!(fold("  Élodie   GARCÍA "), "elodie garcia");
        assert_eq!(fold("Søren Müller"), "soren muller");
        assert_eq!(fold("Iñigo Straße"), "inigo strasse");
        assert_eq!(fold("Łukasz Œuvre"), "lukasz oeuvre");
    }

    #[test]
    fn name_keys_read_both_ways() {
        let keys = NameKeys::of(&PersonName::parse("Zoë").unwrap(), &PersonName::parse("Ångström").unwrap());
        assert_eq!(keys.name_key, "zoe angstrom");
        assert_eq!(keys.sort_key, "angstrom zoe");
    }

    #[test]
    fn the_prefix_range_holds_exactly_the_keys_that_start_with_it() {
        let end = prefix_end("gar");
        for inside in ["gar", "garcia", "gar\u{10FFFE}", "garçon"] {
            assert!(inside >= "gar" && inside < end.as_str(), "{inside}");
        }
        for outside in ["ga", "gaz", "gas", "h"] {
            assert!(!(outside >= "gar" && outside < end.as_str()), "{outside}");
        }
    }
}
