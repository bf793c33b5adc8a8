//! The README's "A day with wickr-admin" runs as written: each `wickr-admin` line of its first
//! shell block, in order, in a folder holding a copy of `examples/`, with the sandbox's state in
//! that folder's data directory.

mod cli_support;

use std::path::Path;

use cli_support::*;

/// The command lines of the section's first `sh` block.
fn day_commands() -> Vec<Vec<String>> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
            .expect("README.md");
    let section = readme
        .split("\n## A day with wickr-admin\n")
        .nth(1)
        .expect("the README has the section");
    let block = section
        .split("```sh\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the section has a shell block");
    block
        .lines()
        .filter_map(|line| line.strip_prefix("wickr-admin "))
        .map(|args| args.split_whitespace().map(str::to_string).collect())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_day_with_wickr_admin_runs_as_the_readme_says() {
    let dir = scratch("readme-day");
    let examples = dir.join("examples");
    std::fs::create_dir_all(&examples).unwrap();
    for name in ["users.csv", "hr-sync.csv", "leavers.txt"] {
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../examples")
                .join(name),
            examples.join(name),
        )
        .unwrap();
    }
    let data = dir.join("data");
    let commands = day_commands();
    let verbs: Vec<String> = commands.iter().map(|c| c[1..3].join(" ")).collect();
    assert_eq!(
        verbs,
        [
            "local reset",
            "users import",
            "users export",
            "users sync",
            "users sync",
            "users delete"
        ]
    );
    for args in commands {
        let out = run_with(
            args.clone(),
            vec![("XDG_DATA_HOME", data.display().to_string())],
            Some(dir.to_path_buf()),
        )
        .await;
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            stderr(&out)
        );
    }
    // What the README says the day leaves behind.
    assert_eq!(read_report(&dir.join("everyone.csv")).len(), 301);
    let sync = read_report(&dir.join("sync.csv"));
    let count = |action: &str, outcome: &str| {
        sync.iter()
            .filter(|r| r["action"] == action && r["outcome"] == outcome)
            .count()
    };
    assert_eq!(count("create", "created"), 10);
    assert_eq!(count("update", "updated"), 5);
    assert_eq!(count("suspend", "suspended"), 20);
    assert_eq!(count("leave", "left-alone"), 1, "the administrator");
    let offboarded = read_report(&dir.join("offboarding.csv"));
    assert_eq!(offboarded.len(), 20);
    assert!(offboarded.iter().all(|r| r["outcome"] == "deleted"));
    let out = run_with(
        vec!["--local".into(), "users".into(), "export".into()],
        vec![("XDG_DATA_HOME", data.display().to_string())],
        Some(dir.to_path_buf()),
    )
    .await;
    let rows = String::from_utf8_lossy(&out.stdout).lines().count() - 1;
    assert_eq!(rows, 300 - 20 + 10 + 1);
}
