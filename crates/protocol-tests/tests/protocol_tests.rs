//! Every restJson1 protocol test case, run against the client generated from them, over real
//! HTTP on 127.0.0.1.
//!
//! `model/rest-json.json` is the Smithy model `cargo xtask codegen` converts from the fixtures
//! (botocore's copy of the Smithy protocol tests, 113 request cases and 91 response cases), with
//! each case on its operation or error shape. For a request case the client sends the case's
//! `params` to a server that records the request, which is then compared with the case: method,
//! path, query parameters in any order, headers (with `forbidHeaders` and `requireHeaders`), host
//! and body (as JSON when it is JSON, byte for byte otherwise). For a response case the server
//! answers with the case's status, headers and body, and what the client reads is compared with
//! the case's `params`; an error case also names the error's code and shape.
//!
//! A case that cannot pass yet is listed in `expected-failures.json` with the reason. The test
//! fails when an unlisted case fails, and when a listed case passes (so the list only shrinks).

mod support;

use std::collections::BTreeMap;

use aws_smithy_runtime_api::client::dns::{DnsFuture, ResolveDns};
use restjson_protocol_tests::config::RetryConfig;
use restjson_protocol_tests::error::ProvideErrorMetadata;
use restjson_protocol_tests::idempotency::IdempotencyTokenProvider;
use restjson_protocol_tests::json::{self, FromJson, ToJson};
use restjson_protocol_tests::operation_shape::OperationShape;
use restjson_protocol_tests::{types, Client, Config};
use serde_json::Value;

use support::compare::{compare_request, json_equal};
use support::server::{Response, Server};
use support::shapes::{Shapes, Side};

/// What the client gave back.
enum Outcome {
    /// The operation's output, as a document.
    Output(Value),
    /// A service error: its code and message, and the modeled error it was read as (name and
    /// members as a document), if any.
    ServiceError {
        code: Option<String>,
        message: Option<String>,
        modeled: Option<(&'static str, Value)>,
    },
    /// Any other failure.
    Failed(String),
}

/// The modeled error structure behind an operation error, by its name, as a document.
fn modeled_error(error: &(dyn std::error::Error + 'static)) -> Option<(&'static str, Value)> {
    let source = error.source()?;
    macro_rules! by_type {
        ($($name:ident),*) => {
            $(
                if let Some(e) = source.downcast_ref::<types::error::$name>() {
                    return Some((stringify!($name), json::to_value(e)));
                }
            )*
        };
    }
    by_type!(ComplexError, FooError, InvalidGreeting);
    None
}

async fn call<O: OperationShape>(client: &Client, document: Value) -> Result<Outcome, String>
where
    O::Input: FromJson,
    O::Output: ToJson,
{
    let input: O::Input = json::from_value(document)
        .map_err(|e| format!("the case's params do not read as {} input: {e}", O::NAME))?;
    Ok(match client.call::<O>(input).await {
        Ok(output) => Outcome::Output(json::to_value(&output)),
        Err(error) => match error.as_service_error() {
            Some(e) => Outcome::ServiceError {
                code: e.code().map(str::to_owned),
                message: e.message().map(str::to_owned),
                modeled: modeled_error(e),
            },
            None => Outcome::Failed(format!("{error} ({error:?})")),
        },
    })
}

macro_rules! operations {
    ($(($kebab:literal, $op:path)),* $(,)?) => {
        /// Sends the operation named `name` with `document` as its input.
        async fn call_operation(client: &Client, name: &str, document: Value) -> Result<Outcome, String> {
            $(
                if <$op as OperationShape>::NAME == name {
                    return call::<$op>(client, document).await;
                }
            )*
            Err(format!("the client has no operation {name}"))
        }
    };
}
restjson_protocol_tests::for_each_operation!(operations);

/// Resolves every host name to 127.0.0.1, so a case's host (`example.com`, or `foo.example.com`
/// after a host prefix) reaches the test's server and shows in its `Host` header.
#[derive(Clone, Debug)]
struct Loopback;

impl ResolveDns for Loopback {
    fn resolve_dns<'a>(&'a self, _name: &'a str) -> DnsFuture<'a> {
        DnsFuture::ready(Ok(vec![std::net::Ipv4Addr::LOCALHOST.into()]))
    }
}

/// A client for one case: the case's host (with its path, if any) on the server's port.
fn client_for(test: &Value, server: &Server) -> Client {
    let host = test["host"].as_str().unwrap_or("example.com");
    let (name, path) = host.split_once('/').unwrap_or((host, ""));
    let endpoint = if path.is_empty() {
        format!("http://{name}:{}", server.port)
    } else {
        format!("http://{name}:{}/{path}", server.port)
    };
    let http_client = aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_with_resolver(Loopback);
    Client::from_conf(
        Config::builder()
            .endpoint_url(endpoint)
            .http_client(http_client)
            .retry_config(RetryConfig::disabled())
            // The token the protocol tests expect a client to fill in.
            .idempotency_token_provider(IdempotencyTokenProvider::fixed(
                "00000000-0000-4000-8000-000000000000",
            ))
            .build(),
    )
}

/// One case of the model.
struct Case<'a> {
    id: String,
    kind: Kind<'a>,
    test: &'a Value,
}

enum Kind<'a> {
    /// A request case of an operation with this input structure.
    Request { operation: &'a str, input: &'a str },
    /// A response case of an operation with this output structure.
    Response { operation: &'a str, output: &'a str },
    /// A response case of this error structure, sent through an operation.
    Error { operation: &'a str, error: &'a str },
}

