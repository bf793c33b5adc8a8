//! Watching and stopping a running bulk job.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::sync::Notify;

use super::report::Counts;

/// A snapshot of a running job, passed to the progress callback after every chunk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Users read from the input so far.
    pub read: u64,
    /// Outcomes so far.
    pub counts: Counts,
    /// Users in calls that are running now.
    pub in_flight: u64,
    /// Calls the job may run at once right now (lowered while the service throttles).
    pub concurrency: u32,
    /// Calls the service throttled so far.
    pub throttled: u64,
    /// Whether the input has been read to its end (so `read` is the total).
    pub input_done: bool,
}

/// Cancels a bulk job from anywhere: calls already sent finish and are reported, nothing new is
/// sent, and every user not done is reported as not attempted.
#[derive(Clone, Debug, Default)]
pub struct CancelToken {
    inner: Arc<CancelInner>,
}

#[derive(Debug, Default)]
struct CancelInner {
    cancelled: AtomicBool,
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

    /// Whether [`cancel`](Self::cancel) was called.
    pub fn is_cancelled(&self) -> bool {
        self.inner.cancelled.load(Ordering::SeqCst)
    }

    /// Completes once the token is cancelled.
    pub async fn cancelled(&self) {
        loop {
            let notified = self.inner.notify.notified();
            if self.is_cancelled() {
                return;
            }
            notified.await;
        }
    }
}
