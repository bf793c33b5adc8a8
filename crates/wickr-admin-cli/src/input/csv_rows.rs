//! CSV input: a header row naming the columns, then one user per record, read one record at a
//! time (the CSV grammar from `csv-core`, the lines counted here, so every row is named by the
//! line it starts on).

use std::io::Read;

use csv_core::ReadRecordResult;

use super::excerpt;
use super::row::{check_row, Column, RawRow};
use super::source::{LoadError, Source};
use super::{known_columns, load_problem, trimmed, Entry, Problem, Rejected};

/// Problems with the header's columns listed one by one; the rest are counted.
pub(super) const HEADER_PROBLEMS_LISTED: usize = 20;

/// Bytes after a bad header read to tell whether the file is text at all.
const UTF8_PROBE_BYTES: usize = 1 << 20;

/// The rows of a CSV file, read one at a time.
pub struct CsvRows<R> {
    source: Source<R>,
    reader: csv_core::Reader,
    output: Vec<u8>,
    ends: Vec<usize>,
    fields: usize,
    /// Line each field of the record just read starts on: the record's first line.
    record_line: u64,
    quotes: Quotes,
    columns: Vec<Column>,
    /// The entry read last, held back until the next one is read: when a quote opened in it
    /// never closes, it swallowed the rest of the file, and is reported as such instead.
    held: Option<Entry>,
    /// Problems with the file as a whole; when any, no row is usable.
    pub file_problems: Vec<Problem>,
    done: bool,
}

impl<R: Read> CsvRows<R> {
    /// Reads the header; its problems, if any, are [`file_problems`](Self::file_problems) and
    /// no row follows.
    pub fn new(source: Source<R>) -> Self {
        let mut rows = Self {
            source,
            reader: csv_core::Reader::new(),
            output: vec![0; 1024],
            ends: vec![0; 16],
            fields: 0,
            record_line: 1,
            quotes: Quotes::default(),
            columns: Vec::new(),
            held: None,
            file_problems: Vec::new(),
            done: false,
        };
        rows.read_header();
        if !rows.file_problems.is_empty() {
            rows.done = true;
        }
        rows
    }

    /// The source, once every row is read (to finish its hash).
    pub fn into_source(self) -> Source<R> {
        self.source
    }

    fn file_problem(&mut self, line: u64, field: &str, message: impl Into<String>) {
        self.file_problems.push(Problem::new(line, field, message));
        self.done = true;
    }

    fn load_problem(&mut self, error: LoadError) {
        let problem = load_problem(error, self.source.line());
        self.file_problems.push(problem);
        self.done = true;
    }

