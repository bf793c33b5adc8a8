//! `cargo xtask bench emulator [--concurrency N] [--calls N]`: measures how many 50-user
//! `BatchCreateUser` calls per second the release emulator sustains.
//!
//! Builds the release emulator and its load generator example, starts the emulator on a free
//! loopback port with the demo network, runs the load generator against it, prints its result
//! line and stops the emulator.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use super::bench_support::{build_release, target_dir, workspace_root};

struct StopOnDrop(Child);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs the benchmark.
pub fn run(args: &[String]) -> Result<(), String> {
    let mut concurrency = "32".to_owned();
    let mut calls = "10000".to_owned();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--concurrency" => concurrency = value.clone(),
            "--calls" => calls = value.clone(),
            other => {
                return Err(format!(
                    "unknown option {other} (expected --concurrency or --calls)"
                ))
            }
        }
    }
    let root = workspace_root();
    build_release(
        &root,
        &["wickr-admin-local"],
        ("wickr-admin-local", "loadgen"),
    )?;
    let release = target_dir(&root).join("release");

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("cannot find a free port: {e}"))?
        .port();
    let listen = format!("127.0.0.1:{port}");
    let mut emulator = StopOnDrop(
        Command::new(release.join("wickr-admin-local"))
            .args(["--listen", &listen, "--seed"])
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start the emulator: {e}"))?,
    );
    let stdout = emulator
        .0
        .stdout
        .take()
        .ok_or("the emulator's output is not available")?;
    let mut reader = BufReader::new(stdout);
    let mut first = String::new();
    reader
        .read_line(&mut first)
        .map_err(|e| format!("cannot read the emulator's output: {e}"))?;
    if !first.contains("listening on") {
        return Err(format!("the emulator did not start: {first:?}"));
    }
    // Keep draining the emulator's output so it never writes into a closed pipe.
    std::thread::spawn(move || {
        let mut sink = String::new();
        while reader.read_line(&mut sink).is_ok_and(|n| n > 0) {
            sink.clear();
        }
    });
    let endpoint = format!("http://{listen}");
    println!("emulator: {endpoint} (release build); load generator: concurrency {concurrency}, {calls} calls of 50 users");
    let output = Command::new(release.join("examples").join("loadgen"))
        .args([
            "--endpoint",
            &endpoint,
            "--concurrency",
            &concurrency,
            "--calls",
            &calls,
        ])
        .output()
        .map_err(|e| format!("cannot run the load generator: {e}"))?;
    drop(emulator);
    let text = String::from_utf8_lossy(&output.stdout);
    print!("{text}");
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    if !output.status.success() {
        return Err("the load generator reported failed calls".to_owned());
    }
    Ok(())
}
