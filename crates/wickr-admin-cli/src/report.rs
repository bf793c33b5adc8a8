//! The per-row report file (`--report FILE`): one row per input line, as CSV, JSON or JSON Lines
//! depending on the file's extension. It is written to `FILE.partial` and renamed to FILE once
//! complete, so FILE is always a whole report (the earlier one, until the new one is done).
//! `report_reader.rs` reads one back, for `--resume`.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Bytes of report gathered before each write to the file: a million rows take under a thousand
/// writes, not seven thousand.
const WRITE_BUFFER: usize = 64 * 1024;

/// What happened to one input row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// This import created the user.
    Created,
    /// The network already had a user with this username.
    AlreadyExisted,
    /// The service refused the user.
    Failed,
    /// The import did not create the user, and knows it: the row was never sent (the job
    /// stopped first, or the endpoint could not be reached), or the service throttled every
    /// attempt.
    NotAttempted,
    /// The row was sent and no definitive answer came back: the user may or may not exist.
    Unknown,
    /// The row was sent without a definitive answer, and a look-up (ListUsers) then found the
    /// user in the network: this import created it, or it was there already.
    Present,
    /// The row was sent without a definitive answer, and a look-up (ListUsers) then did not find
    /// the user: it was not created.
    NotCreated,
    /// The row did not pass the input checks and was skipped.
    Invalid,
    /// Dry run: the row passed every check; nothing was sent.
    Valid,
    /// This command changed the user (names, security group).
    Updated,
    /// This command deleted the user.
    Deleted,
    /// This command suspended the user.
    Suspended,
    /// This command lifted the user's suspension.
    Unsuspended,
    /// This command sent the user a new invitation.
    Reinvited,
    /// This command signed the user out of every device.
    DevicesReset,
    /// The network has no such user (for a deletion: the user is gone, as asked).
    NotFound,
    /// Sync: the user already matches the file; nothing was sent.
    Unchanged,
    /// Sync: the user is in the network but not in the file, and was left as it is.
    LeftAlone,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Created => "created",
            Outcome::AlreadyExisted => "already-existed",
            Outcome::Failed => "failed",
            Outcome::NotAttempted => "not-attempted",
            Outcome::Unknown => "unknown",
            Outcome::Present => "present",
            Outcome::NotCreated => "not-created",
            Outcome::Invalid => "invalid",
            Outcome::Valid => "valid",
            Outcome::Updated => "updated",
            Outcome::Deleted => "deleted",
            Outcome::Suspended => "suspended",
            Outcome::Unsuspended => "unsuspended",
            Outcome::Reinvited => "reinvited",
            Outcome::DevicesReset => "devices-reset",
            Outcome::NotFound => "not-found",
            Outcome::Unchanged => "unchanged",
            Outcome::LeftAlone => "left-alone",
        }
    }
}

impl Outcome {
    /// Whether the row's user is in the network (created, already there, or found by a look-up).
    pub fn is_present(self) -> bool {
        matches!(
            self,
            Outcome::Created | Outcome::AlreadyExisted | Outcome::Present
        )
    }
}

/// One line of the report.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportRow<'a> {
    pub line: u64,
    pub username: &'a str,
    /// What the command meant to do with the row (sync's reports only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<&'a str>,
    pub outcome: Outcome,
    pub user_id: Option<&'a str>,
    pub invite_code: Option<&'a str>,
    pub reason: Option<String>,
}

/// A report's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Csv,
    Json,
    JsonLines,
}

enum Sink {
    Csv(Box<csv::Writer<BufWriter<File>>>),
    Json {
        out: BufWriter<File>,
        kind: Kind,
        rows: u64,
    },
}

impl Kind {
    /// The format a report path's extension picks (`.json`, `.jsonl`/`.ndjson`, else CSV).
    pub fn of(path: &Path) -> Self {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref()
        {
            Some("json") => Kind::Json,
            Some("jsonl" | "ndjson") => Kind::JsonLines,
            _ => Kind::Csv,
        }
    }
}

/// Whether a file the command writes whole may be written at `path`: it is written beside it
/// (`FILE.partial`) and moved into its place, so what is there now must be nothing or a regular
/// file. A directory, a device or a FIFO would be replaced by the report, and a symbolic link by
/// a file of its own instead of the file it points to: each is refused, before anything is sent.
pub fn check_output_path(path: &Path) -> Result<(), String> {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok(());
    };
    let file_type = meta.file_type();
    let what = if file_type.is_file() {
        return Ok(());
    } else if file_type.is_symlink() {
        "a symbolic link (name the file it points to)"
    } else if file_type.is_dir() {
        "a directory"
    } else {
        "not a regular file (a device, a FIFO or a socket)"
    };
    Err(format!(
        "{} is {what}: the file is written beside it and moved into its place, which would \
         replace it",
        path.display()
    ))
}

