//! The second reading of the users file: every row again, in file order, each becoming a place
//! in the bulk job's input (a user to send, or a row the job keeps a place for: invalid, or
//! settled by the earlier run of a resumed job) and, once its outcome is final, a row of the
//! report and of the summary's counts.
//!
//! The rows between the one read last and the one whose outcome came last are the only ones
//! held: as many as the job's reorder window (32,768), whatever the file's length.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::Read;
use std::rc::Rc;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use wickr_admin::bulk::{NewUser, Outcome as JobOutcome, Slot};

use super::check::{model_problem, Checked};
use super::earlier::EarlierCursor;
use super::into_new_user;
use crate::console::tell;
use crate::input::repeats::{self, RepeatCursor};
use crate::input::{Entry, Problem, Rows};
use crate::progress::ProgressDisplay;
use crate::report::{Outcome, ReportRow, ReportWriter};
use crate::report_reader::EarlierRow;
use crate::spill::{Spill, SpillReader};
use crate::summary::Summary;
use crate::users::outcomes::create_outcome;

/// A row whose call got no definitive answer, to be looked up after the job.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UnknownRow {
    pub line: u64,
    pub username: String,
}

/// A row read, waiting for its outcome. Every row between the oldest without one and the newest
/// sent waits here, thousands with many calls at once, so a row that was sent (nearly all of
/// them) takes 32 bytes, and the rarer kinds are boxed.
enum Placed {
    /// Sent to the job.
    Sent { line: u64, username: String },
    /// Not sent: it has problems.
    Invalid(Box<InvalidRow>),
    /// Settled by the earlier run of the job.
    Earlier(Box<EarlierRow>),
}

// A sent row's place stays this small (a line and a username).
const _: () = assert!(std::mem::size_of::<Placed>() <= 32);

/// A row not sent for its problems.
struct InvalidRow {
    line: u64,
    username: String,
    /// The problems' text.
    reason: String,
}

/// How a reading of the file ends up.
pub struct PassOptions {
    /// Rows with problems: print them (on standard error) and add them to the summary.
    pub list_problems: bool,
    /// Why nothing is sent, when the checks found problems that keep anything from being sent:
    /// the reason of every valid row.
    pub blocked: Option<&'static str>,
    pub dry_run: bool,
}

/// One reading of the file, shared by the job's input and its outcomes.
pub struct Pass<'a> {
    rows: Rows<Box<dyn Read>>,
    repeats: RepeatCursor<'a>,
    /// Lines the first reading found problems on: only those rows are checked against the
    /// model again (to name the problem), the others passed already.
    invalid_lines: SpillReader<'a, u64>,
    next_invalid: Option<u64>,
    earlier: Option<EarlierCursor>,
    pending: VecDeque<Placed>,
    options: PassOptions,
    writer: Option<ReportWriter>,
    pub summary: Summary,
    pub unknown: Spill<UnknownRow>,
    display: Option<Arc<ProgressDisplay>>,
    /// Rows the earlier run settled, read so far (for progress).
    pub settled_earlier: u64,
    /// The first error writing the report or a scratch list; the report is not written past it.
    pub error: Option<String>,
}

impl<'a> Pass<'a> {
    pub fn new(
        checked: &'a Checked,
        options: PassOptions,
        summary: Summary,
        writer: Option<ReportWriter>,
        earlier: Option<EarlierCursor>,
    ) -> Result<Self, String> {
        let source = checked.file.again()?;
        Ok(Self {
            rows: Rows::new(source, checked.file.path(), &checked.defaults()),
            repeats: RepeatCursor::new(&checked.repeats)?,
            invalid_lines: checked.invalid_lines.reader()?,
            next_invalid: None,
            earlier,
            pending: VecDeque::new(),
            options,
            writer,
            summary,
            unknown: Spill::new("unknown-rows"),
            display: None,
            settled_earlier: 0,
            error: None,
        })
    }

    /// Shows problems above this progress display.
    pub fn show_on(&mut self, display: Arc<ProgressDisplay>) {
        self.display = Some(display);
    }

