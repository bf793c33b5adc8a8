//! `wickr-admin users delete|suspend|unsuspend|reinvite|reset-devices FILE`: read the users the
//! file names, find the ids of those named by username, confirm a deletion, run the bulk job
//! (50 users per call, one per call for reset-devices), then write the report and the summary.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use wickr_admin::bulk::{find_users, ActionReport, Found, UserAction};

use super::outcomes::{action_outcome, Outcomes};
use super::targets::{self, Target};
use super::{EXIT_BAD_INPUT, EXIT_SOME_FAILED};
use crate::cli::{Connection, OutputFormat};
use crate::console::tell;
use crate::progress::ProgressDisplay;
use crate::report::{Outcome, ReportRow};
use crate::sandbox::Local;
use crate::signals::Interrupts;

#[derive(Clone, Debug, Args)]
pub struct ActionArgs {
    /// The users: one username or user id per line (a line of 1 to 10 digits is a user id), or
    /// an export (CSV or JSON Lines; userId is used when filled, else username); `-` reads
    /// standard input.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The network (8 digits). Required unless --local.
    #[arg(long, value_name = "ID")]
    pub network_id: Option<String>,

    /// How many calls may run at once.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,

    /// Write one row per user (line, username, outcome, userId, inviteCode, reason) to FILE;
    /// `.json` or `.jsonl` for JSON, anything else for CSV.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// How the summary is printed.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,

    /// Delete without asking. Without it, delete asks on a terminal and refuses when standard
    /// input is not one.
    #[arg(long)]
    pub yes: bool,
}

/// Whether a row's outcome is what the action asked for: for a deletion, a user that is gone.
fn as_asked(action: UserAction, outcome: Outcome) -> bool {
    match outcome {
        Outcome::Deleted
        | Outcome::Suspended
        | Outcome::Unsuspended
        | Outcome::Reinvited
        | Outcome::DevicesReset => true,
        Outcome::NotFound => action == UserAction::Delete,
        _ => false,
    }
}

/// One row on its way: the user the file names and the id it resolved to.
struct Resolved {
    target: Target,
    /// The id sent, when the user was found.
    user_id: Option<String>,
    /// Why it was not sent.
    unresolved: Option<(Outcome, String)>,
}

pub async fn run(
    connection: &Connection,
    local: Option<&Local>,
    action: UserAction,
    args: &ActionArgs,
) -> u8 {
    let started = Instant::now();
    let network_id = match super::network_id(args.network_id.as_deref(), local) {
        Ok(id) => id,
        Err(e) => {
            tell!("error: {e}");
            return EXIT_BAD_INPUT;
        }
    };
    let targets = match targets::read(&args.file) {
        Ok(targets) => targets,
        Err(e) => {
            tell!("error: {e}");
            return EXIT_BAD_INPUT;
        }
    };
    if !targets.problems.is_empty() {
        for problem in &targets.problems {
            tell!("error: {problem}");
        }
        tell!("nothing was sent: fix the problems above");
        return EXIT_BAD_INPUT;
    }
    let client = match super::client(connection, local).await {
        Ok(client) => client,
        Err(e) => {
            tell!("error: {e}");
            tell!("nothing was sent");
            return EXIT_BAD_INPUT;
        }
    };
    let interrupts = Interrupts::watch();

    // Usernames become ids through ListUsers; ids are taken as given.
    let usernames: Vec<String> = targets
        .entries
        .iter()
        .filter(|t| t.user_id.is_none())
        .filter_map(|t| t.username.clone())
        .collect();
    let lookups = find_users(&client, &network_id, &usernames, &interrupts.token()).await;
    if let Some(why) = &lookups.stopped {
        tell!("error: the usernames could not be looked up: {why}");
        tell!("nothing was sent");
        return EXIT_SOME_FAILED;
    }
    let rows: Vec<Resolved> = targets
        .entries
        .into_iter()
        .map(|target| resolve(target, &lookups.found))
        .collect();
    // A username and the id it resolved to, both in the file, are one user: acting on it twice
    // would count it twice. Found now that ids are known, it is a problem like any repeat.
    let repeats = repeated_users(&rows);
    if !repeats.is_empty() {
        for problem in &repeats {
            tell!("error: {problem}");
        }
        tell!("nothing was sent: fix the problems above");
        return EXIT_BAD_INPUT;
    }
    let ids: Vec<String> = rows.iter().filter_map(|r| r.user_id.clone()).collect();

    if action == UserAction::Delete && !ids.is_empty() {
        let question = format!("Delete {} users from network {network_id}", ids.len());
        if let Err(e) =
            super::confirm::deletion_confirmed(&question, args.yes, &interrupts.token()).await
        {
            tell!("error: {e}");
            return EXIT_BAD_INPUT;
        }
    }
    let mut outcomes = match Outcomes::new(
        action.as_str(),
        &network_id,
        &args.file,
        args.report.as_deref(),
        false,
    ) {
        Ok(outcomes) => outcomes,
        Err(e) => {
            tell!("error: {e}");
            tell!("nothing was sent");
            return EXIT_BAD_INPUT;
        }
    };

    let report = if ids.is_empty() {
        None
    } else {
        let display = std::sync::Arc::new(ProgressDisplay::new(ids.len() as u64, "users"));
        let shown = display.clone();
        let report = client
            .bulk_user_action(network_id.clone(), action)
            .user_ids(ids)
            .concurrency(u32::from(args.concurrency))
            .cancel_token(interrupts.token())
            .on_progress(move |p| shown.update(p))
            .send()
            .await;
        display.finish();
        Some(report)
    };
    drop(interrupts);
    write_rows(&mut outcomes, action, &rows, report.as_ref());
    if let Some(report) = &report {
        outcomes.add_job(report);
    }
    outcomes.finish(args.output, started.elapsed())
}

