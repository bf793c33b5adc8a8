//! The call path on a service that is not Wickr (the hand-written one in `things/`), over real
//! HTTP against a scripted server on 127.0.0.1: what the runtime takes from the service's facts
//! (signing name, user agent, retryable errors, endpoint rules) and nothing else.

mod things;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use restjson_runtime::config::interceptors::BeforeTransmitInterceptorContextRef;
use restjson_runtime::config::{
    ConfigBag, Intercept, Region, RetryConfig, RuntimeComponents, TimeoutConfig,
};
use restjson_runtime::error::{explain, retry_kind, BoxError, SdkError};
use things::put_thing::PutThingError;
use things::server::{Answer, Server};
// Where generated code has them.
pub use things::{client, config, types, Client, Error};

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
    // The body's SHA-256 travels in a header the signature covers.
    let hash = {
        use sha2::Digest;
        sha2::Sha256::digest(&request.body)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    assert_eq!(request.header("x-amz-content-sha256"), Some(hash.as_str()));
    assert!(
        authorization.contains("x-amz-content-sha256"),
        "{authorization}"
    );
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
    assert_eq!(retry_kind(&err), None);
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
    let line =
        "PutThing: Rejected: bad thing (HTTP 422, request id req-7); name: taken, size: too big";
    assert_eq!(
        err.as_service_error().map(|e| e.to_string()).as_deref(),
        Some(line)
    );
    assert_eq!(explain(&err), format!("service error: {line}"));
    // The crate-wide error keeps the line, without the operation.
    let crate_error = Error::from(err);
    assert_eq!(
        crate_error.to_string(),
        "Rejected: bad thing (HTTP 422, request id req-7); name: taken, size: too big"
    );
    assert!(matches!(crate_error, Error::Rejected(_)));
}

#[tokio::test]
async fn errors_stay_on_one_line_whatever_the_service_sends() {
    // Line breaks, a terminal escape and a Unicode line separator in the message, a forged line
    // in a field's reason, a tab in the request id.
    let server = Server::start(vec![
        Answer::json(
            422,
            r#"{"message":"bad\nthing\u001b[2J","reasons":[{"field":"name","reason":"taken\r\nPutThing: forged"}]}"#,
        )
        .header("x-amzn-errortype", "Rejected")
        .header("x-amzn-requestid", "req\t8"),
        Answer::json(400, r#"{"message":"odd\u2028one\u0085"}"#)
            .header("x-amzn-errortype", "Unlisted"),
    ])
    .await;
    let client = client(&server);
    let err = put(&client).await.expect_err("rejected");
    let line = r"PutThing: Rejected: bad\nthing\u{1b}[2J (HTTP 422, request id req\t8); name: taken\r\nPutThing: forged";
    assert_eq!(
        err.as_service_error().map(|e| e.to_string()).as_deref(),
        Some(line)
    );
    assert_eq!(explain(&err), format!("service error: {line}"));
    assert_eq!(
        Error::from(err).to_string(),
        line.trim_start_matches("PutThing: ")
    );

    let err = put(&client).await.expect_err("unlisted");
    let service = err.as_service_error().expect("a service error");
    #[allow(deprecated)]
    let unhandled = matches!(service, PutThingError::Unhandled(_));
    assert!(unhandled, "{service:?}");
    let line = r"PutThing: Unlisted: odd\u{2028}one\u{85} (HTTP 400)";
    assert_eq!(service.to_string(), line);
    // The unhandled error's metadata is its source; its code and message are not repeated.
    assert_eq!(explain(&err), format!("service error: {line}"));
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
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    let text = explain(&err);
    assert!(
        text.contains("invalid PutThing input: name: length must be between 1 and 10"),
        "{text}"
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
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    let text = explain(&err);
    assert!(text.contains("needs an endpoint URL"), "{text}");
}

/// Records each attempt's URI and Authorization header, then stops the attempt before it is
/// sent (the endpoints the rules give are not on this machine).
#[derive(Debug, Default, Clone)]
struct StopBeforeSending {
    seen: Arc<Mutex<Vec<(String, String)>>>,
}

#[derive(Debug)]
struct Stopped;

impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("stopped before sending")
    }
}

impl std::error::Error for Stopped {}

