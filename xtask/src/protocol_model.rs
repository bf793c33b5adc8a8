//! The restJson1 protocol tests as a Smithy model: converts the committed fixtures (botocore's
//! test format: one service-model fragment and its cases per suite) into one Smithy 2.0 JSON AST
//! whose operations carry their cases as `smithy.test#httpRequestTests` and
//! `smithy.test#httpResponseTests`, and whose error shapes carry theirs.
//!
//! Suites that name the same shape or operation must agree on it: the request suites give an
//! operation its input, the response suites its output and errors. A disagreement is an error
//! naming the shape, never a silent choice.
//!
//! This is test tooling: `cargo xtask codegen` writes the model, then generates the test crate
//! from it with the real generator.

mod cases;
mod shapes;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde_json::{json, Map, Value};

/// The converted model's namespace.
pub const NAMESPACE: &str = "aws.protocoltests.restjson";
/// The converted model's service shape.
pub const SERVICE: &str = "aws.protocoltests.restjson#RestJson";
/// The request cases, relative to the workspace root.
pub const INPUT_CASES: &str = "fixtures/protocol-tests/rest-json/input.json";
/// The response cases, relative to the workspace root.
pub const OUTPUT_CASES: &str = "fixtures/protocol-tests/rest-json/output.json";

/// The absolute id of a botocore shape name.
fn shape_id(name: &str) -> String {
    format!("{NAMESPACE}#{name}")
}

/// One operation as the suites describe it, merged.
#[derive(Default)]
struct Operation {
    /// The `given` facts every suite must agree on (method, URI, flags), as JSON.
    given: Option<Value>,
    input: Option<String>,
    output: Option<String>,
    errors: Vec<String>,
    request_tests: Vec<Value>,
    response_tests: Vec<Value>,
}

/// What the conversion builds up.
#[derive(Default)]
struct Converted {
    /// Smithy shapes by absolute id.
    shapes: BTreeMap<String, Value>,
    /// Which suite first defined each botocore shape, and its definition, to catch disagreements.
    botocore: BTreeMap<String, (String, Value)>,
    operations: BTreeMap<String, Operation>,
    /// Error shape id to its response tests.
    error_tests: BTreeMap<String, Vec<Value>>,
    /// The API version all suites share.
    api_version: Option<String>,
}

/// Reads the two fixture files under `root` and returns the model's JSON text.
pub fn model_from_fixtures(root: &Path) -> Result<String, String> {
    let input = read(&root.join(INPUT_CASES))?;
    let output = read(&root.join(OUTPUT_CASES))?;
    let mut model = convert(&input, &output)?;
    // Every object's keys sorted, whether or not serde_json keeps insertion order in this build
    // (a feature another crate of a test build turns on), so the text is the same in both.
    model.sort_all_objects();
    let mut text = serde_json::to_string_pretty(&model)
        .map_err(|e| format!("cannot write the protocol test model: {e}"))?;
    text.push('\n');
    Ok(text)
}

fn read(path: &Path) -> Result<Value, String> {
    let text =
        fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))
}

/// Converts the request suites and the response suites into one model.
pub fn convert(input: &Value, output: &Value) -> Result<Value, String> {
    let mut converted = Converted::default();
    for (file, suites, request) in [("input", input, true), ("output", output, false)] {
        let suites = suites
            .as_array()
            .ok_or_else(|| format!("{file}.json is not a list of suites"))?;
        for (i, suite) in suites.iter().enumerate() {
            let label = format!("{file}.json suite {i}");
            converted
                .suite(&label, suite, request)
                .map_err(|e| format!("{label}: {e}"))?;
        }
    }
    converted.finish()
}

impl Converted {
    fn suite(&mut self, label: &str, suite: &Value, request: bool) -> Result<(), String> {
        if let Some(version) = suite
            .pointer("/metadata/apiVersion")
            .and_then(Value::as_str)
        {
            match &self.api_version {
                Some(existing) if existing != version => {
                    return Err(format!(
                        "API version {version} differs from another suite's {existing}"
                    ))
                }
                _ => self.api_version = Some(version.to_owned()),
            }
        }
        let shapes = suite
            .get("shapes")
            .and_then(Value::as_object)
            .ok_or("no shapes object")?;
        for (name, shape) in shapes {
            self.shape(label, name, shape, shapes)?;
        }
        let endpoint = suite.get("clientEndpoint").and_then(Value::as_str);
        let cases = suite
            .get("cases")
            .and_then(Value::as_array)
            .ok_or("no cases list")?;
        for case in cases {
            let id = case
                .get("id")
                .and_then(Value::as_str)
                .ok_or("a case without an id")?;
            self.case(case, request, endpoint)
                .map_err(|e| format!("case {id}: {e}"))?;
        }
        Ok(())
    }

    fn shape(
        &mut self,
        label: &str,
        name: &str,
        shape: &Value,
        suite_shapes: &Map<String, Value>,
    ) -> Result<(), String> {
        if let Some((first, existing)) = self.botocore.get(name) {
            if existing != shape {
                return Err(format!(
                    "shape {name} differs from its definition in {first}; the converter keeps \
                     one definition per name"
                ));
            }
            return Ok(());
        }
        self.botocore
            .insert(name.to_owned(), (label.to_owned(), shape.clone()));
        let converted = shapes::convert_shape(name, shape, suite_shapes)?;
        for (id, value) in converted {
            self.shapes.insert(id, value);
        }
        Ok(())
    }

