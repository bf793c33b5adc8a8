//! Fault injection: observed rates match the spec with a fixed seed, the sequence is
//! reproducible, and a lost answer is recovered by retrying with the same client token.

mod common;

use aws_sdk_wickr::config::retry::RetryConfig;
use aws_sdk_wickr::config::{BehaviorVersion, Credentials, Region};
use common::{raw_request, sdk_client, start, Signing};
use wickr_admin_local::{Emulator, FaultSpec, DEMO_GROUP_ID, DEMO_NETWORK_ID};

/// Outcome of one request: a status code, or 0 when the connection closed without an answer.
async fn outcomes(seed: u64, n: usize) -> Vec<u16> {
    let spec: FaultSpec = "429=0.1,500=0.1,503=0.05,reset=0.05,lost=0.05,delay=0.05:1ms"
        .parse()
        .unwrap();
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
        match raw_request(&emulator, "GET", &path, b"", Some(Signing::default_key())).await {
            Ok(r) => out.push(r.status),
            Err(_) => out.push(0),
        }
    }
    emulator.shutdown().await;
    out
}

/// Tolerance on each observed rate: 0.035 absolute, about 3.5 standard deviations of a 10 %
/// rate over 1,000 requests.
const TOLERANCE: f64 = 0.035;

#[tokio::test]
async fn observed_rates_match_the_spec_and_repeat_with_the_seed() {
    let n = 1000;
    let first = outcomes(42, n).await;
    let rate = |code: u16| first.iter().filter(|c| **c == code).count() as f64 / n as f64;
    for (code, expected) in [
        (429, 0.10),
        (500, 0.10),
        (503, 0.05),
        (0, 0.10),
        (200, 0.65),
    ] {
        let observed = rate(code);
        assert!(
            (observed - expected).abs() <= TOLERANCE,
            "status {code}: observed {observed}, expected {expected} +/- {TOLERANCE}"
        );
    }
    let again = outcomes(42, 200).await;
    assert_eq!(
        &first[..200],
        &again[..],
        "same seed, same request order, same faults"
    );
    let other = outcomes(43, 200).await;
    assert_ne!(
        &first[..200],
        &other[..],
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
