//! `wickr-admin users export`: every user of a network, page by page through ListUsers' paginator,
//! written as each page arrives (memory holds one page, whatever the network's size), in the
//! columns `users import` and `users sync` read plus the user's status, suspension and id.
//!
//! The invite columns are written empty: the code a listing shows is the service's current
//! invite, not a custom code to send again (custom codes are for networks in preview only).
//! A file is written whole or not at all (`FILE.partial`, renamed once complete). An export into
//! a file that stops once it has a client (a listing or a write fails, SIGINT, SIGTERM) says how
//! many users `FILE.partial` holds.

use std::cell::Cell;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, ValueEnum};
use wickr_admin::types::{User, UserStatus};

use super::{EXIT_BAD_INPUT, EXIT_OK, EXIT_SOME_FAILED};
use crate::cli::Connection;
use crate::console::tell;
use crate::input::{COLUMNS, EXPORT_COLUMNS};
use crate::progress::ProgressDisplay;
use crate::report::partial_path;
use crate::sandbox::Local;
use crate::signals::{Interruption, Signals};

/// Which users to export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StatusFilter {
    /// Invited, not joined yet.
    Pending,
    /// Joined.
    Active,
}

/// The file's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// CSV with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

#[derive(Clone, Debug, Args)]
pub struct ExportArgs {
    /// The network (8 digits). Required unless --local.
    #[arg(long, value_name = "ID")]
    pub network_id: Option<String>,

    /// Write to FILE instead of standard output (`.jsonl`/`.ndjson` for JSON Lines, else CSV,
    /// unless --format says).
    #[arg(long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,

    /// The file's format (default: from --output-file's extension, else CSV).
    #[arg(long, value_enum)]
    pub format: Option<ExportFormat>,

    /// Only users with this status.
    #[arg(long, value_enum)]
    pub status: Option<StatusFilter>,
}

fn format_of(args: &ExportArgs) -> ExportFormat {
    if let Some(format) = args.format {
        return format;
    }
    let ext = args
        .output_file
        .as_deref()
        .and_then(Path::extension)
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("jsonl" | "ndjson") => ExportFormat::Jsonl,
        _ => ExportFormat::Csv,
    }
}

/// One exported user, in the columns of a users file.
struct ExportRow<'a> {
    username: &'a str,
    first_name: &'a str,
    last_name: &'a str,
    security_group_id: &'a str,
    status: &'a str,
    suspended: Option<bool>,
    user_id: &'a str,
}

fn export_row(user: &User) -> ExportRow<'_> {
    ExportRow {
        username: user.username().unwrap_or(""),
        first_name: user.first_name().unwrap_or(""),
        last_name: user.last_name().unwrap_or(""),
        security_group_id: user
            .security_groups()
            .first()
            .map(String::as_str)
            .unwrap_or(""),
        status: match user.status() {
            Some(1) => "pending",
            Some(2) => "active",
            _ => "",
        },
        suspended: user.suspended(),
        user_id: user.user_id().unwrap_or(""),
    }
}

/// Writes rows as they come.
enum Sink {
    Csv(Box<csv::Writer<Box<dyn Write>>>),
    Jsonl(BufWriter<Box<dyn Write>>),
}

impl Sink {
    fn new(out: Box<dyn Write>, format: ExportFormat) -> Result<Self, String> {
        match format {
            ExportFormat::Csv => {
                let mut writer = csv::Writer::from_writer(out);
                let header: Vec<&str> = COLUMNS
                    .iter()
                    .chain(EXPORT_COLUMNS.iter())
                    .copied()
                    .collect();
                writer.write_record(header).map_err(|e| e.to_string())?;
                Ok(Sink::Csv(Box::new(writer)))
            }
            ExportFormat::Jsonl => Ok(Sink::Jsonl(BufWriter::new(out))),
        }
    }

    fn write(&mut self, row: &ExportRow<'_>) -> Result<(), String> {
        let suspended = row.suspended.map(|s| s.to_string()).unwrap_or_default();
        match self {
            Sink::Csv(writer) => writer
                .write_record([
                    row.username,
                    row.first_name,
                    row.last_name,
                    row.security_group_id,
                    "",
                    "",
                    "",
                    row.status,
                    &suspended,
                    row.user_id,
                ])
                .map_err(|e| e.to_string()),
            Sink::Jsonl(out) => {
                let mut object = serde_json::Map::new();
                let mut put = |key: &str, value: &str| {
                    if !value.is_empty() {
                        object.insert(key.to_string(), serde_json::Value::from(value));
                    }
                };
                put("username", row.username);
                put("firstName", row.first_name);
                put("lastName", row.last_name);
                put("securityGroupId", row.security_group_id);
                put("status", row.status);
                put("userId", row.user_id);
                if let Some(s) = row.suspended {
                    object.insert("suspended".into(), serde_json::Value::Bool(s));
                }
                serde_json::to_writer(&mut *out, &object).map_err(|e| e.to_string())?;
                out.write_all(b"\n").map_err(|e| e.to_string())
            }
        }
    }

    fn flush(&mut self) -> Result<(), String> {
        match self {
            Sink::Csv(writer) => writer.flush().map_err(|e| e.to_string()),
            Sink::Jsonl(out) => out.flush().map_err(|e| e.to_string()),
        }
    }
}

