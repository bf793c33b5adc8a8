//! The delay before a chunk is sent again.

use std::time::Duration;

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
    fn backoff_grows_and_is_capped() {
        let cap = Duration::from_secs(5);
        for attempt in 0..30 {
            let d = backoff(Duration::from_millis(200), cap, attempt);
            assert!(d <= cap);
        }
        assert!(backoff(Duration::from_millis(200), cap, 1) >= Duration::from_millis(200));
    }
}
