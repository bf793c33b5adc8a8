//! `--state-file`: the binary keeps its state between runs, refuses a file another process holds,
//! and never replaces a corrupt or newer file. The library does the same in-process.

#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use wickr_admin_local::{Emulator, StartError, StateFileError, DEMO_GROUP_ID, DEMO_NETWORK_ID};

const BIN: &str = env!("CARGO_BIN_EXE_wickr-admin-local");

struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!(
        "wickr-admin-local-state-test-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

/// A started binary, ended when dropped: a test that fails halfway leaves no emulator running.
struct Running(Option<Child>);

impl Running {
    fn child(&mut self) -> &mut Child {
        self.0.as_mut().unwrap()
    }

    fn take(mut self) -> Child {
        self.0.take().unwrap()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(child) = self.0.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Starts the binary on an ephemeral port with a state file; returns it and its endpoint.
fn start(state: &Path) -> (Running, String) {
    start_with(state, &[])
}

/// [`start`], with more arguments.
fn start_with(state: &Path, more: &[&str]) -> (Running, String) {
    let child = Command::new(BIN)
        .args(["--listen", "127.0.0.1:0", "--seed", "--state-file"])
        .arg(state)
        .args(more)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut running = Running(Some(child));
    let endpoint = endpoint_of(running.child());
    (running, endpoint)
}

/// The endpoint a started binary (with `--seed`) prints, read up to its demo network's line.
fn endpoint_of(child: &mut Child) -> String {
    let mut endpoint = String::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("wickr-admin-local listening on ") {
            endpoint = rest.split(' ').next().unwrap().to_string();
        }
        if line.starts_with("demo network") {
            break;
        }
    }
    assert!(!endpoint.is_empty(), "the binary printed its endpoint");
    endpoint
}

/// Runs the binary on `state` (with `more` options), expecting it to refuse to start: exit
/// code 1. Its standard error.
fn refused_start(state: &Path, more: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(["--listen", "127.0.0.1:0"])
        .args(more)
        .arg("--state-file")
        .arg(state)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(1), "{err}");
    err
}

fn stop(running: Running) {
    let mut child = running.take();
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

/// Ends the binary at once, as `kill -9` does: no last write of its state file.
fn kill(running: Running) {
    let mut child = running.take();
    child.kill().unwrap();
    child.wait().unwrap();
}

/// Creates the user `username` in the demo network through `endpoint`.
async fn create_one(endpoint: &str, username: &str) {
    let report = client(endpoint)
        .bulk_create_users(DEMO_NETWORK_ID)
        .users([username.to_string()])
        .default_security_group(DEMO_GROUP_ID)
        .send()
        .await;
    assert_eq!(report.counts().created, 1, "{username}");
}

/// Whether the demo network behind `endpoint` has the user `username`.
async fn has_user(endpoint: &str, username: &str) -> bool {
    usernames(&client(endpoint))
        .await
        .iter()
        .any(|name| name == username)
}

/// Starts the binary again on `state` and checks that it has the user `username`.
async fn comes_back_with(state: &Path, username: &str) {
    let (again, endpoint) = start(state);
    assert!(has_user(&endpoint, username).await, "{username}");
    stop(again);
}

/// Waits (up to 20 s) until the state file at `state` holds `text`; `why` says what wrote it.
async fn wait_until_written(state: &Path, text: &str, why: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !std::fs::read_to_string(state).unwrap().contains(text) {
        assert!(std::time::Instant::now() < deadline, "{why}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

fn client(endpoint: &str) -> wickr_admin::Client {
    let config = wickr_admin::Config::builder()
        .region(wickr_admin::config::Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(wickr_admin::config::Credentials::new(
            wickr_admin_local::DEFAULT_ACCESS_KEY_ID,
            wickr_admin_local::DEFAULT_SECRET_ACCESS_KEY,
            None,
            None,
            "test",
        ))
        .build();
    wickr_admin::Client::from_conf(config)
}

async fn usernames(client: &wickr_admin::Client) -> Vec<String> {
    let mut names: Vec<String> = users(client)
        .await
        .iter()
        .map(|user| user.username().unwrap_or_default().to_string())
        .collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_keeps_its_state_across_runs_and_refuses_a_second_holder() {
    let dir = scratch("binary");
    let state = dir.0.join("state.json");
    let (first, endpoint) = start(&state);
    let report = client(&endpoint)
        .bulk_create_users(DEMO_NETWORK_ID)
        .users((0..120).map(|i| format!("kept{i}@example.com")))
        .default_security_group(DEMO_GROUP_ID)
        .send()
        .await;
    assert_eq!(report.counts().created, 120);
    let before = usernames(&client(&endpoint)).await;

    // A second emulator on the same file is refused while the first runs, and writes nothing.
    let err = refused_start(&state, &[]);
    assert!(
        err.contains("in use by another process") && err.contains(&*state.to_string_lossy()),
        "{err}"
    );
    stop(first);

    let (second, endpoint) = start(&state);
    assert_eq!(usernames(&client(&endpoint)).await, before);
    assert_eq!(before.len(), 121, "120 users and the administrator");
    stop(second);
}

/// Every user of the demo network, in full, by id.
async fn users(client: &wickr_admin::Client) -> Vec<wickr_admin::types::User> {
    let mut users = Vec::new();
    let mut pages = client
        .list_users()
        .network_id(DEMO_NETWORK_ID)
        .max_results(100)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        users.extend(page.unwrap().users().iter().cloned());
    }
    users.sort_by(|a, b| a.user_id().cmp(&b.user_id()));
    users
}

async fn group_names(client: &wickr_admin::Client) -> Vec<String> {
    let groups = client
        .list_security_groups()
        .network_id(DEMO_NETWORK_ID)
        .send()
        .await
        .unwrap();
    let mut names: Vec<String> = groups
        .security_groups()
        .iter()
        .map(|g| g.name().to_string())
        .collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_emulator_comes_back_with_every_change_it_answered() {
    let dir = scratch("killed");
    let state = dir.0.join("state.json");
    // No periodic write within the test: what outlives the kill is in the journal alone.
    let (first, endpoint) = start_with(&state, &["--save-interval-secs", "86400"]);
    let written_at_start = std::fs::read(&state).unwrap();
    let api = client(&endpoint);
    let report = api
        .bulk_create_users(DEMO_NETWORK_ID)
        .users((0..120).map(|i| format!("journal{i}@example.com")))
        .default_security_group(DEMO_GROUP_ID)
        .send()
        .await;
    assert_eq!(report.counts().created, 120);
    let created = users(&api).await;
    let some = created[5].user_id().unwrap().to_string();
    let other = created[6].user_id().unwrap().to_string();
    api.update_user()
        .network_id(DEMO_NETWORK_ID)
        .user_id(&some)
        .user_details(
            wickr_admin::types::UpdateUserDetails::builder()
                .first_name("Renamed")
                .build(),
        )
        .send()
        .await
        .unwrap();
    api.batch_delete_user()
        .network_id(DEMO_NETWORK_ID)
        .user_ids(&other)
        .send()
        .await
        .unwrap();
    api.create_security_group()
        .network_id(DEMO_NETWORK_ID)
        .name("Kept by the journal")
        .security_group_settings(
            wickr_admin::types::SecurityGroupSettingsRequest::builder()
                .lockout_threshold(7)
                .build(),
        )
        .send()
        .await
        .unwrap();
    // A call with a client token of its own, to retry after the restart.
    let tokened = || {
        wickr_admin::types::BatchCreateUserRequestItem::builder()
            .username("tokened@example.com")
            .security_group_ids(DEMO_GROUP_ID)
            .build()
            .unwrap()
    };
    let answered = api
        .batch_create_user()
        .network_id(DEMO_NETWORK_ID)
        .client_token("journal-test-token")
        .users(tokened())
        .send()
        .await
        .unwrap();
    assert_eq!(answered.successful().len(), 1);
    let before = users(&api).await;
    let groups_before = group_names(&api).await;
    assert_eq!(
        before.len(),
        121,
        "120 created, one deleted, one more, and the administrator"
    );
    assert!(groups_before.contains(&"Kept by the journal".to_string()));
    assert_eq!(
        std::fs::read(&state).unwrap(),
        written_at_start,
        "the state file was not written since the start"
    );

    kill(first);

    let (second, endpoint) = start(&state);
    let api = client(&endpoint);
    let after = users(&api).await;
    // Ids, invite codes, names, times: each user as it was answered.
    assert!(after == before, "the users came back changed or missing");
    assert_eq!(group_names(&api).await, groups_before);
    let renamed = after
        .iter()
        .find(|u| u.user_id() == Some(some.as_str()))
        .unwrap();
    assert_eq!(renamed.first_name(), Some("Renamed"));
    assert!(after.iter().all(|u| u.user_id() != Some(other.as_str())));
    // A retry with the same client token gets the answer it had, not "already exists".
    let retried = api
        .batch_create_user()
        .network_id(DEMO_NETWORK_ID)
        .client_token("journal-test-token")
        .users(tokened())
        .send()
        .await
        .unwrap();
    assert!(retried.failed().is_empty(), "{retried:?}");
    assert_eq!(retried.successful(), answered.successful());
    // The state file now holds them, and what comes next gets ids of its own.
    assert!(!dir.0.join("state.json.journal.old").exists());
    create_one(&endpoint, "after-restart@example.com").await;
    assert_eq!(users(&api).await.len(), 122);
    stop(second);
}

/// The answer under a client token outlives any number of restarts, not only the one after the
/// journal that holds it: a start that runs the journal writes the state file and drops the
/// journal, and so does a stop.
#[tokio::test]
async fn an_answer_under_a_client_token_outlives_every_restart() {
    let dir = scratch("tokens-kept");
    let state = dir.0.join("state.json");
    let (first, endpoint) = start_with(&state, &["--save-interval-secs", "86400"]);
    let item = || {
        wickr_admin::types::BatchCreateUserRequestItem::builder()
            .username("kept-token@example.com")
            .security_group_ids(DEMO_GROUP_ID)
            .build()
            .unwrap()
    };
    let call = |endpoint: &str| {
        client(endpoint)
            .batch_create_user()
            .network_id(DEMO_NETWORK_ID)
            .client_token("kept-across-restarts")
            .users(item())
    };
    let answered = call(&endpoint).send().await.unwrap();
    assert_eq!(answered.successful().len(), 1);
    kill(first);
    // Runs the journal, writes the state file, and stops: the journal is gone.
    let (second, _) = start(&state);
    stop(second);
    assert!(!dir.0.join("state.json.journal.old").exists());
    // Killed again, with nothing in the journal.
    let (third, _) = start(&state);
    kill(third);
    let (fourth, endpoint) = start(&state);
    let retried = call(&endpoint).send().await.unwrap();
    assert!(retried.failed().is_empty(), "{retried:?}");
    assert_eq!(retried.successful(), answered.successful());
    // Bound to its request as before: another request under it is refused.
    let other = client(&endpoint)
        .batch_create_user()
        .network_id(DEMO_NETWORK_ID)
        .client_token("kept-across-restarts")
        .users(
            wickr_admin::types::BatchCreateUserRequestItem::builder()
                .username("another@example.com")
                .security_group_ids(DEMO_GROUP_ID)
                .build()
                .unwrap(),
        )
        .send()
        .await;
    assert!(
        other.is_err_and(|e| format!("{e:?}").contains("BadRequest")),
        "a token already used is refused for another request"
    );
    stop(fourth);
}

/// A change the journal cannot hold is not answered as done: the client is told its outcome is
/// unknown, and what was answered as done is there after a kill. The binary runs with a limit on
/// the size of the files it writes, so that the journal's writes fail as on a full disk.
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_the_journal_cannot_hold_is_answered_as_an_error() {
    let dir = scratch("journal-full");
    let state = dir.0.join("state.json");
    // 16 blocks of 512 bytes: room for the demo network's state file, not for many changes.
    let script = format!(
        "trap '' XFSZ; ulimit -f 16; exec '{BIN}' --listen 127.0.0.1:0 --seed --state-file \
         '{}' --save-interval-secs 86400",
        state.display()
    );
    let child = Command::new("sh")
        .args(["-c", &script])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut child = Running(Some(child));
    let endpoint = endpoint_of(child.child());
    let api = client(&endpoint);
    let admin = users(&api).await[0].user_id().unwrap().to_string();
    let mut answered = None;
    let mut refused = None;
    for i in 0..200 {
        let name = format!("Name{i}");
        let sent = api
            .update_user()
            .network_id(DEMO_NETWORK_ID)
            .user_id(&admin)
            .user_details(
                wickr_admin::types::UpdateUserDetails::builder()
                    .first_name(&name)
                    .build(),
            )
            .send()
            .await;
        match sent {
            Ok(_) => answered = Some(name),
            Err(e) => {
                refused = Some(format!("{}", wickr_admin::error::DisplayErrorContext(&e)));
                break;
            }
        }
    }
    let refused = refused.expect("the journal's writes fail before 200 changes");
    assert!(
        refused.contains("could not be written to the state file's journal"),
        "{refused}"
    );
    let answered = answered.expect("changes were journaled before the limit");
    // Nor is a later change answered as done, even if it would fit.
    let later = api
        .update_user()
        .network_id(DEMO_NETWORK_ID)
        .user_id(&admin)
        .user_details(
            wickr_admin::types::UpdateUserDetails::builder()
                .last_name("L")
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    let later = format!("{}", wickr_admin::error::DisplayErrorContext(&later));
    assert!(
        later.contains("earlier change could not be written"),
        "{later}"
    );
    // Reads still work.
    assert_eq!(users(&api).await.len(), 1);

    kill(child);
    let (second, endpoint) = start(&state);
    let back = users(&client(&endpoint)).await;
    assert_eq!(
        back[0].first_name(),
        Some(answered.as_str()),
        "the last change answered as done is there"
    );
    stop(second);
}

/// A journal whose state file is gone is not run on an empty state (where its changes would
/// fail and be dropped): the start stops and names it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_journal_without_its_state_file_stops_the_start() {
    let dir = scratch("orphan");
    let state = dir.0.join("state.json");
    let (first, endpoint) = start_with(&state, &["--save-interval-secs", "86400"]);
    create_one(&endpoint, "orphaned@example.com").await;
    kill(first);
    std::fs::remove_file(&state).unwrap();
    let journal = dir.0.join("state.json.journal");
    let kept = std::fs::read(&journal).unwrap();

    let err = refused_start(&state, &["--seed"]);
    assert!(
        err.contains(&*journal.to_string_lossy()) && err.contains("does not exist"),
        "{err}"
    );
    assert_eq!(std::fs::read(&journal).unwrap(), kept, "left as it is");
    assert!(!state.exists(), "nothing was written in its place");
}

/// What a request did is run again as the emulator that answered it was started: a network
/// made by an emulator started with `--preview` keeps its preview features, and the users it
/// took with their own invite codes, after a kill and a start without it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_comes_back_as_it_was_made_whatever_the_next_start_options() {
    let dir = scratch("preview");
    let state = dir.0.join("state.json");
    let (first, endpoint) = start_with(&state, &["--preview", "--save-interval-secs", "86400"]);
    let api = client(&endpoint);
    let network = api
        .create_network()
        .network_name("previewed")
        .access_level(wickr_admin::types::AccessLevel::Standard)
        .send()
        .await
        .unwrap();
    let nid = network.network_id().unwrap().to_string();
    let groups = api
        .list_security_groups()
        .network_id(&nid)
        .send()
        .await
        .unwrap();
    let gid = groups.security_groups()[0].id().to_string();
    let coded = wickr_admin::types::BatchCreateUserRequestItem::builder()
        .username("coded@example.com")
        .security_group_ids(&gid)
        .invite_code("MYCODE1234")
        .build()
        .unwrap();
    let created = api
        .batch_create_user()
        .network_id(&nid)
        .users(coded)
        .send()
        .await
        .unwrap();
    assert_eq!(created.successful().len(), 1, "{created:?}");
    kill(first);

    let (second, endpoint) = start(&state);
    let listed = client(&endpoint)
        .list_users()
        .network_id(&nid)
        .send()
        .await
        .unwrap();
    let usernames: Vec<&str> = listed.users().iter().filter_map(|u| u.username()).collect();
    assert_eq!(usernames, ["coded@example.com"]);
    assert_eq!(listed.users()[0].invite_code(), Some("MYCODE1234"));
    stop(second);
}

/// A state file that cannot be written is said on standard error, once, and again when it can
/// be; the changes made meanwhile are kept by the journal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_state_file_that_cannot_be_written_is_said_and_its_changes_kept() {
    let dir = scratch("unwritable");
    let state = dir.0.join("state.json");
    let (mut child, endpoint) = start_with(&state, &["--save-interval-secs", "1"]);
    let (said_tx, said) = std::sync::mpsc::channel();
    let stderr = child.child().stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = said_tx.send(line);
        }
    });
    let wait_for = |what: &str| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match said.recv_timeout(left) {
                Ok(line) if line.contains(what) => return line,
                Ok(_) => {}
                Err(_) => panic!("the emulator did not say {what:?}"),
            }
        }
    };
    // The state file is written through PATH.tmp: a folder there makes every write fail.
    let blocker = dir.0.join("state.json.tmp");
    std::fs::create_dir(&blocker).unwrap();
    create_one(&endpoint, "unsaved@example.com").await;
    let line = wait_for("cannot write the state file");
    assert!(line.contains("kept in its journal"), "{line}");
    std::fs::remove_dir(&blocker).unwrap();
    wait_for("is written again");
    assert!(std::fs::read_to_string(&state)
        .unwrap()
        .contains("unsaved@example.com"));
    kill(child);
    comes_back_with(&state, "unsaved@example.com").await;
}

