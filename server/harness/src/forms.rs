//! What a browser sends when a person changes some fields of a form on a page and presses
//! its button: every other field as the page showed it.

use scraper::{Html, Selector};

/// The fields the form posting to `action` sends as the page shows it: text, hidden and
/// number inputs, ticked boxes and radios, each select's chosen option.
pub fn form_as_shown(page: &str, action: &str) -> Vec<(String, String)> {
    let document = Html::parse_document(page);
    let form = Selector::parse(&format!("form[action=\"{action}\"]")).unwrap();
    let form = document.select(&form).next().unwrap_or_else(|| panic!("no form posts to {action}: {page}"));
    let mut fields = Vec::new();
    for input in form.select(&Selector::parse("input[name]").unwrap()) {
        let element = input.value();
        let kind = element.attr("type").unwrap_or("text");
        let ticked = element.attr("checked").is_some();
        if matches!(kind, "checkbox" | "radio") && !ticked || matches!(kind, "submit" | "file") {
            continue;
        }
        let value = element.attr("value").unwrap_or(if kind == "checkbox" { "on" } else { "" });
        fields.push((element.attr("name").unwrap().to_owned(), value.to_owned()));
    }
    for select in form.select(&Selector::parse("select[name]").unwrap()) {
        let options: Vec<_> = select.select(&Selector::parse("option").unwrap()).collect();
        let chosen = options.iter().find(|o| o.value().attr("selected").is_some()).or(options.first());
        let value = chosen.and_then(|o| o.value().attr("value")).unwrap_or_default();
        fields.push((select.value().attr("name").unwrap().to_owned(), value.to_owned()));
    }
    fields
}

/// `fields` with each of `changes` made: a value replaces the field's (or adds it), an empty
/// value takes it out (a box unticked).
pub fn changed(mut fields: Vec<(String, String)>, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    for (name, value) in changes {
        fields.retain(|(field, _)| field != name);
        if !value.is_empty() {
            fields.push(((*name).to_owned(), (*value).to_owned()));
        }
    }
    fields
}
