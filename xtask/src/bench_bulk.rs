//! `cargo xtask bench bulk`: imports users into the emulator three ways and prints them side by
//! side:
//!
//! - `wickr-admin users import` (this project's bulk job);
//! - the official `aws-sdk-wickr` client in a sequential loop of 50-user BatchCreateUser calls;
//! - the official client with as many calls in flight as the bulk job may run.
//!
//! Three rounds: the emulator as fast as it goes (on this machine client and emulator then
//! compete for the same cores), the emulator answering every call after a fixed delay (standing in
//! for the real service's latency, which is what concurrency hides), and the emulator
//! rate-limited (where what counts is how many users end up created).
//!
//! Every run gets a fresh emulator process (release build, its own port, demo network) so runs do
//! not share state. Users per second come from wall time of the client process (start to exit);
//! peak memory is the client process's `ru_maxrss`; users created are counted in the network
//! afterwards (GetUsersCount), so a lost user is one the network does not have.
//!
//! Options: `--users N` (10000), `--concurrency C` (8), `--latency-ms L` (50), `--rate-limit R`
//! calls per second (20).

use std::path::{Path, PathBuf};
use std::process::Command;

use super::bench_support::{client_env, measure, target_dir, workspace_root, Emulator};
/// The emulator's demo network and its security group.
const NETWORK_ID: &str = "12345678";
const SECURITY_GROUP_ID: &str = "BCTY8Qhe";
/// Users the demo network holds before any import.
const SEEDED_USERS: i64 = 1;

struct Options {
    users: usize,
    concurrency: usize,
    rate_limit: u32,
    latency_ms: u32,
}

fn options(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        users: 10_000,
        concurrency: 8,
        rate_limit: 20,
        latency_ms: 50,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it
            .next()
            .ok_or_else(|| format!("{flag} needs a value"))?
            .parse::<usize>()
            .map_err(|_| format!("{flag} needs a whole number"))?;
        match flag.as_str() {
            "--users" => o.users = value.max(1),
            "--concurrency" => o.concurrency = value.clamp(1, 64),
            "--rate-limit" => o.rate_limit = u32::try_from(value.max(1)).unwrap_or(u32::MAX),
            "--latency-ms" => o.latency_ms = u32::try_from(value.clamp(1, 10_000)).unwrap_or(50),
            other => {
                return Err(format!(
                    "unknown option {other} (--users, --concurrency, --rate-limit, --latency-ms)"
                ))
            }
        }
    }
    Ok(o)
}

/// One client run.
struct Measurement {
    name: String,
    created_in_network: i64,
    seconds: f64,
    peak_rss_kib: i64,
    exit_code: i32,
}

