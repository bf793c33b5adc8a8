//! What the benchmarks that run processes share: where the workspace and its release binaries
//! are and how they are built, an emulator process on a free port (and the CPU time it used),
//! the client environment for it, one client run measured (wall time, CPU time, peak resident
//! memory, exit code), and the machine's load.

use std::io::Read;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Access key the emulator accepts by default.
const ACCESS_KEY_ID: &str = "AKIDWICKRLOCAL";
const SECRET_ACCESS_KEY: &str = "wickr-local-secret";

pub use crate::codegen::workspace_root;

pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

/// Builds the binaries of `packages` in release mode as a user builds them, then `example` of
/// `example_package`.
///
/// Two cargo invocations, not one: built together, the example's dev-dependencies would add
/// their features to the binaries' dependencies (aws-sdk-wickr turns on aws-config's own TLS
/// stack, which `cargo build -p wickr-admin-cli` leaves out), and the binaries measured would not
/// be the ones users run.
pub fn build_release(
    root: &Path,
    packages: &[&str],
    (example_package, example): (&str, &str),
) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut binaries = vec!["build", "--release"];
    for package in packages {
        binaries.extend(["-p", package]);
    }
    binaries.push("--bins");
    let official = vec![
        "build",
        "--release",
        "-p",
        example_package,
        "--example",
        example,
    ];
    for args in [binaries, official] {
        let status = Command::new(&cargo)
            .args(&args)
            .current_dir(root)
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err(format!("`cargo {}` failed", args.join(" ")));
        }
    }
    Ok(())
}

/// A `wickr-admin-local` process, killed when dropped.
pub struct Emulator {
    child: Child,
    addr: SocketAddr,
}

impl Emulator {
    /// Starts `program` with the demo network and `args`, and waits until it listens.
    pub fn start(program: &Path, args: &[String]) -> Result<Self, String> {
        Self::start_on(program, args, None)
    }

    /// [`start`](Self::start), the process and its threads kept on CPU `cpu` when given.
    pub fn start_on(program: &Path, args: &[String], cpu: Option<usize>) -> Result<Self, String> {
        let addr = free_port()?;
        let mut command = Command::new(program);
        command
            .args(["--listen", &addr.to_string(), "--seed"])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(cpu) = cpu {
            pin_to_cpu(&mut command, cpu);
        }
        let child = command
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", program.display()))?;
        let emulator = Self { child, addr };
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(addr).is_err() {
            if Instant::now() > deadline {
                return Err(format!("the emulator did not listen on {addr}"));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(emulator)
    }

    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// CPU time (user and system, all threads) the emulator process has used so far, from
    /// `/proc/PID/stat`, in seconds (to the kernel's clock tick, usually 10 ms).
    pub fn cpu_seconds(&self) -> Result<f64, String> {
        let path = format!("/proc/{}/stat", self.child.id());
        let stat =
            std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
        // Fields after the command name (which is in parentheses and may hold spaces): state is
        // the third field of the line, utime the fourteenth and stime the fifteenth.
        let after_name = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest)
            .ok_or_else(|| format!("{path} has no command name"))?;
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        let ticks = |i: usize| -> Result<f64, String> {
            fields
                .get(i)
                .and_then(|f| f.parse::<u64>().ok())
                .map(|t| t as f64)
                .ok_or_else(|| format!("{path} has no field {}", i + 3))
        };
        // SAFETY: sysconf only reads a system setting.
        let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
        if per_second <= 0 {
            return Err("the clock tick is unknown".to_string());
        }
        Ok((ticks(11)? + ticks(12)?) / per_second as f64)
    }
}

/// The 1-minute load average (`/proc/loadavg`), when the system tells it.
pub fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<SocketAddr, String> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot pick a port: {e}"))?;
    listener
        .local_addr()
        .map_err(|e| format!("cannot pick a port: {e}"))
}

pub fn client_env(command: &mut Command) {
    command
        .env("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN");
}

/// One client process, run to its end.
#[derive(Clone, Debug)]
pub struct ProcessRun {
    /// Wall time from start to exit.
    pub seconds: f64,
    /// CPU time, user and system, of the process (all its threads).
    pub cpu_seconds: f64,
    /// Peak resident memory, KiB (`ru_maxrss`).
    pub peak_rss_kib: i64,
    pub exit_code: i32,
}

