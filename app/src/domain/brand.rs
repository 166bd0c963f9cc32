//! The organisation's own face: an accent colour that keeps white text on it readable, and a
//! logo that is a PNG, JPEG or WebP image by its bytes (SECURITY.md rule 29).

use serde::{Deserialize, Serialize};

/// The organisation's face on a page: its logo's address and the stylesheet of its accent
/// colour, each when it chose one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Brand {
    pub logo: Option<String>,
    pub stylesheet: Option<String>,
}

impl Brand {
    /// From what is kept: the organisation, its accent ("#1d4ed8") and its logo's digest.
    pub fn of(organisation_id: i64, accent: Option<&str>, logo_digest: Option<&str>) -> Self {
        Self {
            logo: logo_digest.map(|digest| logo_path(organisation_id, digest)),
            stylesheet: accent.map(|accent| format!("/brand.css?accent={}", accent.trim_start_matches('#'))),
        }
    }
}

/// Where a logo is served: its digest in the address, so a new logo is a new address.
pub fn logo_path(organisation_id: i64, digest: &str) -> String {
    format!("/logo/{organisation_id}/{digest}")
}

/// Portico's own accent, when the organisation chose none.
pub const DEFAULT_ACCENT: &str = "#1d4ed8";

/// White text on buttons and the accent as link text on white both need this (WCAG 1.4.3).
pub const MIN_CONTRAST: f64 = 4.5;

/// "#1d4ed8": six hexadecimal digits, dark enough for white text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccentColour(String);

impl AccentColour {
    /// `None` for an empty field (Portico's own colour).
    pub fn parse(input: &str) -> Result<Option<Self>, String> {
        let s = input.trim().trim_start_matches('#');
        if s.is_empty() {
            return Ok(None);
        }
        if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err("Give the colour as # and six hexadecimal digits, like #1d4ed8.".into());
        }
        let colour = Self(format!("#{}", s.to_ascii_lowercase()));
        let ratio = contrast_with_white(&colour);
        if ratio < MIN_CONTRAST {
            return Err(format!(
                "That colour is too light: white text on it has a contrast of {ratio:.1}:1, and at least 4.5:1 \
                 is needed to be read. Choose a darker shade."
            ));
        }
        Ok(Some(colour))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The six digits alone, as an address carries them.
    pub fn digits(&self) -> &str {
        &self.0[1..]
    }
}

/// The WCAG contrast ratio of white and `colour` (1 to 21).
pub fn contrast_with_white(colour: &AccentColour) -> f64 {
    let channel = |i: usize| {
        let v = f64::from(u8::from_str_radix(&colour.0[1 + 2 * i..3 + 2 * i], 16).unwrap_or(0)) / 255.0;
        if v <= 0.04045 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
    };
    let luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
    1.05 / (luminance + 0.05)
}

/// The largest logo kept: a header image, not a photo album.
pub const MAX_LOGO_BYTES: usize = 256 * 1024;

/// The content type of an image by its first bytes: PNG, JPEG or WebP, nothing else (an SVG
/// can carry script; a GIF or anything else is refused too).
pub fn logo_type(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, ..] => Some("image/png"),
        [0xff, 0xd8, 0xff, ..] => Some("image/jpeg"),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some("image/webp"),
        _ => None,
    }
}

/// Why a logo cannot be kept, if it cannot.
pub fn check_logo(bytes: &[u8]) -> Result<&'static str, &'static str> {
    if bytes.is_empty() {
        return Err("Choose an image to upload.");
    }
    if bytes.len() > MAX_LOGO_BYTES {
        return Err("That image is too large: 256 KB (262,144 bytes) at most.");
    }
    logo_type(bytes).ok_or("The logo must be a PNG, JPEG or WebP image.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_accent_is_six_hex_digits_dark_enough_for_white_text() {
        assert_eq!(AccentColour::parse(" #1D4ED8 ").unwrap().unwrap().as_str(), "#1d4ed8");
        assert_eq!(AccentColour::parse("1d4ed8").unwrap().unwrap().digits(), "1d4ed8");
        assert_eq!(AccentColour::parse(""), Ok(None));
        assert!(AccentColour::parse("#fff").is_err() && AccentColour::parse("#12345g").is_err());
        assert!(AccentColour::parse("red; } body { x").is_err());
        let light = AccentColour::parse("#93b4fb").unwrap_err();
        assert!(light.contains("2.1:1") && light.contains("4.5:1"), "{light}");
        // The boundary: #767676 on white is 4.54:1, #777777 is 4.48:1.
        assert!(AccentColour::parse("#767676").is_ok() && AccentColour::parse("#777777").is_err());
        assert!((contrast_with_white(&AccentColour("#000000".into())) - 21.0).abs() < 1e-9);
    }

    #[test]
    fn a_logo_is_a_png_jpeg_or_webp_by_its_bytes() {
        assert_eq!(check_logo(b"\x89PNG\r\n\x1a\n...."), Ok("image/png"));
        assert_eq!(check_logo(b"\xff\xd8\xff\xe0 JFIF"), Ok("image/jpeg"));
        assert_eq!(check_logo(b"RIFF\x10\0\0\0WEBPVP8 "), Ok("image/webp"));
        assert!(check_logo(b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>").is_err());
        assert!(check_logo(b"GIF89a").is_err() && check_logo(b"").is_err());
        let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
        big.resize(MAX_LOGO_BYTES + 1, 0);
        assert_eq!(check_logo(&big), Err("That image is too large: 256 KB (262,144 bytes) at most."));
    }
}
