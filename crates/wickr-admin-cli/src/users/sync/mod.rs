//! `wickr-admin users sync FILE`: compare a users file with the network and print the plan
//! (users to create, users to update, users in the network but not in the file); `--apply`
//! carries it out. See `plan.rs` for what counts as the same and as different.

mod apply;
mod plan;
mod show;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use wickr_admin::Client;

use super::outcomes::Outcomes;
use super::{EXIT_BAD_INPUT, EXIT_OK, EXIT_SOME_FAILED};
use crate::cli::{Connection, OutputFormat};
use crate::console::say;
use crate::console::tell;
use crate::input::{self, Defaults, Entry, Problem, Row};
use crate::sandbox::Local;
use crate::signals::Interrupts;
use plan::{username_key, MissingAction, MissingPolicy, NetworkUser};

#[derive(Clone, Debug, Args)]
pub struct SyncArgs {
    /// The users file, as import reads it (CSV or JSON Lines; an export works too).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The network (8 digits). Required unless --local.
    #[arg(long, value_name = "ID")]
    pub network_id: Option<String>,

    /// Security group for rows that name none.
    #[arg(long, value_name = "SG")]
    pub security_group_id: Option<String>,

    /// Carry the plan out. Without it nothing is changed.
    #[arg(long)]
    pub apply: bool,

    /// Suspend the users in the network that the file does not name (never an administrator).
    #[arg(long, conflicts_with = "delete_missing")]
    pub suspend_missing: bool,

    /// Delete the users in the network that the file does not name (never an administrator).
    /// Asks for confirmation unless --yes.
    #[arg(long)]
    pub delete_missing: bool,

    /// Refuse to apply a plan that deletes more users than this.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub max_deletes: u64,

    /// Delete without asking. Without it, a plan that deletes asks on a terminal and refuses
    /// when standard input is not one.
    #[arg(long)]
    pub yes: bool,

    /// How many calls may run at once.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,

    /// With --apply, write one row per file row and per network user not in the file (line,
    /// username, action, outcome, userId, inviteCode, reason) to FILE.
    #[arg(long, value_name = "FILE", requires = "apply")]
    pub report: Option<PathBuf>,

    /// How the plan (and with --apply, the result) is printed.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

/// Reads and checks the file: the import's checks, then usernames repeated but for case.
fn read_rows(
    args: &SyncArgs,
    default_group: Option<&str>,
) -> Result<(Vec<Row>, Vec<&'static str>), Vec<Problem>> {
    let defaults = Defaults {
        security_group_id: default_group.map(str::to_string),
    };
    let input =
        input::read_path(&args.file, &defaults).map_err(|e| vec![Problem::new(0, "file", e)])?;
    let mut problems: Vec<Problem> = input.problems().cloned().collect();
    let used = input.export_columns_used();
    let mut first: HashMap<String, u64> = HashMap::new();
    let mut rows = Vec::new();
    for entry in input.entries {
        let Entry::Valid(row) = entry else { continue };
        if let Err((field, reason)) =
            wickr_admin::bulk::check_user(crate::import::new_user(&row), None)
        {
            problems.push(Problem::new(row.line, field, reason));
            continue;
        }
        match first.get(&username_key(&row.username)) {
            Some(line) => problems.push(Problem::new(
                row.line,
                "username",
                format!(
                    "the same username as line {line} but for case or spaces: sync cannot tell \
                     which row is the user"
                ),
            )),
            None => {
                first.insert(username_key(&row.username), row.line);
                rows.push(row);
            }
        }
    }
    if problems.is_empty() {
        Ok((rows, used))
    } else {
        problems.sort_by_key(|p| p.line);
        Err(problems)
    }
}

/// Every user and security group of the network.
async fn read_network(
    client: &Client,
    network_id: &str,
) -> Result<(Vec<NetworkUser>, HashSet<String>), String> {
    let mut groups = HashSet::new();
    let mut pages = client
        .list_security_groups()
        .network_id(network_id)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| {
            format!(
                "cannot list the security groups: {}",
                wickr_admin::error::explain(&e)
            )
        })?;
        groups.extend(page.security_groups().iter().map(|g| g.id().to_string()));
    }
    let mut users = Vec::new();
    let mut pages = client
        .list_users()
        .network_id(network_id)
        .max_results(100)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page
            .map_err(|e| format!("cannot list the users: {}", wickr_admin::error::explain(&e)))?;
        for user in page.users() {
            let (Some(user_id), Some(username)) = (user.user_id(), user.username()) else {
                continue;
            };
            users.push(NetworkUser {
                user_id: user_id.to_string(),
                username: username.to_string(),
                first_name: user.first_name().map(str::to_string),
                last_name: user.last_name().map(str::to_string),
                security_groups: user.security_groups().to_vec(),
                suspended: user.suspended().unwrap_or(false),
                is_admin: user.is_admin().unwrap_or(false),
            });
        }
    }
    Ok((users, groups))
}