/// Runs a client process to its end, measuring it.
pub fn measure(program: &Path, args: &[String]) -> Result<ProcessRun, String> {
    measure_on(program, args, None)
}

/// [`measure`](measure), the process and its threads kept on CPU `cpu` when given.
pub fn measure_on(
    program: &Path,
    args: &[String],
    cpu: Option<usize>,
) -> Result<ProcessRun, String> {
    let mut command = Command::new(program);
    command
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    client_env(&mut command);
    if let Some(cpu) = cpu {
        pin_to_cpu(&mut command, cpu);
    }
    let started = Instant::now();
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", program.display()))?;
    let mut stdout = String::new();
    if let Some(mut out) = child.stdout.take() {
        let _ = out.read_to_string(&mut stdout);
    }
    let (exit_code, usage) = wait_with_rusage(&child)?;
    let seconds = started.elapsed().as_secs_f64();
    let time = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Ok(ProcessRun {
        seconds,
        cpu_seconds: time(usage.ru_utime) + time(usage.ru_stime),
        peak_rss_kib: usage.ru_maxrss,
        exit_code,
    })
}

/// Reaps the child with `wait4` to read its own resource usage.
fn wait_with_rusage(child: &Child) -> Result<(i32, libc::rusage), String> {
    let pid = libc::pid_t::try_from(child.id()).map_err(|_| "pid out of range".to_string())?;
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is plain data that wait4 fills in; an all-zero value is valid.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; both pointers are valid for the call.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if reaped != pid {
        return Err(format!("wait4 failed: {}", std::io::Error::last_os_error()));
    }
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    Ok((code, usage))
}

/// The two lowest-numbered CPUs this process may run on (`sched_getaffinity`), for two processes
/// that must not take CPU time from each other; `None` when it may run on fewer.
pub fn two_cpus() -> Option<(usize, usize)> {
    // SAFETY: `cpu_set_t` is plain data, and an all-zero set is a valid empty one.
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    // SAFETY: the pointer and the size describe `set`, which the call fills in.
    if unsafe { libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) } != 0
    {
        return None;
    }
    let slots = 8 * std::mem::size_of::<libc::cpu_set_t>();
    // SAFETY: CPU_ISSET reads the set at an index below its size.
    let mut allowed = (0..slots).filter(|&cpu| unsafe { libc::CPU_ISSET(cpu, &set) });
    Some((allowed.next()?, allowed.next()?))
}

/// Keeps the process `command` starts, and every thread it starts, on CPU `cpu` (Linux's
/// `sched_setaffinity`, set in the child before it runs the program).
fn pin_to_cpu(command: &mut Command, cpu: usize) {
    use std::os::unix::process::CommandExt;
    // SAFETY: the closure runs in the child between fork and exec, and only calls
    // sched_setaffinity on plain data it owns, which is safe to call there.
    unsafe {
        command.pre_exec(move || {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            libc::CPU_ZERO(&mut set);
            libc::CPU_SET(cpu, &mut set);
            if libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The CPUs a program started with [`pin_to_cpu`] may run on, as the kernel lists them.
    fn allowed_cpus_of_a_child(cpu: Option<usize>) -> String {
        let mut command = Command::new("sh");
        command.args(["-c", "grep Cpus_allowed_list /proc/self/status"]);
        if let Some(cpu) = cpu {
            pin_to_cpu(&mut command, cpu);
        }
        let output = command.output().expect("sh runs");
        assert!(output.status.success(), "{output:?}");
        String::from_utf8_lossy(&output.stdout)
            .split(':')
            .nth(1)
            .unwrap_or_default()
            .trim()
            .to_string()
    }

    #[test]
    fn a_pinned_process_may_run_on_its_one_cpu_only() {
        let Some((first, second)) = two_cpus() else {
            eprintln!("skipped: this process may run on fewer than two CPUs");
            return;
        };
        assert_ne!(allowed_cpus_of_a_child(None), first.to_string());
        assert_eq!(allowed_cpus_of_a_child(Some(first)), first.to_string());
        assert_eq!(allowed_cpus_of_a_child(Some(second)), second.to_string());
    }
}
