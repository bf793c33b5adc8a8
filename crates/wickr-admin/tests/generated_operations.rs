//! Every generated operation, reached through `for_each_operation!`: names, empty inputs,
//! lenient reading of empty bodies and typed errors.

use wickr_admin::operation_shape::{DeserializeError, OperationShape, ResponseParts};

macro_rules! check_all {
    ($(($kebab:literal, $op:ty)),* $(,)?) => {
        vec![$(check::<$op>($kebab)),*]
    };
}

/// Checks one operation and returns its model name.
fn check<O: OperationShape>(kebab: &str) -> &'static str
where
    O::Input: Default,
{
    // The kebab-case name is the model name split at capitals.
    let mut expected = String::new();
    for (i, c) in O::NAME.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            expected.push('-');
        }
        expected.push(c.to_ascii_lowercase());
    }
    assert_eq!(kebab, expected);

    // An empty input never panics: it either serializes or fails naming a member.
    let input = O::Input::default();
    match O::serialize(&input) {
        Ok(request) => assert!(request.uri.starts_with('/'), "{}: {}", O::NAME, request.uri),
        Err(e) => assert!(
            e.to_string().contains("a URI label must be set"),
            "{}: {e}",
            O::NAME
        ),
    }

    // An empty 200 body reads as an output (required members corrected to defaults).
    let headers = http::HeaderMap::new();
    assert!(
        O::deserialize(ResponseParts {
            status: 200,
            headers: &headers,
            body: b""
        })
        .is_ok(),
        "{}",
        O::NAME
    );

    // A 429 maps to the modeled RateLimitError, whose message has the model's default.
    let mut headers = http::HeaderMap::new();
    headers.insert(
        "x-amzn-errortype",
        http::HeaderValue::from_static("RateLimitError"),
    );
    headers.insert("x-amzn-requestid", http::HeaderValue::from_static("rid"));
    let err = O::deserialize(ResponseParts {
        status: 429,
        headers: &headers,
        body: b"{}",
    })
    .err()
    .unwrap_or_else(|| panic!("{}: a 429 is an error", O::NAME));
    let DeserializeError::Service(err) = err else {
        panic!("{}: not a service error", O::NAME)
    };
    assert_eq!(
        err.to_string(),
        format!(
            "{}: RateLimitError: Too many requests sent (HTTP 429, request id rid)",
            O::NAME
        ),
    );
    use aws_smithy_types::error::metadata::ProvideErrorMetadata;
    assert_eq!(err.code(), Some("RateLimitError"));
    assert_eq!(err.meta().extra("aws_request_id"), Some("rid"));
    O::NAME
}

#[test]
fn every_operation_is_listed_and_behaves() {
    let names = wickr_admin::for_each_operation!(check_all);
    assert_eq!(names.len(), 44);
    assert!(names.contains(&"BatchCreateUser"));
    assert!(names.contains(&"UpdateUser"));
}

#[test]
fn query_lists_repeat_keys_and_timestamps_use_their_format() {
    use wickr_admin::operation::batch_delete_user::BatchDeleteUser;
    use wickr_admin::operation::get_user::{GetUser, GetUserInput};
    let input = GetUserInput::builder()
        .network_id("12345678")
        .user_id("42")
        .start_time(aws_smithy_types::DateTime::from_secs(1_700_000_000))
        .build()
        .expect("input builders do not fail");
    let request = GetUser::serialize(&input).expect("serializes");
    assert_eq!(request.method, "GET");
    assert_eq!(
        request.uri,
        "/networks/12345678/users/42?startTime=1700000000"
    );
    assert_eq!(request.body, None);
    assert!(request.headers.is_empty());
    assert_eq!(BatchDeleteUser::NAME, "BatchDeleteUser");
}

#[test]
fn labels_are_percent_encoded() {
    use wickr_admin::operation::get_user::{GetUser, GetUserInput};
    let input = GetUserInput::builder()
        .network_id("1/2 3")
        .user_id("é")
        .build()
        .expect("builds");
    let request = GetUser::serialize(&input).expect("serializes");
    assert_eq!(request.uri, "/networks/1%2F2%203/users/%C3%A9");
}

