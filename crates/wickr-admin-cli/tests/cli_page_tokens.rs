//! Paging a listing stops with an error when a scripted server on 127.0.0.1 answers a page token
//! it gave before, instead of fetching the same pages forever.

mod cli_support;
#[allow(dead_code)]
#[path = "../../restjson-runtime/tests/things/server.rs"]
mod scripted_server;

use cli_support::{run, stderr};
use scripted_server::{Answer, Server};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_token_given_again_stops_the_listing() {
    // A, then B, then A again: a cycle of two pages.
    let server = Server::start(vec![
        Answer::json(
            200,
            r#"{"users":[{"username":"a@example.com"}],"nextToken":"A"}"#,
        ),
        Answer::json(
            200,
            r#"{"users":[{"username":"b@example.com"}],"nextToken":"B"}"#,
        ),
        Answer::json(
            200,
            r#"{"users":[{"username":"c@example.com"}],"nextToken":"A"}"#,
        ),
        Answer::json(
            200,
            r#"{"users":[{"username":"d@example.com"}],"nextToken":"B"}"#,
        ),
    ])
    .await;
    let out = run(
        vec![
            "--endpoint-url".into(),
            server.url.clone(),
            "list-users".into(),
            "--network-id".into(),
            "12345678".into(),
        ],
        None,
    )
    .await;
    let err = stderr(&out);
    assert_ne!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("a page token it had already given"), "{err}");
    assert_eq!(
        server.received().len(),
        3,
        "no page is fetched after the cycle shows"
    );
}