fn name_of(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(_, name)| name)
}

/// Every case of the model, by id.
fn cases(shapes: &Shapes) -> Vec<Case<'_>> {
    let mut out = Vec::new();
    for (id, shape) in shapes.iter() {
        let traits = &shape["traits"];
        let tests = |key: &str| traits[key].as_array().cloned().unwrap_or_default();
        if shape["type"] == "operation" {
            let input = shape["input"]["target"]
                .as_str()
                .unwrap_or("smithy.api#Unit");
            let output = shape["output"]["target"]
                .as_str()
                .unwrap_or("smithy.api#Unit");
            for (i, test) in tests("smithy.test#httpRequestTests").iter().enumerate() {
                out.push(Case {
                    id: test["id"].as_str().unwrap_or_default().to_owned(),
                    kind: Kind::Request {
                        operation: name_of(id),
                        input,
                    },
                    test: &traits["smithy.test#httpRequestTests"][i],
                });
            }
            for (i, test) in tests("smithy.test#httpResponseTests").iter().enumerate() {
                out.push(Case {
                    id: test["id"].as_str().unwrap_or_default().to_owned(),
                    kind: Kind::Response {
                        operation: name_of(id),
                        output,
                    },
                    test: &traits["smithy.test#httpResponseTests"][i],
                });
            }
        } else if shape["type"] == "structure" {
            for (i, test) in tests("smithy.test#httpResponseTests").iter().enumerate() {
                let test_ref = &traits["smithy.test#httpResponseTests"][i];
                out.push(Case {
                    id: test["id"].as_str().unwrap_or_default().to_owned(),
                    kind: Kind::Error {
                        operation: test_ref["vendorParams"]["operation"]
                            .as_str()
                            .unwrap_or_default(),
                        error: id,
                    },
                    test: test_ref,
                });
            }
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

fn response_of(test: &Value) -> Response {
    let headers = test["headers"]
        .as_object()
        .map(|h| {
            h.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                .collect()
        })
        .unwrap_or_default();
    Response {
        status: test["code"]
            .as_u64()
            .and_then(|c| u16::try_from(c).ok())
            .unwrap_or(200),
        headers,
        body: test["body"]
            .as_str()
            .unwrap_or_default()
            .as_bytes()
            .to_vec(),
    }
}

/// Runs one case; `Err` says how it failed.
async fn run(case: &Case<'_>, shapes: &Shapes, server: &Server) -> Result<(), String> {
    let client = client_for(case.test, server);
    match case.kind {
        Kind::Request { operation, input } => {
            server.answer_with(Response {
                status: 200,
                ..Response::default()
            });
            let document = shapes.to_document(input, &case.test["params"]);
            let outcome = call_operation(&client, operation, document).await?;
            let requests = server.received()?;
            match (requests.as_slice(), outcome) {
                ([request], _) => compare_request(case.test, request),
                ([], Outcome::Failed(why)) => Err(format!("nothing was sent: {why}")),
                ([], _) => Err("nothing was sent".to_owned()),
                (many, _) => Err(format!("{} requests were sent, not one", many.len())),
            }
        }
        Kind::Response { operation, output } => {
            server.answer_with(response_of(case.test));
            match call_operation(&client, operation, Value::Object(Default::default())).await? {
                Outcome::Output(actual) => {
                    let expected = shapes.normalize(output, &case.test["params"], Side::Params);
                    let actual = shapes.normalize(output, &actual, Side::Client);
                    json_equal(&expected, &actual).map_err(|e| format!("output {e}"))
                }
                Outcome::ServiceError { code, .. } => {
                    Err(format!("got the service error {code:?}"))
                }
                Outcome::Failed(why) => Err(why),
            }
        }
        Kind::Error { operation, error } => {
            server.answer_with(response_of(case.test));
            let name = name_of(error);
            match call_operation(&client, operation, Value::Object(Default::default())).await? {
                Outcome::ServiceError {
                    code,
                    message,
                    modeled,
                } => {
                    if code.as_deref() != Some(name) {
                        return Err(format!("error code: expected {name}, got {code:?}"));
                    }
                    let Some((modeled_name, members)) = modeled else {
                        return Err(format!("the error was not read as {name}"));
                    };
                    if modeled_name != name {
                        return Err(format!("read as {modeled_name}, not {name}"));
                    }
                    let expected = shapes.normalize(error, &case.test["params"], Side::Params);
                    let actual = shapes.normalize(error, &members, Side::Client);
                    json_equal(&expected, &actual).map_err(|e| format!("error {e}"))?;
                    match case.test["vendorParams"]["errorMessage"].as_str() {
                        Some(expected) if message.as_deref() != Some(expected) => Err(format!(
                            "error message: expected {expected:?}, got {message:?}"
                        )),
                        _ => Ok(()),
                    }
                }
                Outcome::Output(output) => Err(format!("expected an error, got {output}")),
                Outcome::Failed(why) => Err(why),
            }
        }
    }
}

/// The cases that cannot pass yet, each with why.
fn expected_failures() -> BTreeMap<String, String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/expected-failures.json");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not a JSON object: {e}"))
}

