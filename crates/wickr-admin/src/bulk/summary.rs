//! What a job whose outcomes were handed out as they became final ends with: its counts, call
//! statistics and how it ended, and no outcome.

use std::fmt;
use std::time::Duration;

use super::report::{outcome, CallStats, Counts, JobFacts, Outcome, Stored};
use super::window::OutcomeSink;

/// The end of a job run with [`send_each`](super::BulkCreateUsers::send_each).
#[derive(Clone, Default)]
pub struct BulkSummary {
    pub(crate) facts: JobFacts,
}

impl fmt::Debug for BulkSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BulkSummary")
            .field("job_id", &self.facts.job_id)
            .field("counts", &self.counts())
            .field("stats", &self.facts.stats)
            .field("cancelled", &self.facts.cancelled)
            .field("stopped_reading", &self.facts.stopped_reading)
            .field("stopped", &self.facts.stopped)
            .field("elapsed", &self.facts.elapsed)
            .finish()
    }
}

impl BulkSummary {
    /// How many users ended in each outcome (places kept with
    /// [`Slot::Skip`](super::Slot::Skip) are not counted).
    pub fn counts(&self) -> Counts {
        self.facts.tally.into()
    }

    /// Call statistics.
    pub fn stats(&self) -> CallStats {
        self.facts.stats
    }

    /// The job's id: pass it to [`job_id`](super::BulkCreateUsers::job_id) to resume this job
    /// with the same client tokens.
    pub fn job_id(&self) -> &str {
        &self.facts.job_id
    }

    /// Whether the job was cancelled through its cancel token.
    pub fn cancelled(&self) -> bool {
        self.facts.cancelled
    }

    /// Whether the job was cancelled before the end of its input and read no more of it: the
    /// inputs after the last outcome were neither read nor attempted, and have no outcome
    /// here. (A job that ends any other way reads its whole input and gives every input an
    /// outcome.)
    pub fn stopped_reading(&self) -> bool {
        self.facts.stopped_reading
    }

    /// Why the job stopped early (an error that every call would get, e.g. an unknown network).
    pub fn stop_reason(&self) -> Option<&str> {
        self.facts.stopped.as_deref()
    }

    /// Time the job took.
    pub fn elapsed(&self) -> Duration {
        self.facts.elapsed
    }
}

/// Hands each outcome of a create job to a caller's function.
pub(crate) struct EachOutcome<F>(pub(crate) F);

impl<F> OutcomeSink for EachOutcome<F>
where
    F: FnMut(Option<Outcome<'_>>),
{
    fn take(&mut self, stored: Option<Stored<'_>>) {
        (self.0)(stored.map(outcome));
    }
}
