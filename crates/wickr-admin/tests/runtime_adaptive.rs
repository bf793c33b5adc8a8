//! Adaptive retry mode, on a simulated clock: every wait the client asks for moves the clock
//! forward by that much and returns at once, so the rate limiter's decisions are visible as
//! requested waits.

mod runtime_support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_smithy_async::rt::sleep::{AsyncSleep, Sleep};
use aws_smithy_async::time::TimeSource;
use runtime_support::probe::{probe_input, Probe};
use runtime_support::{config_for, Action, ScriptedServer};
use wickr_admin::config::{IdentityCache, RetryConfig, TimeoutConfig};
use wickr_admin::Client;

/// A clock that only moves when someone sleeps on it.
#[derive(Clone, Debug)]
struct SimulatedClock {
    now: Arc<Mutex<SystemTime>>,
    waits: Arc<Mutex<Vec<Duration>>>,
}

impl SimulatedClock {
    fn new() -> Self {
        Self {
            now: Arc::new(Mutex::new(UNIX_EPOCH + Duration::from_secs(1_800_000_000))),
            waits: Arc::default(),
        }
    }

    fn waits(&self) -> Vec<Duration> {
        self.waits.lock().map(|w| w.clone()).unwrap_or_default()
    }
}

impl TimeSource for SimulatedClock {
    fn now(&self) -> SystemTime {
        self.now.lock().map(|t| *t).unwrap_or(UNIX_EPOCH)
    }
}

impl AsyncSleep for SimulatedClock {
    fn sleep(&self, duration: Duration) -> Sleep {
        if let Ok(mut now) = self.now.lock() {
            *now += duration;
        }
        if let Ok(mut waits) = self.waits.lock() {
            waits.push(duration);
        }
        Sleep::new(async {})
    }
}

/// Runs one call answered by three throttles, then five calls answered at once, and returns the
/// waits requested during the five.
async fn waits_after_throttling(retry: RetryConfig) -> Vec<Duration> {
    let throttled = || Action::json(429, "{}").header("x-amzn-errortype", "RateLimitError");
    let mut script = vec![throttled(), throttled(), throttled()];
    script.extend((0..5).map(|_| Action::json(200, r#"{"ok":true}"#)));
    let server = ScriptedServer::start(script).await;
    let clock = SimulatedClock::new();
    let client = Client::from_conf(
        config_for(&server.url)
            .sleep_impl(clock.clone())
            .time_source(clock.clone())
            .timeout_config(TimeoutConfig::disabled())
            .identity_cache(IdentityCache::no_cache())
            .retry_config(retry)
            .build(),
    );
    // The simulated clock cannot hang a test, but a guard makes sure of it.
    let guard = Duration::from_secs(20);
    let first = tokio::time::timeout(guard, client.call::<Probe>(probe_input(&["a"]))).await;
    assert!(
        matches!(first, Ok(Err(_))),
        "three throttles end the first call"
    );
    let before = clock.waits().len();
    for name in ["b", "c", "d", "e", "f"] {
        let next = tokio::time::timeout(guard, client.call::<Probe>(probe_input(&[name]))).await;
        assert!(matches!(next, Ok(Ok(_))), "{next:?}");
    }
    assert_eq!(server.received().len(), 8);
    clock.waits().split_off(before)
}

#[tokio::test]
async fn throttling_makes_an_adaptive_client_wait_before_its_next_calls() {
    let waits = waits_after_throttling(RetryConfig::adaptive()).await;
    let slowed: Duration = waits.iter().sum();
    assert!(
        slowed >= Duration::from_millis(100),
        "the calls after throttling were not slowed down: {waits:?}"
    );
}

#[tokio::test]
async fn a_standard_client_does_not_wait_before_its_next_calls() {
    let waits = waits_after_throttling(RetryConfig::standard()).await;
    assert!(waits.is_empty(), "{waits:?}");
}