#[tokio::test]
async fn every_protocol_test_case_passes_or_is_listed_with_its_reason() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/model/rest-json.json");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let model: Value = serde_json::from_str(&text).expect("the model is JSON");
    let shapes = Shapes::new(&model);
    let cases = cases(&shapes);
    let requests = cases
        .iter()
        .filter(|c| matches!(c.kind, Kind::Request { .. }))
        .count();
    assert_eq!(
        (requests, cases.len() - requests),
        (113, 91),
        "the model should hold every request and response case of the fixtures"
    );
    let listed = expected_failures();
    let server = Server::start().await;
    let mut problems = Vec::new();
    let mut passed = 0;
    for case in &cases {
        let result = run(case, &shapes, &server).await;
        match (result, listed.get(&case.id)) {
            (Ok(()), None) => passed += 1,
            (Ok(()), Some(_)) => problems.push(format!(
                "{} passes now: remove it from expected-failures.json",
                case.id
            )),
            (Err(_), Some(_)) => {}
            (Err(why), None) => problems.push(format!("{} fails: {why}", case.id)),
        }
    }
    for id in listed.keys() {
        if !cases.iter().any(|c| &c.id == id) {
            problems.push(format!(
                "expected-failures.json lists {id}, which is not a case"
            ));
        }
    }
    println!(
        "{passed} of {} protocol test cases pass; {} listed as expected failures",
        cases.len(),
        listed.len()
    );
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}
