//! Per-network request rate limit: at most N requests in each one-second window per network.
//! Requests beyond it get `RateLimitError` with `Retry-After`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Fixed one-second windows keyed by network id (calls without a network share one key).
#[derive(Debug)]
pub struct RateLimiter {
    per_second: u32,
    origin: Instant,
    windows: Mutex<HashMap<String, (u64, u32)>>,
}

impl RateLimiter {
    /// A limiter allowing `per_second` requests per network per second.
    pub fn new(per_second: u32) -> Self {
        RateLimiter {
            per_second,
            origin: Instant::now(),
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one request for `network`; `false` when it is over the limit.
    pub fn allow(&self, network: &str) -> bool {
        let second = self.origin.elapsed().as_secs();
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
