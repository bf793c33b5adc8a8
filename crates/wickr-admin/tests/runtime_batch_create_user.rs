//! BatchCreateUser end to end through the generated fluent builder and the runtime, against a
//! scripted server on 127.0.0.1.

mod runtime_support;

use runtime_support::{config_for, Action, RecordingSleep, ScriptedServer};
use wickr_admin::config::{AppName, IdentityCache, RetryConfig, TimeoutConfig};
use wickr_admin::error::{explain, response_status, ProvideErrorMetadata, SdkError};
use wickr_admin::idempotency::IdempotencyTokenProvider;
use wickr_admin::operation::batch_create_user::BatchCreateUserError;
use wickr_admin::operation::RequestId;
use wickr_admin::types::BatchCreateUserRequestItem;
use wickr_admin::Client;

const CREATED: &str = r#"{"message":"done","successful":[{"userId":"1001","username":"alice@example.com"}],"failed":[]}"#;

fn item(username: &str) -> BatchCreateUserRequestItem {
    match BatchCreateUserRequestItem::builder()
        .username(username)
        .security_group_ids("sg-1")
        .first_name("Alice")
        .last_name("Liddell")
        .build()
    {
        Ok(item) => item,
        Err(e) => panic!("test item did not build: {e}"),
    }
}

fn client(server: &ScriptedServer, sleep: &RecordingSleep, retry: RetryConfig) -> Client {
    Client::from_conf(
        config_for(&server.url)
            .sleep_impl(sleep.clone())
            .timeout_config(TimeoutConfig::disabled())
            .identity_cache(IdentityCache::no_cache())
            .retry_config(retry)
            .build(),
    )
}

