//! `cargo xtask bench export`: exports every user of an emulator's network holding N users, for
//! several N, two ways, and prints peak memory and time side by side:
//!
//! - `wickr-admin users export --output-file FILE` (this project: pages written as they arrive);
//! - the official `aws-sdk-wickr` client's ListUsers paginator writing the same CSV lines
//!   (`crates/wickr-admin-cli/examples/official_export.rs`).
//!
//! Each size gets a fresh emulator process (release build, demo network), filled with
//! `wickr-admin users import`. Peak memory is the exporting process's `ru_maxrss`; a flat export
//! has the same peak at every size. The rows written are counted in the file.
//!
//! Options: `--users N[,N...]` (`1000,10000,100000`).

use std::path::Path;
use std::process::Command;

use super::bench_support::{
    build_release, client_env, measure, target_dir, workspace_root, Emulator,
};

const NETWORK_ID: &str = "12345678";
const SECURITY_GROUP_ID: &str = "BCTY8Qhe";

struct Row {
    users: usize,
    client: &'static str,
    rows: usize,
    seconds: f64,
    peak_rss_kib: i64,
    exit_code: i32,
}

fn sizes(args: &[String]) -> Result<Vec<usize>, String> {
    match args {
        [] => Ok(vec![1_000, 10_000, 100_000]),
        [flag, value] if flag == "--users" => value
            .split(',')
            .map(|n| {
                n.trim()
                    .parse::<usize>()
                    .map_err(|_| format!("--users: {n:?} is not a whole number"))
            })
            .collect(),
        _ => Err("usage: cargo xtask bench export [--users N[,N...]]".to_string()),
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    let sizes = sizes(args)?;
    let root = workspace_root();
    build_release(
        &root,
        &["wickr-admin-local", "wickr-admin-cli"],
        ("wickr-admin-cli", "official_export"),
    )?;
    let bin = target_dir(&root).join("release");
    let emulator_bin = bin.join("wickr-admin-local");
    let cli_bin = bin.join("wickr-admin");
    let official_bin = bin.join("examples").join("official_export");
    let scratch =
        std::env::temp_dir().join(format!("wickr-admin-bench-export-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).map_err(|e| format!("cannot create scratch dir: {e}"))?;

    let mut rows = Vec::new();
    for &users in &sizes {
        let emulator = Emulator::start(&emulator_bin, &[])?;
        let endpoint = emulator.endpoint();
        fill(&cli_bin, &endpoint, users, &scratch)?;
        let ours = scratch.join("ours.csv");
        let run = measure(
            &cli_bin,
            &[
                "--endpoint-url".into(),
                endpoint.clone(),
                "users".into(),
                "export".into(),
                "--network-id".into(),
                NETWORK_ID.into(),
                "--output-file".into(),
                ours.display().to_string(),
            ],
        )?;
        rows.push(Row {
            users,
            client: "wickr-admin users export",
            rows: data_rows(&ours),
            seconds: run.seconds,
            peak_rss_kib: run.peak_rss_kib,
            exit_code: run.exit_code,
        });
        let theirs = scratch.join("official.csv");
        let run = measure(
            &official_bin,
            &[
                "--endpoint-url".into(),
                endpoint.clone(),
                "--network-id".into(),
                NETWORK_ID.into(),
                "--output-file".into(),
                theirs.display().to_string(),
            ],
        )?;
        rows.push(Row {
            users,
            client: "aws-sdk-wickr paginator loop",
            rows: data_rows(&theirs),
            seconds: run.seconds,
            peak_rss_kib: run.peak_rss_kib,
            exit_code: run.exit_code,
        });
        drop(emulator);
        for row in &rows[rows.len() - 2..] {
            eprintln!(
                "   {} users, {}: {} rows in {:.2}s, peak {:.1} MiB, exit {}",
                row.users,
                row.client,
                row.rows,
                row.seconds,
                row.peak_rss_kib as f64 / 1024.0,
                row.exit_code
            );
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    println!("\nExport of every user of a network from wickr-admin-local (release builds, separate processes, this machine)\n");
    println!("| users in the network | client | rows written | seconds | peak RSS (MiB) | exit |");
    println!("|---:|---|---:|---:|---:|---:|");
    for row in &rows {
        println!(
            "| {} | {} | {} | {:.2} | {:.1} | {} |",
            row.users,
            row.client,
            row.rows,
            row.seconds,
            row.peak_rss_kib as f64 / 1024.0,
            row.exit_code
        );
    }
    Ok(())
}

/// Rows of a CSV file after its header.
fn data_rows(path: &Path) -> usize {
    std::fs::read_to_string(path)
        .map(|text| text.lines().count().saturating_sub(1))
        .unwrap_or(0)
}

/// Imports `users` users (plus the demo administrator already there).
fn fill(cli: &Path, endpoint: &str, users: usize, scratch: &Path) -> Result<(), String> {
    let file = scratch.join("users.csv");
    let mut text = String::from("username,firstName,lastName\n");
    for i in 0..users {
        text.push_str(&format!("export-{i}@example.com,Export,User{i}\n"));
    }
    std::fs::write(&file, text).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    let mut command = Command::new(cli);
    command.args([
        "--endpoint-url",
        endpoint,
        "users",
        "import",
        &file.display().to_string(),
        "--network-id",
        NETWORK_ID,
        "--security-group-id",
        SECURITY_GROUP_ID,
        "--concurrency",
        "8",
        "--output",
        "json",
    ]);
    client_env(&mut command);
    let out = command
        .output()
        .map_err(|e| format!("cannot run {}: {e}", cli.display()))?;
    if !out.status.success() {
        return Err(format!(
            "filling the network failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(())
}
