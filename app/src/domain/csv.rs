//! CSV as spreadsheets open it: UTF-8 with a byte-order mark, comma-separated, CRLF line
//! ends, and no cell a spreadsheet would run as a formula (SECURITY.md rule 22).

/// Written once, before the first line: tells Excel the file is UTF-8.
pub const BYTE_ORDER_MARK: &str = "\u{FEFF}";

/// One line of cells, each neutralised and quoted where it must be, ending in CRLF.
pub fn line<S: AsRef<str>>(cells: &[S]) -> String {
    let mut out = String::new();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&cell_text(cell.as_ref()));
    }
    out.push_str("\r\n");
    out
}

/// A cell starting with `= + - @`, a tab or a carriage return is one a spreadsheet may
/// evaluate: a leading apostrophe makes it text. A cell holding a comma, a quote or a line
/// break is quoted, its quotes doubled.
fn cell_text(value: &str) -> String {
    let neutral =
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_owned() };
    if neutral.contains([',', '"', '\n', '\r']) { format!("\"{}\"", neutral.replace('"', "\"\"")) } else { neutral }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text_and_separators_are_quoted() {
        assert_eq!(
            line(&["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "plain", "a,b", "say \"hi\""]),
            "\"'=HYPERLINK(\"\"http://x\"\")\",'+1,'-2,'@SUM(A1),'\tx,\"'\rx\",plain,\"a,b\",\"say \"\"hi\"\"\"\r\n"
        );
    }

    #[test]
    fn names_with_accents_and_empty_cells_pass_unchanged() {
        assert_eq!(line(&["Élodie", "", "Müller"]), "Élodie,,Müller\r\n");
    }
}
