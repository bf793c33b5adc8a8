//! Reading the users file: CSV with a header row, or JSON Lines.
//!
//! Every row is checked on its own (field syntax) and against the rows before it (repeated
//! usernames). Problems are collected, never thrown away: each one names the line and the field,
//! never quotes a first or last name, and cuts any other value it quotes. Lines and values are
//! bounded ([`source::MAX_LINE_BYTES`], [`row::MAX_FIELD_BYTES`]).

mod csv_rows;
pub mod excerpt;
mod json_lines;
#[cfg(test)]
mod property_tests;
mod row;
pub mod source;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use source::{load, LoadError, MAX_LINE_BYTES};

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
#[derive(Clone, Debug, PartialEq, Eq)]
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

    pub fn invalid_count(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| matches!(e, Entry::Invalid(_)))
            .count()
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
    pub fn detect(path: &Path, text: &str) -> Self {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase());
        match ext.as_deref() {
            Some("csv") => Format::Csv,
            Some("jsonl" | "ndjson" | "json") => Format::JsonLines,
            _ => {
                if text.trim_start().starts_with('{') {
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

/// Reads and checks a users file (`-` reads standard input).
pub fn read_path(path: &Path, defaults: &Defaults) -> Result<Input, String> {
    let loaded = if path.as_os_str() == "-" {
        load(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        load(file)
    };
    let loaded = match loaded {
        Ok(loaded) => loaded,
        Err(LoadError::Io(e)) => return Err(format!("cannot read {}: {e}", path.display())),
        Err(LoadError::LineTooLong(line)) => {
            return Ok(Input {
                file_problems: vec![Problem::new(
                    line,
                    "file",
                    format!(
                        "line {line} is longer than {} MiB: no row is that long (is this a users \
                         file?); nothing was read past it",
                        MAX_LINE_BYTES >> 20
                    ),
                )],
                ..Input::default()
            })
        }
    };
    let sha256 = Some(loaded.sha256);
    let text = match String::from_utf8(loaded.bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = 1 + valid.iter().filter(|b| **b == b'\n').count() as u64;
            return Ok(Input {
                file_problems: vec![Problem::new(
                    line,
                    "file",
                    "the file is not valid UTF-8 text",
                )],
                sha256,
                ..Input::default()
            });
        }
    };
    let format = Format::detect(path, &text);
    let mut input = parse(&text, format, defaults);
    input.sha256 = sha256;
    Ok(input)
}

/// Reads and checks users from text in the given format.
pub fn parse(text: &str, format: Format, defaults: &Defaults) -> Input {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut input = match format {
        Format::Csv => csv_rows::parse_csv(text),
        Format::JsonLines => json_lines::parse_json_lines(text),
    };
    finish(&mut input, defaults);
    input
}

/// Checks that need the whole file: repeated usernames and the default security group.
fn finish(input: &mut Input, defaults: &Defaults) {
    let mut first_line: HashMap<String, u64> = HashMap::new();
    for entry in &mut input.entries {
        let line = entry.line();
        let username = entry.username().to_string();
        if username.is_empty() {
            continue;
        }
        let repeated = match first_line.get(&username) {
            Some(first) => Some(*first),
            None => {
                first_line.insert(username.clone(), line);
                None
            }
        };
        let mut extra = Vec::new();
        if let Some(first) = repeated {
            extra.push(Problem::new(
                line,
                "username",
                format!(
                    "repeated username {} (first on line {first})",
                    excerpt::quoted(&username)
                ),
            ));
        }
        if let Entry::Valid(row) = entry {
            if row.security_group_id.is_none() {
                match &defaults.security_group_id {
                    Some(sg) => row.security_group_id = Some(sg.clone()),
                    None => extra.push(Problem::new(
                        line,
                        "securityGroupId",
                        "no security group: fill the column or pass --security-group-id",
                    )),
                }
            }
        }
        if extra.is_empty() {
            continue;
        }
        match entry {
            Entry::Invalid(rejected) => rejected.problems.extend(extra),
            Entry::Valid(row) => {
                *entry = Entry::Invalid(Rejected {
                    line,
                    username: Some(row.username.clone()),
                    problems: extra,
                })
            }
        }
    }
}

/// Checks a network id given on the command line.
pub fn check_network_id(id: &str) -> Option<Problem> {
    wickr_admin::bulk::check_network_id(id)
        .err()
        .map(|reason| Problem::new(0, "--network-id", reason))
}