impl Intercept for StopBeforeSending {
    fn name(&self) -> &'static str {
        "StopBeforeSending"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let request = context.request();
        let authorization = request.headers().get("authorization").unwrap_or_default();
        if let Ok(mut seen) = self.seen.lock() {
            seen.push((request.uri().to_owned(), authorization.to_owned()));
        }
        Err(Box::new(Stopped))
    }
}

/// The URI and Authorization header of the one attempt a call makes with `config`.
async fn first_attempt(config: things::config::Builder, name: &str) -> (String, String) {
    let stop = StopBeforeSending::default();
    let client = Client::from_conf(
        config
            .credentials_provider(things::credentials())
            .retry_config(RetryConfig::disabled())
            .interceptor(stop.clone())
            .build(),
    );
    let err = client
        .put_thing()
        .name(name)
        .send()
        .await
        .expect_err("stopped");
    assert!(explain(&err).contains("stopped before sending"), "{err:?}");
    let seen = stop.seen.lock().expect("not poisoned").clone();
    assert_eq!(seen.len(), 1, "{seen:?}");
    seen[0].clone()
}

#[tokio::test]
async fn the_endpoint_rules_read_the_region_and_client_context_params() {
    let regional = things::config::Config::builder().region(Region::new("eu-west-3"));
    let (uri, authorization) = first_attempt(regional.clone(), "lamp").await;
    assert_eq!(uri, "https://things.eu-west-3.example.com/things/lamp");
    assert!(
        authorization.contains("/eu-west-3/things/aws4_request"),
        "{authorization}"
    );
    // `Express`, set on the configuration, is a parameter of the rules.
    let (uri, _) = first_attempt(regional.express(true), "lamp").await;
    assert_eq!(
        uri,
        "https://express.things.eu-west-3.example.com/things/lamp"
    );
}

#[tokio::test]
async fn operations_give_the_rules_static_and_input_params_and_the_rules_choose_how_to_sign() {
    // `PutThing` sets `Shelf` itself and gives its `name` as `Name`; for `big` the rules choose
    // the shelf's host and sign for another name and region.
    let regional = things::config::Config::builder().region(Region::new("eu-west-3"));
    let (uri, authorization) = first_attempt(regional, "big").await;
    assert_eq!(uri, "https://tall.things.eu-west-3.example.com/things/big");
    assert!(
        authorization.contains("/eu-west-1/shelves/aws4_request"),
        "{authorization}"
    );
}

#[tokio::test]
async fn a_configuration_the_rules_refuse_is_not_sent() {
    let server = Server::start(vec![Answer::json(200, r#"{"id":"never"}"#)]).await;
    // No region and no endpoint URL: the rules' own message, before anything is sent.
    let client = Client::from_conf(
        things::config::Config::builder()
            .credentials_provider(things::credentials())
            .build(),
    );
    let err = put(&client).await.expect_err("no region");
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    let text = explain(&err);
    assert!(text.contains("region"), "{text}");
    assert!(server.received().is_empty());
}

/// A config builder shares what it holds with its clones until one of them changes: a change
/// to a clone (its settings or its components) leaves the original as it was.
#[test]
fn a_cloned_config_builder_changes_apart_from_its_original() {
    let original = things::config::Config::builder()
        .region(Region::new("eu-west-3"))
        .endpoint_url("http://127.0.0.1:1")
        .retry_config(RetryConfig::standard().with_max_attempts(2));
    let changed = original
        .clone()
        .region(Region::new("us-east-1"))
        .endpoint_url("http://127.0.0.1:2")
        .sleep_impl(restjson_runtime::config::SharedAsyncSleep::new(
            aws_smithy_async::rt::sleep::TokioSleep::new(),
        ));
    let (original, changed) = (original.build(), changed.build());
    assert_eq!(original.region().map(|r| r.as_ref()), Some("eu-west-3"));
    assert_eq!(original.endpoint_url(), Some("http://127.0.0.1:1"));
    assert!(original.sleep_impl().is_none());
    assert_eq!(changed.region().map(|r| r.as_ref()), Some("us-east-1"));
    assert_eq!(changed.endpoint_url(), Some("http://127.0.0.1:2"));
    assert!(changed.sleep_impl().is_some());
    // What the clone did not change, it still has.
    assert_eq!(
        changed.retry_config().map(RetryConfig::max_attempts),
        Some(2)
    );
}
