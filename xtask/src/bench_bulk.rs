//! `cargo xtask bench bulk`: imports a users file into the emulator with `wickr-admin users
//! import` and with the official `aws-sdk-wickr` client's hand-written concurrent loop
//! (`crates/wickr-admin-cli/examples/official_import.rs`, reading the same file and writing a
//! report), in the same run, and prints the tables of BENCHMARKS.md:
//!
//! - **Rounds** of `--users` rows (10,000) with no added latency and with each `--latency-ms`
//!   (50 and 200 ms per call): the self-tuned import (no `--concurrency`), the import and the
//!   official loop at each `--fixed` concurrency (8, 16, 32, 64), and with `--before REV` the
//!   import as built from that commit at `--concurrency` (8). Each client runs `--repeat` times
//!   (3), interleaved, and the median run is shown with the range of times.
//! - **Rate limits**, each `--rate-limit` (20 and 100 calls/s): the self-tuned import, the import
//!   and the official loop at `--concurrency`, the before build; the floor is
//!   users / (50 x rate) seconds.
//! - **Memory**: `--big-users` rows (1,000,000; 0 leaves it out), once each, next to the
//!   no-added-latency round.
//! - **Pinned**: the same `--big-users` rows with no added latency, the emulator kept on one CPU
//!   and the client on another (the two lowest this process may use, `sched_setaffinity`),
//!   `--repeat` times: the self-tuned import, the import and the official loop at
//!   `--concurrency`, the before build. Neither process takes CPU time from the other, as when
//!   the service runs on its own machine.
//! - **Instructions**: each client once under callgrind at no added latency (when valgrind is
//!   installed): the client's own CPU cost, whatever the machine's load.
//!
//! Every run gets a fresh emulator process (release build, its own port, demo network). Seconds
//! are the client process's wall time from start to exit; CPU time is the client process's user
//! and system time (`wait4`) and the emulator's over the same span (`/proc/PID/stat`), so the
//! share of each is seen; peak memory is the client's `ru_maxrss`, of the median run as the
//! time and CPU columns are; users created are counted in the network afterwards
//! (GetUsersCount). `--tables rounds,rate,memory,pinned,instructions` picks
//! tables. The 1-minute load average is printed before and after each table: numbers are only
//! comparable from a quiet machine.

#[path = "bench_bulk/clients.rs"]
mod clients;
#[path = "bench_bulk/instructions.rs"]
mod instructions;
#[path = "bench_bulk/runs.rs"]
mod runs;
#[path = "bench_bulk/tables.rs"]
mod tables;

use std::path::Path;
use std::process::Command;

use super::bench_support::{
    build_release, client_env, load_average, target_dir, two_cpus, workspace_root,
};
use clients::{Binaries, Client};
use runs::{Condition, Files, Measured};

/// The emulator's demo network and its security group.
const NETWORK_ID: &str = "12345678";
const SECURITY_GROUP_ID: &str = "BCTY8Qhe";

const TABLES: [&str; 5] = ["rounds", "rate", "memory", "pinned", "instructions"];

struct Options {
    users: usize,
    big_users: usize,
    repeat: usize,
    latencies_ms: Vec<u32>,
    rate_limits: Vec<u32>,
    fixed: Vec<u32>,
    concurrency: u32,
    before: Option<String>,
    tables: Vec<String>,
}

fn numbers(flag: &str, value: &str) -> Result<Vec<u32>, String> {
    value
        .split(',')
        .map(|v| {
            v.trim()
                .parse::<u32>()
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| format!("{flag} takes whole numbers above 0, comma-separated"))
        })
        .collect()
}

fn options(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        users: 10_000,
        big_users: 1_000_000,
        repeat: 3,
        latencies_ms: vec![50, 200],
        rate_limits: vec![20, 100],
        fixed: vec![8, 16, 32, 64],
        concurrency: 8,
        before: None,
        tables: TABLES.iter().map(|t| t.to_string()).collect(),
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let one = || -> Result<usize, String> {
            value
                .parse::<usize>()
                .map_err(|_| format!("{flag} needs a whole number"))
        };
        match flag.as_str() {
            "--users" => o.users = one()?.max(1),
            "--big-users" => o.big_users = one()?,
            "--repeat" => o.repeat = one()?.clamp(1, 20),
            "--latency-ms" => o.latencies_ms = numbers(flag, value)?,
            "--rate-limit" => o.rate_limits = numbers(flag, value)?,
            "--fixed" => o.fixed = numbers(flag, value)?,
            "--concurrency" => o.concurrency = one()?.clamp(1, 64) as u32,
            "--before" => o.before = Some(value.clone()),
            "--tables" => {
                o.tables = value.split(',').map(|t| t.trim().to_string()).collect();
                if let Some(unknown) = o.tables.iter().find(|t| !TABLES.contains(&t.as_str())) {
                    return Err(format!(
                        "unknown table {unknown:?} (tables: {})",
                        TABLES.join(", ")
                    ));
                }
            }
            other => {
                return Err(format!(
                    "unknown option {other} (--users, --big-users, --repeat, --latency-ms, \
                     --rate-limit, --fixed, --concurrency, --before, --tables)"
                ))
            }
        }
    }
    if o.fixed.iter().any(|&c| c > 64) {
        return Err("--fixed: wickr-admin takes at most 64 calls at once".to_string());
    }
    Ok(o)
}

