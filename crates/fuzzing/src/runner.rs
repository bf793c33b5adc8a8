//! Runs a property over generated cases.
//!
//! Under `cargo test` a property runs a fixed number of cases from a fixed seed, so a run is
//! reproducible and bounded. With `WICKR_FUZZ_SECONDS` set (as `cargo xtask fuzz` sets it) it
//! runs batches from random seeds until that time is spent. `WICKR_FUZZ_SEED` replays one seed.
//!
//! Each case runs on a thread of its own and must finish within [`CASE_TIME_LIMIT`]. A case that
//! fails or panics is shrunk to a smaller input that still fails, and the test fails with the
//! seed, the reason and that input (its `Debug`, which for the workspace's case types is a Rust
//! expression to paste into a regression test). A case that does not finish is a hang: its input
//! is printed and the process aborts, since the stuck thread cannot be stopped.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};

/// Seconds to fuzz each property for; unset under `cargo test`.
pub const SECONDS_VAR: &str = "WICKR_FUZZ_SECONDS";
/// A seed to run (under `cargo test`) or to start from (when fuzzing).
pub const SEED_VAR: &str = "WICKR_FUZZ_SEED";
/// The seed under `cargo test`.
pub const TEST_SEED: u64 = 0x5749_434b_5221;
/// Longest a case may take before it counts as a hang. Far above what any case needs (they take
/// milliseconds): it catches readers that never return, not slow ones.
pub const CASE_TIME_LIMIT: Duration = Duration::from_secs(60);

/// How a property runs: cases per seed, and for how long when fuzzing.
#[derive(Clone, Copy, Debug)]
struct Budget {
    cases: u32,
    first_seed: u64,
    fuzz_for: Option<Duration>,
}

impl Budget {
    fn from_env(cases: u32) -> Result<Self, String> {
        let first_seed = match std::env::var(SEED_VAR) {
            Ok(text) => parse_seed(&text)
                .ok_or_else(|| format!("{SEED_VAR}={text:?} is not a 64-bit seed"))?,
            Err(_) => TEST_SEED,
        };
        let fuzz_for = match std::env::var(SECONDS_VAR) {
            Ok(text) => Some(Duration::from_secs(text.trim().parse().map_err(|_| {
                format!("{SECONDS_VAR}={text:?} is not a whole number of seconds")
            })?)),
            Err(_) => None,
        };
        let first_seed = if fuzz_for.is_some() && std::env::var(SEED_VAR).is_err() {
            random_seed()
        } else {
            first_seed
        };
        Ok(Self {
            cases,
            first_seed,
            fuzz_for,
        })
    }
}

fn parse_seed(text: &str) -> Option<u64> {
    let text = text.trim();
    match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    }
}

fn random_seed() -> u64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    hasher.finish()
}

fn rng(seed: u64) -> TestRng {
    let mut bytes = [0u8; 32];
    for (i, chunk) in bytes.chunks_mut(8).enumerate() {
        chunk.copy_from_slice(&(seed.rotate_left(i as u32 * 16) ^ i as u64).to_le_bytes());
    }
    TestRng::from_seed(RngAlgorithm::ChaCha, &bytes)
}

/// Runs `property` on `cases` cases drawn from `strategy` (or for the fuzzing time), and panics
/// with the seed, the reason and a smallest failing input when a case fails.
///
/// `property` returns `Err` with what is wrong; a panic inside it fails the case too.
pub fn check<S, F>(name: &str, cases: u32, strategy: S, property: F)
where
    S: Strategy,
    S::Value: Clone + Send + fmt::Debug + 'static,
    F: Fn(&S::Value) -> Result<(), String> + Send + Sync + 'static,
{
    let budget = Budget::from_env(cases).unwrap_or_else(|e| panic!("{e}"));
    let property = Arc::new(property);
    let started = Instant::now();
    let mut seed = budget.first_seed;
    let mut total = 0u64;
    loop {
        run_seed(name, seed, budget.cases, &strategy, &property);
        total += u64::from(budget.cases);
        match budget.fuzz_for {
            Some(limit) if started.elapsed() < limit => seed = random_seed(),
            _ => break,
        }
    }
    if budget.fuzz_for.is_some() {
        eprintln!(
            "property `{name}`: {total} cases in {:.1} s, no failure",
            started.elapsed().as_secs_f64()
        );
    }
}

