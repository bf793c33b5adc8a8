//! Retry, timeout and idempotency-token behaviour of the runtime, against a scripted server on
//! 127.0.0.1.

mod runtime_support;

use std::time::Duration;

use runtime_support::probe::{probe_input, Probe};
use runtime_support::{config_for, Action, RecordingSleep, ScriptedServer};
use wickr_admin::config::{Builder, IdentityCache, RetryConfig, TimeoutConfig};
use wickr_admin::error::{
    explain, response_status, retry_kind, ErrorKind, ProvideErrorMetadata, SdkError,
};
use wickr_admin::operation_shape::OperationShape;
use wickr_admin::Client;

const OK: &str = r#"{"ok":true}"#;

/// The configuration every test here starts from: the recording sleep, and nothing timed (the
/// test sleep returns at once, so it must not time the connection or the credentials lookup
/// either). Tests override what they exercise.
fn test_config(url: &str, sleep: &RecordingSleep) -> Builder {
    config_for(url)
        .sleep_impl(sleep.clone())
        .timeout_config(TimeoutConfig::disabled())
        .identity_cache(IdentityCache::no_cache())
}

fn client(server: &ScriptedServer, sleep: &RecordingSleep) -> Client {
    Client::from_conf(test_config(&server.url, sleep).build())
}

type ProbeResult =
    Result<<Probe as OperationShape>::Output, SdkError<<Probe as OperationShape>::Error>>;

/// One probe call to `server`, by a client of its own whose backoffs nobody looks at.
async fn probe_once(server: &ScriptedServer) -> ProbeResult {
    client(server, &RecordingSleep::default())
        .call::<Probe>(probe_input(&["a"]))
        .await
}

