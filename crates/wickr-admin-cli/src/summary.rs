//! The summary printed at the end of an import, as a table or as JSON.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;
use wickr_admin::error::OneLine;

use crate::input::Problem;
use crate::report::{Outcome, ReportRow};

/// Most rows listed one by one in the table when a report file holds them all anyway.
const LISTED_WITH_REPORT: usize = 20;

/// A row that did not end created, already existing or valid.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SummaryRow {
    pub line: u64,
    pub username: String,
    pub outcome: Outcome,
    pub reason: String,
}

impl From<&ReportRow<'_>> for SummaryRow {
    fn from(row: &ReportRow<'_>) -> Self {
        Self {
            line: row.line,
            username: row.username.to_string(),
            outcome: row.outcome,
            reason: row.reason.clone().unwrap_or_default(),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ProblemJson<'a> {
    line: u64,
    field: &'a str,
    message: &'a str,
}

/// Totals of an import.
#[derive(Debug, Default)]
pub struct Summary {
    pub network_id: String,
    pub file: PathBuf,
    pub dry_run: bool,
    /// Nothing was sent because of invalid input.
    pub blocked: bool,
    pub rows: u64,
    pub created: u64,
    pub already_existed: u64,
    pub failed: u64,
    pub not_attempted: u64,
    pub unknown: u64,
    pub present: u64,
    pub not_created: u64,
    pub invalid: u64,
    pub valid: u64,
    pub calls: u64,
    pub chunk_retries: u64,
    pub throttled: u64,
    pub cancelled: bool,
    pub stop_reason: Option<String>,
    /// The job's id (to resume it), when something was sent.
    pub job_id: Option<String>,
    /// Rows whose outcome was settled by an earlier run of the job (`--resume`).
    pub settled_earlier: u64,
    /// Why rows sent without an answer were not all looked up.
    pub lookup_note: Option<String>,
    pub elapsed: Duration,
    pub problems: Vec<Problem>,
    pub unsuccessful: Vec<SummaryRow>,
    pub report_file: Option<PathBuf>,
}

impl Summary {
    pub fn new(network_id: &str, file: &Path, dry_run: bool) -> Self {
        Self {
            network_id: network_id.to_string(),
            file: file.to_path_buf(),
            dry_run,
            ..Self::default()
        }
    }

    /// Adds one report row to the totals.
    pub fn count(&mut self, row: &ReportRow<'_>) {
        match row.outcome {
            Outcome::Created => self.created += 1,
            Outcome::AlreadyExisted => self.already_existed += 1,
            Outcome::Valid => self.valid += 1,
            Outcome::Invalid => {}
            Outcome::Failed => {
                self.failed += 1;
                self.unsuccessful.push(row.into());
            }
            Outcome::NotAttempted => {
                self.not_attempted += 1;
                if !self.blocked {
                    self.unsuccessful.push(row.into());
                }
            }
            Outcome::Unknown => {
                self.unknown += 1;
                self.unsuccessful.push(row.into());
            }
            Outcome::Present => self.present += 1,
            // Outcomes of other commands: never an import's, listed should one appear.
            Outcome::Updated
            | Outcome::Deleted
            | Outcome::Suspended
            | Outcome::Unsuspended
            | Outcome::Reinvited
            | Outcome::DevicesReset
            | Outcome::NotFound
            | Outcome::Unchanged
            | Outcome::LeftAlone => self.unsuccessful.push(row.into()),
            Outcome::NotCreated => {
                self.not_created += 1;
                self.unsuccessful.push(row.into());
            }
        }
    }

    /// Whether every row is in the network now (true for a file with no rows).
    pub fn all_present(&self) -> bool {
        self.created + self.already_existed + self.present == self.rows
    }

    fn users_per_second(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            (self.created + self.already_existed + self.present) as f64 / secs
        } else {
            0.0
        }
    }

    pub fn print_table(&self) {
        let title = if self.dry_run { "Dry run" } else { "Import" };
        println!(
            "{title} of {} into network {}: {} rows",
            self.file.display(),
            if self.network_id.is_empty() {
                "-"
            } else {
                &self.network_id
            },
            self.rows
        );
        if self.rows == 0 {
            println!("  the file has no rows: nothing to do");
        }
        let mut lines: Vec<(&str, u64)> = Vec::new();
        if self.dry_run {
            lines.push(("valid (nothing sent)", self.valid));
        } else {
            lines.push(("created", self.created));
            lines.push(("already existed", self.already_existed));
            if self.present > 0 {
                lines.push(("present (looked up)", self.present));
            }
            lines.push(("failed", self.failed));
            lines.push(("not attempted (not sent)", self.not_attempted));
            if self.not_created > 0 {
                lines.push(("not created (looked up)", self.not_created));
            }
            lines.push(("unknown (sent, no answer)", self.unknown));
        }
        lines.push(("invalid", self.invalid));
        for (label, n) in lines {
            println!("  {label:<26}{n:>8}");
        }
        if !self.dry_run && self.calls > 0 {
            println!(
                "  {} calls ({} chunk retries, {} throttled) in {:.1}s, {:.0} users/s",
                self.calls,
                self.chunk_retries,
                self.throttled,
                self.elapsed.as_secs_f64(),
                self.users_per_second()
            );
        }
        if self.cancelled {
            println!(
                "  interrupted: rows never sent are not attempted; rows whose calls were in flight \
                 are unknown"
            );
        }
        if let Some(reason) = &self.stop_reason {
            println!("  stopped: {}", OneLine(reason));
        }
        if let Some(note) = &self.lookup_note {
            println!("  {note}");
        }
        if self.settled_earlier > 0 {
            println!(
                "  resumed: {} rows kept the outcome of the earlier run",
                self.settled_earlier
            );
        }
        if let Some(job_id) = &self.job_id {
            if self.unknown + self.not_attempted + self.not_created > 0
                && self.report_file.is_some()
            {
                println!("  job {job_id}: run the same command with --resume to continue it");
            }
        }
        let limit = if self.report_file.is_some() {
            LISTED_WITH_REPORT
        } else {
            usize::MAX
        };
        let listed: Vec<String> = self
            .problems
            .iter()
            .map(ToString::to_string)
            .chain(self.unsuccessful.iter().map(|r| {
                format!(
                    "line {}: {} {}: {}",
                    r.line,
                    r.username,
                    r.outcome.as_str(),
                    OneLine(&r.reason)
                )
            }))
            .collect();
        for line in listed.iter().take(limit) {
            println!("  {line}");
        }
        if listed.len() > limit {
            println!("  ... and {} more", listed.len() - limit);
        }
        if let Some(path) = &self.report_file {
            println!("  report: {}", path.display());
        }
    }

    pub fn print_json(&self) -> Result<(), String> {
        let problems: Vec<ProblemJson<'_>> = self
            .problems
            .iter()
            .map(|p| ProblemJson {
                line: p.line,
                field: &p.field,
                message: &p.message,
            })
            .collect();
        let doc = serde_json::json!({
            "networkId": self.network_id,
            "file": self.file.display().to_string(),
            "dryRun": self.dry_run,
            "rows": self.rows,
            "created": self.created,
            "alreadyExisted": self.already_existed,
            "failed": self.failed,
            "notAttempted": self.not_attempted,
            "unknown": self.unknown,
            "present": self.present,
            "notCreated": self.not_created,
            "invalid": self.invalid,
            "valid": self.valid,
            "calls": self.calls,
            "chunkRetries": self.chunk_retries,
            "throttled": self.throttled,
            "cancelled": self.cancelled,
            "stopReason": self.stop_reason,
            "jobId": self.job_id,
            "settledEarlier": self.settled_earlier,
            "lookupNote": self.lookup_note,
            "elapsedSeconds": self.elapsed.as_secs_f64(),
            "problems": problems,
            "unsuccessful": self.unsuccessful,
            "report": self.report_file.as_ref().map(|p| p.display().to_string()),
        });
        let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
        println!("{text}");
        Ok(())
    }
}
