//! The bulk job's loop, for any batch operation: read inputs lazily, cut chunks, keep a number
//! of calls running that follows what the service allows, send failed chunks again, and hand one
//! outcome per input, in input order, to the job's sink.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::stream::{FuturesUnordered, StreamExt};
use tokio::task::AbortHandle;

use super::answer::record_rejections;
use super::chunk::Chunk;
use super::classify::{AttemptError, Failure};
use super::concurrency::{Concurrency, TUNED_CAP};
use super::cutting::Cutter;
use super::operation::BatchOperation;
use super::pacing::backoff;
use super::progress::{CancelToken, Progress};
use super::report::{JobFacts, Tally};
use super::slot::Slot;
use super::token::{new_job_id, Tokens};
use super::validate::check_network_id;
use super::window::{OutcomeSink, OutcomeWindow};
use crate::config::RetryConfig;
use crate::Client;

/// Attempts of a chunk whose calls keep failing with transient errors.
const TRANSIENT_ATTEMPTS: u32 = 10;
/// Attempts of a chunk the service keeps throttling.
const THROTTLED_ATTEMPTS: u32 = 60;
/// Attempts in a row that found no one to answer (no connection, or no answer within the
/// timeouts) after which the job stops, while no attempt of the job has been answered yet.
const UNREACHABLE_BEFORE_ANY_ANSWER: u32 = 3;
/// The same, once the endpoint has answered: a longer run means it went away.
const UNREACHABLE_AFTER_ANSWERS: u32 = 12;

/// How long calls in flight may run after a cancellation before they are abandoned.
pub const DEFAULT_CANCEL_GRACE: Duration = Duration::from_secs(3);

pub(crate) type ProgressCallback = Arc<dyn Fn(&Progress<Tally>) + Send + Sync>;

/// Settings of one job.
pub(crate) struct JobSettings {
    pub(crate) client: Client,
    pub(crate) network_id: String,
    pub(crate) job_id: Option<String>,
    /// Calls at once, as given; `None`: the job finds how many the service allows.
    pub(crate) concurrency: Option<u32>,
    pub(crate) chunk_size: usize,
    pub(crate) max_request_bytes: usize,
    pub(crate) on_progress: Option<ProgressCallback>,
    pub(crate) cancel: CancelToken,
    pub(crate) cancel_grace: Duration,
}

impl std::fmt::Debug for JobSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobSettings")
            .field("network_id", &self.network_id)
            .field("job_id", &self.job_id)
            .field("concurrency", &self.concurrency)
            .field("chunk_size", &self.chunk_size)
            .field("max_request_bytes", &self.max_request_bytes)
            .field("cancel_grace", &self.cancel_grace)
            .finish_non_exhaustive()
    }
}

/// A call running now: the inputs it carries, when it was sent, and how to stop it.
struct InFlight {
    rows: Vec<usize>,
    sent: Instant,
    /// The job's answers when it was sent ([`Concurrency::answered`]).
    answered_at_send: u64,
    abort: AbortHandle,
}

type Joined<O> = Result<
    (
        Chunk<<O as BatchOperation>::Item>,
        Result<<O as BatchOperation>::Output, AttemptError>,
    ),
    tokio::task::JoinError,
>;

pub(crate) struct Job<O: BatchOperation, I, S> {
    operation: Arc<O>,
    settings: JobSettings,
    /// Makes one attempt per call: the job decides about every retry itself, so it sees each
    /// attempt's fate.
    client: Client,
    cutter: Cutter<O, I>,
    window: OutcomeWindow,
    sink: S,
    facts: JobFacts,
    retries: VecDeque<(Instant, Chunk<O::Item>)>,
    concurrency: Concurrency,
    in_flight: HashMap<u64, InFlight>,
    in_flight_users: u64,
    stop: Option<String>,
    /// Whether any attempt of this job got an HTTP response.
    answered: bool,
    /// Attempts in a row that found no one to answer.
    unreachable_streak: u32,
    /// When calls still in flight are abandoned, once the job is cancelled.
    abandon_at: Option<Instant>,
}

