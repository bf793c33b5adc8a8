//! What the command's tests share: running the binary with emulator credentials, scratch
//! directories, reading reports, listing the demo network.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use wickr_admin_local::{
    Emulator, RunningEmulator, DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, DEMO_GROUP_ID,
    DEMO_NETWORK_ID,
};

pub const BIN: &str = env!("CARGO_BIN_EXE_wickr-admin");

pub fn examples_users_csv() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/users.csv")
}

/// A fresh directory for one test's files, removed when the test ends (pass or fail).
pub struct Scratch(pub PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn scratch(test: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!(
        "wickr-admin-cli-{test}-{}-{}",
        std::process::id(),
        unique_suffix()
    ));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    Scratch(dir)
}

pub fn unique_suffix() -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

/// Runs the binary with credentials for the emulator and no other AWS configuration.
pub async fn run(args: Vec<String>, stdin: Option<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        let mut child = command(&args)
            .stdin(Stdio::piped())
            .spawn()
            .expect("run wickr-admin");
        if let Some(mut pipe) = child.stdin.take() {
            if let Some(text) = stdin {
                pipe.write_all(text.as_bytes()).expect("write stdin");
            }
        }
        child.wait_with_output().expect("wait for wickr-admin")
    })
    .await
    .expect("join")
}

/// Runs the binary like [`run`], with more environment variables and in `cwd` when given.
pub async fn run_with(
    args: Vec<String>,
    env: Vec<(&'static str, String)>,
    cwd: Option<PathBuf>,
) -> Output {
    tokio::task::spawn_blocking(move || {
        let mut command = command(&args);
        command.envs(env);
        if let Some(cwd) = cwd {
            command.current_dir(cwd);
        }
        command.output().expect("run wickr-admin")
    })
    .await
    .expect("join")
}

/// Arguments that point a command at `emu` (before the subcommand).
pub fn at(emu: &RunningEmulator, rest: &[&str]) -> Vec<String> {
    at_url(&emu.endpoint_url(), rest)
}

/// `rest` sent to the endpoint at `url`.
pub fn at_url(url: &str, rest: &[&str]) -> Vec<String> {
    let mut args = strings(&["--endpoint-url", url]);
    args.extend(strings(rest));
    args
}

/// Arguments as the command takes them.
pub fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

/// `users export` of the demo network into `file`.
pub fn export_args(emu: &RunningEmulator, file: &Path) -> Vec<String> {
    export_args_at(&emu.endpoint_url(), file)
}

/// `users export` of the demo network at the service at `url` into `file`.
pub fn export_args_at(url: &str, file: &Path) -> Vec<String> {
    at_url(
        url,
        &[
            "users",
            "export",
            "--network-id",
            DEMO_NETWORK_ID,
            "--output-file",
            file.to_str().unwrap(),
        ],
    )
}

/// The report at `path`, checked to hold `rows` rows, every one of them `created`.
pub fn all_created(path: &Path, rows: usize) -> Vec<HashMap<String, String>> {
    let report = read_report(path);
    assert_eq!(report.len(), rows, "{}", path.display());
    assert!(
        report.iter().all(|r| r["outcome"] == "created"),
        "{}: {report:?}",
        path.display()
    );
    report
}

/// A client for `emu` that keeps trying through injected faults.
pub fn patient_client(emu: &RunningEmulator) -> wickr_admin::Client {
    let config = emu
        .client()
        .config()
        .to_builder()
        .retry_config(wickr_admin::config::RetryConfig::standard().with_max_attempts(10))
        .build();
    wickr_admin::Client::from_conf(config)
}

/// Every user of the demo network, by username.
pub async fn network_users(emu: &RunningEmulator) -> HashMap<String, wickr_admin::types::User> {
    let client = patient_client(emu);
    let mut all = HashMap::new();
    let mut pages = client
        .list_users()
        .network_id(DEMO_NETWORK_ID)
        .max_results(100)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        for user in page.expect("list users").users() {
            all.insert(
                user.username().unwrap_or_default().to_string(),
                user.clone(),
            );
        }
    }
    all
}