pub fn run(args: &[String]) -> Result<(), String> {
    let options = options(args)?;
    let root = workspace_root();
    build(&root)?;
    let bin = target_dir(&root).join("release");
    let emulator_bin = bin.join("wickr-admin-local");
    let cli_bin = bin.join("wickr-admin");
    let official_bin = bin.join("examples").join("official_import");

    let scratch =
        std::env::temp_dir().join(format!("wickr-admin-bench-bulk-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).map_err(|e| format!("cannot create scratch dir: {e}"))?;
    let users_file = scratch.join("users.csv");
    write_users(&users_file, options.users)?;

    let mut rounds = Vec::new();
    let scenarios = [
        Scenario {
            label: "no added latency".to_string(),
            rate_limit: None,
            latency_ms: None,
        },
        Scenario {
            label: format!("{} ms per call", options.latency_ms),
            rate_limit: None,
            latency_ms: Some(options.latency_ms),
        },
        Scenario {
            label: format!("rate limit {} calls/s", options.rate_limit),
            rate_limit: Some(options.rate_limit),
            latency_ms: None,
        },
    ];
    for scenario in &scenarios {
        let mut results = Vec::new();
        let label = scenario.label.clone();
        eprintln!("== {label}");
        let conc = options.concurrency.to_string();
        let users = options.users.to_string();
        let runs: Vec<(String, PathBuf, Vec<String>)> = vec![
            (
                format!("wickr-admin users import (concurrency {conc})"),
                cli_bin.clone(),
                vec![
                    "users".into(),
                    "import".into(),
                    users_file.display().to_string(),
                    "--network-id".into(),
                    NETWORK_ID.into(),
                    "--security-group-id".into(),
                    SECURITY_GROUP_ID.into(),
                    "--concurrency".into(),
                    conc.clone(),
                    "--output".into(),
                    "json".into(),
                ],
            ),
            (
                "aws-sdk-wickr, sequential loop".to_string(),
                official_bin.clone(),
                vec![
                    "--network-id".into(),
                    NETWORK_ID.into(),
                    "--security-group-id".into(),
                    SECURITY_GROUP_ID.into(),
                    "--users".into(),
                    users.clone(),
                    "--concurrency".into(),
                    "1".into(),
                ],
            ),
            (
                format!("aws-sdk-wickr, concurrency {conc}"),
                official_bin.clone(),
                vec![
                    "--network-id".into(),
                    NETWORK_ID.into(),
                    "--security-group-id".into(),
                    SECURITY_GROUP_ID.into(),
                    "--users".into(),
                    users.clone(),
                    "--concurrency".into(),
                    conc.clone(),
                ],
            ),
        ];
        for (name, program, mut run_args) in runs {
            let emulator = Emulator::start(&emulator_bin, &scenario.emulator_args())?;
            let endpoint = emulator.endpoint();
            run_args.splice(0..0, ["--endpoint-url".to_string(), endpoint.clone()]);
            let (seconds, peak, code) = measure(&program, &run_args)?;
            let created = count_users(&cli_bin, &endpoint)? - SEEDED_USERS;
            drop(emulator);
            eprintln!(
                "   {name}: {created} users in {seconds:.2}s, peak {} MiB, exit {code}",
                peak / 1024
            );
            results.push(Measurement {
                name,
                created_in_network: created,
                seconds,
                peak_rss_kib: peak,
                exit_code: code,
            });
        }
        rounds.push((label, results));
    }
    let _ = std::fs::remove_dir_all(&scratch);
    print_table(&options, &rounds);
    Ok(())
}

fn print_table(options: &Options, rounds: &[(String, Vec<Measurement>)]) {
    println!(
        "\nBulk import of {} users into wickr-admin-local (release builds, separate processes, this machine)\n",
        options.users
    );
    println!("| emulator | client | users created | users lost | seconds | users/s | peak RSS (MiB) | exit |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
    for (label, results) in rounds {
        for m in results {
            let rate = if m.seconds > 0.0 {
                m.created_in_network as f64 / m.seconds
            } else {
                0.0
            };
            println!(
                "| {label} | {} | {} | {} | {:.2} | {:.0} | {:.1} | {} |",
                m.name,
                m.created_in_network,
                options.users as i64 - m.created_in_network,
                m.seconds,
                rate,
                m.peak_rss_kib as f64 / 1024.0,
                m.exit_code
            );
        }
    }
    println!();
    for (label, results) in rounds {
        let [ours, sequential, concurrent] = results.as_slice() else {
            continue;
        };
        let all = options.users as i64;
        if ours.created_in_network == all && sequential.created_in_network == all {
            let r = |m: &Measurement| m.created_in_network as f64 / m.seconds.max(1e-9);
            println!(
                "{label}: bulk import {:.1}x the sequential official loop's users/s",
                r(ours) / r(sequential).max(1e-9)
            );
        } else {
            println!(
                "{label}: users created of {all}: bulk import {}, official sequential {}, official concurrent {}",
                ours.created_in_network,
                sequential.created_in_network,
                concurrent.created_in_network
            );
        }
    }
}

fn build(root: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    // One invocation, so the binaries and the example share one feature resolution and one build.
    let args = [
        "build",
        "--release",
        "-p",
        "wickr-admin-local",
        "-p",
        "wickr-admin-cli",
        "--bins",
        "--example",
        "official_import",
    ];
    let status = Command::new(&cargo)
        .args(args)
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("`cargo {}` failed", args.join(" ")));
    }
    Ok(())
}

fn write_users(path: &Path, users: usize) -> Result<(), String> {
    let mut text = String::from(
        "username,firstName,lastName,securityGroupId,inviteCode,inviteCodeTtl,codeValidation\n",
    );
    for i in 0..users {
        text.push_str(&format!("bench-{i}@example.com,Bench,User{i},,,,\n"));
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// How the emulator behaves in one round.
struct Scenario {
    label: String,
    rate_limit: Option<u32>,
    /// Delay added to every answer, standing in for the service's own latency.
    latency_ms: Option<u32>,
}

impl Scenario {
    fn emulator_args(&self) -> Vec<String> {
        let mut args = Vec::new();
        if let Some(r) = self.rate_limit {
            args.extend(["--rate-limit".to_string(), r.to_string()]);
        }
        if let Some(ms) = self.latency_ms {
            args.extend(["--faults".to_string(), format!("delay=1:{ms}ms")]);
        }
        args
    }
}

/// Users in the demo network, asked through `wickr-admin get-users-count`.
pub(super) fn count_users(cli: &Path, endpoint: &str) -> Result<i64, String> {
    let input = std::env::temp_dir().join(format!(
        "wickr-admin-bench-count-{}.json",
        std::process::id()
    ));
    std::fs::write(&input, format!("{{\"networkId\":\"{NETWORK_ID}\"}}"))
        .map_err(|e| format!("cannot write {}: {e}", input.display()))?;
    let mut command = Command::new(cli);
    command.args([
        "--endpoint-url",
        endpoint,
        "get-users-count",
        "--cli-input-json",
        &input.display().to_string(),
    ]);
    client_env(&mut command);
    let output = command
        .output()
        .map_err(|e| format!("cannot run {}: {e}", cli.display()))?;
    let _ = std::fs::remove_file(&input);
    if !output.status.success() {
        return Err(format!(
            "get-users-count failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("get-users-count printed no JSON: {e}"))?;
    doc.get("total")
        .and_then(serde_json::Value::as_i64)
        .ok_or_else(|| "get-users-count printed no total".to_string())
}
