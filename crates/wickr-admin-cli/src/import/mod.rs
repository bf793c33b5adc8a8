//! `wickr-admin users import`: check the file, run the bulk job (or continue one with `--resume`),
//! look up users whose calls got no answer, write the report and the summary.
//!
//! The file is read twice and never held: the first reading (`check.rs`) checks every row before
//! anything is sent; the second (`rows.rs`) feeds the rows to the bulk job one at a time and
//! writes each report row as soon as its outcome and those before it are final. What grows with
//! the file lives in scratch files (`crate::spill`, `crate::external_sort`), so memory stays the
//! same from ten rows to millions.

mod check;
mod earlier;
mod input_file;
mod rows;
mod settle;

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

use wickr_admin::bulk::{new_job_id, BulkSummary, CancelToken, NewUser};
use wickr_admin::Client;

use crate::cli::{Connection, ImportArgs, OutputFormat};
use crate::console::tell;
use crate::input::Row;
use crate::progress::ProgressDisplay;
use crate::report::ReportWriter;
use crate::resume::ResumeFile;
use crate::sandbox::Local;
use crate::signals::Interrupts;
use crate::summary::Summary;
pub use check::Checked;
use earlier::Earlier;
use rows::{Pass, PassOptions, Slots};

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

pub fn new_user(row: &Row) -> NewUser {
    into_new_user(row.clone())
}

/// The user a row describes (export columns are not sent).
pub fn into_new_user(row: Row) -> NewUser {
    let mut user = NewUser::new(row.username);
    if let Some(v) = row.first_name {
        user = user.first_name(v);
    }
    if let Some(v) = row.last_name {
        user = user.last_name(v);
    }
    if let Some(v) = row.security_group_id {
        user = user.security_group_id(v);
    }
    if let Some(v) = row.invite_code {
        user = user.invite_code(v);
    }
    if let Some(v) = row.invite_code_ttl {
        user = user.invite_code_ttl(v);
    }
    if let Some(v) = row.code_validation {
        user = user.code_validation(v);
    }
    user
}

/// Runs `users import`: checks, connects unless the input is bad or it is a dry run, imports.
pub async fn command(connection: &Connection, local: Option<&Local>, args: &ImportArgs) -> u8 {
    let network_id = args
        .network_id
        .clone()
        .or_else(|| local.map(|l| l.network_id.clone()));
    let security_group = args
        .security_group_id
        .clone()
        .or_else(|| local.map(|l| l.security_group_id.clone()));
    let checked = match check::check(args, network_id.as_deref(), security_group.as_deref()) {
        Ok(checked) => checked,
        Err(e) => {
            tell!("error: {e}");
            return EXIT_BAD_INPUT;
        }
    };
    if !checked.export_columns_used.is_empty() {
        tell!(
            "note: columns {} describe the users as exported; import does not send them (the \
             service sets them)",
            checked.export_columns_used.join(", ")
        );
    }
    let blocked = checked.blocking_problems(args);
    // The AWS configuration is read only once the check says the rows may be sent.
    let target = if blocked || args.dry_run {
        None
    } else {
        let client = match crate::connect::client(connection, local).await {
            Ok(client) => client,
            Err(e) => {
                tell!("error: {e}");
                tell!("nothing was sent");
                return EXIT_BAD_INPUT;
            }
        };
        Some(Target {
            client,
            network_id: checked.network_id.clone(),
            default_security_group: security_group.clone(),
        })
    };
    match run(args, &checked, blocked, target).await {
        Ok(code) => code,
        Err(e) => {
            tell!("error: {e}");
            1
        }
    }
}

