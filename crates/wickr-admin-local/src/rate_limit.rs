//! Per-network request rate limit: at most N requests in each one-second window per network.
//! Requests beyond it get `RateLimitError` with `Retry-After`.
//!
//! Windows are measured on a [`Clock`], the same one that expires idempotency tokens; tests can
//! inject a [`crate::ManualClock`] to move from one window to the next without waiting.

use crate::idempotency::{Clock, SystemClock};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Fixed one-second windows keyed by network id (calls without a network share one key).
#[derive(Debug)]
pub struct RateLimiter {
    per_second: u32,
    clock: Arc<dyn Clock>,
    origin: Instant,
    windows: Mutex<HashMap<String, (u64, u32)>>,
}

impl RateLimiter {
    /// A limiter allowing `per_second` requests per network per second, on the real clock.
    pub fn new(per_second: u32) -> Self {
        Self::with_clock(per_second, Arc::new(SystemClock))
    }

    /// A limiter allowing `per_second` requests per network per second, measuring windows on
    /// `clock`. The first window starts at the clock's current instant.
    pub fn with_clock(per_second: u32, clock: Arc<dyn Clock>) -> Self {
        let origin = clock.now();
        RateLimiter {
            per_second,
            clock,
            origin,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one request for `network`; `false` when it is over the limit.
    pub fn allow(&self, network: &str) -> bool {
        let second = self
            .clock
            .now()
            .saturating_duration_since(self.origin)
            .as_secs();
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if windows.len() > 10_000 {
            windows.retain(|_, (s, _)| *s == second);
        }
        let slot = windows.entry(network.to_owned()).or_insert((second, 0));
        if slot.0 != second {
            *slot = (second, 0);
        }
        if slot.1 >= self.per_second {
            return false;
        }
        slot.1 += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::idempotency::ManualClock;
    use std::time::Duration;

    #[test]
    fn windows_follow_the_injected_clock() {
        let clock = Arc::new(ManualClock::new());
        let limiter = RateLimiter::with_clock(2, clock.clone());
        assert!(limiter.allow("a"));
        assert!(limiter.allow("a"));
        assert!(!limiter.allow("a"));
        assert!(limiter.allow("b"), "each network has its own window");
        clock.advance(Duration::from_millis(999));
        assert!(!limiter.allow("a"), "still the first window");
        clock.advance(Duration::from_millis(1));
        assert!(limiter.allow("a"));
        assert!(limiter.allow("a"));
        assert!(!limiter.allow("a"));
    }
}
