//! Property test of the users-file reader ([`read_path`]) on mutated files: the repository's
//! example files and generated CSV and JSON Lines files (quoted fields, export columns), cut
//! short, with bytes flipped, quotes, separators, line breaks, BOMs and invalid UTF-8 inserted,
//! spans repeated, long runs, and JSON Lines objects changed member by member.
//!
//! Whatever the file, reading it does not panic and gives rows and problems, never an error
//! other than one reading the file: every problem names a line of the file and a short field,
//! with a message of bounded length; every valid row has a username and values within bounds;
//! and no row is dropped in silence: in JSON Lines every line that is not blank is an entry, and
//! so is every such line of a CSV file without quotes or carriage returns.
//!
//! `cargo xtask fuzz --target users-file` runs the same property longer.

use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use fuzzing::bytes::{self, CSV_TOKENS};
use fuzzing::json::{documents, Limits};
use fuzzing::proptest::prelude::*;
use fuzzing::Bytes;
use serde_json::{json, Value};

use super::row::MAX_FIELD_BYTES;
use super::source::MAX_LINE_BYTES;
use super::*;

/// Cases under `cargo test`.
const CASES: u32 = 600;
/// Longest message a problem may have: it says what is wrong, quoting values cut short.
const MAX_MESSAGE_BYTES: usize = 1024;
/// Longest field a problem may name: a column, `row`, `file`, `header`, or a key cut short.
const MAX_FIELD_NAME_BYTES: usize = 200;

fn defaults() -> Defaults {
    Defaults {
        security_group_id: Some("SG000001".into()),
    }
}

/// Users written into the generated seeds: plain, quoted with commas, quotes and line breaks,
/// with every optional column and the export columns.
fn users() -> Vec<Value> {
    vec![
        json!({"username": "ann.lee@example.com", "firstName": "Ann", "lastName": "Lee"}),
        json!({"username": "bo@example.com", "firstName": "Bo, Jr.", "lastName": "Ray \"R\"",
               "securityGroupId": "SGX00001", "inviteCode": "CODE1", "inviteCodeTtl": 7,
               "codeValidation": true}),
        json!({"username": "cy@example.org", "firstName": "Cy\nMulti", "lastName": "Ó Dálaigh",
               "status": "active", "suspended": false, "userId": "1234567"}),
        json!({"username": "dee@example.net", "inviteCodeTtl": 30, "codeValidation": false}),
    ]
}

fn csv_field(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn generated_csv(users: &[Value]) -> Vec<u8> {
    let columns: Vec<&str> = COLUMNS
        .iter()
        .chain(EXPORT_COLUMNS.iter())
        .copied()
        .collect();
    let mut out = columns.join(",");
    out.push('\n');
    for user in users {
        let fields: Vec<String> = columns
            .iter()
            .map(|c| csv_field(user.get(*c).unwrap_or(&Value::Null)))
            .collect();
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out.into_bytes()
}

fn generated_json_lines(users: &[Value]) -> Vec<u8> {
    let mut out = String::new();
    for user in users {
        out.push_str(&user.to_string());
        out.push('\n');
    }
    out.into_bytes()
}

fn example_file(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{} cannot be read: {e}", path.display()))
}

/// The seeds: the example files, and generated CSV and JSON Lines files.
fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("csv", example_file("users.csv")),
        ("csv", example_file("hr-sync.csv")),
        ("csv", generated_csv(&users())),
        ("jsonl", generated_json_lines(&users())),
        // Without an extension: the format is told from the content.
        ("txt", generated_json_lines(&users())),
        ("txt", generated_csv(&users())),
    ]
}

/// A users file: its extension and its bytes.
#[derive(Clone)]
struct UsersFile {
    extension: &'static str,
    bytes: Bytes,
}

impl fmt::Debug for UsersFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "UsersFile {{ extension: {:?}, bytes: Bytes({:?}.to_vec()) }}",
            self.extension, self.bytes
        )
    }
}

