//! Every `smithy.api#examples` entry of the AWS-published model, run through the generated
//! operations.
//!
//! The examples come from `fixtures/wickr/examples.json` (written from the published model by
//! `cargo xtask fixtures`, facts only). The HTTP bindings, shapes and errors come from the
//! project's own model, `model/wickr.json`, which `xtask/tests/model_matches_reference.rs` proves
//! equal to the published model in every shape, member and trait.
//!
//! For each example the input is read into the operation's input type (by member name, every key a
//! member) and serialized with `OperationShape::serialize`. The expected request is worked out
//! here, from the model's HTTP bindings alone, by a small restJson1 oracle: method, path with
//! percent-encoded labels, query parameters (compared as a multiset), bound headers and the JSON
//! body made of the body members. Output examples are answered as a 2xx response, deserialized,
//! and serialized back to JSON to compare with the example; error examples are answered with the
//! error's status, `X-Amzn-Errortype` and the example content, and the decoded error is compared
//! with that content. Example inputs must also pass our validation, since Smithy requires
//! examples to meet the model's constraints.
//!
//! All failures are collected and reported together, one line per example.
//!
//! A second test answers every operation with 2xx bodies that leave out members (empty, `{}`, and
//! nested structures with no members), which a Smithy client reads with zero values.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use serde_json::{Map, Value};
use wickr_admin::json::{self, FromJson, ToJson};
use wickr_admin::operation_shape::{DeserializeError, OperationShape, ResponseParts};
use wickr_admin::types::error::{
    BadRequestError, ForbiddenError, InternalServerError, RateLimitError, ResourceNotFoundError,
    UnauthorizedError, ValidationError,
};

const NAMESPACE: &str = "com.amazonaws.wickr#";
const EXPECTED_EXAMPLES: usize = 110;
const EXPECTED_OPERATIONS: usize = 44;

/// A file of the repository, by its path from the workspace root.
fn workspace_file(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{} cannot be read: {e}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()))
}

/// The published model's examples, by operation name, each operation's in model order.
struct Examples {
    by_operation: BTreeMap<String, Vec<Value>>,
    total: usize,
}

impl Examples {
    fn load() -> Self {
        let path = workspace_file("fixtures/wickr/examples.json");
        let list = match read_json(&path) {
            Value::Array(list) => list,
            other => panic!("{} is not a list of examples: {other}", path.display()),
        };
        let total = list.len();
        let mut by_operation: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for (index, example) in list.into_iter().enumerate() {
            let Some(operation) = example["operation"].as_str() else {
                panic!("example {index} of {} names no operation", path.display());
            };
            by_operation
                .entry(operation.to_owned())
                .or_default()
                .push(example);
        }
        Self {
            by_operation,
            total,
        }
    }

    fn of(&self, operation: &str) -> &[Value] {
        self.by_operation.get(operation).map_or(&[], Vec::as_slice)
    }
}

/// The model's shapes, keyed by absolute shape id.
struct Model {
    shapes: Map<String, Value>,
}

impl Model {
    fn load() -> Self {
        let path = workspace_file("model/wickr.json");
        let root = read_json(&path);
        let shapes = root
            .get("shapes")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_else(|| panic!("{} has no `shapes` object", path.display()));
        Self { shapes }
    }

    fn shape(&self, id: &str) -> Option<&Value> {
        self.shapes.get(id)
    }

    fn operation_names(&self) -> BTreeSet<String> {
        self.shapes
            .iter()
            .filter(|(_, shape)| shape["type"] == "operation")
            .filter_map(|(id, _)| id.strip_prefix(NAMESPACE).map(str::to_owned))
            .collect()
    }

    /// The shape type of a member target (`string`, `timestamp`, `list`, ...).
    fn target_type<'a>(&'a self, target: &'a str) -> &'a str {
        if let Some(prelude) = target.strip_prefix("smithy.api#") {
            return match prelude {
                "String" => "string",
                "Boolean" | "PrimitiveBoolean" => "boolean",
                "Integer" | "PrimitiveInteger" => "integer",
                "Long" | "PrimitiveLong" => "long",
                "Timestamp" => "timestamp",
                other => other,
            };
        }
        self.shape(target)
            .and_then(|s| s["type"].as_str())
            .unwrap_or("unknown")
    }
}

fn empty_map() -> &'static Map<String, Value> {
    static EMPTY: OnceLock<Map<String, Value>> = OnceLock::new();
    EMPTY.get_or_init(Map::new)
}