#[test]
fn input_reads_from_cli_json_with_http_members() {
    use wickr_admin::json;
    use wickr_admin::operation::batch_create_user::BatchCreateUserInput;
    let document = serde_json::json!({
        "networkId": "12345678",
        "clientToken": "t",
        "users": [{"username": "a", "securityGroupIds": ["g"]}]
    });
    let input: BatchCreateUserInput = json::from_value(document.clone()).expect("reads");
    assert_eq!(input.network_id(), Some("12345678"));
    assert_eq!(input.client_token(), Some("t"));
    assert_eq!(input.users()[0].username(), "a");
    // The message body leaves out the members bound to the path and the header; a document keeps
    // them all.
    let body: serde_json::Value =
        serde_json::from_slice(&json::to_body(&input)).expect("the body is JSON");
    assert_eq!(
        body,
        serde_json::json!({"users": [{"username": "a", "securityGroupIds": ["g"]}]})
    );
    assert_eq!(json::to_value(&input), document);
}

#[test]
fn query_timestamps_read_and_write_in_their_format() {
    use wickr_admin::json;
    use wickr_admin::operation::get_user::GetUserInput;
    use wickr_admin::primitives::DateTime;
    let input: GetUserInput = json::from_str(
        r#"{"networkId": "12345678", "userId": "u1", "startTime": 1700000000, "endTime": 1700000000.5}"#,
    )
    .expect("reads");
    assert_eq!(
        input.start_time(),
        Some(&DateTime::from_secs(1_700_000_000))
    );
    assert_eq!(
        input.end_time(),
        Some(&DateTime::from_secs_f64(1_700_000_000.5))
    );
    assert_eq!(
        json::to_value(&input),
        serde_json::json!({"networkId": "12345678", "userId": "u1", "startTime": 1700000000, "endTime": 1700000000.5})
    );
    let err =
        json::from_str::<GetUserInput>(r#"{"startTime": "yesterday"}"#).expect_err("not seconds");
    assert_eq!(
        err.to_string(),
        "startTime: expected a number of seconds, found a string"
    );
}

#[test]
fn documents_refuse_unknown_members_and_name_wrong_values() {
    use wickr_admin::json;
    use wickr_admin::operation::batch_create_user::BatchCreateUserInput;
    let err = json::from_str::<BatchCreateUserInput>(
        r#"{"networkId": "12345678", "netwrkId": "x",
            "users": [{"username": "a"}, {"username": "b", "frstName": "B", "lastName": null}]}"#,
    )
    .expect_err("two unknown keys");
    assert_eq!(
        err.to_string(),
        "unknown members netwrkId, users[1].frstName (members use the model's names, e.g. networkId)"
    );
    let err = json::from_str::<BatchCreateUserInput>(r#"{"users": [{"username": ["a"]}]}"#)
        .expect_err("a list where a string belongs");
    assert_eq!(err.path(), "users[0].username");
    assert_eq!(err.message(), "expected a string, found an array");
    let err = json::from_str::<BatchCreateUserInput>(r#"{"users": [{"username": "a"}"#)
        .expect_err("cut short");
    assert!(err.to_string().starts_with("not valid JSON"), "{err}");
    let err = json::from_str::<BatchCreateUserInput>(r#"{"networkId": "12345678"} x"#)
        .expect_err("text after the document");
    assert!(err.to_string().starts_with("not valid JSON"), "{err}");
}

#[test]
fn wrong_json_types_are_errors_not_panics() {
    use wickr_admin::operation::get_user::GetUser;
    let headers = http::HeaderMap::new();
    let err = GetUser::deserialize(ResponseParts {
        status: 200,
        headers: &headers,
        body: br#"{"userId": 5}"#,
    })
    .expect_err("a number where a string belongs");
    assert!(
        matches!(err, DeserializeError::Malformed(ref m) if m.contains("userId") || m.contains("string")),
        "{err:?}"
    );
}

#[test]
fn enums_keep_unknown_values() {
    use wickr_admin::types::{AccessLevel, UserStatus};
    assert_eq!(AccessLevel::from("PREMIUM"), AccessLevel::Premium);
    let unknown = AccessLevel::from("GOLD");
    assert_eq!(unknown.as_str(), "GOLD");
    assert_eq!(
        wickr_admin::json::to_value(&unknown),
        serde_json::json!("GOLD")
    );
    // Sorted, as the official crate lists them.
    assert_eq!(AccessLevel::values(), &["PREMIUM", "STANDARD"]);
    assert_eq!(
        AccessLevel::try_parse("STANDARD").ok(),
        Some(AccessLevel::Standard)
    );
    assert!(AccessLevel::try_parse("GOLD").is_err());
    assert_eq!(UserStatus::from(2), UserStatus::Active);
    assert_eq!(UserStatus::from(9).value(), 9);
    let parsed: UserStatus = wickr_admin::json::from_str("1").expect("reads");
    assert_eq!(parsed, UserStatus::Pending);
}