/// How many users the export will write, for the progress display (GetUsersCount; 0 when it
/// cannot say, and the display then counts without a total).
async fn expected_users(
    client: &wickr_admin::Client,
    network_id: &str,
    status: Option<StatusFilter>,
) -> u64 {
    match client.get_users_count().network_id(network_id).send().await {
        Ok(count) => {
            let n = match status {
                Some(StatusFilter::Pending) => count.pending(),
                Some(StatusFilter::Active) => count.active(),
                None => count.total(),
            };
            u64::try_from(n).unwrap_or(0)
        }
        Err(_) => 0,
    }
}

pub async fn run(connection: &Connection, local: Option<&Local>, args: &ExportArgs) -> u8 {
    let started = Instant::now();
    let network_id = match super::network_id(args.network_id.as_deref(), local) {
        Ok(id) => id,
        Err(e) => {
            tell!("error: {e}");
            return EXIT_BAD_INPUT;
        }
    };
    let (out, partial): (Box<dyn Write>, Option<PathBuf>) = match &args.output_file {
        Some(path) => {
            if let Err(e) = crate::report::check_output_path(path) {
                tell!("error: --output-file: {e}");
                return EXIT_BAD_INPUT;
            }
            let partial = partial_path(path);
            match crate::report::open_exclusively(&partial) {
                Ok(file) => (Box::new(file), Some(partial)),
                Err(e) => {
                    tell!("error: --output-file: {e}");
                    return EXIT_BAD_INPUT;
                }
            }
        }
        None => (Box::new(std::io::stdout().lock()), None),
    };
    // Into a file, SIGINT and SIGTERM from here end the export with a line that says how many
    // users the partial file holds, instead of ending the process with nothing said. Standard
    // output keeps the default: a reader that stopped reading would keep a write blocked, and a
    // signal then could not end the process.
    let mut signals = partial.as_ref().map(|_| Signals::new());
    let exported = Cell::new(0u64);
    let export = write_pages(connection, local, args, &network_id, out, &exported);
    let stopped = |partial: &Path| {
        tell!(
            "the export is not complete: {} holds the {} users written before it stopped",
            partial.display(),
            exported.get()
        );
    };
    let code = tokio::select! {
        code = export => code,
        Some(signal) = next_signal(&mut signals) => {
            tell!("{signal}: the export stopped");
            if let Some(partial) = &partial {
                stopped(partial);
            }
            return signal.exit_code;
        }
    };
    if code != EXIT_OK {
        // Once the listing started (a client was made), the partial file says how far it got.
        if let (EXIT_SOME_FAILED, Some(partial)) = (code, &partial) {
            stopped(partial);
        }
        return code;
    }
    if let (Some(partial), Some(path)) = (&partial, &args.output_file) {
        if let Err(e) = std::fs::rename(partial, path) {
            tell!(
                "error: cannot put the export in place of {}: {e}",
                path.display()
            );
            return EXIT_SOME_FAILED;
        }
    }
    let to = args
        .output_file
        .as_ref()
        .map_or("standard output".to_string(), |p| p.display().to_string());
    tell!(
        "exported {} users of network {network_id} to {to} in {:.1}s",
        exported.get(),
        started.elapsed().as_secs_f64()
    );
    EXIT_OK
}

/// The next signal, when they are watched; never otherwise.
async fn next_signal(signals: &mut Option<Signals>) -> Option<Interruption> {
    match signals {
        Some(signals) => signals.next().await,
        None => None,
    }
}

/// Lists the network page by page and writes each page to `out` as it arrives, counting the
/// users written in `exported`; the exit code.
async fn write_pages(
    connection: &Connection,
    local: Option<&Local>,
    args: &ExportArgs,
    network_id: &str,
    out: Box<dyn Write>,
    exported: &Cell<u64>,
) -> u8 {
    let client = match super::client(connection, local).await {
        Ok(client) => client,
        Err(e) => {
            tell!("error: {e}");
            return EXIT_BAD_INPUT;
        }
    };
    let mut sink = match Sink::new(out, format_of(args)) {
        Ok(sink) => sink,
        Err(e) => {
            tell!("error: cannot write the export: {e}");
            return EXIT_SOME_FAILED;
        }
    };
    let mut request = client.list_users().network_id(network_id).max_results(100);
    if let Some(status) = args.status {
        request = request.status(match status {
            StatusFilter::Pending => UserStatus::Pending,
            StatusFilter::Active => UserStatus::Active,
        });
    }
    let display = ProgressDisplay::new(
        expected_users(&client, network_id, args.status).await,
        "users",
    );
    let mut pages = request.into_paginator().send();
    let mut several_groups = 0u64;
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(e) => {
                tell!(
                    "error: listing the users failed after {} users: {}",
                    exported.get(),
                    wickr_admin::error::explain(&e)
                );
                return EXIT_SOME_FAILED;
            }
        };
        for user in page.users() {
            if user.security_groups().len() > 1 {
                several_groups += 1;
            }
            if let Err(e) = sink.write(&export_row(user)) {
                tell!("error: cannot write the export: {e}");
                return EXIT_SOME_FAILED;
            }
            exported.set(exported.get() + 1);
        }
        // Each page goes out as it arrives: nothing accumulates.
        if let Err(e) = sink.flush() {
            tell!("error: cannot write the export: {e}");
            return EXIT_SOME_FAILED;
        }
        display.advance(exported.get());
    }
    display.finish();
    drop(sink);
    if several_groups > 0 {
        tell!(
            "warning: {several_groups} users are in more than one security group; the file holds \
             the first of each (a user file names one)"
        );
    }
    EXIT_OK
}