    /// Reads the next record into `output`/`ends`; `false` at the end of the file.
    fn read_record(&mut self) -> Result<bool, LoadError> {
        let mut out = 0;
        self.fields = 0;
        let mut started = false;
        loop {
            let line = self.source.line();
            let input = self.source.fill(false)?;
            let (result, nin, nout, nend) = self.reader.read_record(
                input,
                &mut self.output[out..],
                &mut self.ends[self.fields..],
            );
            let first = self
                .quotes
                .scan(&input[..nin], line, !started)
                .filter(|_| !started);
            if let Some(first) = first {
                started = true;
                self.record_line = first;
            }
            self.source.consume(nin);
            out += nout;
            self.fields += nend;
            match result {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => {
                    let grown = self.output.len() * 2;
                    self.output.resize(grown, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let grown = self.ends.len() * 2;
                    self.ends.resize(grown, 0);
                }
                ReadRecordResult::Record => {
                    if !started {
                        self.record_line = line;
                    }
                    return Ok(true);
                }
                ReadRecordResult::End => return Ok(false),
            }
        }
    }

    /// The fields of the record just read, trimmed; `Err` with the line of the first byte that
    /// is not UTF-8.
    fn fields(&self) -> Result<Vec<&str>, u64> {
        let mut fields = Vec::with_capacity(self.fields);
        let mut start = 0;
        for &end in &self.ends[..self.fields] {
            fields.push(self.field(start, end)?);
            start = end;
        }
        Ok(fields)
    }

    /// The field of the record just read at `output[start..end]`, trimmed; `Err` as
    /// [`fields`](Self::fields).
    fn field(&self, start: usize, end: usize) -> Result<&str, u64> {
        match std::str::from_utf8(&self.output[start..end]) {
            Ok(text) => Ok(trimmed(text)),
            Err(e) => {
                let before = &self.output[..start + e.valid_up_to()];
                let lines = memchr::memchr_iter(b'\n', before).count() as u64;
                Err(self.record_line + lines)
            }
        }
    }

    /// The line of the first byte that is not UTF-8 in the first field of the record just read
    /// that is not text on its own.
    fn first_not_utf8(&self) -> u64 {
        match self.fields() {
            Err(line) => line,
            Ok(_) => self.record_line,
        }
    }

    fn not_utf8(&mut self, line: u64) {
        self.file_problem(line, "file", "the file is not valid UTF-8 text");
    }

    fn read_header(&mut self) {
        let found = match self.read_record() {
            Ok(found) => found,
            Err(e) => return self.load_problem(e),
        };
        if self.quotes.open_since == Some(1) && self.quotes.is_open() {
            return self.file_problem(
                1,
                "header",
                "unterminated quoted field: the quote opened on line 1 never closes",
            );
        }
        let names: Vec<String> = if found {
            match self.fields() {
                Ok(fields) => fields.into_iter().map(str::to_string).collect(),
                Err(line) => return self.not_utf8(line),
            }
        } else {
            Vec::new()
        };
        if names.iter().all(|h| h.is_empty()) {
            return self.file_problem(
                1,
                "header",
                format!(
                    "the file has no header row; expected columns: {}",
                    known_columns()
                ),
            );
        }
        let mut problems = Vec::new();
        let mut seen: Vec<(Column, usize)> = Vec::new();
        // A header of thousands of unknown or repeated columns is named by its first problems
        // and a count of the rest, not by thousands of lines.
        let mut unlisted = 0usize;
        let mut note = |problems: &mut Vec<Problem>, problem: Problem| {
            if problems.len() < HEADER_PROBLEMS_LISTED {
                problems.push(problem);
            } else {
                unlisted += 1;
            }
        };
        for (i, name) in names.iter().enumerate() {
            match Column::parse(name) {
                Some(c) => {
                    if let Some((_, first)) = seen.iter().find(|(s, _)| *s == c) {
                        note(
                            &mut problems,
                            Problem::new(
                                1,
                                c.name(),
                                format!(
                                    "column appears twice (columns {} and {})",
                                    first + 1,
                                    i + 1
                                ),
                            ),
                        );
                    } else {
                        seen.push((c, i));
                    }
                    self.columns.push(c);
                }
                None => note(
                    &mut problems,
                    Problem::new(
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
                    ),
                ),
            }
        }
        if unlisted > 0 {
            problems.push(Problem::new(
                1,
                "header",
                format!("... and {unlisted} more unknown or repeated columns"),
            ));
        }
        if !self.columns.contains(&Column::Username) {
            problems.push(Problem::new(
                1,
                "username",
                "the header has no username column",
            ));
        }
        if !problems.is_empty() && !self.rest_is_utf8() {
            // No row is read after a bad header, yet a file that is not text is named as such.
            let line = self.source.line();
            return self.not_utf8(line);
        }
        self.file_problems.extend(problems);
    }

    /// Whether what is left of the file is UTF-8 text, as far as its next [`UTF8_PROBE_BYTES`]
    /// tell (a read error, an over-long line or more bytes than that leave the question open:
    /// `true`). The bound keeps an endless standard input from being read forever.
    fn rest_is_utf8(&mut self) -> bool {
        let mut pending: Vec<u8> = Vec::new();
        let mut probed = 0usize;
        loop {
            if probed > UTF8_PROBE_BYTES {
                return true;
            }
            let Ok(input) = self.source.fill(false) else {
                return true;
            };
            if input.is_empty() {
                return pending.is_empty();
            }
            let read = input.len();
            probed += read;
            pending.extend_from_slice(input);
            self.source.consume(read);
            match std::str::from_utf8(&pending) {
                Ok(_) => pending.clear(),
                // A character cut at the end of what was read: keep its start for the next read.
                Err(e) if e.error_len().is_none() => {
                    pending.drain(..e.valid_up_to());
                }
                Err(_) => return false,
            }
        }
    }

    /// The next record as an entry, without the look-ahead.
    fn next_record(&mut self) -> Option<Entry> {
        loop {
            match self.read_record() {
                Ok(true) => {}
                Ok(false) => return None,
                Err(e) => {
                    self.load_problem(e);
                    return None;
                }
            }
            let line = self.record_line;
            let mut raw = RawRow {
                line,
                ..RawRow::default()
            };
            // The fields are read straight into the row's values: a row costs its values'
            // strings and nothing more.
            let mut blank = self.fields == 1;
            let mut start = 0;
            // The record is checked as text once; its fields are cut from it. A field cut inside
            // a character (the text valid only across the comma) is checked on its own, to name
            // its line as a record that is not text is named.
            let length = self.fields.checked_sub(1).map_or(0, |last| self.ends[last]);
            let Ok(text) = std::str::from_utf8(&self.output[..length]) else {
                let at = self.first_not_utf8();
                self.not_utf8(at);
                return None;
            };
            for i in 0..self.fields {
                let end = self.ends[i];
                let Some(value) = text.get(start..end).map(trimmed) else {
                    let at = self.first_not_utf8();
                    self.not_utf8(at);
                    return None;
                };
                blank &= value.is_empty();
                if let Some(column) = self.columns.get(i) {
                    if !value.is_empty() {
                        raw.values.insert(*column, value.to_string());
                    }
                }
                start = end;
            }
            if blank {
                // A line holding only spaces.
                continue;
            }
            if self.fields != self.columns.len() {
                raw.problems.push(Problem::new(
                    line,
                    "row",
                    format!(
                        "malformed row: {} fields where the header has {}",
                        self.fields,
                        self.columns.len()
                    ),
                ));
            }
            return Some(check_row(raw));
        }
    }
}

impl<R: Read> Iterator for CsvRows<R> {
    type Item = Entry;

