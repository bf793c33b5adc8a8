//! Every operation's response reader (`OperationShape::deserialize`) on mutated and random
//! responses: the model's example outputs and errors cut short, with bytes flipped, keys added or
//! repeated, values of the wrong type, huge numbers, long and invalid strings and deep nesting,
//! under statuses of every class and headers with odd bytes.
//!
//! For every case the reader returns, without panicking, a typed result that agrees with the
//! status: an output only for a 2xx, a service error only for anything else (its `Display` one
//! line with no control character, whatever the body held), and otherwise a
//! `Malformed` reason that is not empty and not longer than [`MAX_REASON_BYTES`] (the body is not
//! echoed). An output it reads, written back as JSON, reads back the same.
//!
//! The operations come from `wickr_admin::for_each_operation!`, so a new operation is covered
//! without a change here. `cargo xtask fuzz --target responses` runs the same property longer.

mod response_cases;

use std::collections::BTreeMap;
use std::fmt;

use fuzzing::json::nested;
use fuzzing::proptest::prelude::*;
use response_cases::{breaks_the_line, examples, responses, OperationExamples, ResponseCase};
use wickr_admin::error::ProvideErrorMetadata;
use wickr_admin::error_details::ErrorDetails;
use wickr_admin::json::ToJson;
use wickr_admin::operation_shape::{DeserializeError, OperationShape, ResponseParts};
use wickr_admin::schema::SERVICE;

/// Cases under `cargo test`, over all operations (about 50 each).
const CASES: u32 = 2200;

/// Longest reason a malformed response may be given: a reason names what is wrong and where,
/// without repeating the body.
const MAX_REASON_BYTES: usize = 1024;

/// Reads `case` as an answer to `Op` and checks what came back.
fn read_response<Op>(case: &ResponseCase) -> Result<(), String>
where
    Op: OperationShape,
    Op::Output: ToJson + PartialEq,
{
    let headers = case.header_map()?;
    let parts = ResponseParts {
        status: case.status,
        headers: &headers,
        body: &case.body,
    };
    let success = (200..300).contains(&case.status);
    match Op::deserialize(parts) {
        Ok(output) => {
            if !success {
                return Err(format!("status {} was read as a success", case.status));
            }
            let _ = format!("{output:?}");
            // Written back as a body, the output reads back the same.
            let written = wickr_admin::json::to_body(&output);
            let again = Op::deserialize(ResponseParts {
                status: 200,
                headers: &headers,
                body: &written,
            })
            .map_err(|e| {
                format!(
                    "the output written back ({}) does not read: {}",
                    String::from_utf8_lossy(&written),
                    describe(&e)
                )
            })?;
            if again != output {
                return Err(format!(
                    "the output written back reads differently: {output:?} then {again:?}"
                ));
            }
        }
        Err(DeserializeError::Service(error)) => {
            if success {
                return Err(format!(
                    "status {} was read as a service error",
                    case.status
                ));
            }
            let shown = error.to_string();
            let _ = (format!("{error:?}"), error.details());
            if breaks_the_line(&shown) {
                return Err(format!(
                    "the error's Display is not one plain line: {shown:?}"
                ));
            }
            if let Some(code) = error.code() {
                if code.is_empty() || code.contains([':', '#']) || code.trim() != code {
                    return Err(format!(
                        "error code {code:?} was not reduced to a shape name"
                    ));
                }
            }
        }
        Err(DeserializeError::Malformed(reason)) => {
            if reason.is_empty() {
                return Err("a malformed response was given no reason".into());
            }
            if reason.len() > MAX_REASON_BYTES {
                return Err(format!(
                    "a reason of {} bytes (more than {MAX_REASON_BYTES}): {}...",
                    reason.len(),
                    reason.chars().take(200).collect::<String>()
                ));
            }
        }
    }
    Ok(())
}

fn describe<E: std::fmt::Display>(e: &DeserializeError<E>) -> String {
    match e {
        DeserializeError::Service(e) => format!("service error {e}"),
        DeserializeError::Malformed(reason) => format!("malformed: {reason}"),
    }
}

fn op_examples<'a>(
    all: &'a BTreeMap<String, OperationExamples>,
    name: &str,
) -> &'a OperationExamples {
    all.get(name)
        .unwrap_or_else(|| panic!("{name} has no example in fixtures/wickr/examples.json"))
}

/// A response to one operation.
#[derive(Clone)]
struct OperationCase {
    operation: &'static str,
    case: ResponseCase,
}

impl fmt::Debug for OperationCase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "operation {:?}, {:?}", self.operation, self.case)
    }
}