/// A journal whose last line a killed process left unfinished is written after from a line of
/// its own, so the next start reads every entry.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_journal_left_cut_by_a_kill_takes_new_entries_on_lines_of_their_own() {
    let dir = scratch("cut-journal");
    let state = dir.0.join("state.json");
    let (first, _) = start(&state);
    stop(first);
    // What a write cut short by a kill leaves: part of an entry that was never answered.
    let journal = dir.0.join("state.json.journal");
    let mut cut = std::fs::OpenOptions::new()
        .append(true)
        .open(&journal)
        .unwrap();
    std::io::Write::write_all(&mut cut, b"{\"seq\":1,\"method\":\"PO").unwrap();
    drop(cut);

    let (second, endpoint) = start_with(&state, &["--save-interval-secs", "86400"]);
    create_one(&endpoint, "after-the-cut@example.com").await;
    kill(second);
    comes_back_with(&state, "after-the-cut@example.com").await;
}

/// However long the interval between writes, the journal is bounded: past its bound the state
/// file is written, and the journal starts again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_journal_past_its_bound_has_the_state_file_written() {
    let dir = scratch("bounded");
    let state = dir.0.join("state.json");
    let emu = Emulator::builder()
        .seed_demo_network(true)
        .state_file(&state)
        .save_interval(std::time::Duration::from_secs(86_400))
        .journal_bound(8_000)
        .start()
        .await
        .unwrap();
    let report = emu
        .client()
        .bulk_create_users(DEMO_NETWORK_ID)
        .users((0..200).map(|i| format!("bounded{i}@example.com")))
        .default_security_group(DEMO_GROUP_ID)
        .send()
        .await;
    assert_eq!(report.counts().created, 200);
    wait_until_written(
        &state,
        "bounded199@example.com",
        "the state file was written once the journal passed its bound",
    )
    .await;
    let journal = std::fs::metadata(dir.0.join("state.json.journal")).unwrap();
    assert!(journal.len() < 8_000, "{} bytes", journal.len());
    emu.stop().await.unwrap();
}

