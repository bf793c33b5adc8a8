//! The whole client path on mutated HTTP responses from a server on 127.0.0.1: status lines of
//! every class, headers with odd bytes, bodies on statuses that have none, framing that lies
//! (a `Content-Length` longer or shorter than the body, broken chunks), and byte edits of the
//! whole answer. Each call ends, without a panic, in an output or a typed `SdkError` whose
//! explanation (`error::explain`: the error and its sources) is one line with no control
//! character, whatever the answer held; an output only for a 2xx status line, a service error
//! never for one.
//!
//! Memory is bounded: a body longer than the client reads
//! (`restjson_runtime::response_body::MAX_RESPONSE_BODY_BYTES`) is refused with an error naming the
//! bound, and the client stops reading it.
//!
//! `cargo xtask fuzz --target responses-over-http` runs the property longer.

mod response_cases;

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use fuzzing::bytes::{self, HTTP_TOKENS};
use fuzzing::json::{documents, Limits};
use fuzzing::proptest::prelude::*;
use fuzzing::Bytes;
use response_cases::{breaks_the_line, examples, OperationExamples};
use restjson_runtime::response_body::MAX_RESPONSE_BODY_BYTES;
use serde_json::{Map, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wickr_admin::config::{Credentials, Region, RetryConfig, TimeoutConfig};
use wickr_admin::error::{explain, ProvideErrorMetadata, SdkError};
use wickr_admin::operation_shape::OperationShape;
use wickr_admin::{Client, Config};

/// Cases under `cargo test` (each picks an operation).
const CASES: u32 = 64;

/// A raw answer to one call of one operation.
#[derive(Clone)]
struct RawCase {
    operation: &'static str,
    /// The status of the status line, when byte edits left that line as it was.
    status: Option<u16>,
    raw: Bytes,
}

impl fmt::Debug for RawCase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "RawCase {{ operation: {:?}, status: {:?}, raw: Bytes({:?}.to_vec()) }}",
            self.operation, self.status, self.raw
        )
    }
}

/// How the body is delimited.
#[derive(Clone, Copy, Debug)]
enum Framing {
    Exact,
    /// `Content-Length` this many bytes more than the body.
    Longer(u16),
    /// `Content-Length` this many bytes fewer than the body.
    Shorter(u16),
    /// No length: the body runs to the close.
    ToClose,
    Chunked,
    /// A chunk size that is not hexadecimal.
    BrokenChunk,
    /// Two different `Content-Length` headers.
    TwoLengths,
}

fn framing() -> impl Strategy<Value = Framing> + Clone {
    prop_oneof![
        6 => Just(Framing::Exact),
        1 => (1u16..2000).prop_map(Framing::Longer),
        1 => (1u16..2000).prop_map(Framing::Shorter),
        1 => Just(Framing::ToClose),
        2 => Just(Framing::Chunked),
        1 => Just(Framing::BrokenChunk),
        1 => Just(Framing::TwoLengths),
    ]
}

fn status() -> impl Strategy<Value = u16> + Clone {
    prop_oneof![
        4 => Just(200u16),
        1 => prop::sample::select(vec![201u16, 204, 205, 304]),
        3 => prop::sample::select(vec![400u16, 401, 403, 404, 413, 422, 429, 500, 502, 503, 504]),
        1 => 100u16..200,
        1 => 200u16..600,
        1 => 600u16..1000,
    ]
}

/// Header lines: the ones a reader looks at, with odd values, some not valid in HTTP at all.
fn header_lines(codes: Vec<String>) -> impl Strategy<Value = Vec<Vec<u8>>> + Clone {
    let value = prop_oneof![
        3 => prop::sample::select(codes).prop_map(String::into_bytes),
        2 => prop::collection::vec(prop_oneof![0x20u8..0x7f, 0x80u8..=0xff, Just(b'\t')], 0..40),
        1 => prop::collection::vec(any::<u8>(), 0..16),
        1 => (1usize..20_000).prop_map(|n| vec![b'x'; n]),
    ];
    let name = prop::sample::select(vec![
        "x-amzn-errortype",
        "x-amzn-requestid",
        "content-type",
        "retry-after",
        "connection",
        "x-unmodeled",
    ]);
    prop::collection::vec(
        (name, value).prop_map(|(name, value)| {
            let mut line = format!("{name}: ").into_bytes();
            line.extend(value);
            line
        }),
        0..5,
    )
}