/// Where a member of an input structure goes in the HTTP request.
enum Binding {
    Label,
    Query(String),
    Header(String),
    Body,
}

struct Member<'a> {
    name: &'a str,
    target: &'a str,
    traits: &'a Map<String, Value>,
    binding: Binding,
}

fn members<'a>(model: &'a Model, structure_id: &str) -> Result<Vec<Member<'a>>, String> {
    let shape = model
        .shape(structure_id)
        .ok_or_else(|| format!("structure {structure_id} is missing from the model"))?;
    let Some(members) = shape["members"].as_object() else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (name, member) in members {
        let traits = member["traits"].as_object().unwrap_or_else(|| empty_map());
        for unsupported in [
            "smithy.api#jsonName",
            "smithy.api#httpPayload",
            "smithy.api#httpPrefixHeaders",
            "smithy.api#httpQueryParams",
        ] {
            if traits.contains_key(unsupported) {
                return Err(format!(
                    "{structure_id}${name} uses {unsupported}, which this oracle does not model"
                ));
            }
        }
        let binding = if traits.contains_key("smithy.api#httpLabel") {
            Binding::Label
        } else if let Some(key) = traits.get("smithy.api#httpQuery").and_then(Value::as_str) {
            Binding::Query(key.to_owned())
        } else if let Some(key) = traits.get("smithy.api#httpHeader").and_then(Value::as_str) {
            Binding::Header(key.to_owned())
        } else {
            Binding::Body
        };
        let target = member["target"]
            .as_str()
            .ok_or_else(|| format!("{structure_id}${name} has no target"))?;
        out.push(Member {
            name,
            target,
            traits,
            binding,
        });
    }
    Ok(out)
}