pub fn run(args: &[String]) -> Result<(), String> {
    let options = options(args)?;
    let root = workspace_root();
    build_release(
        &root,
        &["wickr-admin-local", "wickr-admin-cli"],
        ("wickr-admin-cli", "official_import"),
    )?;
    let target = target_dir(&root);
    let bin = target.join("release");
    let before = match &options.before {
        Some(rev) => Some(clients::build_before(&root, &target, rev)?),
        None => None,
    };
    let binaries = Binaries {
        emulator: bin.join("wickr-admin-local"),
        cli: bin.join("wickr-admin"),
        official: bin.join("examples").join("official_import"),
        before,
    };
    let scratch =
        std::env::temp_dir().join(format!("wickr-admin-bench-bulk-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).map_err(|e| format!("cannot create scratch dir: {e}"))?;
    let result = run_tables(&options, &binaries, &scratch);
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

fn run_tables(options: &Options, binaries: &Binaries, scratch: &Path) -> Result<(), String> {
    let wants = |t: &str| options.tables.iter().any(|x| x == t);
    let files = Files {
        users_file: scratch.join("users.csv"),
        users: options.users,
        report: scratch.join("report.csv"),
    };
    write_users(&files.users_file, files.users)?;
    let same = options.concurrency;
    let before: Vec<Client> = binaries
        .before
        .iter()
        .map(|_| Client::Before(same))
        .collect();

    println!(
        "Bulk import into wickr-admin-local: release builds, separate processes, {} CPUs, every \
         run against a fresh emulator.",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!("\n{}", clients::legend());

    let mut no_latency: Vec<Measured> = Vec::new();
    if wants("rounds") || wants("memory") {
        let mut conditions = vec![Condition::none()];
        if wants("rounds") {
            conditions.extend(
                options
                    .latencies_ms
                    .iter()
                    .map(|&ms| Condition::latency(ms)),
            );
        }
        let mut swept = vec![Client::Tuned];
        swept.extend(options.fixed.iter().map(|&c| Client::Fixed(c)));
        swept.extend(options.fixed.iter().map(|&c| Client::Official(c)));
        swept.extend(before.iter().copied());
        for condition in &conditions {
            // Without the rounds table, only what the memory table sets beside its big runs.
            let clients: Vec<Client> = if wants("rounds") {
                swept.clone()
            } else {
                memory_clients(same, &before)
            };
            let load_before = load_average();
            let results = runs::measure_all(binaries, condition, &clients, &files, options.repeat)?;
            let load = (load_before, load_average());
            if wants("rounds") {
                tables::print_condition(binaries, condition, &results, options.repeat, load);
            }
            if condition.latency_ms.is_none() {
                no_latency = results;
            }
        }
    }
    if wants("rate") {
        let mut clients = vec![Client::Tuned, Client::Fixed(same), Client::Official(same)];
        clients.extend(before.iter().copied());
        for &per_second in &options.rate_limits {
            let condition = Condition::rate_limit(per_second);
            let load_before = load_average();
            let results =
                runs::measure_all(binaries, &condition, &clients, &files, options.repeat)?;
            let load = (load_before, load_average());
            tables::print_condition(binaries, &condition, &results, options.repeat, load);
        }
    }
    let big = Files {
        users_file: scratch.join("users-big.csv"),
        users: options.big_users,
        report: scratch.join("report-big.csv"),
    };
    if (wants("memory") || wants("pinned")) && options.big_users > 0 {
        write_users(&big.users_file, big.users)?;
    }
    if wants("memory") && options.big_users > 0 {
        let load_before = load_average();
        let results = runs::measure_all(
            binaries,
            &Condition::none(),
            &memory_clients(same, &before),
            &big,
            1,
        )?;
        let load = (load_before, load_average());
        tables::print_memory(binaries, &no_latency, &results, load);
    }
    if wants("pinned") && options.big_users > 0 {
        if let Some(cpus) = two_cpus() {
            let condition = Condition::pinned(cpus);
            let load_before = load_average();
            let clients = memory_clients(same, &before);
            let results = runs::measure_all(binaries, &condition, &clients, &big, options.repeat)?;
            let load = (load_before, load_average());
            tables::print_condition(binaries, &condition, &results, options.repeat, load);
        } else {
            println!("\n(pinned: this process may run on fewer than two CPUs; table left out)");
        }
    }
    let _ = std::fs::remove_file(&big.users_file);
    if wants("instructions") {
        if instructions::available() {
            let mut clients = vec![Client::Fixed(same), Client::Tuned, Client::Official(same)];
            clients.extend(before.iter().copied());
            let counted = instructions::count(binaries, &clients, &files, scratch)?;
            tables::print_instructions(binaries, files.users, &counted);
        } else {
            println!("\n(instructions: valgrind is not installed; table left out)");
        }
    }
    Ok(())
}

/// The clients of the memory table.
fn memory_clients(same: u32, before: &[Client]) -> Vec<Client> {
    let mut clients = vec![Client::Tuned, Client::Fixed(same), Client::Official(same)];
    clients.extend(before.iter().copied());
    clients
}

/// A users file of `users` rows, written as a stream.
fn write_users(path: &Path, users: usize) -> Result<(), String> {
    use std::io::Write;
    let fail = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let file = std::fs::File::create(path).map_err(fail)?;
    let mut out = std::io::BufWriter::new(file);
    writeln!(
        out,
        "username,firstName,lastName,securityGroupId,inviteCode,inviteCodeTtl,codeValidation"
    )
    .map_err(fail)?;
    for i in 0..users {
        writeln!(out, "bench-{i}@example.com,Bench,User{i},,,,").map_err(fail)?;
    }
    out.flush().map_err(fail)
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
