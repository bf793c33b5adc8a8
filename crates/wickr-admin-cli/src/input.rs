//! Reading the users file: CSV with a header row, or JSON Lines.
//!
//! Every row is checked on its own (field syntax) and against the rows before it (repeated
//! usernames). Problems are collected, never thrown away: each one names the line and the field,
//! and never quotes a first or last name.

use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::path::Path;

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

/// A column of the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Column {
    Username,
    FirstName,
    LastName,
    SecurityGroupId,
    InviteCode,
    InviteCodeTtl,
    CodeValidation,
}

impl Column {
    fn parse(name: &str) -> Option<Self> {
        let columns = [
            Column::Username,
            Column::FirstName,
            Column::LastName,
            Column::SecurityGroupId,
            Column::InviteCode,
            Column::InviteCodeTtl,
            Column::CodeValidation,
        ];
        columns
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(name.trim()))
    }

    fn name(self) -> &'static str {
        match self {
            Column::Username => COLUMNS[0],
            Column::FirstName => COLUMNS[1],
            Column::LastName => COLUMNS[2],
            Column::SecurityGroupId => COLUMNS[3],
            Column::InviteCode => COLUMNS[4],
            Column::InviteCodeTtl => COLUMNS[5],
            Column::CodeValidation => COLUMNS[6],
        }
    }
}

/// One user read from the file.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Row {
    /// Line of the file the row starts on (1-based).
    pub line: u64,
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
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
    } else {
        bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = 1 + valid.iter().filter(|b| **b == b'\n').count() as u64;
            return Ok(Input {
                entries: Vec::new(),
                file_problems: vec![Problem::new(
                    line,
                    "file",
                    "the file is not valid UTF-8 text",
                )],
            });
        }
    };
    let format = Format::detect(path, &text);
    Ok(parse(&text, format, defaults))
}

/// Reads and checks users from text in the given format.
pub fn parse(text: &str, format: Format, defaults: &Defaults) -> Input {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut input = match format {
        Format::Csv => parse_csv(text),
        Format::JsonLines => parse_json_lines(text),
    };
    finish(&mut input, defaults);
    input
}

/// Fields of one row as read, before checks that need the other rows.
#[derive(Default)]
struct RawRow {
    line: u64,
    values: HashMap<Column, String>,
    problems: Vec<Problem>,
}

