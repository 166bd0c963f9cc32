//! Text as HTML: the one escaping for what Portico writes into markup by hand (HTML e-mail,
//! the text of a `<textarea>`), where the renderer does not escape it for us.

/// `s` as HTML text or a quoted attribute's value: `& < > " '` as character references, so
/// nothing in it can end an element, an attribute or a comment.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_typed_survives_as_markup() {
        assert_eq!(
            escape_html(r#"</textarea><b a="1" b='2'>&amp;<!--"#),
            "&lt;/textarea&gt;&lt;b a=&quot;1&quot; b=&#39;2&#39;&gt;&amp;amp;&lt;!--"
        );
        assert_eq!(escape_html("Élodie {{first_name}} \u{2028}"), "Élodie {{first_name}} \u{2028}");
    }
}
