//! The `wickr-admin` command: import users into an AWS Wickr network in bulk, or call any
//! operation of the Wickr Admin API as the AWS CLI does, against AWS or an embedded emulator.

mod cli;
mod completion;
mod connect;
mod import;
mod input;
mod lookup;
mod operations;
mod progress;
mod report;
mod resume;
mod signals;
mod summary;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use cli::{Cli, Command, Connection, UsersCommand};

fn main() -> ExitCode {
    let command = completion::add_to(operations::add_to(Cli::command()));
    let matches = match command.clone().try_get_matches() {
        Ok(matches) => matches,
        Err(e) => return ExitCode::from(operations::command_line_error(&e)),
    };
    if let Some((completion::NAME, sub)) = matches.subcommand() {
        return ExitCode::from(completion::run(sub, command));
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
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
                return operations::run(name, sub, &connection).await;
            }
        }
        let cli = match Cli::from_arg_matches(&matches) {
            Ok(cli) => cli,
            Err(e) => e.exit(),
        };
        match cli.command {
            Command::Users(UsersCommand::Import(args)) => {
                users_import(&cli.connection, &args).await
            }
        }
    });
    ExitCode::from(code)
}

async fn users_import(connection: &Connection, args: &cli::ImportArgs) -> u8 {
    let local = if connection.local {
        match connect::Local::start().await {
            Ok(local) => Some(local),
            Err(e) => {
                eprintln!("error: {e}");
                return 1;
            }
        }
    } else {
        None
    };
    let network_id = args
        .network_id
        .clone()
        .or_else(|| local.as_ref().map(|l| l.network_id.clone()));
    let security_group = args
        .security_group_id
        .clone()
        .or_else(|| local.as_ref().map(|l| l.security_group_id.clone()));
    let checked = match import::check(args, network_id.as_deref(), security_group.as_deref()) {
        Ok(checked) => checked,
        Err(e) => {
            eprintln!("error: {e}");
            return import::EXIT_BAD_INPUT;
        }
    };
    let blocked = import::blocking_problems(&checked, args);
    if blocked {
        import::print_problems(&checked);
        eprintln!("nothing was sent: fix the problems above, or pass --skip-invalid to import the valid rows");
    } else if checked.input.invalid_count() > 0 {
        import::print_problems(&checked);
        eprintln!(
            "skipping {} invalid rows (--skip-invalid)",
            checked.input.invalid_count()
        );
    }
    let target = if blocked || args.dry_run {
        None
    } else {
        let client = match connect::client(connection, local.as_ref()).await {
            Ok(client) => client,
            Err(e) => {
                eprintln!("error: {e}");
                eprintln!("nothing was sent");
                return import::EXIT_BAD_INPUT;
            }
        };
        Some(import::Target {
            client,
            network_id: checked.network_id.clone(),
            default_security_group: security_group.clone(),
        })
    };
    let code = match import::run(args, checked, target).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    };
    drop(local);
    code
}
