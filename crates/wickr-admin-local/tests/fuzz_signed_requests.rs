//! The emulator over HTTP on mutated requests that are correctly signed after they were changed
//! (SigV4 by `aws-sigv4` with the emulator's default key), so they get past the signature check
//! to the readers behind it. The requests start from the model's example inputs as the client
//! lays them out, and are then changed (see `request_cases`); bytes a request line cannot carry
//! are percent-encoded.
//!
//! Every request gets an HTTP answer within the case's time bound, never a 5xx; every answer of
//! the pipeline carries a request id; a request signed as `aws-sigv4` signs it is never refused
//! for its signature (unless a header value has a tab, the path a `.` or `..` segment, or the
//! query string a raw `+` or an escape that is not UTF-8: aws-sigv4 signs those otherwise than
//! botocore does and AWS reads them); and the client's own reader reads what the emulator answered for the
//! operation the request was routed to.
//!
//! `fuzz_request_reader.rs` runs the readers below the signature check on many more cases.
//! `cargo xtask fuzz --target signed-requests` runs this property longer.

mod request_cases;

use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use http::Method;
use percent_encoding::percent_decode_str;
use request_cases::{read_answer, requests, seed_requests, RequestCase};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wickr_admin_local::routes::route_request;
use wickr_admin_local::{Emulator, DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY};

/// Cases under `cargo test`.
const CASES: u32 = 200;
/// How long an answer may take before the case counts as unanswered.
const ANSWER_TIME: Duration = Duration::from_secs(20);

/// The request target as it goes on the request line: bytes outside visible ASCII
/// percent-encoded (`%` itself kept, so a broken escape stays broken).
fn request_target(raw: &[u8]) -> String {
    let mut out = String::new();
    if !raw.starts_with(b"/") {
        out.push('/');
    }
    for &b in raw {
        if (0x21..=0x7e).contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Whether aws-sigv4 signs `target` as AWS reads it. aws-sigv4 reads a
/// query as a form: a raw `+` as a space, and an escape that does not decode to UTF-8 as U+FFFD;
/// AWS (and the emulator) read `+` as a plus sign and escapes as the bytes they stand for.
///
/// Paths with `.` or `..` segments are left out too: aws-sigv4 resolves them as RFC 3986 does
/// (`/a/.` is `/a/`), botocore and the emulator drop the trailing slash (`/a`).
fn signed_as_aws_reads(target: &str) -> bool {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let dot_segments = path.split('/').any(|s| s == "." || s == "..");
    !dot_segments
        && !query.contains('+')
        && query
            .split(['&', '='])
            .all(|part| percent_decode_str(part).decode_utf8().is_ok())
}

/// An answer as read off the connection.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn parse_answer(raw: &[u8]) -> Result<Answer, String> {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("no HTTP answer: {:?}", String::from_utf8_lossy(raw)))?;
    let head = String::from_utf8_lossy(&raw[..end]);
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("no status line: {head:?}"))?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Ok(Answer {
        status,
        headers,
        body: raw[end + 4..].to_vec(),
    })
}

/// Signs and sends `case` to a fresh emulator with the demo network; checks the answer and
/// gives its status.
fn send_signed(case: &RequestCase) -> Result<u16, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("runtime: {e}"))?;
    runtime.block_on(async {
        let emulator = Emulator::builder()
            .seed_demo_network(true)
            .start()
            .await
            .map_err(|e| format!("the emulator does not start: {e}"))?;
        let result = exchange(case, emulator.local_addr()).await;
        emulator.shutdown().await;
        result
    })
}

