//! Idempotency tokens (`X-Client-Token`): a repeated request gets the stored answer.
//!
//! A token is bound to the operation and the exact request (method, path, query, body). The same
//! token with the same request returns the stored response without touching state; with a
//! different request it is a `BadRequestError`.
//!
//! # Lifetime and memory cap
//!
//! - A token is remembered for [`TOKEN_TTL`] (24 hours) after its first use, then forgotten: the
//!   same token may then be used for any request again.
//! - Stored answers and request fingerprints are also bounded by a memory cap (default
//!   [`DEFAULT_CAP_BYTES`], 256 MiB; `EmulatorBuilder::idempotency_cap_bytes` or the binary's
//!   `--idempotency-cap-mib`). When a new answer would exceed the cap, the oldest tokens are
//!   forgotten first, **even if they are younger than 24 hours**. The 24-hour guarantee
//!   therefore holds only while the answers of the last 24 hours fit under the cap; raise the
//!   cap for long runs with many large answers. A token whose request is still being answered
//!   is never forgotten: a retry waiting for that answer gets it, and does not run the request
//!   again.
//! - The clock used for expiry is a [`Clock`]; tests can inject a [`ManualClock`] to move time
//!   forward without waiting.
//! - With a state file, the stored answers are written with the state ([`TokenStore::kept`])
//!   and come back when the emulator starts again ([`TokenStore::restore_kept`]), with the age
//!   they had: a client that retries after a restart gets the answer it was given, as the
//!   service would give it.

use crate::error::ApiError;
use bytes::Bytes;
use http::StatusCode;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// How long a token is remembered.
pub const TOKEN_TTL: Duration = Duration::from_secs(24 * 60 * 60);
/// Default memory cap for stored answers and request fingerprints, in bytes (256 MiB).
pub const DEFAULT_CAP_BYTES: usize = 256 * 1024 * 1024;

/// Time source for token expiry and rate-limit windows.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current instant.
    fn now(&self) -> Instant;
}

/// The real monotonic clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
}

/// A clock that only moves when told to: real time at creation plus everything passed to
/// [`ManualClock::advance`].
#[derive(Debug)]
pub struct ManualClock {
    start: Instant,
    offset: Mutex<Duration>,
}

impl Default for ManualClock {
    fn default() -> Self {
        ManualClock {
            start: Instant::now(),
            offset: Mutex::new(Duration::ZERO),
        }
    }
}

impl ManualClock {
    /// A clock standing at the current instant.
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        let mut offset = self.offset.lock().unwrap_or_else(|p| p.into_inner());
        *offset = offset.saturating_add(by);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        let offset = *self.offset.lock().unwrap_or_else(|p| p.into_inner());
        self.start.checked_add(offset).unwrap_or(self.start)
    }
}

/// A stored answer.
#[derive(Clone)]
pub struct StoredResponse {
    /// Status code.
    pub status: StatusCode,
    /// `X-Amzn-Errortype`, for error answers.
    pub error_type: Option<&'static str>,
    /// Body.
    pub body: Bytes,
}

/// A stored answer as the state file keeps it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeptToken {
    /// The client token.
    pub token: String,
    /// What the token is bound to: the SHA-256 (hex) of the operation and the exact request.
    pub fingerprint: String,
    /// The answer's status code.
    pub status: u16,
    /// The answer's `X-Amzn-Errortype`, for an error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_type: Option<String>,
    /// The answer's body (JSON text, as every answer of the emulator is).
    pub body: String,
    /// When it was first answered, in seconds since the Unix epoch.
    pub answered: i64,
}

enum Slot {
    InFlight(Arc<Notify>),
    Done(StoredResponse),
}

struct Entry {
    fingerprint: Vec<u8>,
    created: Instant,
    slot: Slot,
    /// The journal's number for the change this answer is of; 0 when there is none.
    change: u64,
}

#[derive(Default)]
struct Inner {
    entries: HashMap<String, Entry>,
    order: VecDeque<(Instant, String)>,
    bytes: usize,
}

/// What the caller should do with a request that carries a token.
pub enum Claim {
    /// First use: run it, then call [`TokenStore::complete`] (or [`TokenStore::abandon`]).
    Run,
    /// Seen before with the same request: send this.
    Replay(StoredResponse),
}

/// Token store shared by all connections. `Debug` shows only counts: stored answers may hold
/// sensitive member values.
pub struct TokenStore {
    inner: Mutex<Inner>,
    cap_bytes: usize,
    clock: Arc<dyn Clock>,
}

impl Default for TokenStore {
    fn default() -> Self {
        TokenStore::new(DEFAULT_CAP_BYTES, Arc::new(SystemClock))
    }
}

impl std::fmt::Debug for TokenStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inner = self.lock();
        f.debug_struct("TokenStore")
            .field("tokens", &inner.entries.len())
            .field("bytes", &inner.bytes)
            .field("cap_bytes", &self.cap_bytes)
            .finish()
    }
}

