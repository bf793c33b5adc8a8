//! The call path on a service that is not Wickr (the hand-written one in `things/`), over real
//! HTTP against a scripted server on 127.0.0.1: what the runtime takes from the service's facts
//! (signing name, user agent, retryable errors, endpoint rules) and nothing else.

mod things;

use std::time::Duration;

use restjson_runtime::config::{Region, RetryConfig, TimeoutConfig};
use restjson_runtime::error::SdkError;
use things::client::Client;
use things::put_thing::PutThingError;
use things::server::{Answer, Server};

fn client(server: &Server) -> Client {
    let config = things::config::Config::builder()
        .region(Region::new("eu-west-3"))
        .credentials_provider(things::credentials())
        .endpoint_url(server.url.clone())
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(5)),
        )
        .timeout_config(TimeoutConfig::disabled())
        .build();
    Client::from_conf(config)
}

async fn put(
    client: &Client,
) -> Result<things::put_thing::PutThingOutput, SdkError<PutThingError>> {
    client.put_thing().name("lamp").size(3).send().await
}

#[tokio::test]
async fn a_call_carries_the_services_signing_name_user_agent_and_token() {
    let server = Server::start(vec![Answer::json(200, r#"{"id":"t-1"}"#)]).await;
    let output = put(&client(&server)).await.expect("succeeds");
    assert_eq!(output.id(), "t-1");
    let received = server.received();
    assert_eq!(received.len(), 1);
    let request = &received[0];
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("PUT", "/things/lamp")
    );
    let authorization = request.header("authorization").unwrap_or_default();
    assert!(
        authorization.contains("/eu-west-3/things/aws4_request"),
        "{authorization}"
    );
    let agent = request.header("user-agent").unwrap_or_default();
    assert!(agent.starts_with("things-client/1.0"), "{agent}");
    assert!(request.header("x-token").is_some_and(|t| !t.is_empty()));
    let body: serde_json::Value = serde_json::from_slice(&request.body).expect("JSON body");
    assert_eq!(body, serde_json::json!({"size": 3}));
}

#[tokio::test]
async fn the_services_throttling_error_is_retried_by_its_code_with_one_token() {
    // A 400 status: only the service's fact makes `SlowDown` worth another attempt.
    let server = Server::start(vec![
        Answer::json(400, r#"{"message":"slow down"}"#).header("x-amzn-errortype", "SlowDown"),
        Answer::json(200, r#"{"id":"t-2"}"#),
    ])
    .await;
    let client = client(&server);
    let output = put(&client).await.expect("the retry succeeds");
    assert_eq!(output.id(), "t-2");
    assert_eq!(client.throttled_responses(), 1);
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].header("x-token"), received[1].header("x-token"));
}

#[tokio::test]
async fn a_code_the_service_does_not_list_is_final() {
    // Another service's throttling code means nothing here.
    let server = Server::start(vec![
        Answer::json(400, r#"{"message":"slow"}"#).header("x-amzn-errortype", "RateLimitError"),
        Answer::json(200, r#"{"id":"never"}"#),
    ])
    .await;
    let client = client(&server);
    let err = put(&client).await.expect_err("final");
    assert_eq!(server.received().len(), 1);
    assert!(!err.is_throttling());
    assert_eq!(err.retry_kind(), None);
    assert_eq!(client.throttled_responses(), 0);
}

#[tokio::test]
async fn errors_explain_themselves_on_one_line_with_their_details() {
    let server = Server::start(vec![Answer::json(
        422,
        r#"{"message":"bad thing","reasons":[{"field":"name","reason":"taken"},{"field":"size","reason":"too big"}]}"#,
    )
    .header("x-amzn-errortype", "Rejected")
    .header("x-amzn-requestid", "req-7")])
    .await;
    let err = put(&client(&server)).await.expect_err("rejected");
    assert_eq!(
        err.to_string(),
        "PutThing: Rejected: bad thing (HTTP 422, request id req-7); name: taken, size: too big"
    );
    assert!(matches!(
        err.as_service_error(),
        Some(PutThingError::Rejected(_))
    ));
}

#[tokio::test]
async fn invalid_input_is_not_sent() {
    let server = Server::start(vec![Answer::json(200, r#"{"id":"never"}"#)]).await;
    let err = client(&server)
        .put_thing()
        .name("a name longer than ten")
        .send()
        .await
        .expect_err("invalid");
    assert!(err.is_construction_failure());
    assert!(
        err.to_string()
            .contains("invalid PutThing input: name: length must be between 1 and 10"),
        "{err}"
    );
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn a_service_without_auth_sends_unsigned_requests_and_needs_an_endpoint_url() {
    let server = Server::start(vec![Answer::json(200, r#"{"id":"t-3"}"#)]).await;
    // No region and no credentials: nothing is signed, so neither is needed.
    let config = things::unsigned::config::Config::builder()
        .endpoint_url(server.url.clone())
        .build();
    let client = things::unsigned::client::Client::from_conf(config);
    let input = things::put_thing::PutThingInput::builder()
        .name("lamp")
        .build()
        .expect("builds");
    let output = client
        .call::<things::put_thing::PutThing>(input.clone())
        .await
        .expect("succeeds");
    assert_eq!(output.id(), "t-3");
    assert_eq!(server.received()[0].header("authorization"), None);
    // Without endpoint rules, a call with no endpoint URL is refused before anything is sent.
    let bare = things::unsigned::client::Client::from_conf(
        things::unsigned::config::Config::builder().build(),
    );
    let err = bare
        .call::<things::put_thing::PutThing>(input)
        .await
        .expect_err("no endpoint");
    assert!(err.is_construction_failure());
    assert!(err.to_string().contains("needs an endpoint URL"), "{err}");
}
