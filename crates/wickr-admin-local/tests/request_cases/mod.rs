//! Requests made from the model's examples for the emulator's property tests: each example input
//! of `fixtures/wickr/examples.json`, laid out as the client lays it out (`OperationShape::
//! serialize`), then changed: another method, byte edits of the path and query string, JSON and
//! byte edits of the body, odd `X-Client-Token` and `Content-Type` values.
//!
//! Whatever the emulator answers is also read by the client's own reader for the operation: a
//! 2xx must read as the operation's output, anything else as one of its errors, under the code the
//! emulator put in `X-Amzn-Errortype`, and never a 5xx.

#![allow(dead_code)]

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use fuzzing::bytes::{self, HTTP_TOKENS};
use fuzzing::json::{edit, render, vocabulary, Limits};
use fuzzing::proptest::prelude::*;
use fuzzing::Bytes;
use serde_json::Value;
use wickr_admin::error::ProvideErrorMetadata;
use wickr_admin::operation_shape::{DeserializeError, OperationShape, ResponseParts};

/// A request laid out from an example input.
#[derive(Clone, Debug)]
pub struct SeedRequest {
    pub operation: &'static str,
    pub method: &'static str,
    pub target: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<Value>,
}

macro_rules! seed_table {
    ($( ($kebab:literal, $op:path) ),* $(,)?) => {
        /// Lays out `input` as a request of the named operation.
        fn lay_out(operation: &str, input: &Value) -> Option<Result<SeedRequest, String>> {
            $(
                if operation == <$op as OperationShape>::NAME {
                    return Some(lay_out_as::<$op>(input));
                }
            )*
            None
        }

        /// Reads an answer as the named operation's output or error.
        pub fn read_answer(
            operation: &str,
            status: u16,
            error_type: Option<&str>,
            body: &[u8],
        ) -> Result<(), String> {
            $(
                if operation == <$op as OperationShape>::NAME {
                    return read_answer_as::<$op>(status, error_type, body);
                }
            )*
            Err(format!("{operation} is not an operation"))
        }
    };
}

wickr_admin::for_each_operation!(seed_table);

fn lay_out_as<Op>(input: &Value) -> Result<SeedRequest, String>
where
    Op: OperationShape,
    Op::Input: wickr_admin::json::FromJson,
{
    let input: Op::Input = wickr_admin::json::from_value(input.clone())
        .map_err(|e| format!("{}: the example input does not read: {e}", Op::NAME))?;
    let request = Op::serialize(&input).map_err(|e| format!("{}: not laid out: {e}", Op::NAME))?;
    let body = match &request.body {
        Some(bytes) => Some(
            serde_json::from_slice(bytes)
                .map_err(|e| format!("{}: the body is not JSON: {e}", Op::NAME))?,
        ),
        None => None,
    };
    Ok(SeedRequest {
        operation: Op::NAME,
        method: request.method,
        target: request.uri,
        headers: request.headers,
        body,
    })
}

fn read_answer_as<Op: OperationShape>(
    status: u16,
    error_type: Option<&str>,
    body: &[u8],
) -> Result<(), String> {
    if status >= 500 {
        return Err(format!(
            "answered {status}: {}",
            String::from_utf8_lossy(body)
        ));
    }
    let mut headers = http::HeaderMap::new();
    if let Some(t) = error_type {
        let value =
            http::HeaderValue::from_str(t).map_err(|_| format!("error type {t:?} is no header"))?;
        headers.insert("x-amzn-errortype", value);
    }
    let parts = ResponseParts {
        status,
        headers: &headers,
        body,
    };
    match Op::deserialize(parts) {
        Ok(_) => Ok(()),
        Err(DeserializeError::Service(e)) => match (e.code(), error_type) {
            (Some(code), Some(sent)) if code == sent => Ok(()),
            (code, sent) => Err(format!(
                "error read with code {code:?} where the emulator sent {sent:?}"
            )),
        },
        Err(DeserializeError::Malformed(reason)) => Err(format!(
            "the client cannot read the answer ({status}): {reason}: {}",
            String::from_utf8_lossy(body)
        )),
    }
}

/// Every example input laid out as its request.
pub fn seed_requests() -> Vec<SeedRequest> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/wickr/examples.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} cannot be read: {e}", path.display()));
    let examples: Vec<Value> = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not a list: {e}", path.display()));
    let mut seeds = Vec::new();
    for example in &examples {
        let operation = example["operation"].as_str().unwrap_or_default();
        let input = example.get("input").cloned().unwrap_or(Value::Null);
        match lay_out(operation, &input) {
            Some(Ok(seed)) => seeds.push(seed),
            Some(Err(e)) => panic!("{e}"),
            None => panic!("{operation} is not an operation"),
        }
    }
    seeds
}