/// Seed files with byte edits, and JSON Lines files whose lines are users changed member by
/// member (wrong types, keys twice, huge numbers, long strings), then byte edits too.
fn users_files() -> impl Strategy<Value = UsersFile> {
    let seeds = seeds();
    let count = seeds.len();
    let edited = (
        0..count,
        bytes::edits(CSV_TOKENS, 4, (MAX_FIELD_BYTES + 100) as u32),
    )
        .prop_map(move |(i, edits)| {
            let (extension, seed) = &seeds[i];
            let mut bytes = seed.clone();
            bytes::apply(&mut bytes, &edits);
            UsersFile {
                extension,
                bytes: Bytes(bytes),
            }
        });
    let limits = Limits {
        max_long: (MAX_FIELD_BYTES + 100) as u32,
        max_depth: 200,
    };
    let lines = prop::collection::vec(documents(users(), &COLUMNS, limits), 1..6);
    let json_lines = (
        lines,
        prop_oneof![
            2 => Just(Vec::new()),
            1 => bytes::edits(CSV_TOKENS, 2, 64),
        ],
        prop::sample::select(vec!["jsonl", "ndjson", "json"]),
    )
        .prop_map(|(lines, edits, extension)| {
            let mut bytes = Vec::new();
            for line in lines {
                // A line break inside a mutated object would split it: keep one object a line.
                bytes.extend(line.0.iter().map(|b| if *b == b'\n' { b' ' } else { *b }));
                bytes.push(b'\n');
            }
            bytes::apply(&mut bytes, &edits);
            UsersFile {
                extension,
                bytes: Bytes(bytes),
            }
        });
    prop_oneof![3 => edited, 2 => json_lines]
}

static NEXT_FILE: AtomicU64 = AtomicU64::new(0);

/// A file in the temporary directory, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn write(extension: &str, bytes: &[u8]) -> Result<Self, String> {
        let n = NEXT_FILE.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "wickr-admin-users-{}-{n}.{extension}",
            std::process::id()
        ));
        std::fs::write(&path, bytes)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok(Self(path))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Lines of `text` as the reader counts them (1-based), blank ones left out.
fn non_blank_lines(text: &str) -> Vec<u64> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, _)| i as u64 + 1)
        .collect()
}

fn read_users_file(file: &UsersFile) -> Result<(), String> {
    let temp = TempFile::write(file.extension, &file.bytes)?;
    let input = read_path(&temp.0, &defaults()).map_err(|e| format!("not read: {e}"))?;
    check_input(file, &temp.0, &input)
}

