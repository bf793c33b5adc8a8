//! What the binary reports when answers are lost, the endpoint is unreachable, imports overlap
//! or repeat, and when a job is resumed: every row's outcome, the summary and the exit code say
//! what is known, and never more.

mod cli_support;
#[path = "../../wickr-admin/tests/lossy_proxy/mod.rs"]
mod lossy_proxy;

use std::collections::{HashMap, HashSet};

use cli_support::*;
use lossy_proxy::{Loss, LossyProxy};
use wickr_admin_local::{Emulator, RunningEmulator, DEMO_NETWORK_ID};

/// Every user of the demo network: username -> user id.
async fn network(emu: &RunningEmulator) -> HashMap<String, String> {
    let client = emu.client();
    let mut users = HashMap::new();
    let mut pages = client
        .list_users()
        .network_id(DEMO_NETWORK_ID)
        .max_results(100)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        for user in page.expect("list users").users() {
            users.insert(
                user.username().unwrap_or_default().to_string(),
                user.user_id().unwrap_or_default().to_string(),
            );
        }
    }
    users
}

fn count(rows: &[HashMap<String, String>], outcome: &str) -> usize {
    rows.iter().filter(|r| r["outcome"] == outcome).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_answers_are_unknown_in_the_report_the_summary_and_the_exit_code() {
    // The emulator applies every request and loses every answer, look-ups included.
    let emu = Emulator::builder()
        .seed_demo_network(true)
        .faults("lost=1.0".parse().expect("fault spec"))
        .start()
        .await
        .expect("emulator starts");
    let dir = scratch("lost");
    let file = users_file(&dir, "users.csv", "lost", 60);
    let report = dir.join("report.csv");
    let out = run(
        import_args(
            &emu,
            &file,
            &["--report", report.to_str().unwrap(), "--output", "json"],
        ),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let summary = json_summary(&out);
    assert_eq!(summary["unknown"], 60, "{summary}");
    assert_eq!(summary["notAttempted"], 0, "{summary}");
    assert!(
        summary["lookupNote"]
            .as_str()
            .is_some_and(|n| n.contains("look-ups stopped")),
        "{summary}"
    );
    let rows = read_report(&report);
    assert_eq!(count(&rows, "unknown"), 60);
    assert!(
        rows[0]["reason"].contains("no definitive answer after 10 attempts"),
        "{:?}",
        rows[0]
    );
}

/// Imports `file` through the endpoint at `url`, with a report at `report` and a JSON summary.
async fn import_with_report(
    url: &str,
    file: &std::path::Path,
    report: &std::path::Path,
) -> std::process::Output {
    run(
        import_args_at(
            url,
            file,
            &["--report", report.to_str().unwrap(), "--output", "json"],
        ),
        None,
    )
    .await
}

/// Imports `rows_in_file` users through a proxy that loses every BatchCreateUser exchange in
/// the way `loss` says, and checks what the look-ups made of the unknown rows.
async fn import_and_look_up(rows_in_file: usize, loss: Loss) {
    let emu = emulator().await;
    let proxy =
        LossyProxy::start_losing(emu.local_addr(), lossy_proxy::batch_create_user, loss).await;
    let dir = scratch("lookup");
    let file = users_file(&dir, "users.csv", "looked", rows_in_file);
    let report = dir.join("report.csv");
    let out = import_with_report(&proxy.url, &file, &report).await;
    let summary = json_summary(&out);
    let rows = read_report(&report);
    let in_network = network(&emu).await;
    match loss {
        // The service created every user and no answer came back: the look-up finds them.
        Loss::Answer => {
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
            assert_eq!(summary["present"], rows_in_file, "{summary}");
            assert_eq!(count(&rows, "present"), rows_in_file);
            for row in &rows {
                assert_eq!(
                    Some(&row["userId"]),
                    in_network.get(&row["username"]),
                    "{row:?}"
                );
            }
        }
        // No request arrived: the look-up finds nobody, so nobody was created.
        Loss::Request => {
            assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
            assert_eq!(summary["notCreated"], rows_in_file, "{summary}");
            assert_eq!(count(&rows, "not-created"), rows_in_file);
            assert!(!in_network.keys().any(|n| n.starts_with("looked")));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_answers_are_settled_as_present_by_one_listing_of_the_network() {
    import_and_look_up(60, Loss::Answer).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_answers_are_settled_as_present_by_looking_each_user_up() {
    import_and_look_up(8, Loss::Answer).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_that_never_arrived_are_settled_as_not_created() {
    import_and_look_up(8, Loss::Request).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_with_the_name_but_for_case_does_not_settle_a_lost_create() {
    // The network has `case-kept@example.com`; the file asks for `CASE-Kept@example.com`, which
    // the service keeps apart from it, and no create request arrives. The look-up finds only
    // the other user: that does not show that this row's user exists, so the row stays unknown
    // (a resumed job asks again with its token) instead of naming the other user as its own.
    let emu = emulator().await;
    let other = create_users(&emu, &["case-kept@example.com".to_string()]).await;
    let proxy = LossyProxy::start_losing(
        emu.local_addr(),
        lossy_proxy::batch_create_user,
        Loss::Request,
    )
    .await;
    let dir = scratch("other-case");
    let file = dir.join("users.csv");
    std::fs::write(
        &file,
        "username,securityGroupId\nCASE-Kept@example.com,BCTY8Qhe\nabsent@example.com,BCTY8Qhe\n",
    )
    .unwrap();
    let report = dir.join("report.csv");
    let out = import_with_report(&proxy.url, &file, &report).await;
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let rows = read_report(&report);
    assert_eq!(rows[0]["outcome"], "unknown", "{:?}", rows[0]);
    assert_ne!(rows[0]["userId"], other[0], "{:?}", rows[0]);
    assert_eq!(rows[1]["outcome"], "not-created", "{:?}", rows[1]);
    let in_network = network(&emu).await;
    assert!(!in_network.contains_key("CASE-Kept@example.com"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_endpoint_fails_fast_and_nothing_is_claimed() {
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", closed.local_addr().expect("addr"));
    drop(closed);
    let dir = scratch("unreachable");
    let file = users_file(&dir, "users.csv", "nowhere", 5000);
    let out = run(import_args_at(&url, &file, &["--output", "json"]), None).await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let summary = json_summary(&out);
    assert_eq!(summary["notAttempted"], 5000, "{summary}");
    assert_eq!(summary["unknown"], 0, "{summary}");
    assert!(summary["calls"].as_u64().unwrap() <= 6, "{summary}");
    assert!(
        summary["stopReason"]
            .as_str()
            .is_some_and(|r| r.contains("could not be reached")),
        "{summary}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn importing_deleting_and_importing_again_creates_the_users_again() {
    let emu = emulator().await;
    let dir = scratch("reimport");
    let file = users_file(&dir, "users.csv", "again", 120);
    let first_report = dir.join("first.csv");
    let out = run(
        import_args(&emu, &file, &["--report", first_report.to_str().unwrap()]),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let first = read_report(&first_report);
    assert_eq!(count(&first, "created"), 120);

    let ids: Vec<String> = first.iter().map(|r| r["userId"].clone()).collect();
    let client = emu.client();
    for batch in ids.chunks(50) {
        client
            .batch_delete_user()
            .network_id(DEMO_NETWORK_ID)
            .set_user_ids(Some(batch.to_vec()))
            .send()
            .await
            .expect("delete");
    }
    assert!(!network(&emu).await.keys().any(|n| n.starts_with("again")));

    let second_report = dir.join("second.csv");
    let out = run(
        import_args(
            &emu,
            &file,
            &[
                "--report",
                second_report.to_str().unwrap(),
                "--output",
                "json",
            ],
        ),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json_summary(&out)["created"], 120);
    let second = read_report(&second_report);
    let in_network = network(&emu).await;
    for (a, b) in first.iter().zip(&second) {
        assert_eq!(b["outcome"], "created");
        assert_ne!(a["userId"], b["userId"], "a new user, not the deleted one");
        assert_eq!(Some(&b["userId"]), in_network.get(&b["username"]));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overlapping_imports_of_one_file_claim_each_creation_once() {
    let emu = emulator().await;
    let dir = scratch("overlap");
    let file = users_file(&dir, "users.csv", "overlap", 1000);
    let runs = (0..3).map(|_| run(import_args(&emu, &file, &["--output", "json"]), None));
    let outs = futures_join_all(runs).await;
    let mut created = 0;
    let mut existed = 0;
    for out in &outs {
        assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
        let summary = json_summary(out);
        created += summary["created"].as_u64().unwrap();
        existed += summary["alreadyExisted"].as_u64().unwrap();
    }
    assert_eq!(created, 1000, "each user is claimed as created once");
    assert_eq!(existed, 2000);
    let names: HashSet<String> = network(&emu).await.into_keys().collect();
    assert_eq!(
        names.iter().filter(|n| n.starts_with("overlap")).count(),
        1000
    );
}

/// Runs the futures at once and collects their outputs in order.
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut outputs = Vec::new();
    for handle in handles {
        outputs.push(handle.await.expect("task"));
    }
    outputs
}

/// Loses the answers of the calls creating `lost*` users, and of every look-up.
fn lost_users_and_lookups(method: &str, path: &str, body: &[u8]) -> bool {
    let creating_lost = lossy_proxy::batch_create_user(method, path, body)
        && String::from_utf8_lossy(body).contains("\"username\":\"lost");
    creating_lost || method == "GET"
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resume_continues_the_job_with_its_own_tokens_and_keeps_what_was_settled() {
    let emu = emulator().await;
    let proxy = LossyProxy::start(emu.local_addr(), lost_users_and_lookups).await;
    let dir = scratch("resume");
    // 50 users whose chunk is answered, 50 whose every answer is lost, 20 answered again.
    let mut text = String::from("username,firstName\n");
    for (prefix, n) in [("kept", 50), ("lost", 50), ("late", 20)] {
        for i in 0..n {
            text.push_str(&format!("{prefix}{i}@example.com,F{i}\n"));
        }
    }
    let file = dir.join("users.csv");
    std::fs::write(&file, &text).unwrap();
    let report = dir.join("report.csv");
    let report_arg = report.to_str().unwrap();

    let out = run(
        import_args_at(
            &proxy.url,
            &file,
            &[
                "--report",
                report_arg,
                "--output",
                "json",
                "--concurrency",
                "1",
            ],
        ),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let summary = json_summary(&out);
    assert_eq!(
        (summary["created"].as_u64(), summary["unknown"].as_u64()),
        (Some(70), Some(50)),
        "{summary}"
    );
    let job_id = summary["jobId"].as_str().expect("job id").to_string();
    let resume_file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("report.csv.resume")).unwrap())
            .unwrap();
    assert_eq!(resume_file["jobId"], job_id.as_str());
    let first = read_report(&report);

    // A resume with another network (or another file) is another job: refused, nothing sent,
    // and the job's report is left as it was; so is it when the options are wrong.
    let report_text = std::fs::read_to_string(&report).unwrap();
    for network in ["87654321", "1234"] {
        let mut other = import_args(&emu, &file, &["--report", report_arg, "--resume"]);
        let at = other.iter().position(|a| a == DEMO_NETWORK_ID).unwrap();
        other[at] = network.into();
        let out = run(other, None).await;
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        if network == "87654321" {
            assert!(
                stderr(&out).contains("not the job that was started"),
                "{}",
                stderr(&out)
            );
        }
        assert_eq!(std::fs::read_to_string(&report).unwrap(), report_text);
    }

    // The resumed job, on a good connection: the 70 settled rows keep their outcome, the 50
    // unknown ones are sent again with the job's tokens and answered with the stored result.
    let out = run(
        import_args(
            &emu,
            &file,
            &["--report", report_arg, "--resume", "--output", "json"],
        ),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary = json_summary(&out);
    assert_eq!(summary["jobId"], job_id.as_str(), "{summary}");
    assert_eq!(summary["created"], 120, "{summary}");
    assert_eq!(summary["settledEarlier"], 70, "{summary}");
    let resumed = read_report(&report);
    let in_network = network(&emu).await;
    for (before, after) in first.iter().zip(&resumed) {
        assert_eq!(after["outcome"], "created", "{after:?}");
        assert_eq!(Some(&after["userId"]), in_network.get(&after["username"]));
        if before["outcome"] == "created" {
            assert_eq!(before["userId"], after["userId"]);
        }
    }
    assert_eq!(
        in_network
            .keys()
            .filter(|n| ["kept", "lost", "late"].iter().any(|p| n.starts_with(p)))
            .count(),
        120
    );

    // A new import of the same file is a new job: the users exist already, and it says so.
    let out = run(import_args(&emu, &file, &["--output", "json"]), None).await;
    assert_eq!(json_summary(&out)["alreadyExisted"], 120);
}