/// A request as the emulator receives it.
#[derive(Clone)]
pub struct RequestCase {
    /// The operation the request started from (its method or path may no longer say so).
    pub seed: &'static str,
    pub method: &'static str,
    /// Path and query string, as sent on the request line.
    pub target: Bytes,
    pub headers: Vec<(&'static str, Bytes)>,
    pub body: Bytes,
}

impl RequestCase {
    /// The seed request as it is, unchanged.
    pub fn unchanged(seed: &SeedRequest) -> Self {
        RequestCase {
            seed: seed.operation,
            method: seed.method,
            target: Bytes(seed.target.clone().into_bytes()),
            headers: seed
                .headers
                .iter()
                .map(|(n, v)| (*n, Bytes(v.clone().into_bytes())))
                .collect(),
            body: Bytes(
                seed.body
                    .as_ref()
                    .map(|b| b.to_string().into_bytes())
                    .unwrap_or_default(),
            ),
        }
    }
}

impl fmt::Debug for RequestCase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "RequestCase {{")?;
        writeln!(f, "    seed: {:?},", self.seed)?;
        writeln!(f, "    method: {:?},", self.method)?;
        writeln!(f, "    target: Bytes({:?}.to_vec()),", self.target)?;
        writeln!(f, "    headers: vec![")?;
        for (name, value) in &self.headers {
            writeln!(f, "        ({name:?}, Bytes({value:?}.to_vec())),")?;
        }
        writeln!(f, "    ],")?;
        writeln!(f, "    body: Bytes({:?}.to_vec()),", self.body)?;
        write!(f, "}}")
    }
}

/// Bytes a header value may hold: tab, space to `~`, and 0x80 to 0xff.
fn header_value() -> impl Strategy<Value = Vec<u8>> + Clone {
    prop::collection::vec(prop_oneof![Just(b'\t'), 0x20u8..0x7f, 0x80u8..=0xff], 0..80)
}

/// Changed requests: the method in one case of ten, the path and query string in one of two,
/// the body in most, headers in some.
pub fn requests(seeds: Vec<SeedRequest>) -> impl Strategy<Value = RequestCase> {
    let bodies: Vec<Value> = seeds.iter().filter_map(|s| s.body.clone()).collect();
    let (keys, strings) = vocabulary(&bodies, &["nextToken", "maxResults", "clientToken"]);
    let (keys, strings) = (Arc::new(keys), Arc::new(strings));
    let limits = Limits {
        max_long: 70_000,
        max_depth: 200,
    };
    let seeds = Arc::new(seeds);
    let count = seeds.len();
    let method = prop_oneof![
        9 => Just(None),
        1 => prop::sample::select(vec!["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
            .prop_map(Some),
    ];
    let target_edits = prop_oneof![
        1 => Just(Vec::new()),
        1 => bytes::edits(HTTP_TOKENS, 3, 300),
    ];
    let json_edits = prop::collection::vec(edit(keys, strings, limits), 0..=4);
    let body_bytes = prop_oneof![
        3 => Just(Vec::new()),
        1 => bytes::edits(fuzzing::bytes::JSON_TOKENS, 2, 70_000),
    ];
    let extra_headers = prop::collection::vec(
        (
            prop::sample::select(vec!["x-client-token", "content-type", "content-encoding"]),
            prop_oneof![
                2 => header_value(),
                1 => prop::sample::select(vec!["application/json", "text/plain", "gzip", ""])
                    .prop_map(|s| s.as_bytes().to_vec()),
            ],
        ),
        0..3,
    );
    (
        0..count,
        method,
        target_edits,
        json_edits,
        body_bytes,
        extra_headers,
    )
        .prop_map(
            move |(i, method, target_edits, json_edits, body_edits, extra)| {
                let seed = &seeds[i];
                let mut target = seed.target.clone().into_bytes();
                bytes::apply(&mut target, &target_edits);
                let mut body = match &seed.body {
                    Some(value) => render(value, &json_edits),
                    None if json_edits.is_empty() => Vec::new(),
                    None => render(&Value::Object(Default::default()), &json_edits),
                };
                bytes::apply(&mut body, &body_edits);
                let mut headers: Vec<(&'static str, Bytes)> = seed
                    .headers
                    .iter()
                    .map(|(name, value)| (*name, Bytes(value.clone().into_bytes())))
                    .collect();
                // A replaced header takes the place of the seed's.
                for (name, value) in extra {
                    headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
                    headers.push((name, Bytes(value)));
                }
                RequestCase {
                    seed: seed.operation,
                    method: method.unwrap_or(seed.method),
                    target: Bytes(target),
                    headers,
                    body: Bytes(body),
                }
            },
        )
}