/// Creates (or empties) the file a report or export is written to until it is complete, and
/// holds a lock on it while it is written: a second command given the same path while the first
/// runs is refused, instead of emptying the first one's file under it.
pub fn open_exclusively(partial: &Path) -> Result<File, String> {
    // A link or anything else planted at the side file would be written through.
    check_output_path(partial)?;
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(partial)
        .map_err(|e| format!("cannot create report {}: {e}", partial.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            return Err(format!(
                "{} is being written by another command that is still running; wait for it, \
                 or give this one another path",
                partial.display()
            ))
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(format!("cannot lock {}: {e}", partial.display()))
        }
    }
    file.set_len(0)
        .map_err(|e| format!("cannot create report {}: {e}", partial.display()))?;
    Ok(file)
}

/// Whether two paths name the same existing file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    if a.as_os_str() == "-" || b.as_os_str() == "-" {
        return false;
    }
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Where a report is written until it is complete.
pub fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
}

/// Writes report rows to a file as they come.
pub struct ReportWriter {
    path: PathBuf,
    partial: PathBuf,
    sink: Sink,
    /// Whether rows carry an `action` column.
    with_action: bool,
    /// The line number of the row being written, as text (one buffer for every row).
    line: String,
}

impl ReportWriter {
    /// Creates the file (as `FILE.partial` until [`finish`](Self::finish)); its extension picks
    /// the format (`.json`, `.jsonl`/`.ndjson`, else CSV).
    pub fn create(path: &Path) -> Result<Self, String> {
        Self::create_with(path, false)
    }

    /// Like [`create`](Self::create), with an `action` column after `username` when
    /// `with_action`.
    pub fn create_with(path: &Path, with_action: bool) -> Result<Self, String> {
        Self::create_at(path, &partial_path(path), with_action)
    }

    /// A report for `path` (whose extension picks the format), written to `partial` until
    /// [`finish`](Self::finish).
    pub fn create_at(path: &Path, partial: &Path, with_action: bool) -> Result<Self, String> {
        check_output_path(path)?;
        let kind = Kind::of(path);
        let partial = partial.to_path_buf();
        let file = open_exclusively(&partial)?;
        let out = BufWriter::with_capacity(WRITE_BUFFER, file);
        let sink = match kind {
            Kind::Csv => {
                let mut writer = csv::Writer::from_writer(out);
                let mut header = vec!["line", "username"];
                if with_action {
                    header.push("action");
                }
                header.extend(["outcome", "userId", "inviteCode", "reason"]);
                writer
                    .write_record(header)
                    .map_err(|e| format!("cannot write report {}: {e}", path.display()))?;
                // Write the header now, so a file that cannot take data fails here, before the job.
                writer
                    .flush()
                    .map_err(|e| format!("cannot write report {}: {e}", path.display()))?;
                Sink::Csv(Box::new(writer))
            }
            Kind::Json | Kind::JsonLines => Sink::Json { out, kind, rows: 0 },
        };
        Ok(Self {
            path: path.to_path_buf(),
            partial,
            sink,
            with_action,
            line: String::new(),
        })
    }