    fn next(&mut self) -> Option<Entry> {
        while !self.done {
            match self.next_record() {
                Some(entry) => {
                    if let Some(held) = self.held.replace(entry) {
                        return Some(held);
                    }
                }
                None => self.done = true,
            }
        }
        // The end: the last entry is given out, unless a quote opened in it never closed.
        let last = self.held.take()?;
        if !self.file_problems.is_empty() {
            return None;
        }
        match self.quotes.open_since.filter(|_| self.quotes.is_open()) {
            Some(opened_on) => {
                let line = last.line();
                // The last byte read is on the last line counted, or ends the one before.
                let last_line = self
                    .source
                    .line()
                    .saturating_sub(u64::from(self.quotes.last_byte_newline));
                Some(Entry::Invalid(Rejected {
                    line,
                    username: None,
                    problems: vec![Problem::new(
                        line,
                        "row",
                        format!(
                            "unterminated quoted field: the quote opened on line {opened_on} \
                             never closes, so lines {opened_on} to {last_line} were read as one \
                             field; close the quote"
                        ),
                    )],
                }))
            }
            None => Some(last),
        }
    }
}

/// The line a quote opened on, when `bytes` (a whole CSV file) end inside that quoted field: the
/// rest of the file was read as one value.
pub(crate) fn open_quote_at_end(bytes: &[u8]) -> Option<u64> {
    let mut quotes = Quotes::default();
    quotes.scan(bytes, 1, false);
    quotes.open_since.filter(|_| quotes.is_open())
}

/// Follows quoting as the CSV reader does, to tell where a quoted field that never closes
/// opened: a field is quoted when it starts with `"`, `""` inside it is a quote, and a lone `"`
/// ends it. Also finds the line a record's first byte is on.
#[derive(Debug, Default)]
struct Quotes {
    state: QuoteState,
    /// Line the quote open now opened on.
    open_since: Option<u64>,
    /// Whether the last byte read was a line break (the lines are counted by the source).
    last_byte_newline: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum QuoteState {
    #[default]
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

impl Quotes {
    fn is_open(&self) -> bool {
        self.state == QuoteState::Quoted
    }

    /// Follows `bytes`, the first on line `line`. With `find_start`, returns the line of the
    /// first byte that is not a line break (where a record starts).
    fn scan(&mut self, bytes: &[u8], mut line: u64, find_start: bool) -> Option<u64> {
        let mut first = None;
        let mut rest = bytes;
        if find_start {
            while let Some((&byte, tail)) = rest.split_first() {
                if byte != b'\n' && byte != b'\r' {
                    first = Some(line);
                    break;
                }
                self.step(byte, line);
                if byte == b'\n' {
                    line += 1;
                }
                rest = tail;
            }
        }
        if memchr::memchr(b'"', rest).is_none() {
            self.skip_unquoted(rest);
            return first;
        }
        for &byte in rest {
            self.step(byte, line);
            if byte == b'\n' {
                line += 1;
            }
        }
        first
    }

    /// Follows bytes that hold no quote, all at once: inside a quoted field they change nothing,
    /// and elsewhere the state after them depends on the last one only.
    fn skip_unquoted(&mut self, bytes: &[u8]) {
        let Some(&last) = bytes.last() else {
            return;
        };
        self.last_byte_newline = last == b'\n';
        self.state = match (self.state, last) {
            (QuoteState::Quoted, _) => QuoteState::Quoted,
            (_, b',' | b'\n') => QuoteState::FieldStart,
            _ => QuoteState::Unquoted,
        };
    }

    /// Follows one byte, on line `line`.
    fn step(&mut self, byte: u8, line: u64) {
        self.last_byte_newline = byte == b'\n';
        self.state = match (self.state, byte) {
            (QuoteState::FieldStart, b'"') => {
                self.open_since = Some(line);
                QuoteState::Quoted
            }
            (
                QuoteState::FieldStart | QuoteState::Unquoted | QuoteState::QuoteInQuoted,
                b',' | b'\n',
            ) => QuoteState::FieldStart,
            (QuoteState::FieldStart | QuoteState::Unquoted, _) => QuoteState::Unquoted,
            (QuoteState::Quoted, b'"') => QuoteState::QuoteInQuoted,
            (QuoteState::Quoted, _) => QuoteState::Quoted,
            (QuoteState::QuoteInQuoted, b'"') => QuoteState::Quoted,
            (QuoteState::QuoteInQuoted, _) => QuoteState::Unquoted,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opened(text: &[u8]) -> Option<u64> {
        let mut quotes = Quotes::default();
        quotes.scan(text, 1, false);
        quotes.open_since.filter(|_| quotes.is_open())
    }

    #[test]
    fn open_quotes_are_found_where_they_open() {
        assert_eq!(opened(b"a,b\n\"x\",y\n"), None);
        assert_eq!(opened(b"a,b\n\"x\"\"y\",z\n"), None);
        assert_eq!(opened(b"a,b\nab\"c,d\n"), None);
        assert_eq!(opened(b"a,b\n\"multi\nline\",z\n"), None);
        assert_eq!(opened(b"a,b\nx,\"open\ny,z\n"), Some(2));
    }

    #[test]
    fn bytes_without_quotes_are_followed_at_once_as_one_at_a_time() {
        let texts: [&[u8]; 6] = [
            b"a,b\nc,d\n",
            b"\"x\"",
            b"\"x\"y,",
            b"\"open\nmore",
            b",\n,",
            b"z",
        ];
        for prefix in texts {
            for tail in [
                &b"plain,text\nmore"[..],
                b"x",
                b",",
                b"\n",
                b"ab\n,",
                b"\n\nz",
            ] {
                let mut bytewise = Quotes::default();
                let mut line = 1;
                for &b in prefix.iter().chain(tail) {
                    bytewise.step(b, line);
                    line += u64::from(b == b'\n');
                }
                let mut fast = Quotes::default();
                fast.scan(prefix, 1, false);
                let tail_line = 1 + prefix.iter().filter(|&&b| b == b'\n').count() as u64;
                fast.scan(tail, tail_line, false);
                assert_eq!(fast.state, bytewise.state, "{prefix:?} {tail:?}");
                assert_eq!(fast.open_since, bytewise.open_since, "{prefix:?} {tail:?}");
                assert_eq!(
                    fast.last_byte_newline, bytewise.last_byte_newline,
                    "{prefix:?} {tail:?}"
                );
            }
        }
    }

    #[test]
    fn records_are_named_by_the_line_they_start_on() {
        let mut quotes = Quotes::default();
        assert_eq!(quotes.scan(b"\n\r\n  a", 4, true), Some(6));
        assert_eq!(quotes.scan(b"\n\n", 4, true), None);
    }
}