fn assemble(status: u16, headers: &[Vec<u8>], framing: Framing, body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} Whatever\r\n").into_bytes();
    for line in headers {
        out.extend_from_slice(line);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"connection: close\r\n");
    let length = |n: usize| format!("content-length: {n}\r\n").into_bytes();
    match framing {
        Framing::Exact => out.extend(length(body.len())),
        Framing::Longer(n) => out.extend(length(body.len() + usize::from(n))),
        Framing::Shorter(n) => out.extend(length(body.len().saturating_sub(usize::from(n)))),
        Framing::ToClose => {}
        Framing::Chunked | Framing::BrokenChunk => {
            out.extend_from_slice(b"transfer-encoding: chunked\r\n")
        }
        Framing::TwoLengths => {
            out.extend(length(body.len()));
            out.extend(length(body.len() + 1));
        }
    }
    out.extend_from_slice(b"\r\n");
    match framing {
        Framing::Chunked => {
            for chunk in body.chunks(777) {
                out.extend(format!("{:x}\r\n", chunk.len()).into_bytes());
                out.extend_from_slice(chunk);
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(b"0\r\n\r\n");
        }
        Framing::BrokenChunk => {
            out.extend(format!("{}zz\r\n", body.len()).into_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\r\n0\r\n\r\n");
        }
        _ => out.extend_from_slice(body),
    }
    out
}

fn raw_cases(all: &BTreeMap<String, OperationExamples>) -> impl Strategy<Value = RawCase> + Clone {
    let names: Vec<&'static str> = wickr_admin::schema::SERVICE
        .operations
        .iter()
        .map(|op| op.name)
        .collect();
    let mut seeds = Vec::new();
    let mut codes = vec!["UnknownError".to_owned()];
    for examples in all.values() {
        seeds.extend(examples.outputs.iter().cloned());
        for (code, content) in &examples.errors {
            seeds.push(content.clone());
            codes.push(code.clone());
        }
    }
    codes.sort();
    codes.dedup();
    let bodies = documents(seeds, &["code", "__type", "message"], Limits::default());
    let edits = prop_oneof![
        3 => Just(Vec::new()),
        1 => bytes::edits(HTTP_TOKENS, 2, 4096),
    ];
    (
        prop::sample::select(names),
        status(),
        header_lines(codes),
        framing(),
        bodies,
        edits,
    )
        .prop_map(|(operation, status, headers, framing, body, edits)| {
            let mut raw = assemble(status, &headers, framing, &body);
            let line = format!("HTTP/1.1 {status} Whatever\r\n");
            bytes::apply(&mut raw, &edits);
            let status = raw.starts_with(line.as_bytes()).then_some(status);
            RawCase {
                operation,
                status,
                raw: Bytes(raw),
            }
        })
}

/// A listener on a free port of 127.0.0.1, and its URL.
async fn listen() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("bind 127.0.0.1:0: {e}"));
    let url = format!(
        "http://{}",
        listener
            .local_addr()
            .unwrap_or_else(|e| panic!("local address: {e}"))
    );
    (listener, url)
}

/// A server on 127.0.0.1 that answers every request with `answer` and closes the connection.
async fn answering_server(answer: Vec<u8>) -> (String, tokio::task::JoinHandle<()>) {
    let (listener, url) = listen().await;
    let task = tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let answer = answer.clone();
            tokio::spawn(async move {
                if read_request(&mut stream).await.is_ok() {
                    let _ = stream.write_all(&answer).await;
                    let _ = stream.shutdown().await;
                }
            });
        }
    });
    (url, task)
}

/// Reads one request: headers, then as many body bytes as its `Content-Length` says.
async fn read_request(stream: &mut tokio::net::TcpStream) -> std::io::Result<()> {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        seen.extend_from_slice(&buf[..n]);
        if let Some(at) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&seen[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let mut have = seen.len() - head_end;
    while have < length {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        have += n;
    }
    Ok(())
}

/// A client of `url` that makes one attempt per call, with short timeouts.
fn client(url: &str) -> Client {
    Client::from_conf(
        Config::builder()
            .region(Region::new("us-east-1"))
            .endpoint_url(url)
            .credentials_provider(Credentials::new("AKID", "secret", None, None, "test"))
            .retry_config(RetryConfig::disabled())
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(5))
                    .read_timeout(Duration::from_secs(10))
                    .operation_attempt_timeout(Duration::from_secs(20))
                    .build(),
            )
            .build(),
    )
}

type CallFuture = Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;

/// Sends `input` as `Op` and checks the outcome against the status the server sent.
async fn call_and_check<Op>(client: Client, input: Value, status: Option<u16>) -> Result<(), String>
where
    Op: OperationShape,
    Op::Input: wickr_admin::json::FromJson,
{
    let input: Op::Input = wickr_admin::json::from_value(input)
        .map_err(|e| format!("the example input does not read: {e}"))?;
    let success = status.map(|s| (200..300).contains(&s));
    match client.call::<Op>(input).await {
        Ok(output) => {
            let _ = format!("{output:?}");
            if success == Some(false) {
                return Err(format!("status {status:?} was read as a success"));
            }
        }
        Err(error) => {
            let shown = explain(&error);
            let _ = format!("{error:?}");
            if breaks_the_line(&shown) {
                return Err(format!(
                    "the error's explanation is not one plain line: {shown:?}"
                ));
            }
            if let SdkError::ConstructionFailure(_) = error {
                return Err(format!("the example input was not sent: {shown}"));
            }
            if let SdkError::ServiceError(service) = &error {
                let _ = service.err().code();
                if success == Some(true) {
                    return Err(format!(
                        "status {status:?} was read as a service error: {shown}"
                    ));
                }
            }
        }
    }
    Ok(())
}

