//! `wickr-admin users delete|suspend|unsuspend|reinvite|reset-devices` end to end against the
//! emulator: files of usernames, ids or exports, confirmation, reports, exit codes, faults.

mod cli_support;
#[path = "../../wickr-admin/tests/lossy_proxy/mod.rs"]
mod lossy_proxy;

use std::sync::atomic::{AtomicBool, Ordering};

use cli_support::*;
use wickr_admin_local::{Emulator, DEMO_NETWORK_ID};

fn action_args(
    emu: &wickr_admin_local::RunningEmulator,
    action: &str,
    file: &std::path::Path,
    extra: &[&str],
) -> Vec<String> {
    let mut args = at(
        emu,
        &[
            "users",
            action,
            file.to_str().unwrap(),
            "--network-id",
            DEMO_NETWORK_ID,
        ],
    );
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_takes_usernames_and_ids_asks_first_and_reports_a_repeat_truthfully() {
    let emu = emulator().await;
    let dir = scratch("delete");
    let names: Vec<String> = (0..30).map(|i| format!("x{i}@example.com")).collect();
    let ids = create_users(&emu, &names).await;
    let mut list = String::from("# leavers\n");
    for name in &names[..10] {
        list.push_str(&format!("{}\n", name.to_uppercase()));
    }
    for id in &ids[10..15] {
        list.push_str(&format!("{id}\n"));
    }
    list.push_str("nobody@example.com\n");
    let file = dir.join("leavers.txt");
    std::fs::write(&file, list).unwrap();

    // Without a terminal to ask on, nothing is deleted without --yes.
    let out = run(action_args(&emu, "delete", &file, &[]), None).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--yes") && stderr(&out).contains("Delete 15 users"),
        "{}",
        stderr(&out)
    );
    assert_eq!(network_users(&emu).await.len(), 31);

    let report = dir.join("report.csv");
    let out = run(
        action_args(
            &emu,
            "delete",
            &file,
            &["--yes", "--report", report.to_str().unwrap()],
        ),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let users = network_users(&emu).await;
    assert_eq!(users.len(), 31 - 15);
    assert!(!users.contains_key("x0@example.com") && !users.contains_key("x14@example.com"));
    let rows = read_report(&report);
    assert_eq!(rows.len(), 16);
    assert_eq!(rows[0]["line"], "2");
    assert_eq!(rows[0]["userId"], ids[0]);
    assert!(
        rows[..15].iter().all(|r| r["outcome"] == "deleted"),
        "{rows:?}"
    );
    assert_eq!(rows[15]["outcome"], "not-found");

    // Deleting the same users again: they are gone, which is what was asked.
    let out = run(
        action_args(&emu, "delete", &file, &["--yes", "--output", "json"]),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary = json_summary(&out);
    assert_eq!(summary["outcomes"]["not-found"], 16, "{summary}");
    assert_eq!(summary["unsuccessful"], serde_json::json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suspend_unsuspend_reinvite_and_reset_devices_read_an_export() {
    let emu = emulator().await;
    let dir = scratch("actions");
    let names: Vec<String> = (0..8).map(|i| format!("a{i}@example.com")).collect();
    let ids = create_users(&emu, &names).await;
    for id in &ids[..2] {
        emu.backend()
            .register_device(DEMO_NETWORK_ID, id.parse().unwrap(), "mobile")
            .unwrap();
    }
    let export = dir.join("all.jsonl");
    let out = run(export_args(&emu, &export), None).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Keep the a-users: the administrator stays out of it.
    let kept: String = std::fs::read_to_string(&export)
        .unwrap()
        .lines()
        .filter(|l| !l.contains("admin@example.com"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&export, kept).unwrap();

    let out = run(action_args(&emu, "suspend", &export, &[]), None).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        network_users(&emu)
            .await
            .values()
            .filter(|u| u.suspended() == Some(true))
            .count()
            == 8
    );
    let out = run(action_args(&emu, "unsuspend", &export, &[]), None).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(network_users(&emu)
        .await
        .values()
        .all(|u| u.suspended() == Some(false)));

    let out = run(
        action_args(&emu, "reinvite", &export, &["--output", "json"]),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json_summary(&out)["outcomes"]["reinvited"], 8);

    let report = dir.join("devices.json");
    let out = run(
        action_args(
            &emu,
            "reset-devices",
            &export,
            &["--report", report.to_str().unwrap()],
        ),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(rows.len(), 8);
    assert!(rows.iter().all(|r| r["outcome"] == "devices-reset"));
    let reasons: Vec<&str> = rows.iter().map(|r| r["reason"].as_str().unwrap()).collect();
    assert_eq!(
        reasons
            .iter()
            .filter(|r| **r == "1 of 1 devices reset")
            .count(),
        2,
        "{reasons:?}"
    );

    // Re-inviting the active administrator is refused by the service: exit 1, with its reason.
    let admin = dir.join("admin.txt");
    std::fs::write(&admin, "admin@example.com\n").unwrap();
    let out = run(action_args(&emu, "reinvite", &admin, &[]), None).await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("accepted"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // A user that does not exist cannot be suspended: exit 1.
    std::fs::write(&admin, "ghost@example.com\n").unwrap();
    let out = run(action_args(&emu, "suspend", &admin, &[]), None).await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_lists_send_nothing_and_say_where() {
    let emu = emulator().await;
    let dir = scratch("bad-list");
    let file = dir.join("bad.txt");
    std::fs::write(&file, "a@example.com\nA@example.com\n12ab,x\n").unwrap();
    let out = run(action_args(&emu, "suspend", &file, &[]), None).await;
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("line 2: username") && err.contains("line 3: row"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_list_whose_lines_cannot_each_name_a_user_deletes_nothing() {
    // Each of these lists once came back as users "not found", which a deletion counts as done:
    // exit 0, and the users still there.
    let emu = emulator().await;
    let names: Vec<String> = ["a", "b", "c"]
        .iter()
        .map(|n| format!("{n}@example.com"))
        .collect();
    create_users(&emu, &names).await;
    let dir = scratch("unreadable-list");
    for (name, text, said) in [
        (
            "open-quote.csv",
            "username\n\"a@example.com\nb@example.com\nc@example.com\n",
            "line 2: row: unterminated quoted field",
        ),
        (
            "semicolons.csv",
            "username;userId\na@example.com;1002\n",
            "line 2: row: has a semicolon",
        ),
        (
            "comments.txt",
            "\"a@example.com\"\nb@example.com  # left\n",
            "line 2: row: holds a space",
        ),
    ] {
        let file = dir.join(name);
        std::fs::write(&file, text).unwrap();
        let out = run(action_args(&emu, "delete", &file, &["--yes"]), None).await;
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(said), "{name}: {err}");
        assert!(err.contains("nothing was sent"), "{name}: {err}");
    }
    let left = usernames(&emu).await;
    for name in &names {
        assert!(left.contains(name), "{name} is still there");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn importing_deleting_and_importing_again_with_the_command_creates_the_users_again() {
    let emu = emulator().await;
    let dir = scratch("reimport");
    let file = users_file(&dir, "users.csv", "again", 120);
    let out = run(import_args(&emu, &file, &["--output", "json"]), None).await;
    assert_eq!(json_summary(&out)["created"], 120);
    let out = run(action_args(&emu, "delete", &file, &["--yes"]), None).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(network_users(&emu).await.len(), 1);
    let out = run(import_args(&emu, &file, &["--output", "json"]), None).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        json_summary(&out)["created"],
        120,
        "created again, and said so"
    );
    assert_eq!(network_users(&emu).await.len(), 121);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_delete_through_faults_removes_exactly_the_listed_users() {
    let emu = Emulator::builder()
        .seed_demo_network(true)
        .faults("429=0.05,500=0.05,reset=0.05,lost=0.05".parse().unwrap())
        .fault_seed(3)
        .start()
        .await
        .expect("emulator starts");
    let dir = scratch("delete-faults");
    let names: Vec<String> = (0..1500).map(|i| format!("f{i}@example.com")).collect();
    create_users(&emu, &names).await;
    let file = dir.join("leavers.txt");
    std::fs::write(&file, names[..1200].join("\n")).unwrap();
    let report = dir.join("report.csv");
    let out = run_with(
        action_args(
            &emu,
            "delete",
            &file,
            &["--yes", "--report", report.to_str().unwrap()],
        ),
        vec![("AWS_MAX_ATTEMPTS", "10".to_string())],
        None,
    )
    .await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{}",
        stderr(&out),
        String::from_utf8_lossy(&out.stdout)
    );
    let faults = emu.faults_injected();
    assert!(
        faults.lost + faults.reset + faults.throttle + faults.internal > 0,
        "{faults:?}"
    );
    let users = network_users(&emu).await;
    let mut left: Vec<String> = users.into_keys().collect();
    left.sort();
    let mut expected: Vec<String> = names[1200..].to_vec();
    expected.push("admin@example.com".into());
    expected.sort();
    assert_eq!(left, expected);
    let rows = read_report(&report);
    assert_eq!(rows.len(), 1200);
    assert!(
        rows.iter()
            .all(|r| r["outcome"] == "deleted" || r["outcome"] == "not-found"),
        "{rows:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_path_that_is_the_input_file_is_refused_and_the_file_kept() {
    let emu = emulator().await;
    let dir = scratch("report-is-input");
    let names = dir.join("leavers.txt");
    std::fs::write(&names, "nobody@example.com\n").unwrap();
    let csv = users_file(&dir, "hr.csv", "kept-input-", 3);
    let csv_text = std::fs::read_to_string(&csv).unwrap();
    let before = usernames(&emu).await.len();
    let mut runs = vec![action_args(
        &emu,
        "reinvite",
        &names,
        &["--report", names.to_str().unwrap()],
    )];
    let sync = at(
        &emu,
        &[
            "users",
            "sync",
            csv.to_str().unwrap(),
            "--network-id",
            DEMO_NETWORK_ID,
            "--security-group-id",
            wickr_admin_local::DEMO_GROUP_ID,
            "--apply",
            "--report",
            csv.to_str().unwrap(),
        ],
    );
    runs.push(sync);
    for args in runs {
        let out = run(args.clone(), None).await;
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("is the input file"), "{args:?}: {err}");
    }
    assert_eq!(
        std::fs::read_to_string(&names).unwrap(),
        "nobody@example.com\n"
    );
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), csv_text);
    assert_eq!(usernames(&emu).await.len(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_username_several_users_have_but_for_case_is_never_guessed() {
    // Looked up one by one (a short file) and in one listing (more than 20 names) alike.
    let emu = emulator().await;
    let dir = scratch("action-case-twins");
    let ids = create_users(
        &emu,
        &[
            "twin@example.com".to_string(),
            "TWIN@Example.com".to_string(),
        ],
    )
    .await;
    for extra in [0, 25] {
        let file = dir.join(format!("names-{extra}.txt"));
        let mut text = String::from("Twin@Example.com\n");
        for i in 0..extra {
            text.push_str(&format!("nobody{i}@example.com\n"));
        }
        std::fs::write(&file, text).unwrap();
        let report = dir.join(format!("report-{extra}.csv"));
        let out = run(
            action_args(
                &emu,
                "suspend",
                &file,
                &["--report", report.to_str().unwrap()],
            ),
            None,
        )
        .await;
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let rows = read_report(&report);
        assert_eq!(rows[0]["outcome"], "failed", "{:?}", rows[0]);
        assert!(
            rows[0]["reason"].contains(&ids[0]) && rows[0]["reason"].contains(&ids[1]),
            "{:?}",
            rows[0]
        );
        let network = network_users(&emu).await;
        for name in ["twin@example.com", "TWIN@Example.com"] {
            assert_ne!(network[name].suspended(), Some(true), "{extra}: {name}");
        }
    }
    // The one named exactly is the one acted on.
    let exact = dir.join("exact.txt");
    std::fs::write(&exact, "TWIN@Example.com\n").unwrap();
    let out = run(action_args(&emu, "suspend", &exact, &[]), None).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let network = network_users(&emu).await;
    assert_eq!(network["TWIN@Example.com"].suspended(), Some(true));
    assert_ne!(network["twin@example.com"].suspended(), Some(true));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_named_by_username_and_by_id_is_one_user_and_a_repeat() {
    // Acting on one user twice counted it twice ("suspended 3" for one user).
    let emu = emulator().await;
    let dir = scratch("action-same-user");
    let ids = create_users(&emu, &["once@example.com".to_string()]).await;
    let id = &ids[0];
    for (text, repeated_line) in [
        (format!("once@example.com\n{id}\n"), 2),
        (format!("{id}\n0{id}\n"), 2),
        (format!("Once@Example.com\nnobody@example.com\n00{id}\n"), 3),
    ] {
        let file = dir.join("users.txt");
        std::fs::write(&file, &text).unwrap();
        let out = run(action_args(&emu, "suspend", &file, &[]), None).await;
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{text:?}: {err}");
        assert!(
            err.contains(&format!("line {repeated_line}"))
                && err.contains("names the same user as line 1"),
            "{text:?}: {err}"
        );
        assert_ne!(
            network_users(&emu).await["once@example.com"].suspended(),
            Some(true),
            "{text:?}: nothing is sent"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_list_on_standard_input_stops_at_the_bound_and_suspends_nothing() {
    let emu = emulator().await;
    let args = action_args(&emu, "suspend", std::path::Path::new("-"), &[]);
    let out = tokio::task::spawn_blocking(move || {
        let mut child = command(&args)
            .stdin(std::process::Stdio::piped())
            .spawn()
            .expect("run wickr-admin");
        let mut pipe = child.stdin.take().expect("stdin");
        // An endless list of user ids, as `yes 1234567` gives, until the command stops reading.
        let feeder = std::thread::spawn(move || {
            use std::io::Write;
            let block = "1234567\n".repeat(8192);
            while pipe.write_all(block.as_bytes()).is_ok() {}
        });
        let out = child.wait_with_output().expect("wait for wickr-admin");
        feeder.join().expect("feeder");
        out
    })
    .await
    .expect("join");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("split the list"), "{err}");
}

/// Whether the answer of a reset call was lost already (the rule below loses only the first).
static RESET_ANSWER_LOST: AtomicBool = AtomicBool::new(false);

/// Loses the answer of the first BatchResetDevicesForUser (`PATCH .../users/{id}/devices`).
fn first_reset(method: &str, path: &str, _: &[u8]) -> bool {
    method == "PATCH"
        && path.ends_with("/devices")
        && !RESET_ANSWER_LOST.swap(true, Ordering::SeqCst)
}

/// Resets the administrator's two devices through a proxy that loses the answers `rule`
/// picks; the reason the report gives its row, once one answer was lost.
async fn reset_the_administrator_losing(rule: lossy_proxy::LoseRule, name: &str) -> String {
    let emu = emulator().await;
    let proxy = lossy_proxy::LossyProxy::start(emu.local_addr(), rule).await;
    let dir = scratch(name);
    let file = dir.join("admin.txt");
    std::fs::write(&file, "1001\n").unwrap();
    let report = dir.join("report.json");
    let out = run(
        at_url(
            &proxy.url,
            &[
                "users",
                "reset-devices",
                file.to_str().unwrap(),
                "--network-id",
                DEMO_NETWORK_ID,
                "--report",
                report.to_str().unwrap(),
            ],
        ),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(proxy.lost(), 1);
    let rows: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(rows[0]["outcome"], "devices-reset");
    rows[0]["reason"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_whose_answer_was_lost_does_not_claim_the_retry_counted_every_device() {
    // The administrator has two devices. The first reset is applied and its answer lost; the
    // retry lists the user's devices again, and the two are gone from the list. The row must not
    // say the job reset none of them.
    let reason = reset_the_administrator_losing(first_reset, "reset-lost").await;
    assert!(
        reason.contains("an earlier attempt, whose answer was lost, may have reset others"),
        "{reason}"
    );
}

/// Whether the answer of a device listing was lost already (the rule below loses the first).
static LISTING_ANSWER_LOST: AtomicBool = AtomicBool::new(false);

/// Loses the answer of the first ListDevicesForUser (`GET .../users/{id}/devices`).
fn first_listing(method: &str, path: &str, _: &[u8]) -> bool {
    method == "GET"
        && path.contains("/devices")
        && !LISTING_ANSWER_LOST.swap(true, Ordering::SeqCst)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_device_listing_is_not_taken_for_a_reset_that_may_have_happened() {
    // Listing changes nothing: after its answer is lost, the retry resets the two devices, and
    // the row counts them without a word about an earlier attempt.
    let reason = reset_the_administrator_losing(first_listing, "listing-lost").await;
    assert_eq!(reason, "2 of 2 devices reset");
}
