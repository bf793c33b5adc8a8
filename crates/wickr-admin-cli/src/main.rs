//! The `wickr-admin` command: import users into an AWS Wickr network in bulk, or call any
//! operation of the Wickr Admin API as the AWS CLI does, against AWS or an embedded emulator.
// Lines go through `console` (`say!`, `tell!`): the standard macros panic when a stream is
// closed.
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod cli;
mod completion;
mod connect;
mod console;
mod external_sort;
mod import;
mod input;
mod operations;
mod progress;
mod report;
mod report_reader;
mod resume;
mod sandbox;
mod scratch;
mod signals;
mod spill;
mod summary;
mod unsuccessful;
mod users;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use cli::{Cli, Command, Connection, LocalCommand, UsersCommand};
use sandbox::Local;
use wickr_admin::bulk::UserAction;

fn main() -> ExitCode {
    if console::stdout_was_closed() {
        console::tell!(
            "error: standard output is closed: what this command prints (its result, its \
             summary) would be lost; nothing was done"
        );
        return ExitCode::from(2);
    }
    let mut command = completion::add_to(operations::add_to(Cli::command()));
    let matches = match command.try_get_matches_from_mut(std::env::args_os()) {
        Ok(matches) => matches,
        Err(e) => return ExitCode::from(operations::command_line_error(&e)),
    };
    if let Some((completion::NAME, sub)) = matches.subcommand() {
        return ExitCode::from(completion::run(sub, command));
    }
    // The tree of every subcommand and argument is most of a megabyte of heap; the command runs
    // on what was parsed.
    drop(command);
    // Everything runs on this one thread. A command's work is mostly waiting on the network, and
    // the client's share of each call takes a fraction of the call's time. A worker thread beside
    // it made the bulk job a producer and consumer across threads: the answers' strings were
    // allocated on the worker and freed here, so neither thread's malloc cache was ever refilled,
    // and every allocation and free went to glibc's shared arenas, under their locks.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            console::tell!("error: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let code = runtime.block_on(async {
        if let Some((name, sub)) = matches.subcommand() {
            if operations::is_operation(name) {
                let connection = match Connection::from_arg_matches(&matches) {
                    Ok(c) => c,
                    Err(e) => e.exit(),
                };
                if let Err(e) = local_state_applies(&connection, false) {
                    console::tell!("error: {e}");
                    return operations::EXIT_BAD_INPUT;
                }
                return operations::run(name, sub, &connection).await;
            }
        }
        let cli = match Cli::from_arg_matches(&matches) {
            Ok(cli) => cli,
            Err(e) => e.exit(),
        };
        let resetting = matches!(cli.command, Command::Local(LocalCommand::Reset));
        if let Err(e) = local_state_applies(&cli.connection, resetting) {
            console::tell!("error: {e}");
            return 2;
        }
        if let Err(e) = sandbox::check_outputs_apart(&cli.connection, &output_paths(&matches)) {
            console::tell!("error: {e}");
            console::tell!("nothing was done");
            return 2;
        }
        match cli.command {
            Command::Local(LocalCommand::Reset) => match sandbox::reset(&cli.connection) {
                Ok(message) => {
                    // The reset is done; a message that cannot be shown does not undo it.
                    if let Err(e) = console::say!("{message}") {
                        console::tell!("error: {e}");
                    }
                    0
                }
                Err(e) => {
                    console::tell!("error: {e}");
                    1
                }
            },
            Command::Users(command) => users(&cli.connection, command).await,
        }
    });
    ExitCode::from(code)
}

/// The files the command given would write its output to (`--report`, `--output-file`).
fn output_paths(matches: &clap::ArgMatches) -> Vec<&std::path::Path> {
    let mut paths = Vec::new();
    let mut at = Some(matches);
    while let Some(matches) = at {
        for id in ["report", "output_file"] {
            if let Ok(Some(path)) = matches.try_get_one::<std::path::PathBuf>(id) {
                paths.push(path.as_path());
            }
        }
        at = matches.subcommand().map(|(_, sub)| sub);
    }
    paths
}

/// `--local-state` names the sandbox's file: it means something with `--local`, or for
/// `local reset`, and is refused anywhere else rather than ignored.
fn local_state_applies(connection: &Connection, resetting: bool) -> Result<(), String> {
    if connection.local_state.is_some() && !connection.local && !resetting {
        return Err("--local-state is the --local sandbox's state file: add --local".to_string());
    }
    Ok(())
}

/// Runs a `users` command against AWS, or against the sandbox for `--local` (whose state is
/// written when the command ends).
async fn users(connection: &Connection, command: UsersCommand) -> u8 {
    let local = if connection.local {
        match Local::start(connection).await {
            Ok(local) => Some(local),
            Err(e) => {
                console::tell!("error: {e}");
                return 1;
            }
        }
    } else {
        None
    };
    let code = match command {
        UsersCommand::Import(args) => import::command(connection, local.as_ref(), &args).await,
        UsersCommand::Export(args) => users::export::run(connection, local.as_ref(), &args).await,
        UsersCommand::Sync(args) => users::sync::run(connection, local.as_ref(), &args).await,
        UsersCommand::Delete(args) => {
            users::action::run(connection, local.as_ref(), UserAction::Delete, &args).await
        }
        UsersCommand::Suspend(args) => {
            users::action::run(connection, local.as_ref(), UserAction::Suspend, &args).await
        }
        UsersCommand::Unsuspend(args) => {
            users::action::run(connection, local.as_ref(), UserAction::Unsuspend, &args).await
        }
        UsersCommand::Reinvite(args) => {
            users::action::run(connection, local.as_ref(), UserAction::Reinvite, &args).await
        }
        UsersCommand::ResetDevices(args) => {
            users::action::run(connection, local.as_ref(), UserAction::ResetDevices, &args).await
        }
    };
    match local {
        Some(local) => match local.finish().await {
            Ok(()) => code,
            Err(e) => {
                console::tell!("error: {e}");
                code.max(1)
            }
        },
        None => code,
    }
}