/// Runs the import after the checks (`blocked`: they found problems that keep anything from
/// being sent); returns the exit code.
async fn run(
    args: &ImportArgs,
    checked: &Checked,
    blocked: bool,
    target: Option<Target>,
) -> Result<u8, String> {
    let started = Instant::now();
    let target = target.filter(|_| !blocked && !args.dry_run);
    // A report path that is the input file, or not a place for a regular file, is refused (an
    // option problem), and never opened;
    // the report of a job --resume would continue is not replaced unless the job runs.
    let report_path = args
        .report
        .as_deref()
        .filter(|p| !crate::report::same_file(p, &args.file))
        .filter(|p| crate::report::check_output_path(p).is_ok())
        .filter(|_| !args.resume || target.is_some());

    // The job this run belongs to: a new one, or the one --resume continues.
    let this_job = ResumeFile::new(
        new_job_id(),
        &checked.network_id,
        checked.default_security_group.as_deref(),
        &checked.sha256,
    );
    let earlier = match (report_path, args.resume && target.is_some()) {
        (Some(report), true) => match Earlier::read(report, &this_job) {
            Ok(earlier) => Some(earlier),
            Err(e) => {
                tell!("error: {e}");
                tell!("nothing was sent");
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
    let writer = match report_path {
        Some(path) => match ReportWriter::create(path) {
            Ok(writer) => Some(writer),
            Err(e) => {
                tell!("error: --report: {e}");
                tell!("nothing was sent");
                return Ok(EXIT_BAD_INPUT);
            }
        },
        None => None,
    };
    // The job's record: its report is the one in place when an earlier run of it put it there.
    let mut record = ResumeFile {
        job_id: job_id.clone(),
        report_written: earlier.as_ref().is_some_and(|e| e.report_written),
        ..this_job.clone()
    };
    if let (Some(path), Some(_)) = (report_path, &target) {
        if let Err(e) = record.write(&ResumeFile::path_for(path)) {
            tell!("error: --report: {e}");
            tell!("nothing was sent");
            return Ok(EXIT_BAD_INPUT);
        }
    }

    // What keeps the rows from being sent, said where each valid row's reason is written. Only
    // invalid rows are helped by --skip-invalid; problems with the options or the file are not.
    let row_problems_only = checked.option_problems.is_empty() && checked.file_problems.is_empty();
    let blocked_reason = blocked.then_some(if row_problems_only {
        "not sent: other rows are invalid (fix them, or pass --skip-invalid)"
    } else {
        "not sent: the options or the file have problems (see the errors)"
    });
    let mut summary = Summary::new(&checked.network_id, &args.file, args.dry_run);
    summary.blocked = blocked;
    summary.file_unusable = !checked.file_problems.is_empty();
    for problem in checked.option_problems.iter().chain(&checked.file_problems) {
        tell!("error: {problem}");
        summary.problems.push(problem.clone())?;
    }

    // With rows to skip and rows to send, the problems are listed before anything is sent.
    let listed_first = target.is_some() && checked.invalid > 0;
    if listed_first {
        let options = PassOptions {
            list_problems: true,
            blocked: blocked_reason,
            dry_run: args.dry_run,
        };
        let mut listing = Pass::new(checked, options, summary, None, None)?;
        listing.list_problems_only();
        let (listed, _, _, error) = listing.finish();
        if let Some(e) = error {
            return Err(e);
        }
        summary = listed;
        tell!("skipping {} invalid rows (--skip-invalid)", checked.invalid);
    }

    let options = PassOptions {
        list_problems: !listed_first,
        blocked: blocked_reason,
        dry_run: args.dry_run,
    };
    let cursor = match &earlier {
        Some(earlier) => Some(earlier.cursor()?),
        None => None,
    };
    let mut pass = Pass::new(checked, options, summary, writer, cursor)?;
    let interrupts = target.as_ref().map(|_| Interrupts::watch());
    let (pass, job) = match (&target, &interrupts) {
        (Some(target), Some(interrupts)) => {
            let to_send = checked
                .rows
                .saturating_sub(checked.invalid)
                .saturating_sub(earlier.as_ref().map_or(0, |e| e.settled));
            let (pass, job) =
                send(target, pass, args, &job_id, interrupts.token(), to_send).await?;
            (pass, Some(job))
        }
        // No row of a file with a problem of its own is usable, nor reported.
        _ if !checked.file_problems.is_empty() => (pass, None),
        _ => {
            rows::without_job(&mut pass);
            (pass, None)
        }
    };
    let read_again = pass.file_problems().first().cloned();
    let (mut summary, writer, unknown, mut error) = pass.finish();
    if checked.file_problems.is_empty() {
        if let Some(problem) = read_again {
            error.get_or_insert(format!(
                "{} could not be read again ({problem}): the report ends before the end of the \
                 file",
                checked.file.path().display()
            ));
        }
        if let Err(e) = checked.file.unchanged() {
            error.get_or_insert(e);
        }
    }
    if blocked && row_problems_only {
        tell!(
            "nothing was sent: fix the problems above, or pass --skip-invalid to import the \
             valid rows"
        );
    } else if blocked {
        tell!("nothing was sent: fix the problems above");
    }

    // Users sent without an answer: the network says whether they are there now.
    let mut settled = None;
    if let (Some(job), Some(target), Some(interrupts)) = (&job, &target, &interrupts) {
        if !unknown.is_empty() {
            if job.cancelled() {
                summary.lookup_note =
                    Some("not looked up (interrupted): unknown rows stay unknown".into());
            } else if job.stop_reason().is_some() {
                summary.lookup_note =
                    Some("not looked up (the job stopped): unknown rows stay unknown".into());
            } else {
                let (found, stopped) =
                    settle::look_up(target, &unknown, &interrupts.token()).await?;
                if let Some(why) = stopped {
                    summary.lookup_note = Some(format!(
                        "look-ups stopped ({why}): rows not looked up stay unknown"
                    ));
                }
                settled = Some(found);
            }
        }
    }
    drop(interrupts);

    let mut report_error = error;
    if let Some(found) = &settled {
        summary.flush()?;
        settle::settle_summary(&mut summary, found)?;
    }
    if let Some(writer) = writer {
        let written = match (&settled, report_path) {
            (Some(found), Some(path)) => writer
                .close()
                .and_then(|partial| settle::settle_report(path, partial, found)),
            _ => writer.finish(),
        };
        match (written, report_path, &target) {
            (Err(e), _, _) => {
                report_error.get_or_insert(e);
            }
            // The report in place is this job's from now on. Not recorded, the report is still
            // whole: a --resume would then send its rows again under the job's tokens.
            (Ok(()), Some(path), Some(_)) if !record.report_written => {
                record.report_written = true;
                if let Err(e) = record.write(&ResumeFile::path_for(path)) {
                    tell!(
                        "warning: {e}; the report is complete, but --resume would not read it \
                         and would send its rows again, with the job's client tokens"
                    );
                }
            }
            _ => {}
        }
    }
    if let Some(job) = &job {
        summary.calls = job.stats().calls;
        summary.chunk_retries = job.stats().chunk_retries;
        summary.throttled = job.stats().throttled;
        summary.max_calls_at_once = job.stats().max_concurrency;
        summary.cancelled = job.cancelled();
        summary.stop_reason = job.stop_reason().map(str::to_string);
        summary.job_id = Some(job_id);
    }
    summary.elapsed = started.elapsed();
    summary.report_file = report_path.map(Path::to_path_buf);
    summary.flush()?;
    let printed = match args.output {
        OutputFormat::Table => summary.print_table(),
        OutputFormat::Json => summary.print_json(),
    };
    // The exit code says what is in the network, which a summary no one could read does not
    // change; the report file, when there is one, has every row.
    if let Err(e) = printed {
        tell!("error: the summary could not be shown: {e}");
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

/// Runs the bulk job over the rows of `pass` with a progress display; `cancel` is the
/// interruptions' token.
async fn send<'a>(
    target: &Target,
    pass: Pass<'a>,
    args: &ImportArgs,
    job_id: &str,
    cancel: CancelToken,
    to_send: u64,
) -> Result<(Pass<'a>, BulkSummary), String> {
    let display = Arc::new(ProgressDisplay::new(to_send, "users"));
    let pass = Rc::new(RefCell::new(pass));
    pass.borrow_mut().show_on(display.clone());
    let shown = display.clone();
    let mut job = target
        .client
        .bulk_create_users(target.network_id.clone())
        .users(Slots(pass.clone()))
        .job_id(job_id)
        .cancel_token(cancel)
        .on_progress(move |p| shown.update(p));
    if let Some(calls) = args.concurrency {
        job = job.concurrency(u32::from(calls));
    }
    if let Some(sg) = &target.default_security_group {
        job = job.default_security_group(sg.clone());
    }
    let outcomes = pass.clone();
    let summary = job
        .send_each(move |outcome| outcomes.borrow_mut().take(outcome))
        .await;
    display.finish();
    // The job has ended and dropped its input and its sink: this is the last holder.
    let mut pass = Rc::try_unwrap(pass)
        .map_err(|_| "the bulk job kept its input after it ended".to_string())?
        .into_inner();
    // An interrupted job reads no further: the rest of the file is reported here.
    if summary.stopped_reading() {
        rows::rest_not_sent(&mut pass, "not sent: the import was interrupted");
    }
    Ok((pass, summary))
}
