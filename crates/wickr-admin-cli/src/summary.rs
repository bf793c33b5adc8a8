//! The summary printed at the end of an import, as a table or as JSON.
//!
//! Its lists (problems of the input, rows that did not end well) may be as long as the input;
//! they are kept in lists that spill to scratch files, and printed from there.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;
use wickr_admin::error::OneLine;

use crate::console::say;
use crate::input::Problem;
use crate::report::{Outcome, ReportRow};
use crate::spill::Spill;
use crate::unsuccessful::{Listing, UnsuccessfulRow};

/// Totals of an import.
#[derive(Debug)]
pub struct Summary {
    pub network_id: String,
    pub file: PathBuf,
    pub dry_run: bool,
    /// Nothing was sent because of invalid input.
    pub blocked: bool,
    /// The file has problems of its own (its header, its encoding, a line too long): no row of
    /// it is used, so the counts are all zero.
    pub file_unusable: bool,
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
    /// The most calls the job ran at once (its own choice unless `--concurrency` capped it).
    pub max_calls_at_once: u32,
    pub cancelled: bool,
    pub stop_reason: Option<String>,
    /// The job's id (to resume it), when something was sent.
    pub job_id: Option<String>,
    /// Rows whose outcome was settled by an earlier run of the job (`--resume`).
    pub settled_earlier: u64,
    /// Why rows sent without an answer were not all looked up.
    pub lookup_note: Option<String>,
    pub elapsed: Duration,
    pub problems: Spill<Problem>,
    pub unsuccessful: Spill<UnsuccessfulRow>,
    pub report_file: Option<PathBuf>,
}

impl Summary {
    pub fn new(network_id: &str, file: &Path, dry_run: bool) -> Self {
        Self {
            network_id: network_id.to_string(),
            file: file.to_path_buf(),
            dry_run,
            blocked: false,
            file_unusable: false,
            rows: 0,
            created: 0,
            already_existed: 0,
            failed: 0,
            not_attempted: 0,
            unknown: 0,
            present: 0,
            not_created: 0,
            invalid: 0,
            valid: 0,
            calls: 0,
            chunk_retries: 0,
            throttled: 0,
            max_calls_at_once: 0,
            cancelled: false,
            stop_reason: None,
            job_id: None,
            settled_earlier: 0,
            lookup_note: None,
            elapsed: Duration::ZERO,
            problems: Spill::new("problems"),
            unsuccessful: Spill::new("unsuccessful"),
            report_file: None,
        }
    }

