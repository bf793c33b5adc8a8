//! How many calls a job runs at once, decided from what the answers say, the way TCP decides how
//! much to send.
//!
//! A job given a concurrency runs that many calls, and halves it when the service throttles (it
//! grows back by one call per round trip). A job given none tunes itself:
//!
//! - **First answer.** Until the service has answered once it runs [`PROBE_CALLS`] calls, so an
//!   endpoint that does not answer at all costs a few attempts, not a burst.
//! - **Slow start.** Then, against a distant service (a first answer slower than [`NEAR`]), it
//!   runs [`TUNED_START`] calls, the most a job may be given, and adds one for every answer that
//!   comes back as fast as the fastest seen so far (within [`LATENCY_HOLDS`]): the number doubles
//!   every round trip while the service keeps up, up to [`TUNED_CAP`]. Starting that wide, a job
//!   of 10,000 users (200 calls) is sent in three round trips (4, 68 and 136 calls), one fewer
//!   than at 64 calls at once: the probe's round trip is won back instead of costing the job a
//!   round.
//! - **A near service** (on the same machine or network) answers within [`NEAR`]. There a round
//!   trip costs next to nothing, and calls beyond what the service works on at once only queue,
//!   each holding a connection and its buffers. The job grows from the probe's calls as in slow
//!   start, but no further than [`NEAR_GAIN`] times the most answers per second seen times the
//!   fastest answer: the calls the service serves at once, as TCP's BBR estimates a path's
//!   bandwidth-delay product, and never below [`NEAR_LEAST`]. A service that keeps up as the job
//!   grows raises that bound with it. A service whose first answer was near but which then
//!   answers one call in four after more than [`FAR_ANSWER`] while others come at once is
//!   distant after all: the job starts wide, as against any distant service.
//! - **Latency that does not hold** while no other answer came fast means calls are queueing
//!   somewhere (the service or the machine is busy, and more calls only wait longer): the
//!   number is cut by a fifth, at most once per round trip, and from then on it grows by one
//!   call per round trip. A slow answer while others came fast is a call that takes long on its
//!   own: it does not make the job grow, nor cut it.
//! - **Throttling** halves it, at most once per [`CUT_INTERVAL`] (answers to calls that were
//!   already running report the same congestion), and it grows by one per round trip after.
//!
//! The number stays between 1 and the cap. The controller decides from the times it is given, so
//! its decisions can be tested with a clock the test moves.

use std::time::{Duration, Instant};

/// Calls a self-tuning job runs until the service has answered once.
pub(crate) const PROBE_CALLS: u32 = 4;

/// Calls a self-tuning job runs once the service has answered, before it grows: the most a job
/// may be given ([`MAX_CONCURRENCY`](super::MAX_CONCURRENCY)). A service that cannot take that
/// many slows its answers or throttles, and the job cuts back within a round trip.
pub(crate) const TUNED_START: u32 = super::MAX_CONCURRENCY;

/// A first answer at most this slow comes from a near service (on the same machine or network).
/// The emulator, on the client's machine, gives its first answer in 2 to 3 ms, and now and then
/// in more than 5 when it and its connections have just started. A near service's round trips
/// are so short that doubling from the probe's few calls takes a few milliseconds, and starting
/// wide would only open connections whose calls queue behind each other: the job grows from the probe instead of starting at [`TUNED_START`], and no further
/// than [`NEAR_GAIN`] times the calls the service was seen to serve at once.
pub(crate) const NEAR: Duration = Duration::from_millis(10);

/// How far past what a near service serves at once a job may grow: the most answers per second
/// seen, times the fastest answer, is the number of calls the service works on at once (Little's
/// law, the bandwidth-delay product of TCP's BBR); twice that keeps it busy while answers are
/// read and the next calls built, and more would only wait in its queue.
pub(crate) const NEAR_GAIN: f64 = 2.0;

/// Calls a near service may always be given, whatever it seems to serve at once: twice the
/// probe's. The estimate takes the fastest answer of the whole job, and with the service on the
/// client's own CPUs it comes out at one or two calls; 4 calls at once left the service idle while
/// the client read answers, and a million users took up to a quarter longer than at 8 (by hand,
/// and `cargo xtask bench bulk`).
pub(crate) const NEAR_LEAST: u32 = 2 * PROBE_CALLS;

