//! `Client::new(&SdkConfig)` with configuration discovered by aws-config from the environment:
//! region, credentials, `AWS_ENDPOINT_URL_WICKR` over `AWS_ENDPOINT_URL`, `AWS_MAX_ATTEMPTS` and
//! `AWS_RETRY_MODE`.
//!
//! This binary holds a single test because it sets process environment variables.

mod runtime_support;

use aws_config::BehaviorVersion;
use runtime_support::{Action, ScriptedServer};
use wickr_admin::config::RetryMode;
use wickr_admin::Client;

#[tokio::test]
async fn environment_settings_reach_the_client() {
    let server = ScriptedServer::start(vec![
        Action::json(503, "{}"),
        Action::json(503, "{}"),
        Action::json(200, r#"{"networks":[]}"#),
    ])
    .await;
    let missing = std::env::temp_dir().join("wickr-admin-no-such-aws-file");
    let missing = missing.to_string_lossy().to_string();
    for (name, value) in [
        ("AWS_ENDPOINT_URL_WICKR", server.url.as_str()),
        // The global setting points at a closed loopback port: using it would fail the call.
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:9"),
        ("AWS_REGION", "eu-west-1"),
        ("AWS_ACCESS_KEY_ID", "AKIDFROMENV"),
        ("AWS_SECRET_ACCESS_KEY", "secret-from-env"),
        ("AWS_MAX_ATTEMPTS", "2"),
        // Not the default mode, so the assertion below can only pass if the setting arrives.
        ("AWS_RETRY_MODE", "adaptive"),
        ("AWS_CONFIG_FILE", missing.as_str()),
        ("AWS_SHARED_CREDENTIALS_FILE", missing.as_str()),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ] {
        std::env::set_var(name, value);
    }
    std::env::remove_var("AWS_PROFILE");
    std::env::remove_var("AWS_SESSION_TOKEN");

    let sdk_config = aws_config::defaults(BehaviorVersion::latest()).load().await;
    let client = Client::new(&sdk_config);
    assert_eq!(client.config().endpoint_url(), Some(server.url.as_str()));
    assert_eq!(
        client
            .config()
            .retry_config()
            .expect("retries")
            .max_attempts(),
        2
    );
    assert_eq!(
        client.config().retry_config().expect("retries").mode(),
        RetryMode::Adaptive,
        "AWS_RETRY_MODE=adaptive"
    );

    let err = client.list_networks().send().await.err();
    assert_eq!(
        err.as_ref().and_then(wickr_admin::error::response_status),
        Some(503),
        "{err:?}"
    );
    let received = server.received();
    assert_eq!(received.len(), 2, "AWS_MAX_ATTEMPTS=2 allows two attempts");
    let authorization = received[0].header("authorization").unwrap_or_default();
    assert!(
        authorization.contains("Credential=AKIDFROMENV/")
            && authorization.contains("/eu-west-1/wickr/"),
        "{authorization}"
    );
}
