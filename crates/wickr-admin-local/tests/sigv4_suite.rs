//! The AWS SigV4 test suite (`fixtures/sigv4/cases.json`): for every case the emulator's
//! verifier rebuilds the published canonical request and string to sign, accepts the published
//! signature with the suite's secret and refuses it with any other secret. Cases that an HTTP
//! client can send are also sent over a socket to an emulator set up for the suite's service,
//! region, key and date.

use http::{HeaderMap, HeaderName, HeaderValue};
use serde_json::Value;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wickr_admin_local::auth::{AccessKey, KeyStore, SignedRequest, Verifier};
use wickr_admin_local::{Emulator, RunningEmulator};

const CASES: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../fixtures/sigv4/cases.json"
));
const KEY_ID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const SERVICE: &str = "service";
const REGION: &str = "us-east-1";

/// 2015-08-30T12:36:00Z, the suite's request date.
fn suite_time() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_440_938_160)
}

/// Cases whose request line or headers the HTTP stack refuses before any handler sees them,
/// with the reason. They are checked on the verifier directly (every case is), and the test
/// below confirms that sending them over HTTP is indeed refused by the stack.
const NOT_SENDABLE: &[(&str, &str)] = &[
    (
        "get-header-value-multiline",
        "a header continued on the next line (obsolete line folding) is refused by HTTP/1.1 parsers",
    ),
    (
        "normalize-path/get-space",
        "a raw space ends the request target, so the request line has four parts",
    ),
];

struct Case {
    name: String,
    signed_request: String,
    canonical_request: String,
    string_to_sign: String,
}

fn cases() -> Vec<Case> {
    let all: Vec<Value> = serde_json::from_str(CASES).expect("the fixture is JSON");
    let text = |case: &Value, key: &str| {
        case[key]
            .as_str()
            .unwrap_or_else(|| panic!("a case without {key}: {case}"))
            .to_owned()
    };
    let mut stale = Vec::new();
    let cases: Vec<Case> = all
        .iter()
        .map(|case| {
            let name = text(case, "name");
            let authorization = format!("Authorization: {}", text(case, "authz"));
            let (signed_request, replaced) =
                with_authorization(&text(case, "sreq"), &authorization);
            if replaced {
                stale.push(name.clone());
            }
            Case {
                name,
                signed_request,
                canonical_request: text(case, "creq"),
                string_to_sign: text(case, "sts"),
            }
        })
        .collect();
    assert!(
        cases.len() >= 30,
        "only {} cases in the fixture",
        cases.len()
    );
    // The suite's signed request for this case carries a signature that does not match its
    // own string to sign; its `authz` (the signature the suite expects) does.
    assert_eq!(stale, ["get-vanilla-with-session-token"]);
    cases
}

/// `sreq` with its Authorization line set to `authorization`; `true` when that changed it.
fn with_authorization(sreq: &str, authorization: &str) -> (String, bool) {
    let (head, body) = match sreq.split_once("\n\n") {
        Some((h, b)) => (h, Some(b)),
        None => (sreq, None),
    };
    let mut changed = false;
    let lines: Vec<&str> = head
        .lines()
        .map(|line| {
            if line.starts_with("Authorization:") && line != authorization {
                changed = true;
                authorization
            } else {
                line
            }
        })
        .collect();
    let mut out = lines.join("\n");
    if let Some(body) = body {
        out.push_str("\n\n");
        out.push_str(body);
    }
    (out, changed)
}

/// A request of the suite, parsed as an HTTP/1.1 server would (header lines that start with
/// whitespace continue the previous value, joined with one space).
struct ParsedRequest {
    method: String,
    path: String,
    query: Option<String>,
    headers: HeaderMap,
    body: Vec<u8>,
}

fn parse(text: &str) -> ParsedRequest {
    let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
    let mut lines = head.lines();
    let request_line = lines.next().expect("a request line");
    let method = request_line.split(' ').next().expect("a method").to_owned();
    let target = request_line
        .strip_prefix(&format!("{method} "))
        .and_then(|rest| rest.strip_suffix(" HTTP/1.1"))
        .expect("METHOD target HTTP/1.1");
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (target.to_owned(), None),
    };
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            let last = fields.last_mut().expect("a continuation after a header");
            last.1.push(' ');
            last.1.push_str(line.trim());
        } else {
            let (name, value) = line.split_once(':').expect("name:value");
            // Leading and trailing whitespace around a field value is not part of it.
            fields.push((name.to_owned(), value.trim().to_owned()));
        }
    }
    let mut headers = HeaderMap::new();
    for (name, value) in fields {
        headers.append(
            HeaderName::from_bytes(name.as_bytes()).expect("a header name"),
            HeaderValue::from_str(&value).expect("a header value"),
        );
    }
    ParsedRequest {
        method,
        path,
        query,
        headers,
        body: body.as_bytes().to_vec(),
    }
}