    /// Adds one report row to the totals.
    pub fn count(&mut self, row: &ReportRow<'_>) -> Result<(), String> {
        match row.outcome {
            Outcome::Created => self.created += 1,
            Outcome::AlreadyExisted => self.already_existed += 1,
            Outcome::Valid => self.valid += 1,
            Outcome::Invalid => {}
            Outcome::Failed => {
                self.failed += 1;
                self.unsuccessful.push(row.into())?;
            }
            Outcome::NotAttempted => {
                self.not_attempted += 1;
                if !self.blocked {
                    self.unsuccessful.push(row.into())?;
                }
            }
            Outcome::Unknown => {
                self.unknown += 1;
                self.unsuccessful.push(row.into())?;
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
            | Outcome::LeftAlone => self.unsuccessful.push(row.into())?,
            Outcome::NotCreated => {
                self.not_created += 1;
                self.unsuccessful.push(row.into())?;
            }
        }
        Ok(())
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

    /// Makes the lists readable; call before printing.
    pub fn flush(&mut self) -> Result<(), String> {
        self.problems.flush()?;
        self.unsuccessful.flush()
    }

    pub fn print_table(&self) -> Result<(), String> {
        let title = if self.dry_run { "Dry run" } else { "Import" };
        say!(
            "{title} of {} into network {}: {} rows",
            self.file.display(),
            if self.network_id.is_empty() {
                "-"
            } else {
                &self.network_id
            },
            self.rows
        )?;
        if self.file_unusable {
            say!("  no row is used: the file's problems below keep every row from being read")?;
        } else if self.rows == 0 {
            say!("  the file has no rows: nothing to do")?;
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
            say!("  {label:<26}{n:>8}")?;
        }
        if !self.dry_run && self.calls > 0 {
            say!(
                "  {} calls ({} chunk retries, {} throttled; up to {} at once) in {:.1}s, {:.0} \
                 users/s",
                self.calls,
                self.chunk_retries,
                self.throttled,
                self.max_calls_at_once,
                self.elapsed.as_secs_f64(),
                self.users_per_second()
            )?;
        }
        if self.cancelled {
            say!(
                "  interrupted: rows never sent are not attempted; rows whose calls were in flight \
                 are unknown"
            )?;
        }
        if let Some(reason) = &self.stop_reason {
            say!("  stopped: {}", OneLine(reason))?;
        }
        if let Some(note) = &self.lookup_note {
            say!("  {note}")?;
        }
        if self.settled_earlier > 0 {
            say!(
                "  resumed: {} rows kept the outcome of the earlier run",
                self.settled_earlier
            )?;
        }
        if let Some(job_id) = &self.job_id {
            if self.unknown + self.not_attempted + self.not_created > 0
                && self.report_file.is_some()
            {
                say!("  job {job_id}: run the same command with --resume to continue it")?;
            }
        }
        let mut listing = Listing::new(self.report_file.is_some());
        self.problems.visit(|p| listing.show(p))?;
        listing.rows(&self.unsuccessful)?;
        listing.end()?;
        if let Some(path) = &self.report_file {
            say!("  report: {}", path.display())?;
        }
        Ok(())
    }

    pub fn print_json(&self) -> Result<(), String> {
        // Keys in alphabetical order; the lists are written out as they are read.
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Document<'a> {
            already_existed: u64,
            calls: u64,
            cancelled: bool,
            chunk_retries: u64,
            created: u64,
            dry_run: bool,
            elapsed_seconds: f64,
            failed: u64,
            file: String,
            invalid: u64,
            job_id: &'a Option<String>,
            lookup_note: &'a Option<String>,
            max_calls_at_once: u32,
            network_id: &'a str,
            not_attempted: u64,
            not_created: u64,
            present: u64,
            problems: &'a Spill<Problem>,
            report: Option<String>,
            rows: u64,
            settled_earlier: u64,
            stop_reason: &'a Option<String>,
            throttled: u64,
            unknown: u64,
            unsuccessful: &'a Spill<UnsuccessfulRow>,
            valid: u64,
        }
        let doc = Document {
            already_existed: self.already_existed,
            calls: self.calls,
            cancelled: self.cancelled,
            chunk_retries: self.chunk_retries,
            created: self.created,
            dry_run: self.dry_run,
            elapsed_seconds: self.elapsed.as_secs_f64(),
            failed: self.failed,
            file: self.file.display().to_string(),
            invalid: self.invalid,
            job_id: &self.job_id,
            lookup_note: &self.lookup_note,
            max_calls_at_once: self.max_calls_at_once,
            network_id: &self.network_id,
            not_attempted: self.not_attempted,
            not_created: self.not_created,
            present: self.present,
            problems: &self.problems,
            report: self.report_file.as_ref().map(|p| p.display().to_string()),
            rows: self.rows,
            settled_earlier: self.settled_earlier,
            stop_reason: &self.stop_reason,
            throttled: self.throttled,
            unknown: self.unknown,
            unsuccessful: &self.unsuccessful,
            valid: self.valid,
        };
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        serde_json::to_writer_pretty(&mut out, &doc).map_err(crate::console::failed)?;
        out.write_all(b"\n")
            .and_then(|()| out.flush())
            .map_err(crate::console::failed)
    }
}
