//! The per-row report file (`--report FILE`): one row per input line, as CSV, JSON or JSON Lines
//! depending on the file's extension.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

/// What happened to one input row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
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
    /// The row did not pass the input checks and was skipped.
    Invalid,
    /// Dry run: the row passed every check; nothing was sent.
    Valid,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Created => "created",
            Outcome::AlreadyExisted => "already-existed",
            Outcome::Failed => "failed",
            Outcome::NotAttempted => "not-attempted",
            Outcome::Unknown => "unknown",
            Outcome::Invalid => "invalid",
            Outcome::Valid => "valid",
        }
    }
}

/// One line of the report.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportRow<'a> {
    pub line: u64,
    pub username: &'a str,
    pub outcome: Outcome,
    pub user_id: Option<&'a str>,
    pub invite_code: Option<&'a str>,
    pub reason: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
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

/// Writes report rows to a file as they come.
pub struct ReportWriter {
    path: PathBuf,
    sink: Sink,
}

impl ReportWriter {
    /// Creates the file; its extension picks the format (`.json`, `.jsonl`/`.ndjson`, else CSV).
    pub fn create(path: &Path) -> Result<Self, String> {
        let kind = match path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref()
        {
            Some("json") => Kind::Json,
            Some("jsonl" | "ndjson") => Kind::JsonLines,
            _ => Kind::Csv,
        };
        let file = File::create(path)
            .map_err(|e| format!("cannot create report {}: {e}", path.display()))?;
        let out = BufWriter::new(file);
        let sink = match kind {
            Kind::Csv => {
                let mut writer = csv::Writer::from_writer(out);
                writer
                    .write_record([
                        "line",
                        "username",
                        "outcome",
                        "userId",
                        "inviteCode",
                        "reason",
                    ])
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
            sink,
        })
    }

    /// Appends one row.
    pub fn write(&mut self, row: &ReportRow<'_>) -> Result<(), String> {
        let path = &self.path;
        let fail =
            |e: &dyn std::fmt::Display| format!("cannot write report {}: {e}", path.display());
        match &mut self.sink {
            Sink::Csv(writer) => {
                let line = row.line.to_string();
                writer
                    .write_record([
                        line.as_str(),
                        row.username,
                        row.outcome.as_str(),
                        row.user_id.unwrap_or(""),
                        row.invite_code.unwrap_or(""),
                        row.reason.as_deref().unwrap_or(""),
                    ])
                    .map_err(|e| fail(&e))?;
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

    /// Closes the document and flushes it to disk.
    pub fn finish(self) -> Result<(), String> {
        let path = self.path;
        let fail =
            |e: &dyn std::fmt::Display| format!("cannot write report {}: {e}", path.display());
        match self.sink {
            Sink::Csv(mut writer) => writer.flush().map_err(|e| fail(&e)),
            Sink::Json {
                mut out,
                kind,
                rows,
            } => {
                if kind == Kind::Json {
                    let end: &[u8] = if rows == 0 { b"[]\n" } else { b"\n]\n" };
                    out.write_all(end).map_err(|e| fail(&e))?;
                }
                out.flush().map_err(|e| fail(&e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<ReportRow<'static>> {
        vec![
            ReportRow {
                line: 2,
                username: "a@example.com",
                outcome: Outcome::Created,
                user_id: Some("17"),
                invite_code: Some("ABC"),
                reason: None,
            },
            ReportRow {
                line: 3,
                username: "b,c@example.com",
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
    fn empty_json_report_is_an_empty_array() {
        let s = scratch("empty.json");
        let path = &s.path;
        ReportWriter::create(path).unwrap().finish().unwrap();
        assert_eq!(std::fs::read_to_string(path).unwrap(), "[]\n");
    }
}