fn verifier(secret: &str) -> Verifier {
    let mut keys = KeyStore::default();
    keys.insert(AccessKey {
        id: KEY_ID.to_owned(),
        secret: secret.to_owned(),
        read_only: false,
    })
    .expect("one key");
    Verifier::new(keys, SERVICE, REGION).at(suite_time())
}

#[test]
fn the_verifier_rebuilds_every_canonical_request_and_checks_every_signature() {
    let right = verifier(SECRET);
    let wrong = verifier("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEZ");
    for case in cases() {
        let parsed = parse(&case.signed_request);
        let request = SignedRequest {
            method: &parsed.method,
            path: &parsed.path,
            query: parsed.query.as_deref(),
            headers: &parsed.headers,
            body: &parsed.body,
        };
        let strings = right
            .signing_strings(&request)
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        assert_eq!(
            strings.canonical_request, case.canonical_request,
            "{}: canonical request",
            case.name
        );
        assert_eq!(
            strings.string_to_sign, case.string_to_sign,
            "{}: string to sign",
            case.name
        );
        if let Err(e) = right.verify(&request) {
            panic!("{}: refused with the right secret: {e}", case.name);
        }
        let refused = wrong.verify(&request).expect_err(&case.name);
        assert!(
            refused.to_string().contains("signature does not match"),
            "{}: {refused}",
            case.name
        );
    }
}

async fn suite_emulator(secret: &str) -> RunningEmulator {
    Emulator::builder()
        .access_key(KEY_ID, secret)
        .signing_name(SERVICE)
        .region(REGION)
        .fixed_signing_time(suite_time())
        .start()
        .await
        .expect("the emulator starts")
}

/// Sends a suite request as written (CRLF line ends, plus framing headers the signature does
/// not cover) and returns the status and the `x-amzn-errortype` header.
async fn send(emulator: &RunningEmulator, text: &str) -> (u16, Option<String>) {
    let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
    let mut raw = head.replace('\n', "\r\n");
    raw.push_str(&format!(
        "\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    ));
    let mut stream = tokio::net::TcpStream::connect(emulator.local_addr())
        .await
        .expect("connect");
    stream.write_all(raw.as_bytes()).await.expect("send");
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer))
        .await
        .expect("an answer within 10 s")
        .expect("read");
    let answer = String::from_utf8_lossy(&answer);
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let error_type = answer.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.eq_ignore_ascii_case("x-amzn-errortype")
            .then(|| value.trim().to_owned())
    });
    (status, error_type)
}

#[tokio::test]
async fn sendable_cases_are_accepted_over_http_with_the_right_secret_only() {
    let right = suite_emulator(SECRET).await;
    let wrong = suite_emulator("not-the-suite-secret").await;
    let mut sent = 0;
    for case in cases() {
        let not_sendable = NOT_SENDABLE.iter().any(|(name, _)| *name == case.name);
        let (status, error_type) = send(&right, &case.signed_request).await;
        if not_sendable {
            // The HTTP stack answers 400 itself: no handler, so no modeled error type.
            assert_eq!(
                (status, error_type.as_deref()),
                (400, None),
                "{}",
                case.name
            );
            continue;
        }
        // The signature is checked before routing, so a path the service does not have
        // (every suite path) is 404 only once the signature was accepted.
        assert_eq!(
            (status, error_type.as_deref()),
            (404, Some("UnknownOperationException")),
            "{}: accepted with the right secret",
            case.name
        );
        let (status, error_type) = send(&wrong, &case.signed_request).await;
        assert_eq!(
            (status, error_type.as_deref()),
            (401, Some("UnauthorizedError")),
            "{}: refused with a wrong secret",
            case.name
        );
        sent += 1;
    }
    assert_eq!(sent, cases().len() - NOT_SENDABLE.len());
}
