//! The `wickr-admin-local` binary: argument errors exit 2, start-up prints the endpoint and
//! credentials, SIGTERM shuts it down cleanly.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_wickr-admin-local");

#[test]
fn bad_arguments_exit_2_with_a_message_naming_the_argument() {
    for (args, needle) in [
        (vec!["--rate-limit", "0"], "--rate-limit"),
        (vec!["--faults", "teapot=0.5"], "teapot"),
        (vec!["--faults", "429=0.1,429=0.3"], "`429` is given twice"),
        (vec!["--access-key", "no-colon"], "--access-key"),
        (vec!["--listen", "not-an-address"], "--listen"),
        (vec!["--idempotency-cap-mib", "0"], "--idempotency-cap-mib"),
        (vec!["--read-timeout-secs", "0"], "--read-timeout-secs"),
        (
            vec!["--listen", "127.0.0.1:0", "--region", "eu west"],
            "region `eu west`",
        ),
        (
            vec![
                "--listen",
                "127.0.0.1:0",
                "--access-key",
                "AKIDTWICE:first-secret",
                "--read-only-key",
                "AKIDTWICE:second-secret",
            ],
            "AKIDTWICE",
        ),
        (
            vec![
                "--listen",
                "127.0.0.1:0",
                "--access-key",
                "AKIDSAME:a",
                "--access-key",
                "AKIDSAME:b",
            ],
            "AKIDSAME",
        ),
    ] {
        let out = Command::new(BIN).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
    }
}

#[test]
fn help_documents_the_idempotency_cap() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("--idempotency-cap-mib"), "{help}");
    assert!(help.contains("24 hours"), "{help}");
}

/// Starts the binary with `args`, returns the start-up lines up to the demo network line, then
/// stops it with SIGTERM and checks the exit status.
#[cfg(unix)]
fn startup_lines(args: &[&str]) -> Vec<String> {
    let mut child = Command::new(BIN)
        .args(["--listen", "127.0.0.1:0", "--seed"])
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = Vec::new();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    for line in lines.by_ref() {
        let line = line.unwrap();
        let last = line.starts_with("demo network");
        out.push(line);
        if last {
            break;
        }
    }
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert_eq!(exit.code(), Some(0));
    out
}

#[cfg(unix)]
#[test]
fn prints_endpoint_and_user_key_ids_without_secrets_then_stops_on_sigterm() {
    let lines = startup_lines(&[
        "--access-key",
        "AKIDTEST:test-secret",
        "--read-only-key",
        "AKIDREAD:read-secret",
    ]);
    assert!(
        lines[0].starts_with("wickr-admin-local listening on http://127.0.0.1:")
            && lines[0].ends_with(" (region us-east-1)"),
        "{lines:?}"
    );
    assert_eq!(
        &lines[1..3],
        &[
            "accepted key id (read-only): AKIDREAD".to_owned(),
            "accepted key id (read-write): AKIDTEST".to_owned(),
        ],
    );
    let all = lines.join("\n");
    assert!(!all.contains("test-secret"), "{all}");
    assert!(!all.contains("read-secret"), "{all}");
}

#[cfg(unix)]
#[test]
fn prints_the_region_it_serves() {
    let lines = startup_lines(&["--region", "eu-west-1"]);
    assert!(lines[0].ends_with(" (region eu-west-1)"), "{lines:?}");
}

#[cfg(unix)]
#[test]
fn prints_the_default_pair_with_its_secret() {
    let lines = startup_lines(&[]);
    assert_eq!(
        lines[1],
        "accepted credentials (read-write): AKIDWICKRLOCAL:wickr-local-secret"
    );
}