pub async fn run(connection: &Connection, local: Option<&Local>, args: &SyncArgs) -> u8 {
    let started = Instant::now();
    let network_id = match super::network_id(args.network_id.as_deref(), local) {
        Ok(id) => id,
        Err(e) => {
            tell!("error: {e}");
            return EXIT_BAD_INPUT;
        }
    };
    let default_group = args
        .security_group_id
        .clone()
        .or_else(|| local.map(|l| l.security_group_id.clone()));
    let (rows, used) = match read_rows(args, default_group.as_deref()) {
        Ok(read) => read,
        Err(problems) => {
            for problem in &problems {
                tell!("error: {problem}");
            }
            tell!("nothing was planned or sent: fix the problems above");
            return EXIT_BAD_INPUT;
        }
    };
    let client = match super::client(connection, local).await {
        Ok(client) => client,
        Err(e) => {
            tell!("error: {e}");
            return EXIT_BAD_INPUT;
        }
    };
    let (network, groups) = match read_network(&client, &network_id).await {
        Ok(read) => read,
        Err(e) => {
            tell!("error: {e}");
            tell!("nothing was sent");
            return EXIT_SOME_FAILED;
        }
    };
    // Rows naming a group the network lacks, and rows naming several network users at once.
    let mut problems: Vec<Problem> = rows
        .iter()
        .filter_map(|row| {
            let group = row.security_group_id.as_deref()?;
            (!groups.contains(group)).then(|| {
                Problem::new(
                    row.line,
                    "securityGroupId",
                    format!("network {network_id} has no security group {group:?}"),
                )
            })
        })
        .collect();
    problems.extend(plan::ambiguous_rows(&rows, &network));
    problems.sort_by_key(|p| p.line);
    if !problems.is_empty() {
        for problem in &problems {
            tell!("error: {problem}");
        }
        tell!("nothing was sent: fix the problems above");
        return EXIT_BAD_INPUT;
    }
    if !used.is_empty() {
        tell!(
            "note: columns {} describe the users as exported; sync matches users by username \
             and does not change these",
            used.join(", ")
        );
    }
    let policy = if args.delete_missing {
        MissingPolicy::Delete
    } else if args.suspend_missing {
        MissingPolicy::Suspend
    } else {
        MissingPolicy::Leave
    };
    // A file that names no user at all is far more likely an export gone wrong than a network
    // to empty: with a policy for the users it does not name, it would reach every one of them.
    let names_nobody = rows.is_empty() && policy != MissingPolicy::Leave;
    let plan = plan::plan(rows, network, &groups, policy);
    let deletes = plan.count_missing(MissingAction::Delete) as u64;
    let verdict = if args.apply {
        "refused, nothing was changed"
    } else {
        "--apply would refuse it"
    };
    let refusal = if names_nobody {
        Some(format!(
            "the file names no users, so {} would reach every user of the network but the \
             administrators: {verdict}",
            if args.delete_missing {
                "--delete-missing"
            } else {
                "--suspend-missing"
            }
        ))
    } else {
        (deletes > args.max_deletes).then(|| {
            format!(
                "the plan deletes {deletes} users, more than --max-deletes {}: {verdict}",
                args.max_deletes
            )
        })
    };
    let file = args.file.display().to_string();
    let plan_doc = show::plan_json(&plan, &network_id, &file, refusal.as_deref());
    match (args.output, args.apply) {
        (OutputFormat::Json, false) => {
            let printed = serde_json::to_string_pretty(&plan_doc)
                .map_err(|e| e.to_string())
                .and_then(|text| say!("{text}"));
            if let Err(e) = printed {
                tell!("error: {e}");
                return EXIT_SOME_FAILED;
            }
            return EXIT_OK;
        }
        (OutputFormat::Table, _) => {
            if let Err(e) = show::print_plan(&plan, &network_id, &file, args.apply) {
                tell!("error: {e}");
                if args.apply {
                    // A plan no one could read is not applied.
                    tell!("nothing was changed");
                    return EXIT_BAD_INPUT;
                }
                return EXIT_SOME_FAILED;
            }
        }
        (OutputFormat::Json, true) => {}
    }
    if let Some(refusal) = &refusal {
        if args.apply {
            tell!("error: {refusal}");
            return EXIT_BAD_INPUT;
        }
        tell!("warning: {refusal}");
    }
    if !args.apply {
        return EXIT_OK;
    }
    if deletes > 0 {
        let question = format!("Delete {deletes} users from network {network_id}");
        // No signal is watched yet: Ctrl-C at the question ends the command, with nothing sent.
        let never = wickr_admin::bulk::CancelToken::new();
        if let Err(e) = super::confirm::deletion_confirmed(&question, args.yes, &never).await {
            tell!("error: {e}");
            return EXIT_BAD_INPUT;
        }
    }
    let mut outcomes = match Outcomes::new(
        "sync",
        &network_id,
        &args.file,
        args.report.as_deref(),
        true,
    ) {
        Ok(outcomes) => outcomes,
        Err(e) => {
            tell!("error: {e}");
            tell!("nothing was sent");
            return EXIT_BAD_INPUT;
        }
    };
    if args.output == OutputFormat::Json {
        outcomes.attach("plan", plan_doc);
    }
    let interrupts = Interrupts::watch();
    let target = apply::Target {
        client: &client,
        network_id: &network_id,
        concurrency: u32::from(args.concurrency),
        cancel: interrupts.token(),
    };
    apply::apply(&target, &plan, &mut outcomes).await;
    drop(interrupts);
    outcomes.finish(args.output, started.elapsed())
}