fn run_seed<S, F>(name: &str, seed: u64, cases: u32, strategy: &S, property: &Arc<F>)
where
    S: Strategy,
    S::Value: Clone + Send + fmt::Debug + 'static,
    F: Fn(&S::Value) -> Result<(), String> + Send + Sync + 'static,
{
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 4096,
        max_shrink_time: 120_000,
        ..Config::default()
    };
    let mut runner = TestRunner::new_with_rng(config, rng(seed));
    let result = runner.run(strategy, |value| run_case(name, seed, value, property));
    match result {
        Ok(()) => {}
        Err(TestError::Fail(reason, input)) => panic!(
            "property `{name}` failed (seed {seed:#x}; replay with {SEED_VAR}={seed:#x}): \
             {reason}\nsmallest failing input:\n{input:?}"
        ),
        Err(TestError::Abort(reason)) => {
            panic!("property `{name}` stopped (seed {seed:#x}): {reason}")
        }
    }
}

fn run_case<V, F>(name: &str, seed: u64, value: V, property: &Arc<F>) -> Result<(), TestCaseError>
where
    V: Clone + Send + fmt::Debug + 'static,
    F: Fn(&V) -> Result<(), String> + Send + Sync + 'static,
{
    let (done, outcome) = mpsc::channel();
    let worker = {
        let property = property.clone();
        let value = value.clone();
        std::thread::Builder::new()
            .name(format!("case of {name}"))
            .spawn(move || {
                let result = property(&value);
                let _ = done.send(result);
            })
            .map_err(|e| TestCaseError::fail(format!("cannot start a thread: {e}")))?
    };
    match outcome.recv_timeout(CASE_TIME_LIMIT) {
        Ok(result) => {
            let _ = worker.join();
            result.map_err(TestCaseError::fail)
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let reason = match worker.join() {
                Err(payload) => panic_message(payload.as_ref()),
                Ok(()) => "the case ended without a result".to_owned(),
            };
            Err(TestCaseError::fail(format!("panicked: {reason}")))
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            eprintln!(
                "property `{name}` hung (seed {seed:#x}; replay with {SEED_VAR}={seed:#x}): \
                 a case ran past {} s\ninput:\n{value:?}",
                CASE_TIME_LIMIT.as_secs()
            );
            std::process::abort();
        }
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failing_property_reports_its_seed_and_a_small_input() {
        let outcome = std::panic::catch_unwind(|| {
            check(
                "sum below 100",
                256,
                proptest::collection::vec(0u32..50, 0..20),
                |v| {
                    let sum: u32 = v.iter().sum();
                    if sum < 100 {
                        Ok(())
                    } else {
                        Err(format!("sum {sum}"))
                    }
                },
            )
        });
        let message = match outcome {
            Ok(()) => panic!("the property must fail"),
            Err(payload) => panic_message(payload.as_ref()),
        };
        assert!(message.contains("seed 0x"), "{message}");
        assert!(message.contains("sum 1"), "{message}");
        // Shrunk: the smallest failing list sums to exactly 100.
        assert!(message.contains("sum 100"), "{message}");
    }

    #[test]
    fn a_panic_in_a_case_is_a_failure_with_its_message() {
        let outcome = std::panic::catch_unwind(|| {
            check("never 7", 256, 0u8..20, |n| {
                assert_ne!(*n, 7, "seven");
                Ok(())
            })
        });
        let message = match outcome {
            Ok(()) => panic!("the property must fail"),
            Err(payload) => panic_message(payload.as_ref()),
        };
        assert!(message.contains("panicked"), "{message}");
        assert!(message.contains("seven"), "{message}");
        assert!(message.ends_with("\n7"), "{message}");
    }

    #[test]
    fn seeds_are_read_in_decimal_or_hex() {
        assert_eq!(parse_seed("0x10"), Some(16));
        assert_eq!(parse_seed(" 42 "), Some(42));
        assert_eq!(parse_seed("x"), None);
    }
}
