//! Responses made from the model's examples for the response readers' property tests: each
//! operation's example outputs and errors (`fixtures/wickr/examples.json`), changed by the edits of
//! the `fuzzing` crate, under statuses of every class and headers with odd bytes.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use fuzzing::json::{documents, Limits};
use fuzzing::proptest::prelude::*;
use fuzzing::Bytes;
use serde_json::{Map, Value};
use wickr_admin::schema::OperationInfo;

const NAMESPACE: &str = "com.amazonaws.wickr#";

/// Whether `text` would not print as one line, or would drive a terminal: a control character
/// (a line break, an escape) or a Unicode line or paragraph separator.
pub fn breaks_the_line(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() || c == '\u{2028}' || c == '\u{2029}')
}

/// One operation's examples.
#[derive(Clone, Debug, Default)]
pub struct OperationExamples {
    pub inputs: Vec<Value>,
    pub outputs: Vec<Value>,
    /// Error shape name and content.
    pub errors: Vec<(String, Value)>,
}

/// The model's examples by operation name.
pub fn examples() -> BTreeMap<String, OperationExamples> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/wickr/examples.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} cannot be read: {e}", path.display()));
    let list: Vec<Value> = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not a list of examples: {e}", path.display()));
    let mut out: BTreeMap<String, OperationExamples> = BTreeMap::new();
    for example in list {
        let Some(operation) = example["operation"].as_str() else {
            panic!("an example of {} names no operation", path.display());
        };
        let entry = out.entry(operation.to_owned()).or_default();
        if let Some(input) = example.get("input") {
            entry.inputs.push(input.clone());
        }
        if let Some(output) = example.get("output") {
            entry.outputs.push(output.clone());
        }
        if let Some(error) = example.get("error") {
            let shape = error["shapeId"].as_str().unwrap_or_default();
            let name = shape.strip_prefix(NAMESPACE).unwrap_or(shape).to_owned();
            let content = error
                .get("content")
                .cloned()
                .unwrap_or(Value::Object(Map::new()));
            entry.errors.push((name, content));
        }
    }
    out
}

/// A response as a reader receives it.
#[derive(Clone)]
pub struct ResponseCase {
    pub status: u16,
    pub headers: Vec<(&'static str, Bytes)>,
    pub body: Bytes,
}

/// Written as the Rust expression that builds the case, for a regression test.
impl fmt::Debug for ResponseCase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "ResponseCase {{")?;
        writeln!(f, "    status: {},", self.status)?;
        writeln!(f, "    headers: vec![")?;
        for (name, value) in &self.headers {
            writeln!(f, "        ({name:?}, Bytes({value:?}.to_vec())),")?;
        }
        writeln!(f, "    ],")?;
        writeln!(f, "    body: Bytes({:?}.to_vec()),", self.body)?;
        write!(f, "}}")
    }
}

impl ResponseCase {
    /// The headers as a header map. Every generated value is a valid header value (visible ASCII,
    /// spaces, tabs and bytes from 0x80); a value that is not would be a bug of the strategy.
    pub fn header_map(&self) -> Result<http::HeaderMap, String> {
        let mut map = http::HeaderMap::new();
        for (name, value) in &self.headers {
            let value = http::HeaderValue::from_bytes(value)
                .map_err(|_| format!("the strategy made an invalid value for {name}"))?;
            map.append(*name, value);
        }
        Ok(map)
    }
}

/// Statuses a service answers successfully with, and odd ones in the 2xx class.
fn success_status() -> impl Strategy<Value = u16> + Clone {
    prop_oneof![
        4 => Just(200u16),
        1 => prop::sample::select(vec![201u16, 202, 204, 206]),
        1 => 200u16..300,
    ]
}

/// Every other class: informational, redirects, client and server errors, and past 599.
fn other_status() -> impl Strategy<Value = u16> + Clone {
    prop_oneof![
        4 => prop::sample::select(vec![
            400u16, 401, 403, 404, 408, 409, 413, 422, 429, 500, 501, 502, 503, 504
        ]),
        1 => 100u16..200,
        1 => 300u16..400,
        1 => 400u16..600,
        1 => 600u16..1000,
    ]
}

