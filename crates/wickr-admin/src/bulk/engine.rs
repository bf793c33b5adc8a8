//! The bulk job's loop: read users lazily, cut chunks, keep a bounded number of calls running,
//! send failed chunks again, and record one outcome per user.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::stream::{FuturesUnordered, StreamExt};
use tokio::task::AbortHandle;

use super::answer::{record_answer, record_rejections};
use super::chunk::{body_bytes, Chunk, ChunkRow};
use super::classify::{classify, got_response, may_have_been_applied, unreachable, Failure};
use super::pacing::{backoff, Aimd};
use super::progress::{CancelToken, Progress};
use super::report::BulkReport;
use super::token::{new_job_id, Tokens};
use super::user::NewUser;
use super::validate::{check_network_id, prepare};
use crate::config::RetryConfig;
use crate::error::SdkError;
use crate::operation::batch_create_user::{BatchCreateUserError, BatchCreateUserOutput};
use crate::types::BatchCreateUserRequestItem;
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

pub(crate) type ProgressCallback = Arc<dyn Fn(&Progress) + Send + Sync>;

/// Settings of one job.
pub(crate) struct JobSettings {
    pub(crate) client: Client,
    pub(crate) network_id: String,
    pub(crate) job_id: Option<String>,
    pub(crate) concurrency: u32,
    pub(crate) chunk_size: usize,
    pub(crate) max_request_bytes: usize,
    pub(crate) default_security_group: Option<String>,
    pub(crate) on_progress: Option<ProgressCallback>,
    pub(crate) cancel: CancelToken,
    pub(crate) cancel_grace: Duration,
}

type CallResult = Result<BatchCreateUserOutput, SdkError<BatchCreateUserError>>;

/// A call running now: the users it carries, and how to stop it.
struct InFlight {
    rows: Vec<usize>,
    abort: AbortHandle,
}

pub(crate) struct Job<I> {
    settings: JobSettings,
    /// Makes one attempt per call: the job decides about every retry itself, so it sees each
    /// attempt's fate.
    client: Client,
    users: I,
    report: BulkReport,
    tokens: Tokens,
    next_chunk_id: u64,
    /// Largest request body to cut; lowered when the service refuses one as too large.
    max_body: usize,
    /// Users read from the input.
    read: u64,
    input_done: bool,
    /// A user read and prepared that did not fit the chunk being cut (its username repeats one
    /// in the chunk, or the request would grow too large): it starts the next one.
    carry: Option<ChunkRow>,
    retries: VecDeque<(Instant, Chunk)>,
    aimd: Aimd,
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

impl<I> Job<I>
where
    I: Iterator,
    I::Item: Into<NewUser>,
{
    pub(crate) fn new(settings: JobSettings, users: I) -> Self {
        let aimd = Aimd::new(settings.concurrency);
        let config = settings
            .client
            .config()
            .to_builder()
            .retry_config(RetryConfig::disabled())
            .build();
        let job_id = settings.job_id.clone().unwrap_or_else(new_job_id);
        let mut report = BulkReport::default();
        report.job_id = job_id.clone();
        let max_body = settings.max_request_bytes;
        Self {
            settings,
            client: Client::from_conf(config),
            users,
            report,
            tokens: Tokens::new(job_id),
            next_chunk_id: 0,
            max_body,
            read: 0,
            input_done: false,
            carry: None,
            retries: VecDeque::new(),
            aimd,
            in_flight: HashMap::new(),
            in_flight_users: 0,
            stop: None,
            answered: false,
            unreachable_streak: 0,
            abandon_at: None,
        }
    }

    pub(crate) async fn run(mut self) -> BulkReport {
        let started = Instant::now();
        if let Err(reason) = check_network_id(&self.settings.network_id) {
            let problem = format!("networkId: {reason}");
            self.report.stopped = Some(problem.clone());
            self.stop = Some(problem);
        }
        let mut calls = FuturesUnordered::new();
        loop {
            self.watch_cancel();
            if self.abandon_at.is_some_and(|at| at <= Instant::now()) && !calls.is_empty() {
                self.abandon_in_flight();
                calls = FuturesUnordered::new();
            }
            while self.stop.is_none() && calls.len() < self.aimd.current() {
                let chunk = match self.ready_retry(Instant::now()) {
                    Some(chunk) => chunk,
                    None if !self.input_done => match self.next_chunk() {
                        Some(chunk) => chunk,
                        None => continue,
                    },
                    None => break,
                };
                calls.push(self.launch(chunk));
            }
            if calls.is_empty()
                && (self.stop.is_some() || (self.input_done && self.retries.is_empty()))
            {
                break;
            }
            let next_retry = if calls.len() < self.aimd.current() && self.stop.is_none() {
                self.retries.iter().map(|(at, _)| *at).min()
            } else {
                None
            };
            let cancel = self.settings.cancel.clone();
            let watch_cancel = !self.report.cancelled;
            let watch_abandon = !cancel.is_abandoned();
            let abandon_at = self.abandon_at.filter(|_| !calls.is_empty());
            tokio::select! {
                Some((id, joined)) = calls.next(), if !calls.is_empty() => {
                    if let Some(call) = self.in_flight.remove(&id) {
                        self.in_flight_users =
                            self.in_flight_users.saturating_sub(call.rows.len() as u64);
                    }
                    // A chunk whose task died keeps its users pending; `finish` reports them.
                    if let Ok((chunk, result)) = joined {
                        self.settle(chunk, result);
                    }
                    self.notify();
                }
                _ = sleep_until(next_retry), if next_retry.is_some() => {}
                _ = cancel.cancelled(), if watch_cancel => {}
                _ = cancel.abandoned(), if watch_abandon => {}
                _ = sleep_until(abandon_at), if abandon_at.is_some() => {}
            }
        }
        self.wind_down();
        self.report.stats.min_concurrency = self.aimd.min_seen;
        self.report.elapsed = started.elapsed();
        self.notify();
        self.report
    }

    /// Notices a cancellation: nothing new is sent, and calls in flight get the grace period
    /// (none when the token says to abandon them).
    fn watch_cancel(&mut self) {
        let cancel = &self.settings.cancel;
        if !cancel.is_cancelled() {
            return;
        }
        let now = Instant::now();
        if !self.report.cancelled {
            self.report.cancelled = true;
            self.stop
                .get_or_insert_with(|| "the job was cancelled before this user was sent".into());
            self.abandon_at = Some(now + self.settings.cancel_grace);
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
                self.report.set_unknown(
                    index,
                    "the job was interrupted while this user's call was in flight: it may or \
                     may not have been applied",
                );
            }
        }
        self.in_flight_users = 0;
    }

