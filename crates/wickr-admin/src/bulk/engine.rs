//! The bulk job's loop: read users lazily, cut chunks, keep a bounded number of calls running,
//! send failed chunks again, and record one outcome per user.

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::stream::{FuturesUnordered, StreamExt};

use super::classify::{classify, means_already_exists, row_of_field, Failure};
use super::progress::{CancelToken, Progress};
use super::report::BulkReport;
use super::token::TokenHasher;
use super::user::NewUser;
use super::validate::{check_network_id, prepare};
use crate::error::SdkError;
use crate::operation::batch_create_user::{BatchCreateUserError, BatchCreateUserOutput};
use crate::types::BatchCreateUserRequestItem;
use crate::Client;

/// Most users BatchCreateUser takes in one call.
pub(crate) const MAX_CHUNK: usize = 50;

/// Job-level attempts of a chunk whose calls keep failing with transient errors (each attempt
/// already includes the client's own retries).
const TRANSIENT_ATTEMPTS: u32 = 5;
/// Job-level attempts of a chunk the service keeps throttling.
const THROTTLED_ATTEMPTS: u32 = 40;

pub(crate) type ProgressCallback = Arc<dyn Fn(&Progress) + Send + Sync>;

/// Settings of one job.
pub(crate) struct JobSettings {
    pub(crate) client: Client,
    pub(crate) network_id: String,
    pub(crate) concurrency: u32,
    pub(crate) chunk_size: usize,
    pub(crate) default_security_group: Option<String>,
    pub(crate) on_progress: Option<ProgressCallback>,
    pub(crate) cancel: CancelToken,
}

/// One user on its way to the service.
struct ChunkRow {
    /// Position in the input.
    index: usize,
    /// The user with its security group resolved.
    user: NewUser,
    item: BatchCreateUserRequestItem,
}

/// Up to 50 users sent in one call, with the token every attempt of that call reuses.
struct Chunk {
    rows: Vec<ChunkRow>,
    token: String,
    transient_failures: u32,
    throttled: u32,
    last_error: String,
}

impl Chunk {
    fn new(network_id: &str, rows: Vec<ChunkRow>) -> Self {
        let mut hasher = TokenHasher::new(network_id);
        for row in &rows {
            hasher.add(&row.user, &row.user.security_group_ids);
        }
        Self {
            rows,
            token: hasher.finish(),
            transient_failures: 0,
            throttled: 0,
            last_error: String::new(),
        }
    }
}

type CallResult = Result<BatchCreateUserOutput, SdkError<BatchCreateUserError>>;

/// Additive increase, multiplicative decrease of the number of concurrent calls.
struct Aimd {
    limit: f64,
    max: f64,
    last_cut: Option<Instant>,
    min_seen: u32,
}

impl Aimd {
    fn new(max: u32) -> Self {
        let max = f64::from(max.max(1));
        Self {
            limit: max,
            max,
            last_cut: None,
            min_seen: max as u32,
        }
    }

    fn current(&self) -> usize {
        self.limit.floor().max(1.0) as usize
    }

    fn on_success(&mut self) {
        self.limit = (self.limit + 1.0 / self.limit).min(self.max);
    }