/// Most calls a self-tuning job runs at once. It is higher than the most a job may be given
/// ([`MAX_CONCURRENCY`](super::MAX_CONCURRENCY), 64): with the service far away, more calls in
/// flight are what makes a job faster, and one that finds no limit grows past 64 in its second
/// round trip.
pub(crate) const TUNED_CAP: u32 = 256;

/// How much slower than the fastest answer seen an answer may be while latency still holds:
/// twice as slow, plus this much (a margin for the scheduling noise of answers that take a
/// millisecond).
pub(crate) const LATENCY_HOLDS: Duration = Duration::from_millis(5);

/// Shortest time between two cuts for throttling.
pub(crate) const CUT_INTERVAL: Duration = Duration::from_millis(500);

/// Whether the number of calls was given or is found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// Given: run that many, less while throttled.
    Fixed,
    /// Found: grow while the service keeps up.
    Tuned,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// One more call per answer: doubling every round trip.
    SlowStart,
    /// One more call per round trip.
    Steady,
}

/// The number of calls a job may run at once.
#[derive(Debug)]
pub(crate) struct Concurrency {
    mode: Mode,
    phase: Phase,
    limit: f64,
    cap: f64,
    /// Answers since the number last grew, in steady growth: one more call per that many.
    answers: usize,
    /// The fastest answer seen; `None` until the first.
    fastest: Option<Duration>,
    /// Whether the first answer came from a near service ([`NEAR`]).
    near: bool,
    /// Answers so far.
    answered: u64,
    /// The most answers per second seen: over each call's time, the answers that came while it
    /// ran.
    bandwidth: f64,
    last_throttle_cut: Option<Instant>,
    last_latency_cut: Option<Instant>,
    /// When an answer last came about as fast as the fastest.
    last_fast: Option<Instant>,
    /// The answers since the last look at how many are far.
    round: Round,
    /// Lowest number of calls the job fell to.
    pub(crate) min_seen: u32,
    /// Highest number of calls the job rose to.
    pub(crate) max_seen: u32,
}

impl Concurrency {
    /// `calls` at once, halved while throttled.
    pub(crate) fn fixed(calls: u32) -> Self {
        Self::new(Mode::Fixed, calls, calls)
    }

    /// Found by the job, up to `cap`: [`PROBE_CALLS`] until the first answer, then from
    /// [`TUNED_START`].
    pub(crate) fn tuned(cap: u32) -> Self {
        Self::new(Mode::Tuned, PROBE_CALLS, cap)
    }

    fn new(mode: Mode, start: u32, cap: u32) -> Self {
        let cap = f64::from(cap.max(1));
        let limit = f64::from(start.max(1)).min(cap);
        Self {
            mode,
            phase: match mode {
                Mode::Fixed => Phase::Steady,
                Mode::Tuned => Phase::SlowStart,
            },
            limit,
            cap,
            answers: 0,
            fastest: None,
            near: false,
            answered: 0,
            bandwidth: 0.0,
            last_throttle_cut: None,
            last_latency_cut: None,
            last_fast: None,
            round: Round::default(),
            min_seen: limit as u32,
            max_seen: limit as u32,
        }
    }

    /// Calls that may run now.
    pub(crate) fn current(&self) -> usize {
        self.limit.floor().max(1.0) as usize
    }

    /// Answers so far: what a call records when it is sent, and gives back with its answer.
    pub(crate) fn answered(&self) -> u64 {
        self.answered
    }

    /// An attempt was answered (not throttled) `latency` after it was sent, when
    /// [`answered`](Self::answered) was `answered_at_send`.
    pub(crate) fn on_answer(&mut self, now: Instant, latency: Duration, answered_at_send: u64) {
        self.answered += 1;
        let seconds = latency.as_secs_f64();
        if seconds > 0.0 {
            let rate = self.answered.saturating_sub(answered_at_send) as f64 / seconds;
            self.bandwidth = self.bandwidth.max(rate);
        }
        if self.fastest.is_none() && self.mode == Mode::Tuned && self.phase == Phase::SlowStart {
            if latency > NEAR {
                // A distant service answers: the probe is over, and the job starts wide.
                self.set(self.limit.max(f64::from(TUNED_START)));
            } else {
                self.near = true;
            }
        }
        let fastest = *self.fastest.get_or_insert(latency);
        self.fastest = Some(fastest.min(latency));
        if self.mode == Mode::Tuned && !self.watch(now, fastest, latency) {
            // A slow answer is no reason to grow.
            return;
        }
        match self.phase {
            Phase::SlowStart => self.grow(),
            Phase::Steady => {
                self.answers += 1;
                if self.answers >= self.current() {
                    self.answers = 0;
                    self.grow();
                }
            }
        }
    }

