//! Reading the users file: CSV with a header row, or JSON Lines.
//!
//! Every row is checked on its own (field syntax) and against the rows before it (repeated
//! usernames). Problems are collected, never thrown away: each one names the line and the field,
//! never quotes a first or last name, and cuts any other value it quotes. Lines and values are
//! bounded ([`source::MAX_LINE_BYTES`], [`row::MAX_FIELD_BYTES`]).
//!
//! [`Rows`] reads a file one row at a time, checking each row on its own; [`repeats`] finds
//! repeated usernames in a file of any length; [`read_path`] and [`parse`] read a whole file
//! into an [`Input`] with both kinds of checks.

mod csv_rows;
pub mod excerpt;
mod json_lines;
#[cfg(test)]
mod property_tests;
pub mod repeats;
mod row;
pub mod source;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::path::Path;

pub(crate) use csv_rows::open_quote_at_end;
use csv_rows::CsvRows;
pub(crate) use json_lines::object_members;
use json_lines::JsonLines;
pub(crate) use row::MAX_FIELD_BYTES;
use source::{LoadError, Source, MAX_LINE_BYTES};

/// Column names of the CSV header, which are also the keys of a JSON Lines object.
pub const COLUMNS: [&str; 7] = [
    "username",
    "firstName",
    "lastName",
    "securityGroupId",
    "inviteCode",
    "inviteCodeTtl",
    "codeValidation",
];

/// Every column a users file may have, for messages.
pub fn known_columns() -> String {
    COLUMNS
        .iter()
        .chain(EXPORT_COLUMNS.iter())
        .copied()
        .collect::<Vec<_>>()
        .join(", ")
}

/// Columns an export adds, which describe the user as the network has it: read and checked,
/// never sent (the service sets them).
pub const EXPORT_COLUMNS: [&str; 3] = ["status", "suspended", "userId"];

/// One user read from the file.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Row {
    /// Line of the file the row starts on (1-based).
    pub line: u64,
    /// An export's `status` column, when filled.
    pub status: Option<String>,
    /// An export's `suspended` column, when filled.
    pub suspended: Option<bool>,
    /// An export's `userId` column, when filled.
    pub user_id: Option<String>,
    pub username: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub security_group_id: Option<String>,
    pub invite_code: Option<String>,
    pub invite_code_ttl: Option<i32>,
    pub code_validation: Option<bool>,
}

impl fmt::Debug for Row {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redact = |v: &Option<String>| v.as_ref().map(|_| "*** redacted ***");
        f.debug_struct("Row")
            .field("line", &self.line)
            .field("username", &self.username)
            .field("first_name", &redact(&self.first_name))
            .field("last_name", &redact(&self.last_name))
            .field("security_group_id", &self.security_group_id)
            .field("invite_code", &self.invite_code)
            .field("invite_code_ttl", &self.invite_code_ttl)
            .field("code_validation", &self.code_validation)
            .finish()
    }
}

/// Something wrong with the input, located by line and field.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    /// Line of the file (1-based); 0 for problems with a command-line option.
    pub line: u64,
    /// The field (column, JSON key or option) at fault; `row` when the whole row is unreadable.
    pub field: String,
    /// What is wrong, without quoting sensitive values.
    pub message: String,
}

impl Problem {
    pub fn new(line: u64, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            line,
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.field, self.message)
        } else {
            write!(f, "line {}: {}: {}", self.line, self.field, self.message)
        }
    }
}

/// An input line that did not become a [`Row`], with every problem found on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejected {
    pub line: u64,
    /// Username, when one could be read.
    pub username: Option<String>,
    pub problems: Vec<Problem>,
}

/// One entry of the input in file order: a usable row, or a rejected one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    Valid(Row),
    Invalid(Rejected),
}

impl Entry {
    pub fn line(&self) -> u64 {
        match self {
            Entry::Valid(row) => row.line,
            Entry::Invalid(rejected) => rejected.line,
        }
    }

    pub fn username(&self) -> &str {
        match self {
            Entry::Valid(row) => &row.username,
            Entry::Invalid(rejected) => rejected.username.as_deref().unwrap_or(""),
        }
    }
}

/// The whole input: entries in file order, plus problems that belong to no row (the header).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Input {
    pub entries: Vec<Entry>,
    /// Problems with the file as a whole (header, encoding); when any, no row is usable.
    pub file_problems: Vec<Problem>,
    /// SHA-256 (hex) of the file's bytes, when read from a file or standard input.
    pub sha256: Option<String>,
}

