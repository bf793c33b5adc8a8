//! The same invocations given to the AWS CLI (`aws wickr ... --endpoint-url URL`) and to
//! `wickr-admin`, against one emulator, print the same JSON.
//!
//! The AWS CLI v1 (`awscli` from the Python package registry, a version whose bundled botocore
//! knows the `wickr` service) is installed into a virtual environment under `target/`, and
//! reused when it is already there. When the registry cannot be reached, the test says it
//! skipped, on a line of its own in the test output; any other failure to install fails it.
//!
//! Run it alone with `cargo test -p wickr-admin-cli --test cli_aws_compare -- --nocapture`.

mod cli_support;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use cli_support::{command, emulator, stderr};
use serde_json::Value;
use wickr_admin_local::{
    DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, DEMO_GROUP_ID, DEMO_NETWORK_ID,
};

/// The AWS CLI release compared with: its bundled botocore has the `wickr` service.
const AWSCLI: &str = "awscli==1.46.3";

fn venv() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/awscli-venv")
}

/// What pip says when it cannot reach the registry at all.
const UNREACHABLE: &[&str] = &[
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Name or service not known",
    "Network is unreachable",
    "Connection refused",
    "ConnectTimeoutError",
    "Read timed out",
    "No route to host",
];

enum Installed {
    Ready(PathBuf),
    Unreachable(String),
}

/// The `aws` program of the virtual environment, installed there first when it is missing.
fn aws_cli() -> Installed {
    let dir = venv();
    let aws = dir.join("bin/aws");
    let works = |aws: &Path| {
        Command::new(aws)
            .arg("--version")
            .output()
            .is_ok_and(|out| out.status.success())
    };
    if works(&aws) {
        return Installed::Ready(aws);
    }
    let created = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&dir)
        .output()
        .expect("python3 runs (it makes the AWS CLI's virtual environment)");
    assert!(
        created.status.success(),
        "python3 -m venv failed: {}",
        String::from_utf8_lossy(&created.stderr)
    );
    let installed = Command::new(dir.join("bin/pip"))
        .args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--retries",
            "1",
            "--timeout",
            "30",
            AWSCLI,
        ])
        .output()
        .expect("pip runs");
    if !installed.status.success() {
        let err = String::from_utf8_lossy(&installed.stderr).into_owned();
        if UNREACHABLE.iter().any(|marker| err.contains(marker)) {
            return Installed::Unreachable(err.lines().last().unwrap_or_default().to_owned());
        }
        panic!("pip install {AWSCLI} failed: {err}");
    }
    assert!(
        works(&aws),
        "{} does not run after installing",
        aws.display()
    );
    Installed::Ready(aws)
}

/// Runs the AWS CLI with the emulator's keys and no other configuration.
fn run_aws(aws: &Path, url: &str, args: &[&str]) -> Output {
    Command::new(aws)
        .arg("wickr")
        .args(args)
        .args(["--endpoint-url", url, "--output", "json"])
        .env("AWS_ACCESS_KEY_ID", DEFAULT_ACCESS_KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", DEFAULT_SECRET_ACCESS_KEY)
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_REGION")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_ENDPOINT_URL")
        .stdin(Stdio::null())
        .output()
        .expect("aws runs")
}

fn run_ours(url: &str, args: &[&str]) -> Output {
    let mut all = vec!["--endpoint-url".to_owned(), url.to_owned()];
    all.extend(args.iter().map(|s| s.to_string()));
    command(&all).output().expect("wickr-admin runs")
}

fn parsed(out: &Output, who: &str, args: &[&str]) -> Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{who} {args:?} failed: {}",
        stderr(out)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{who} {args:?} printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_aws_cli_and_wickr_admin_print_the_same_json() {
    let aws = match tokio::task::spawn_blocking(aws_cli).await.expect("join") {
        Installed::Ready(aws) => aws,
        Installed::Unreachable(why) => {
            // Straight to stderr, past the harness's capture, so a passing run shows the skip.
            let _ = writeln!(
                std::io::stderr(),
                "skipped the_aws_cli_and_wickr_admin_print_the_same_json: the Python package \
                 registry cannot be reached to install {AWSCLI} ({why})"
            );
            return;
        }
    };
    let emu = emulator().await;
    // More users than one page of `--page-size 1`, so that paging itself is compared.
    let report = emu
        .client()
        .bulk_create_users(DEMO_NETWORK_ID)
        .users([
            "page1@example.com",
            "page2@example.com",
            "page3@example.com",
        ])
        .default_security_group(DEMO_GROUP_ID)
        .send()
        .await;
    assert_eq!(report.counts().created, 3, "{report:?}");
    let admin = emu
        .demo_network()
        .map(|demo| demo.admin_user_id.clone())
        .expect("demo network");
    let url = emu.endpoint_url();
    let n = DEMO_NETWORK_ID;
    let invocations: Vec<Vec<&str>> = vec![
        vec!["get-network", "--network-id", n],
        vec!["get-network-settings", "--network-id", n],
        vec!["get-users-count", "--network-id", n],
        vec!["get-user", "--network-id", n, "--user-id", &admin],
        vec!["list-users", "--network-id", n],
        vec![
            "list-users",
            "--network-id",
            n,
            "--page-size",
            "1",
            "--query",
            "users[].[username, status]",
        ],
        vec![
            "list-devices-for-user",
            "--network-id",
            n,
            "--user-id",
            &admin,
        ],
        vec!["list-security-groups", "--network-id", n],
        vec![
            "get-security-group",
            "--network-id",
            n,
            "--group-id",
            DEMO_GROUP_ID,
        ],
        vec![
            "list-security-group-users",
            "--network-id",
            n,
            "--group-id",
            DEMO_GROUP_ID,
        ],
        vec!["list-guest-users", "--network-id", n],
        vec!["get-guest-user-history-count", "--network-id", n],
        vec!["list-networks"],
        vec!["list-networks", "--query", "networks[0].networkName"],
        vec!["get-bots-count", "--network-id", n],
        vec!["list-bots", "--network-id", n],
        vec!["list-blocked-guest-users", "--network-id", n],
    ];
    let mut differences = Vec::new();
    let mut compared = std::collections::BTreeSet::new();
    for args in &invocations {
        let (ours, theirs) = tokio::task::spawn_blocking({
            let aws = aws.clone();
            let url = url.clone();
            let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
            move || {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                (run_ours(&url, &args), run_aws(&aws, &url, &args))
            }
        })
        .await
        .expect("join");
        let ours = parsed(&ours, "wickr-admin", args);
        let theirs = parsed(&theirs, "aws wickr", args);
        if ours != theirs {
            differences.push(format!(
                "{args:?}:\n  wickr-admin: {ours}\n  aws wickr:   {theirs}"
            ));
        }
        compared.insert(args[0]);
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
    assert!(compared.len() >= 10, "{compared:?}");
}