macro_rules! every_operation {
    ($( ($kebab:literal, $op:path) ),* $(,)?) => {
        /// Responses to every operation, each operation's drawn from its own examples.
        fn every_operations_responses(
            all: &BTreeMap<String, OperationExamples>,
        ) -> impl Strategy<Value = OperationCase> {
            let strategies: Vec<BoxedStrategy<OperationCase>> = vec![$(
                {
                    let name = <$op as OperationShape>::NAME;
                    let info = SERVICE
                        .operation(name)
                        .unwrap_or_else(|| panic!("{name} is not in the operation table"));
                    responses(info, op_examples(all, name))
                        .prop_map(move |case| OperationCase { operation: name, case })
                        .boxed()
                }
            ),*];
            assert_eq!(strategies.len(), SERVICE.operations.len());
            prop::strategy::Union::new(strategies)
        }

        /// Reads the case as an answer to its operation.
        fn read_operation_response(case: &OperationCase) -> Result<(), String> {
            $(
                if case.operation == <$op as OperationShape>::NAME {
                    return read_response::<$op>(&case.case);
                }
            )*
            Err(format!("{} is not an operation", case.operation))
        }

        /// Every operation's examples read cleanly, as they are: the property starts from real
        /// answers, not from noise.
        fn examples_as_they_are(all: &BTreeMap<String, OperationExamples>) -> Vec<String> {
            let mut problems = Vec::new();
            $(
                {
                    let name = <$op as OperationShape>::NAME;
                    let examples = op_examples(all, name);
                    let headers = http::HeaderMap::new();
                    for output in &examples.outputs {
                        let body = output.to_string();
                        let parts = ResponseParts { status: 200, headers: &headers, body: body.as_bytes() };
                        if let Err(e) = <$op as OperationShape>::deserialize(parts) {
                            problems.push(format!("{name}: output {body}: {}", describe(&e)));
                        }
                    }
                    for (code, content) in &examples.errors {
                        let mut headers = http::HeaderMap::new();
                        headers.insert("x-amzn-errortype", http::HeaderValue::from_str(code).unwrap_or_else(|e| panic!("{e}")));
                        let body = content.to_string();
                        let parts = ResponseParts { status: 400, headers: &headers, body: body.as_bytes() };
                        match <$op as OperationShape>::deserialize(parts) {
                            Err(DeserializeError::Service(e)) if e.code() == Some(code.as_str()) => {}
                            Err(e) => problems.push(format!("{name}: error {code}: {}", describe(&e))),
                            Ok(_) => problems.push(format!("{name}: error {code} read as an output")),
                        }
                    }
                }
            )*
            problems
        }

        /// Reads `body` under `status` for every operation; what each gave, by operation.
        fn read_everywhere(status: u16, body: &[u8]) -> Vec<(&'static str, Result<(), String>)> {
            let headers = http::HeaderMap::new();
            vec![$(
                (
                    <$op as OperationShape>::NAME,
                    match <$op as OperationShape>::deserialize(ResponseParts { status, headers: &headers, body }) {
                        Ok(_) => Ok(()),
                        Err(DeserializeError::Malformed(reason)) => Err(format!("malformed: {reason}")),
                        Err(DeserializeError::Service(e)) => Err(format!("service error: {}", e.code().unwrap_or("none"))),
                    },
                )
            ),*]
        }
    };
}

wickr_admin::for_each_operation!(every_operation);

#[test]
fn every_operation_reads_mutated_and_random_responses_into_typed_results() {
    fuzzing::check(
        "responses",
        CASES,
        every_operations_responses(&examples()),
        read_operation_response,
    );
}

#[test]
fn the_examples_the_cases_start_from_read_cleanly() {
    let problems = examples_as_they_are(&examples());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A 100,000-deep document is refused by the JSON reader's nesting bound (serde_json's 128
/// levels) with a reason, on every operation: no stack overflow, no panic.
#[test]
fn documents_nested_100000_deep_are_refused_by_every_operation() {
    for object in [false, true] {
        let mut deep = Vec::new();
        nested(100_000, object, &mut deep);
        for (name, result) in read_everywhere(200, &deep) {
            match result {
                Err(reason) if reason.contains("recursion limit exceeded") => {}
                other => panic!("{name}: a 100,000-deep body gave {other:?}"),
            }
        }
        // As a member's value too.
        let mut member = b"{\"users\":".to_vec();
        member.extend_from_slice(&deep);
        member.push(b'}');
        for (name, result) in read_everywhere(200, &member) {
            match result {
                Err(reason) if reason.contains("recursion limit exceeded") => {}
                other => panic!("{name}: a 100,000-deep member gave {other:?}"),
            }
        }
        // An error status with such a body is still an error of the service, read from the
        // status alone.
        for (name, result) in read_everywhere(500, &deep) {
            match result {
                Err(reason) if reason.starts_with("service error") => {}
                other => panic!("{name}: a 500 with a 100,000-deep body gave {other:?}"),
            }
        }
    }
}

/// Just within the bound reads; just past it is refused.
#[test]
fn the_nesting_bound_is_128_levels() {
    let within = format!("{{\"users\":{}1{}}}", "[".repeat(126), "]".repeat(126));
    let past = format!("{{\"users\":{}1{}}}", "[".repeat(128), "]".repeat(128));
    for (name, result) in read_everywhere(200, within.as_bytes()) {
        if let Err(reason) = result {
            assert!(
                !reason.contains("recursion limit"),
                "{name}: 127 levels refused: {reason}"
            );
        }
    }
    for (name, result) in read_everywhere(200, past.as_bytes()) {
        match result {
            Err(reason) if reason.contains("recursion limit exceeded") => {}
            other => panic!("{name}: 129 levels gave {other:?}"),
        }
    }
}
