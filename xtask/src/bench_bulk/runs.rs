//! Running the clients: each run against a fresh emulator process, measured (the client's wall
//! time, CPU time and peak memory, the emulator's CPU time over the same span, the users the
//! network holds afterwards), each client several times, the runs interleaved.

use std::path::{Path, PathBuf};

use super::clients::{Binaries, Client};
use super::count_users;
use crate::bench::bench_support::{measure_on, Emulator, ProcessRun};

/// Users the demo network holds before any import.
const SEEDED_USERS: i64 = 1;

/// How the emulator behaves in one round.
#[derive(Clone, Debug)]
pub struct Condition {
    pub label: String,
    /// Delay added to every answer, standing in for the service's own latency.
    pub latency_ms: Option<u32>,
    pub rate_limit: Option<u32>,
    /// The CPUs the emulator and the client are kept on, each its own; `None`: both share all.
    pub cpus: Option<(usize, usize)>,
}

impl Condition {
    pub fn none() -> Self {
        Self {
            label: "no added latency".to_string(),
            latency_ms: None,
            rate_limit: None,
            cpus: None,
        }
    }

    /// No added latency, the emulator kept on one CPU and the client on another: neither takes
    /// CPU time from the other, as with a service on its own machine.
    pub fn pinned((emulator, client): (usize, usize)) -> Self {
        Self {
            label: format!(
                "no added latency, the emulator on CPU {emulator} and the client on CPU {client}"
            ),
            cpus: Some((emulator, client)),
            ..Self::none()
        }
    }

    pub fn latency(ms: u32) -> Self {
        Self {
            label: format!("{ms} ms per call"),
            latency_ms: Some(ms),
            rate_limit: None,
            cpus: None,
        }
    }

    pub fn rate_limit(per_second: u32) -> Self {
        Self {
            label: format!("rate limit {per_second} calls/s"),
            latency_ms: None,
            rate_limit: Some(per_second),
            cpus: None,
        }
    }

    pub fn emulator_args(&self) -> Vec<String> {
        let mut args = Vec::new();
        if let Some(r) = self.rate_limit {
            args.extend(["--rate-limit".to_string(), r.to_string()]);
        }
        if let Some(ms) = self.latency_ms {
            args.extend(["--faults".to_string(), format!("delay=1:{ms}ms")]);
        }
        args
    }

    /// The emulator's command line, for the table.
    pub fn emulator_command(&self) -> String {
        let mut parts = vec!["wickr-admin-local --seed".to_string()];
        parts.extend(self.emulator_args());
        format!("`{}`", parts.join(" "))
    }
}

/// One run of one client.
#[derive(Clone, Debug)]
pub struct Sample {
    pub process: ProcessRun,
    /// CPU time the emulator used while the client ran.
    pub emulator_cpu_seconds: f64,
    /// Users the network gained.
    pub created: i64,
}

/// The runs of one client in one condition.
#[derive(Clone, Debug)]
pub struct Measured {
    pub client: Client,
    pub users: usize,
    pub samples: Vec<Sample>,
}

impl Measured {
    /// The run of median wall time (the lower of the two middle ones for an even count).
    pub fn median(&self) -> &Sample {
        let mut order: Vec<&Sample> = self.samples.iter().collect();
        order.sort_by(|a, b| a.process.seconds.total_cmp(&b.process.seconds));
        order[(order.len() - 1) / 2]
    }

    pub fn seconds(&self) -> f64 {
        self.median().process.seconds
    }

    /// Shortest and longest wall time.
    pub fn range(&self) -> (f64, f64) {
        let times = self.samples.iter().map(|s| s.process.seconds);
        let min = times.clone().fold(f64::INFINITY, f64::min);
        let max = times.fold(0.0, f64::max);
        (min, max)
    }

    /// Whether every run created every user.
    pub fn all_created(&self) -> bool {
        self.samples.iter().all(|s| s.created == self.users as i64)
    }

