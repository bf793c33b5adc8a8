//! `wickr-admin users sync` end to end against the emulator: the plan, --apply, the users not in
//! the file, --max-deletes and confirmation, what counts as the same user, and faults.

mod cli_support;

use cli_support::*;
use wickr_admin_local::{Emulator, DEMO_GROUP_ID, DEMO_NETWORK_ID};

fn sync_args(
    emu: &wickr_admin_local::RunningEmulator,
    file: &std::path::Path,
    extra: &[&str],
) -> Vec<String> {
    let mut args = at(
        emu,
        &[
            "users",
            "sync",
            file.to_str().unwrap(),
            "--network-id",
            DEMO_NETWORK_ID,
            "--security-group-id",
            DEMO_GROUP_ID,
        ],
    );
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

async fn new_group(emu: &wickr_admin_local::RunningEmulator, name: &str) -> String {
    emu.client()
        .create_security_group()
        .network_id(DEMO_NETWORK_ID)
        .name(name)
        .security_group_settings(
            wickr_admin::types::SecurityGroupSettingsRequest::builder().build(),
        )
        .send()
        .await
        .expect("group")
        .security_group()
        .expect("the answer names the new group")
        .id()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_plans_then_applies_a_network_that_differs_from_the_file_in_every_way() {
    let emu = emulator().await;
    let dir = scratch("sync-every-way");
    let staff = new_group(&emu, "Staff").await;
    let names: Vec<String> = ["same", "renamed", "moved", "left", "paused"]
        .iter()
        .map(|n| format!("{n}@example.com"))
        .collect();
    let ids = create_users(&emu, &names).await;
    let client = emu.client();
    client
        .update_user()
        .network_id(DEMO_NETWORK_ID)
        .user_id(&ids[2])
        .user_details(
            wickr_admin::types::UpdateUserDetails::builder()
                .security_group_ids(staff.clone())
                .build(),
        )
        .send()
        .await
        .unwrap();
    client
        .batch_toggle_user_suspend_status()
        .network_id(DEMO_NETWORK_ID)
        .suspend(true)
        .user_ids(ids[4].clone())
        .send()
        .await
        .unwrap();
    let file = dir.join("hr.csv");
    std::fs::write(
        &file,
        format!(
            "username,firstName,lastName,securityGroupId\n\
             same@example.com,First,Last,\n\
             renamed@example.com,First,Married,\n\
             moved@example.com,First,Last,\n\
             hired@example.com,New,Hire,\n\
             staff@example.com,New,Staff,{staff}\n"
        ),
    )
    .unwrap();

    // The plan, for programs; nothing changes.
    let before = network_users(&emu).await;
    let out = run(
        sync_args(&emu, &file, &["--suspend-missing", "--output", "json"]),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let plan = json_summary(&out);
    assert_eq!(plan["counts"]["create"], 2, "{plan}");
    assert_eq!(plan["counts"]["update"], 2, "{plan}");
    assert_eq!(plan["counts"]["unchanged"], 1, "{plan}");
    assert_eq!(plan["counts"]["suspend"], 1, "{plan}");
    assert_eq!(
        plan["counts"]["leave"], 2,
        "the administrator and the suspended user: {plan}"
    );
    let update: Vec<&serde_json::Value> = plan["update"].as_array().unwrap().iter().collect();
    assert_eq!(update[0]["username"], "renamed@example.com");
    assert_eq!(update[0]["fields"], serde_json::json!(["lastName"]));
    assert_eq!(
        update[1]["securityGroup"]["from"],
        serde_json::json!([staff])
    );
    assert_eq!(update[1]["securityGroup"]["to"], DEMO_GROUP_ID);
    let missing = plan["missing"].as_array().unwrap();
    let left = missing
        .iter()
        .find(|m| m["username"] == "left@example.com")
        .unwrap();
    assert_eq!(left["action"], "suspend");
    let paused = missing
        .iter()
        .find(|m| m["username"] == "paused@example.com")
        .unwrap();
    assert_eq!(paused["note"], "already suspended");
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("Married"),
        "names are not shown"
    );
    assert_eq!(
        network_users(&emu).await.len(),
        before.len(),
        "nothing changed"
    );

    // The same plan as a table, then applied.
    let report = dir.join("report.csv");
    let out = run(
        sync_args(
            &emu,
            &file,
            &[
                "--suspend-missing",
                "--apply",
                "--report",
                report.to_str().unwrap(),
            ],
        ),
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
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("line 3: update renamed@example.com"),
        "{stdout}"
    );
    let users = network_users(&emu).await;
    assert_eq!(users["renamed@example.com"].last_name(), Some("Married"));
    assert_eq!(
        users["moved@example.com"].security_groups(),
        [DEMO_GROUP_ID]
    );
    assert_eq!(users["hired@example.com"].first_name(), Some("New"));
    assert_eq!(
        users["staff@example.com"].security_groups(),
        [staff.as_str()]
    );
    assert_eq!(users["left@example.com"].suspended(), Some(true));
    assert_eq!(users["admin@example.com"].suspended(), Some(false));
    let rows = read_report(&report);
    let outcome = |name: &str| {
        rows.iter()
            .find(|r| r["username"] == name)
            .map(|r| (r["action"].clone(), r["outcome"].clone()))
            .unwrap()
    };
    assert_eq!(
        outcome("same@example.com"),
        ("none".into(), "unchanged".into())
    );
    assert_eq!(
        outcome("renamed@example.com"),
        ("update".into(), "updated".into())
    );
    assert_eq!(
        outcome("hired@example.com"),
        ("create".into(), "created".into())
    );
    assert_eq!(
        outcome("left@example.com"),
        ("suspend".into(), "suspended".into())
    );
    assert_eq!(
        outcome("paused@example.com"),
        ("leave".into(), "left-alone".into())
    );
    assert_eq!(rows.len(), 5 + 3);

    // Applied again: nothing left to do.
    let out = run(
        sync_args(&emu, &file, &["--suspend-missing", "--output", "json"]),
        None,
    )
    .await;
    let plan = json_summary(&out);
    assert_eq!(plan["counts"]["create"], 0, "{plan}");
    assert_eq!(plan["counts"]["update"], 0, "{plan}");
    assert_eq!(plan["counts"]["suspend"], 0, "{plan}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deletions_beyond_max_deletes_or_without_confirmation_are_refused() {
    let emu = emulator().await;
    let dir = scratch("sync-deletes");
    let names: Vec<String> = (0..12).map(|i| format!("d{i}@example.com")).collect();
    create_users(&emu, &names).await;
    let file = dir.join("few.csv");
    std::fs::write(&file, "username\nd0@example.com\nd1@example.com\n").unwrap();

    // Ten to delete (the administrator is never one) passes the default limit, but needs --yes
    // when nothing can be asked.
    let out = run(
        sync_args(&emu, &file, &["--delete-missing", "--apply"]),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--yes"), "{}", stderr(&out));
    assert_eq!(network_users(&emu).await.len(), 13, "nothing deleted");

    std::fs::write(&file, "username\nd0@example.com\n").unwrap();
    let out = run(
        sync_args(&emu, &file, &["--delete-missing", "--apply", "--yes"]),
        None,
    )
    .await;
    assert_eq!(
        out.status.code(),
        Some(2),
        "11 deletions, more than 10: {}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("more than --max-deletes 10"),
        "{}",
        stderr(&out)
    );
    let out = run(
        sync_args(
            &emu,
            &file,
            &[
                "--delete-missing",
                "--apply",
                "--yes",
                "--max-deletes",
                "11",
            ],
        ),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let users = network_users(&emu).await;
    let mut left: Vec<&String> = users.keys().collect();
    left.sort();
    assert_eq!(left, ["admin@example.com", "d0@example.com"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn case_spaces_repeats_and_a_group_that_is_gone_are_decided_as_documented() {
    let emu = emulator().await;
    let dir = scratch("sync-same");
    let staff = new_group(&emu, "Staff").await;
    let ids = create_users(
        &emu,
        &[
            "alice@example.com".to_string(),
            "orphan@example.com".to_string(),
        ],
    )
    .await;
    emu.client()
        .update_user()
        .network_id(DEMO_NETWORK_ID)
        .user_id(&ids[1])
        .user_details(
            wickr_admin::types::UpdateUserDetails::builder()
                .security_group_ids(staff.clone())
                .build(),
        )
        .send()
        .await
        .unwrap();
    emu.backend()
        .remove_group_keeping_members(DEMO_NETWORK_ID, &staff)
        .unwrap();

    // A username that differs only in case and spaces is the same user; a name with other
    // spaces around it is the same name; a user whose group is gone moves to the row's group.
    let file = dir.join("same.csv");
    std::fs::write(
        &file,
        "username,firstName,lastName\n\" ALICE@Example.com \",\" First \",Last\norphan@example.com,First,Last\n",
    )
    .unwrap();
    let out = run(sync_args(&emu, &file, &["--output", "json"]), None).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let plan = json_summary(&out);
    assert_eq!(plan["counts"]["create"], 0, "{plan}");
    assert_eq!(plan["counts"]["unchanged"], 1, "{plan}");
    assert_eq!(plan["update"][0]["username"], "orphan@example.com");
    assert_eq!(
        plan["update"][0]["securityGroup"]["gone"],
        serde_json::json!([staff])
    );
    let out = run(sync_args(&emu, &file, &["--apply"]), None).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let users = network_users(&emu).await;
    assert_eq!(users.len(), 3, "no second alice");
    assert_eq!(
        users["orphan@example.com"].security_groups(),
        [DEMO_GROUP_ID]
    );
    assert_eq!(
        users["alice@example.com"].username(),
        Some("alice@example.com"),
        "usernames are never changed"
    );

    // A different case of a name is a change.
    std::fs::write(&file, "username,firstName\nalice@example.com,FIRST\n").unwrap();
    let out = run(sync_args(&emu, &file, &["--output", "json"]), None).await;
    assert_eq!(
        json_summary(&out)["update"][0]["fields"],
        serde_json::json!(["firstName"])
    );

    // Two rows for one user, but for case: the plan would be ambiguous; nothing is planned.
    std::fs::write(&file, "username\nbob@example.com\nBob@Example.com\n").unwrap();
    let out = run(sync_args(&emu, &file, &["--apply"]), None).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("line 3: username"),
        "{}",
        stderr(&out)
    );
    assert!(!network_users(&emu).await.contains_key("bob@example.com"));

    // A row naming a group the network does not have.
    std::fs::write(
        &file,
        "username,securityGroupId\nbob@example.com,NoSuchGp\n",
    )
    .unwrap();
    let out = run(sync_args(&emu, &file, &["--apply"]), None).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("NoSuchGp"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_apply_through_faults_ends_with_exactly_the_planned_state() {
    let emu = Emulator::builder()
        .seed_demo_network(true)
        .faults("429=0.05,500=0.05,reset=0.05,lost=0.05".parse().unwrap())
        .fault_seed(5)
        .start()
        .await
        .expect("emulator starts");
    let dir = scratch("sync-faults");
    let existing: Vec<String> = (0..300).map(|i| format!("old{i}@example.com")).collect();
    create_users(&emu, &existing).await;
    // The file keeps old0..old249 (the first 150 with a new last name), adds 100, and leaves
    // old250..old299 out: 100 creates, 150 updates (one call each), 100 unchanged, 50 deletions.
    let mut text = String::from("username,firstName,lastName\n");
    for i in 0..250 {
        let last = if i < 150 { "Changed" } else { "Last" };
        text.push_str(&format!("old{i}@example.com,First,{last}\n"));
    }
    for i in 0..100 {
        text.push_str(&format!("new{i}@example.com,New,Hire\n"));
    }
    let file = dir.join("hr.csv");
    std::fs::write(&file, text).unwrap();
    let report = dir.join("report.csv");
    let out = run_with(
        sync_args(
            &emu,
            &file,
            &[
                "--apply",
                "--delete-missing",
                "--max-deletes",
                "50",
                "--yes",
                "--report",
                report.to_str().unwrap(),
            ],
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
        faults.lost > 0 && faults.reset > 0 && faults.throttle > 0,
        "{faults:?}"
    );

    let users = network_users(&emu).await;
    let mut expected: Vec<String> = (0..250)
        .map(|i| format!("old{i}@example.com"))
        .chain((0..100).map(|i| format!("new{i}@example.com")))
        .chain(["admin@example.com".to_string()])
        .collect();
    expected.sort();
    let mut names: Vec<String> = users.keys().cloned().collect();
    names.sort();
    assert_eq!(names, expected, "exactly the planned users, each once");
    for i in 0..250 {
        let want = if i < 150 { "Changed" } else { "Last" };
        assert_eq!(
            users[&format!("old{i}@example.com")].last_name(),
            Some(want)
        );
    }
    // Every row says what happened to it, and that is what the network shows.
    let rows = read_report(&report);
    assert_eq!(
        rows.len(),
        350 + 50 + 1,
        "file rows, deletions, the administrator left alone"
    );
    for row in &rows {
        let name = &row["username"];
        let ok = match (row["action"].as_str(), row["outcome"].as_str()) {
            ("create", "created" | "present") => users.contains_key(name),
            ("update", "updated") => users[name].last_name() == Some("Changed"),
            ("none", "unchanged") => users.contains_key(name),
            ("delete", "deleted" | "not-found") => !users.contains_key(name),
            ("leave", "left-alone") => name == "admin@example.com",
            _ => false,
        };
        assert!(ok, "{row:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_no_one_can_read_is_an_error_and_is_not_applied() {
    let emu = emulator().await;
    let dir = scratch("sync-stdout-closed");
    let file = users_file(&dir, "users.csv", "unread-plan-", 3);
    let before = usernames(&emu).await.len();
    for (extra, code) in [
        (&[][..], 1),
        (&["--output", "json"][..], 1),
        (&["--apply"][..], 2),
    ] {
        let out = run_stdout_closed(sync_args(&emu, &file, extra)).await;
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{extra:?}: {err}");
        assert!(
            err.contains("cannot write to standard output"),
            "{extra:?}: {err}"
        );
        assert_eq!(out.status.code(), Some(code), "{extra:?}: {err}");
    }
    // The plan created three users; it was never applied.
    assert_eq!(usernames(&emu).await.len(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn network_users_that_differ_only_in_case_are_never_chosen_between() {
    // The network has two users that sync counts as one. A row naming neither exactly cannot
    // say which it means: refused, nothing changed. A row naming one exactly updates that one,
    // and the other, which the file also names, is never deleted as missing.
    let emu = emulator().await;
    let dir = scratch("sync-network-case");
    let ids = create_users(
        &emu,
        &[
            "twin@example.com".to_string(),
            "TWIN@Example.com".to_string(),
        ],
    )
    .await;
    let before = usernames(&emu).await.len();
    let neither = dir.join("neither.csv");
    std::fs::write(
        &neither,
        "username,firstName,lastName\nTwin@Example.com,New,Name\n",
    )
    .unwrap();
    let out = run(
        sync_args(&emu, &neither, &["--apply", "--delete-missing", "--yes"]),
        None,
    )
    .await;
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("line 2") && err.contains(&ids[0]) && err.contains(&ids[1]),
        "{err}"
    );
    assert_eq!(usernames(&emu).await.len(), before);

    let exact = dir.join("exact.csv");
    std::fs::write(
        &exact,
        "username,firstName,lastName\nTWIN@Example.com,New,Name\n",
    )
    .unwrap();
    let out = run(
        sync_args(
            &emu,
            &exact,
            &["--apply", "--suspend-missing", "--output", "json"],
        ),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let network = network_users(&emu).await;
    let twin = &network["twin@example.com"];
    let upper = &network["TWIN@Example.com"];
    assert_eq!(upper.first_name(), Some("New"));
    assert_eq!(twin.first_name(), Some("First"));
    assert_ne!(
        twin.suspended(),
        Some(true),
        "the file names it: not missing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_that_names_nobody_does_not_suspend_or_delete_the_whole_network() {
    // An HR export that came out with its header alone: with --suspend-missing every user but
    // the administrators would be suspended, with --delete-missing deleted.
    let emu = emulator().await;
    let names: Vec<String> = (0..5).map(|i| format!("kept{i}@example.com")).collect();
    create_users(&emu, &names).await;
    let dir = scratch("names-nobody");
    let file = dir.join("hr.csv");
    std::fs::write(&file, "username,firstName,lastName\n").unwrap();
    for policy in ["--suspend-missing", "--delete-missing"] {
        let out = run(sync_args(&emu, &file, &["--apply", policy, "--yes"]), None).await;
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{policy}: {err}");
        assert!(err.contains("the file names no users"), "{policy}: {err}");
        assert!(err.contains("nothing was changed"), "{policy}: {err}");
    }
    let users = network_users(&emu).await;
    assert_eq!(users.len(), 6);
    assert!(users.values().all(|u| u.suspended() != Some(true)));
}