impl Input {
    /// Every problem, file-level first, then per row in file order.
    pub fn problems(&self) -> impl Iterator<Item = &Problem> {
        self.file_problems.iter().chain(
            self.entries
                .iter()
                .filter_map(|e| match e {
                    Entry::Invalid(r) => Some(r.problems.iter()),
                    Entry::Valid(_) => None,
                })
                .flatten(),
        )
    }

    pub fn valid_rows(&self) -> impl Iterator<Item = &Row> {
        self.entries.iter().filter_map(|e| match e {
            Entry::Valid(row) => Some(row),
            Entry::Invalid(_) => None,
        })
    }

    /// The export columns (status, suspended, userId) that some row fills: they are not sent.
    pub fn export_columns_used(&self) -> Vec<&'static str> {
        let rows: Vec<&Row> = self.valid_rows().collect();
        let mut used = Vec::new();
        if rows.iter().any(|r| r.status.is_some()) {
            used.push(EXPORT_COLUMNS[0]);
        }
        if rows.iter().any(|r| r.suspended.is_some()) {
            used.push(EXPORT_COLUMNS[1]);
        }
        if rows.iter().any(|r| r.user_id.is_some()) {
            used.push(EXPORT_COLUMNS[2]);
        }
        used
    }
}

/// The format of an input file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    JsonLines,
}

impl Format {
    /// Picks the format from the file name, or from the first non-blank character.
    #[allow(dead_code)] // An entry point of reading a users file from text, as `parse` is.
    pub fn detect(path: &Path, text: &str) -> Self {
        Self::detect_bytes(path, text.as_bytes())
    }

    /// The same from the file's first bytes.
    fn detect_bytes(path: &Path, start: &[u8]) -> Self {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase());
        match ext.as_deref() {
            Some("csv") => Format::Csv,
            Some("jsonl" | "ndjson" | "json") => Format::JsonLines,
            _ => {
                let first = start
                    .strip_prefix(b"\xef\xbb\xbf")
                    .unwrap_or(start)
                    .iter()
                    .find(|b| !b.is_ascii_whitespace());
                if first == Some(&b'{') {
                    Format::JsonLines
                } else {
                    Format::Csv
                }
            }
        }
    }
}

/// What rows may leave empty, filled from the command line.
#[derive(Clone, Debug, Default)]
pub struct Defaults {
    /// Security group for rows that have none.
    pub security_group_id: Option<String>,
}

/// A problem reading the file, as a problem of the file.
fn load_problem(error: LoadError, line: u64) -> Problem {
    match error {
        LoadError::Io(e) => Problem::new(line, "file", format!("read error: {e}")),
        LoadError::LineTooLong(line) => Problem::new(
            line,
            "file",
            format!(
                "line {line} is longer than {} MiB: no row is that long (is this a users \
                 file?); nothing was read past it",
                MAX_LINE_BYTES >> 20
            ),
        ),
    }
}

/// Bytes looked at to tell CSV from JSON Lines when the file's name does not say.
const DETECT_BYTES: usize = 64 * 1024;

/// The key two usernames share when they are the same user: without surrounding white space,
/// in ASCII lower case (` Alice@Example.com ` is `alice@example.com`). The import's repeats,
/// sync and the actions' repeats all tell users apart by it.
pub fn username_key(username: &str) -> String {
    username.trim().to_ascii_lowercase()
}

/// `value` without surrounding white space, as [`str::trim`] gives it; most values are empty or
/// start and end with a visible ASCII character, and are given back as they are, without a look
/// at Unicode.
pub(crate) fn trimmed(value: &str) -> &str {
    match (value.as_bytes().first(), value.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => value,
        (None, _) => value,
        _ => value.trim(),
    }
}

/// The rows of a users file, read one at a time and checked on their own (not against each
/// other: see [`repeats`]), with the default security group filled in.
pub struct Rows<R> {
    format: RowsOf<R>,
    defaults: Defaults,
}

enum RowsOf<R> {
    Csv(Box<CsvRows<R>>),
    JsonLines(Box<JsonLines<R>>),
}

impl<R: Read> Rows<R> {
    /// Reads `source`, named `path` (its extension, or else its first bytes, tell the format).
    pub fn new(mut source: Source<R>, path: &Path, defaults: &Defaults) -> Self {
        let mut more = false;
        let format = loop {
            let start = match source.fill(more) {
                Ok(bytes) => bytes,
                Err(_) => break Format::Csv,
            };
            let blank = start.iter().all(u8::is_ascii_whitespace);
            if !blank || start.len() >= DETECT_BYTES || source.is_ended() {
                let start = source.fill(false).unwrap_or_default();
                break Format::detect_bytes(path, start);
            }
            more = true;
        };
        Self::with_format(source, format, defaults)
    }

