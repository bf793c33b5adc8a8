//! Per-network rate limit: requests beyond N per second get RateLimitError with Retry-After.
//!
//! The windows run on an injected `ManualClock`, so the test decides when a second has passed
//! and does not depend on how fast the machine answers.

mod common;

use common::{raw_request, start, RawResponse, Signing};
use std::sync::Arc;
use std::time::Duration;
use wickr_admin_local::{Emulator, ManualClock, RunningEmulator, DEMO_NETWORK_ID};

async fn get(emulator: &RunningEmulator, path: &str) -> RawResponse {
    raw_request(emulator, "GET", path, b"", Some(Signing::default_key()))
        .await
        .expect("the emulator answers")
}

fn assert_throttled(r: &RawResponse) {
    assert_eq!(r.status, 429, "{r:?}");
    assert_eq!(
        r.header("x-amzn-errortype"),
        Some("RateLimitError"),
        "{r:?}"
    );
    assert_eq!(r.header("retry-after"), Some("1"), "{r:?}");
}

#[tokio::test]
async fn requests_beyond_the_limit_are_throttled_until_the_next_second() {
    let clock = Arc::new(ManualClock::new());
    let emulator = start(
        Emulator::builder()
            .seed_demo_network(true)
            .rate_limit(5)
            .clock(clock.clone()),
    )
    .await;
    let network = format!("/networks/{DEMO_NETWORK_ID}");

    let mut first_window = Vec::new();
    for _ in 0..12 {
        first_window.push(get(&emulator, &network).await);
    }
    let statuses: Vec<u16> = first_window.iter().map(|r| r.status).collect();
    assert_eq!(statuses[..5], [200; 5], "{statuses:?}");
    assert_eq!(statuses[5..], [429; 7], "{statuses:?}");
    for r in &first_window[5..] {
        assert_throttled(r);
    }

    // Calls without a network (ListNetworks) have a window of their own: the throttled demo
    // network does not use it up, and it runs out after five as well.
    for i in 0..5 {
        let r = get(&emulator, "/networks").await;
        assert_eq!(r.status, 200, "ListNetworks call {i}: {r:?}");
    }
    assert_throttled(&get(&emulator, "/networks").await);

    // The clock has not moved: the demo network is still throttled.
    assert_throttled(&get(&emulator, &network).await);

    clock.advance(Duration::from_secs(1));
    for i in 0..5 {
        let r = get(&emulator, &network).await;
        assert_eq!(r.status, 200, "call {i} in the second window: {r:?}");
    }
    assert_throttled(&get(&emulator, &network).await);
    assert_eq!(get(&emulator, "/networks").await.status, 200);
}