/// Rows whose user an earlier row names too, by the id each resolved to.
fn repeated_users(rows: &[Resolved]) -> Vec<crate::input::Problem> {
    let mut first: HashMap<&str, u64> = HashMap::new();
    let mut problems = Vec::new();
    for row in rows {
        let Some(id) = &row.user_id else { continue };
        match first.get(targets::id_key(id)) {
            Some(line) => problems.push(crate::input::Problem::new(
                row.target.line,
                if row.target.user_id.is_some() {
                    "userId"
                } else {
                    "username"
                },
                format!("names the same user as line {line} (user id {id})"),
            )),
            None => {
                first.insert(targets::id_key(id), row.target.line);
            }
        }
    }
    problems
}

fn resolve(target: Target, found: &HashMap<String, Found>) -> Resolved {
    if let Some(id) = &target.user_id {
        return Resolved {
            user_id: Some(id.clone()),
            target,
            unresolved: None,
        };
    }
    let name = target.username.clone().unwrap_or_default();
    let (user_id, unresolved) = match found.get(&name) {
        // The only user with the name but for case is the one meant: usernames are told
        // apart without case here, as for repeats and sync.
        Some(Found::Present { user_id: Some(id) } | Found::OtherCase { user_id: Some(id) }) => {
            (Some(id.clone()), None)
        }
        Some(Found::Present { user_id: None } | Found::OtherCase { user_id: None }) => (
            None,
            Some((
                Outcome::Failed,
                "ListUsers finds the user without its id: give the userId instead".to_string(),
            )),
        ),
        Some(Found::Ambiguous { user_ids }) => (
            None,
            Some((
                Outcome::Failed,
                format!(
                    "no user has exactly this username and {} have it but for case (user ids \
                     {}): give the userId of the one meant",
                    user_ids.len(),
                    user_ids.join(", ")
                ),
            )),
        ),
        _ => (
            None,
            Some((
                Outcome::NotFound,
                "ListUsers finds no user with this username in the network".to_string(),
            )),
        ),
    };
    Resolved {
        target,
        user_id,
        unresolved,
    }
}

fn write_rows(
    outcomes: &mut Outcomes,
    action: UserAction,
    rows: &[Resolved],
    report: Option<&ActionReport>,
) {
    let mut answers = report.map(ActionReport::iter);
    for row in rows {
        let (outcome, reason) = match &row.unresolved {
            Some((outcome, reason)) => (*outcome, Some(reason.clone())),
            None => match answers.as_mut().and_then(Iterator::next) {
                Some(answer) => action_outcome(action, answer),
                None => (Outcome::NotAttempted, Some("not sent".to_string())),
            },
        };
        let shown = ReportRow {
            line: row.target.line,
            username: row.target.username.as_deref().unwrap_or(""),
            action: None,
            outcome,
            user_id: row.user_id.as_deref(),
            invite_code: None,
            reason,
        };
        outcomes.add(&shown, as_asked(action, outcome));
    }
}
