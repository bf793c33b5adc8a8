//! The bulk benchmark's tables, in Markdown, each followed by what it shows against the targets.

use super::clients::{Binaries, Client};
use super::instructions::Counted;
use super::runs::{Condition, Measured};

/// How much slower than its floor the self-tuned import may be.
const TUNED_TARGET: f64 = 1.10;
/// How much more memory a million rows may take than ten thousand.
const MEMORY_GROWTH_TARGET: f64 = 1.5;

fn met(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "not met"
    }
}

/// The official run a row is compared with: the same concurrency, or for the self-tuned import
/// the official loop's fastest run that created every user.
fn official_for(client: Client, results: &[Measured]) -> Option<&Measured> {
    let officials = results
        .iter()
        .filter(|m| matches!(m.client, Client::Official(_)));
    match client {
        Client::Tuned => officials
            .clone()
            .filter(|m| m.all_created())
            .min_by(|a, b| a.seconds().total_cmp(&b.seconds()))
            .or_else(|| officials.clone().next()),
        other => officials
            .clone()
            .find(|m| m.client.concurrency() == other.concurrency()),
    }
}

/// "1.12x (concurrency 8)": the official run's time over this one's (above 1: faster).
fn speed_against_official(m: &Measured, results: &[Measured]) -> String {
    let Some(official) = official_for(m.client, results) else {
        return "—".to_string();
    };
    let against = official
        .client
        .concurrency()
        .map_or(String::new(), |c| format!(" (concurrency {c})"));
    if !official.all_created() {
        return format!(
            "official created {} of {}{against}",
            official.fewest_created(),
            official.users
        );
    }
    if !m.all_created() {
        return format!("created {} of {}", m.fewest_created(), m.users);
    }
    format!(
        "{:.2}x{against}",
        official.seconds() / m.seconds().max(1e-9)
    )
}

