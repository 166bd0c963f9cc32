//! One address per page. A path with a trailing slash, an empty segment or a dot segment
//! (`/portal/`, `//portal`, `/dev/../staff/members`) is not a second name for a page: it
//! is redirected to the page's own path, always the same way. Left alone, such paths fell
//! through to the router's fallback and streamed a page whose data never arrived.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use http::{Method, StatusCode};

pub async fn only_canonical_paths(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let canonical = canonical(path);
    if canonical == path {
        return next.run(request).await;
    }
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return (StatusCode::NOT_FOUND, "There is nothing at this address.").into_response();
    }
    let target = match request.uri().query() {
        Some(query) => format!("{canonical}?{query}"),
        None => canonical,
    };
    Redirect::permanent(&target).into_response()
}

/// `path` without empty and dot segments, and without a trailing slash (but `/` stays).
pub fn canonical(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            _ => segments.push(segment),
        }
    }
    format!("/{}", segments.join("/"))
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn a_path_has_one_canonical_form() {
        for (path, expected) in [
            ("/", "/"),
            ("/login", "/login"),
            ("/staff/members/", "/staff/members"),
            ("/portal//", "/portal"),
            ("//portal", "/portal"),
            ("/dev/../staff/members", "/staff/members"),
            ("/./login", "/login"),
            ("/../..", "/"),
            ("/invite/abc%2F..", "/invite/abc%2F.."),
        ] {
            assert_eq!(canonical(path), expected, "{path}");
        }
    }
}
