//! Watching and stopping a running bulk job.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::sync::Notify;

use super::report::{Counts, Tally};

/// A snapshot of a running job, passed to the progress callback after every chunk: `C` is the
/// job's counts ([`Counts`] for a create job, [`ActionCounts`](super::ActionCounts) for a
/// user-action job).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress<C = Counts> {
    /// Users read from the input so far.
    pub read: u64,
    /// Outcomes so far.
    pub counts: C,
    /// Users in calls that are running now.
    pub in_flight: u64,
    /// Calls the job may run at once right now (lowered while the service throttles).
    pub concurrency: u32,
    /// Calls the service throttled so far.
    pub throttled: u64,
    /// Whether the input has been read to its end (so `read` is the total).
    pub input_done: bool,
}

/// The same snapshot with its counts in the words of the job's operation.
pub(crate) fn in_words<C: From<Tally>>(p: &Progress<Tally>) -> Progress<C> {
    Progress {
        read: p.read,
        counts: C::from(p.counts),
        in_flight: p.in_flight,
        concurrency: p.concurrency,
        throttled: p.throttled,
        input_done: p.input_done,
    }
}

/// Cancels a bulk job from anywhere.
///
/// [`cancel`](Self::cancel): nothing new is sent; calls in flight may finish within the job's
/// [`cancel_grace`](super::BulkCreateUsers::cancel_grace), after which they are abandoned; users
/// never sent are reported as not attempted, users of abandoned calls as unknown.
/// [`abandon`](Self::abandon) abandons the calls in flight at once.
#[derive(Clone, Debug, Default)]
pub struct CancelToken {
    inner: Arc<CancelInner>,
}

#[derive(Debug, Default)]
struct CancelInner {
    cancelled: AtomicBool,
    abandoned: AtomicBool,
    notify: Notify,
}

impl CancelToken {
    /// A token that is not cancelled.
    pub fn new() -> Self {
        Self::default()
    }

    /// Cancels every job holding a clone of this token.
    pub fn cancel(&self) {
        self.inner.cancelled.store(true, Ordering::SeqCst);
        self.inner.notify.notify_waiters();
    }

    /// Cancels, and abandons the calls in flight without waiting for their answers.
    pub fn abandon(&self) {
        self.inner.abandoned.store(true, Ordering::SeqCst);
        self.cancel();
    }

    /// Whether [`cancel`](Self::cancel) (or [`abandon`](Self::abandon)) was called.
    pub fn is_cancelled(&self) -> bool {
        self.inner.cancelled.load(Ordering::SeqCst)
    }

    /// Whether [`abandon`](Self::abandon) was called.
    pub fn is_abandoned(&self) -> bool {
        self.inner.abandoned.load(Ordering::SeqCst)
    }

    /// Completes once the token is cancelled.
    pub async fn cancelled(&self) {
        self.wait_for(Self::is_cancelled).await;
    }

    /// Completes once the token is abandoned.
    pub async fn abandoned(&self) {
        self.wait_for(Self::is_abandoned).await;
    }

    async fn wait_for(&self, done: fn(&Self) -> bool) {
        loop {
            let notified = self.inner.notify.notified();
            if done(self) {
                return;
            }
            notified.await;
        }
    }
}