/// A journal moved beside another state file is not run on it: each journal's first line
/// carries the id its own state file names.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_journal_of_another_state_file_stops_the_start() {
    let dir = scratch("swapped");
    let mine = dir.0.join("mine.json");
    let theirs = dir.0.join("theirs.json");
    let (first, endpoint) = start_with(&theirs, &["--save-interval-secs", "86400"]);
    create_one(&endpoint, "theirs@example.com").await;
    kill(first);
    let (second, _) = start(&mine);
    stop(second);
    let journal = dir.0.join("mine.json.journal");
    std::fs::copy(dir.0.join("theirs.json.journal"), &journal).unwrap();

    let err = refused_start(&mine, &["--seed"]);
    assert!(
        err.contains(&*journal.to_string_lossy()) && err.contains("another state file"),
        "{err}"
    );
}

#[tokio::test]
async fn corrupt_and_newer_state_files_stop_the_start_and_stay_as_they_are() {
    let dir = scratch("corrupt");
    let state = dir.0.join("state.json");
    for (text, expect) in [
        (
            "{\"format\":\"wickr-admin-local state\",\"version\":1,\"state\":[",
            "not a JSON",
        ),
        (
            "{\"format\":\"wickr-admin-local state\",\"version\":9,\"state\":{}}",
            "version 9",
        ),
        (
            "{\"format\":\"wickr-admin-local state\",\"version\":1,\"state\":{\"networks\":{},\
             \"next_seq\":0,\"next_user_id\":18446744073709551000,\"next_bot_id\":0}}",
            "out of range",
        ),
    ] {
        std::fs::write(&state, text).unwrap();
        let err = refused_start(&state, &["--seed"]);
        assert!(err.contains(&*state.to_string_lossy()), "{err}");
        assert!(err.contains(expect), "{err}");
        assert_eq!(std::fs::read_to_string(&state).unwrap(), text);
        // The library says the same.
        let started = Emulator::builder().state_file(&state).start().await;
        assert!(
            matches!(
                started,
                Err(StartError::State(
                    StateFileError::Corrupt(..) | StateFileError::Newer(..)
                ))
            ),
            "{started:?}"
        );
    }
}