/// Creates users through the library; returns their ids in order.
pub async fn create_users(emu: &RunningEmulator, names: &[String]) -> Vec<String> {
    let report = emu
        .client()
        .bulk_create_users(DEMO_NETWORK_ID)
        .concurrency(4)
        .users(names.iter().map(|n| {
            wickr_admin::bulk::NewUser::new(n.clone())
                .first_name("First")
                .last_name("Last")
        }))
        .default_security_group(DEMO_GROUP_ID)
        .send()
        .await;
    report
        .iter()
        .map(|o| match o {
            wickr_admin::bulk::Outcome::Created {
                user_id: Some(id), ..
            } => id.to_string(),
            other => panic!("not created: {other:?}"),
        })
        .collect()
}

pub fn import_args(emu: &RunningEmulator, file: &Path, extra: &[&str]) -> Vec<String> {
    import_args_at(&emu.endpoint_url(), file, extra)
}

pub async fn emulator() -> RunningEmulator {
    Emulator::builder()
        .seed_demo_network(true)
        .start()
        .await
        .expect("emulator starts")
}

/// Every username in the demo network (duplicates kept).
pub async fn usernames(emu: &RunningEmulator) -> Vec<String> {
    let client = emu.client();
    let mut names = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = client
            .list_users()
            .network_id(DEMO_NETWORK_ID)
            .max_results(100)
            .set_next_token(token.clone())
            .send()
            .await
            .expect("list users");
        for user in page.users() {
            names.push(user.username().unwrap_or_default().to_string());
        }
        match page.next_token() {
            Some(next) if !next.is_empty() => token = Some(next.to_string()),
            _ => break,
        }
    }
    names
}

/// The report file as rows of column name -> value.
pub fn read_report(path: &Path) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).expect("report exists");
    let headers = reader.headers().expect("report header").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("report row");
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Where `--local` keeps its state in tests that do not choose: a folder of this test process,
/// never the user's own data directory.
pub fn test_data_home() -> PathBuf {
    std::env::temp_dir().join(format!("wickr-admin-cli-data-{}", std::process::id()))
}

/// The binary with credentials for the emulator and no other AWS configuration, not started.
pub fn command(args: &[String]) -> Command {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env("XDG_DATA_HOME", test_data_home())
        .env("HOME", test_data_home())
        .env("AWS_ACCESS_KEY_ID", DEFAULT_ACCESS_KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", DEFAULT_SECRET_ACCESS_KEY)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_ENDPOINT_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Starts the binary in the background.
pub fn spawn(args: &[String]) -> Child {
    command(args).spawn().expect("start wickr-admin")
}

/// Runs the binary with its standard output closed before it writes anything, as when the reader
/// of a pipe went away: every write there fails.
pub async fn run_stdout_closed(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        let mut child = spawn(&args);
        drop(child.stdout.take());
        child.wait_with_output().expect("wickr-admin runs")
    })
    .await
    .expect("the run is joined")
}

/// Runs the binary with both its standard output and standard error closed before it writes
/// anything, as after `2>&1 | head -1`; gives its exit status.
pub async fn run_output_closed(args: Vec<String>) -> std::process::ExitStatus {
    tokio::task::spawn_blocking(move || {
        let mut child = spawn(&args);
        drop(child.stdout.take());
        drop(child.stderr.take());
        child.wait().expect("wickr-admin runs")
    })
    .await
    .expect("the run is joined")
}

/// The summary `--output json` printed.
pub fn json_summary(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not a JSON summary ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            stderr(out)
        )
    })
}

/// A users file of `n` users named `{prefix}{i}@example.com`.
pub fn users_file(dir: &Path, name: &str, prefix: &str, n: usize) -> PathBuf {
    let mut text = String::from("username,firstName,lastName\n");
    for i in 0..n {
        text.push_str(&format!("{prefix}{i}@example.com,F{i},L{i}\n"));
    }
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write users file");
    path
}

/// Import arguments against `endpoint` (the demo network and group).
pub fn import_args_at(endpoint: &str, file: &Path, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = vec![
        "--endpoint-url".into(),
        endpoint.into(),
        "users".into(),
        "import".into(),
        file.display().to_string(),
        "--network-id".into(),
        DEMO_NETWORK_ID.into(),
        "--security-group-id".into(),
        DEMO_GROUP_ID.into(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}
