//! The first reading of the users file, before anything is sent: every row is checked on its own
//! and against the model, repeated usernames are found, and what the import needs to decide
//! whether it may send (are there problems?) and to name its job (the file's SHA-256) is kept.
//! Nothing per row is kept in memory: the lines of the rows with problems and the repeats go to
//! lists that spill to scratch files.

use super::input_file::InputFile;
use super::{into_new_user, new_user};
use crate::cli::ImportArgs;
use crate::input::repeats::{Repeat, RepeatCursor, RepeatFinder};
use crate::input::source::LoadError;
use crate::input::{self, Defaults, Entry, Problem, Rows, EXPORT_COLUMNS};
use crate::report::{check_output_path, same_file};
use crate::spill::Spill;

/// What the import needs before it may connect: the file checked and the options resolved.
pub struct Checked {
    pub file: InputFile,
    pub network_id: String,
    pub default_security_group: Option<String>,
    /// Problems with options (line 0).
    pub option_problems: Vec<Problem>,
    /// Problems with the file as a whole; when any, no row is usable.
    pub file_problems: Vec<Problem>,
    /// Rows of the file (valid or not).
    pub rows: u64,
    /// Rows with a problem (of their own, or repeating an earlier row's username).
    pub invalid: u64,
    /// Rows whose username an earlier row has, in line order.
    pub repeats: Spill<Repeat>,
    /// Lines of the rows with problems of their own (not counting repeats), in order.
    pub invalid_lines: Spill<u64>,
    /// SHA-256 (hex) of the file's bytes.
    pub sha256: String,
    /// The export columns (status, suspended, userId) some row fills: they are not sent.
    pub export_columns_used: Vec<&'static str>,
}

impl Checked {
    /// Whether the checked input may not be sent.
    pub fn blocking_problems(&self, args: &ImportArgs) -> bool {
        !self.option_problems.is_empty()
            || !self.file_problems.is_empty()
            || (self.invalid > 0 && !args.skip_invalid)
    }

    pub fn defaults(&self) -> Defaults {
        Defaults {
            security_group_id: self.default_security_group.clone(),
        }
    }
}

/// Reads and checks the file; `network_id` and `default_security_group` already merged with
/// what `--local` provides.
pub fn check(
    args: &ImportArgs,
    network_id: Option<&str>,
    default_security_group: Option<&str>,
) -> Result<Checked, String> {
    let mut option_problems = Vec::new();
    let network_id = match network_id {
        Some(id) => {
            option_problems.extend(input::check_network_id(id));
            id.to_string()
        }
        None => {
            option_problems.push(Problem::new(
                0,
                "--network-id",
                "required (or use --local to import into the embedded emulator's demo network)",
            ));
            String::new()
        }
    };
    if let Some(sg) = default_security_group {
        if sg.is_empty() || sg.chars().any(char::is_whitespace) {
            option_problems.push(Problem::new(
                0,
                "--security-group-id",
                format!(
                    "{} is not a security group id (one id, no spaces)",
                    input::excerpt::quoted(sg)
                ),
            ));
        }
    }
    if let Some(report) = &args.report {
        if same_file(report, &args.file) {
            option_problems.push(Problem::new(
                0,
                "--report",
                "is the input file: the report would overwrite it; choose another path",
            ));
        } else if let Err(e) = check_output_path(report) {
            option_problems.push(Problem::new(0, "--report", e));
        }
    }
    let defaults = Defaults {
        security_group_id: default_security_group.map(str::to_string),
    };
    let (file, source) = InputFile::first_reading(&args.file)?;
    let mut rows = Rows::new(source, &args.file, &defaults);
    let mut finder = RepeatFinder::default();
    let mut invalid_lines: Spill<u64> = Spill::new("invalid-lines");
    let mut count = 0u64;
    let mut used = [false; 3];
    for entry in rows.by_ref() {
        count += 1;
        let line = entry.line();
        finder.add(entry.username(), line)?;
        let valid = match entry {
            Entry::Invalid(_) => false,
            Entry::Valid(row) => {
                used[0] |= row.status.is_some();
                used[1] |= row.suspended.is_some();
                used[2] |= row.user_id.is_some();
                wickr_admin::bulk::check_user(into_new_user(row), None).is_ok()
            }
        };
        if !valid {
            invalid_lines.push(line)?;
        }
    }
    let file_problems = rows.file_problems().to_vec();
    // Every row was read: what is left is finishing the hash (and the copy of standard input).
    let sha256 = if file_problems.is_empty() {
        match rows.into_source().finish() {
            Ok(hash) => hash.unwrap_or_default(),
            Err(LoadError::Io(e)) => {
                return Err(format!("cannot read {}: {e}", args.file.display()))
            }
            Err(LoadError::LineTooLong(line)) => {
                return Err(format!("{}: line {line} is too long", args.file.display()))
            }
        }
    } else {
        String::new()
    };
    let repeats = finder.finish()?;
    invalid_lines.flush()?;
    let mut invalid = count_union(&invalid_lines, &repeats)?;
    if !file_problems.is_empty() {
        // No row of a file with a problem of its own is usable, nor counted.
        count = 0;
        invalid = 0;
    }
    Ok(Checked {
        file,
        network_id,
        default_security_group: default_security_group.map(str::to_string),
        option_problems,
        file_problems,
        rows: count,
        invalid,
        repeats,
        invalid_lines,
        sha256,
        export_columns_used: EXPORT_COLUMNS
            .iter()
            .zip(used)
            .filter(|(_, used)| *used)
            .map(|(c, _)| *c)
            .collect(),
    })
}

/// The first problem the model's own checks (the ones a call would run) find in a row the file
/// layer accepted.
pub fn model_problem(row: &input::Row) -> Option<Problem> {
    let (field, reason) = wickr_admin::bulk::check_user(new_user(row), None).err()?;
    let field = if field.is_empty() {
        "row".to_string()
    } else {
        field
    };
    Some(Problem::new(row.line, field, reason))
}

/// Rows that are in either list (both in line order).
fn count_union(invalid_lines: &Spill<u64>, repeats: &Spill<Repeat>) -> Result<u64, String> {
    let total = repeats.len();
    let mut repeats = RepeatCursor::new(repeats)?;
    let mut both = 0u64;
    let mut lines = invalid_lines.reader()?;
    while let Some(line) = lines.next_item()? {
        if repeats.first_line_of(line)?.is_some() {
            both += 1;
        }
    }
    Ok(invalid_lines.len() + total - both)
}
