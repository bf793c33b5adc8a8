//! BatchCreateUser through the generated code alone: build, validate, serialize, deserialize.

use wickr_admin::operation::batch_create_user::{
    BatchCreateUser, BatchCreateUserError, BatchCreateUserInput, BatchCreateUserOutput,
};
use wickr_admin::operation_shape::{DeserializeError, OperationShape, ResponseParts};
use wickr_admin::types::BatchCreateUserRequestItem;

fn item(username: &str) -> BatchCreateUserRequestItem {
    BatchCreateUserRequestItem::builder()
        .username(username)
        .first_name("Ada")
        .last_name("Lovelace")
        .security_group_ids("sg-1")
        .build()
        .expect("all required members are set")
}

fn input() -> BatchCreateUserInput {
    BatchCreateUserInput::builder()
        .network_id("12345678")
        .users(item("ada@example.com"))
        .client_token("token-1")
        .build()
        .expect("input builders do not fail")
}

#[test]
fn serializes_path_header_and_body() {
    let input = input();
    assert_eq!(BatchCreateUser::validate(&input), Ok(()));
    let request = BatchCreateUser::serialize(&input).expect("serializable");
    assert_eq!(request.method, "POST");
    assert_eq!(request.uri, "/networks/12345678/users");
    assert_eq!(
        request.headers,
        vec![
            ("X-Client-Token", "token-1".to_owned()),
            ("Content-Type", "application/json".to_owned())
        ]
    );
    let body: serde_json::Value =
        serde_json::from_slice(request.body.as_deref().expect("has a body")).expect("JSON");
    assert_eq!(
        body,
        serde_json::json!({
            "users": [{
                "firstName": "Ada",
                "lastName": "Lovelace",
                "securityGroupIds": ["sg-1"],
                "username": "ada@example.com"
            }]
        })
    );
}

#[test]
fn deserializes_a_success_response() {
    let mut headers = http::HeaderMap::new();
    headers.insert("x-amzn-requestid", "req-ok".parse().expect("header"));
    let body = br#"{"message":"done","successful":[{"userId":"1234","username":"ada@example.com","status":1,"extra":true}],
        "failed":[{"userId":"0","field":"username","reason":"already exists","username":"bob@example.com"}]}"#;
    let output = BatchCreateUser::deserialize(ResponseParts {
        status: 200,
        headers: &headers,
        body,
    })
    .expect("a valid response");
    assert_eq!(output.message(), Some("done"));
    assert_eq!(output.successful().len(), 1);
    assert_eq!(output.successful()[0].user_id(), Some("1234"));
    assert_eq!(output.failed()[0].reason(), Some("already exists"));
    assert_eq!(
        aws_types::request_id::RequestId::request_id(&output),
        Some("req-ok")
    );
    // The request id does not take part in comparisons.
    let rebuilt = BatchCreateUserOutput::builder()
        .message("done")
        .set_successful(Some(output.successful().to_vec()))
        .set_failed(Some(output.failed().to_vec()))
        .build();
    assert_eq!(rebuilt, output);
}

#[test]
fn deserializes_modeled_and_unhandled_errors() {
    let mut headers = http::HeaderMap::new();
    headers.insert("x-amzn-requestid", "req-1".parse().expect("header"));
    headers.insert(
        "x-amzn-errortype",
        "ValidationError:http://internal".parse().expect("header"),
    );
    let body = br#"{"message":"bad","reasons":[{"field":"users","reason":"too many"}]}"#;
    let err = BatchCreateUser::deserialize(ResponseParts {
        status: 422,
        headers: &headers,
        body,
    })
    .expect_err("an error response");
    let DeserializeError::Service(BatchCreateUserError::ValidationError(e)) = err else {
        panic!("expected a ValidationError, got {err:?}");
    };
    assert_eq!(e.message(), Some("bad"));
    assert_eq!(e.reasons()[0].reason(), Some("too many"));
    use aws_smithy_types::error::metadata::ProvideErrorMetadata;
    assert_eq!(e.code(), Some("ValidationError"));
    assert_eq!(
        aws_types::request_id::RequestId::request_id(&e),
        Some("req-1")
    );

    let headers = http::HeaderMap::new();
    let body = br#"{"__type":"com.example#SomethingElse","message":"odd"}"#;
    let err = BatchCreateUser::deserialize(ResponseParts {
        status: 418,
        headers: &headers,
        body,
    })
    .expect_err("an error response");
    #[allow(deprecated)]
    let DeserializeError::Service(BatchCreateUserError::Unhandled(u)) = err
    else {
        panic!("expected Unhandled, got {err:?}");
    };
    assert_eq!(wickr_admin::error::http_status(u.meta()), Some(418));
    assert_eq!(u.meta().code(), Some("SomethingElse"));
    assert_eq!(u.meta().message(), Some("odd"));

    let body = b"{not json";
    let err = BatchCreateUser::deserialize(ResponseParts {
        status: 200,
        headers: &headers,
        body,
    })
    .expect_err("malformed");
    assert!(matches!(err, DeserializeError::Malformed(_)), "{err:?}");
}

#[test]
fn validation_names_paths_and_rules() {
    let mut users: Vec<_> = (0..51).map(|i| item(&format!("u{i}"))).collect();
    users[3] = BatchCreateUserRequestItem::builder()
        .username("x")
        .security_group_ids("bad group")
        .build()
        .expect("required members set");
    let input = BatchCreateUserInput::builder()
        .network_id("123")
        .set_users(Some(users))
        .build()
        .expect("input builders do not fail");
    let err = BatchCreateUser::validate(&input).expect_err("invalid");
    let found: Vec<(String, String)> = err
        .violations
        .iter()
        .map(|v| (v.path.clone(), v.rule.clone()))
        .collect();
    assert_eq!(
        found,
        vec![
            (
                "networkId".to_owned(),
                "length must be between 8 and 8, got 3".to_owned()
            ),
            (
                "networkId".to_owned(),
                "must match the pattern ^[0-9]{8}$".to_owned()
            ),
            (
                "users".to_owned(),
                "length must be between 1 and 50, got 51".to_owned()
            ),
            (
                "users[3].securityGroupIds[0]".to_owned(),
                "must match the pattern ^[\\S]+$".to_owned()
            ),
        ]
    );
    let missing = BatchCreateUserInput::builder()
        .build()
        .expect("input builders do not fail");
    let err = BatchCreateUser::validate(&missing).expect_err("missing members");
    assert_eq!(
        err.to_string(),
        "invalid BatchCreateUser input: networkId: is required; users: is required"
    );
}

#[test]
fn builders_name_every_missing_member_and_debug_redacts_names() {
    let err = BatchCreateUserRequestItem::builder()
        .build()
        .expect_err("missing members");
    let text = format!("{err}");
    assert!(
        text.contains("security_group_ids") && text.contains("username"),
        "{text}"
    );
    let debug = format!("{:?}", item("ada@example.com"));
    assert!(
        !debug.contains("Ada") && !debug.contains("Lovelace"),
        "{debug}"
    );
    assert!(debug.contains("ada@example.com"), "{debug}");
}
