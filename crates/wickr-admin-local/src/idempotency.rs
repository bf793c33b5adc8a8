//! Idempotency tokens (`X-Client-Token`): a repeated request gets the stored answer.
//!
//! A token is bound to the operation and the exact request (method, path, query, body). The same
//! token with the same request returns the stored response without touching state; with a
//! different request it is a `BadRequestError`. Tokens live at least 24 hours; beyond that they
//! expire, and when stored answers exceed a memory cap the oldest are dropped first.

use crate::error::ApiError;
use bytes::Bytes;
use http::StatusCode;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// How long a token is remembered.
pub const TOKEN_TTL: Duration = Duration::from_secs(24 * 60 * 60);
/// Memory cap for stored answers and request fingerprints, in bytes.
pub const STORE_CAP_BYTES: usize = 256 * 1024 * 1024;

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

enum Slot {
    InFlight(Arc<Notify>),
    Done(StoredResponse),
}

struct Entry {
    fingerprint: Vec<u8>,
    created: Instant,
    slot: Slot,
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
#[derive(Default)]
pub struct TokenStore {
    inner: Mutex<Inner>,
}

impl std::fmt::Debug for TokenStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inner = self.lock();
        f.debug_struct("TokenStore")
            .field("tokens", &inner.entries.len())
            .field("bytes", &inner.bytes)
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
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Claims `token` for a request with `fingerprint`, waiting while an identical request with
    /// the same token is still running.
    pub async fn claim(&self, token: &str, fingerprint: Vec<u8>) -> Result<Claim, ApiError> {
        loop {
            let notify = {
                let mut inner = self.lock();
                Self::expire(&mut inner, Instant::now());
                match inner.entries.get(token) {
                    None => {
                        let entry = Entry {
                            fingerprint,
                            created: Instant::now(),
                            slot: Slot::InFlight(Arc::new(Notify::new())),
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
        let mut inner = self.lock();
        let Some(entry) = inner.entries.get_mut(token) else {
            return;
        };
        let notify = match std::mem::replace(&mut entry.slot, Slot::Done(response)) {
            Slot::InFlight(n) => Some(n),
            Slot::Done(_) => None,
        };
        let added = match &entry.slot {
            Slot::Done(r) => r.body.len(),
            Slot::InFlight(_) => 0,
        };
        inner.bytes += added;
        Self::enforce_cap(&mut inner);
        drop(inner);
        if let Some(n) = notify {
            n.notify_waiters();
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
        while let Some((created, _)) = inner.order.front() {
            if now.duration_since(*created) < TOKEN_TTL {
                break;
            }
            Self::pop_oldest(inner);
        }
    }

    fn enforce_cap(inner: &mut Inner) {
        while inner.bytes > STORE_CAP_BYTES && !inner.order.is_empty() {
            Self::pop_oldest(inner);
        }
    }

    fn pop_oldest(inner: &mut Inner) {
        if let Some((created, token)) = inner.order.pop_front() {
            let same = inner
                .entries
                .get(&token)
                .is_some_and(|e| e.created == created);
            if same {
                if let Some(entry) = inner.entries.remove(&token) {
                    inner.bytes = inner.bytes.saturating_sub(entry_size(&token, &entry));
                    if let Slot::InFlight(n) = entry.slot {
                        n.notify_waiters();
                    }
                }
            }
        }
    }
}
