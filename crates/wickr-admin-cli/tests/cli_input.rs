//! Careless input: every problem is named with its line, nothing is sent, memory stays bounded,
//! and the exit code says "bad input" (2) whichever layer found it.

mod cli_support;

use cli_support::*;
use wickr_admin_local::DEMO_NETWORK_ID;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_path_equal_to_the_input_is_refused() {
    let emu = emulator().await;
    let dir = scratch("same-path");
    let file = users_file(&dir, "users.csv", "same", 3);
    let before = std::fs::read(&file).unwrap();
    let out = run(
        import_args(&emu, &file, &["--report", file.to_str().unwrap()]),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--report: is the input file"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "the input is untouched"
    );
    assert!(!usernames(&emu).await.iter().any(|n| n.starts_with("same")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_summary_adds_up() {
    let emu = emulator().await;
    let dir = scratch("dry-sum");
    let file = dir.join("users.csv");
    std::fs::write(
        &file,
        "username,inviteCodeTtl\n\
         a@example.com,\n\
         b@example.com,x\n\
         c@example.com,\n\
         ,\n\
         d@example.com,\n\
         e@example.com,0\n",
    )
    .unwrap();
    let out = run(
        import_args(&emu, &file, &["--dry-run", "--output", "json"]),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let summary = json_summary(&out);
    assert_eq!(summary["rows"], 6, "{summary}");
    assert_eq!(summary["valid"], 3, "{summary}");
    assert_eq!(summary["invalid"], 3, "{summary}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_with_a_header_and_no_rows_is_nothing_to_do() {
    let emu = emulator().await;
    let dir = scratch("no-rows");
    let file = dir.join("users.csv");
    std::fs::write(&file, "username,firstName\n").unwrap();
    let out = run(import_args(&emu, &file, &[]), None).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("the file has no rows"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_values_of_the_wrong_type_are_bad_input() {
    let emu = emulator().await;
    let dir = scratch("json-types");
    let file = dir.join("users.jsonl");
    std::fs::write(
        &file,
        "{\"username\":5}\n{\"username\":true}\n{\"username\":\"ok@example.com\"}\n",
    )
    .unwrap();
    let out = run(import_args(&emu, &file, &[]), None).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("line 1: username: must be a string, not a number")
            && err.contains("line 2: username: must be a string, not a boolean"),
        "{err}"
    );
    let names = usernames(&emu).await;
    assert!(!names
        .iter()
        .any(|n| n == "5" || n == "true" || n == "ok@example.com"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unterminated_quote_is_named_with_the_line_it_opens_on() {
    let emu = emulator().await;
    let dir = scratch("quote");
    let file = dir.join("users.csv");
    std::fs::write(
        &file,
        "username,firstName\na@example.com,Ann\nb@example.com,\"Bo\nc@example.com,Cy\n",
    )
    .unwrap();
    let out = run(import_args(&emu, &file, &[]), None).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("line 3: row: unterminated quoted field: the quote opened on line 3"),
        "{err}"
    );
    assert!(!err.contains("control character"), "{err}");
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn input_without_line_breaks_stops_at_the_line_bound() {
    let emu = emulator().await;
    let out = run(
        import_args(&emu, std::path::Path::new("/dev/zero"), &["--dry-run"]),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("line 1 is longer than 1 MiB"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_column_name_is_not_repeated_in_the_messages() {
    let emu = emulator().await;
    let dir = scratch("huge-column");
    let file = dir.join("users.csv");
    std::fs::write(
        &file,
        format!("username,{}\na@example.com,x\n", "c".repeat(500_000)),
    )
    .unwrap();
    let out = run(import_args(&emu, &file, &[]), None).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        out.stderr.len() < 2_000,
        "{} bytes of errors",
        out.stderr.len()
    );
    assert!(
        stderr(&out).contains("unknown column 2"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operation_input_with_a_byte_order_mark_is_read() {
    let emu = emulator().await;
    let dir = scratch("bom");
    let input = dir.join("count.json");
    std::fs::write(
        &input,
        format!("\u{feff}{{\"networkId\":\"{DEMO_NETWORK_ID}\"}}"),
    )
    .unwrap();
    let out = run(
        vec![
            "--endpoint-url".into(),
            emu.endpoint_url(),
            "get-users-count".into(),
            "--cli-input-json".into(),
            input.display().to_string(),
        ],
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn input_the_model_refuses_is_bad_input_named_as_the_model_names_it() {
    let emu = emulator().await;
    let out = run(
        vec![
            "--endpoint-url".into(),
            emu.endpoint_url(),
            "get-user".into(),
            "--cli-input-json".into(),
            "-".into(),
        ],
        Some(format!("{{\"networkId\":\"{DEMO_NETWORK_ID}\"}}")),
    )
    .await;
    assert_eq!(out.status.code(), Some(252), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("--user-id (userId): is required"), "{err}");
    assert!(!err.contains("user_id"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_region_the_message_names_the_options_a_user_has() {
    let emu = emulator().await;
    let out = tokio::task::spawn_blocking({
        let url = emu.endpoint_url();
        move || {
            command(&[
                "--endpoint-url".into(),
                url,
                "list-networks".into(),
                "--cli-input-json".into(),
                "-".into(),
            ])
            .env_remove("AWS_REGION")
            .env_remove("AWS_DEFAULT_REGION")
            .stdin(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                if let Some(mut stdin) = child.stdin.take() {
                    stdin.write_all(b"{}")?;
                }
                child.wait_with_output()
            })
            .expect("run wickr-admin")
        }
    })
    .await
    .expect("join");
    // 253: the AWS CLI's code for a configuration that is incomplete.
    assert_eq!(out.status.code(), Some(253), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("--region") && err.contains("AWS_REGION"),
        "{err}"
    );
    assert!(!err.contains("Config::builder"), "{err}");
}
