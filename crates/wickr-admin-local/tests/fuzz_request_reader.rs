//! The emulator's request reader below the signature check, on mutated requests: the routing
//! from the generated table (`routes::route_request`), the path labels, the query string, the
//! `X-Client-Token` check and every operation's member reader (`wire::dispatch`), in the order
//! the request pipeline runs them, over the demo network's state.
//!
//! The requests start from the model's example inputs as the client lays them out, and are then
//! changed (see `request_cases`). Below the signature, what the signature would have refused
//! reaches the readers too. Each one ends, without a panic, in an answer or a typed `ApiError`
//! that is never a 5xx, with short reasons; and the client's own reader for the operation reads
//! whatever the emulator would send back (its output for a success, its error for the rest).
//!
//! `fuzz_signed_requests.rs` sends such requests over HTTP, signed after they were changed.
//! `cargo xtask fuzz --target request-reader` runs this property longer.

mod request_cases;

use fuzzing::Bytes;
use http::{Method, Uri};
use request_cases::{read_answer, requests, seed_requests, RequestCase};
use wickr_admin_local::error::ApiError;
use wickr_admin_local::routes::route_request;
use wickr_admin_local::wire::input::{self, decode_label, Query};
use wickr_admin_local::wire::page_token::PageTokens;
use wickr_admin_local::wire::{dispatch, Call, Reply};
use wickr_admin_local::{Emulator, RunningEmulator};

/// Cases under `cargo test`.
const CASES: u32 = 1500;
/// Longest field path or reason one validation reason may have.
const MAX_REASON_BYTES: usize = 1024;

/// What the reader made of a request.
enum Outcome {
    /// No operation is bound to the method and path, or hyper would not have taken the target.
    NotRouted,
    /// The operation and its answer.
    Answered(&'static str, Result<Reply, ApiError>),
}

/// Reads and runs `case` as the pipeline does after the signature check.
fn read_request(case: &RequestCase, emulator: &RunningEmulator, tokens: &PageTokens) -> Outcome {
    let Ok(method) = Method::from_bytes(case.method.as_bytes()) else {
        return Outcome::NotRouted;
    };
    // The server only hands on a request whose target is a valid URI.
    let Ok(uri) = std::str::from_utf8(&case.target)
        .map_err(|_| ())
        .and_then(|t| t.parse::<Uri>().map_err(|_| ()))
    else {
        return Outcome::NotRouted;
    };
    let path_and_query = uri.path_and_query().map_or("/", |p| p.as_str());
    let Some((op, raw_labels)) = route_request(&method, path_and_query) else {
        return Outcome::NotRouted;
    };
    let result = (|| {
        let labels = raw_labels
            .0
            .into_iter()
            .map(|(name, raw)| decode_label(&raw).map(|value| (name, value)))
            .collect::<Result<Vec<_>, _>>()?;
        if op.takes_client_token() {
            if let Some((_, token)) = case
                .headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case("x-client-token"))
            {
                let token = std::str::from_utf8(token)
                    .map_err(|_| ApiError::invalid("clientToken", "must be visible ASCII"))?;
                input::check_client_token(token)?;
            }
        }
        let call = Call {
            op,
            labels,
            query: Query::parse(uri.query())?,
            body: input::parse_body(&case.body)?,
            backend: emulator.backend(),
            page_tokens: tokens,
        };
        dispatch(&call)
    })();
    Outcome::Answered(op.name(), result)
}