/// Header names a reader looks at, and one it does not.
const HEADER_NAMES: &[&str] = &[
    "x-amzn-errortype",
    "x-amzn-requestid",
    "x-amz-request-id",
    "content-type",
    "content-length",
    "retry-after",
    "x-unmodeled",
];

/// A header value: an error code as a service may decorate it, text with odd bytes, or a long
/// run.
fn header_value(codes: Vec<String>) -> impl Strategy<Value = Bytes> + Clone {
    let decorated = (prop::sample::select(codes), 0..6usize).prop_map(|(code, how)| {
        Bytes(
            match how {
                0 => code,
                1 => format!("{NAMESPACE}{code}"),
                2 => format!("{code}:http://internal.amazon.com/coral/com.amazon.coral.validate/"),
                3 => format!(" {code} "),
                4 => format!("aws.protocoltests.restjson#{code}:"),
                _ => format!("{code}#"),
            }
            .into_bytes(),
        )
    });
    // Bytes a header value may hold: tab, space to `~`, and 0x80 to 0xff (obs-text).
    let odd_byte = prop_oneof![Just(b'\t'), 0x20u8..0x7f, 0x80u8..=0xff];
    prop_oneof![
        4 => decorated,
        3 => prop::collection::vec(odd_byte, 0..48).prop_map(Bytes),
        1 => prop::sample::select(vec![":", "#", "", "#:", "application/json", "0", "-1", "99999999999999999999"])
            .prop_map(|s| Bytes(s.as_bytes().to_vec())),
        1 => (1usize..9000).prop_map(|n| Bytes(vec![b'a'; n])),
    ]
}

fn headers(codes: Vec<String>) -> impl Strategy<Value = Vec<(&'static str, Bytes)>> + Clone {
    prop::collection::vec(
        (prop::sample::select(HEADER_NAMES), header_value(codes)),
        0..4,
    )
}

/// Responses for one operation: its example outputs under 2xx statuses, its example errors (and
/// the same content with the code in the body) under other statuses, and either under any status,
/// each changed by up to four JSON edits and two byte edits, or written from scratch.
pub fn responses(
    op: &OperationInfo,
    examples: &OperationExamples,
) -> impl Strategy<Value = ResponseCase> + Clone {
    let mut codes: Vec<String> = op.errors.iter().map(|e| (*e).to_owned()).collect();
    codes.push("UnknownError".to_owned());
    let mut outputs = examples.outputs.clone();
    if outputs.is_empty() {
        outputs.push(Value::Object(Map::new()));
    }
    let mut errors = Vec::new();
    for (name, content) in &examples.errors {
        errors.push(content.clone());
        if let Value::Object(map) = content {
            let mut with_code = map.clone();
            with_code.insert("code".into(), Value::from(name.as_str()));
            errors.push(Value::Object(with_code));
            let mut with_type = map.clone();
            with_type.insert("__type".into(), Value::from(format!("{NAMESPACE}{name}")));
            errors.push(Value::Object(with_type));
        }
    }
    errors.push(serde_json::json!({"message": "no such thing"}));
    let keys = [
        "code",
        "__type",
        "message",
        "Message",
        "reasons",
        "nextToken",
    ];
    let success_bodies = documents(outputs.clone(), &keys, Limits::default());
    let error_bodies = documents(errors.clone(), &keys, Limits::default());
    let mut all = outputs;
    all.extend(errors);
    let any_bodies = documents(all, &keys, Limits::default());
    let error_type = (prop::sample::select(codes.clone()), other_status())
        .prop_map(|(c, s)| (s, vec![("x-amzn-errortype", Bytes(c.into_bytes()))]));
    prop_oneof![
        3 => (success_status(), headers(codes.clone()), success_bodies).prop_map(
            |(status, headers, body)| ResponseCase { status, headers, body }
        ),
        3 => (error_type, headers(codes.clone()), error_bodies).prop_map(
            |((status, mut typed), more, body)| {
                typed.extend(more);
                ResponseCase { status, headers: typed, body }
            }
        ),
        1 => (100u16..1000, headers(codes), any_bodies).prop_map(
            |(status, headers, body)| ResponseCase { status, headers, body }
        ),
    ]
}