pub fn print_condition(
    binaries: &Binaries,
    condition: &Condition,
    results: &[Measured],
    repeat: usize,
    load: (Option<f64>, Option<f64>),
) {
    let users = results.first().map_or(0, |m| m.users);
    println!("\n### {}, {users} rows\n", condition.label);
    println!(
        "Emulator: {}. Load average (1 min) before and after: {}.\n",
        condition.emulator_command(),
        loads(load)
    );
    println!(
        "| client | command | users created | seconds (median of {repeat}) | min to max | users/s \
         | client CPU s | emulator CPU s | peak RSS of the median run (MiB) | speed against the \
         official loop |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
    for m in results {
        let s = m.median();
        let (min, max) = m.range();
        println!(
            "| {} | {} | {} | {:.2} | {:.2} to {:.2} | {:.0} | {:.2} | {:.2} | {:.1} | {} |",
            m.client.name(binaries),
            m.client.command(),
            m.fewest_created(),
            s.process.seconds,
            min,
            max,
            s.created as f64 / s.process.seconds.max(1e-9),
            s.process.cpu_seconds,
            s.emulator_cpu_seconds,
            m.peak_rss_mib(),
            speed_against_official(m, results)
        );
    }
    println!();
    let tuned = results.iter().find(|m| m.client == Client::Tuned);
    if let (Some(tuned), Some(per_second)) = (tuned, condition.rate_limit) {
        let floor = users as f64 / (50.0 * f64::from(per_second));
        let ratio = tuned.seconds() / floor;
        println!(
            "- Floor under the rate limit: {users} / (50 x {per_second}) = {floor:.2} s. \
             Self-tuned: {:.2} s, {ratio:.2} of the floor (target at most {TUNED_TARGET:.2}: {}), \
             {} of {users} users created. (The emulator counts calls in fixed one-second \
             windows, so a run may end up to one window sooner than the floor.)",
            tuned.seconds(),
            met(ratio <= TUNED_TARGET && tuned.all_created()),
            tuned.fewest_created()
        );
    }
    let best_fixed = results
        .iter()
        .filter(|m| matches!(m.client, Client::Fixed(_)) && m.all_created())
        .min_by(|a, b| a.seconds().total_cmp(&b.seconds()));
    if let (Some(tuned), Some(best), None) = (tuned, best_fixed, condition.rate_limit) {
        let ratio = tuned.seconds() / best.seconds().max(1e-9);
        let target = if condition.latency_ms.is_some() {
            format!(
                " (target at most {TUNED_TARGET:.2}: {})",
                met(ratio <= TUNED_TARGET)
            )
        } else {
            String::new()
        };
        println!(
            "- Self-tuned: {:.2} s; best fixed: {}, {:.2} s; self-tuned takes {ratio:.2} of the \
             best fixed time{target}.",
            tuned.seconds(),
            best.client.name(binaries),
            best.seconds()
        );
    }
    let same: Vec<String> = results
        .iter()
        .filter(|m| matches!(m.client, Client::Fixed(_)))
        .filter_map(|m| {
            let official = official_for(m.client, results)?;
            (official.all_created() && m.all_created()).then(|| {
                format!(
                    "{}: {:.2} s against {:.2} s, CPU {:.2} s against {:.2} s",
                    m.client.concurrency().unwrap_or(0),
                    m.seconds(),
                    official.seconds(),
                    m.median().process.cpu_seconds,
                    official.median().process.cpu_seconds
                )
            })
        })
        .collect();
    if !same.is_empty() {
        println!(
            "- wickr-admin against the official loop at the same concurrency (wall time, then the \
             client process's CPU time): {}.",
            same.join("; ")
        );
    }
}

pub fn print_memory(
    binaries: &Binaries,
    small: &[Measured],
    big: &[Measured],
    load: (Option<f64>, Option<f64>),
) {
    let big_users = big.first().map_or(0, |m| m.users);
    let small_users = small.first().map_or(0, |m| m.users);
    println!(
        "\n### Memory and time: {big_users} rows next to {small_users} rows, no added latency\n"
    );
    println!(
        "Emulator: {}. Load average (1 min) before and after the {big_users}-row runs: {}. The \
         {small_users}-row rows are the median runs of the no-added-latency table above.\n",
        Condition::none().emulator_command(),
        loads(load)
    );
    println!(
        "| client | command | rows | users created | seconds | users/s | client CPU s | emulator \
         CPU s | peak RSS of the median run (MiB) | peak RSS against {small_users} rows |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for m in big {
        let Some(at_small) = small.iter().find(|s| s.client == m.client) else {
            continue;
        };
        for (row, growth) in [
            (at_small, None),
            (m, Some(m.peak_rss_mib() / at_small.peak_rss_mib())),
        ] {
            let s = row.median();
            println!(
                "| {} | {} | {} | {} | {:.2} | {:.0} | {:.2} | {:.2} | {:.1} | {} |",
                row.client.name(binaries),
                row.client.command(),
                row.users,
                row.fewest_created(),
                s.process.seconds,
                s.created as f64 / s.process.seconds.max(1e-9),
                s.process.cpu_seconds,
                s.emulator_cpu_seconds,
                row.peak_rss_mib(),
                growth.map_or("".to_string(), |g| format!("{g:.2}x"))
            );
        }
    }
    println!();
    let find = |set: &[Measured], client: Client| set.iter().find(|m| m.client == client).cloned();
    for client in big.iter().map(|m| m.client).filter(|c| c.is_ours()) {
        let (Some(at_small), Some(at_big)) = (find(small, client), find(big, client)) else {
            continue;
        };
        let growth = at_big.peak_rss_mib() / at_small.peak_rss_mib();
        println!(
            "- {}: peak RSS {:.1} MiB at {big_users} rows, {growth:.2}x that at {small_users} \
             rows (target at most {MEMORY_GROWTH_TARGET}: {}).",
            client.name(binaries),
            at_big.peak_rss_mib(),
            met(growth <= MEMORY_GROWTH_TARGET)
        );
    }
    let ours = find(small, Client::Tuned);
    let officials = small
        .iter()
        .filter(|m| matches!(m.client, Client::Official(_)))
        .min_by(|a, b| a.peak_rss_mib().total_cmp(&b.peak_rss_mib()));
    if let (Some(ours), Some(official)) = (ours, officials) {
        println!(
            "- At {small_users} rows: wickr-admin self-tuned {:.1} MiB, the official loop's \
             leanest ({}) {:.1} MiB (target at most the official loop's: {}).",
            ours.peak_rss_mib(),
            official.client.name(binaries),
            official.peak_rss_mib(),
            met(ours.peak_rss_mib() <= official.peak_rss_mib())
        );
    }
    // The same number of calls at once holds the same number of connections and their buffers.
    let same: Vec<String> = small
        .iter()
        .filter_map(|m| match m.client {
            Client::Fixed(c) => find(small, Client::Official(c)).map(|o| (c, m, o)),
            _ => None,
        })
        .map(|(c, ours, official)| {
            format!(
                "{c}: {:.1} against {:.1} MiB",
                ours.peak_rss_mib(),
                official.peak_rss_mib()
            )
        })
        .collect();
    if !same.is_empty() {
        println!(
            "- At {small_users} rows, wickr-admin's peak RSS against the official loop's at the \
             same concurrency (median runs): {}.",
            same.join("; ")
        );
    }
}

pub fn print_instructions(binaries: &Binaries, users: usize, counted: &[Counted]) {
    println!("\n### Client CPU cost in instructions, {users} rows, no added latency\n");
    println!(
        "Each client run once under {}; the total counts every thread of the client process, \
         from its start to its exit (configuration, reading the file, every call, the report). \
         The emulator runs natively beside it. Valgrind does not offer the CPU's SHA extensions, \
         so SHA-256 runs in software under it, at tens of instructions a byte where natively it \
         takes a few cycles a byte: its instructions are shown apart, and the last two columns \
         leave them out.\n",
        super::instructions::command()
    );
    println!(
        "| client | command | users created | instructions | per user | against the official \
         loop | of which SHA-256 in software | per user without it | against the official loop \
         without it |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    let official = counted
        .iter()
        .find(|c| matches!(c.client, Client::Official(_)));
    let ratio = |ours: u64, theirs: u64| format!("{:.2}", ours as f64 / theirs.max(1) as f64);
    let per_user = |n: u64| format!("{:.0}", n as f64 / users.max(1) as f64);
    let without = |c: &Counted| {
        c.software_sha256
            .map(|sha| c.instructions.saturating_sub(sha))
    };
    for c in counted {
        let against = official.map_or("—".to_string(), |o| ratio(c.instructions, o.instructions));
        let against_without = match (without(c), official.and_then(without)) {
            (Some(ours), Some(theirs)) => ratio(ours, theirs),
            _ => "—".to_string(),
        };
        println!(
            "| {} | {} | {} | {} | {} | {against} | {} | {} | {against_without} |",
            c.client.name(binaries),
            c.client.command(),
            c.created,
            c.instructions,
            per_user(c.instructions),
            c.software_sha256
                .map_or("—".to_string(), |sha| sha.to_string()),
            without(c).map_or("—".to_string(), per_user),
        );
    }
}

fn loads((before, after): (Option<f64>, Option<f64>)) -> String {
    let show = |l: Option<f64>| l.map_or("unknown".to_string(), |l| format!("{l:.2}"));
    format!("{} and {}", show(before), show(after))
}