/// Percent-encodes everything but RFC 3986 unreserved characters (and `/` when `keep_slash`).
fn encode(text: &str, keep_slash: bool) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'.' | b'_' | b'~')
            || (keep_slash && byte == b'/');
        if keep {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// The text form of a scalar bound to a label, query parameter or header.
fn scalar_text(
    model: &Model,
    member: &Member<'_>,
    value: &Value,
    default_timestamp_format: &str,
) -> Result<String, String> {
    let kind = model.target_type(member.target);
    match (kind, value) {
        ("timestamp", _) => {
            let format = member
                .traits
                .get("smithy.api#timestampFormat")
                .or_else(|| {
                    model
                        .shape(member.target)
                        .and_then(|s| s["traits"].get("smithy.api#timestampFormat"))
                })
                .and_then(Value::as_str)
                .unwrap_or(default_timestamp_format);
            match (format, value) {
                ("epoch-seconds", Value::Number(n)) => Ok(n.to_string()),
                _ => Err(format!(
                    "oracle cannot render timestamp {value} of `{}` as {format}",
                    member.name
                )),
            }
        }
        (_, Value::String(s)) => Ok(s.clone()),
        (_, Value::Bool(b)) => Ok(b.to_string()),
        (_, Value::Number(n)) => Ok(n.to_string()),
        _ => Err(format!(
            "oracle cannot render {value} of `{}` ({kind}) as text",
            member.name
        )),
    }
}

/// The request the restJson1 rules give for an example input.
#[derive(Debug, PartialEq)]
struct ExpectedRequest {
    method: String,
    path: String,
    query: Vec<String>,
    headers: Vec<(String, String)>,
    body: Option<Value>,
}

/// `Ok(None)` when the input lacks a label, so no request can be built.
fn expected_request(
    model: &Model,
    operation: &Value,
    input: &Map<String, Value>,
) -> Result<Option<ExpectedRequest>, String> {
    let http = &operation["traits"]["smithy.api#http"];
    let method = http["method"]
        .as_str()
        .ok_or("operation has no smithy.api#http method")?;
    let template = http["uri"]
        .as_str()
        .ok_or("operation has no smithy.api#http uri")?;
    let input_id = operation["input"]["target"]
        .as_str()
        .ok_or("operation has no input")?;
    let members = members(model, input_id)?;
    for key in input.keys() {
        if !members.iter().any(|m| m.name == key) {
            return Err(format!("example input member `{key}` is not in {input_id}"));
        }
    }

    let (path_template, literal_query) = match template.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (template, None),
    };

    let mut path = String::new();
    let mut rest = path_template;
    while let Some(start) = rest.find('{') {
        path.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .map(|i| start + i)
            .ok_or_else(|| format!("unbalanced label in {template}"))?;
        let label = &rest[start + 1..end];
        let (name, greedy) = match label.strip_suffix('+') {
            Some(name) => (name, true),
            None => (label, false),
        };
        let member = members
            .iter()
            .find(|m| m.name == name)
            .ok_or_else(|| format!("label {name} has no member"))?;
        let Some(value) = input.get(name) else {
            return Ok(None);
        };
        let text = scalar_text(model, member, value, "date-time")?;
        if text.is_empty() {
            return Ok(None);
        }
        path.push_str(&encode(&text, greedy));
        rest = &rest[end + 1..];
    }
    path.push_str(rest);

    let mut query: Vec<String> = literal_query
        .map(|q| {
            q.split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    if p.contains('=') {
                        p.to_owned()
                    } else {
                        format!("{p}=")
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let mut headers = Vec::new();
    let mut body = Map::new();
    let mut has_body_members = false;
    for member in &members {
        let value = input.get(member.name).filter(|v| !v.is_null());
        match &member.binding {
            Binding::Label => {}
            Binding::Query(key) => match value {
                None => {}
                Some(Value::Array(items)) => {
                    for item in items {
                        let text = scalar_text(model, member, item, "date-time")?;
                        query.push(format!("{}={}", encode(key, false), encode(&text, false)));
                    }
                }
                Some(value) => {
                    let text = scalar_text(model, member, value, "date-time")?;
                    query.push(format!("{}={}", encode(key, false), encode(&text, false)));
                }
            },
            Binding::Header(name) => match value {
                None => {}
                Some(Value::Array(items)) => {
                    let texts = items
                        .iter()
                        .map(|item| scalar_text(model, member, item, "http-date"))
                        .collect::<Result<Vec<_>, _>>()?;
                    headers.push((name.to_ascii_lowercase(), texts.join(", ")));
                }
                Some(value) => {
                    let text = scalar_text(model, member, value, "http-date")?;
                    headers.push((name.to_ascii_lowercase(), text));
                }
            },
            Binding::Body => {
                has_body_members = true;
                if let Some(value) = value {
                    body.insert(member.name.to_owned(), value.clone());
                }
            }
        }
    }
    let body = has_body_members.then_some(Value::Object(body));
    if body.is_some() {
        headers.push(("content-type".to_owned(), "application/json".to_owned()));
    }
    query.sort();
    headers.sort();
    Ok(Some(ExpectedRequest {
        method: method.to_owned(),
        path,
        query,
        headers,
        body,
    }))
}

/// The request our serializer produced, in the same comparable form.
fn actual_request(
    request: &wickr_admin::operation_shape::SerializedRequest,
) -> Result<ExpectedRequest, String> {
    let (path, query) = match request.uri.split_once('?') {
        Some((path, query)) => (path, query),
        None => (request.uri.as_str(), ""),
    };
    let mut query: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    query.sort();
    let mut headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|(name, value)| (name.to_ascii_lowercase(), value.clone()))
        .collect();
    headers.sort();
    let body = match &request.body {
        None => None,
        Some(bytes) => Some(
            serde_json::from_slice::<Value>(bytes)
                .map_err(|e| format!("request body is not JSON ({e}): {bytes:?}"))?,
        ),
    };
    Ok(ExpectedRequest {
        method: request.method.to_owned(),
        path: path.to_owned(),
        query,
        headers,
        body,
    })
}

fn describe_request_difference(expected: &ExpectedRequest, actual: &ExpectedRequest) -> String {
    let mut parts = Vec::new();
    if expected.method != actual.method {
        parts.push(format!(
            "method: expected {} got {}",
            expected.method, actual.method
        ));
    }
    if expected.path != actual.path {
        parts.push(format!(
            "path: expected {} got {}",
            expected.path, actual.path
        ));
    }
    if expected.query != actual.query {
        parts.push(format!(
            "query: expected {:?} got {:?}",
            expected.query, actual.query
        ));
    }
    if expected.headers != actual.headers {
        parts.push(format!(
            "headers: expected {:?} got {:?}",
            expected.headers, actual.headers
        ));
    }
    if expected.body != actual.body {
        parts.push(format!(
            "body: expected {} got {}",
            show(&expected.body),
            show(&actual.body)
        ));
    }
    parts.join("; ")
}

fn show(value: &Option<Value>) -> String {
    match value {
        None => "no body".to_owned(),
        Some(value) => value.to_string(),
    }
}

/// The decoded modeled error inside an operation error, as JSON by member name.
fn modeled_error_content(error: &(dyn std::error::Error + 'static)) -> Option<Value> {
    let inner = error.source()?;
    macro_rules! as_json {
        ($($ty:ty),*) => {
            $(
                if let Some(e) = inner.downcast_ref::<$ty>() {
                    return Some(json::to_value(e));
                }
            )*
        };
    }
    as_json!(
        BadRequestError,
        ForbiddenError,
        InternalServerError,
        RateLimitError,
        ResourceNotFoundError,
        UnauthorizedError,
        ValidationError
    );
    None
}

#[derive(Default)]
struct Report {
    checked: usize,
    requests_compared: usize,
    query_parameters_compared: usize,
    outputs_compared: usize,
    errors_compared: usize,
    operations: BTreeSet<String>,
    failures: Vec<String>,
}

impl Report {
    fn fail(&mut self, operation: &str, title: &str, what: impl std::fmt::Display) {
        self.failures
            .push(format!("{operation} / \"{title}\": {what}"));
    }
}

fn run_operation<Op>(model: &Model, examples: &Examples, report: &mut Report)
where
    Op: OperationShape,
    Op::Input: FromJson,
    Op::Output: ToJson,
{
    let name = Op::NAME;
    report.operations.insert(name.to_owned());
    let Some(operation) = model.shape(&format!("{NAMESPACE}{name}")) else {
        report.fail(name, "-", "operation is not in model/wickr.json");
        return;
    };
    for (index, example) in examples.of(name).iter().enumerate() {
        let title = format!("example {}", index + 1);
        report.checked += 1;
        check_example::<Op>(model, operation, example, &title, report);
    }
}

fn check_example<Op>(
    model: &Model,
    operation: &Value,
    example: &Value,
    title: &str,
    report: &mut Report,
) where
    Op: OperationShape,
    Op::Input: FromJson,
    Op::Output: ToJson,
{
    let name = Op::NAME;
    let empty = Map::new();
    let input_json = example["input"].as_object().unwrap_or(&empty);

    // Request side.
    match json::from_value::<Op::Input>(Value::Object(input_json.clone())) {
        Err(e) => report.fail(
            name,
            title,
            format!("input does not read into our type: {e}"),
        ),
        Ok(input) => {
            // Smithy requires example inputs to meet the model's constraints unless the example
            // says `allowConstraintErrors`, so our validation must accept them.
            let constraint_errors_allowed = example["allowConstraintErrors"] == Value::Bool(true);
            if let Err(e) = Op::validate(&input) {
                if !constraint_errors_allowed {
                    report.fail(name, title, format!("valid input rejected: {e}"));
                }
            }
            check_request::<Op>(model, operation, input_json, &input, title, report);
        }
    }

    // Response side.
    let mut headers = http::HeaderMap::new();
    headers.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    if let Some(output) = example.get("output") {
        check_output::<Op>(operation, output, &headers, title, report);
    } else if let Some(error) = example.get("error") {
        check_error::<Op>(model, operation, error, headers, title, report);
    }
}

fn check_request<Op: OperationShape>(
    model: &Model,
    operation: &Value,
    input_json: &Map<String, Value>,
    input: &Op::Input,
    title: &str,
    report: &mut Report,
) {
    let name = Op::NAME;
    match (
        expected_request(model, operation, input_json),
        Op::serialize(input),
    ) {
        (Err(oracle), _) => report.fail(name, title, format!("oracle: {oracle}")),
        (Ok(None), Ok(request)) => report.fail(
            name,
            title,
            format!("a label is missing, yet serialize produced {}", request.uri),
        ),
        (Ok(None), Err(_)) => {}
        (Ok(Some(_)), Err(e)) => {
            report.fail(name, title, format!("serialize failed: {e}"));
        }
        (Ok(Some(expected)), Ok(request)) => match actual_request(&request) {
            Err(e) => report.fail(name, title, e),
            Ok(actual) if actual != expected => {
                report.fail(name, title, describe_request_difference(&expected, &actual))
            }
            Ok(_) => {
                report.requests_compared += 1;
                report.query_parameters_compared += expected.query.len();
            }
        },
    }
}

fn check_output<Op>(
    operation: &Value,
    output: &Value,
    headers: &http::HeaderMap,
    title: &str,
    report: &mut Report,
) where
    Op: OperationShape,
    Op::Output: ToJson,
{
    let name = Op::NAME;
    let status = operation["traits"]["smithy.api#http"]["code"]
        .as_u64()
        .and_then(|c| u16::try_from(c).ok())
        .unwrap_or(200);
    let body = output.to_string();
    let parsed = Op::deserialize(ResponseParts {
        status,
        headers,
        body: body.as_bytes(),
    });
    match parsed {
        Err(DeserializeError::Malformed(e)) => {
            report.fail(name, title, format!("output rejected as malformed: {e}"))
        }
        Err(DeserializeError::Service(e)) => {
            report.fail(name, title, format!("output read as an error: {e}"))
        }
        Ok(parsed) => match json::to_value(&parsed) {
            round_trip if &round_trip != output => report.fail(
                name,
                title,
                format!("output differs: expected {output} got {round_trip}"),
            ),
            _ => report.outputs_compared += 1,
        },
    }
}

fn check_error<Op>(
    model: &Model,
    operation: &Value,
    error: &Value,
    mut headers: http::HeaderMap,
    title: &str,
    report: &mut Report,
) where
    Op: OperationShape,
{
    let name = Op::NAME;
    let Some(shape_id) = error["shapeId"].as_str() else {
        report.fail(name, title, "error example has no shapeId");
        return;
    };
    let error_name = shape_id.strip_prefix(NAMESPACE).unwrap_or(shape_id);
    let listed = operation["errors"]
        .as_array()
        .is_some_and(|errors| errors.iter().any(|e| e["target"] == shape_id));
    if !listed {
        report.fail(
            name,
            title,
            format!("{error_name} is not an error of the operation"),
        );
    }
    let Some(status) = model
        .shape(shape_id)
        .and_then(|s| s["traits"]["smithy.api#httpError"].as_u64())
        .and_then(|c| u16::try_from(c).ok())
    else {
        report.fail(name, title, format!("{error_name} has no httpError status"));
        return;
    };
    let content = error
        .get("content")
        .cloned()
        .unwrap_or(Value::Object(Map::new()));
    let Ok(error_type) = http::HeaderValue::from_str(error_name) else {
        report.fail(name, title, format!("{error_name} is not a header value"));
        return;
    };
    headers.insert("x-amzn-errortype", error_type);
    let body = content.to_string();
    let parsed = Op::deserialize(ResponseParts {
        status,
        headers: &headers,
        body: body.as_bytes(),
    });
    match parsed {
        Ok(_) => report.fail(
            name,
            title,
            format!("{status} {error_name} read as a success"),
        ),
        Err(DeserializeError::Malformed(e)) => {
            report.fail(name, title, format!("error rejected as malformed: {e}"))
        }
        Err(DeserializeError::Service(e)) => {
            if e.code() != Some(error_name) {
                report.fail(
                    name,
                    title,
                    format!("error code: expected {error_name} got {:?}", e.code()),
                );
            }
            let expected_message = content.get("message").and_then(Value::as_str);
            if e.message() != expected_message {
                report.fail(
                    name,
                    title,
                    format!(
                        "error message: expected {expected_message:?} got {:?}",
                        e.message()
                    ),
                );
            }
            match modeled_error_content(&e) {
                None => report.fail(
                    name,
                    title,
                    format!("{error_name} did not decode to a modeled error: {e:?}"),
                ),
                Some(decoded) if decoded != content => report.fail(
                    name,
                    title,
                    format!("error content: expected {content} got {decoded}"),
                ),
                Some(_) => report.errors_compared += 1,
            }
        }
    }
}

/// `BatchCreateUser` -> `batch-create-user` (the model's operation names have no acronyms).
fn kebab_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

macro_rules! every_operation {
    ($(($cli_name:literal, $operation:path)),* $(,)?) => {
        fn run_every_operation(model: &Model, examples: &Examples, report: &mut Report) {
            $(
                let name = <$operation as OperationShape>::NAME;
                if kebab_case(name) != $cli_name {
                    report.fail(name, "-", format!("listed as `{}`", $cli_name));
                }
                run_operation::<$operation>(model, examples, report);
            )*
        }
    };
}

wickr_admin::for_each_operation!(every_operation);

#[test]
fn every_reference_example_round_trips() {
    let model = Model::load();
    let examples = Examples::load();
    let mut report = Report::default();
    run_every_operation(&model, &examples, &mut report);

    let in_model = model.operation_names();
    assert_eq!(
        in_model.len(),
        EXPECTED_OPERATIONS,
        "the model should have {EXPECTED_OPERATIONS} operations"
    );
    assert_eq!(
        report.operations, in_model,
        "the generated operations and the model's operations differ"
    );
    assert!(
        report.failures.is_empty(),
        "{} problem(s) in {} examples:\n{}",
        report.failures.len(),
        report.checked,
        report.failures.join("\n")
    );
    assert_eq!(
        examples.total, EXPECTED_EXAMPLES,
        "the published model has {EXPECTED_EXAMPLES} examples"
    );
    assert_eq!(
        report.checked,
        examples.total,
        "every example should be checked; examples of operations that are not generated: {:?}",
        examples
            .by_operation
            .keys()
            .filter(|name| !report.operations.contains(*name))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        report.requests_compared, report.checked,
        "every example's request should be compared"
    );
    assert_eq!(
        report.outputs_compared + report.errors_compared,
        report.checked,
        "every example's output or error should be compared"
    );
    assert!(
        report.query_parameters_compared > 0 && report.errors_compared > 0,
        "the examples should exercise query parameters and errors"
    );
}

#[test]
fn oracle_encodes_labels_and_queries_strictly() {
    assert_eq!(encode("a b/c:d~e", false), "a%20b%2Fc%3Ad~e");
    assert_eq!(encode("a b/c", true), "a%20b/c");
    assert_eq!(encode("é+", false), "%C3%A9%2B");
}

macro_rules! every_operation_reads_empty_answers {
    ($(($cli_name:literal, $operation:path)),* $(,)?) => {
        fn read_empty_answers(model: &Model, failures: &mut Vec<String>) -> usize {
            let headers = http::HeaderMap::new();
            let mut count = 0;
            $(
                count += 1;
                let name = <$operation as OperationShape>::NAME;
                let skeleton_body = model
                    .shape(&format!("{NAMESPACE}{name}"))
                    .and_then(|op| op["output"]["target"].as_str())
                    .map(|output| skeleton(model, output, 0).to_string())
                    .unwrap_or_default();
                for body in [&b"{}"[..], &b""[..], skeleton_body.as_bytes()] {
                    let parsed = <$operation as OperationShape>::deserialize(ResponseParts {
                        status: 200,
                        headers: &headers,
                        body,
                    });
                    if let Err(e) = parsed {
                        let reason = match e {
                            DeserializeError::Malformed(reason) => reason,
                            DeserializeError::Service(e) => e.to_string(),
                        };
                        failures.push(format!(
                            "{} with body {:?}: {reason}",
                            <$operation as OperationShape>::NAME,
                            String::from_utf8_lossy(body)
                        ));
                    }
                }
            )*
            count
        }
    };
}

wickr_admin::for_each_operation!(every_operation_reads_empty_answers);

/// An answer for a structure with no scalar members: every nested structure is `{}` (filled the
/// same way) and every list of structures holds one such element, so required members are left
/// out at every depth.
fn skeleton(model: &Model, shape_id: &str, depth: usize) -> Value {
    let Some(shape) = model.shape(shape_id) else {
        return Value::Null;
    };
    match shape["type"].as_str() {
        Some("structure") => {
            let mut object = Map::new();
            if depth < 6 {
                for (name, member) in shape["members"].as_object().into_iter().flatten() {
                    let target = member["target"].as_str().unwrap_or_default();
                    let value = skeleton(model, target, depth + 1);
                    if !value.is_null() {
                        object.insert(name.clone(), value);
                    }
                }
            }
            Value::Object(object)
        }
        Some("list") => {
            let element = shape["member"]["target"].as_str().unwrap_or_default();
            match skeleton(model, element, depth + 1) {
                Value::Null => Value::Null,
                value => Value::Array(vec![value]),
            }
        }
        _ => Value::Null,
    }
}

/// restJson1 reads an empty 2xx body as `{}`, and Smithy clients fill required members that an
/// answer leaves out with their zero values (client error correction), so every operation must
/// accept a 2xx answer that leaves out members, at the top level or nested.
#[test]
fn every_operation_reads_a_2xx_answer_without_members() {
    let model = Model::load();
    let mut failures = Vec::new();
    let operations = read_empty_answers(&model, &mut failures);
    assert_eq!(operations, EXPECTED_OPERATIONS);
    assert!(
        failures.is_empty(),
        "{} operation answer(s) rejected:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