fn entry_size(token: &str, entry: &Entry) -> usize {
    let body = match &entry.slot {
        Slot::Done(r) => r.body.len(),
        Slot::InFlight(_) => 0,
    };
    token.len() * 2 + entry.fingerprint.len() + body + 128
}

impl std::fmt::Debug for StoredResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredResponse")
            .field("status", &self.status)
            .field("error_type", &self.error_type)
            .field("body_bytes", &self.body.len())
            .finish()
    }
}

impl TokenStore {
    /// A store holding at most `cap_bytes` of answers, expiring tokens by `clock`.
    pub fn new(cap_bytes: usize, clock: Arc<dyn Clock>) -> Self {
        TokenStore {
            inner: Mutex::new(Inner::default()),
            cap_bytes,
            clock,
        }
    }

    /// Number of tokens currently remembered.
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    /// Whether no token is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Claims `token` for a request with `fingerprint`, waiting while an identical request with
    /// the same token is still running.
    pub async fn claim(&self, token: &str, fingerprint: Vec<u8>) -> Result<Claim, ApiError> {
        loop {
            let notify = {
                let now = self.clock.now();
                let mut inner = self.lock();
                Self::expire(&mut inner, now);
                match inner.entries.get(token) {
                    None => {
                        let entry = Entry {
                            fingerprint,
                            created: now,
                            slot: Slot::InFlight(Arc::new(Notify::new())),
                            change: 0,
                        };
                        inner.bytes += entry_size(token, &entry);
                        inner.order.push_back((entry.created, token.to_owned()));
                        inner.entries.insert(token.to_owned(), entry);
                        return Ok(Claim::Run);
                    }
                    Some(entry) if entry.fingerprint != fingerprint => {
                        return Err(ApiError::BadRequest(
                            "this client token was already used with a different request"
                                .to_owned(),
                        ))
                    }
                    Some(entry) => match &entry.slot {
                        Slot::Done(resp) => return Ok(Claim::Replay(resp.clone())),
                        Slot::InFlight(n) => n.clone(),
                    },
                }
            };
            let notified = notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            // Re-check: the owner may have finished between dropping the lock and enabling.
            let done = matches!(
                self.lock().entries.get(token).map(|e| &e.slot),
                Some(Slot::Done(_)) | None
            );
            if !done {
                notified.await;
            }
        }
    }

    /// Stores the answer for a claimed token.
    pub fn complete(&self, token: &str, response: StoredResponse) {
        self.complete_change(token, response, 0);
    }

    /// Stores the answer for a claimed token whose request is the journal's change `change`: a
    /// state file keeps it only once it holds that change.
    pub fn complete_change(&self, token: &str, response: StoredResponse, change: u64) {
        let mut inner = self.lock();
        let Some(entry) = inner.entries.get_mut(token) else {
            return;
        };
        entry.change = change;
        let notify = match std::mem::replace(&mut entry.slot, Slot::Done(response)) {
            Slot::InFlight(n) => Some(n),
            Slot::Done(_) => None,
        };
        let added = match &entry.slot {
            Slot::Done(r) => r.body.len(),
            Slot::InFlight(_) => 0,
        };
        inner.bytes += added;
        Self::enforce_cap(&mut inner, self.cap_bytes);
        drop(inner);
        if let Some(n) = notify {
            n.notify_waiters();
        }
    }

    /// Remembers `response` under `token` for a request with `fingerprint` answered `age` ago
    /// (by an earlier run of the emulator: kept in its state file, or run again from its
    /// journal); nothing when that is longer than [`TOKEN_TTL`] ago. Restored in the order they
    /// were answered, a later answer under the same token (used again once forgotten) replaces
    /// an earlier one.
    pub fn restore(
        &self,
        token: &str,
        fingerprint: Vec<u8>,
        response: StoredResponse,
        age: Duration,
    ) {
        if age >= TOKEN_TTL {
            return;
        }
        let now = self.clock.now();
        let created = now.checked_sub(age).unwrap_or(now);
        let mut inner = self.lock();
        if let Some(earlier) = inner.entries.remove(token) {
            inner.bytes = inner.bytes.saturating_sub(entry_size(token, &earlier));
        }
        let entry = Entry {
            fingerprint,
            created,
            slot: Slot::Done(response),
            change: 0,
        };
        inner.bytes += entry_size(token, &entry);
        // Restored in the order they were answered, so the oldest still go first.
        inner.order.push_back((created, token.to_owned()));
        inner.entries.insert(token.to_owned(), entry);
        Self::enforce_cap(&mut inner, self.cap_bytes);
    }

