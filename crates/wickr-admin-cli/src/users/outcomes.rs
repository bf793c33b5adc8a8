//! What an action or a sync did, row by row: the report file, the counts per outcome, the rows
//! that did not end as asked, and the summary printed at the end (a table or JSON).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use wickr_admin::bulk::{
    ActionOutcome, ActionReport, CallStats, Outcome as CreateOutcome, UserAction,
};
use wickr_admin::error::OneLine;

use crate::cli::OutputFormat;
use crate::console::say;
use crate::console::tell;
use crate::report::{Outcome, ReportRow, ReportWriter};
use crate::spill::Spill;
use crate::unsuccessful::{Listing, UnsuccessfulRow};

/// The outcome a user-action job's answer gives a row, with its reason.
pub fn action_outcome(action: UserAction, outcome: ActionOutcome<'_>) -> (Outcome, Option<String>) {
    let done = match action {
        UserAction::Delete => Outcome::Deleted,
        UserAction::Suspend => Outcome::Suspended,
        UserAction::Unsuspend => Outcome::Unsuspended,
        UserAction::Reinvite => Outcome::Reinvited,
        UserAction::ResetDevices => Outcome::DevicesReset,
    };
    let not_found = if action == UserAction::Delete {
        "the network has no user with this id: it is gone (deleted earlier, or never there)"
    } else {
        "the network has no user with this id"
    };
    outcome_of(done, not_found, outcome)
}

/// The outcome a create job's answer gives a row, with the user's id, its invite code and the
/// reason.
pub fn create_outcome(
    answer: CreateOutcome<'_>,
) -> (Outcome, Option<&str>, Option<&str>, Option<String>) {
    match answer {
        CreateOutcome::Created {
            user_id,
            invite_code,
        } => {
            let reason = user_id
                .is_none()
                .then(|| "created, but the service's answer did not include its userId".into());
            (Outcome::Created, user_id, invite_code, reason)
        }
        CreateOutcome::AlreadyExisted { user_id } => (Outcome::AlreadyExisted, user_id, None, None),
        CreateOutcome::Failed { field, reason } => (
            Outcome::Failed,
            None,
            None,
            Some(match field {
                Some(field) if !field.is_empty() => format!("{field}: {reason}"),
                _ => reason.to_string(),
            }),
        ),
        CreateOutcome::NotAttempted { error } => {
            (Outcome::NotAttempted, None, None, Some(error.to_string()))
        }
        CreateOutcome::Unknown { error } => (Outcome::Unknown, None, None, Some(error.to_string())),
    }
}

/// The outcome an answer gives a row: `done` when applied, with the reason `not_found` when the
/// network has no such user.
pub fn outcome_of(
    done: Outcome,
    not_found: &str,
    outcome: ActionOutcome<'_>,
) -> (Outcome, Option<String>) {
    match outcome {
        ActionOutcome::Applied { detail } => (done, detail.map(str::to_string)),
        ActionOutcome::NotFound => (Outcome::NotFound, Some(not_found.to_string())),
        ActionOutcome::Failed { field, reason } => (
            Outcome::Failed,
            Some(match field {
                Some(field) if !field.is_empty() => format!("{field}: {reason}"),
                _ => reason.to_string(),
            }),
        ),
        ActionOutcome::NotAttempted { error } => (Outcome::NotAttempted, Some(error.to_string())),
        ActionOutcome::Unknown { error } => (Outcome::Unknown, Some(error.to_string())),
    }
}

/// Counts and rows of a job, collected as its report is written.
pub struct Outcomes {
    /// The command, e.g. `delete` or `sync`.
    command: &'static str,
    network_id: String,
    file: PathBuf,
    counts: BTreeMap<&'static str, u64>,
    rows: u64,
    unknown: u64,
    /// Rows that did not end as asked.
    unsuccessful: Spill<UnsuccessfulRow>,
    /// The first error keeping that list.
    unsuccessful_error: Option<String>,
    writer: Option<ReportWriter>,
    report_error: Option<String>,
    report_file: Option<PathBuf>,
    stats: CallStats,
    cancelled: bool,
    stop_reason: Option<String>,
    job_ids: Vec<String>,
    /// More members of the JSON summary (sync's plan).
    attached: serde_json::Map<String, serde_json::Value>,
}

impl Outcomes {
    /// Starts collecting; opens the report file (with an `action` column when `with_action`).
    pub fn new(
        command: &'static str,
        network_id: &str,
        file: &Path,
        report: Option<&Path>,
        with_action: bool,
    ) -> Result<Self, String> {
        if let Some(path) = report.filter(|path| crate::report::same_file(path, file)) {
            return Err(format!(
                "--report: {} is the input file: the report would overwrite it; choose another \
                 path",
                path.display()
            ));
        }
        let writer = match report {
            Some(path) => Some(
                ReportWriter::create_with(path, with_action)
                    .map_err(|e| format!("--report: {e}"))?,
            ),
            None => None,
        };
        Ok(Self {
            command,
            network_id: network_id.to_string(),
            file: file.to_path_buf(),
            counts: BTreeMap::new(),
            rows: 0,
            unknown: 0,
            unsuccessful: Spill::new("unsuccessful"),
            unsuccessful_error: None,
            writer,
            report_error: None,
            report_file: report.map(Path::to_path_buf),
            stats: CallStats::default(),
            cancelled: false,
            stop_reason: None,
            job_ids: Vec::new(),
            attached: serde_json::Map::new(),
        })
    }

