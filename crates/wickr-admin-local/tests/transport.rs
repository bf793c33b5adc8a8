//! What every answer carries and how slow clients are cut off: an `x-amzn-RequestId` on every
//! response the emulator sends (successes, errors, throttling, injected faults, replays), and a
//! read timeout on headers and bodies alike.

mod common;

use common::{raw_request, start, start_demo, RawResponse, Signing};
use std::collections::HashSet;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wickr_admin_local::{Emulator, FaultSpec, RunningEmulator, DEMO_GROUP_ID, DEMO_NETWORK_ID};

fn request_id(r: &RawResponse) -> String {
    let id = r
        .header("x-amzn-requestid")
        .unwrap_or_else(|| panic!("no x-amzn-RequestId on {} {}", r.status, r.body))
        .to_owned();
    let groups: Vec<usize> = id.split('-').map(str::len).collect();
    assert_eq!(groups, [8, 4, 4, 4, 12], "not a UUID: {id}");
    assert!(
        id.bytes().all(|b| b == b'-' || b.is_ascii_hexdigit()),
        "{id}"
    );
    id
}

async fn signed(emulator: &RunningEmulator, method: &str, path: &str, body: &[u8]) -> RawResponse {
    raw_request(emulator, method, path, body, Some(Signing::default_key()))
        .await
        .expect("an answer")
}

fn create_body(name: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "users": [{"username": name, "securityGroupIds": [DEMO_GROUP_ID]}]
    }))
    .unwrap()
}

#[tokio::test]
async fn every_answer_carries_a_fresh_request_id() {
    let emulator = start_demo().await;
    let users = format!("/networks/{DEMO_NETWORK_ID}/users");
    let mut seen = Vec::new();
    let mut expect = |r: RawResponse, status: u16| {
        assert_eq!(r.status, status, "{}", r.body);
        seen.push(request_id(&r));
    };
    expect(signed(&emulator, "GET", &users, b"").await, 200);
    expect(
        signed(&emulator, "POST", &users, b"{\"users\": 5}").await,
        422,
    );
    expect(signed(&emulator, "POST", &users, b"{").await, 400);
    expect(
        signed(&emulator, "GET", "/networks/12345678/nowhere", b"").await,
        404,
    );
    expect(
        signed(&emulator, "GET", "/networks/87654321/users", b"").await,
        404,
    );
    expect(
        signed(&emulator, "POST", &users, &vec![b' '; 1024 * 1024 + 1]).await,
        413,
    );
    expect(
        raw_request(&emulator, "GET", &users, b"", None)
            .await
            .unwrap(),
        401,
    );
    // A replayed answer is a new response with its own id.
    for _ in 0..2 {
        let r = common::raw_request_header_changed(
            &emulator,
            "POST",
            &users,
            &create_body("replayed@example.com"),
            &[("x-client-token", "token-1")],
            &[("x-client-token", "token-1")],
        )
        .await
        .unwrap();
        expect(r, 200);
    }
    let distinct: HashSet<&String> = seen.iter().collect();
    assert_eq!(distinct.len(), seen.len(), "ids repeat: {seen:?}");
}

#[tokio::test]
async fn throttled_and_fault_injected_answers_carry_a_request_id() {
    let users = format!("/networks/{DEMO_NETWORK_ID}/users");
    let limited = start(Emulator::builder().seed_demo_network(true).rate_limit(1)).await;
    assert_eq!(signed(&limited, "GET", &users, b"").await.status, 200);
    let throttled = signed(&limited, "GET", &users, b"").await;
    assert_eq!(throttled.status, 429, "{}", throttled.body);
    request_id(&throttled);

    for (spec, status) in [
        ("429=1", 429),
        ("500=1", 500),
        ("503=1", 503),
        ("delay=1:1ms", 200),
    ] {
        let faulty = start(
            Emulator::builder()
                .seed_demo_network(true)
                .faults(spec.parse::<FaultSpec>().unwrap()),
        )
        .await;
        let r = signed(&faulty, "GET", &users, b"").await;
        assert_eq!(r.status, status, "{spec}: {}", r.body);
        request_id(&r);
    }
}