    /// The fewest users a run created.
    pub fn fewest_created(&self) -> i64 {
        self.samples.iter().map(|s| s.created).min().unwrap_or(0)
    }

    /// Peak resident memory of the median run (the run the other columns show), MiB.
    pub fn peak_rss_mib(&self) -> f64 {
        self.median().process.peak_rss_kib as f64 / 1024.0
    }
}

/// Where the runs keep their files.
pub struct Files {
    pub users_file: PathBuf,
    pub users: usize,
    pub report: PathBuf,
}

/// Runs each client `repeat` times in `condition`, round-robin (every client once, then again),
/// so that a change in the machine's load falls on all of them alike.
pub fn measure_all(
    binaries: &Binaries,
    condition: &Condition,
    clients: &[Client],
    files: &Files,
    repeat: usize,
) -> Result<Vec<Measured>, String> {
    let mut measured: Vec<Measured> = clients
        .iter()
        .map(|&client| Measured {
            client,
            users: files.users,
            samples: Vec::new(),
        })
        .collect();
    for round in 0..repeat.max(1) {
        for m in measured.iter_mut() {
            let sample = run_once(binaries, condition, m.client, files)?;
            eprintln!(
                "   [{}] {} ({} users, run {}): {} created in {:.2} s, CPU {:.2} s (emulator \
                 {:.2} s), peak {:.1} MiB, exit {}",
                condition.label,
                m.client.name(binaries),
                files.users,
                round + 1,
                sample.created,
                sample.process.seconds,
                sample.process.cpu_seconds,
                sample.emulator_cpu_seconds,
                sample.process.peak_rss_kib as f64 / 1024.0,
                sample.process.exit_code
            );
            m.samples.push(sample);
        }
    }
    Ok(measured)
}

fn run_once(
    binaries: &Binaries,
    condition: &Condition,
    client: Client,
    files: &Files,
) -> Result<Sample, String> {
    let (emulator_cpu, client_cpu) = condition.cpus.unzip();
    let emulator =
        Emulator::start_on(&binaries.emulator, &condition.emulator_args(), emulator_cpu)?;
    let endpoint = emulator.endpoint();
    let (program, args) =
        client.invocation(binaries, &endpoint, &files.users_file, &files.report)?;
    let cpu_before = emulator.cpu_seconds()?;
    let process = measure_on(&program, &args, client_cpu)?;
    let cpu_after = emulator.cpu_seconds()?;
    let created = count_users(&binaries.cli, &endpoint)? - SEEDED_USERS;
    drop(emulator);
    remove_report(&files.report);
    Ok(Sample {
        process,
        emulator_cpu_seconds: cpu_after - cpu_before,
        created,
    })
}

/// Removes a run's report (and what `wickr-admin` keeps beside it), so the next run starts clean.
pub fn remove_report(report: &Path) {
    let _ = std::fs::remove_file(report);
    let mut resume = report.as_os_str().to_owned();
    resume.push(".resume");
    let _ = std::fs::remove_file(PathBuf::from(resume));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(seconds: f64, peak_rss_kib: i64) -> Sample {
        Sample {
            process: ProcessRun {
                seconds,
                cpu_seconds: seconds,
                peak_rss_kib,
                exit_code: 0,
            },
            emulator_cpu_seconds: 0.0,
            created: 10,
        }
    }

    #[test]
    fn memory_is_the_median_runs_like_the_other_columns() {
        let measured = Measured {
            client: Client::Tuned,
            users: 10,
            // The median run by time is the 2.0 s one; the highest peak is another run's.
            samples: vec![
                sample(3.0, 40 * 1024),
                sample(1.0, 10 * 1024),
                sample(2.0, 20 * 1024),
            ],
        };
        assert_eq!(measured.seconds(), 2.0);
        assert_eq!(measured.peak_rss_mib(), 20.0);
    }
}
