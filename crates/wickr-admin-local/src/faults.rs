//! Fault injection for exercising clients: throttling, server errors, dropped connections,
//! slow answers and answers lost after the request was applied.
//!
//! Spec syntax (the `--faults` option): a comma-separated list of `kind=probability`, where kind
//! is one of `429`, `500`, `503`, `reset`, `delay`, `lost`, and probability is a number in
//! `[0, 1]`. `delay` also takes a duration: `delay=0.05:200ms` (units `ms` or `s`; 100ms when
//! omitted). Each kind may be given once; the probabilities must add up to at most 1. Example:
//! `429=0.02,500=0.02,503=0.01,reset=0.02,delay=0.05:200ms,lost=0.02`.
//!
//! - `429`: `RateLimitError` with `Retry-After: 1`; the request is not applied.
//! - `500`: `InternalServerError`; not applied.
//! - `503`: a 503 answer; not applied.
//! - `reset`: the connection is aborted with a TCP reset (RST, no answer); not applied.
//! - `delay`: the answer is held back for the duration, then the request runs normally.
//! - `lost`: the request is applied, then the connection is closed normally (FIN) without an
//!   answer, so a client sees the stream end rather than a reset.
//!
//! Every injected fault is counted per kind; [`FaultInjector::injected`] (and
//! `RunningEmulator::faults_injected`) report the counts, so tests can compare what the emulator
//! did with what a client observed.
//!
//! One seeded random number generator draws one number per request (in the order requests
//! reach it), so a fixed seed and a fixed request order give the same faults every run.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// What happens to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Answer `RateLimitError`.
    Throttle,
    /// Answer `InternalServerError`.
    Internal,
    /// Answer 503.
    Unavailable,
    /// Close the connection before applying.
    Reset,
    /// Wait, then handle normally.
    Delay(Duration),
    /// Apply, then close the connection.
    Lost,
}

/// Probabilities of each fault.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultSpec {
    /// `429` probability.
    pub throttle: f64,
    /// `500` probability.
    pub internal: f64,
    /// `503` probability.
    pub unavailable: f64,
    /// `reset` probability.
    pub reset: f64,
    /// `delay` probability.
    pub delay: f64,
    /// How long a delayed answer waits.
    pub delay_for: Duration,
    /// `lost` probability.
    pub lost: f64,
}

/// A fault spec that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultSpecError(String);

impl fmt::Display for FaultSpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid fault spec: {}", self.0)
    }
}

impl std::error::Error for FaultSpecError {}

fn parse_duration(s: &str) -> Result<Duration, FaultSpecError> {
    let (num, scale) = if let Some(n) = s.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1.0)
    } else {
        return Err(FaultSpecError(format!(
            "delay duration `{s}` needs a unit (ms or s)"
        )));
    };
    let value: f64 = num
        .parse()
        .map_err(|_| FaultSpecError(format!("delay duration `{s}` is not a number")))?;
    if !(0.0..=60.0).contains(&(value * scale)) {
        return Err(FaultSpecError(format!(
            "delay duration `{s}` must be between 0 and 60 seconds"
        )));
    }
    Ok(Duration::from_secs_f64(value * scale))
}

impl std::str::FromStr for FaultSpec {
    type Err = FaultSpecError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut spec = FaultSpec {
            delay_for: Duration::from_millis(100),
            ..FaultSpec::default()
        };
        let mut given: Vec<&str> = Vec::new();
        for item in s.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let (kind, value) = item
                .split_once('=')
                .ok_or_else(|| FaultSpecError(format!("`{item}` is not kind=probability")))?;
            let (prob, extra) = match value.split_once(':') {
                Some((p, e)) => (p, Some(e)),
                None => (value, None),
            };
            let p: f64 = prob
                .parse()
                .map_err(|_| FaultSpecError(format!("probability `{prob}` is not a number")))?;
            if !(0.0..=1.0).contains(&p) {
                return Err(FaultSpecError(format!(
                    "probability `{prob}` of `{kind}` is outside [0, 1]"
                )));
            }
            if extra.is_some() && kind != "delay" {
                return Err(FaultSpecError(format!("`{kind}` takes no duration")));
            }
            let slot = match kind {
                "429" => &mut spec.throttle,
                "500" => &mut spec.internal,
                "503" => &mut spec.unavailable,
                "reset" => &mut spec.reset,
                "delay" => {
                    if let Some(d) = extra {
                        spec.delay_for = parse_duration(d)?;
                    }
                    &mut spec.delay
                }
                "lost" => &mut spec.lost,
                other => {
                    return Err(FaultSpecError(format!(
                    "unknown fault kind `{other}` (expected 429, 500, 503, reset, delay or lost)"
                )))
                }
            };
            if given.contains(&kind) {
                return Err(FaultSpecError(format!(
                    "`{kind}` is given twice (each fault kind may appear once)"
                )));
            }
            given.push(kind);
            *slot = p;
        }
        if spec.total() > 1.0 + 1e-9 {
            return Err(FaultSpecError(format!(
                "probabilities add up to {} (more than 1)",
                spec.total()
            )));
        }
        Ok(spec)
    }
}

