//! Per-network rate limit: requests beyond N per second get RateLimitError with Retry-After.

mod common;

use common::{raw_request, start, Signing};
use wickr_admin_local::{Emulator, DEMO_NETWORK_ID};

#[tokio::test]
async fn requests_beyond_the_limit_are_throttled_with_retry_after() {
    let emulator = start(Emulator::builder().seed_demo_network(true).rate_limit(5)).await;
    let path = format!("/networks/{DEMO_NETWORK_ID}");
    let mut statuses = Vec::new();
    let mut throttled = None;
    for _ in 0..12 {
        let r = raw_request(&emulator, "GET", &path, b"", Some(Signing::default_key()))
            .await
            .unwrap();
        statuses.push(r.status);
        if r.status == 429 && throttled.is_none() {
            throttled = Some(r);
        }
    }
    let ok = statuses.iter().filter(|s| **s == 200).count();
    // The twelve requests may straddle a one-second boundary: at most two windows of five.
    assert!((5..=10).contains(&ok), "{statuses:?}");
    let r = throttled.expect("some requests are throttled");
    assert_eq!(r.header("x-amzn-errortype"), Some("RateLimitError"));
    assert_eq!(r.header("retry-after"), Some("1"));
}