fn check_request(
    case: &RequestCase,
    emulator: &RunningEmulator,
    tokens: &PageTokens,
) -> Result<(), String> {
    let (operation, result) = match read_request(case, emulator, tokens) {
        Outcome::NotRouted => return Ok(()),
        Outcome::Answered(operation, result) => (operation, result),
    };
    match result {
        Ok(Reply::Json(value)) => {
            let body = serde_json::to_vec(&value).map_err(|e| e.to_string())?;
            read_answer(operation, 200, None, &body)
        }
        Ok(Reply::Bytes(body)) => read_answer(operation, 200, None, &body),
        Err(error) => {
            if error.message().is_empty() {
                return Err(format!("{} with no message", error.type_name()));
            }
            if let ApiError::Validation(reasons) = &error {
                for reason in reasons {
                    if reason.field.len() > MAX_REASON_BYTES
                        || reason.reason.len() > MAX_REASON_BYTES
                    {
                        return Err(format!(
                            "a reason of {} + {} bytes",
                            reason.field.len(),
                            reason.reason.len()
                        ));
                    }
                }
            } else if error.message().len() > MAX_REASON_BYTES {
                return Err(format!("a message of {} bytes", error.message().len()));
            }
            let body = serde_json::to_vec(&error.body()).map_err(|e| e.to_string())?;
            read_answer(
                operation,
                error.status().as_u16(),
                Some(error.type_name()),
                &body,
            )
        }
    }
}

/// Runs `case` on a fresh emulator with the demo network, so that every case starts from the
/// same state (and a failing one shrinks to a request that fails on its own).
fn check_on_fresh_state(case: &RequestCase) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("runtime: {e}"))?;
    let emulator = runtime
        .block_on(Emulator::builder().seed_demo_network(true).start())
        .map_err(|e| format!("the emulator does not start: {e}"))?;
    let result = check_request(case, &emulator, &PageTokens::new());
    runtime.block_on(emulator.shutdown());
    result
}

#[test]
fn mutated_requests_are_answered_or_refused_with_typed_errors_the_client_reads() {
    fuzzing::check(
        "request reader",
        CASES,
        requests(seed_requests()),
        check_on_fresh_state,
    );
}

/// The example requests, as they are, reach their operation and are answered in a way the
/// client reads: the property starts from requests that work, not from noise.
#[test]
fn the_example_requests_reach_their_operations() {
    let runtime = tokio::runtime::Runtime::new().unwrap_or_else(|e| panic!("runtime: {e}"));
    let mut answered = 0;
    for seed in seed_requests() {
        // Each on the demo network as it starts (one example deletes it).
        let emulator = runtime
            .block_on(Emulator::builder().seed_demo_network(true).start())
            .unwrap_or_else(|e| panic!("the emulator starts: {e}"));
        let tokens = PageTokens::new();
        let case = RequestCase::unchanged(&seed);
        match read_request(&case, &emulator, &tokens) {
            Outcome::NotRouted => panic!("{} {} is not routed", seed.method, seed.target),
            Outcome::Answered(operation, result) => {
                assert_eq!(operation, seed.operation, "{}", seed.target);
                if result.is_ok() {
                    answered += 1;
                }
            }
        }
        if let Err(e) = check_request(&case, &emulator, &tokens) {
            panic!("{}: {e}", seed.operation);
        }
        runtime.block_on(emulator.shutdown());
    }
    // The others name networks, users or bots the demo network does not have.
    assert!(
        answered >= 50,
        "{answered} of 110 example requests answered"
    );
}

/// Requests the property once failed on, kept as regression cases.
fn regressions() -> Vec<RequestCase> {
    let header = |name: &'static str, value: &str| (name, Bytes(value.as_bytes().to_vec()));
    vec![
        // A 1,100-byte unknown key in securityGroupSettings came back in full as the reason's
        // field (and a 1 MiB key would have too).
        RequestCase {
            seed: "CreateSecurityGroup",
            method: "POST",
            target: Bytes(b"/networks/12345678/security-groups".to_vec()),
            headers: vec![header("Content-Type", "application/json")],
            body: Bytes(
                format!(
                    "{{\"name\":\"engineering\",\"securityGroupSettings\":{{\"{}\":1}}}}",
                    "#".repeat(1100)
                )
                .into_bytes(),
            ),
        },
    ]
}

#[test]
fn requests_that_once_failed_hold_the_property() {
    for case in regressions() {
        if let Err(e) = check_on_fresh_state(&case) {
            panic!("{case:?}: {e}");
        }
    }
}
