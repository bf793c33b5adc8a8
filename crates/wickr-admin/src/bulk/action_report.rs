//! The result of a user-action job (delete, suspend, unsuspend, re-invite, reset devices,
//! update): one outcome per input user id, in input order.

use std::fmt;
use std::time::Duration;

use super::report::{CallStats, JobRecord, Kind, Stored, Tally};

/// What happened to one input user of a user-action job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionOutcome<'a> {
    /// This job's call applied the action to the user. An answer lost and replayed by the
    /// service for a later attempt of the same call (same client token) is this job's too.
    Applied {
        /// What the service reported beyond success, when anything (e.g. how many devices were
        /// reset).
        detail: Option<&'a str>,
    },
    /// The network has no user with this id. For a deletion the network is as asked: the user
    /// is gone (deleted earlier, by another job, or never there).
    NotFound,
    /// The service refused the action for this user.
    Failed {
        /// The field at fault, when known.
        field: Option<&'a str>,
        /// Why.
        reason: &'a str,
    },
    /// The job did not apply the action, and knows it: the user was never sent, or every attempt
    /// was refused before it was applied (throttled).
    NotAttempted {
        /// Why.
        error: &'a str,
    },
    /// The user was sent and no definitive answer came back: the action may or may not have been
    /// applied.
    Unknown {
        /// The last error seen for this user.
        error: &'a str,
    },
}

/// Counts of a user-action job's report, also sent with progress updates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ActionCounts {
    /// Users the action was applied to.
    pub applied: u64,
    /// Users the network does not have.
    pub not_found: u64,
    /// Users the service refused.
    pub failed: u64,
    /// Users the job knows it did not act on.
    pub not_attempted: u64,
    /// Users sent without a definitive answer.
    pub unknown: u64,
}

impl ActionCounts {
    /// Users with an outcome.
    pub fn done(&self) -> u64 {
        self.applied + self.not_found + self.failed + self.not_attempted + self.unknown
    }
}

impl From<Tally> for ActionCounts {
    fn from(t: Tally) -> Self {
        Self {
            applied: t.done,
            not_found: t.already,
            failed: t.failed,
            not_attempted: t.not_attempted,
            unknown: t.unknown,
        }
    }
}

/// The outcome of every input of a user-action job, in input order.
#[derive(Clone, Default)]
pub struct ActionReport {
    pub(crate) record: JobRecord,
}

impl fmt::Debug for ActionReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ActionReport")
            .field("job_id", &self.record.facts.job_id)
            .field("users", &self.record.len())
            .field("counts", &self.counts())
            .field("stats", &self.record.facts.stats)
            .field("cancelled", &self.record.facts.cancelled)
            .field("stopped_reading", &self.record.facts.stopped_reading)
            .field("stopped", &self.record.facts.stopped)
            .finish()
    }
}

impl ActionReport {
    /// Number of inputs (each has exactly one outcome); after a cancellation, the inputs read
    /// (see `stopped_reading`).
    pub fn len(&self) -> usize {
        self.record.len()
    }

    /// Whether the input was empty.
    pub fn is_empty(&self) -> bool {
        self.record.len() == 0
    }

    /// The outcome of the `index`-th input (0-based).
    pub fn get(&self, index: usize) -> Option<ActionOutcome<'_>> {
        self.record.get(index).map(action_outcome)
    }

    /// Outcomes in input order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = ActionOutcome<'_>> + '_ {
        self.record.iter().map(action_outcome)
    }

    /// How many inputs ended in each outcome.
    pub fn counts(&self) -> ActionCounts {
        self.record.tally().into()
    }

    /// Call statistics.
    pub fn stats(&self) -> CallStats {
        self.record.facts.stats
    }

    /// The job's id: pass it to [`job_id`](super::BulkUserAction::job_id) to resume this job with the
    /// same client tokens.
    pub fn job_id(&self) -> &str {
        &self.record.facts.job_id
    }

    /// Whether the job was cancelled through its cancel token.
    pub fn cancelled(&self) -> bool {
        self.record.facts.cancelled
    }

    /// Whether the job was cancelled before the end of its input and read no more of it: the
    /// inputs after the last outcome were neither read nor attempted, and have no outcome
    /// here. (A job that ends any other way reads its whole input and gives every input an
    /// outcome.)
    pub fn stopped_reading(&self) -> bool {
        self.record.facts.stopped_reading
    }

    /// Why the job stopped early (an error every call would get).
    pub fn stop_reason(&self) -> Option<&str> {
        self.record.facts.stopped.as_deref()
    }

    /// Time the job took.
    pub fn elapsed(&self) -> Duration {
        self.record.facts.elapsed
    }
}

fn action_outcome(stored: Stored<'_>) -> ActionOutcome<'_> {
    match stored.kind {
        Kind::Done => ActionOutcome::Applied { detail: stored.a },
        Kind::Already => ActionOutcome::NotFound,
        Kind::Failed => ActionOutcome::Failed {
            field: stored.field,
            reason: stored.reason,
        },
        Kind::NotAttempted => ActionOutcome::NotAttempted {
            error: stored.reason,
        },
        Kind::Unknown => ActionOutcome::Unknown {
            error: stored.reason,
        },
    }
}
