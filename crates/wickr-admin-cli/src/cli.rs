//! The command-line interface: global connection options and the `users` commands.
//!
//! Service operations (`wickr-admin <operation> --cli-input-json FILE`) are added to this tree at
//! run time from the client crate's operation list; see `operations.rs`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Manage AWS Wickr networks: import users in bulk, or call any Wickr Admin API operation.
#[derive(Debug, Parser)]
#[command(name = "wickr-admin", version, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub connection: Connection,

    #[command(subcommand)]
    pub command: Command,
}

/// Where requests go and with which credentials.
#[derive(Clone, Debug, Default, Args)]
pub struct Connection {
    /// AWS region (default: from the environment or the profile).
    #[arg(long, global = true)]
    pub region: Option<String>,

    /// Named profile from the AWS config and credentials files.
    #[arg(long, global = true)]
    pub profile: Option<String>,

    /// Send requests to this endpoint instead of the region's (e.g. an emulator).
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// Start an embedded emulator with its demo network and send everything there; no AWS account
    /// needed. The `users` commands take the demo network's id and security group unless given
    /// others; an operation takes its members as given. Its state is
    /// kept between commands in a file under the user's data directory (see --local-state;
    /// `wickr-admin local reset` starts over).
    #[arg(long, global = true, conflicts_with_all = ["endpoint_url", "profile", "region"])]
    pub local: bool,

    /// The file --local keeps its state in (default: wickr-admin/local-state.json under the
    /// user's data directory, $XDG_DATA_HOME or ~/.local/share on Linux).
    #[arg(long, global = true, value_name = "PATH")]
    pub local_state: Option<PathBuf>,

    /// Seconds to wait for a connection before the attempt fails (0: no limit). Default 3.1.
    #[arg(long, global = true, value_name = "SECONDS")]
    pub cli_connect_timeout: Option<u64>,

    /// Seconds to wait for an answer to start once the request is sent, before the attempt fails
    /// (0: no limit); an attempt also ends after twice this. Default 60.
    #[arg(long, global = true, value_name = "SECONDS")]
    pub cli_read_timeout: Option<u64>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Users of a network.
    #[command(subcommand)]
    Users(UsersCommand),
    /// The local sandbox that --local uses.
    #[command(subcommand)]
    Local(LocalCommand),
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Create the users listed in a CSV or JSON Lines file, 50 per call, in parallel.
    Import(ImportArgs),
    /// Write every user of a network to a CSV or JSON Lines file that import and sync read back.
    Export(crate::users::export::ExportArgs),
    /// Compare a users file with the network and print the plan; --apply carries it out.
    Sync(crate::users::sync::SyncArgs),
    /// Delete the users a file lists (usernames or user ids). Asks for confirmation.
    Delete(crate::users::action::ActionArgs),
    /// Suspend the users a file lists.
    Suspend(crate::users::action::ActionArgs),
    /// Lift the suspension of the users a file lists.
    Unsuspend(crate::users::action::ActionArgs),
    /// Send the pending users a file lists a new invitation.
    Reinvite(crate::users::action::ActionArgs),
    /// Sign the users a file lists out of every device.
    ResetDevices(crate::users::action::ActionArgs),
}

#[derive(Debug, Subcommand)]
pub enum LocalCommand {
    /// Delete the sandbox's state file: the next --local command starts from the demo network.
    Reset,
}

/// How the summary is printed on standard output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// A table for people.
    #[default]
    Table,
    /// One JSON document for programs.
    Json,
}

#[derive(Clone, Debug, Args)]
pub struct ImportArgs {
    /// The users file: CSV with a header row (username, firstName, lastName, securityGroupId,
    /// inviteCode, inviteCodeTtl, codeValidation) or JSON Lines with the same keys; `-` reads
    /// standard input.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The network to create the users in (8 digits). Required unless --local.
    #[arg(long, value_name = "ID")]
    pub network_id: Option<String>,

    /// Security group for rows that name none.
    #[arg(long, value_name = "SG")]
    pub security_group_id: Option<String>,

    /// At most this many calls of up to 50 users at once (fewer while the service throttles).
    /// Without it, the import finds how many the service allows (up to 256): it starts with a
    /// few, then with 64 when the service is far (answers take more than 10 ms), grows while
    /// answers come back as fast as before and the service serves more of them, and backs off
    /// when they slow down or are throttled.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: Option<u16>,

    /// Check the file and write the report, but send nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Write one row per input line (line, username, outcome, userId, inviteCode, reason) to FILE;
    /// `.json` or `.jsonl` for JSON, anything else for CSV. The job's id is kept beside it in
    /// FILE.resume, for --resume.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// Continue the job whose report is --report FILE (after an interruption or a crash): rows it
    /// settled keep their outcome, the others are sent again with the job's client tokens, so
    /// what the earlier run applied is answered with its stored result, not created twice.
    #[arg(long, requires = "report", conflicts_with = "dry_run")]
    pub resume: bool,

    /// How the summary is printed.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,

    /// Import the valid rows even when some rows are invalid (those are listed and skipped).
    #[arg(long)]
    pub skip_invalid: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_tree_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn import_arguments_parse() {
        let cli = Cli::try_parse_from([
            "wickr-admin",
            "--local",
            "users",
            "import",
            "users.csv",
            "--concurrency",
            "8",
            "--output",
            "json",
            "--dry-run",
        ])
        .unwrap();
        assert!(cli.connection.local);
        let Command::Users(UsersCommand::Import(args)) = cli.command else {
            panic!("not an import");
        };
        assert_eq!(args.concurrency, Some(8));
        assert_eq!(args.output, OutputFormat::Json);
        assert!(args.dry_run);
        assert!(args.network_id.is_none());
        assert!(
            Cli::try_parse_from(["wickr-admin", "users", "import", "u.csv", "--resume"]).is_err()
        );
        let cli = Cli::try_parse_from([
            "wickr-admin",
            "--cli-read-timeout",
            "0",
            "users",
            "import",
            "u.csv",
            "--cli-connect-timeout",
            "5",
        ])
        .unwrap();
        assert_eq!(cli.connection.cli_read_timeout, Some(0));
        assert_eq!(cli.connection.cli_connect_timeout, Some(5));
    }
}