    fn ready_retry(&mut self, now: Instant) -> Option<Chunk> {
        let position = self.retries.iter().position(|(at, _)| *at <= now)?;
        self.retries.remove(position).map(|(_, chunk)| chunk)
    }

    fn new_chunk(&mut self, rows: Vec<ChunkRow>) -> Chunk {
        let id = self.next_chunk_id;
        self.next_chunk_id += 1;
        Chunk::new(id, &self.settings.network_id, &mut self.tokens, rows)
    }

    /// Resolves a user's security group and builds its request item; a user that cannot be sent
    /// gets its outcome at once.
    fn prepare(&mut self, index: usize, user: NewUser) -> Option<ChunkRow> {
        match prepare(user, self.settings.default_security_group.as_deref()) {
            Ok((user, item)) => Some(ChunkRow::new(index, user, item)),
            Err((field, reason)) => {
                self.report.set_failed(index, Some(&field), &reason);
                None
            }
        }
    }

    /// Reads users until a chunk is full (in users or in request bytes) or the input ends.
    /// `None` when no user was left to send.
    fn next_chunk(&mut self) -> Option<Chunk> {
        let mut rows: Vec<ChunkRow> = Vec::with_capacity(self.settings.chunk_size);
        let mut names: HashSet<String> = HashSet::new();
        let mut body = body_bytes(std::iter::empty());
        while rows.len() < self.settings.chunk_size {
            let row = match self.carry.take() {
                Some(row) => row,
                None => match self.users.next() {
                    Some(user) => {
                        self.read += 1;
                        let index = self.report.push_pending();
                        match self.prepare(index, user.into()) {
                            Some(row) => row,
                            None => continue,
                        }
                    }
                    None => {
                        self.input_done = true;
                        break;
                    }
                },
            };
            if names.contains(row.user.username()) {
                // The service would refuse the second one as a repeat within the call; send it in
                // the next chunk, where it meets the first as an existing user.
                self.carry = Some(row);
                break;
            }
            let with_row = body
                .saturating_add(row.bytes)
                .saturating_add(usize::from(!rows.is_empty()));
            if !rows.is_empty() && with_row > self.max_body {
                self.carry = Some(row);
                break;
            }
            body = with_row;
            names.insert(row.user.username().to_string());
            rows.push(row);
        }
        if rows.is_empty() {
            return None;
        }
        Some(self.new_chunk(rows))
    }

    fn launch(
        &mut self,
        chunk: Chunk,
    ) -> impl std::future::Future<Output = (u64, Result<(Chunk, CallResult), tokio::task::JoinError>)>
    {
        let id = chunk.id;
        let rows: Vec<usize> = chunk.rows.iter().map(|r| r.index).collect();
        self.in_flight_users += rows.len() as u64;
        let client = self.client.clone();
        let network_id = self.settings.network_id.clone();
        let task = tokio::spawn(async move {
            let items: Vec<BatchCreateUserRequestItem> =
                chunk.rows.iter().map(|r| r.item.clone()).collect();
            let result = client
                .batch_create_user()
                .network_id(network_id)
                .set_users(Some(items))
                .client_token(chunk.token.clone())
                .send()
                .await;
            (chunk, result)
        });
        self.in_flight.insert(
            id,
            InFlight {
                rows,
                abort: task.abort_handle(),
            },
        );
        async move { (id, task.await) }
    }