macro_rules! call_table {
    ($( ($kebab:literal, $op:path) ),* $(,)?) => {
        /// Sends the named operation with `input`.
        fn call_named(name: &str, client: Client, input: Value, status: Option<u16>) -> Option<CallFuture> {
            match name {
                $(n if n == <$op as OperationShape>::NAME => {
                    Some(Box::pin(call_and_check::<$op>(client, input, status)))
                })*
                _ => None,
            }
        }
    };
}

wickr_admin::for_each_operation!(call_table);

fn run_case(case: &RawCase, inputs: &BTreeMap<String, Value>) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("runtime: {e}"))?;
    runtime.block_on(async {
        let (url, server) = answering_server(case.raw.0.clone()).await;
        let input = inputs
            .get(case.operation)
            .cloned()
            .unwrap_or(Value::Object(Map::new()));
        let call = call_named(case.operation, client(&url), input, case.status)
            .ok_or_else(|| format!("{} is not an operation", case.operation))?;
        let result = call.await;
        server.abort();
        result
    })
}

#[test]
fn every_operation_reads_mutated_http_answers_into_typed_results() {
    let all = examples();
    let inputs: BTreeMap<String, Value> = all
        .iter()
        .filter_map(|(name, ex)| Some((name.clone(), ex.inputs.first()?.clone())))
        .collect();
    assert_eq!(inputs.len(), wickr_admin::schema::SERVICE.operations.len());
    let strategy = raw_cases(&all);
    fuzzing::check("responses over HTTP", CASES, strategy, move |case| {
        run_case(case, &inputs)
    });
}

/// A server that sends a 200 announcing `announced` bytes, then zeros until the client stops
/// reading (or `cap` bytes went out); it reports how many bytes the client took.
async fn endless_server(cap: u64) -> (String, Arc<AtomicU64>) {
    let (listener, url) = listen().await;
    let sent = Arc::new(AtomicU64::new(0));
    let counter = sent.clone();
    tokio::spawn(async move {
        let Ok((mut stream, _)) = listener.accept().await else {
            return;
        };
        if read_request(&mut stream).await.is_err() {
            return;
        }
        let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {cap}\r\n\r\n");
        if stream.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let block = vec![b' '; 64 * 1024];
        while counter.load(Ordering::Relaxed) < cap {
            match stream.write_all(&block).await {
                Ok(()) => counter.fetch_add(block.len() as u64, Ordering::Relaxed),
                Err(_) => return,
            };
        }
    });
    (url, sent)
}

#[tokio::test]
async fn a_body_past_the_bound_is_refused_and_not_read_further() {
    let cap = 16 * MAX_RESPONSE_BODY_BYTES as u64;
    let (url, sent) = endless_server(cap).await;
    let error = client(&url)
        .get_users_count()
        .network_id("12345678")
        .send()
        .await
        .expect_err("a body past the bound must be refused");
    let shown = explain(&error);
    assert!(
        matches!(error, SdkError::ResponseError(_)),
        "a response error, not {shown}"
    );
    let limit = format!("{} MiB", MAX_RESPONSE_BODY_BYTES >> 20);
    assert!(shown.contains(&limit), "the error names the bound: {shown}");
    // The client stopped reading near the bound: what went out is the bound plus what the
    // sockets' buffers hold (a few MiB on loopback), far from the 256 MiB on offer.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let taken = sent.load(Ordering::Relaxed);
    assert!(
        taken < 4 * MAX_RESPONSE_BODY_BYTES as u64,
        "the client took {taken} bytes of a body it refused"
    );
}

#[tokio::test]
async fn a_body_at_the_bound_is_read() {
    let body = format!(
        "{{\"total\":3}}{}",
        " ".repeat(MAX_RESPONSE_BODY_BYTES - "{\"total\":3}".len())
    );
    assert_eq!(body.len(), MAX_RESPONSE_BODY_BYTES);
    let mut answer = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    answer.extend_from_slice(body.as_bytes());
    let (url, server) = answering_server(answer.clone()).await;
    let output = client(&url)
        .get_users_count()
        .network_id("12345678")
        .send()
        .await
        .unwrap_or_else(|e| panic!("a body of exactly the bound is read: {e}"));
    assert_eq!(output.total(), 3);
    server.abort();

    // One byte more is refused.
    answer.truncate(answer.len() - body.len());
    let answer = String::from_utf8_lossy(&answer).replace(
        &format!("content-length: {}", body.len()),
        &format!("content-length: {}", body.len() + 1),
    );
    let mut answer = answer.into_bytes();
    answer.extend_from_slice(body.as_bytes());
    answer.push(b' ');
    let (url, server) = answering_server(answer).await;
    let error = client(&url)
        .get_users_count()
        .network_id("12345678")
        .send()
        .await
        .expect_err("one byte past the bound is refused");
    let shown = explain(&error);
    assert!(shown.contains("MiB"), "the error names the bound: {shown}");
    server.abort();
}