    /// Watches the answers for queueing and for a service slower than it first seemed; `true`
    /// when the answer was about as fast as the fastest.
    fn watch(&mut self, now: Instant, fastest: Duration, latency: Duration) -> bool {
        let holds = latency_holds(fastest, latency);
        // Whether other calls were answered fast while this one waited: then this one took long
        // on its own, and did not wait in a queue that all calls wait in.
        let fast_meanwhile = self
            .last_fast
            .is_some_and(|at| now.saturating_duration_since(at) < latency);
        if holds {
            self.last_fast = Some(now);
        }
        let calls = self.current() as u32;
        self.round.answers += 1;
        self.round.far += u32::from(latency > FAR_ANSWER && fast_meanwhile);
        if self.round.answers >= calls {
            let distant = self.round.far * FAR_SHARE >= self.round.answers;
            self.round = Round::default();
            if self.near && distant {
                // Many answers take long while others come at once: the service is not near,
                // whatever its first answer said, and its slow calls hold up no others.
                self.near = false;
                self.set(self.limit.max(f64::from(TUNED_START)));
            }
        }
        if holds {
            return true;
        }
        // A slow answer while no other came fast: calls are queueing somewhere (the service or
        // the machine is busy), and more of them would only wait longer. One cut per round
        // trip: the other calls of this round saw the same queue.
        let recent = self
            .last_latency_cut
            .is_some_and(|at| now.saturating_duration_since(at) < latency);
        if !fast_meanwhile && !recent {
            self.last_latency_cut = Some(now);
            self.phase = Phase::Steady;
            self.set(self.limit * 0.8);
        }
        false
    }

    /// An attempt was throttled.
    pub(crate) fn on_throttle(&mut self, now: Instant) {
        if self
            .last_throttle_cut
            .is_some_and(|at| now.saturating_duration_since(at) < CUT_INTERVAL)
        {
            return;
        }
        self.last_throttle_cut = Some(now);
        self.phase = Phase::Steady;
        self.set(self.limit / 2.0);
    }

    /// One more call, unless a near service already has all it can use.
    fn grow(&mut self) {
        let next = self.limit + 1.0;
        if self.near {
            let fastest = self.fastest.map_or(0.0, |f| f.as_secs_f64());
            let room = (NEAR_GAIN * self.bandwidth * fastest).max(f64::from(NEAR_LEAST));
            if next > room {
                return;
            }
        }
        self.set(next);
    }

    fn set(&mut self, limit: f64) {
        self.limit = limit.clamp(1.0, self.cap);
        let now = self.current() as u32;
        self.min_seen = self.min_seen.min(now);
        self.max_seen = self.max_seen.max(now);
    }
}

/// An answer this slow does not come from a near service: ten times [`NEAR`], far beyond what
/// the machine's own scheduling adds to a near service's answer.
const FAR_ANSWER: Duration = Duration::from_millis(100);

/// A near service is judged distant after all when one answer in this many (of as many as the
/// calls run at once) takes longer than [`FAR_ANSWER`] while others come fast.
const FAR_SHARE: u32 = 4;

/// The answers since the last look (as many as the calls run at once).
#[derive(Debug, Default)]
struct Round {
    answers: u32,
    /// Answers slower than [`FAR_ANSWER`] while others came fast.
    far: u32,
}