    /// Records the answer to one attempt, or schedules the chunk again.
    fn settle(&mut self, mut chunk: Chunk, result: CallResult) {
        self.report.stats.calls += 1;
        let error = match result {
            Ok(output) => {
                self.answered = true;
                self.unreachable_streak = 0;
                self.aimd.on_success();
                record_answer(&mut self.report, &chunk.rows, &output);
                return;
            }
            Err(error) => error,
        };
        if got_response(&error) {
            self.answered = true;
            self.unreachable_streak = 0;
        } else if unreachable(&error) {
            self.unreachable_streak += 1;
        }
        chunk.maybe_applied |= may_have_been_applied(&error);
        chunk.last_error = crate::error::explain(&error);
        match classify(&error) {
            Failure::Throttled => {
                self.report.stats.throttled += 1;
                self.aimd.on_throttle(Instant::now());
                chunk.throttled += 1;
                if chunk.throttled >= THROTTLED_ATTEMPTS {
                    self.give_up(chunk);
                } else {
                    let delay = backoff(
                        Duration::from_millis(250),
                        Duration::from_secs(2),
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
                let rest =
                    record_rejections(&mut self.report, chunk.rows, reasons, &chunk.last_error);
                if !rest.is_empty() {
                    let next = self.new_chunk(rest);
                    self.retries.push_back((Instant::now(), next));
                }
            }
            Failure::Refused => {
                for row in &chunk.rows {
                    self.report.set_failed(row.index, None, &chunk.last_error);
                }
            }
            Failure::Fatal => {
                if self.stop.is_none() {
                    self.report.stopped = Some(chunk.last_error.clone());
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
        self.report.stopped = Some(reason.clone());
        self.stop = Some(format!("not sent: the job stopped because {reason}"));
    }

    fn requeue(&mut self, chunk: Chunk, delay: Duration) {
        self.report.stats.chunk_retries += 1;
        self.retries.push_back((Instant::now() + delay, chunk));
    }

    /// Reports the users of a chunk the job stops trying: unknown when an attempt may have been
    /// applied, otherwise not attempted.
    fn unfinished(&mut self, chunk: Chunk, error: &str) {
        for row in &chunk.rows {
            if chunk.maybe_applied {
                self.report.set_unknown(row.index, error);
            } else {
                self.report.set_not_attempted(row.index, error);
            }
        }
    }

    fn give_up(&mut self, chunk: Chunk) {
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
    fn split_too_large(&mut self, chunk: Chunk) {
        let size = chunk.body_bytes();
        if chunk.rows.len() <= 1 {
            for row in &chunk.rows {
                self.report.set_failed(
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
        self.report.stats.split_too_large += 1;
        self.max_body = self.max_body.min((size / 2).max(1));
        let mut first = chunk.rows;
        let second = first.split_off(first.len() / 2);
        let now = Instant::now();
        for rows in [second, first] {
            let part = self.new_chunk(rows);
            self.retries.push_front((now, part));
        }
    }

    /// After the loop: chunks waiting for another attempt and users never read are reported.
    fn wind_down(&mut self) {
        let stop = self
            .stop
            .clone()
            .unwrap_or_else(|| "the job ended before this user was sent".to_string());
        while let Some((_, chunk)) = self.retries.pop_front() {
            let error = if self.report.cancelled || self.report.stopped.is_some() {
                if chunk.last_error.is_empty() {
                    stop.clone()
                } else {
                    format!("{stop} (last attempt: {})", chunk.last_error)
                }
            } else {
                chunk.last_error.clone()
            };
            self.unfinished(chunk, &error);
        }
        if let Some(row) = self.carry.take() {
            self.report.set_not_attempted(row.index, &stop);
        }
        if !self.input_done {
            // Every input gets an outcome, so read what is left without sending it.
            for _ in self.users.by_ref() {
                self.read += 1;
                let index = self.report.push_pending();
                self.report.set_not_attempted(index, &stop);
            }
            self.input_done = true;
        }
        self.report
            .finish("the job ended without an answer for this user's call");
    }

    fn notify(&self) {
        if let Some(callback) = &self.settings.on_progress {
            callback(&Progress {
                read: self.read,
                counts: self.report.counts(),
                in_flight: self.in_flight_users,
                concurrency: self.aimd.current() as u32,
                throttled: self.report.stats.throttled,
                input_done: self.input_done,
            });
        }
    }
}

async fn sleep_until(at: Option<Instant>) {
    if let Some(at) = at {
        tokio::time::sleep_until(at.into()).await;
    }
}
