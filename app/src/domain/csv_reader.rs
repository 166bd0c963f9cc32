//! Reading a CSV as spreadsheets save it: UTF-8 with or without a byte-order mark, or
//! Windows-1252 (Excel's "CSV" on Windows); cells separated by `,`, `;` or a tab, quoted
//! where they hold a separator, a quote or a line break.

/// The most data rows an import takes (the header line apart).
pub const MAX_ROWS: usize = 100_000;

/// One line of the file as a spreadsheet shows it: its cells, and the line of the file it
/// starts on (1 is the header), which a quoted line break makes differ from its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub cells: Vec<String>,
}

/// Why a file could not be read at all; each says what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    NotCsv,
    Empty,
    UnclosedQuote { line: usize },
    TooManyRows,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotCsv => f.write_str(
                "This file is not a CSV. In your spreadsheet choose File → Save as → \"CSV UTF-8\", then upload that file.",
            ),
            Self::Empty => f.write_str("This file has no rows: the first line names the columns, each line after it is a member."),
            Self::UnclosedQuote { line } => {
                write!(f, "A quote opened on line {line} is never closed: check that line in your spreadsheet.")
            }
            Self::TooManyRows => {
                write!(f, "This file has more than {MAX_ROWS} rows: split it into files of {MAX_ROWS} rows or fewer.")
            }
        }
    }
}

/// The file's text: UTF-8 (its byte-order mark dropped) when it is valid UTF-8, otherwise
/// Windows-1252. A file with a NUL byte is not text (a spreadsheet's own format, a PDF).
pub fn decode(bytes: &[u8]) -> Result<String, ReadError> {
    if bytes.contains(&0) {
        return Err(ReadError::NotCsv);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(_) => Ok(bytes.iter().map(|&b| windows_1252(b)).collect()),
    }
}

/// Windows-1252 differs from Latin-1 only in 0x80–0x9F; its five unassigned bytes are kept
/// as the control characters of the same number, as browsers decode them.
fn windows_1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
    ];
    match byte {
        0x80..=0x9F => HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

/// The separator the header line uses most (outside quotes): `,`, `;` or a tab.
pub fn separator(text: &str) -> char {
    let mut counts = [(',', 0), (';', 0), ('\t', 0)];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            _ if !quoted => {
                if let Some(count) = counts.iter_mut().find(|(s, _)| *s == c) {
                    count.1 += 1;
                }
            }
            _ => {}
        }
    }
    counts.iter().max_by_key(|(_, n)| *n).filter(|(_, n)| *n > 0).map_or(',', |(s, _)| *s)
}

/// The file's records, blank lines left out. A quoted cell may hold separators, doubled
/// quotes and line breaks.
pub fn records(text: &str, separator: char) -> Result<Vec<Record>, ReadError> {
    let mut records = Vec::new();
    each_record(text, separator, |record| records.push(record))?;
    Ok(records)
}

/// Hands each of the file's records to `take` as it is read (blank lines left out), so a
/// large file need not be held as cells all at once; answers how many there were.
pub fn each_record(text: &str, separator: char, mut take: impl FnMut(Record)) -> Result<usize, ReadError> {
    let mut count = 0;
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut line = 1;
    let mut start = 1;
    let mut chars = text.chars().peekable();
    let mut finish = |line: usize, cells: Vec<String>| -> Result<(), ReadError> {
        if cells.iter().all(|cell| cell.trim().is_empty()) {
            return Ok(());
        }
        // The header line and `MAX_ROWS` data rows.
        if count > MAX_ROWS {
            return Err(ReadError::TooManyRows);
        }
        count += 1;
        take(Record { line, cells });
        Ok(())
    };
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    cell.push('\n');
                }
                '\r' => {}
                _ => cell.push(c),
            }
            continue;
        }
        match c {
            '"' if cell.is_empty() => quoted = true,
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                cells.push(std::mem::take(&mut cell));
                finish(start, std::mem::take(&mut cells))?;
                line += 1;
                start = line;
            }
            _ if c == separator => cells.push(std::mem::take(&mut cell)),
            _ => cell.push(c),
        }
    }
    if quoted {
        return Err(ReadError::UnclosedQuote { line: start });
    }
    cells.push(cell);
    finish(start, cells)?;
    if count == 0 {
        return Err(ReadError::Empty);
    }
    Ok(count)
}

/// The records of a file's text, by the separator its header uses.
pub fn parse(text: &str) -> Result<Vec<Record>, ReadError> {
    records(text, separator(text))
}

/// The records of a file's bytes: decoded, its separator found, read.
pub fn read(bytes: &[u8]) -> Result<Vec<Record>, ReadError> {
    parse(&decode(bytes)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(records: &[Record]) -> Vec<Vec<&str>> {
        records.iter().map(|r| r.cells.iter().map(String::as_str).collect()).collect()
    }

    #[test]
    fn reads_excel_utf8_with_its_byte_order_mark_and_crlf() {
        let found = read(b"\xEF\xBB\xBFFirst name,Last name\r\nAda,Lovelace\r\n").unwrap();
        assert_eq!(cells(&found), [vec!["First name", "Last name"], vec!["Ada", "Lovelace"]]);
    }

    #[test]
    fn windows_1252_is_converted() {
        // "Zoë;Müller;€" as Excel on Windows saves it, with `;` as in much of Europe.
        let found = read(b"name;surname;note\nZo\xEB;M\xFCller;\x80 \x93q\x94\n").unwrap();
        assert_eq!(cells(&found)[1], ["Zoë", "Müller", "€ “q”"]);
    }

    #[test]
    fn quoted_cells_keep_separators_quotes_and_line_breaks_and_lines_are_counted() {
        let found = read(b"a,b\n\"Flat 2\nHigh St, Leeds\",\"say \"\"hi\"\"\"\nx,y\n").unwrap();
        assert_eq!(cells(&found)[1], ["Flat 2\nHigh St, Leeds", "say \"hi\""]);
        assert_eq!(found.iter().map(|r| r.line).collect::<Vec<_>>(), [1, 2, 4]);
    }

    #[test]
    fn blank_lines_are_skipped_but_counted() {
        let found = read(b"a\n\n,\nb\n").unwrap();
        assert_eq!(found.iter().map(|r| (r.line, r.cells[0].as_str())).collect::<Vec<_>>(), [(1, "a"), (4, "b")]);
    }

    #[test]
    fn the_separator_is_the_headers_most_used() {
        assert_eq!(separator("a;b;\"c,d\"\n1,2,3,4"), ';');
        assert_eq!(separator("a\tb\n"), '\t');
        assert_eq!(separator("name\n"), ',');
    }

    #[test]
    fn files_that_are_not_text_or_not_whole_are_refused_with_a_reason() {
        assert_eq!(read(b"PK\x03\x04\x14\x00\x06\x00"), Err(ReadError::NotCsv));
        assert_eq!(read(b""), Err(ReadError::Empty));
        assert_eq!(read(b"\n\n"), Err(ReadError::Empty));
        assert_eq!(read(b"a,b\nx,\"open\n\nstill"), Err(ReadError::UnclosedQuote { line: 2 }));
    }

    #[test]
    fn more_rows_than_the_limit_are_refused() {
        let mut file = String::from("name\n");
        file.push_str(&"x\n".repeat(MAX_ROWS));
        assert_eq!(read(file.as_bytes()).unwrap().len(), MAX_ROWS + 1);
        file.push_str("x\n");
        assert_eq!(read(file.as_bytes()), Err(ReadError::TooManyRows));
    }
}