/// Whether an answer that took `latency` is about as fast as the fastest, `fastest`.
fn latency_holds(fastest: Duration, latency: Duration) -> bool {
    latency <= fastest.saturating_mul(2) + LATENCY_HOLDS
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    /// Runs rounds of calls that each take `latency(calls)`: every call of a round is answered
    /// at the round's end. Returns the number of calls of each round.
    fn rounds(
        c: &mut Concurrency,
        start: Instant,
        n: usize,
        latency: impl Fn(usize) -> Duration,
    ) -> Vec<usize> {
        let mut now = start;
        let mut seen = Vec::new();
        for _ in 0..n {
            let calls = c.current();
            seen.push(calls);
            let took = latency(calls);
            now += took;
            let at_send = c.answered();
            for _ in 0..calls {
                c.on_answer(now, took, at_send);
            }
        }
        seen
    }

    #[test]
    fn a_tuned_job_probes_then_doubles_each_round_trip_while_latency_holds_up_to_its_cap() {
        let mut c = Concurrency::tuned(TUNED_CAP);
        let seen = rounds(&mut c, Instant::now(), 6, |_| 200 * MS);
        assert_eq!(seen, vec![4, 68, 136, 256, 256, 256]);
        // 200 calls (10,000 users) in three round trips, one fewer than 64 calls at once from
        // the start take (64, 64, 64, 8).
        assert!(seen[..3].iter().sum::<usize>() >= 200);
        let mut small = Concurrency::tuned(8);
        assert_eq!(
            rounds(&mut small, Instant::now(), 3, |_| 200 * MS),
            [4, 8, 8]
        );
    }

    #[test]
    fn a_tuned_job_stops_growing_where_answers_start_to_queue() {
        // A service 20 ms away that takes up to 40 calls at once; beyond that calls wait their
        // turn, and answers take longer the more calls there are.
        let service = |calls: usize| {
            if calls <= 40 {
                20 * MS
            } else {
                MS * (calls as u32 * 2)
            }
        };
        let mut c = Concurrency::tuned(64);
        let seen = rounds(&mut c, Instant::now(), 40, service);
        // Starting at 64 overshoots, where answers take 128 ms: cut by a fifth each round until
        // they are fast again, then one more call per round until they are not.
        assert_eq!(&seen[..4], [4, 64, 51, 40], "{seen:?}");
        let settled = &seen[4..];
        assert!(settled.iter().all(|&n| (32..=44).contains(&n)), "{seen:?}");
        assert!(settled.contains(&40), "{seen:?}");
        assert_eq!(c.max_seen, 64);
    }

    #[test]
    fn throttling_halves_once_per_interval_and_the_job_grows_back_one_per_round_trip() {
        let t0 = Instant::now();
        let mut c = Concurrency::tuned(64);
        c.on_answer(t0, 20 * MS, 0);
        assert_eq!(c.current(), 64);
        c.on_throttle(t0);
        assert_eq!(c.current(), 32);
        // Throttled answers of calls that were running at the cut: the same congestion.
        c.on_throttle(t0 + 100 * MS);
        assert_eq!(c.current(), 32);
        c.on_throttle(t0 + CUT_INTERVAL);
        assert_eq!(c.current(), 16);
        // A throttled probe is an answer of sorts, yet not a reason to grow: halved too.
        let mut probing = Concurrency::tuned(64);
        probing.on_throttle(t0);
        assert_eq!(probing.current(), 2);
        // After a cut it grows by about one call per round trip, not one per answer.
        let seen = rounds(&mut c, t0 + Duration::from_secs(1), 3, |_| 20 * MS);
        assert_eq!(seen, vec![16, 17, 18]);
        assert_eq!(c.min_seen, 4);
        assert_eq!(c.max_seen, 64);
    }

    #[test]
    fn a_given_concurrency_is_kept_halved_when_throttled_and_never_exceeded() {
        let t0 = Instant::now();
        let mut c = Concurrency::fixed(8);
        // However fast and steady the answers, a given number does not grow.
        assert_eq!(rounds(&mut c, t0, 3, |_| MS), [8, 8, 8]);
        c.on_throttle(t0 + Duration::from_secs(1));
        assert_eq!(c.current(), 4);
        // Slow answers do not cut a given number: only throttling does.
        assert_eq!(
            rounds(&mut c, t0 + Duration::from_secs(2), 2, |_| 900 * MS),
            [4, 5]
        );
        for _ in 0..200 {
            c.on_answer(t0 + Duration::from_secs(3), MS, 0);
        }
        assert_eq!(c.current(), 8);
        assert_eq!(c.min_seen, 4);
    }

    #[test]
    fn a_near_service_gets_twice_the_calls_it_serves_at_once_and_no_wide_start() {
        // A service on the same machine with eight workers: each call takes 1 ms of a worker,
        // and calls beyond eight wait for one. It serves 8,000 calls per second whatever the
        // number sent; 8 calls at once would keep it busy, 16 do while answers are read.
        let eight_workers = |calls: usize| MS.max(MS * calls as u32 / 8);
        let mut c = Concurrency::tuned(TUNED_CAP);
        let seen = rounds(&mut c, Instant::now(), 30, eight_workers);
        assert_eq!(&seen[..3], [4, 8, 12], "{seen:?}");
        assert!(seen[3..].iter().all(|&n| n == 16), "{seen:?}");
        assert_eq!(c.max_seen, 16);
        // One worker: never fewer than NEAR_LEAST calls, never more.
        let one_worker = |calls: usize| MS * calls as u32;
        let mut c = Concurrency::tuned(TUNED_CAP);
        let seen = rounds(&mut c, Instant::now(), 30, one_worker);
        assert_eq!(&seen[..2], [4, 8], "{seen:?}");
        assert!(seen[1..].iter().all(|&n| n == 8), "{seen:?}");
        // The same limits far away (50 ms more per call) start wide, as any distant service.
        let far = |calls: usize| 50 * MS + eight_workers(calls);
        let mut c = Concurrency::tuned(TUNED_CAP);
        assert_eq!(rounds(&mut c, Instant::now(), 2, far), [4, 68]);
    }

    #[test]
    fn a_near_service_that_keeps_up_is_given_more_calls_round_after_round() {
        // Answers in 1 ms however many calls there are: the job grows to its cap, by about
        // half again each round trip (a round trip costs a millisecond here).
        let mut c = Concurrency::tuned(64);
        let seen = rounds(&mut c, Instant::now(), 40, |_| MS);
        let first_at_cap = seen.iter().position(|&n| n == 64).expect("never at 64");
        assert!(first_at_cap <= 16, "{seen:?}");
        assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
        assert!(seen[first_at_cap..].iter().all(|&n| n == 64), "{seen:?}");
    }

    /// Runs `n` round trips in which every other call is answered after `fast` and the others
    /// after `slow`, however many calls run. Returns the number of calls of each.
    fn mixed_rounds(c: &mut Concurrency, n: usize, fast: Duration, slow: Duration) -> Vec<usize> {
        let mut now = Instant::now();
        let mut seen = Vec::new();
        for _ in 0..n {
            let calls = c.current();
            seen.push(calls);
            let at_send = c.answered();
            for _ in (0..calls).step_by(2) {
                c.on_answer(now + fast, fast, at_send);
            }
            now += slow;
            for _ in (1..calls).step_by(2) {
                c.on_answer(now, slow, at_send);
            }
        }
        seen
    }

    #[test]
    fn a_service_that_answers_some_calls_at_once_and_others_late_is_given_more_calls() {
        // Half the calls are answered at once and half after two seconds, however many run:
        // the slow ones wait for nothing but themselves, so more calls get more through. The
        // first answers come from a near service; the slow half says otherwise within two
        // round trips, and the job starts wide and grows as against any distant service,
        // never cut by the slow answers among fast ones.
        let mut c = Concurrency::tuned(TUNED_CAP);
        let seen = mixed_rounds(&mut c, 8, MS / 2, 2000 * MS);
        assert!(!c.near, "{seen:?}");
        assert!(seen[2..].iter().all(|&n| n >= 64), "{seen:?}");
        assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
        assert_eq!(*seen.last().unwrap(), TUNED_CAP as usize, "{seen:?}");
    }

    #[test]
    fn a_near_service_that_stalls_stays_near_and_the_job_cuts_back() {
        // A service a millisecond away that stalls for a round trip: every answer of it takes
        // 150 ms. That is a queue (all calls waited), not a distant service.
        let mut c = Concurrency::tuned(TUNED_CAP);
        let t0 = Instant::now();
        rounds(&mut c, t0, 6, |_| MS);
        let before = c.current();
        assert!(c.near);
        rounds(&mut c, t0 + Duration::from_secs(1), 1, |_| 150 * MS);
        assert!(c.near);
        assert!(c.current() < before, "{} then {}", before, c.current());
    }

    #[test]
    fn it_never_falls_below_one_call() {
        let t0 = Instant::now();
        let mut c = Concurrency::fixed(2);
        for i in 0..10 {
            c.on_throttle(t0 + CUT_INTERVAL * i);
        }
        assert_eq!(c.current(), 1);
        assert_eq!(c.min_seen, 1);
    }
}