#[tokio::test]
async fn throttled_twice_then_ok_succeeds_with_one_token() {
    let server = ScriptedServer::start(vec![
        Action::json(429, r#"{"message":"slow down"}"#)
            .header("x-amzn-errortype", "RateLimitError"),
        Action::json(429, r#"{"message":"slow down"}"#)
            .header("x-amzn-errortype", "RateLimitError"),
        Action::json(200, OK),
    ])
    .await;
    let sleep = RecordingSleep::default();
    let client = client(&server, &sleep);
    let output = client.call::<Probe>(probe_input(&["alice"])).await;
    assert!(output.is_ok(), "{:?}", output.err());
    // The throttling the retries absorbed stays visible to callers that pace themselves.
    assert_eq!(client.throttled_responses(), 2);
    let received = server.received();
    assert_eq!(received.len(), 3);
    let tokens: Vec<_> = received
        .iter()
        .map(|r| r.header("x-client-token"))
        .collect();
    assert!(tokens[0].is_some_and(|t| !t.is_empty()));
    assert!(
        tokens.iter().all(|t| *t == tokens[0]),
        "tokens differ: {tokens:?}"
    );
    // Two backoffs were taken, each within the standard bounds.
    let waits = sleep.requested();
    assert_eq!(waits.len(), 2, "{waits:?}");
    assert!(waits.iter().all(|w| *w <= Duration::from_secs(20)));
}

#[tokio::test]
async fn throttling_in_the_body_type_is_retried_too() {
    let server = ScriptedServer::start(vec![
        Action::json(
            400,
            r#"{"__type":"com.amazonaws.wickr#RateLimitError:http://internal","message":"x"}"#,
        ),
        Action::json(200, OK),
    ])
    .await;
    let result = probe_once(&server).await;
    assert!(result.is_ok(), "{:?}", result.err());
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn a_caller_supplied_token_is_kept() {
    let server = ScriptedServer::start(vec![Action::json(503, "{}"), Action::json(200, OK)]).await;
    let sleep = RecordingSleep::default();
    let mut input = probe_input(&["a"]);
    input.client_token = Some("caller-token".into());
    let result = client(&server, &sleep).call::<Probe>(input).await;
    assert!(result.is_ok(), "{:?}", result.err());
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert!(received
        .iter()
        .all(|r| r.header("x-client-token") == Some("caller-token")));
}

#[tokio::test]
async fn server_error_then_ok_succeeds() {
    let server = ScriptedServer::start(vec![
        Action::json(500, r#"{"message":"boom"}"#)
            .header("x-amzn-errortype", "InternalServerError"),
        Action::json(200, OK),
    ])
    .await;
    let result = probe_once(&server).await;
    assert!(result.is_ok(), "{:?}", result.err());
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn bad_gateway_and_unavailable_are_retried_until_attempts_run_out() {
    let server = ScriptedServer::start(vec![
        Action::json(502, "{}"),
        Action::json(504, "{}"),
        Action::json(503, "{}"),
        Action::json(200, OK),
    ])
    .await;
    let err = probe_once(&server).await.err();
    // Three attempts by default: the fourth scripted answer is never requested.
    assert_eq!(server.received().len(), 3);
    assert_eq!(err.as_ref().and_then(response_status), Some(503));
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    for (status, code) in [
        (400, "BadRequestError"),
        (403, "ForbiddenError"),
        (404, "ResourceNotFoundError"),
        (422, "ValidationError"),
        (401, "UnauthorizedError"),
    ] {
        let server = ScriptedServer::start(vec![
            Action::json(status, r#"{"message":"no"}"#).header("x-amzn-errortype", code),
            Action::json(200, OK),
        ])
        .await;
        let sleep = RecordingSleep::default();
        let err = client(&server, &sleep)
            .call::<Probe>(probe_input(&["a"]))
            .await
            .err();
        assert_eq!(server.received().len(), 1, "status {status} was retried");
        assert_eq!(err.as_ref().and_then(|e| e.code()), Some(code));
        assert_eq!(err.as_ref().and_then(response_status), Some(status));
        assert!(sleep.requested().is_empty());
    }
}

#[tokio::test]
async fn a_reset_connection_is_retried() {
    let server = ScriptedServer::start(vec![Action::Reset, Action::json(200, OK)]).await;
    let result = probe_once(&server).await;
    assert!(result.is_ok(), "{:?}", result.err());
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert_eq!(
        received[0].header("x-client-token"),
        received[1].header("x-client-token")
    );
}

#[tokio::test]
async fn resets_on_every_attempt_end_in_a_dispatch_failure() {
    let server = ScriptedServer::start(vec![Action::Reset, Action::Reset, Action::Reset]).await;
    let err = probe_once(&server).await.err();
    assert!(matches!(err, Some(SdkError::DispatchFailure(_))), "{err:?}");
    assert_eq!(server.received().len(), 3);
    let text = err.map(|e| explain(&e)).unwrap_or_default();
    assert!(text.starts_with("dispatch failure"), "{text}");
}

#[tokio::test]
async fn the_attempt_timeout_fires_and_the_next_attempt_succeeds() {
    let server = ScriptedServer::start(vec![
        Action::Delay(Duration::from_secs(5), Box::new(Action::json(200, OK))),
        Action::json(200, OK),
    ])
    .await;
    let config = config_for(&server.url)
        .timeout_config(
            TimeoutConfig::builder()
                .operation_attempt_timeout(Duration::from_millis(300))
                .build(),
        )
        .retry_config(
            RetryConfig::standard()
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(5)),
        )
        .build();
    let result = Client::from_conf(config)
        .call::<Probe>(probe_input(&["a"]))
        .await;
    assert!(result.is_ok(), "{:?}", result.err());
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn the_operation_timeout_ends_the_call() {
    let server = ScriptedServer::start(vec![Action::Delay(
        Duration::from_secs(10),
        Box::new(Action::json(200, OK)),
    )])
    .await;
    let config = config_for(&server.url)
        .timeout_config(
            TimeoutConfig::builder()
                .operation_timeout(Duration::from_millis(300))
                .build(),
        )
        .build();
    let err = Client::from_conf(config)
        .call::<Probe>(probe_input(&["a"]))
        .await
        .err();
    assert!(matches!(err, Some(SdkError::TimeoutError(_))), "{err:?}");
    let text = err.map(|e| explain(&e)).unwrap_or_default();
    assert!(text.starts_with("request has timed out"), "{text}");
}

#[tokio::test]
async fn backoff_delays_stay_within_the_configured_bounds() {
    let server = ScriptedServer::start(vec![
        Action::json(500, "{}"),
        Action::json(500, "{}"),
        Action::json(500, "{}"),
        Action::json(500, "{}"),
        Action::json(200, OK),
    ])
    .await;
    let sleep = RecordingSleep::default();
    let initial = Duration::from_millis(100);
    let max = Duration::from_millis(250);
    let config = test_config(&server.url, &sleep)
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(5)
                .with_initial_backoff(initial)
                .with_max_backoff(max),
        )
        .build();
    let result = Client::from_conf(config)
        .call::<Probe>(probe_input(&["a"]))
        .await;
    assert!(result.is_ok(), "{:?}", result.err());
    let waits = sleep.requested();
    assert_eq!(waits.len(), 4, "{waits:?}");
    for (attempt, wait) in waits.iter().enumerate() {
        // Full jitter: anywhere between zero and min(initial * 2^attempt, max).
        let ceiling = (initial * 2u32.pow(attempt as u32)).min(max);
        assert!(
            *wait <= ceiling,
            "retry {attempt}: waited {wait:?} > {ceiling:?}"
        );
    }
}

#[tokio::test]
async fn retry_after_headers_are_honoured_within_bounds() {
    let server = ScriptedServer::start(vec![
        Action::json(429, "{}").header("retry-after", "2"),
        Action::json(503, "{}").header("x-amz-retry-after", "1500"),
        Action::json(200, OK),
    ])
    .await;
    let sleep = RecordingSleep::default();
    let result = client(&server, &sleep)
        .call::<Probe>(probe_input(&["a"]))
        .await;
    assert!(result.is_ok(), "{:?}", result.err());
    assert_eq!(
        sleep.requested(),
        vec![Duration::from_secs(2), Duration::from_millis(1500)]
    );

    // A server asking for an hour is capped by the maximum backoff.
    let server = ScriptedServer::start(vec![
        Action::json(429, "{}").header("retry-after", "3600"),
        Action::json(200, OK),
    ])
    .await;
    let sleep = RecordingSleep::default();
    let config = test_config(&server.url, &sleep)
        .retry_config(RetryConfig::standard().with_max_backoff(Duration::from_secs(3)))
        .build();
    let result = Client::from_conf(config)
        .call::<Probe>(probe_input(&["a"]))
        .await;
    assert!(result.is_ok(), "{:?}", result.err());
    assert_eq!(sleep.requested(), vec![Duration::from_secs(3)]);
}

#[tokio::test]
async fn adaptive_mode_retries_throttling_and_reports_it() {
    let server = ScriptedServer::start(vec![
        Action::json(429, "{}").header("x-amzn-errortype", "RateLimitError"),
        Action::json(429, "{}").header("x-amzn-errortype", "RateLimitError"),
        Action::json(429, "{}").header("x-amzn-errortype", "RateLimitError"),
    ])
    .await;
    let sleep = RecordingSleep::default();
    let config = test_config(&server.url, &sleep)
        .retry_config(RetryConfig::adaptive())
        .build();
    let err = Client::from_conf(config)
        .call::<Probe>(probe_input(&["a"]))
        .await
        .err();
    assert_eq!(server.received().len(), 3);
    assert!(
        err.as_ref().and_then(retry_kind) == Some(ErrorKind::ThrottlingError),
        "{err:?}"
    );
    assert_eq!(err.as_ref().and_then(|e| e.code()), Some("RateLimitError"));
    assert!(!sleep.requested().is_empty());
}

#[tokio::test]
async fn invalid_input_is_refused_before_anything_is_sent() {
    let server = ScriptedServer::start(vec![Action::json(200, OK)]).await;
    let sleep = RecordingSleep::default();
    let err = client(&server, &sleep)
        .call::<Probe>(probe_input(&["ok", "far-too-long-name"]))
        .await
        .err();
    assert!(
        matches!(err, Some(SdkError::ConstructionFailure(_))),
        "{err:?}"
    );
    let text = err.map(|e| explain(&e)).unwrap_or_default();
    assert!(text.contains("names[1]"), "{text}");
    assert!(text.contains("at most 10"), "{text}");
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn clones_share_one_client_across_tasks() {
    let mut script = Vec::new();
    for _ in 0..8 {
        script.push(Action::json(200, OK));
    }
    let server = ScriptedServer::start(script).await;
    let sleep = RecordingSleep::default();
    let client = client(&server, &sleep);
    let mut tasks = Vec::new();
    for i in 0..8 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            client
                .call::<Probe>(probe_input(&[&format!("u{i}")]))
                .await
                .is_ok()
        }));
    }
    let mut ok = 0;
    for task in tasks {
        if task.await.unwrap_or(false) {
            ok += 1;
        }
    }
    assert_eq!(ok, 8);
    let received = server.received();
    let mut tokens: Vec<_> = received
        .iter()
        .filter_map(|r| r.header("x-client-token").map(str::to_string))
        .collect();
    tokens.sort();
    tokens.dedup();
    assert_eq!(tokens.len(), 8, "each call gets its own token");
}

#[tokio::test]
async fn a_refused_connection_is_retried_then_reported() {
    // A loopback port that is bound but never listens: it stays ours for the whole test (no other
    // program can take it meanwhile), and every connection to it is refused.
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket
        .bind("127.0.0.1:0".parse().expect("address"))
        .expect("bind 127.0.0.1:0");
    let port = socket.local_addr().expect("bound address").port();
    let sleep = RecordingSleep::default();
    let config = test_config(&format!("http://127.0.0.1:{port}"), &sleep).build();
    let err = Client::from_conf(config)
        .call::<Probe>(probe_input(&["a"]))
        .await
        .err();
    assert!(matches!(err, Some(SdkError::DispatchFailure(_))), "{err:?}");
    // Three attempts: two backoffs between them.
    assert_eq!(sleep.requested().len(), 2, "{:?}", sleep.requested());
    drop(socket);
}

#[tokio::test]
async fn an_unreadable_success_is_not_sent_again() {
    let server = ScriptedServer::start(vec![
        Action::json(200, "this is not json"),
        Action::json(200, OK),
    ])
    .await;
    let sleep = RecordingSleep::default();
    let config = test_config(&server.url, &sleep).build();
    let err = Client::from_conf(config).list_networks().send().await.err();
    assert!(matches!(err, Some(SdkError::ResponseError(_))), "{err:?}");
    assert_eq!(err.as_ref().and_then(response_status), Some(200));
    assert_eq!(server.received().len(), 1, "a 2xx must not be retried");
    let shown = err.map(|e| explain(&e)).unwrap_or_default();
    assert!(
        shown.starts_with("response error: ListNetworks response does not match the model"),
        "{shown}"
    );
}

#[tokio::test]
async fn an_unreadable_server_error_is_retried() {
    let server = ScriptedServer::start(vec![
        Action::Respond {
            status: 503,
            headers: vec![("content-type".into(), "text/html".into())],
            body: "<html>Service Unavailable</html>".into(),
        },
        Action::json(200, r#"{"networks":[]}"#),
    ])
    .await;
    let sleep = RecordingSleep::default();
    let config = test_config(&server.url, &sleep).build();
    let result = Client::from_conf(config).list_networks().send().await;
    assert!(result.is_ok(), "{:?}", result.err());
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn the_connect_timeout_reaches_the_http_client_and_is_retried() {
    let server = ScriptedServer::start(vec![Action::json(200, OK)]).await;
    // The test sleep ends at once, so the connect timeout fires before any connection is made:
    // this shows the configured value reaches the connector and its expiry is retried.
    let sleep = RecordingSleep::default();
    let config = test_config(&server.url, &sleep)
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_millis(250))
                .build(),
        )
        .build();
    let err = Client::from_conf(config)
        .call::<Probe>(probe_input(&["a"]))
        .await
        .err();
    assert!(matches!(err, Some(SdkError::DispatchFailure(_))), "{err:?}");
    let shown = err.map(|e| explain(&e)).unwrap_or_default();
    assert!(
        shown.contains("connect") && shown.contains("250ms"),
        "{shown}"
    );
    let waits = sleep.requested();
    let connect_waits = waits
        .iter()
        .filter(|w| **w == Duration::from_millis(250))
        .count();
    assert_eq!(
        connect_waits, 3,
        "one connect timeout per attempt: {waits:?}"
    );
    assert!(server.received().is_empty());
}

/// The `Date` header of an answer from a server whose clock is `ahead` of ours.
fn server_date(ahead: Duration) -> String {
    let when = std::time::SystemTime::now() + ahead;
    aws_smithy_types::DateTime::from(when)
        .fmt(aws_smithy_types::date_time::Format::HttpDate)
        .expect("the test's date is in range")
}

#[tokio::test]
async fn a_signature_refused_by_a_server_whose_clock_is_far_ahead_is_retried() {
    let refused = |date: &str| {
        Action::json(403, r#"{"message":"Signature expired"}"#)
            .header("x-amzn-errortype", "InvalidSignatureException")
            .header("date", date)
    };
    let server = ScriptedServer::start(vec![
        refused(&server_date(Duration::from_secs(10 * 60))),
        Action::json(200, OK),
    ])
    .await;
    let result = probe_once(&server).await;
    assert!(result.is_ok(), "{:?}", result.err());
    assert_eq!(server.received().len(), 2);

    // The same refusal from a server whose clock agrees with ours is final.
    let server = ScriptedServer::start(vec![
        refused(&server_date(Duration::ZERO)),
        Action::json(200, OK),
    ])
    .await;
    let err = probe_once(&server)
        .await
        .expect_err("a refused signature on a matching clock is final");
    assert_eq!(err.code(), Some("InvalidSignatureException"));
    assert_eq!(server.received().len(), 1);
}