    /// Reads `source` in the given format.
    pub fn with_format(source: Source<R>, format: Format, defaults: &Defaults) -> Self {
        let format = match format {
            Format::Csv => RowsOf::Csv(Box::new(CsvRows::new(source))),
            Format::JsonLines => RowsOf::JsonLines(Box::new(JsonLines::new(source))),
        };
        Self {
            format,
            defaults: defaults.clone(),
        }
    }

    /// Problems with the file as a whole (its header, its encoding, a line too long). When any
    /// is found, no row is usable, including those already read: check after the last row.
    pub fn file_problems(&self) -> &[Problem] {
        match &self.format {
            RowsOf::Csv(rows) => &rows.file_problems,
            RowsOf::JsonLines(rows) => &rows.file_problems,
        }
    }

    /// The source, once every row is read.
    pub fn into_source(self) -> Source<R> {
        match self.format {
            RowsOf::Csv(rows) => (*rows).into_source(),
            RowsOf::JsonLines(rows) => (*rows).into_source(),
        }
    }
}

impl<R: Read> Iterator for Rows<R> {
    type Item = Entry;

    fn next(&mut self) -> Option<Entry> {
        let mut entry = match &mut self.format {
            RowsOf::Csv(rows) => rows.next()?,
            RowsOf::JsonLines(rows) => rows.next()?,
        };
        if let Entry::Valid(row) = &mut entry {
            if row.security_group_id.is_none() {
                match &self.defaults.security_group_id {
                    Some(sg) => row.security_group_id = Some(sg.clone()),
                    None => {
                        entry = Entry::Invalid(Rejected {
                            line: row.line,
                            username: Some(std::mem::take(&mut row.username)),
                            problems: vec![no_security_group(row.line)],
                        })
                    }
                }
            }
        }
        Some(entry)
    }
}

fn no_security_group(line: u64) -> Problem {
    Problem::new(
        line,
        "securityGroupId",
        "no security group: fill the column or pass --security-group-id",
    )
}

/// Reads and checks a users file (`-` reads standard input), whole.
pub fn read_path(path: &Path, defaults: &Defaults) -> Result<Input, String> {
    if path.as_os_str() == "-" {
        return Ok(read(
            std::io::stdin().lock(),
            path,
            defaults,
            MAX_LINE_BYTES,
        ));
    }
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(read(file, path, defaults, MAX_LINE_BYTES))
}

/// Reads and checks users from text in the given format.
#[allow(dead_code)] // The entry point of reading a users file from text (tests, fuzzing).
pub fn parse(text: &str, format: Format, defaults: &Defaults) -> Input {
    let source = Source::new(text.as_bytes(), usize::MAX);
    collect(Rows::with_format(source, format, defaults))
}

fn read(reader: impl Read, path: &Path, defaults: &Defaults, max_line: usize) -> Input {
    let source = Source::new(reader, max_line).hashed();
    collect(Rows::new(source, path, defaults))
}

/// Every row of `rows`, checked against each other too.
fn collect<R: Read>(mut rows: Rows<R>) -> Input {
    let mut entries: Vec<Entry> = rows.by_ref().collect();
    let mut file_problems = rows.file_problems().to_vec();
    if !file_problems.is_empty() {
        entries.clear();
    }
    let sha256 = match rows.into_source().finish() {
        Ok(hash) => hash,
        Err(e) => {
            if file_problems.is_empty() {
                file_problems.push(load_problem(e, 0));
                entries.clear();
            }
            None
        }
    };
    let mut input = Input {
        entries,
        file_problems,
        sha256,
    };
    mark_repeats(&mut input);
    input
}

/// Marks every row whose username an earlier row has (the check that needs the whole file).
fn mark_repeats(input: &mut Input) {
    let mut first_line: HashMap<String, u64> = HashMap::new();
    for entry in &mut input.entries {
        let line = entry.line();
        let username = entry.username().to_string();
        if username.is_empty() {
            continue;
        }
        let first = match first_line.get(&username) {
            Some(first) => *first,
            None => {
                first_line.insert(username, line);
                continue;
            }
        };
        repeats::mark(entry, &username, first);
    }
}

/// Checks a network id given on the command line.
pub fn check_network_id(id: &str) -> Option<Problem> {
    wickr_admin::bulk::check_network_id(id)
        .err()
        .map(|reason| Problem::new(0, "--network-id", reason))
}