impl FaultSpec {
    /// Sum of all probabilities.
    pub fn total(&self) -> f64 {
        self.throttle + self.internal + self.unavailable + self.reset + self.delay + self.lost
    }

    /// Whether any fault can happen.
    pub fn is_active(&self) -> bool {
        self.total() > 0.0
    }

    /// Maps one uniform draw in `[0, 1)` to a fault.
    pub fn pick(&self, draw: f64) -> Option<Fault> {
        let table = [
            (self.throttle, Fault::Throttle),
            (self.internal, Fault::Internal),
            (self.unavailable, Fault::Unavailable),
            (self.reset, Fault::Reset),
            (self.delay, Fault::Delay(self.delay_for)),
            (self.lost, Fault::Lost),
        ];
        let mut acc = 0.0;
        for (p, fault) in table {
            acc += p;
            if draw < acc {
                return Some(fault);
            }
        }
        None
    }
}

/// How many faults of each kind were injected so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FaultCounts {
    /// `429` answers.
    pub throttle: u64,
    /// `500` answers.
    pub internal: u64,
    /// `503` answers.
    pub unavailable: u64,
    /// Connections reset before applying.
    pub reset: u64,
    /// Delayed answers.
    pub delay: u64,
    /// Requests applied whose answer was dropped.
    pub lost: u64,
}

impl FaultCounts {
    /// Sum over all kinds.
    pub fn total(&self) -> u64 {
        self.throttle + self.internal + self.unavailable + self.reset + self.delay + self.lost
    }
}

/// The injector: the spec, one seeded generator and a counter per fault kind.
#[derive(Debug)]
pub struct FaultInjector {
    spec: FaultSpec,
    rng: Mutex<fastrand::Rng>,
    counters: [AtomicU64; 6],
}

impl FaultInjector {
    /// Builds an injector; without a seed the generator is seeded from entropy.
    pub fn new(spec: FaultSpec, seed: Option<u64>) -> Self {
        let rng = match seed {
            Some(s) => fastrand::Rng::with_seed(s),
            None => fastrand::Rng::new(),
        };
        FaultInjector {
            spec,
            rng: Mutex::new(rng),
            counters: Default::default(),
        }
    }

    /// The spec this injector draws from.
    pub fn spec(&self) -> &FaultSpec {
        &self.spec
    }

    /// Faults injected so far, per kind.
    pub fn injected(&self) -> FaultCounts {
        let c = |i: usize| self.counters[i].load(Ordering::Relaxed);
        FaultCounts {
            throttle: c(0),
            internal: c(1),
            unavailable: c(2),
            reset: c(3),
            delay: c(4),
            lost: c(5),
        }
    }

    /// Decides the fault for the next request.
    pub fn next(&self) -> Option<Fault> {
        if !self.spec.is_active() {
            return None;
        }
        let draw = self.rng.lock().unwrap_or_else(|p| p.into_inner()).f64();
        let fault = self.spec.pick(draw)?;
        let index = match fault {
            Fault::Throttle => 0,
            Fault::Internal => 1,
            Fault::Unavailable => 2,
            Fault::Reset => 3,
            Fault::Delay(_) => 4,
            Fault::Lost => 5,
        };
        self.counters[index].fetch_add(1, Ordering::Relaxed);
        Some(fault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_example() {
        let spec: FaultSpec = "429=0.02,500=0.02,503=0.01,reset=0.02,delay=0.05:200ms,lost=0.02"
            .parse()
            .unwrap();
        assert_eq!(spec.throttle, 0.02);
        assert_eq!(spec.delay_for, Duration::from_millis(200));
        assert!((spec.total() - 0.14).abs() < 1e-9);
    }

    #[test]
    fn rejects_bad_specs() {
        assert!("429=2".parse::<FaultSpec>().is_err());
        assert!("teapot=0.1".parse::<FaultSpec>().is_err());
        assert!("500=0.6,503=0.6".parse::<FaultSpec>().is_err());
        assert!("reset=0.1:5ms".parse::<FaultSpec>().is_err());
        assert!("delay=0.1:5".parse::<FaultSpec>().is_err());
    }

    #[test]
    fn rejects_a_kind_given_twice() {
        for (spec, kind) in [
            ("429=0.1,429=0.3", "`429`"),
            ("500=0.1, 503=0.1, 500=0.1", "`500`"),
            ("delay=0.1:5ms,lost=0.1,delay=0.1:9ms", "`delay`"),
            ("reset=0,reset=0", "`reset`"),
        ] {
            let err = match spec.parse::<FaultSpec>() {
                Ok(parsed) => panic!("{spec} parsed as {parsed:?}"),
                Err(e) => e.to_string(),
            };
            assert!(
                err.contains(&format!("{kind} is given twice")),
                "{spec}: {err}"
            );
        }
        let spec: FaultSpec = "429=0.1,500=0.3".parse().unwrap();
        assert_eq!((spec.throttle, spec.internal), (0.1, 0.3));
    }
}
