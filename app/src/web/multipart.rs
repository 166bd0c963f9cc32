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
fn disposition(head: &str) -> Option<(String, Option<String>)> {
    let line = head.split("\r\n").find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim().eq_ignore_ascii_case("content-disposition").then_some(value)
    })?;
    let mut params = line.split(';');
    if !params.next()?.trim().eq_ignore_ascii_case("form-data") {
        return None;
    }
    let (mut name, mut file_name) = (None, None);
    for param in params {
        let (key, value) = param.trim().split_once('=')?;
        // Browsers write `"` as %22 and line breaks as %0D%0A inside these quotes.
        let value = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(value);
        let value = value.replace("%22", "\"").replace("%0D", "\r").replace("%0A", "\n");
        match key.to_ascii_lowercase().as_str() {
            "name" => name = Some(value),
            "filename" => file_name = Some(value),
            _ => {}
        }
    }
    Some((name?, file_name))
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
                Part { name: "file".into(), file_name: Some("a \\\"b\".pdf".into()), content: b"%PDF\r\n--X\r\n" },
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
}