#[tokio::test]
async fn the_library_writes_the_state_while_running_and_when_stopped() {
    let dir = scratch("library");
    let state = dir.0.join("nested").join("state.json");
    let emu = Emulator::builder()
        .seed_demo_network(true)
        .state_file(&state)
        .save_interval(std::time::Duration::from_millis(100))
        .start()
        .await
        .unwrap();
    assert!(state.exists(), "written at start");
    let client = emu.client();
    client
        .bulk_create_users(DEMO_NETWORK_ID)
        .users(["periodic@example.com"])
        .default_security_group(DEMO_GROUP_ID)
        .send()
        .await;
    // Written by the periodic save, before any stop.
    wait_until_written(&state, "periodic@example.com", "saved within the interval").await;
    emu.stop().await.unwrap();
    let again = Emulator::builder()
        .seed_demo_network(true)
        .state_file(&state)
        .start()
        .await
        .unwrap();
    assert_eq!(again.state_file().as_deref(), Some(state.as_path()));
    assert!(usernames(&again.client())
        .await
        .contains(&"periodic@example.com".to_string()));
    again.stop().await.unwrap();
}

#[tokio::test]
async fn a_stored_demo_network_is_kept_when_its_group_is_gone_and_the_file_is_private() {
    let dir = scratch("group-gone");
    let state = dir.0.join("state.json");
    let emu = Emulator::builder()
        .seed_demo_network(true)
        .state_file(&state)
        .start()
        .await
        .unwrap();
    emu.client()
        .bulk_create_users(DEMO_NETWORK_ID)
        .users(["kept@example.com"])
        .default_security_group(DEMO_GROUP_ID)
        .send()
        .await;
    emu.backend()
        .remove_group_keeping_members(DEMO_NETWORK_ID, DEMO_GROUP_ID)
        .unwrap();
    emu.stop().await.unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&state).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "readable by others: {mode:o}");
    }
    let again = Emulator::builder()
        .seed_demo_network(true)
        .state_file(&state)
        .start()
        .await
        .unwrap();
    assert!(
        usernames(&again.client())
            .await
            .contains(&"kept@example.com".to_string()),
        "the stored network was not seeded over"
    );
    again.stop().await.unwrap();
}