    /// Appends one row.
    pub fn write(&mut self, row: &ReportRow<'_>) -> Result<(), String> {
        let path = &self.partial;
        let fail =
            |e: &dyn std::fmt::Display| format!("cannot write report {}: {e}", path.display());
        match &mut self.sink {
            Sink::Csv(writer) => {
                self.line.clear();
                // Writing into a String cannot fail.
                let _ = write!(self.line, "{}", row.line);
                let fields = [
                    self.line.as_str(),
                    row.username,
                    row.action.unwrap_or(""),
                    row.outcome.as_str(),
                    row.user_id.unwrap_or(""),
                    row.invite_code.unwrap_or(""),
                    row.reason.as_deref().unwrap_or(""),
                ];
                // The action column (index 2) is there only in a report that has it.
                let with_action = self.with_action;
                let record = fields
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != 2 || with_action)
                    .map(|(_, field)| field);
                writer.write_record(record).map_err(|e| fail(&e))?;
            }
            Sink::Json { out, kind, rows } => {
                let separator: &[u8] = match (*kind, *rows) {
                    (Kind::Json, 0) => b"[\n  ",
                    (Kind::Json, _) => b",\n  ",
                    _ => b"",
                };
                out.write_all(separator).map_err(|e| fail(&e))?;
                serde_json::to_writer(&mut *out, row).map_err(|e| fail(&e))?;
                if *kind == Kind::JsonLines {
                    out.write_all(b"\n").map_err(|e| fail(&e))?;
                }
                *rows += 1;
            }
        }
        Ok(())
    }

    /// Closes the document, flushes it to disk and puts it in place of any earlier report.
    pub fn finish(self) -> Result<(), String> {
        let path = self.path.clone();
        let partial = self.close()?;
        std::fs::rename(&partial, &path).map_err(|e| {
            format!(
                "cannot put report {} in place of {}: {e}",
                partial.display(),
                path.display()
            )
        })
    }

    /// Closes the document and flushes it to disk, where it was written; returns that path.
    pub fn close(self) -> Result<PathBuf, String> {
        let partial = self.partial;
        let fail =
            |e: &dyn std::fmt::Display| format!("cannot write report {}: {e}", partial.display());
        let file = match self.sink {
            Sink::Csv(writer) => writer
                .into_inner()
                .map_err(|e| fail(&e.error().to_string()))?,
            Sink::Json {
                mut out,
                kind,
                rows,
            } => {
                if kind == Kind::Json {
                    let end: &[u8] = if rows == 0 { b"[]\n" } else { b"\n]\n" };
                    out.write_all(end).map_err(|e| fail(&e))?;
                }
                out
            }
        };
        let file = file
            .into_inner()
            .map_err(|e| fail(&e.error().to_string()))?;
        file.sync_all().map_err(|e| fail(&e))?;
        Ok(partial)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report_reader::read_report;

    fn rows() -> Vec<ReportRow<'static>> {
        vec![
            ReportRow {
                line: 2,
                username: "a@example.com",
                action: None,
                outcome: Outcome::Created,
                user_id: Some("17"),
                invite_code: Some("ABC"),
                reason: None,
            },
            ReportRow {
                line: 3,
                username: "b,c@example.com",
                action: None,
                outcome: Outcome::Failed,
                user_id: None,
                invite_code: None,
                reason: Some("securityGroupId: unknown security group".into()),
            },
        ]
    }

    /// A file in a directory of its own, removed with the directory when dropped.
    struct Scratch {
        dir: PathBuf,
        path: PathBuf,
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    fn scratch(name: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("wickr-admin-report-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch {
            path: dir.join(name),
            dir,
        }
    }

    #[test]
    fn scratch_files_are_removed() {
        let dir = {
            let s = scratch("gone.csv");
            ReportWriter::create(&s.path).unwrap().finish().unwrap();
            assert!(s.path.exists());
            s.dir.clone()
        };
        assert!(!dir.exists());
    }

    #[test]
    fn a_report_path_that_cannot_be_created_is_an_error() {
        let s = scratch("x.csv");
        let err = ReportWriter::create(&s.dir.join("missing").join("r.csv"))
            .err()
            .unwrap();
        assert!(err.contains("cannot create report"), "{err}");
    }

    #[test]
    fn csv_report_has_header_and_quoting() {
        let s = scratch("r.csv");
        let path = &s.path;
        let mut w = ReportWriter::create(path).unwrap();
        for r in rows() {
            w.write(&r).unwrap();
        }
        w.finish().unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        assert_eq!(
            text,
            "line,username,outcome,userId,inviteCode,reason\n\
             2,a@example.com,created,17,ABC,\n\
             3,\"b,c@example.com\",failed,,,securityGroupId: unknown security group\n"
        );
    }

    #[test]
    fn line_numbers_are_written_in_decimal() {
        let s = scratch("lines.csv");
        let path = &s.path;
        let lines = [0, 1, 9, 10, 12_345, 1_000_000, u64::MAX];
        let mut w = ReportWriter::create(path).unwrap();
        for line in lines {
            let mut row = rows().remove(0);
            row.line = line;
            w.write(&row).unwrap();
        }
        w.finish().unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        let written: Vec<&str> = text
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap())
            .collect();
        let expected: Vec<String> = lines.iter().map(u64::to_string).collect();
        assert_eq!(written, expected);
    }

    #[test]
    fn json_report_is_one_array() {
        let s = scratch("r.json");
        let path = &s.path;
        let mut w = ReportWriter::create(path).unwrap();
        for r in rows() {
            w.write(&r).unwrap();
        }
        w.finish().unwrap();
        let value: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let list = value.as_array().unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0]["userId"], "17");
        assert_eq!(list[1]["outcome"], "failed");
        assert_eq!(list[1]["line"], 3);
    }

    #[test]
    fn reports_read_back_in_every_format() {
        for name in ["back.csv", "back.json", "back.jsonl"] {
            let s = scratch(name);
            let mut w = ReportWriter::create(&s.path).unwrap();
            for r in rows() {
                w.write(&r).unwrap();
            }
            w.finish().unwrap();
            assert!(!partial_path(&s.path).exists());
            let back = read_report(&s.path).unwrap();
            assert_eq!(back.len(), 2, "{name}");
            assert_eq!(back[0].outcome, Outcome::Created);
            assert_eq!(back[0].user_id.as_deref(), Some("17"));
            assert_eq!(back[1].line, 3);
            assert_eq!(back[1].user_id, None, "{name}");
            assert_eq!(back[1].username, "b,c@example.com");
        }
    }

    #[test]
    fn a_report_replaces_the_earlier_one_only_when_complete() {
        let s = scratch("replace.csv");
        std::fs::write(&s.path, "earlier\n").unwrap();
        let mut w = ReportWriter::create(&s.path).unwrap();
        w.write(&rows()[0]).unwrap();
        assert_eq!(std::fs::read_to_string(&s.path).unwrap(), "earlier\n");
        w.finish().unwrap();
        assert!(std::fs::read_to_string(&s.path)
            .unwrap()
            .starts_with("line,"));
    }

    #[test]
    fn empty_json_report_is_an_empty_array() {
        let s = scratch("empty.json");
        let path = &s.path;
        ReportWriter::create(path).unwrap().finish().unwrap();
        assert_eq!(std::fs::read_to_string(path).unwrap(), "[]\n");
    }
}