#[tokio::test]
async fn client_errors_show_the_request_id() {
    let emulator = start_demo().await;
    let err = emulator
        .client()
        .get_user()
        .network_id(DEMO_NETWORK_ID)
        .user_id("999999")
        .send()
        .await
        .expect_err("no such user");
    let id = wickr_admin::operation::RequestId::request_id(&err)
        .expect("the error keeps the request id")
        .to_owned();
    let shown = wickr_admin::error::explain(&err);
    assert!(shown.contains(&id), "{shown}");
}

/// Writes `head`, then `trickle` one byte at a time every `every`, and returns what came back
/// and whether it came back before the trickle was over.
async fn trickle(
    emulator: &RunningEmulator,
    head: &[u8],
    trickle: &[u8],
    every: Duration,
) -> (String, bool) {
    let stream = tokio::net::TcpStream::connect(emulator.local_addr())
        .await
        .unwrap();
    let (mut reader, mut writer) = stream.into_split();
    writer.write_all(head).await.unwrap();
    let trickle = trickle.to_vec();
    let writing = tokio::spawn(async move {
        for byte in trickle {
            tokio::time::sleep(every).await;
            if writer.write_all(&[byte]).await.is_err() {
                return false;
            }
        }
        true
    });
    let mut answer = Vec::new();
    // Reads until the emulator closes the connection (a reset counts as closed).
    let _ = reader.read_to_end(&mut answer).await;
    let finished_sending = writing.is_finished() && writing.await.unwrap_or(false);
    (
        String::from_utf8_lossy(&answer).into_owned(),
        !finished_sending,
    )
}

#[tokio::test]
async fn a_slow_body_gets_408_and_the_connection_closes() {
    let emulator = start(
        Emulator::builder()
            .seed_demo_network(true)
            .read_timeout(Duration::from_millis(300)),
    )
    .await;
    let head = format!(
        "POST /networks/{DEMO_NETWORK_ID}/users HTTP/1.1\r\nhost: x\r\n\
         content-type: application/json\r\ncontent-length: 40\r\n\r\n"
    );
    // 40 bytes at one every 100 ms would take 4 s; the limit is 0.3 s.
    let (answer, early) = trickle(
        &emulator,
        head.as_bytes(),
        &[b' '; 40],
        Duration::from_millis(100),
    )
    .await;
    assert!(
        early,
        "the connection stayed open for the whole body: {answer}"
    );
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer
        .to_ascii_lowercase()
        .contains("x-amzn-errortype: requesttimeoutexception"));
    assert!(answer.to_ascii_lowercase().contains("x-amzn-requestid: "));
    // The emulator still serves others.
    let r = signed(
        &emulator,
        "GET",
        &format!("/networks/{DEMO_NETWORK_ID}/users"),
        b"",
    )
    .await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn slow_headers_close_the_connection() {
    let emulator = start(
        Emulator::builder()
            .seed_demo_network(true)
            .read_timeout(Duration::from_millis(300)),
    )
    .await;
    let rest = "host: x\r\ncontent-length: 0\r\n\r\n";
    let (_, early) = trickle(
        &emulator,
        format!("GET /networks/{DEMO_NETWORK_ID}/users HTTP/1.1\r\n").as_bytes(),
        rest.as_bytes(),
        Duration::from_millis(100),
    )
    .await;
    assert!(early, "the connection stayed open for the whole header");
}

#[tokio::test]
async fn a_zero_read_timeout_is_refused() {
    let err = Emulator::builder()
        .read_timeout(Duration::ZERO)
        .start()
        .await
        .expect_err("zero is refused");
    assert!(err.to_string().contains("read timeout"), "{err}");
}