    /// Adds one row; `as_asked` says whether it ended as the command meant.
    pub fn add(&mut self, row: &ReportRow<'_>, as_asked: bool) {
        self.rows += 1;
        *self.counts.entry(row.outcome.as_str()).or_insert(0) += 1;
        if row.outcome == Outcome::Unknown {
            self.unknown += 1;
        }
        if !as_asked {
            if let Err(e) = self.unsuccessful.push(row.into()) {
                self.unsuccessful_error.get_or_insert(e);
            }
        }
        if let Some(writer) = self.writer.as_mut() {
            if let Err(e) = writer.write(row) {
                self.report_error = Some(e);
                self.writer = None;
            }
        }
    }

    /// Adds the facts of a job the command ran.
    pub fn add_job(&mut self, report: &ActionReport) {
        let stats = report.stats();
        self.stats.calls += stats.calls;
        self.stats.chunk_retries += stats.chunk_retries;
        self.stats.throttled += stats.throttled;
        self.cancelled |= report.cancelled();
        if let Some(reason) = report.stop_reason() {
            self.stop_reason.get_or_insert_with(|| reason.to_string());
        }
        self.job_ids.push(report.job_id().to_string());
    }

    /// Adds the facts of a create job.
    pub fn add_create_job(&mut self, report: &wickr_admin::bulk::BulkReport) {
        let stats = report.stats();
        self.stats.calls += stats.calls;
        self.stats.chunk_retries += stats.chunk_retries;
        self.stats.throttled += stats.throttled;
        self.cancelled |= report.cancelled();
        if let Some(reason) = report.stop_reason() {
            self.stop_reason.get_or_insert_with(|| reason.to_string());
        }
        self.job_ids.push(report.job_id().to_string());
    }

    /// Adds a member to the JSON summary.
    pub fn attach(&mut self, key: &str, value: serde_json::Value) {
        self.attached.insert(key.to_string(), value);
    }

    /// The exit code: unknown rows first (3), then rows not as asked (1), else 0.
    pub fn exit_code(&self) -> u8 {
        if self.unknown > 0 {
            super::EXIT_UNKNOWN
        } else if !self.unsuccessful.is_empty() {
            super::EXIT_SOME_FAILED
        } else {
            super::EXIT_OK
        }
    }

    /// Closes the report and prints the summary; returns the exit code (1 at least when the
    /// report could not be written whole).
    pub fn finish(mut self, output: OutputFormat, elapsed: Duration) -> u8 {
        if let Some(writer) = self.writer.take() {
            if let Err(e) = writer.finish() {
                self.report_error.get_or_insert(e);
            }
        }
        let code = self.exit_code();
        if let Err(e) = self.unsuccessful.flush() {
            self.unsuccessful_error.get_or_insert(e);
        }
        let printed = match output {
            OutputFormat::Table => self.print_table(elapsed),
            OutputFormat::Json => self.print_json(elapsed),
        };
        // The exit code says what is in the network, which a summary no one could read does not
        // change; the report file, when there is one, has every row.
        if let Err(e) = printed {
            tell!("error: the summary could not be shown: {e}");
        }
        if let Some(e) = self.unsuccessful_error.take() {
            tell!("error: {e}");
            return code.max(super::EXIT_SOME_FAILED);
        }
        if let Some(e) = &self.report_error {
            tell!("error: the report file is incomplete: {e}");
            return code.max(super::EXIT_SOME_FAILED);
        }
        code
    }

    fn print_table(&self, elapsed: Duration) -> Result<(), String> {
        say!(
            "{} of {} in network {}: {} rows",
            self.command,
            self.file.display(),
            self.network_id,
            self.rows
        )?;
        for (outcome, n) in &self.counts {
            say!("  {outcome:<26}{n:>8}")?;
        }
        if self.stats.calls > 0 {
            say!(
                "  {} calls ({} retries, {} throttled) in {:.1}s",
                self.stats.calls,
                self.stats.chunk_retries,
                self.stats.throttled,
                elapsed.as_secs_f64()
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
        let mut listing = Listing::new(self.report_file.is_some());
        listing.rows(&self.unsuccessful)?;
        listing.end()?;
        if let Some(path) = &self.report_file {
            say!("  report: {}", path.display())?;
        }
        Ok(())
    }

    fn print_json(&self, elapsed: Duration) -> Result<(), String> {
        /// The summary's members, with the list of unsuccessful rows written out as it is read.
        #[derive(serde::Serialize)]
        struct Document<'a> {
            #[serde(flatten)]
            members: serde_json::Map<String, serde_json::Value>,
            unsuccessful: &'a Spill<UnsuccessfulRow>,
        }
        let doc = serde_json::json!({
            "command": self.command,
            "networkId": self.network_id,
            "file": self.file.display().to_string(),
            "rows": self.rows,
            "outcomes": self.counts,
            "calls": self.stats.calls,
            "chunkRetries": self.stats.chunk_retries,
            "throttled": self.stats.throttled,
            "cancelled": self.cancelled,
            "stopReason": self.stop_reason,
            "jobIds": self.job_ids,
            "elapsedSeconds": elapsed.as_secs_f64(),
            "report": self.report_file.as_ref().map(|p| p.display().to_string()),
        });
        let mut members = match doc {
            serde_json::Value::Object(members) => members,
            _ => serde_json::Map::new(),
        };
        for (key, value) in &self.attached {
            members.insert(key.clone(), value.clone());
        }
        let doc = Document {
            members,
            unsuccessful: &self.unsuccessful,
        };
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        serde_json::to_writer_pretty(&mut out, &doc).map_err(crate::console::failed)?;
        out.write_all(b"\n")
            .and_then(|()| out.flush())
            .map_err(crate::console::failed)
    }
}
