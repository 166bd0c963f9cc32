//! Addresses Portico signs for one browser: a form's error or draft sent back to its page
//! (`web::error_links` signs the redirects and checks what comes in), and an e-mail
//! preview's frame that shows a draft's words. The signature binds the browser (a random
//! value in its cookie), the page and every value of the address.

use crate::ports::AppState;

/// Marks a URL whose other values a form of this browser sent back to its page (a draft).
pub const DRAFT_PARAM: &str = "__draft";
/// The cookie holding this browser's random value.
pub const BROWSER_COOKIE: &str = "portico_form";

/// A draft's query: `fields` and the mark that makes the page show them (once signed).
pub fn draft_query(fields: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).append_pair(DRAFT_PARAM, "1").finish()
}

/// An address of `path` carrying `fields` as a draft signed for the browser whose form
/// cookie is `browser`: a page that draft was made on may point a frame at it.
pub fn signed_draft_link(state: &AppState, browser: &str, path: &str, fields: &[(&str, &str)]) -> String {
    let pairs: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .chain([(DRAFT_PARAM.to_owned(), "1".to_owned())])
        .collect();
    signed_link(state, browser, path, path, &pairs)
}

/// `target` (the page `path`, as a path or a whole URL) carrying `pairs` and `__sig`, their
/// signature for `browser`: what a draft's frame and a redirect back to a form both are.
pub fn signed_link(state: &AppState, browser: &str, target: &str, path: &str, pairs: &[(String, String)]) -> String {
    let signature = state.config.secret_key.sign(&signed_text(browser, path, &with_query("", pairs.iter())));
    let signature = ("__sig".to_owned(), signature);
    with_query(target, pairs.iter().chain([&signature]))
}

/// What the signature covers: the browser, the page and every value its URL carries.
pub fn signed_text(browser: &str, path: &str, query: &str) -> String {
    format!("form-link\n{browser}\n{path}\n{query}")
}

/// `target` with these values as its query (none: `target` alone).
pub fn with_query<'a>(target: &str, pairs: impl Iterator<Item = &'a (String, String)>) -> String {
    let query = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    if query.is_empty() { target.to_owned() } else { format!("{target}?{query}") }
}
