//! CSV input: a header row naming the columns, then one user per record.

use std::collections::HashMap;

use super::excerpt;
use super::row::{check_row, Column, RawRow};
use super::{known_columns, Entry, Input, Problem, Rejected};

pub fn parse_csv(text: &str) -> Input {
    let mut input = Input::default();
    let unterminated = unterminated_quote(text.as_bytes());
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());

    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            input.file_problems.push(Problem::new(
                1,
                "header",
                format!("unreadable header row: {}", csv_reason(&e)),
            ));
            return input;
        }
    };
    if let Some(opened) = unterminated {
        if line_of(text, opened) == 1 {
            input.file_problems.push(Problem::new(
                1,
                "header",
                "unterminated quoted field: the quote opened on line 1 never closes",
            ));
            return input;
        }
    }
    if headers.is_empty() || headers.iter().all(|h| h.is_empty()) {
        input.file_problems.push(Problem::new(
            1,
            "header",
            format!(
                "the file has no header row; expected columns: {}",
                known_columns()
            ),
        ));
        return input;
    }
    let mut columns = Vec::with_capacity(headers.len());
    let mut seen: HashMap<Column, usize> = HashMap::new();
    for (i, name) in headers.iter().enumerate() {
        match Column::parse(name) {
            Some(c) => {
                if let Some(first) = seen.insert(c, i) {
                    input.file_problems.push(Problem::new(
                        1,
                        c.name(),
                        format!("column appears twice (columns {} and {})", first + 1, i + 1),
                    ));
                }
                columns.push(c);
            }
            None => input.file_problems.push(Problem::new(
                1,
                if name.is_empty() {
                    "header".to_string()
                } else {
                    excerpt::name(name)
                },
                format!(
                    "unknown column {} ({}); known columns: {}",
                    i + 1,
                    excerpt::quoted(name),
                    known_columns()
                ),
            )),
        }
    }
    if !seen.contains_key(&Column::Username) {
        input.file_problems.push(Problem::new(
            1,
            "username",
            "the header has no username column",
        ));
    }
    if !input.file_problems.is_empty() {
        return input;
    }

    let mut record = csv::StringRecord::new();
    let mut lines = LineCounter::new(text);
    loop {
        let line_before = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record
                    .position()
                    .map(|p| lines.line_of_record(p.byte()))
                    .unwrap_or(line_before);
                if record.len() == 1 && record.iter().all(str::is_empty) {
                    // A line holding only spaces.
                    continue;
                }
                let mut raw = RawRow {
                    line,
                    ..RawRow::default()
                };
                if record.len() != columns.len() {
                    raw.problems.push(Problem::new(
                        line,
                        "row",
                        format!(
                            "malformed row: {} fields where the header has {}",
                            record.len(),
                            columns.len()
                        ),
                    ));
                }
                for (column, value) in columns.iter().zip(record.iter()) {
                    if !value.is_empty() {
                        raw.values.insert(*column, value.to_string());
                    }
                }
                input.entries.push(check_row(raw));
            }
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(line_before.max(2));
                input.entries.push(Entry::Invalid(Rejected {
                    line,
                    username: None,
                    problems: vec![Problem::new(
                        line,
                        "row",
                        format!("malformed row: {}", csv_reason(&e)),
                    )],
                }));
                // A broken record leaves the reader past it; keep reading the next ones.
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
            }
        }
    }
    if let Some(opened) = unterminated {
        // The record holding the open quote ran to the end of the file: it is not a user, and
        // the lines after the quote were swallowed into it.
        let opened_on = line_of(text, opened);
        let last_line = line_of(text, text.len().saturating_sub(1));
        if let Some(last) = input.entries.pop() {
            let line = last.line();
            input.entries.push(Entry::Invalid(Rejected {
                line,
                username: None,
                problems: vec![Problem::new(
                    line,
                    "row",
                    format!(
                        "unterminated quoted field: the quote opened on line {opened_on} never \
                         closes, so lines {opened_on} to {last_line} were read as one field; \
                         close the quote"
                    ),
                )],
            }));
        }
    }
    input
}

/// Where a quoted field that never closes opens (byte offset), following the quoting rules of
/// the CSV reader: a field is quoted when it starts with `"`, `""` inside it is a quote, and a
/// lone `"` ends it. The reader itself takes such a field to run to the end of the file.
fn unterminated_quote(text: &[u8]) -> Option<usize> {
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = State::FieldStart;
    let mut opened = 0;
    for (i, &byte) in text.iter().enumerate() {
        state = match (state, byte) {
            (State::FieldStart, b'"') => {
                opened = i;
                State::Quoted
            }
            (State::FieldStart | State::Unquoted | State::QuoteInQuoted, b',' | b'\n') => {
                State::FieldStart
            }
            (State::FieldStart | State::Unquoted, _) => State::Unquoted,
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, b'"') => State::Quoted,
            (State::QuoteInQuoted, _) => State::Unquoted,
        };
    }
    (state == State::Quoted).then_some(opened)
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> u64 {
    let end = offset.min(text.len());
    1 + text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count() as u64
}

/// Turns byte offsets (increasing) into 1-based line numbers.
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    /// The line a record starting at `byte` begins on, skipping the blank lines before it.
    fn line_of_record(&mut self, byte: u64) -> u64 {
        let mut target = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        while target < self.text.len() && matches!(self.text[target], b'\r' | b'\n') {
            target += 1;
        }
        if target < self.offset {
            return self.line;
        }
        self.line += self.text[self.offset..target]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64;
        self.offset = target;
        self.line
    }
}

/// A CSV error's reason, without the record's content.
fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8".to_string(),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("{len} fields where {expected_len} were expected")
        }
        csv::ErrorKind::Io(io) => format!("read error: {io}"),
        _ => "unreadable CSV".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_quotes_are_found_where_they_open() {
        assert_eq!(unterminated_quote(b"a,b\n\"x\",y\n"), None);
        assert_eq!(unterminated_quote(b"a,b\n\"x\"\"y\",z\n"), None);
        assert_eq!(unterminated_quote(b"a,b\nab\"c,d\n"), None);
        assert_eq!(unterminated_quote(b"a,b\n\"multi\nline\",z\n"), None);
        assert_eq!(unterminated_quote(b"a,b\nx,\"open\ny,z\n"), Some(6));
    }
}