fn parse_csv(text: &str) -> Input {
    let mut input = Input::default();
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
    if headers.is_empty() || headers.iter().all(|h| h.is_empty()) {
        input.file_problems.push(Problem::new(
            1,
            "header",
            format!(
                "the file has no header row; expected columns: {}",
                COLUMNS.join(", ")
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
                if name.is_empty() { "header" } else { name },
                format!(
                    "unknown column {} ({:?}); known columns: {}",
                    i + 1,
                    name,
                    COLUMNS.join(", ")
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
    input
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

/// One line of JSON Lines input: an object's members in document order with duplicates kept (a
/// map would keep only the last of two equal keys, dropping a value without a word), or any other
/// JSON value.
enum JsonLine {
    Object(Vec<(String, serde_json::Value)>),
    Other,
}

impl<'de> serde::Deserialize<'de> for JsonLine {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonLineVisitor)
    }
}

struct JsonLineVisitor;

impl<'de> serde::de::Visitor<'de> for JsonLineVisitor {
    type Value = JsonLine;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<JsonLine, A::Error> {
        let mut members = Vec::new();
        while let Some(entry) = map.next_entry::<String, serde_json::Value>()? {
            members.push(entry);
        }
        Ok(JsonLine::Object(members))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<JsonLine, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(JsonLine::Other)
    }

    fn visit_bool<E>(self, _: bool) -> Result<JsonLine, E> {
        Ok(JsonLine::Other)
    }

    fn visit_i64<E>(self, _: i64) -> Result<JsonLine, E> {
        Ok(JsonLine::Other)
    }

    fn visit_u64<E>(self, _: u64) -> Result<JsonLine, E> {
        Ok(JsonLine::Other)
    }

    fn visit_f64<E>(self, _: f64) -> Result<JsonLine, E> {
        Ok(JsonLine::Other)
    }

    fn visit_str<E>(self, _: &str) -> Result<JsonLine, E> {
        Ok(JsonLine::Other)
    }

    fn visit_unit<E>(self) -> Result<JsonLine, E> {
        Ok(JsonLine::Other)
    }
}

fn parse_json_lines(text: &str) -> Input {
    let mut input = Input::default();
    for (index, line_text) in text.lines().enumerate() {
        let line = index as u64 + 1;
        if line_text.trim().is_empty() {
            continue;
        }
        let mut raw = RawRow {
            line,
            ..RawRow::default()
        };
        match serde_json::from_str::<JsonLine>(line_text) {
            Ok(JsonLine::Object(members)) => {
                let mut seen = std::collections::HashSet::new();
                for (key, value) in members {
                    let Some(column) = Column::parse(&key) else {
                        raw.problems.push(Problem::new(
                            line,
                            key.clone(),
                            format!("unknown key; known keys: {}", COLUMNS.join(", ")),
                        ));
                        continue;
                    };
                    // Every occurrence counts, empty and null ones included.
                    if !seen.insert(column) {
                        raw.problems
                            .push(Problem::new(line, column.name(), "key appears twice"));
                        continue;
                    }
                    let text = match value {
                        serde_json::Value::Null => continue,
                        serde_json::Value::String(s) => s.trim().to_string(),
                        serde_json::Value::Bool(b) => b.to_string(),
                        serde_json::Value::Number(n) => n.to_string(),
                        serde_json::Value::Array(_) | serde_json::Value::Object(_) => {
                            raw.problems.push(Problem::new(
                                line,
                                column.name(),
                                "must be a string, number or boolean, not a list or object",
                            ));
                            continue;
                        }
                    };
                    if !text.is_empty() {
                        raw.values.insert(column, text);
                    }
                }
            }
            Ok(JsonLine::Other) => raw.problems.push(Problem::new(
                line,
                "row",
                "malformed row: each line must be one JSON object",
            )),
            Err(e) => raw.problems.push(Problem::new(
                line,
                "row",
                format!("malformed row: invalid JSON at column {}", e.column()),
            )),
        }
        input.entries.push(check_row(raw));
    }
    input
}

/// Checks one row's fields on their own.
fn check_row(mut raw: RawRow) -> Entry {
    let line = raw.line;
    let username = raw.values.remove(&Column::Username);
    if username.is_none() && !raw.problems.iter().any(|p| p.field == "row") {
        raw.problems
            .push(Problem::new(line, "username", "missing username"));
    }
    if let Some(u) = &username {
        if u.chars().any(char::is_control) {
            raw.problems.push(Problem::new(
                line,
                "username",
                "contains a control character",
            ));
        }
    }
    let security_group_id = raw.values.remove(&Column::SecurityGroupId);
    if let Some(sg) = &security_group_id {
        if sg.chars().any(char::is_whitespace) {
            raw.problems.push(Problem::new(
                line,
                "securityGroupId",
                format!("{sg:?} is not a security group id (one id, no spaces)"),
            ));
        }
    }
    let invite_code_ttl = match raw.values.remove(&Column::InviteCodeTtl) {
        None => None,
        Some(v) => match v.parse::<i32>() {
            Ok(days) if days >= 1 => Some(days),
            _ => {
                raw.problems.push(Problem::new(
                    line,
                    "inviteCodeTtl",
                    format!("{v:?} is not a whole number of days (1 or more)"),
                ));
                None
            }
        },
    };
    let code_validation = match raw.values.remove(&Column::CodeValidation) {
        None => None,
        Some(v) => match parse_bool(&v) {
            Some(b) => Some(b),
            None => {
                raw.problems.push(Problem::new(
                    line,
                    "codeValidation",
                    format!("{v:?} is not a boolean (true/false, yes/no, 1/0)"),
                ));
                None
            }
        },
    };
    let row = Row {
        line,
        username: username.clone().unwrap_or_default(),
        first_name: raw.values.remove(&Column::FirstName),
        last_name: raw.values.remove(&Column::LastName),
        security_group_id,
        invite_code: raw.values.remove(&Column::InviteCode),
        invite_code_ttl,
        code_validation,
    };
    if raw.problems.is_empty() {
        Entry::Valid(row)
    } else {
        Entry::Invalid(Rejected {
            line,
            username,
            problems: raw.problems,
        })
    }
}

fn parse_bool(v: &str) -> Option<bool> {
    match v.to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" => Some(true),
        "false" | "no" | "n" | "0" => Some(false),
        _ => None,
    }
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
                format!("repeated username {username:?} (first on line {first})"),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> Defaults {
        Defaults {
            security_group_id: Some("SG000001".into()),
        }
    }

    #[test]
    fn csv_rows_are_read_with_line_numbers() {
        let text =
            "username,firstName,lastName,securityGroupId,inviteCode,inviteCodeTtl,codeValidation\n\
                    a@example.com,Ann,Lee,,,,\n\
                    \n\
                    b@example.com,\"Bo\nB\",Ray,SGX,CODE1,7,true\n";
        let input = parse(text, Format::Csv, &defaults());
        assert!(input.file_problems.is_empty(), "{:?}", input.file_problems);
        let rows: Vec<&Row> = input.valid_rows().collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].security_group_id.as_deref(), Some("SG000001"));
        assert_eq!(rows[1].line, 4);
        assert_eq!(rows[1].first_name.as_deref(), Some("Bo\nB"));
        assert_eq!(rows[1].invite_code_ttl, Some(7));
        assert_eq!(rows[1].code_validation, Some(true));
        assert_eq!(rows[1].security_group_id.as_deref(), Some("SGX"));
    }

    #[test]
    fn every_problem_is_listed_with_line_and_field() {
        let text = "username,firstName,inviteCodeTtl,codeValidation\n\
                    a@example.com,Ann,x,maybe\n\
                    ,Bob,,\n\
                    a@example.com,Cy,,\n\
                    c@example.com,Dee\n";
        let input = parse(text, Format::Csv, &defaults());
        let problems: Vec<(u64, &str)> = input
            .problems()
            .map(|p| (p.line, p.field.as_str()))
            .collect();
        assert_eq!(
            problems,
            vec![
                (2, "inviteCodeTtl"),
                (2, "codeValidation"),
                (3, "username"),
                (4, "username"),
                (5, "row"),
            ]
        );
        assert_eq!(input.valid_rows().count(), 0);
        for p in input.problems() {
            assert!(!p.message.contains("Ann") && !p.message.contains("Bob"));
        }
    }

    #[test]
    fn unknown_columns_are_an_error() {
        let input = parse("username,email\na,b\n", Format::Csv, &defaults());
        assert_eq!(input.file_problems.len(), 1);
        assert_eq!(input.file_problems[0].field, "email");
        assert!(input.entries.is_empty());
    }

    #[test]
    fn json_lines_are_read_and_checked() {
        let text = "{\"username\":\"a\",\"firstName\":\"Ann\",\"inviteCodeTtl\":3,\"codeValidation\":false}\n\
                    \n\
                    {\"username\":\"b\",\"nickname\":\"x\"}\n\
                    not json\n\
                    {\"firstName\":\"Zed\"}\n";
        let input = parse(text, Format::JsonLines, &defaults());
        let rows: Vec<&Row> = input.valid_rows().collect();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].invite_code_ttl, Some(3));
        assert_eq!(rows[0].code_validation, Some(false));
        let problems: Vec<(u64, &str)> = input
            .problems()
            .map(|p| (p.line, p.field.as_str()))
            .collect();
        assert_eq!(problems, vec![(3, "nickname"), (4, "row"), (5, "username")]);
    }

    #[test]
    fn json_lines_keys_given_twice_are_a_problem_and_other_values_are_not_rows() {
        let text = "{\"username\":\"a\",\"firstName\":\"Ann\",\"firstName\":\"Anne\"}\n\
                    [1, {\"username\": \"b\"}]\n\
                    \"c\"\n\
                    {\"username\":\"d\",\"firstName\":\"\",\"firstName\":\"Dee\"}\n\
                    {\"username\":\"e\",\"lastName\":\"Eve\",\"lastName\":null}\n";
        let input = parse(text, Format::JsonLines, &defaults());
        let problems: Vec<(u64, &str, &str)> = input
            .problems()
            .map(|p| (p.line, p.field.as_str(), p.message.as_str()))
            .collect();
        let malformed = "malformed row: each line must be one JSON object";
        assert_eq!(
            problems,
            vec![
                (1, "firstName", "key appears twice"),
                (2, "row", malformed),
                (3, "row", malformed),
                (4, "firstName", "key appears twice"),
                (5, "lastName", "key appears twice"),
            ]
        );
        assert_eq!(input.valid_rows().count(), 0);
    }

    #[test]
    fn missing_security_group_without_default_is_a_problem() {
        let input = parse("username\na\n", Format::Csv, &Defaults::default());
        let problems: Vec<&Problem> = input.problems().collect();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "securityGroupId");
    }

    #[test]
    fn network_ids_are_checked() {
        assert!(check_network_id("12345678").is_none());
        assert!(check_network_id("1234567").is_some());
        assert!(check_network_id("1234567a").is_some());
    }

    #[test]
    fn row_debug_hides_names() {
        let row = Row {
            username: "u".into(),
            first_name: Some("Secretfirst".into()),
            last_name: Some("Secretlast".into()),
            ..Row::default()
        };
        let shown = format!("{row:?}");
        assert!(!shown.contains("Secretfirst") && !shown.contains("Secretlast"));
    }
}