    /// Every stored answer of a change up to the journal's `up_to` (or of none), the oldest
    /// first, to be written with the state; `now` is the wall clock (seconds since the Unix
    /// epoch). Answers still being made are not in it, nor those of later changes: the state
    /// written does not hold those changes, and their journal gives the answers back.
    pub fn kept(&self, now: i64, up_to: u64) -> Vec<KeptToken> {
        let at = self.clock.now();
        // Taken under the lock as they are (the bodies are shared, not copied), turned into
        // text after it.
        let taken: Vec<(String, String, StoredResponse, Instant)> = {
            let inner = self.lock();
            inner
                .order
                .iter()
                .filter_map(|(created, token)| {
                    let entry = inner.entries.get(token).filter(|e| e.created == *created)?;
                    let Slot::Done(answer) = &entry.slot else {
                        return None;
                    };
                    (entry.change <= up_to).then(|| {
                        (
                            token.clone(),
                            hex(&entry.fingerprint),
                            answer.clone(),
                            *created,
                        )
                    })
                })
                .collect()
        };
        taken
            .into_iter()
            .filter_map(|(token, fingerprint, answer, created)| {
                // Every answer is JSON text; one that were not could not be kept as such.
                let body = std::str::from_utf8(&answer.body).ok()?.to_owned();
                let age = i64::try_from(at.duration_since(created).as_secs()).unwrap_or(0);
                Some(KeptToken {
                    token,
                    fingerprint,
                    status: answer.status.as_u16(),
                    error_type: answer.error_type.map(str::to_owned),
                    body,
                    answered: now.saturating_sub(age),
                })
            })
            .collect()
    }

    /// Remembers an answer a state file kept, at the age it has by `now` (the wall clock, in
    /// seconds since the Unix epoch); nothing when it is [`TOKEN_TTL`] old, or does not read
    /// as an answer of this emulator.
    pub fn restore_kept(&self, kept: KeptToken, now: i64) {
        let (Ok(status), Some(fingerprint)) =
            (StatusCode::from_u16(kept.status), unhex(&kept.fingerprint))
        else {
            return;
        };
        let error_type = match kept.error_type.as_deref() {
            None => None,
            Some(name) => match ApiError::known_type_name(name) {
                Some(name) => Some(name),
                None => return,
            },
        };
        let answer = StoredResponse {
            status,
            error_type,
            body: Bytes::from(kept.body.into_bytes()),
        };
        let age = u64::try_from(now.saturating_sub(kept.answered)).unwrap_or(0);
        self.restore(&kept.token, fingerprint, answer, Duration::from_secs(age));
    }

    /// The tokens whose answers are being made now.
    pub fn in_flight(&self) -> Vec<String> {
        let inner = self.lock();
        inner
            .entries
            .iter()
            .filter(|(_, e)| matches!(e.slot, Slot::InFlight(_)))
            .map(|(token, _)| token.clone())
            .collect()
    }

    /// Waits, up to `limit`, until none of `tokens` has an answer being made. Between a
    /// change and its stored answer a request runs without awaiting anything, so this is
    /// short.
    pub fn wait_for_answers(&self, tokens: &[String], limit: Duration) -> bool {
        let until = Instant::now() + limit;
        loop {
            let waiting = {
                let inner = self.lock();
                tokens.iter().any(|t| {
                    inner
                        .entries
                        .get(t)
                        .is_some_and(|e| matches!(e.slot, Slot::InFlight(_)))
                })
            };
            if !waiting {
                return true;
            }
            if Instant::now() >= until {
                return false;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    /// Forgets a claimed token whose request produced no answer worth keeping.
    pub fn abandon(&self, token: &str) {
        let mut inner = self.lock();
        if let Some(entry) = inner.entries.remove(token) {
            inner.bytes = inner.bytes.saturating_sub(entry_size(token, &entry));
            if let Slot::InFlight(n) = entry.slot {
                n.notify_waiters();
            }
        }
    }

    fn expire(inner: &mut Inner, now: Instant) {
        // Each remembered token is looked at once at most: one still being answered goes back
        // in line.
        let mut turns = inner.order.len();
        while let Some((created, _)) = inner.order.front() {
            if turns == 0 || now.duration_since(*created) < TOKEN_TTL {
                break;
            }
            turns -= 1;
            Self::pop_oldest(inner);
        }
    }

    fn enforce_cap(inner: &mut Inner, cap_bytes: usize) {
        let mut turns = inner.order.len();
        while inner.bytes > cap_bytes && turns > 0 {
            turns -= 1;
            Self::pop_oldest(inner);
        }
    }

    /// Forgets the oldest token, unless a request is being answered under it: forgotten, a
    /// duplicate waiting for that answer would run the request a second time. That one goes
    /// back in line.
    fn pop_oldest(inner: &mut Inner) {
        let Some((created, token)) = inner.order.pop_front() else {
            return;
        };
        let Some(entry) = inner.entries.get(&token).filter(|e| e.created == created) else {
            return;
        };
        if matches!(entry.slot, Slot::InFlight(_)) {
            inner.order.push_back((created, token));
            return;
        }
        if let Some(entry) = inner.entries.remove(&token) {
            inner.bytes = inner.bytes.saturating_sub(entry_size(&token, &entry));
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}
