//! The client's own CPU cost in instructions, which do not depend on the machine's load: each
//! client imports the users file under `valgrind --tool=callgrind` (all threads counted) against
//! an emulator that adds no latency, and the total of instructions executed is read from
//! callgrind's output.

use std::path::Path;
use std::process::{Command, Stdio};

use super::clients::{Binaries, Client};
use super::count_users;
use super::runs::{remove_report, Condition, Files};
use crate::bench::bench_support::{measure, Emulator};

/// One client's count.
pub struct Counted {
    pub client: Client,
    pub instructions: u64,
    /// Of them, the instructions of SHA-256 in software (`None` when `callgrind_annotate` could
    /// not tell): valgrind does not offer the CPU's SHA extensions, so under it SHA-256 runs
    /// in software at tens of instructions a byte, where natively it takes a few cycles a byte.
    pub software_sha256: Option<u64>,
    /// Users the network gained (a count is only comparable when every user was created).
    pub created: i64,
}

/// Whether `valgrind` can be run.
pub fn available() -> bool {
    Command::new("valgrind")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The valgrind command line the counts come from, for the table.
pub fn command() -> &'static str {
    "`valgrind --tool=callgrind --callgrind-out-file=OUT CLIENT ARGS`"
}

pub fn count(
    binaries: &Binaries,
    clients: &[Client],
    files: &Files,
    scratch: &Path,
) -> Result<Vec<Counted>, String> {
    let mut counted = Vec::new();
    for &client in clients {
        let emulator = Emulator::start(&binaries.emulator, &Condition::none().emulator_args())?;
        let endpoint = emulator.endpoint();
        let (program, args) =
            client.invocation(binaries, &endpoint, &files.users_file, &files.report)?;
        let out = scratch.join("callgrind.out");
        let mut valgrind_args = vec![
            "--tool=callgrind".to_string(),
            format!("--callgrind-out-file={}", out.display()),
            program.display().to_string(),
        ];
        valgrind_args.extend(args);
        let run = measure(Path::new("valgrind"), &valgrind_args)?;
        let created = count_users(&binaries.cli, &endpoint)? - 1;
        drop(emulator);
        remove_report(&files.report);
        let text = std::fs::read_to_string(&out)
            .map_err(|e| format!("callgrind wrote no {}: {e}", out.display()))?;
        let software_sha256 = software_sha256(&out);
        let _ = std::fs::remove_file(&out);
        let instructions = total(&text).ok_or_else(|| {
            format!(
                "no instruction total in callgrind's output for {} (exit {})",
                client.name(binaries),
                run.exit_code
            )
        })?;
        eprintln!(
            "   [instructions] {}: {instructions} instructions, {created} created",
            client.name(binaries)
        );
        counted.push(Counted {
            client,
            instructions,
            software_sha256,
            created,
        });
    }
    Ok(counted)
}

/// The `summary:` (or `totals:`) line of a callgrind output file: its first number is the
/// instructions executed.
fn total(callgrind_out: &str) -> Option<u64> {
    callgrind_out.lines().find_map(|line| {
        let rest = line
            .strip_prefix("summary:")
            .or_else(|| line.strip_prefix("totals:"))?;
        rest.split_whitespace().next()?.parse().ok()
    })
}

/// The instructions spent in the software SHA-256 of the `sha2` crate (both clients hash with
/// it), from `callgrind_annotate`'s list of each function's own instructions.
fn software_sha256(callgrind_out: &Path) -> Option<u64> {
    let out = Command::new("callgrind_annotate")
        .args(["--inclusive=no", "--threshold=100"])
        .arg(callgrind_out)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    Some(sha256_lines(&String::from_utf8_lossy(&out.stdout)))
}

/// The sum of the counts on the lines that name a function of `sha2::sha256::soft`.
fn sha256_lines(annotated: &str) -> u64 {
    annotated
        .lines()
        .filter(|line| line.contains("sha2::sha256::soft"))
        .filter_map(|line| {
            line.split_whitespace()
                .next()?
                .replace(',', "")
                .parse::<u64>()
                .ok()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn software_sha256_sums_the_soft_functions_only() {
        let annotated = "\
1,513,454,336 (100.0%)  PROGRAM TOTALS
227,928,180 (15.06%)  ???:sha2::sha256::soft::unroll::compress [/bin/x]
 72,483,928 ( 9.29%)  ???:csv_core::reader::Reader::read_record [/bin/x]
      1,000 ( 0.00%)  ???:sha2::sha256::soft::compress [/bin/x]
        500 ( 0.00%)  ???:sha2::sha256::x86_sha::compress [/bin/x]
";
        assert_eq!(sha256_lines(annotated), 227_929_180);
        assert_eq!(sha256_lines("no such lines"), 0);
    }
}