#[tokio::test]
async fn throttled_twice_then_created_with_one_token() {
    let server = ScriptedServer::start(vec![
        Action::json(429, r#"{"message":"Rate exceeded"}"#)
            .header("x-amzn-errortype", "RateLimitError"),
        Action::json(429, r#"{"message":"Rate exceeded"}"#)
            .header("x-amzn-errortype", "RateLimitError"),
        Action::json(200, CREATED),
    ])
    .await;
    let sleep = RecordingSleep::default();
    let output = client(&server, &sleep, RetryConfig::standard())
        .batch_create_user()
        .network_id("12345678")
        .users(item("alice@example.com"))
        .send()
        .await;
    let output = match output {
        Ok(output) => output,
        Err(e) => panic!("call failed: {e}"),
    };
    assert_eq!(output.successful().len(), 1);
    assert_eq!(output.successful()[0].user_id(), Some("1001"));
    let received = server.received();
    assert_eq!(received.len(), 3);
    let token = received[0].header("x-client-token").map(str::to_string);
    assert!(token.as_deref().is_some_and(|t| !t.is_empty()));
    for request in &received {
        assert_eq!(request.method, "POST");
        assert_eq!(request.target, "/networks/12345678/users");
        assert_eq!(request.header("x-client-token"), token.as_deref());
        assert_eq!(request.header("content-type"), Some("application/json"));
        let body = request.body_json();
        assert_eq!(
            body["users"][0]["username"].as_str(),
            Some("alice@example.com")
        );
        assert_eq!(body["users"][0]["firstName"].as_str(), Some("Alice"));
    }
    assert_eq!(sleep.requested().len(), 2);
}

/// The seven modeled errors: code, status, and whether the variant must be the one named.
const MODELED: [(&str, u16); 7] = [
    ("BadRequestError", 400),
    ("UnauthorizedError", 401),
    ("ForbiddenError", 403),
    ("ResourceNotFoundError", 404),
    ("ValidationError", 422),
    ("RateLimitError", 429),
    ("InternalServerError", 500),
];

fn variant_name(error: &BatchCreateUserError) -> &'static str {
    match error {
        BatchCreateUserError::BadRequestError(_) => "BadRequestError",
        BatchCreateUserError::UnauthorizedError(_) => "UnauthorizedError",
        BatchCreateUserError::ForbiddenError(_) => "ForbiddenError",
        BatchCreateUserError::ResourceNotFoundError(_) => "ResourceNotFoundError",
        BatchCreateUserError::ValidationError(_) => "ValidationError",
        BatchCreateUserError::RateLimitError(_) => "RateLimitError",
        BatchCreateUserError::InternalServerError(_) => "InternalServerError",
        _ => "Unhandled",
    }
}

async fn error_for(action: Action) -> SdkError<BatchCreateUserError> {
    let server = ScriptedServer::start(vec![action]).await;
    let sleep = RecordingSleep::default();
    let result = client(
        &server,
        &sleep,
        RetryConfig::standard().with_max_attempts(1),
    )
    .batch_create_user()
    .network_id("12345678")
    .users(item("alice@example.com"))
    .send()
    .await;
    match result {
        Ok(output) => panic!("expected an error, got {output:?}"),
        Err(e) => e,
    }
}

#[tokio::test]
async fn each_modeled_error_from_the_error_type_header() {
    for (code, status) in MODELED {
        let message = format!("message for {code}");
        let action = Action::json(status, &format!(r#"{{"message":"{message}"}}"#))
            .header(
                "x-amzn-errortype",
                &format!("{code}:http://internal.amazon.com/"),
            )
            .header("x-amzn-requestid", "req-123");
        let err = error_for(action).await;
        let service = err.as_service_error();
        assert_eq!(service.map(variant_name), Some(code), "{err:?}");
        assert_eq!(err.code(), Some(code));
        assert_eq!(err.message(), Some(message.as_str()));
        assert_eq!(response_status(&err), Some(status));
        assert_eq!(err.request_id(), Some("req-123"));
        let line =
            format!("BatchCreateUser: {code}: {message} (HTTP {status}, request id req-123)");
        assert_eq!(
            err.as_service_error().map(|e| e.to_string()),
            Some(line.clone())
        );
        assert_eq!(explain(&err), format!("service error: {line}"));
    }
}

#[tokio::test]
async fn each_modeled_error_from_the_body_type() {
    for (code, status) in MODELED {
        let message = format!("body message for {code}");
        let body = format!(
            r#"{{"__type":"com.amazonaws.wickr#{code}:http://internal.amazon.com/","message":"{message}"}}"#
        );
        let err = error_for(Action::json(status, &body)).await;
        assert_eq!(
            err.as_service_error().map(variant_name),
            Some(code),
            "{err:?}"
        );
        assert_eq!(err.code(), Some(code));
        assert_eq!(err.message(), Some(message.as_str()));
    }
}

#[tokio::test]
async fn validation_errors_list_every_field_and_reason() {
    let body = r#"{"message":"Invalid request","reasons":[{"field":"users[0].username","reason":"must be an email"},{"field":"users[0].securityGroupIds","reason":"unknown group"}]}"#;
    let err = error_for(
        Action::json(422, body)
            .header("x-amzn-errortype", "ValidationError")
            .header("x-amzn-requestid", "req-9"),
    )
    .await;
    let shown = explain(&err);
    assert_eq!(
        shown,
        "service error: BatchCreateUser: ValidationError: Invalid request (HTTP 422, request id \
         req-9); users[0].username: must be an email, users[0].securityGroupIds: unknown group"
    );
    match err.as_service_error() {
        Some(BatchCreateUserError::ValidationError(v)) => assert_eq!(v.reasons().len(), 2),
        other => panic!("expected ValidationError, got {other:?}"),
    }
}

#[tokio::test]
async fn an_unknown_error_code_is_unhandled_but_explained() {
    let err = error_for(
        Action::json(409, r#"{"message":"already there"}"#)
            .header("x-amzn-errortype", "ConflictError"),
    )
    .await;
    assert_eq!(err.as_service_error().map(variant_name), Some("Unhandled"));
    assert_eq!(err.code(), Some("ConflictError"));
    assert!(explain(&err).contains("ConflictError: already there (HTTP 409"));
}

#[tokio::test]
async fn invalid_input_stops_before_sending_and_names_the_field() {
    let server = ScriptedServer::start(vec![Action::json(200, CREATED)]).await;
    let sleep = RecordingSleep::default();
    let client = client(&server, &sleep, RetryConfig::standard());
    let mut call = client.batch_create_user().network_id("123");
    for i in 0..51 {
        call = call.users(item(&format!("user{i}@example.com")));
    }
    let err = match call.send().await {
        Ok(_) => panic!("invalid input was accepted"),
        Err(e) => e,
    };
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    let shown = explain(&err);
    assert!(
        shown.starts_with("failed to construct request: invalid BatchCreateUser input"),
        "{shown}"
    );
    assert!(
        shown.contains("network_id") || shown.contains("networkId"),
        "{shown}"
    );
    assert!(shown.contains("users"), "{shown}");
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn sensitive_names_never_show_in_errors_or_debug_output() {
    let err = error_for(Action::json(400, r#"{"message":"bad"}"#)).await;
    let printed = format!("{} {err:?}", explain(&err));
    assert!(!printed.contains("Liddell"), "{printed}");
    let server = ScriptedServer::start(vec![]).await;
    let sleep = RecordingSleep::default();
    let call = client(&server, &sleep, RetryConfig::standard())
        .batch_create_user()
        .network_id("12345678")
        .users(item("alice@example.com"));
    let printed = format!("{call:?}");
    assert!(!printed.contains("Liddell"), "{printed}");
}

async fn token_sent_with(provider: IdempotencyTokenProvider) -> Option<String> {
    let server = ScriptedServer::start(vec![Action::json(200, CREATED)]).await;
    let client = Client::from_conf(
        config_for(&server.url)
            .idempotency_token_provider(provider)
            .app_name(AppName::new("provisioner").expect("a valid app name"))
            .build(),
    );
    let result = client
        .batch_create_user()
        .network_id("12345678")
        .users(item("alice@example.com"))
        .send()
        .await;
    assert!(result.is_ok(), "{:?}", result.err());
    let received = server.received();
    let agent = received[0].header("user-agent").unwrap_or_default();
    assert!(agent.contains("app/provisioner"), "{agent}");
    received[0].header("x-client-token").map(str::to_string)
}

#[tokio::test]
async fn token_providers_are_fixed_or_reproducible() {
    assert_eq!(
        token_sent_with(IdempotencyTokenProvider::fixed("fixed-token-1"))
            .await
            .as_deref(),
        Some("fixed-token-1")
    );
    let first = token_sent_with(IdempotencyTokenProvider::seeded(42)).await;
    let again = token_sent_with(IdempotencyTokenProvider::seeded(42)).await;
    let other = token_sent_with(IdempotencyTokenProvider::seeded(43)).await;
    assert!(first.as_deref().is_some_and(|t| t.len() == 36), "{first:?}");
    assert_eq!(first, again);
    assert_ne!(first, other);
}

#[tokio::test]
async fn a_provider_token_that_breaks_the_rules_is_refused_before_sending() {
    let server = ScriptedServer::start(vec![Action::json(200, CREATED)]).await;
    let client = Client::from_conf(
        config_for(&server.url)
            .idempotency_token_provider(IdempotencyTokenProvider::fixed("spaces are not allowed"))
            .build(),
    );
    let err = client
        .batch_create_user()
        .network_id("12345678")
        .users(item("alice@example.com"))
        .send()
        .await
        .err();
    assert!(
        matches!(err, Some(SdkError::ConstructionFailure(_))),
        "{err:?}"
    );
    let shown = err.map(|e| explain(&e)).unwrap_or_default();
    assert!(
        shown.contains("client_token") || shown.contains("clientToken"),
        "{shown}"
    );
    assert!(server.received().is_empty());
}