    fn fail(&mut self, error: String) {
        self.error.get_or_insert(error);
        self.writer = None;
    }

    /// Problems with the file that appeared on this reading only (it changed, or could not be
    /// read again).
    pub fn file_problems(&self) -> &[Problem] {
        self.rows.file_problems()
    }

    /// The next row as a place of the job's input; `None` after the last.
    pub fn next_slot(&mut self) -> Option<Slot<NewUser>> {
        let entry = self.rows.next()?;
        let line = entry.line();
        let entry = match self.repeats.first_line_of(line) {
            Ok(Some(first)) => {
                let mut entry = entry;
                let username = entry.username().to_string();
                repeats::mark(&mut entry, &username, first);
                entry
            }
            Ok(None) => entry,
            Err(e) => {
                self.fail(e);
                entry
            }
        };
        let checked_before = match self.had_problems(line) {
            Ok(had) => had,
            Err(e) => {
                self.fail(e);
                true
            }
        };
        let entry = match entry {
            Entry::Valid(row) if !checked_before => Entry::Valid(row),
            Entry::Valid(row) => match model_problem(&row) {
                None => Entry::Valid(row),
                Some(problem) => Entry::Invalid(crate::input::Rejected {
                    line,
                    username: Some(row.username),
                    problems: vec![problem],
                }),
            },
            invalid => invalid,
        };
        match entry {
            Entry::Invalid(rejected) => {
                if self.options.list_problems {
                    for problem in &rejected.problems {
                        self.note(&format!("error: {problem}"));
                    }
                    for problem in rejected.problems.iter().cloned() {
                        if let Err(e) = self.summary.problems.push(problem) {
                            self.fail(e);
                        }
                    }
                }
                let reason = rejected
                    .problems
                    .iter()
                    .map(|p| format!("{}: {}", p.field, p.message))
                    .collect::<Vec<_>>()
                    .join("; ");
                self.pending.push_back(Placed::Invalid(Box::new(InvalidRow {
                    line,
                    username: rejected.username.unwrap_or_default(),
                    reason,
                })));
                Some(Slot::Skip)
            }
            Entry::Valid(row) => {
                let earlier = self
                    .earlier
                    .as_mut()
                    .and_then(|e| e.settled(line, &row.username));
                match earlier {
                    Some(earlier) => {
                        self.settled_earlier += 1;
                        self.pending.push_back(Placed::Earlier(Box::new(earlier)));
                        Some(Slot::Skip)
                    }
                    None => {
                        self.pending.push_back(Placed::Sent {
                            line,
                            username: row.username.clone(),
                        });
                        Some(Slot::Send(into_new_user(row)))
                    }
                }
            }
        }
    }

    /// Whether the first reading found a problem on `line` (asked in increasing order).
    fn had_problems(&mut self, line: u64) -> Result<bool, String> {
        loop {
            match self.next_invalid {
                Some(next) if next > line => return Ok(false),
                Some(next) if next == line => return Ok(true),
                _ => match self.invalid_lines.next_item()? {
                    Some(next) => self.next_invalid = Some(next),
                    None => {
                        self.next_invalid = Some(u64::MAX);
                        return Ok(false);
                    }
                },
            }
        }
    }

    fn note(&self, line: &str) {
        match self.display.as_ref().and_then(|d| d.bar.as_ref()) {
            Some(bar) => bar.println(line),
            None => tell!("{line}"),
        }
    }