async fn exchange(case: &RequestCase, addr: std::net::SocketAddr) -> Result<u16, String> {
    let host = addr.to_string();
    let target = request_target(&case.target);
    let mut headers: Vec<(String, Vec<u8>)> = vec![("host".into(), host.clone().into_bytes())];
    headers.extend(
        case.headers
            .iter()
            .map(|(n, v)| (n.to_ascii_lowercase(), v.0.clone())),
    );
    // Sign every header that is text; one that is not travels unsigned.
    let text_headers: Vec<(String, String)> = headers
        .iter()
        .filter_map(|(n, v)| Some((n.clone(), String::from_utf8(v.clone()).ok()?)))
        .collect();
    let identity = Credentials::new(
        DEFAULT_ACCESS_KEY_ID,
        DEFAULT_SECRET_ACCESS_KEY,
        None,
        None,
        "fuzz",
    )
    .into();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("wickr")
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| format!("signing parameters: {e}"))?
        .into();
    let signed = SignableRequest::new(
        case.method,
        format!("http://{host}{target}"),
        text_headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        SignableBody::Bytes(&case.body),
    )
    .and_then(|signable| sign(signable, &params));
    // HTTP drops the spaces and tabs around a header value, and SigV4 as AWS (and botocore)
    // computes it folds runs of spaces and tabs into one space; aws-sigv4 trims and folds only
    // spaces, so it signs a value with a tab as something else.
    let spaces_only = headers.iter().all(|(_, v)| !v.contains(&b'\t'));
    let verifiable = spaces_only && signed_as_aws_reads(&target);
    let signed = match signed {
        Ok(output) => {
            let (instructions, _) = output.into_parts();
            for (name, value) in instructions.headers() {
                headers.push((name.to_owned(), value.as_bytes().to_vec()));
            }
            verifiable
        }
        // aws-sigv4 refuses some targets (not a URI it can parse): sent unsigned.
        Err(_) => false,
    };
    let mut request = format!("{} {target} HTTP/1.1\r\n", case.method).into_bytes();
    for (name, value) in &headers {
        request.extend_from_slice(name.as_bytes());
        request.extend_from_slice(b": ");
        request.extend_from_slice(value);
        request.extend_from_slice(b"\r\n");
    }
    request.extend(
        format!(
            "content-length: {}\r\nconnection: close\r\n\r\n",
            case.body.len()
        )
        .into_bytes(),
    );
    request.extend_from_slice(&case.body);

    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .map_err(|e| format!("connect: {e}"))?;
    let mut raw = Vec::new();
    let talk = async {
        // The server may answer (and close) before it has read the whole request.
        let _ = stream.write_all(&request).await;
        stream.read_to_end(&mut raw).await
    };
    match tokio::time::timeout(ANSWER_TIME, talk).await {
        Err(_) => return Err(format!("no answer within {} s", ANSWER_TIME.as_secs())),
        Ok(Err(e)) if raw.is_empty() => return Err(format!("no answer: {e}")),
        Ok(_) => {}
    }
    let answer = parse_answer(&raw)?;
    check_answer(case, &target, signed, &answer)?;
    Ok(answer.status)
}

fn check_answer(
    case: &RequestCase,
    target: &str,
    signed: bool,
    answer: &Answer,
) -> Result<(), String> {
    if answer.status >= 500 {
        return Err(format!(
            "answered {}: {}",
            answer.status,
            String::from_utf8_lossy(&answer.body)
        ));
    }
    let Some(_) = answer.header("x-amzn-requestid") else {
        // Only the HTTP server itself answers without one: a request it cannot parse.
        return match answer.status {
            400 | 413 | 414 | 431 => Ok(()),
            other => Err(format!("answered {other} without a request id")),
        };
    };
    let message = serde_json::from_slice::<serde_json::Value>(&answer.body)
        .ok()
        .and_then(|v| v.get("message")?.as_str().map(str::to_owned))
        .unwrap_or_default();
    if signed && answer.status == 401 && message.contains("signature") {
        return Err(format!(
            "a request signed by aws-sigv4 was refused for its signature: {message}"
        ));
    }
    let method = Method::from_bytes(case.method.as_bytes()).map_err(|e| e.to_string())?;
    // Past the signature, the operation the pipeline routed the request to reads the answer.
    if answer.status != 401 {
        if let Some((op, _)) = route_request(&method, target) {
            read_answer(
                op.name(),
                answer.status,
                answer.header("x-amzn-errortype"),
                &answer.body,
            )?;
        }
    }
    Ok(())
}

#[test]
fn signed_mutated_requests_get_answers_the_client_reads() {
    fuzzing::check(
        "signed requests",
        CASES,
        requests(seed_requests()),
        |case| send_signed(case).map(|_| ()),
    );
}

/// The example requests, signed and sent as they are, are answered and never refused for their
/// signature: the property starts from requests that get through.
#[test]
fn the_example_requests_get_through_the_signature_check() {
    for seed in seed_requests() {
        let case = RequestCase::unchanged(&seed);
        match send_signed(&case) {
            Err(e) => panic!("{} {}: {e}", seed.method, seed.target),
            Ok(401) => panic!("{} {}: refused as unauthorized", seed.method, seed.target),
            Ok(_) => {}
        }
    }
}
