//! Fault injection: observed rates match the spec with a fixed seed, the sequence is
//! reproducible, and a lost answer is recovered by retrying with the same client token.

mod common;

use aws_sdk_wickr::config::retry::RetryConfig;
use aws_sdk_wickr::config::{BehaviorVersion, Credentials, Region};
use common::{raw_request, sdk_client, start, Signing};
use std::io::ErrorKind;
use std::time::{Duration, Instant};
use wickr_admin_local::{Emulator, FaultCounts, FaultSpec, DEMO_GROUP_ID, DEMO_NETWORK_ID};

/// What a client saw for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    /// An HTTP answer with this status; `slow` when it took at least the configured delay.
    Status { code: u16, slow: bool },
    /// The connection was reset (RST) without an answer.
    Reset,
    /// The connection closed normally (FIN) without an answer.
    Closed,
    /// Any other I/O failure.
    Other,
}

const DELAY: Duration = Duration::from_millis(20);
const SPEC: &str = "429=0.1,500=0.1,503=0.05,reset=0.05,lost=0.05,delay=0.05:20ms";

/// Sends `n` GETs (one connection each) and returns what the client saw plus the emulator's own
/// fault counters.
async fn outcomes(seed: u64, n: usize) -> (Vec<Seen>, FaultCounts) {
    let spec: FaultSpec = SPEC.parse().unwrap();
    assert_eq!(spec.delay_for, DELAY);
    let emulator = start(
        Emulator::builder()
            .seed_demo_network(true)
            .faults(spec)
            .fault_seed(seed),
    )
    .await;
    let path = format!("/networks/{DEMO_NETWORK_ID}");
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let started = Instant::now();
        let seen =
            match raw_request(&emulator, "GET", &path, b"", Some(Signing::default_key())).await {
                Ok(r) => Seen::Status {
                    code: r.status,
                    slow: started.elapsed() >= DELAY,
                },
                Err(e) if e.kind() == ErrorKind::ConnectionReset => Seen::Reset,
                // `raw_request` reports a stream that ended without an HTTP answer as UnexpectedEof.
                Err(e) if e.kind() == ErrorKind::UnexpectedEof => Seen::Closed,
                Err(_) => Seen::Other,
            };
        out.push(seen);
    }
    let counts = emulator.faults_injected();
    emulator.shutdown().await;
    (out, counts)
}

/// Tolerance on each injected rate: 0.035 absolute, about 3.5 standard deviations of a 10 %
/// rate over 1,000 requests.
const TOLERANCE: f64 = 0.035;

#[tokio::test]
async fn each_fault_rate_matches_the_spec_and_clients_see_each_kind() {
    let n = 1000;
    let (seen, counts) = outcomes(42, n).await;

    // 1. The emulator's own counters: each kind's rate within tolerance of the spec.
    let spec: FaultSpec = SPEC.parse().unwrap();
    for (kind, count, expected) in [
        ("429", counts.throttle, spec.throttle),
        ("500", counts.internal, spec.internal),
        ("503", counts.unavailable, spec.unavailable),
        ("reset", counts.reset, spec.reset),
        ("delay", counts.delay, spec.delay),
        ("lost", counts.lost, spec.lost),
    ] {
        let observed = count as f64 / n as f64;
        assert!(
            (observed - expected).abs() <= TOLERANCE,
            "{kind}: injected rate {observed}, expected {expected} +/- {TOLERANCE}"
        );
        assert!(count > 0, "{kind}: never injected");
    }

    // 2. What the client saw matches the counters exactly, kind by kind.
    let count = |f: &dyn Fn(&Seen) -> bool| seen.iter().filter(|s| f(s)).count() as u64;
    let status = |c: u16| count(&|s| matches!(s, Seen::Status { code, .. } if *code == c));
    assert_eq!(status(429), counts.throttle, "429 answers");
    assert_eq!(status(500), counts.internal, "500 answers");
    assert_eq!(status(503), counts.unavailable, "503 answers");
    assert_eq!(count(&|s| *s == Seen::Reset), counts.reset, "TCP resets");
    assert_eq!(
        count(&|s| *s == Seen::Closed),
        counts.lost,
        "closed without answer"
    );
    assert_eq!(count(&|s| *s == Seen::Other), 0, "unexpected failures");
    assert_eq!(
        status(200),
        n as u64 - counts.total() + counts.delay,
        "200 answers"
    );
    // Every delayed request took at least the delay, so the slow 200s are at least the delayed
    // ones. The undelayed 200s must not all be slow too (that would mean the delay is applied to
    // every request), but how many of them reach 20 ms depends on the machine's load, not on the
    // emulator: the bound only asks that at most half of them are slow, which a delay applied
    // to every request fails and a busy machine does not.
    let slow_ok = count(&|s| {
        matches!(
            s,
            Seen::Status {
                code: 200,
                slow: true
            }
        )
    });
    assert!(
        slow_ok >= counts.delay,
        "{slow_ok} slow answers, {} delays injected",
        counts.delay
    );
    let undelayed_ok = status(200) - counts.delay;
    let undelayed_slow = slow_ok - counts.delay;
    assert!(
        undelayed_slow <= undelayed_ok / 2,
        "{undelayed_slow} of {undelayed_ok} undelayed 200 answers took at least {DELAY:?}"
    );

    // 3. Reproducible with the seed, different with another seed.
    let strip = |v: &[Seen]| -> Vec<Seen> {
        v.iter()
            .map(|s| match s {
                Seen::Status { code, .. } => Seen::Status {
                    code: *code,
                    slow: false,
                },
                other => *other,
            })
            .collect()
    };
    let (again, _) = outcomes(42, 200).await;
    assert_eq!(
        strip(&seen[..200]),
        strip(&again),
        "same seed, same request order, same faults"
    );
    let (other, _) = outcomes(43, 200).await;
    assert_ne!(
        strip(&seen[..200]),
        strip(&other),
        "another seed gives another sequence"
    );
}

#[tokio::test]
async fn lost_answers_are_recovered_by_retrying_with_the_same_token() {
    let emulator = start(
        Emulator::builder()
            .seed_demo_network(true)
            .faults("lost=0.3".parse().unwrap())
            .fault_seed(7),
    )
    .await;
    let config = aws_sdk_wickr::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            wickr_admin_local::DEFAULT_ACCESS_KEY_ID,
            wickr_admin_local::DEFAULT_SECRET_ACCESS_KEY,
            None,
            None,
            "test",
        ))
        .endpoint_url(emulator.endpoint_url())
        .retry_config(RetryConfig::standard().with_max_attempts(10))
        .build();
    let client = aws_sdk_wickr::Client::from_conf(config);
    for i in 0..20 {
        let out = client
            .batch_create_user()
            .network_id(DEMO_NETWORK_ID)
            .users(
                aws_sdk_wickr::types::BatchCreateUserRequestItem::builder()
                    .username(format!("lost{i}@example.com"))
                    .security_group_ids(DEMO_GROUP_ID)
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(out.successful().len(), 1, "call {i}: {:?}", out.failed());
        assert!(
            out.failed().is_empty(),
            "call {i}: retry saw its own first attempt"
        );
    }
    // Counting goes through a fault-free path: GET counts may be lost too, so retry them.
    let total = sdk_client(&emulator);
    let mut count = None;
    for _ in 0..20 {
        if let Ok(c) = total
            .get_users_count()
            .network_id(DEMO_NETWORK_ID)
            .send()
            .await
        {
            count = Some(c.total());
            break;
        }
    }
    assert_eq!(
        count,
        Some(21),
        "20 created exactly once, plus the seeded admin"
    );
}
