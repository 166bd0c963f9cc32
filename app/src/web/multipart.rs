//! Reads a multipart/form-data body (RFC 7578), as browsers send a form with a file: the
//! body is already whole in memory (`read_body_first`), so this only splits it. Written here
//! rather than taken from a crate: the one that axum uses brings a text-encoding library
//! that alone put the Worker over its size budget.

/// One field of the form.
#[derive(Debug, PartialEq, Eq)]
pub struct Part<'a> {
    pub name: String,
    /// Set for a file input (possibly empty, when no file was chosen).
    pub file_name: Option<String>,
    pub content: &'a [u8],
}

/// The boundary a `multipart/form-data` Content-Type names.
pub fn boundary(content_type: &str) -> Option<&str> {
    let mut params = content_type.split(';');
    if !params.next()?.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    let boundary = params.find_map(|p| {
        let (key, value) = p.trim().split_once('=')?;
        key.eq_ignore_ascii_case("boundary").then_some(value.trim_matches('"'))
    })?;
    (1..=70).contains(&boundary.len()).then_some(boundary)
}

/// The body's parts, in order; an error when it is not a well-formed multipart body.
pub fn parts<'a>(body: &'a [u8], boundary: &str) -> Result<Vec<Part<'a>>, &'static str> {
    const MALFORMED: &str = "the form could not be read as multipart/form-data";
    let delimiter = format!("--{boundary}");
    let next_delimiter = format!("\r\n--{boundary}");
    let start = find(body, delimiter.as_bytes()).ok_or(MALFORMED)?;
    let mut rest = &body[start + delimiter.len()..];
    let mut parts = Vec::new();
    loop {
        if rest.starts_with(b"--") {
            return Ok(parts);
        }
        rest = rest.strip_prefix(b"\r\n").ok_or(MALFORMED)?;
        let head_end = find(rest, b"\r\n\r\n").ok_or(MALFORMED)?;
        let head = std::str::from_utf8(&rest[..head_end]).map_err(|_| MALFORMED)?;
        rest = &rest[head_end + 4..];
        let content_end = find(rest, next_delimiter.as_bytes()).ok_or(MALFORMED)?;
        let (name, file_name) = disposition(head).ok_or(MALFORMED)?;
        parts.push(Part { name, file_name, content: &rest[..content_end] });
        rest = &rest[content_end + next_delimiter.len()..];
    }
}

/// The field's name and file name from its `Content-Disposition: form-data; name="…"`.
/// A `filename*` (RFC 5987, UTF-8) wins over `filename`, as RFC 6266 says.
fn disposition(head: &str) -> Option<(String, Option<String>)> {
    let line = head.split("\r\n").find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim().eq_ignore_ascii_case("content-disposition").then_some(value)
    })?;
    let (kind, params) = parameters(line)?;
    if !kind.eq_ignore_ascii_case("form-data") {
        return None;
    }
    let (mut name, mut file_name, mut extended_file_name) = (None, None, None);
    for (key, value) in params {
        match key.to_ascii_lowercase().as_str() {
            "name" => name = Some(browser_decoded(&value)),
            "filename" => file_name = Some(browser_decoded(&value)),
            "filename*" => extended_file_name = Some(extended_value(&value)?),
            _ => {}
        }
    }
    Some((name?, extended_file_name.or(file_name)))
}

/// `kind; key=value; key="quoted \"value\""`: the first word and each parameter, a quoted
/// value unquoted (RFC 7230 quoted-string: a backslash takes the next character as it is),
/// so a `;` or `=` inside quotes belongs to the value. None when a quote is never closed or
/// a parameter has no `=`.
fn parameters(line: &str) -> Option<(&str, Vec<(String, String)>)> {
    let (kind, mut rest) = line.split_once(';').unwrap_or((line, ""));
    let mut params = Vec::new();
    loop {
        rest = rest.trim_start_matches([' ', '\t', ';']);
        if rest.is_empty() {
            return Some((kind.trim(), params));
        }
        let (key, after_key) = rest.split_once('=')?;
        let key = key.trim();
        if key.is_empty() || key.contains([';', '"', ' ']) {
            return None;
        }
        let after_key = after_key.trim_start();
        let value;
        if let Some(quoted) = after_key.strip_prefix('"') {
            let mut text = String::new();
            let mut chars = quoted.char_indices();
            let end = loop {
                match chars.next()? {
                    (_, '\\') => text.push(chars.next()?.1),
                    (i, '"') => break i + 1,
                    (_, c) => text.push(c),
                }
            };
            value = text;
            rest = &quoted[end..];
            if !rest.trim_start().is_empty() && !rest.trim_start().starts_with(';') {
                return None;
            }
        } else {
            let end = after_key.find(';').unwrap_or(after_key.len());
            value = after_key[..end].trim().to_owned();
            rest = &after_key[end..];
        }
        params.push((key.to_owned(), value));
    }
}

