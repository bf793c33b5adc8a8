//! `wickr-admin users import`: check the file, run the bulk job (or continue one with `--resume`),
//! look up users whose calls got no answer, write the report and the summary.

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use wickr_admin::bulk::{
    find_users, new_job_id, BulkReport, CancelToken, Found, Lookups, NewUser, Outcome as JobOutcome,
};
use wickr_admin::Client;

use crate::cli::{ImportArgs, OutputFormat};
use crate::input::{self, Defaults, Entry, Input, Problem, Row};
use crate::progress::ProgressDisplay;
use crate::report::{read_report, EarlierRow, Outcome, ReportRow, ReportWriter};
use crate::resume::ResumeFile;
use crate::signals::Interrupts;
use crate::summary::Summary;

/// Exit codes of the import command.
pub const EXIT_OK: u8 = 0;
/// Some rows are not in the network, and the report says why (failed, not attempted, not
/// created, invalid and skipped).
pub const EXIT_SOME_FAILED: u8 = 1;
/// Nothing was sent: the input or the options are wrong.
pub const EXIT_BAD_INPUT: u8 = 2;
/// Some rows were sent without a definitive answer that a look-up could settle: their users may
/// or may not exist.
pub const EXIT_UNKNOWN: u8 = 3;

/// Where to send the users, once the connection is known.
pub struct Target {
    pub client: Client,
    pub network_id: String,
    pub default_security_group: Option<String>,
}

/// What the import needs before it may connect: the file checked and the options resolved.
pub struct Checked {
    pub input: Input,
    pub network_id: String,
    pub default_security_group: Option<String>,
    /// Problems with options (line 0).
    pub option_problems: Vec<Problem>,
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
        }
    }
    let defaults = Defaults {
        security_group_id: default_security_group.map(str::to_string),
    };
    let mut input = input::read_path(&args.file, &defaults)?;
    // The model's own checks, the ones a call would run, on every row the file layer accepted,
    // whatever is wrong with the options: every problem is listed in one go.
    for entry in &mut input.entries {
        if let Entry::Valid(row) = entry {
            if let Err((field, reason)) = wickr_admin::bulk::check_user(&new_user(row), None) {
                let field = if field.is_empty() {
                    "row".to_string()
                } else {
                    field
                };
                *entry = Entry::Invalid(input::Rejected {
                    line: row.line,
                    username: Some(row.username.clone()),
                    problems: vec![Problem::new(row.line, field, reason)],
                });
            }
        }
    }
    Ok(Checked {
        input,
        network_id,
        default_security_group: default_security_group.map(str::to_string),
        option_problems,
    })
}

/// Whether two paths name the same existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    if a.as_os_str() == "-" || b.as_os_str() == "-" {
        return false;
    }
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

pub fn new_user(row: &Row) -> NewUser {
    let mut user = NewUser::new(row.username.clone());
    if let Some(v) = &row.first_name {
        user = user.first_name(v.clone());
    }
    if let Some(v) = &row.last_name {
        user = user.last_name(v.clone());
    }
    if let Some(v) = &row.security_group_id {
        user = user.security_group_id(v.clone());
    }
    if let Some(v) = &row.invite_code {
        user = user.invite_code(v.clone());
    }
    if let Some(v) = row.invite_code_ttl {
        user = user.invite_code_ttl(v);
    }
    if let Some(v) = row.code_validation {
        user = user.code_validation(v);
    }
    user
}

/// Whether the checked input may not be sent.
pub fn blocking_problems(checked: &Checked, args: &ImportArgs) -> bool {
    !checked.option_problems.is_empty()
        || !checked.input.file_problems.is_empty()
        || (checked.input.invalid_count() > 0 && !args.skip_invalid)
}

/// Prints every problem on standard error.
pub fn print_problems(checked: &Checked) {
    for problem in checked
        .option_problems
        .iter()
        .chain(checked.input.problems())
    {
        eprintln!("error: {problem}");
    }
}

/// The earlier run of a resumed job: its id, and the rows it settled, by line.
struct Earlier {
    job_id: String,
    settled: HashMap<u64, EarlierRow>,
}

impl Earlier {
    /// Reads the resume file and the report of the job `--resume` continues, and checks that it is
    /// this job. Rows the earlier report settled (the user is in the network, or the service
    /// refused it) keep their outcome; rows missing from it, not sent, not created or unknown
    /// are sent again.
    fn read(report: &Path, this_job: &ResumeFile) -> Result<Self, String> {
        let recorded = ResumeFile::read(&ResumeFile::path_for(report))?;
        recorded.check_same_job(this_job)?;
        let rows = if report.exists() {
            read_report(report)?
        } else {
            Vec::new()
        };
        let settled = rows
            .into_iter()
            .filter(|row| row.outcome.is_present() || row.outcome == Outcome::Failed)
            .map(|row| (row.line, row))
            .collect();
        Ok(Self {
            job_id: recorded.job_id,
            settled,
        })
    }

    fn has(&self, row: &Row) -> bool {
        self.settled
            .get(&row.line)
            .is_some_and(|earlier| earlier.username == row.username)
    }
}

