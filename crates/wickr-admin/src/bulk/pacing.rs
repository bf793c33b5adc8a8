//! How fast the job sends: the number of calls it runs at once, and the delay before a chunk is
//! sent again.

use std::time::{Duration, Instant};

/// Additive increase, multiplicative decrease of the number of concurrent calls.
pub(crate) struct Aimd {
    limit: f64,
    max: f64,
    last_cut: Option<Instant>,
    pub(crate) min_seen: u32,
}

impl Aimd {
    pub(crate) fn new(max: u32) -> Self {
        let max = f64::from(max.max(1));
        Self {
            limit: max,
            max,
            last_cut: None,
            min_seen: max as u32,
        }
    }

    pub(crate) fn current(&self) -> usize {
        self.limit.floor().max(1.0) as usize
    }

    pub(crate) fn on_success(&mut self) {
        self.limit = (self.limit + 1.0 / self.limit).min(self.max);
    }

    pub(crate) fn on_throttle(&mut self, now: Instant) {
        // One cut per round trip: calls that were already running when the last cut happened
        // report the same congestion.
        if self
            .last_cut
            .is_some_and(|t| now.duration_since(t) < Duration::from_millis(500))
        {
            return;
        }
        self.last_cut = Some(now);
        self.limit = (self.limit / 2.0).max(1.0);
        self.min_seen = self.min_seen.min(self.current() as u32);
    }
}

/// Delay before a chunk is sent again: exponential from `base`, capped, with jitter.
pub(crate) fn backoff(base: Duration, cap: Duration, attempt: u32) -> Duration {
    let exp = base.saturating_mul(1u32 << attempt.min(16));
    let full = exp.min(cap);
    full.mul_f64(0.5 + fastrand::f64() * 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aimd_halves_on_throttle_and_creeps_back() {
        let mut a = Aimd::new(8);
        let t0 = Instant::now();
        a.on_throttle(t0);
        assert_eq!(a.current(), 4);
        a.on_throttle(t0 + Duration::from_millis(100)); // same round trip: ignored
        assert_eq!(a.current(), 4);
        a.on_throttle(t0 + Duration::from_secs(1));
        assert_eq!(a.current(), 2);
        for _ in 0..100 {
            a.on_success();
        }
        assert_eq!(a.current(), 8);
        assert_eq!(a.min_seen, 2);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let cap = Duration::from_secs(5);
        for attempt in 0..30 {
            let d = backoff(Duration::from_millis(200), cap, attempt);
            assert!(d <= cap);
        }
        assert!(backoff(Duration::from_millis(200), cap, 1) >= Duration::from_millis(200));
    }
}