    fn on_throttle(&mut self, now: Instant) {
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
fn backoff(base: Duration, cap: Duration, attempt: u32) -> Duration {
    let exp = base.saturating_mul(1u32 << attempt.min(16));
    let full = exp.min(cap);
    full.mul_f64(0.5 + fastrand::f64() * 0.5)
}

pub(crate) struct Job<I> {
    settings: JobSettings,
    users: I,
    report: BulkReport,
    /// Users read from the input.
    read: u64,
    input_done: bool,
    /// A user read but not yet placed in a chunk (its username repeats one in the chunk).
    carry: Option<(usize, NewUser)>,
    retries: VecDeque<(Instant, Chunk)>,
    aimd: Aimd,
    in_flight_users: u64,
    stop: Option<String>,
    /// The client's count of throttled responses (those its retries absorbed included) when the
    /// job started: the job reacts to what came after.
    throttles_at_start: u64,
    /// Throttled responses since the start, as of the last settled call.
    throttles_seen: u64,
}

impl<I> Job<I>
where
    I: Iterator,
    I::Item: Into<NewUser>,
{
    pub(crate) fn new(settings: JobSettings, users: I) -> Self {
        let aimd = Aimd::new(settings.concurrency);
        let throttles_at_start = settings.client.throttled_responses();
        Self {
            settings,
            users,
            report: BulkReport::default(),
            read: 0,
            input_done: false,
            carry: None,
            retries: VecDeque::new(),
            aimd,
            in_flight_users: 0,
            stop: None,
            throttles_at_start,
            throttles_seen: 0,
        }
    }

    pub(crate) async fn run(mut self) -> BulkReport {
        let started = Instant::now();
        if let Err(reason) = check_network_id(&self.settings.network_id) {
            let problem = format!("networkId: {reason}");
            self.report.stopped = Some(problem.clone());
            self.stop = Some(problem);
        }
        let mut in_flight = FuturesUnordered::new();
        loop {
            if self.stop.is_none() && self.settings.cancel.is_cancelled() {
                self.report.cancelled = true;
                self.stop = Some("the job was cancelled before this user was sent".to_string());
            }
            while self.stop.is_none() && in_flight.len() < self.aimd.current() {
                let chunk = match self.ready_retry(Instant::now()) {
                    Some(chunk) => chunk,
                    None if !self.input_done => match self.next_chunk() {
                        Some(chunk) => chunk,
                        None => continue,
                    },
                    None => break,
                };
                self.in_flight_users += chunk.rows.len() as u64;
                in_flight.push(self.launch(chunk));
            }
            if in_flight.is_empty()
                && (self.stop.is_some() || (self.input_done && self.retries.is_empty()))
            {
                break;
            }
            let next_retry = if in_flight.len() < self.aimd.current() {
                self.retries.iter().map(|(at, _)| *at).min()
            } else {
                None
            };
            let cancel = self.settings.cancel.clone();
            let watch_cancel = self.stop.is_none();
            tokio::select! {
                Some((users, joined)) = in_flight.next(), if !in_flight.is_empty() => {
                    self.in_flight_users = self.in_flight_users.saturating_sub(users);
                    // A chunk whose task died keeps its users pending; `finish` reports them.
                    if let Ok((chunk, result)) = joined {
                        self.settle(chunk, result);
                    }
                    self.notify();
                }
                _ = sleep_until(next_retry), if next_retry.is_some() => {}
                _ = cancel.cancelled(), if watch_cancel => {}
                else => {}
            }
        }
        self.wind_down();
        self.report.stats.min_concurrency = self.aimd.min_seen;
        self.report.elapsed = started.elapsed();
        self.notify();
        self.report
    }

    fn ready_retry(&mut self, now: Instant) -> Option<Chunk> {
        let position = self.retries.iter().position(|(at, _)| *at <= now)?;
        self.retries.remove(position).map(|(_, chunk)| chunk)
    }

    /// Reads users until a chunk is full or the input ends; users that fail the input checks get
    /// their outcome at once. `None` when no user was left to send.
    fn next_chunk(&mut self) -> Option<Chunk> {
        let mut rows: Vec<ChunkRow> = Vec::with_capacity(self.settings.chunk_size);
        let mut names: HashSet<String> = HashSet::new();
        while rows.len() < self.settings.chunk_size {
            let (index, user) = match self.carry.take() {
                Some(carried) => carried,
                None => match self.users.next() {
                    Some(user) => {
                        self.read += 1;
                        (self.report.push_pending(), user.into())
                    }
                    None => {
                        self.input_done = true;
                        break;
                    }
                },
            };
            if names.contains(user.username()) {
                // The service would refuse the second one as a repeat within the call; send it in
                // the next chunk, where it meets the first as an existing user.
                self.carry = Some((index, user));
                break;
            }
            match prepare(user, self.settings.default_security_group.as_deref()) {
                Ok((user, item)) => {
                    names.insert(user.username().to_string());
                    rows.push(ChunkRow { index, user, item });
                }
                Err((field, reason)) => self.report.set_failed(index, Some(&field), &reason),
            }
        }
        if rows.is_empty() {
            return None;
        }
        Some(Chunk::new(&self.settings.network_id, rows))
    }

    fn launch(
        &self,
        chunk: Chunk,
    ) -> impl std::future::Future<Output = (u64, Result<(Chunk, CallResult), tokio::task::JoinError>)>
    {
        let users = chunk.rows.len() as u64;
        let client = self.settings.client.clone();
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
        async move { (users, task.await) }
    }

    /// Records the answer to one call, or schedules the chunk again.
    fn settle(&mut self, mut chunk: Chunk, result: CallResult) {
        self.report.stats.calls += 1;
        let throttles = self
            .settings
            .client
            .throttled_responses()
            .saturating_sub(self.throttles_at_start);
        let throttled_meanwhile = throttles > self.throttles_seen;
        self.throttles_seen = throttles;
        self.report.stats.throttled = throttles;
        if throttled_meanwhile {
            self.aimd.on_throttle(Instant::now());
        }
        let error = match result {
            Ok(output) => {
                if !throttled_meanwhile {
                    self.aimd.on_success();
                }
                self.apply_output(chunk, &output);
                return;
            }
            Err(error) => error,
        };
        let failure = classify(&error);
        chunk.last_error = error.to_string();
        match failure {
            Failure::Throttled => {
                self.aimd.on_throttle(Instant::now());
                chunk.throttled += 1;
                if chunk.throttled >= THROTTLED_ATTEMPTS {
                    self.give_up(chunk);
                } else {
                    let delay = backoff(
                        Duration::from_millis(250),
                        Duration::from_secs(10),
                        chunk.throttled,
                    );
                    self.requeue(chunk, delay);
                }
            }
            Failure::Transient => {
                chunk.transient_failures += 1;
                if chunk.transient_failures >= TRANSIENT_ATTEMPTS {
                    self.give_up(chunk);
                } else {
                    let delay = backoff(
                        Duration::from_millis(200),
                        Duration::from_secs(5),
                        chunk.transient_failures,
                    );
                    self.requeue(chunk, delay);
                }
            }
            Failure::Invalid(reasons) => self.split_invalid(chunk, reasons),
            Failure::Refused => {
                for row in &chunk.rows {
                    self.report.set_failed(row.index, None, &chunk.last_error);
                }
            }
            Failure::Fatal => {
                for row in &chunk.rows {
                    self.report.set_not_attempted(row.index, &chunk.last_error);
                }
                if self.stop.is_none() {
                    self.report.stopped = Some(chunk.last_error.clone());
                    self.stop = Some(format!(
                        "the job stopped before this user was sent: {}",
                        chunk.last_error
                    ));
                }
            }
        }
    }

    fn requeue(&mut self, chunk: Chunk, delay: Duration) {
        self.report.stats.chunk_retries += 1;
        self.retries.push_back((Instant::now() + delay, chunk));
    }

    fn give_up(&mut self, chunk: Chunk) {
        let error = format!(
            "no definitive answer after {} attempts: {}",
            chunk.throttled + chunk.transient_failures,
            chunk.last_error
        );
        for row in &chunk.rows {
            self.report.set_not_attempted(row.index, &error);
        }
    }

    /// Marks the users the service named as failed and sends the others again as a new chunk.
    fn split_invalid(&mut self, chunk: Chunk, reasons: Vec<(String, String)>) {
        let mut named: Vec<Option<(String, String)>> = vec![None; chunk.rows.len()];
        let mut general = Vec::new();
        for (path, reason) in reasons {
            match row_of_field(&path) {
                Some((row, field)) if row < named.len() => {
                    let field = if field.is_empty() {
                        path.clone()
                    } else {
                        field
                    };
                    named[row].get_or_insert((field, reason));
                }
                _ => general.push(if path.is_empty() {
                    reason
                } else {
                    format!("{path}: {reason}")
                }),
            }
        }
        if named.iter().all(Option::is_none) {
            let reason = if general.is_empty() {
                chunk.last_error.clone()
            } else {
                general.join("; ")
            };
            for row in &chunk.rows {
                self.report.set_failed(row.index, None, &reason);
            }
            return;
        }
        // Reasons that name no user still belong to this answer: they go with each refused user,
        // so none of what the service said is lost.
        let also = if general.is_empty() {
            String::new()
        } else {
            format!(" (the service also said: {})", general.join("; "))
        };
        let mut rest = Vec::new();
        for (row, named) in chunk.rows.into_iter().zip(named) {
            match named {
                Some((field, reason)) => {
                    self.report
                        .set_failed(row.index, Some(&field), &format!("{reason}{also}"))
                }
                None => rest.push(row),
            }
        }
        if !rest.is_empty() {
            let next = Chunk::new(&self.settings.network_id, rest);
            self.retries.push_back((Instant::now(), next));
        }
    }

    /// Matches the created users to the chunk's rows by username, and the failed entries (which
    /// carry no username) to the remaining rows in request order.
    fn apply_output(&mut self, chunk: Chunk, output: &BatchCreateUserOutput) {
        let mut unmatched: Vec<&ChunkRow> = Vec::with_capacity(chunk.rows.len());
        let mut created: Vec<Option<&crate::types::User>> = vec![None; chunk.rows.len()];
        for user in output.successful() {
            let Some(name) = user.username() else {
                continue;
            };
            if let Some(position) = chunk
                .rows
                .iter()
                .enumerate()
                .position(|(i, row)| created[i].is_none() && row.user.username() == name)
            {
                created[position] = Some(user);
            }
        }
        for (row, user) in chunk.rows.iter().zip(&created) {
            match user {
                Some(user) => self.report.set_created(
                    row.index,
                    user.user_id().filter(|id| !id.is_empty()),
                    user.invite_code(),
                ),
                None => unmatched.push(row),
            }
        }
        // Failed entries carry no username, so pairing them with rows by position is only sound
        // when the answer accounts for every row: each success matched a row, and the failures
        // number exactly the rows left. Otherwise nothing is guessed.
        let matched = created.iter().filter(|user| user.is_some()).count();
        let answer_fits = matched == output.successful().len()
            && matched + output.failed().len() == chunk.rows.len();
        if !answer_fits {
            for row in unmatched {
                self.report.set_not_attempted(
                    row.index,
                    "the service's answer did not account for this user; it may or may not exist",
                );
            }
            return;
        }
        let mut failed = output.failed().iter();
        for row in unmatched {
            match failed.next() {
                Some(entry) => {
                    let field = entry.field();
                    let reason = entry.reason();
                    if means_already_exists(field, reason) {
                        let user_id =
                            Some(entry.user_id()).filter(|id| !id.is_empty() && *id != "0");
                        self.report.set_already_existed(row.index, user_id);
                    } else {
                        self.report.set_failed(
                            row.index,
                            field,
                            reason.unwrap_or("the service refused this user without a reason"),
                        );
                    }
                }
                None => self.report.set_failed(
                    row.index,
                    None,
                    "the service answered without a result for this user",
                ),
            }
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
                format!("{stop} (last attempt: {})", chunk.last_error)
            } else {
                chunk.last_error.clone()
            };
            for row in &chunk.rows {
                self.report.set_not_attempted(row.index, &error);
            }
        }
        if let Some((index, _)) = self.carry.take() {
            self.report.set_not_attempted(index, &stop);
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
        self.report.finish(&stop);
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