/// Browsers write `"` as %22 and line breaks as %0D%0A inside a quoted file name (the HTML
/// standard's multipart/form-data encoding); nothing else of theirs is percent-encoded.
fn browser_decoded(value: &str) -> String {
    value.replace("%22", "\"").replace("%0D", "\r").replace("%0A", "\n")
}

/// RFC 5987's `charset'language'percent-encoded`; UTF-8 only (ISO-8859-1 as its own bytes).
fn extended_value(value: &str) -> Option<String> {
    let mut fields = value.splitn(3, '\'');
    let (charset, _language, encoded) = (fields.next()?, fields.next()?, fields.next()?);
    let mut bytes = Vec::with_capacity(encoded.len());
    let mut rest = encoded.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        if b == b'%' {
            let hex = std::str::from_utf8(tail.get(..2)?).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            rest = &tail[2..];
        } else {
            bytes.push(b);
            rest = tail;
        }
    }
    if charset.eq_ignore_ascii_case("utf-8") {
        String::from_utf8(bytes).ok()
    } else if charset.eq_ignore_ascii_case("iso-8859-1") {
        Some(bytes.into_iter().map(char::from).collect())
    } else {
        None
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_a_browser_sends() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a \\\"b%22.pdf\"\r\n\
                     Content-Type: application/pdf\r\n\r\n%PDF\r\n--X\r\n\r\n--XyZ\r\n\
                     Content-Disposition: form-data; name=\"shared\"\r\n\r\ntrue\r\n--XyZ--\r\n";
        let parts = parts(body, "XyZ").unwrap();
        assert_eq!(
            parts,
            [
                Part { name: "file".into(), file_name: Some("a \"b\".pdf".into()), content: b"%PDF\r\n--X\r\n" },
                Part { name: "shared".into(), file_name: None, content: b"true" },
            ]
        );
    }

    #[test]
    fn refuses_what_is_not_multipart() {
        assert_eq!(boundary("multipart/form-data; boundary=\"XyZ\""), Some("XyZ"));
        assert_eq!(boundary("application/x-www-form-urlencoded"), None);
        assert_eq!(boundary("multipart/form-data"), None);
        for body in
            [&b"file=x"[..], b"--XyZ\r\nno blank line", b"--XyZ\r\n\r\nno end", b"--XyZ\r\nX: y\r\n\r\na\r\n--XyZ--"]
        {
            assert!(parts(body, "XyZ").is_err(), "{:?}", String::from_utf8_lossy(body));
        }
        assert_eq!(parts(b"--XyZ--\r\n", "XyZ").unwrap(), []);
    }

    fn file_name_of(disposition_line: &str) -> Option<Option<String>> {
        disposition(&format!("Content-Disposition: {disposition_line}\r\nContent-Type: text/plain"))
            .map(|(_, file_name)| file_name)
    }

    #[test]
    fn reads_quoted_parameters_as_rfc_7578_and_6266_say() {
        let named = |s: &str| Some(Some(s.to_owned()));
        assert_eq!(file_name_of(r#"form-data; name="file"; filename="a;b.pdf""#), named("a;b.pdf"));
        assert_eq!(file_name_of(r#"form-data; name="file"; filename="x=y; z.pdf""#), named("x=y; z.pdf"));
        assert_eq!(file_name_of(r#"form-data; filename="say \"hi\".txt"; name="file""#), named("say \"hi\".txt"));
        assert_eq!(file_name_of(r#"form-data; name="file"; filename="back\\slash.txt""#), named("back\\slash.txt"));
        assert_eq!(file_name_of(r#"form-data; name=file; filename=plain.txt"#), named("plain.txt"));
        assert_eq!(file_name_of(r#"FORM-DATA ; NAME = "file" ; FILENAME = "spaced.txt" "#), named("spaced.txt"));
        assert_eq!(
            file_name_of(r#"form-data; name="file"; filename="fallback.pdf"; filename*=UTF-8''%C3%A9t%C3%A9%3B1.pdf"#),
            named("été;1.pdf"),
            "filename* wins, percent-decoded as UTF-8"
        );
        assert_eq!(file_name_of(r#"form-data; name="file"; filename*=iso-8859-1'en'%E9.txt"#), named("é.txt"));
        assert_eq!(file_name_of(r#"form-data; name="file""#), Some(None));
        assert_eq!(file_name_of(r#"form-data; name="a;b""#), Some(None));
    }

    #[test]
    fn refuses_a_disposition_it_cannot_read() {
        for line in [
            r#"form-data; name="file"; filename="never closed.pdf"#,
            r#"form-data; name="file"; filename"#,
            r#"form-data; name="file"; filename="a"b.pdf""#,
            r#"form-data; name="file"; filename*=UTF-8''%ZZ.pdf"#,
            r#"form-data; name="file"; filename*=UTF-8''%C3.pdf"#,
            r#"form-data; name="file"; filename*=no-quotes.pdf"#,
            r#"form-data; filename="no name.pdf""#,
            r#"attachment; name="file""#,
        ] {
            assert_eq!(file_name_of(line), None, "{line}");
        }
    }
}
