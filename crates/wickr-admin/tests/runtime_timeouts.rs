//! Timeouts: an endpoint that accepts a connection and never answers, or starts an answer and
//! stalls, ends the call with a timeout error after the retry budget instead of hanging.

mod runtime_support;

use std::time::Duration;

use restjson_runtime::config::{
    DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT,
};
use runtime_support::{config_for, Action, ScriptedServer};
use wickr_admin::config::TimeoutConfig;
use wickr_admin::error::SdkError;
use wickr_admin::{Client, Config};

/// Longest any call below may take before the test calls it a hang.
const HANG: Duration = Duration::from_secs(60);

#[tokio::test]
async fn a_silent_endpoint_times_out_on_every_attempt_then_fails() {
    let server = ScriptedServer::start(vec![Action::Silent, Action::Silent, Action::Silent]).await;
    let client = Client::from_conf(
        config_for(&server.url)
            .timeout_config(
                TimeoutConfig::builder()
                    .read_timeout(Duration::from_millis(300))
                    .build(),
            )
            .build(),
    );
    let result = tokio::time::timeout(HANG, client.list_networks().send())
        .await
        .expect("the call ends instead of hanging");
    let err = result.expect_err("no answer is not a success");
    match &err {
        SdkError::DispatchFailure(failure) => assert!(failure.is_timeout(), "{err:?}"),
        other => panic!("expected a timed-out dispatch, got {other:?}"),
    }
    let shown = wickr_admin::error::explain(&err);
    assert!(
        shown.contains("timed out") || shown.contains("timeout"),
        "{shown}"
    );
    assert_eq!(
        server.received().len(),
        3,
        "a timeout is transient: every attempt of the standard budget is made"
    );
}

#[tokio::test]
async fn a_response_that_starts_and_stalls_ends_at_the_attempt_timeout() {
    let server = ScriptedServer::start(vec![
        Action::StallBody,
        Action::StallBody,
        Action::StallBody,
    ])
    .await;
    let client = Client::from_conf(
        config_for(&server.url)
            .timeout_config(
                TimeoutConfig::builder()
                    .operation_attempt_timeout(Duration::from_millis(300))
                    .build(),
            )
            .build(),
    );
    let result = tokio::time::timeout(HANG, client.list_networks().send())
        .await
        .expect("the call ends instead of hanging");
    let err = result.expect_err("a stalled body is not a success");
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    assert_eq!(server.received().len(), 3);
}

#[test]
fn defaults_bound_connect_read_and_attempt() {
    let config = Config::builder().build();
    let timeouts = config.timeout_config().expect("timeouts");
    assert_eq!(timeouts.connect_timeout(), Some(DEFAULT_CONNECT_TIMEOUT));
    assert_eq!(timeouts.read_timeout(), Some(DEFAULT_READ_TIMEOUT));
    assert_eq!(
        timeouts.operation_attempt_timeout(),
        Some(DEFAULT_ATTEMPT_TIMEOUT)
    );
    // At least as careful as botocore, which gives up on a connect or a read after 60 s.
    assert!(DEFAULT_CONNECT_TIMEOUT <= Duration::from_secs(60));
    assert!(DEFAULT_READ_TIMEOUT <= Duration::from_secs(60));
}

#[test]
fn settings_left_unset_keep_their_defaults_and_disabled_ones_wait_forever() {
    // What aws-config hands over when nothing is configured: a connect timeout only.
    let sdk = aws_types::SdkConfig::builder()
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(2))
                .build(),
        )
        .build();
    let from_sdk = Config::from(&sdk);
    assert_eq!(
        from_sdk
            .timeout_config()
            .expect("timeouts")
            .connect_timeout(),
        Some(Duration::from_secs(2))
    );
    assert_eq!(
        from_sdk.timeout_config().expect("timeouts").read_timeout(),
        Some(DEFAULT_READ_TIMEOUT)
    );

    let only_read = Config::builder()
        .timeout_config(
            TimeoutConfig::builder()
                .read_timeout(Duration::from_secs(5))
                .build(),
        )
        .build();
    assert_eq!(
        only_read.timeout_config().expect("timeouts").read_timeout(),
        Some(Duration::from_secs(5))
    );
    assert_eq!(
        only_read
            .timeout_config()
            .expect("timeouts")
            .connect_timeout(),
        Some(DEFAULT_CONNECT_TIMEOUT)
    );

    let disabled = Config::builder()
        .timeout_config(TimeoutConfig::disabled())
        .build();
    assert_eq!(
        disabled.timeout_config().expect("timeouts").read_timeout(),
        None
    );
    assert_eq!(
        disabled
            .timeout_config()
            .expect("timeouts")
            .connect_timeout(),
        None
    );
}
