//! `wickr-admin users import`: check the file, run the bulk job, write the report and summary.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use wickr_admin::bulk::{BulkReport, CancelToken, NewUser, Outcome as JobOutcome, Progress};
use wickr_admin::Client;

use crate::cli::{ImportArgs, OutputFormat};
use crate::input::{self, Defaults, Entry, Input, Problem, Row};
use crate::report::{Outcome, ReportRow, ReportWriter};
use crate::summary::Summary;

/// Exit codes of the import command.
pub const EXIT_OK: u8 = 0;
pub const EXIT_SOME_FAILED: u8 = 1;
pub const EXIT_BAD_INPUT: u8 = 2;

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
                format!("{sg:?} is not a security group id (one id, no spaces)"),
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
        option_problems,
    })
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

/// Whether the checked input may be sent.
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

/// Runs the import after the checks; returns the exit code.
pub async fn run(
    args: &ImportArgs,
    checked: Checked,
    target: Option<Target>,
) -> Result<u8, String> {
    let started = Instant::now();
    // The report file is opened before anything is sent: a path that cannot be written must not
    // leave users created with no record of what happened to them.
    let mut report_error: Option<String> = None;
    let mut writer = match &args.report {
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
    let Checked {
        input,
        network_id,
        option_problems,
    } = checked;
    let blocked = !option_problems.is_empty()
        || !input.file_problems.is_empty()
        || (input.invalid_count() > 0 && !args.skip_invalid);

    let mut summary = Summary::new(&network_id, &args.file, args.dry_run);
    summary.problems = option_problems
        .iter()
        .chain(input.problems())
        .cloned()
        .collect();
    summary.rows = input.entries.len() as u64;
    summary.blocked = blocked;
    summary.invalid = input.invalid_count() as u64;

    let job = match (&target, blocked || args.dry_run) {
        (Some(target), false) => {
            let valid = input.valid_rows().count() as u64;
            Some(send(target, &input, valid, args).await)
        }
        _ => None,
    };

    // One report row per input entry, in file order.
    let mut outcomes = job.as_ref().map(|r| r.iter());
    for entry in &input.entries {
        let row = match entry {
            Entry::Invalid(rejected) => ReportRow {
                line: rejected.line,
                username: rejected.username.as_deref().unwrap_or(""),
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
            Entry::Valid(row) => {
                let outcome = outcomes.as_mut().and_then(Iterator::next);
                report_row(row, outcome, blocked, args.dry_run)
            }
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
    }
    summary.elapsed = started.elapsed();
    summary.report_file = args.report.clone();
    match args.output {
        OutputFormat::Table => summary.print_table(),
        OutputFormat::Json => summary.print_json()?,
    }
    if let Some(e) = report_error {
        return Err(format!("the report file is incomplete: {e}"));
    }
    Ok(if blocked {
        EXIT_BAD_INPUT
    } else if args.dry_run {
        if summary.invalid == 0 {
            EXIT_OK
        } else {
            EXIT_SOME_FAILED
        }
    } else if summary.all_present() {
        EXIT_OK
    } else {
        EXIT_SOME_FAILED
    })
}

fn report_row<'a>(
    row: &'a Row,
    outcome: Option<JobOutcome<'a>>,
    blocked: bool,
    dry_run: bool,
) -> ReportRow<'a> {
    let mut out = ReportRow {
        line: row.line,
        username: &row.username,
        outcome: Outcome::NotAttempted,
        user_id: None,
        invite_code: None,
        reason: None,
    };
    match outcome {
        None if blocked => {
            out.reason = Some(
                "not sent: other rows are invalid (fix them, or pass --skip-invalid)".to_string(),
            )
        }
        None if dry_run => out.outcome = Outcome::Valid,
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
        Some(JobOutcome::Unknown { error }) => {
            out.outcome = Outcome::Unknown;
            out.reason = Some(error.to_string());
        }
    }
    out
}

/// Runs the bulk job over the valid rows with a progress display and Ctrl-C handling.
async fn send(target: &Target, input: &Input, total: u64, args: &ImportArgs) -> BulkReport {
    let cancel = CancelToken::new();
    let on_signal = cancel.clone();
    let signal_task = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("interrupted: finishing the calls in flight, sending nothing new");
            on_signal.cancel();
        }
    });
    let display = ProgressDisplay::new(total);
    let bar = display.bar.clone();
    let users = input.valid_rows().map(new_user);
    let mut job = target
        .client
        .bulk_create_users(target.network_id.clone())
        .users(users)
        .concurrency(u32::from(args.concurrency))
        .cancel_token(cancel)
        .on_progress(move |p| display.update(p));
    if let Some(sg) = &target.default_security_group {
        job = job.default_security_group(sg.clone());
    }
    let report = job.send().await;
    signal_task.abort();
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    report
}

/// A progress bar on a terminal; otherwise a short line now and then.
struct ProgressDisplay {
    total: u64,
    bar: Option<ProgressBar>,
    /// When the last line was printed, and how many users were done then.
    last_line: Mutex<Option<(Instant, u64)>>,
}

impl ProgressDisplay {
    fn new(total: u64) -> Self {
        let bar = if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(total);
            let style = ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} users ({per_sec}, eta {eta}) {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(200));
            Some(bar)
        } else {
            None
        };
        Self {
            total,
            bar,
            last_line: Mutex::new(None),
        }
    }

    fn update(&self, p: &Progress) {
        let done = p.counts.done();
        if let Some(bar) = &self.bar {
            bar.set_position(done);
            bar.set_message(format!(
                "created {}, existing {}, failed {}{}",
                p.counts.created,
                p.counts.already_existed,
                p.counts.failed + p.counts.not_attempted + p.counts.unknown,
                if p.throttled > 0 {
                    format!(
                        ", throttled {} (concurrency {})",
                        p.throttled, p.concurrency
                    )
                } else {
                    String::new()
                }
            ));
            return;
        }
        let Ok(mut last) = self.last_line.lock() else {
            return;
        };
        let now = Instant::now();
        let (due, finished) = match *last {
            None => (true, done == self.total),
            Some((at, printed)) => (
                now.duration_since(at) >= Duration::from_secs(2) && done > printed,
                done == self.total && printed != done,
            ),
        };
        if due || finished {
            *last = Some((now, done));
            eprintln!(
                "progress: {done}/{} users (created {}, existing {}, failed {}, not attempted {}, \
                 unknown {})",
                self.total,
                p.counts.created,
                p.counts.already_existed,
                p.counts.failed,
                p.counts.not_attempted,
                p.counts.unknown
            );
        }
    }
}
