//! Values written into a page address's query by hand (the member list's and a round's
//! links), the same on both sides.

/// `text` as one value in a URL's query: every byte but letters, digits and `-._~`
/// percent-encoded.
pub fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_unreserved_characters_stay_as_they_are() {
        assert_eq!(super::url_encode("Élo gar&x=1~"), "%C3%89lo%20gar%26x%3D1~");
    }
}
