//! `wickr-admin users export` end to end: every user in the columns import reads, and an export
//! edited and fed back to import or sync works.

mod cli_support;

use cli_support::*;
use wickr_admin_local::DEMO_NETWORK_ID;

const HEADER: &str = "username,firstName,lastName,securityGroupId,inviteCode,inviteCodeTtl,codeValidation,status,suspended,userId";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_holds_every_user_and_an_edited_export_feeds_sync_and_import() {
    let emu = emulator().await;
    let dir = scratch("export");
    let names: Vec<String> = (0..250).map(|i| format!("e{i}@example.com")).collect();
    let ids = create_users(&emu, &names).await;
    let file = dir.join("users.csv");
    let out = run(export_args(&emu, &file), None).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("exported 251 users"),
        "{}",
        stderr(&out)
    );
    let text = std::fs::read_to_string(&file).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(HEADER));
    let rows = read_report(&file);
    assert_eq!(rows.len(), 251, "250 users and the administrator");
    let by_name: std::collections::HashMap<&str, &std::collections::HashMap<String, String>> =
        rows.iter().map(|r| (r["username"].as_str(), r)).collect();
    let e7 = by_name["e7@example.com"];
    assert_eq!(e7["userId"], ids[7]);
    assert_eq!(e7["status"], "pending");
    assert_eq!(e7["suspended"], "false");
    assert_eq!(e7["firstName"], "First");
    assert_eq!(e7["securityGroupId"], wickr_admin_local::DEMO_GROUP_ID);
    assert_eq!(
        e7["inviteCode"], "",
        "the service's invite is not a custom code"
    );
    assert_eq!(by_name["admin@example.com"]["status"], "active");
    assert!(!file.with_extension("csv.partial").exists());

    // Edited: two renamed, eleven gone (e24 and e240 to e249), one new user. Sync reads it as
    // it is.
    let mut edited = vec![HEADER.to_string()];
    for line in text.lines().skip(1) {
        if line.starts_with("e24") {
            continue;
        }
        let line = if line.starts_with("e1@") || line.starts_with("e2@") {
            line.replacen(",First,", ",Renamed,", 1)
        } else {
            line.to_string()
        };
        edited.push(line);
    }
    edited.push("new@example.com,New,Hire,,,,,,,".to_string());
    let edited_file = dir.join("edited.csv");
    std::fs::write(&edited_file, edited.join("\n") + "\n").unwrap();
    let report = dir.join("sync.csv");
    let out = run(
        at(
            &emu,
            &[
                "users",
                "sync",
                edited_file.to_str().unwrap(),
                "--network-id",
                DEMO_NETWORK_ID,
                "--security-group-id",
                wickr_admin_local::DEMO_GROUP_ID,
                "--apply",
                "--delete-missing",
                "--max-deletes",
                "11",
                "--yes",
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
    assert!(
        stderr(&out).contains("columns status, suspended, userId"),
        "{}",
        stderr(&out)
    );
    let users = network_users(&emu).await;
    assert_eq!(users.len(), 251 - 11 + 1);
    assert!(!users.contains_key("e24@example.com") && !users.contains_key("e249@example.com"));
    assert_eq!(users["new@example.com"].first_name(), Some("New"));
    assert_eq!(users["e1@example.com"].first_name(), Some("Renamed"));
    assert_eq!(users["e2@example.com"].first_name(), Some("Renamed"));
    assert_eq!(users["e3@example.com"].first_name(), Some("First"));
    let rows = read_report(&report);
    assert_eq!(
        rows.len(),
        251 - 11 + 1 + 11,
        "every file row and every deleted user"
    );
    assert_eq!(
        rows.iter().filter(|r| r["outcome"] == "deleted").count(),
        11
    );
    assert_eq!(rows.iter().filter(|r| r["outcome"] == "created").count(), 1);
    assert_eq!(rows.iter().filter(|r| r["outcome"] == "updated").count(), 2);

    // The export fed back to import after the users are gone: created again, with a note about
    // the columns import does not send.
    let leavers = dir.join("leavers.txt");
    std::fs::write(
        &leavers,
        (0..20)
            .map(|i| format!("e{i}@example.com\n"))
            .collect::<String>(),
    )
    .unwrap();
    let out = run(
        at(
            &emu,
            &[
                "users",
                "delete",
                leavers.to_str().unwrap(),
                "--network-id",
                DEMO_NETWORK_ID,
                "--yes",
            ],
        ),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = run(
        at(
            &emu,
            &[
                "users",
                "import",
                file.to_str().unwrap(),
                "--network-id",
                DEMO_NETWORK_ID,
                "--output",
                "json",
            ],
        ),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary = json_summary(&out);
    // e0 to e19 (deleted just now) and the eleven sync deleted come back.
    assert_eq!(summary["created"], 20 + 11, "{summary}");
    assert!(
        stderr(&out).contains("import does not send them"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_to_standard_output_as_json_lines_can_be_filtered_by_status() {
    let emu = emulator().await;
    create_users(
        &emu,
        &["p1@example.com".to_string(), "p2@example.com".to_string()],
    )
    .await;
    let out = run(
        at(
            &emu,
            &[
                "users",
                "export",
                "--network-id",
                DEMO_NETWORK_ID,
                "--format",
                "jsonl",
                "--status",
                "pending",
            ],
        ),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "the active administrator is left out");
    assert!(lines.iter().all(|l| l["status"] == "pending"));
    assert_eq!(lines[0]["suspended"], false);

    let out = run(at(&emu, &["users", "export", "--network-id", "123"]), None).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--network-id"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_rides_out_a_service_that_fails_most_calls() {
    // 250 users, then an emulator that answers 60% of calls with HTTP 500, its faults seeded so
    // each run meets the same ones. With an operation's 3 attempts, these seeds lost a page
    // (the export failed); the user commands make 10.
    let dir = scratch("export-faults");
    let state = dir.join("state.json");
    let seeded = wickr_admin_local::Emulator::builder()
        .seed_demo_network(true)
        .state_file(&state)
        .start()
        .await
        .expect("emulator starts");
    let names: Vec<String> = (0..250)
        .map(|i| format!("patient{i}@example.com"))
        .collect();
    create_users(&seeded, &names).await;
    seeded.stop().await.expect("state saved");
    for seed in [4, 7] {
        let emu = wickr_admin_local::Emulator::builder()
            .state_file(&state)
            .faults("500=0.6".parse().expect("fault spec"))
            .fault_seed(seed)
            .start()
            .await
            .expect("emulator starts");
        let out_file = dir.join(format!("export-{seed}.csv"));
        let out = run(export_args(&emu, &out_file), None).await;
        assert_eq!(out.status.code(), Some(0), "seed {seed}: {}", stderr(&out));
        assert!(
            emu.faults_injected().internal > 0,
            "seed {seed}: faults met"
        );
        let text = std::fs::read_to_string(&out_file).unwrap();
        let exported: std::collections::HashSet<&str> = text
            .lines()
            .skip(1)
            .filter_map(|line| line.split(',').next())
            .collect();
        assert_eq!(text.lines().count(), 252, "seed {seed}: header, admin, 250");
        for name in &names {
            assert!(exported.contains(name.as_str()), "seed {seed}: {name}");
        }
        emu.stop().await.expect("stopped");
    }
}

const COUNT: &str = r#"{"pending":0,"active":3,"rejected":0,"remaining":97,"total":3}"#;
const FIRST_PAGE: &str = concat!(
    r#"{"users":[{"userId":"u1","username":"one@example.com"},"#,
    r#"{"userId":"u2","username":"two@example.com"}],"nextToken":"page-2"}"#
);

/// A service on 127.0.0.1 that answers the count and the first page of ListUsers (two users and
/// a next token), then refuses the next page with a ValidationError, which is not retried.
async fn failing_on_the_second_page() -> (String, tokio::task::JoinHandle<()>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let task = tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut seen = Vec::new();
                let mut buf = [0u8; 4096];
                loop {
                    // Requests without bodies: a request ends at its blank line.
                    while let Some(end) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&seen[..end]).to_string();
                        seen.drain(..end + 4);
                        let target = head.split(' ').nth(1).unwrap_or_default().to_string();
                        let (status, extra, body) = if target.contains("/users/count") {
                            ("200 OK", "", COUNT.to_string())
                        } else if target.contains("nextToken=") {
                            (
                                "400 Bad Request",
                                "x-amzn-errortype: ValidationError\r\n",
                                r#"{"message":"the next token has expired"}"#.to_string(),
                            )
                        } else {
                            ("200 OK", "", FIRST_PAGE.to_string())
                        };
                        let answer = format!(
                            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\n\
                             {extra}content-length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        if stream.write_all(answer.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                    match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                }
            });
        }
    });
    (url, task)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_whose_listing_fails_says_how_many_users_its_partial_file_holds() {
    let (url, server) = failing_on_the_second_page().await;
    let dir = scratch("export-listing-fails");
    let file = dir.join("users.csv");
    let partial = dir.join("users.csv.partial");
    let out = run(export_args_at(&url, &file), None).await;
    server.abort();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("the next token has expired"), "{err}");
    assert!(
        err.contains(&format!(
            "the export is not complete: {} holds the 2 users written before it stopped",
            partial.display()
        )),
        "{err}"
    );
    assert!(!file.exists(), "an export that failed is not put in place");
    let written = std::fs::read_to_string(&partial).expect("partial file");
    assert_eq!(
        written.lines().count(),
        3,
        "the header and two users: {written}"
    );
}
