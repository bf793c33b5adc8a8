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
        (vec!["--access-key", "no-colon"], "--access-key"),
        (vec!["--listen", "not-an-address"], "--listen"),
    ] {
        let out = Command::new(BIN).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
    }
}

#[cfg(unix)]
#[test]
fn prints_endpoint_and_credentials_then_stops_on_sigterm() {
    let mut child = Command::new(BIN)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--seed",
            "--access-key",
            "AKIDTEST:test-secret",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(
        first.starts_with("wickr-admin-local listening on http://127.0.0.1:"),
        "{first}"
    );
    let second = lines.next().unwrap().unwrap();
    assert_eq!(
        second,
        "accepted credentials (read-write): AKIDTEST:test-secret"
    );
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert_eq!(exit.code(), Some(0));
}