/// Runs the import after the checks; returns the exit code.
pub async fn run(
    args: &ImportArgs,
    checked: Checked,
    target: Option<Target>,
) -> Result<u8, String> {
    let started = Instant::now();
    let blocked = blocking_problems(&checked, args);
    let Checked {
        input,
        network_id,
        default_security_group,
        option_problems,
    } = checked;
    let target = target.filter(|_| !blocked && !args.dry_run);
    // A report path that is the input file is refused (an option problem), and never opened;
    // the report of a job --resume would continue is not replaced unless the job runs.
    let report_path = args
        .report
        .as_deref()
        .filter(|p| !same_file(p, &args.file))
        .filter(|_| !args.resume || target.is_some());

    // The job this run belongs to: a new one, or the one --resume continues.
    let this_job = ResumeFile::new(
        new_job_id(),
        &network_id,
        default_security_group.as_deref(),
        input.sha256.as_deref().unwrap_or(""),
    );
    let earlier = match (report_path, args.resume && target.is_some()) {
        (Some(report), true) => match Earlier::read(report, &this_job) {
            Ok(earlier) => Some(earlier),
            Err(e) => {
                eprintln!("error: {e}");
                eprintln!("nothing was sent");
                return Ok(EXIT_BAD_INPUT);
            }
        },
        _ => None,
    };
    let job_id = earlier
        .as_ref()
        .map_or(this_job.job_id.clone(), |e| e.job_id.clone());

    // The report is opened, and the job's id recorded beside it, before anything is sent: a path
    // that cannot be written must not leave users created with no record of what happened.
    let mut writer = match report_path {
        Some(path) => match ReportWriter::create(path) {
            Ok(writer) => Some(writer),
            Err(e) => {
                eprintln!("error: --report: {e}");
                eprintln!("nothing was sent");
                return Ok(EXIT_BAD_INPUT);
            }
        },
        None => None,
    };
    if let (Some(path), Some(_)) = (report_path, &target) {
        let record = ResumeFile {
            job_id: job_id.clone(),
            ..this_job.clone()
        };
        if let Err(e) = record.write(&ResumeFile::path_for(path)) {
            eprintln!("error: --report: {e}");
            eprintln!("nothing was sent");
            return Ok(EXIT_BAD_INPUT);
        }
    }

    let mut summary = Summary::new(&network_id, &args.file, args.dry_run);
    summary.problems = option_problems
        .iter()
        .chain(input.problems())
        .cloned()
        .collect();
    summary.rows = input.entries.len() as u64;
    summary.blocked = blocked;
    summary.invalid = input.invalid_count() as u64;

    let is_sent = |row: &Row| earlier.as_ref().is_none_or(|e| !e.has(row));
    let interrupts = target.as_ref().map(|_| Interrupts::watch());
    let job = match (&target, &interrupts) {
        (Some(target), Some(interrupts)) => {
            let rows: Vec<&Row> = input.valid_rows().filter(|row| is_sent(row)).collect();
            Some(send(target, &rows, args, &job_id, interrupts.token()).await)
        }
        _ => None,
    };

    // Users sent without an answer: the network says whether they are there now.
    let mut lookups = Lookups::default();
    if let (Some(report), Some(target), Some(interrupts)) = (&job, &target, &interrupts) {
        let unknown: Vec<String> = input
            .valid_rows()
            .filter(|row| is_sent(row))
            .zip(report.iter())
            .filter(|(_, outcome)| matches!(outcome, JobOutcome::Unknown { .. }))
            .map(|(row, _)| row.username.clone())
            .collect();
        if !unknown.is_empty() {
            if report.cancelled() {
                summary.lookup_note =
                    Some("not looked up (interrupted): unknown rows stay unknown".into());
            } else if report.stop_reason().is_some() {
                summary.lookup_note =
                    Some("not looked up (the job stopped): unknown rows stay unknown".into());
            } else {
                lookups = find_users(
                    &target.client,
                    &target.network_id,
                    &unknown,
                    &interrupts.token(),
                )
                .await;
                if let Some(why) = &lookups.stopped {
                    summary.lookup_note = Some(format!(
                        "look-ups stopped ({why}): rows not looked up stay unknown"
                    ));
                }
            }
        }
    }
    drop(interrupts);

    // One report row per input entry, in file order.
    let mut report_error: Option<String> = None;
    let mut outcomes = job.as_ref().map(BulkReport::iter);
    for entry in &input.entries {
        let row = match entry {
            Entry::Invalid(rejected) => ReportRow {
                line: rejected.line,
                username: rejected.username.as_deref().unwrap_or(""),
                action: None,
                outcome: Outcome::Invalid,
                user_id: None,
                invite_code: None,
                reason: Some(
                    rejected
                        .problems
                        .iter()
                        .map(|p| format!("{}: {}", p.field, p.message))
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            },
            Entry::Valid(row) => match earlier.as_ref().and_then(|e| e.settled.get(&row.line)) {
                Some(earlier_row) if !is_sent(row) => {
                    summary.settled_earlier += 1;
                    ReportRow {
                        line: row.line,
                        username: &row.username,
                        action: None,
                        outcome: earlier_row.outcome,
                        user_id: earlier_row.user_id.as_deref(),
                        invite_code: earlier_row.invite_code.as_deref(),
                        reason: earlier_row.reason.clone(),
                    }
                }
                _ => {
                    let outcome = outcomes.as_mut().and_then(Iterator::next);
                    report_row(row, outcome, &lookups, blocked, args.dry_run)
                }
            },
        };
        summary.count(&row);
        // A report that fails part-way must not hide what was already created: keep the first
        // error, stop writing, and still print the summary before reporting it.
        if let Some(writer) = writer.as_mut() {
            if let Err(e) = writer.write(&row) {
                report_error = Some(e);
            }
        }
        if report_error.is_some() {
            writer = None;
        }
    }
    if let Some(writer) = writer {
        if let Err(e) = writer.finish() {
            report_error.get_or_insert(e);
        }
    }
    if let Some(report) = &job {
        summary.calls = report.stats().calls;
        summary.chunk_retries = report.stats().chunk_retries;
        summary.throttled = report.stats().throttled;
        summary.cancelled = report.cancelled();
        summary.stop_reason = report.stop_reason().map(str::to_string);
        summary.job_id = Some(job_id);
    }
    summary.elapsed = started.elapsed();
    summary.report_file = report_path.map(Path::to_path_buf);
    match args.output {
        OutputFormat::Table => summary.print_table(),
        OutputFormat::Json => summary.print_json()?,
    }
    if let Some(e) = report_error {
        return Err(format!("the report file is incomplete: {e}"));
    }
    Ok(exit_code(&summary))
}

fn exit_code(summary: &Summary) -> u8 {
    if summary.blocked {
        EXIT_BAD_INPUT
    } else if summary.dry_run {
        if summary.invalid == 0 {
            EXIT_OK
        } else {
            EXIT_SOME_FAILED
        }
    } else if summary.unknown > 0 {
        EXIT_UNKNOWN
    } else if summary.all_present() {
        EXIT_OK
    } else {
        EXIT_SOME_FAILED
    }
}

fn report_row<'a>(
    row: &'a Row,
    outcome: Option<JobOutcome<'a>>,
    lookups: &'a Lookups,
    blocked: bool,
    dry_run: bool,
) -> ReportRow<'a> {
    let mut out = ReportRow {
        line: row.line,
        username: &row.username,
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
        None if blocked => {
            out.reason = Some(
                "not sent: other rows are invalid (fix them, or pass --skip-invalid)".to_string(),
            )
        }
        None => out.reason = Some("not sent".to_string()),
        Some(JobOutcome::Created {
            user_id,
            invite_code,
        }) => {
            out.outcome = Outcome::Created;
            out.user_id = user_id;
            out.invite_code = invite_code;
            if user_id.is_none() {
                out.reason = Some(
                    "created, but the service's answer did not include its userId".to_string(),
                );
            }
        }
        Some(JobOutcome::AlreadyExisted { user_id }) => {
            out.outcome = Outcome::AlreadyExisted;
            out.user_id = user_id;
        }
        Some(JobOutcome::Failed { field, reason }) => {
            out.outcome = Outcome::Failed;
            out.reason = Some(match field {
                Some(field) if !field.is_empty() => format!("{field}: {reason}"),
                _ => reason.to_string(),
            });
        }
        Some(JobOutcome::NotAttempted { error }) => {
            out.reason = Some(error.to_string());
        }
        Some(JobOutcome::Unknown { error }) => match lookups.found.get(&row.username) {
            Some(Found::Present { user_id }) => {
                out.outcome = Outcome::Present;
                out.user_id = user_id.as_deref();
                out.reason = Some(format!(
                    "no definitive answer ({error}); ListUsers finds the user: this import \
                     created it, or it was already there"
                ));
            }
            Some(Found::Absent) => {
                out.outcome = Outcome::NotCreated;
                out.reason = Some(format!(
                    "no definitive answer ({error}); ListUsers does not find the user: it was \
                     not created"
                ));
            }
            None => {
                out.outcome = Outcome::Unknown;
                out.reason = Some(error.to_string());
            }
        },
    }
    out
}

/// Runs the bulk job over `rows` with a progress display; `cancel` is the interruptions' token.
async fn send(
    target: &Target,
    rows: &[&Row],
    args: &ImportArgs,
    job_id: &str,
    cancel: CancelToken,
) -> BulkReport {
    let display = std::sync::Arc::new(ProgressDisplay::new(rows.len() as u64, "users"));
    let shown = display.clone();
    let users = rows.iter().map(|row| new_user(row));
    let mut job = target
        .client
        .bulk_create_users(target.network_id.clone())
        .users(users)
        .concurrency(u32::from(args.concurrency))
        .job_id(job_id)
        .cancel_token(cancel)
        .on_progress(move |p| shown.update(p));
    if let Some(sg) = &target.default_security_group {
        job = job.default_security_group(sg.clone());
    }
    let report = job.send().await;
    display.finish();
    report
}
