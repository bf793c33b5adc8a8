//! What the command prints of a service's own words (error codes, messages, field reasons,
//! request ids, why a user was refused) keeps to its line, against a scripted server on
//! 127.0.0.1: line breaks and terminal escapes in them are printed escaped, so no answer can
//! split a line or forge one.

mod cli_support;
#[allow(dead_code)]
#[path = "../../restjson-runtime/tests/things/server.rs"]
mod scripted_server;

use cli_support::{import_args_at, run, scratch, stderr};
use scripted_server::{Answer, Server};

/// Whether a printed line is one the service forged (its text after a line break).
fn forged(text: &str) -> bool {
    text.lines()
        .any(|line| line.trim_start().starts_with("forged"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_error_keeps_each_part_on_its_line() {
    let server = Server::start(vec![Answer::json(
        400,
        r#"{"message":"Invalid\nforged: line\u001b[2J","reasons":[{"field":"networkId","reason":"bad\r\nforged too"}]}"#,
    )
    .header("x-amzn-errortype", "ValidationError")
    .header("x-amzn-requestid", "req-1")])
    .await;
    let out = run(
        vec![
            "--endpoint-url".into(),
            server.url.clone(),
            "get-users-count".into(),
            "--network-id".into(),
            "12345678".into(),
        ],
        None,
    )
    .await;
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(254), "{err}");
    assert!(!forged(&err), "{err}");
    assert!(!err.contains('\u{1b}'), "{err}");
    assert!(
        err.contains(r"Invalid\nforged: line\u{1b}[2J"),
        "the message is shown escaped: {err}"
    );
    assert!(
        err.contains(r"networkId: bad\r\nforged too"),
        "the reason is shown escaped: {err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn why_a_user_was_refused_keeps_to_its_line_in_the_summary() {
    let server = Server::start(vec![Answer::json(
        200,
        r#"{"successful":[],"failed":[{"field":"username","reason":"no\nforged created\u001b[2J","userId":"0"}]}"#,
    )])
    .await;
    let dir = scratch("service-text");
    let file = dir.0.join("users.csv");
    std::fs::write(&file, "username\nkept@example.com\n").expect("write the users file");
    let out = run(import_args_at(&server.url, &file, &[]), None).await;
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "{printed}{}", stderr(&out));
    assert_eq!(server.received().len(), 1, "one call: {printed}");
    assert!(!forged(&printed), "{printed}");
    assert!(!printed.contains('\u{1b}'), "{printed}");
    assert!(
        printed.contains(r"username: no\nforged created\u{1b}[2J"),
        "the reason is shown escaped: {printed}"
    );
}