#[tokio::test]
async fn a_stopped_emulator_answers_nothing_more_and_gives_its_state_file_up() {
    let dir = scratch("slow-request");
    let state = dir.0.join("state.json");
    let faults: wickr_admin_local::FaultSpec = "delay=1:8s".parse().unwrap();
    let emu = Emulator::builder()
        .seed_demo_network(true)
        .faults(faults)
        .state_file(&state)
        .start()
        .await
        .unwrap();
    // A call the emulator holds for eight seconds: it is still open when stop() has waited
    // its five seconds for open connections.
    let client = emu.client();
    let call = tokio::spawn(async move {
        let user = wickr_admin::types::BatchCreateUserRequestItem::builder()
            .username("late@example.com")
            .security_group_ids(DEMO_GROUP_ID)
            .build()
            .unwrap();
        client
            .batch_create_user()
            .network_id(DEMO_NETWORK_ID)
            .users(user)
            .send()
            .await
    });
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    emu.stop().await.unwrap();
    let again = match Emulator::builder().state_file(&state).start().await {
        Ok(again) => again,
        Err(e) => panic!("the state file is still held after stop(): {e}"),
    };
    let answer = call.await.unwrap();
    let stored = usernames(&again.client()).await;
    // An answer that says the user was created is kept by the restarted emulator.
    let created = answer
        .as_ref()
        .is_ok_and(|output| !output.successful().is_empty());
    assert!(
        !created || stored.contains(&"late@example.com".to_string()),
        "answered {answer:?}, stored {stored:?}"
    );
    again.stop().await.unwrap();
}

/// A pipe where the journal would be, beside a state file that does not exist yet, stops the
/// start with a message: opened to read its first line, it would wait for a writer for ever.
#[test]
fn a_pipe_in_place_of_the_journal_stops_the_start_without_waiting() {
    let dir = scratch("journal-pipe");
    for name in ["state.json.journal", "state.json.journal.old"] {
        let pipe = dir.0.join(name);
        let c_path = std::ffi::CString::new(pipe.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
        let mut child = Command::new(BIN)
            .args(["--listen", "127.0.0.1:0", "--state-file"])
            .arg(dir.0.join("state.json"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{name}: the start waited on the pipe");
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        let mut err = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
        assert_eq!(status.code(), Some(1), "{name}: {err}");
        assert!(err.contains("not a regular file"), "{name}: {err}");
        std::fs::remove_file(&pipe).unwrap();
    }
}