fn check_input(file: &UsersFile, path: &Path, input: &Input) -> Result<(), String> {
    let lines = 1 + file.bytes.iter().filter(|b| **b == b'\n').count() as u64;
    for problem in input.problems() {
        if problem.line == 0 || problem.line > lines {
            return Err(format!(
                "{problem} names a line the file does not have ({lines})"
            ));
        }
        if problem.message.is_empty() || problem.message.len() > MAX_MESSAGE_BYTES {
            return Err(format!(
                "a message of {} bytes on line {}",
                problem.message.len(),
                problem.line
            ));
        }
        if problem.field.is_empty() || problem.field.len() > MAX_FIELD_NAME_BYTES {
            return Err(format!(
                "a field name of {} bytes on line {}",
                problem.field.len(),
                problem.line
            ));
        }
    }
    let mut previous = 0;
    for entry in &input.entries {
        if entry.line() < previous {
            return Err(format!("line {} comes after line {previous}", entry.line()));
        }
        previous = entry.line();
        match entry {
            Entry::Invalid(rejected) if rejected.problems.is_empty() => {
                return Err(format!("line {} is refused with no problem", rejected.line));
            }
            Entry::Invalid(_) => {}
            Entry::Valid(row) => check_row(row)?,
        }
    }
    let Ok(text) = std::str::from_utf8(&file.bytes) else {
        return match input.file_problems.as_slice() {
            [problem] if problem.message.contains("UTF-8") => Ok(()),
            _ => Err("a file that is not UTF-8 is not reported as such".into()),
        };
    };
    if !input.file_problems.is_empty() {
        return Ok(());
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let entry_lines: Vec<u64> = input.entries.iter().map(Entry::line).collect();
    match Format::detect(path, text) {
        Format::JsonLines => {
            let expected = non_blank_lines(text);
            if entry_lines != expected {
                return Err(format!(
                    "JSON Lines entries on lines {entry_lines:?}, where lines {expected:?} are \
                     not blank"
                ));
            }
        }
        Format::Csv if !text.contains(['"', '\r']) => {
            let expected: Vec<u64> = non_blank_lines(text)
                .into_iter()
                .filter(|line| *line > 1)
                .collect();
            if entry_lines != expected {
                return Err(format!(
                    "CSV entries on lines {entry_lines:?}, where lines {expected:?} are not \
                     blank"
                ));
            }
        }
        Format::Csv => {
            let has_data = non_blank_lines(text).iter().any(|line| *line > 1);
            if has_data && input.entries.is_empty() {
                return Err("a file with rows gave no entry and no problem".into());
            }
        }
    }
    Ok(())
}

fn check_row(row: &Row) -> Result<(), String> {
    if row.username.is_empty() || row.username.chars().any(char::is_control) {
        return Err(format!(
            "line {}: a valid row with username {:?}",
            row.line, row.username
        ));
    }
    let values = [
        Some(&row.username),
        row.first_name.as_ref(),
        row.last_name.as_ref(),
        row.security_group_id.as_ref(),
        row.invite_code.as_ref(),
        row.user_id.as_ref(),
        row.status.as_ref(),
    ];
    if values
        .into_iter()
        .flatten()
        .any(|v| v.len() > MAX_FIELD_BYTES)
    {
        return Err(format!(
            "line {}: a valid row with a value past the bound",
            row.line
        ));
    }
    if row.security_group_id.is_none() {
        return Err(format!(
            "line {}: a valid row with no security group",
            row.line
        ));
    }
    Ok(())
}

#[test]
fn mutated_users_files_give_rows_and_located_problems_and_drop_nothing() {
    fuzzing::check("users file", CASES, users_files(), read_users_file);
}

#[test]
fn the_seed_files_read_cleanly() {
    for (extension, bytes) in seeds() {
        let temp = TempFile::write(extension, &bytes).unwrap_or_else(|e| panic!("{e}"));
        let input = read_path(&temp.0, &defaults()).unwrap_or_else(|e| panic!("{e}"));
        let problems: Vec<String> = input.problems().map(ToString::to_string).collect();
        assert!(problems.is_empty(), "{extension}: {problems:?}");
        assert!(input.valid_rows().count() >= 4, "{extension}: {input:?}");
    }
}

/// The bounds hold on a file: a line just past the line bound stops the reading at that line,
/// and a value just past the field bound is a problem on its row, in CSV and JSON Lines alike.
#[test]
fn the_line_and_field_bounds_hold_on_files() {
    let mut long_line = generated_csv(&users());
    // The long line comes after the seed's lines (a quoted field in it spans two).
    let line = 1 + long_line.iter().filter(|b| **b == b'\n').count() as u64;
    long_line.extend(std::iter::repeat_n(b'a', MAX_LINE_BYTES + 1));
    long_line.push(b'\n');
    let temp = TempFile::write("csv", &long_line).unwrap_or_else(|e| panic!("{e}"));
    let input = read_path(&temp.0, &defaults()).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(input.file_problems.as_slice(), [p] if p.line == line),
        "{:?}",
        input.file_problems
    );
    assert!(input.entries.is_empty());

    for (extension, bytes) in [
        (
            "csv",
            format!(
                "username,firstName\nu@example.com,{}\n",
                "n".repeat(MAX_FIELD_BYTES + 1)
            ),
        ),
        (
            "jsonl",
            format!(
                "{{\"username\":\"u@example.com\",\"firstName\":\"{}\"}}\n",
                "n".repeat(MAX_FIELD_BYTES + 1)
            ),
        ),
    ] {
        let temp = TempFile::write(extension, bytes.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let input = read_path(&temp.0, &defaults()).unwrap_or_else(|e| panic!("{e}"));
        let problems: Vec<(u64, &str)> = input
            .problems()
            .map(|p| (p.line, p.field.as_str()))
            .collect();
        assert_eq!(
            problems,
            vec![(2 - u64::from(extension == "jsonl"), "firstName")]
        );
    }
}

/// Inputs the property once failed on, kept as regression cases.
const REGRESSIONS: &[(&str, &[u8])] = &[
    // An empty JSON key made a problem with a blank field ("line 1: : unknown key").
    ("jsonl", b"{\"\":\"x\",\"username\":\"cy@example.org\"}\n"),
];

#[test]
fn inputs_that_once_failed_hold_the_property() {
    for (extension, bytes) in REGRESSIONS {
        let file = UsersFile {
            extension,
            bytes: Bytes(bytes.to_vec()),
        };
        if let Err(e) = read_users_file(&file) {
            panic!("{file:?}: {e}");
        }
    }
}
