//! The `--local` sandbox keeps its state between commands: across processes, in the user's data
//! directory unless `--local-state` says where, never two processes at once, a corrupt file an
//! error, and `wickr-admin local reset` starting over.

mod cli_support;

use std::path::Path;

use cli_support::*;

fn local(state: &Path, rest: &[&str]) -> Vec<String> {
    let mut args = vec![
        "--local".to_string(),
        "--local-state".to_string(),
        state.display().to_string(),
    ];
    args.extend(rest.iter().map(|s| s.to_string()));
    args
}

fn exported(out: &std::process::Output) -> Vec<String> {
    let text = String::from_utf8_lossy(&out.stdout);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().get(0).unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sandbox_remembers_between_processes_until_reset() {
    let dir = scratch("sandbox");
    let state = dir.join("state.json");
    let users = examples_users_csv().display().to_string();
    let out = run(local(&state, &["users", "import", &users]), None).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(state.exists());

    // Another process sees what the first one did.
    let out = run(local(&state, &["users", "export"]), None).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(exported(&out).len(), 301);
    let leavers = dir.join("leavers.txt");
    std::fs::write(&leavers, "nora.anderson@corp.example.net\n").unwrap();
    let out = run(
        local(
            &state,
            &["users", "delete", leavers.to_str().unwrap(), "--yes"],
        ),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = run(local(&state, &["users", "export"]), None).await;
    assert_eq!(exported(&out).len(), 300);
    // The operations see it too.
    let out = run(
        local(&state, &["get-users-count", "--cli-input-json", "-"]),
        Some("{\"networkId\":\"12345678\"}".to_string()),
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let count: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(count["pending"], 299, "{count}");

    let journal = dir.join("state.json.journal");
    assert!(
        journal.exists(),
        "changes are journaled between writes of the state file"
    );
    let out = run(local(&state, &["local", "reset"]), None).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!state.exists());
    assert!(
        !journal.exists(),
        "a reset takes the journal with the state"
    );
    let out = run(local(&state, &["users", "export"]), None).await;
    assert_eq!(
        exported(&out),
        ["admin@example.com"],
        "back to the demo network"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_local_state_the_sandbox_lives_in_the_data_directory() {
    let dir = scratch("xdg");
    let out = run_with(
        vec!["--local".into(), "users".into(), "export".into()],
        vec![("XDG_DATA_HOME", dir.display().to_string())],
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let state = dir.join("wickr-admin").join("local-state.json");
    assert!(state.exists(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&*state.to_string_lossy()),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_state_file_is_an_error_that_names_it_and_leaves_it_alone() {
    let dir = scratch("corrupt");
    let state = dir.join("state.json");
    std::fs::write(&state, "{\"format\":\"wickr-admin-local state\",\"ver").unwrap();
    let users = examples_users_csv().display().to_string();
    let out = run(local(&state, &["users", "import", &users]), None).await;
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&*state.to_string_lossy()) && err.contains("not a readable state file"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&state).unwrap(),
        "{\"format\":\"wickr-admin-local state\",\"ver"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_state_file_in_use_is_refused_not_shared() {
    let dir = scratch("in-use");
    let state = dir.join("state.json");
    let out = run(local(&state, &["users", "export"]), None).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let before = std::fs::read(&state).unwrap();
    // This test process holds the file, as a running command would.
    let held = wickr_admin_local::state_file::StateFile::open(&state).unwrap();
    let users = examples_users_csv().display().to_string();
    let out = run(local(&state, &["users", "import", &users]), None).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("in use by another process"),
        "{}",
        stderr(&out)
    );
    let out = run(local(&state, &["local", "reset"]), None).await;
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(&state).unwrap(), before, "neither wrote");
    drop(held);
    let out = run(local(&state, &["users", "import", &users]), None).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_state_without_local_is_refused_not_ignored() {
    let dir = scratch("no-local");
    let state = dir.join("state.json").display().to_string();
    let out = run(
        vec![
            "--local-state".into(),
            state.clone(),
            "users".into(),
            "export".into(),
            "--network-id".into(),
            "12345678".into(),
        ],
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("add --local"), "{}", stderr(&out));
    // Resetting a named sandbox needs no --local.
    let out = run(
        vec![
            "--local-state".into(),
            state,
            "local".into(),
            "reset".into(),
        ],
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_that_only_reads_leaves_the_state_file_as_it_is() {
    let dir = scratch("read-only");
    let state = dir.join("state.json");
    let users = examples_users_csv().display().to_string();
    let out = run(local(&state, &["users", "import", &users]), None).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = std::fs::metadata(&state).unwrap().modified().unwrap();
    let content = std::fs::read(&state).unwrap();
    let out = run(local(&state, &["users", "export"]), None).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(exported(&out).len(), 301);
    assert_eq!(std::fs::read(&state).unwrap(), content);
    assert_eq!(
        std::fs::metadata(&state).unwrap().modified().unwrap(),
        written,
        "not written again"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_output_path_that_is_a_file_of_the_sandbox_is_refused_and_the_sandbox_kept() {
    let dir = scratch("output-over-state");
    let state = dir.join("state.json");
    let users = examples_users_csv().display().to_string();
    let out = run(local(&state, &["users", "import", &users]), None).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let content = std::fs::read(&state).unwrap();
    let leavers = dir.join("leavers.txt");
    std::fs::write(&leavers, "ada.lovelace@example.com\n").unwrap();
    let leavers = leavers.display().to_string();
    for target in ["state.json", "state.json.journal", "state.json.lock"] {
        let target = dir.join(target).display().to_string();
        for command in [
            vec!["users", "export", "--output-file", target.as_str()],
            vec!["users", "import", &users, "--report", target.as_str()],
            vec!["users", "suspend", &leavers, "--report", target.as_str()],
        ] {
            let out = run(local(&state, &command), None).await;
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{command:?}: {err}");
            assert!(err.contains("a file of the --local sandbox"), "{err}");
            assert!(err.contains("nothing was done"), "{err}");
        }
    }
    assert_eq!(std::fs::read(&state).unwrap(), content, "the state is kept");
    let out = run(local(&state, &["users", "export"]), None).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(exported(&out).len(), 301);
}