    fn case(&mut self, case: &Value, request: bool, endpoint: Option<&str>) -> Result<(), String> {
        let given = case.get("given").ok_or("no given operation")?;
        let name = given
            .get("name")
            .and_then(Value::as_str)
            .ok_or("the given operation has no name")?;
        let facts = operation_facts(given);
        let op = self.operations.entry(name.to_owned()).or_default();
        match &op.given {
            Some(existing) if *existing != facts => {
                return Err(format!(
                    "operation {name} is given as {facts}, but another case gives {existing}"
                ))
            }
            _ => op.given = Some(facts),
        }
        let shape_of = |key: &str| -> Option<String> {
            given
                .pointer(&format!("/{key}/shape"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        for (slot, key) in [(&mut op.input, "input"), (&mut op.output, "output")] {
            if let Some(shape) = shape_of(key) {
                match slot {
                    Some(existing) if *existing != shape => {
                        return Err(format!(
                            "operation {name} has {key} {shape} here and {existing} elsewhere"
                        ))
                    }
                    _ => *slot = Some(shape),
                }
            }
        }
        for error in given
            .get("errors")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let error = error
                .get("shape")
                .and_then(Value::as_str)
                .ok_or("an error without a shape")?;
            if !op.errors.iter().any(|e| e == error) {
                op.errors.push(error.to_owned());
            }
        }
        if request {
            op.request_tests.push(cases::request_test(case, endpoint)?);
        } else if let Some(code) = case.get("errorCode").and_then(Value::as_str) {
            let test = cases::error_test(case, name)?;
            self.error_tests
                .entry(shape_id(code))
                .or_default()
                .push(test);
        } else {
            op.response_tests.push(cases::response_test(case)?);
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Value, String> {
        let mut operations = Vec::new();
        for (name, op) in std::mem::take(&mut self.operations) {
            let id = shape_id(&name);
            let given = op.given.unwrap_or(Value::Null);
            let mut traits = Map::new();
            let http = given.get("http").cloned().unwrap_or(Value::Null);
            traits.insert(
                "smithy.api#http".into(),
                json!({
                    "method": http.get("method").cloned().unwrap_or(Value::Null),
                    "uri": http.get("requestUri").cloned().unwrap_or(Value::Null),
                    "code": http.get("responseCode").cloned().unwrap_or(json!(200)),
                }),
            );
            if given.get("idempotent") == Some(&Value::Bool(true)) {
                traits.insert("smithy.api#idempotent".into(), json!({}));
            }
            if let Some(prefix) = given.pointer("/endpoint/hostPrefix") {
                traits.insert(
                    "smithy.api#endpoint".into(),
                    json!({ "hostPrefix": prefix }),
                );
            }
            if given.get("httpChecksumRequired") == Some(&Value::Bool(true)) {
                traits.insert("smithy.api#httpChecksumRequired".into(), json!({}));
            }
            if let Some(encodings) = given.pointer("/requestcompression/encodings") {
                traits.insert(
                    "smithy.api#requestCompression".into(),
                    json!({ "encodings": encodings }),
                );
            }
            if !op.request_tests.is_empty() {
                traits.insert(
                    "smithy.test#httpRequestTests".into(),
                    Value::Array(op.request_tests),
                );
            }
            if !op.response_tests.is_empty() {
                traits.insert(
                    "smithy.test#httpResponseTests".into(),
                    Value::Array(op.response_tests),
                );
            }
            let mut shape = json!({ "type": "operation", "traits": traits });
            for (key, target) in [("input", &op.input), ("output", &op.output)] {
                if let Some(target) = target {
                    let target = shape_id(target);
                    if !self.shapes.contains_key(&target) {
                        return Err(format!("operation {name}: {key} {target} is not defined"));
                    }
                    shape[key] = json!({ "target": target });
                }
            }
            if !op.errors.is_empty() {
                shape["errors"] = op
                    .errors
                    .iter()
                    .map(|e| json!({ "target": shape_id(e) }))
                    .collect();
            }
            self.shapes.insert(id.clone(), shape);
            operations.push(json!({ "target": id }));
        }
        for (error, tests) in std::mem::take(&mut self.error_tests) {
            let shape = self
                .shapes
                .get_mut(&error)
                .ok_or_else(|| format!("an error case names {error}, which no suite defines"))?;
            shape["traits"]["smithy.test#httpResponseTests"] = Value::Array(tests);
        }
        self.shapes.insert(
            SERVICE.to_owned(),
            json!({
                "type": "service",
                "version": self.api_version.unwrap_or_default(),
                "operations": operations,
                "traits": {
                    "aws.protocols#restJson1": {},
                    "smithy.api#title": "restJson1 protocol tests",
                },
            }),
        );
        Ok(json!({ "smithy": "2.0", "shapes": self.shapes }))
    }
}

/// The facts of a `given` operation that every case naming it must share.
fn operation_facts(given: &Value) -> Value {
    let mut facts = given.clone();
    if let Some(map) = facts.as_object_mut() {
        for key in ["input", "output", "errors"] {
            map.remove(key);
        }
    }
    facts
}

#[cfg(test)]
mod tests;
