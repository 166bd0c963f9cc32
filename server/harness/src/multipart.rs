//! A multipart/form-data body, as a browser sends a form with a file: each field's name, its
//! file name (for a file) and content.

pub const BOUNDARY: &str = "portico-test-boundary-7MA4YWxk";

/// The body, and the Content-Type that names its boundary. A file's name is quoted as
/// browsers quote it (the HTML standard: `"` as %22, line breaks as %0D%0A). A file's part
/// claims to be HTML, as a hostile browser might: Portico decides the type from the name.
pub fn multipart(fields: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let mut body = Vec::new();
    for (name, file_name, content) in fields {
        body.extend_from_slice(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"").as_bytes());
        if let Some(file_name) = file_name {
            let quoted = file_name.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A");
            body.extend_from_slice(format!("; filename=\"{quoted}\"\r\nContent-Type: text/html").as_bytes());
        }
        body.extend_from_slice(b"\r\n\r\n");
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}