    /// The outcome of the row read longest ago: the job's (`None` for a place it kept, or when
    /// nothing is sent). Writes its report row and counts it.
    pub fn take(&mut self, outcome: Option<JobOutcome<'_>>) {
        let Some(placed) = self.pending.pop_front() else {
            return;
        };
        let row = match &placed {
            Placed::Invalid(invalid) => {
                self.summary.invalid += 1;
                ReportRow {
                    line: invalid.line,
                    username: &invalid.username,
                    action: None,
                    outcome: Outcome::Invalid,
                    user_id: None,
                    invite_code: None,
                    reason: Some(invalid.reason.clone()),
                }
            }
            Placed::Earlier(earlier) => {
                self.summary.settled_earlier += 1;
                ReportRow {
                    line: earlier.line,
                    username: &earlier.username,
                    action: None,
                    outcome: earlier.outcome,
                    user_id: earlier.user_id.as_deref(),
                    invite_code: earlier.invite_code.as_deref(),
                    reason: earlier.reason.clone(),
                }
            }
            Placed::Sent { line, username } => {
                if let Some(JobOutcome::Unknown { .. }) = outcome {
                    let unknown = UnknownRow {
                        line: *line,
                        username: username.clone(),
                    };
                    if let Err(e) = self.unknown.push(unknown) {
                        self.error.get_or_insert(e);
                    }
                }
                report_row(
                    *line,
                    username,
                    outcome,
                    self.options.blocked,
                    self.options.dry_run,
                )
            }
        };
        self.summary.rows += 1;
        if let Err(e) = self.summary.count(&row) {
            self.error.get_or_insert(e);
        }
        // A report that fails part-way must not hide what was already created: keep the first
        // error, stop writing, and still print the summary before reporting it.
        if let Some(writer) = self.writer.as_mut() {
            if let Err(e) = writer.write(&row) {
                self.fail(e);
            }
        }
    }

    /// The report writer, once every row is written.
    pub fn finish(
        mut self,
    ) -> (
        Summary,
        Option<ReportWriter>,
        Spill<UnknownRow>,
        Option<String>,
    ) {
        let earlier_failed = self.earlier.as_mut().and_then(|e| e.failed.take());
        if let Some(e) = earlier_failed {
            self.error.get_or_insert(format!(
                "the earlier report became unreadable during the resumed job ({e}): rows after \
                 that point were sent again"
            ));
        }
        if let Err(e) = self.unknown.flush() {
            self.error.get_or_insert(e);
        }
        (self.summary, self.writer, self.unknown, self.error)
    }
}

impl Pass<'_> {
    /// Reads the whole file only to list its problems: no row is written or counted.
    pub fn list_problems_only(&mut self) {
        while self.next_slot().is_some() {
            self.pending.pop_front();
        }
    }
}

/// Reads the rest of the file after a job that stopped reading it (it was interrupted): every
/// row left is written as not sent, for `reason`.
pub fn rest_not_sent(pass: &mut Pass<'_>, reason: &str) {
    while let Some(slot) = pass.next_slot() {
        let outcome = match slot {
            Slot::Send(_) => Some(JobOutcome::NotAttempted { error: reason }),
            Slot::Skip => None,
        };
        pass.take(outcome);
    }
}

/// Reads the whole file with no job: every row is written as not sent (or valid, in a dry run).
pub fn without_job(pass: &mut Pass<'_>) {
    while pass.next_slot().is_some() {
        pass.take(None);
    }
}

/// The job's input: the rows of a pass, as places.
pub struct Slots<'a>(pub Rc<RefCell<Pass<'a>>>);

impl Iterator for Slots<'_> {
    type Item = Slot<NewUser>;

    fn next(&mut self) -> Option<Slot<NewUser>> {
        self.0.borrow_mut().next_slot()
    }
}

fn report_row<'a>(
    line: u64,
    username: &'a str,
    outcome: Option<JobOutcome<'a>>,
    blocked: Option<&'static str>,
    dry_run: bool,
) -> ReportRow<'a> {
    let mut out = ReportRow {
        line,
        username,
        action: None,
        outcome: Outcome::NotAttempted,
        user_id: None,
        invite_code: None,
        reason: None,
    };
    match outcome {
        // Nothing is sent in a dry run: a row that passed every check is valid, whatever the
        // other rows hold.
        None if dry_run => out.outcome = Outcome::Valid,
        None if blocked.is_some() => out.reason = blocked.map(str::to_string),
        None => out.reason = Some("not sent".to_string()),
        Some(answer) => {
            (out.outcome, out.user_id, out.invite_code, out.reason) = create_outcome(answer);
        }
    }
    out
}
