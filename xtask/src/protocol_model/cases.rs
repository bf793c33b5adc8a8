//! botocore cases to Smithy's `smithy.test#httpRequestTests` and `smithy.test#httpResponseTests`
//! entries.
//!
//! A request case's `serialized` URI splits into the path and `queryParams` (each `key=value` as
//! sent, still percent-encoded); its `host` (without the path botocore may add) is the
//! `resolvedHost` the request must reach, and the suite's `clientEndpoint` the `host` the client
//! is given. An error case becomes a
//! response test on the error shape, naming in `vendorParams` the operation botocore sent it
//! through and the message it expects.

use serde_json::{json, Map, Value};

/// The protocol every case is written for.
const PROTOCOL: &str = "aws.protocols#restJson1";

/// The case's id.
fn id(case: &Value) -> Result<&str, String> {
    case.get("id")
        .and_then(Value::as_str)
        .ok_or_else(|| "a case without an id".to_owned())
}

/// One `smithy.test#httpRequestTests` entry.
pub(super) fn request_test(case: &Value, endpoint: Option<&str>) -> Result<Value, String> {
    let serialized = case.get("serialized").ok_or("no serialized request")?;
    let mut test = Map::new();
    test.insert("id".into(), json!(id(case)?));
    test.insert("protocol".into(), json!(PROTOCOL));
    test.insert(
        "method".into(),
        serialized.get("method").cloned().ok_or("no method")?,
    );
    let uri = serialized
        .get("uri")
        .and_then(Value::as_str)
        .ok_or("no uri")?;
    let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
    test.insert("uri".into(), json!(path));
    let query: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    if !query.is_empty() {
        test.insert("queryParams".into(), json!(query));
    }
    let headers = serialized.get("headers").cloned();
    if let Some(headers) = &headers {
        test.insert("headers".into(), headers.clone());
    }
    for key in ["forbidHeaders", "requireHeaders"] {
        if let Some(value) = serialized.get(key) {
            test.insert(key.into(), value.clone());
        }
    }
    if let Some(body) = serialized.get("body") {
        let body = body.as_str().ok_or("the body is not a string")?;
        test.insert("body".into(), json!(body));
        test.insert(
            "bodyMediaType".into(),
            json!(media_type(headers.as_ref(), body)),
        );
    }
    if let Some(endpoint) = endpoint {
        let host = endpoint
            .split_once("://")
            .map_or(endpoint, |(_, rest)| rest);
        test.insert("host".into(), json!(host));
    }
    if let Some(host) = serialized.get("host").and_then(Value::as_str) {
        // botocore's host may carry the endpoint's path; Smithy's resolvedHost is the host alone
        // (the path is part of the expected URI).
        let host = host.split_once('/').map_or(host, |(host, _)| host);
        test.insert("resolvedHost".into(), json!(host));
    }
    test.insert(
        "params".into(),
        case.get("params").cloned().unwrap_or_else(|| json!({})),
    );
    Ok(Value::Object(test))
}

/// One `smithy.test#httpResponseTests` entry of an operation.
pub(super) fn response_test(case: &Value) -> Result<Value, String> {
    let mut test = response_parts(case)?;
    test.insert(
        "params".into(),
        case.get("result").cloned().unwrap_or_else(|| json!({})),
    );
    Ok(Value::Object(test))
}

/// One `smithy.test#httpResponseTests` entry of an error shape.
pub(super) fn error_test(case: &Value, operation: &str) -> Result<Value, String> {
    let mut test = response_parts(case)?;
    test.insert(
        "params".into(),
        case.get("error").cloned().unwrap_or_else(|| json!({})),
    );
    let mut vendor = Map::new();
    vendor.insert("operation".into(), json!(operation));
    if let Some(message) = case.get("errorMessage") {
        vendor.insert("errorMessage".into(), message.clone());
    }
    test.insert("vendorParams".into(), Value::Object(vendor));
    Ok(Value::Object(test))
}

fn response_parts(case: &Value) -> Result<Map<String, Value>, String> {
    let response = case.get("response").ok_or("no response")?;
    let mut test = Map::new();
    test.insert("id".into(), json!(id(case)?));
    test.insert("protocol".into(), json!(PROTOCOL));
    test.insert(
        "code".into(),
        response
            .get("status_code")
            .cloned()
            .ok_or("no status code")?,
    );
    let headers = response.get("headers").cloned();
    if let Some(headers) = &headers {
        test.insert("headers".into(), headers.clone());
    }
    if let Some(body) = response.get("body") {
        let body = body.as_str().ok_or("the body is not a string")?;
        test.insert("body".into(), json!(body));
        test.insert(
            "bodyMediaType".into(),
            json!(media_type(headers.as_ref(), body)),
        );
    }
    Ok(test)
}

/// How a body is compared: `application/json` (as JSON values) when its `Content-Type` says so,
/// or when there is none and the body is a JSON object; otherwise byte for byte.
fn media_type(headers: Option<&Value>, body: &str) -> &'static str {
    let content_type = headers.and_then(Value::as_object).and_then(|h| {
        h.iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            .and_then(|(_, v)| v.as_str())
    });
    match content_type {
        Some(ct) if ct.starts_with("application/json") => "application/json",
        Some(_) => "application/octet-stream",
        None if serde_json::from_str::<Map<String, Value>>(body).is_ok() => "application/json",
        None => "application/octet-stream",
    }
}