impl<O, I, S> Job<O, I, S>
where
    O: BatchOperation,
    I: Iterator<Item = Slot<O::Input>>,
    S: OutcomeSink,
{
    pub(crate) fn new(operation: O, settings: JobSettings, inputs: I, sink: S) -> Self {
        let concurrency = match settings.concurrency {
            Some(calls) => Concurrency::fixed(calls),
            None => Concurrency::tuned(TUNED_CAP),
        };
        let config = settings
            .client
            .config()
            .to_builder()
            .retry_config(RetryConfig::disabled())
            .build();
        let job_id = settings.job_id.clone().unwrap_or_else(new_job_id);
        let cutter = Cutter::new(
            inputs,
            settings.network_id.clone(),
            settings.chunk_size,
            settings.max_request_bytes,
            Tokens::new(job_id.clone()),
        );
        Self {
            operation: Arc::new(operation),
            settings,
            client: Client::from_conf(config),
            cutter,
            window: OutcomeWindow::default(),
            sink,
            facts: JobFacts {
                job_id,
                ..JobFacts::default()
            },
            retries: VecDeque::new(),
            concurrency,
            in_flight: HashMap::new(),
            in_flight_users: 0,
            stop: None,
            answered: false,
            unreachable_streak: 0,
            abandon_at: None,
        }
    }

    /// Runs the job to its end; every input's outcome has gone to the sink when it returns.
    pub(crate) async fn run(mut self) -> (JobFacts, S) {
        let started = Instant::now();
        if let Err(reason) = check_network_id(&self.settings.network_id) {
            let problem = format!("networkId: {reason}");
            self.facts.stopped = Some(problem.clone());
            self.stop = Some(problem);
        }
        let mut calls = FuturesUnordered::new();
        loop {
            self.watch_cancel();
            if self.abandon_at.is_some_and(|at| at <= Instant::now()) && !calls.is_empty() {
                self.abandon_in_flight();
                calls = FuturesUnordered::new();
            }
            while self.stop.is_none() && calls.len() < self.concurrency.current() {
                // A new chunk waits for room in the reorder window, unless nothing else could
                // make room.
                let may_cut = !self.cutter.input_done
                    && (self.window.has_room_for_a_chunk()
                        || (calls.is_empty() && self.retries.is_empty()));
                let chunk = match self.ready_retry(Instant::now()) {
                    Some(chunk) => chunk,
                    None if may_cut => {
                        match self.cutter.next_chunk(
                            &self.operation,
                            &mut self.window,
                            &mut self.sink,
                        ) {
                            Some(chunk) => chunk,
                            // A span of the input with nothing to send (kept places, inputs
                            // refused before sending): whatever else runs on this thread (calls
                            // in flight, a signal watcher, an embedded emulator) gets a turn
                            // before the next span is read.
                            None => {
                                tokio::task::yield_now().await;
                                // A Ctrl-C noticed meanwhile stops the job before its next chunk.
                                self.watch_cancel();
                                continue;
                            }
                        }
                    }
                    None => break,
                };
                calls.push(self.launch(chunk));
            }
            if calls.is_empty()
                && (self.stop.is_some() || (self.cutter.input_done && self.retries.is_empty()))
            {
                break;
            }
            let next_retry = if calls.len() < self.concurrency.current() && self.stop.is_none() {
                self.retries.iter().map(|(at, _)| *at).min()
            } else {
                None
            };
            let cancel = self.settings.cancel.clone();
            let watch_cancel = !self.facts.cancelled;
            let watch_abandon = !cancel.is_abandoned();
            let abandon_at = self.abandon_at.filter(|_| !calls.is_empty());
            tokio::select! {
                Some((id, joined)) = calls.next(), if !calls.is_empty() => {
                    self.ended(id, joined);
                    self.window.drain(&mut self.sink);
                    self.notify();
                }
                _ = sleep_until(next_retry), if next_retry.is_some() => {}
                _ = cancel.cancelled(), if watch_cancel => {}
                _ = cancel.abandoned(), if watch_abandon => {}
                _ = sleep_until(abandon_at), if abandon_at.is_some() => {}
                else => break,
            }
        }
        self.wind_down();
        self.facts.stats.min_concurrency = self.concurrency.min_seen;
        self.facts.stats.max_concurrency = self.concurrency.max_seen;
        self.facts.tally = self.window.tally();
        self.facts.elapsed = started.elapsed();
        self.notify();
        (self.facts, self.sink)
    }

    /// A call ended: its answer is recorded, or its chunk scheduled again.
    fn ended(&mut self, id: u64, joined: Joined<O>) {
        let call = self.in_flight.remove(&id);
        if let Some(call) = &call {
            self.in_flight_users = self.in_flight_users.saturating_sub(call.rows.len() as u64);
        }
        match joined {
            Ok((chunk, result)) => {
                let sent = call.map_or((Duration::ZERO, 0), |c| {
                    (c.sent.elapsed(), c.answered_at_send)
                });
                self.settle(chunk, result, sent);
            }
            // The call's task died before answering: what it sent may or may not have been
            // applied.
            Err(_) => {
                for index in call.into_iter().flat_map(|c| c.rows) {
                    self.window.set_unknown(
                        index,
                        "the call ended without an answer: it may or may not have been applied",
                    );
                }
            }
        }
    }

    /// Notices a cancellation: nothing new is sent, and calls in flight get the grace period
    /// (none when the token says to abandon them).
    fn watch_cancel(&mut self) {
        let cancel = &self.settings.cancel;
        if !cancel.is_cancelled() {
            return;
        }
        let now = Instant::now();
        if !self.facts.cancelled {
            self.facts.cancelled = true;
            self.stop
                .get_or_insert_with(|| "the job was cancelled before this user was sent".into());
            // A grace too long to add to the clock means calls are never abandoned.
            self.abandon_at = now.checked_add(self.settings.cancel_grace);
        }
        if cancel.is_abandoned() {
            self.abandon_at = Some(self.abandon_at.map_or(now, |at| at.min(now)));
        }
    }

    /// Stops every call in flight; their users may or may not have been created.
    fn abandon_in_flight(&mut self) {
        for (_, call) in self.in_flight.drain() {
            call.abort.abort();
            for index in call.rows {
                self.window.set_unknown(
                    index,
                    "the job was interrupted while this user's call was in flight: it may or \
                     may not have been applied",
                );
            }
        }
        self.in_flight_users = 0;
    }

    fn ready_retry(&mut self, now: Instant) -> Option<Chunk<O::Item>> {
        let position = self.retries.iter().position(|(at, _)| *at <= now)?;
        self.retries.remove(position).map(|(_, chunk)| chunk)
    }

    fn launch(
        &mut self,
        chunk: Chunk<O::Item>,
    ) -> impl std::future::Future<Output = (u64, Joined<O>)> {
        let id = chunk.id;
        let rows: Vec<usize> = chunk.rows.iter().map(|r| r.index).collect();
        self.in_flight_users += rows.len() as u64;
        let client = self.client.clone();
        let network_id = self.settings.network_id.clone();
        let operation = self.operation.clone();
        let task = tokio::spawn(async move {
            let result = operation
                .call(&client, &network_id, &chunk.rows, &chunk.token)
                .await;
            (chunk, result)
        });
        self.in_flight.insert(
            id,
            InFlight {
                rows,
                sent: Instant::now(),
                answered_at_send: self.concurrency.answered(),
                abort: task.abort_handle(),
            },
        );
        async move { (id, task.await) }
    }

    /// Records the answer to one attempt, or schedules the chunk again.
    fn settle(
        &mut self,
        mut chunk: Chunk<O::Item>,
        result: Result<O::Output, AttemptError>,
        (latency, answered_at_send): (Duration, u64),
    ) {
        self.facts.stats.calls += 1;
        let error = match result {
            Ok(output) => {
                self.answered = true;
                self.unreachable_streak = 0;
                self.concurrency
                    .on_answer(Instant::now(), latency, answered_at_send);
                self.operation
                    .record(&mut self.window, &chunk.rows, output, chunk.maybe_applied);
                return;
            }
            Err(error) => error,
        };
        if error.got_response {
            self.answered = true;
            self.unreachable_streak = 0;
        } else if error.unreachable {
            self.unreachable_streak += 1;
        }
        chunk.maybe_applied |= error.maybe_applied;
        chunk.last_error = error.message;
        match error.failure {
            Failure::Throttled => {
                self.facts.stats.throttled += 1;
                self.concurrency.on_throttle(Instant::now());
                chunk.throttled += 1;
                if chunk.throttled >= THROTTLED_ATTEMPTS {
                    self.give_up(chunk);
                } else {
                    // Short waits: the service's limit frees up again within a second, and the
                    // halved concurrency is what eases the load.
                    let delay = backoff(
                        Duration::from_millis(50),
                        Duration::from_secs(1),
                        chunk.throttled,
                    );
                    self.requeue(chunk, delay);
                }
            }
            Failure::Transient => {
                chunk.transient_failures += 1;
                self.stop_if_unreachable(&chunk.last_error);
                if chunk.transient_failures >= TRANSIENT_ATTEMPTS {
                    self.give_up(chunk);
                } else {
                    let delay = backoff(
                        Duration::from_millis(100),
                        Duration::from_secs(2),
                        chunk.transient_failures,
                    );
                    self.requeue(chunk, delay);
                }
            }
            Failure::TooLarge => self.split_too_large(chunk),
            Failure::Invalid(reasons) => {
                let rest = record_rejections(
                    &mut self.window,
                    chunk.rows,
                    reasons,
                    &chunk.last_error,
                    O::locate,
                );
                if !rest.is_empty() {
                    let next = self.cutter.new_chunk(&self.operation, rest);
                    self.retries.push_back((Instant::now(), next));
                }
            }
            Failure::Refused => {
                for row in &chunk.rows {
                    self.window.set_failed(row.index, None, &chunk.last_error);
                }
            }
            Failure::Fatal => {
                if self.stop.is_none() {
                    self.facts.stopped = Some(chunk.last_error.clone());
                    self.stop = Some(format!(
                        "the job stopped before this user was sent: {}",
                        chunk.last_error
                    ));
                }
                let error = chunk.last_error.clone();
                self.unfinished(chunk, &error);
            }
        }
    }

    /// Stops the job when too many attempts in a row found no one to answer.
    fn stop_if_unreachable(&mut self, last_error: &str) {
        let limit = if self.answered {
            UNREACHABLE_AFTER_ANSWERS
        } else {
            UNREACHABLE_BEFORE_ANY_ANSWER
        };
        if self.unreachable_streak < limit || self.stop.is_some() {
            return;
        }
        let reason = format!(
            "the endpoint could not be reached or did not answer {} attempts in a row (last: \
             {last_error})",
            self.unreachable_streak
        );
        self.facts.stopped = Some(reason.clone());
        self.stop = Some(format!("not sent: the job stopped because {reason}"));
    }

    fn requeue(&mut self, chunk: Chunk<O::Item>, delay: Duration) {
        self.facts.stats.chunk_retries += 1;
        self.retries.push_back((Instant::now() + delay, chunk));
    }

    /// Reports the users of a chunk the job stops trying: unknown when an attempt may have been
    /// applied, otherwise not attempted.
    fn unfinished(&mut self, chunk: Chunk<O::Item>, error: &str) {
        for row in &chunk.rows {
            if chunk.maybe_applied {
                self.window.set_unknown(row.index, error);
            } else {
                self.window.set_not_attempted(row.index, error);
            }
        }
    }

    fn give_up(&mut self, chunk: Chunk<O::Item>) {
        let attempts = chunk.attempts();
        let error = if chunk.maybe_applied {
            format!(
                "sent, but no definitive answer after {attempts} attempts: {}",
                chunk.last_error
            )
        } else {
            format!(
                "not created: none of {attempts} attempts was applied ({} throttled, {} could not \
                 connect): {}",
                chunk.throttled, chunk.transient_failures, chunk.last_error
            )
        };
        self.unfinished(chunk, &error);
    }

    /// Sends the users of a chunk refused as too large in two halves, and cuts later chunks no
    /// larger than half of it. A single user refused as too large fails.
    fn split_too_large(&mut self, chunk: Chunk<O::Item>) {
        let size = chunk.body_bytes();
        if chunk.rows.len() <= 1 {
            for row in &chunk.rows {
                self.window.set_failed(
                    row.index,
                    None,
                    &format!(
                        "the service refused the request as too large even with this user alone \
                         ({size} bytes): {}",
                        chunk.last_error
                    ),
                );
            }
            return;
        }
        self.facts.stats.split_too_large += 1;
        self.cutter.max_body = self.cutter.max_body.min((size / 2).max(1));
        let mut first = chunk.rows;
        let second = first.split_off(first.len() / 2);
        let now = Instant::now();
        for rows in [second, first] {
            let part = self.cutter.new_chunk(&self.operation, rows);
            self.retries.push_front((now, part));
        }
    }

    /// Why a chunk that was sent, and may have been applied, was left without an answer when the
    /// job ended.
    fn why_unknown(&self, last_error: &str) -> String {
        let ended = match &self.facts.stopped {
            Some(reason) => format!("the job stopped because {reason}"),
            None if self.facts.cancelled => "the job was cancelled".to_string(),
            None => "the job ended".to_string(),
        };
        if last_error.is_empty() || ended.contains(last_error) {
            format!("sent, but no definitive answer before {ended}")
        } else {
            format!("sent, but no definitive answer before {ended} (last attempt: {last_error})")
        }
    }

    /// After the loop: chunks waiting for another attempt and inputs never sent are reported.
    fn wind_down(&mut self) {
        let stop = self
            .stop
            .clone()
            .unwrap_or_else(|| "the job ended before this user was sent".to_string());
        while let Some((_, chunk)) = self.retries.pop_front() {
            let error = if chunk.maybe_applied {
                // Sent, and perhaps applied: its reason must not say it was never sent.
                self.why_unknown(&chunk.last_error)
            } else if self.facts.cancelled || self.facts.stopped.is_some() {
                if chunk.last_error.is_empty() || stop.contains(&chunk.last_error) {
                    stop.clone()
                } else {
                    format!("{stop} (last attempt: {})", chunk.last_error)
                }
            } else {
                chunk.last_error.clone()
            };
            self.unfinished(chunk, &error);
        }
        // Every input gets an outcome, so what is left is read without being sent; except after
        // a cancellation, which must end the job however long (or endless) the input is: the
        // job then stops reading, and its facts say the rest of the input was not attempted.
        let read_on = !self.facts.cancelled;
        self.facts.stopped_reading =
            self.cutter
                .not_attempted(&stop, read_on, &mut self.window, &mut self.sink);
        self.window.finish(
            "the job ended without an answer for this user's call",
            &mut self.sink,
        );
    }

    fn notify(&self) {
        if let Some(callback) = &self.settings.on_progress {
            callback(&Progress {
                read: self.cutter.read,
                counts: self.window.tally(),
                in_flight: self.in_flight_users,
                concurrency: self.concurrency.current() as u32,
                throttled: self.facts.stats.throttled,
                input_done: self.cutter.input_done,
            });
        }
    }
}

async fn sleep_until(at: Option<Instant>) {
    if let Some(at) = at {
        tokio::time::sleep_until(at.into()).await;
    }
}
