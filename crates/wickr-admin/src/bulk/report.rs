//! The result of a bulk job: its facts (counts, call statistics, how it ended), and, for a job
//! whose outcomes are collected, one outcome per input in input order, stored compactly.
//!
//! A collected job over a million users keeps a million outcomes, so each one is a small
//! fixed-size entry; user ids and invite codes share one string buffer, and failure reasons
//! (which repeat a lot) are stored once each. [`JobRecord`] holds them for any kind of job;
//! [`BulkReport`] reads a create job's record, and [`ActionReport`](super::ActionReport) a
//! user-action job's. A job whose outcomes are handed out as they become final
//! ([`send_each`](super::BulkCreateUsers::send_each)) keeps none, and ends with a
//! [`BulkSummary`].

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use super::window::OutcomeSink;

/// What happened to one input user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome<'a> {
    /// This job created the user. When an attempt's answer was lost and a later attempt of the same
    /// chunk got the service's stored answer, or a resumed job (same job id) got the stored answer
    /// of its earlier run, that answer is this job's creation and is reported as such; another
    /// job's tokens never match, so its answers are never taken for this job's.
    Created {
        /// The new user's id; `None` when the service's answer left it out (the user exists, and
        /// GetUser or ListUsers by username finds its id).
        user_id: Option<&'a str>,
        /// The invite code the service returned, when it returned one.
        invite_code: Option<&'a str>,
    },
    /// The network already had a user with this username; nothing was changed.
    AlreadyExisted {
        /// The existing user's id, when the service named it.
        user_id: Option<&'a str>,
    },
    /// The user was refused: by the input checks, or by the service.
    Failed {
        /// The field at fault, when known (e.g. `username`, `securityGroupIds`).
        field: Option<&'a str>,
        /// Why.
        reason: &'a str,
    },
    /// The job did not create the user, and knows it: the user was never sent (the job was
    /// cancelled or stopped first, or the endpoint could not be reached), or every attempt was
    /// refused before it was applied (throttled). Running the import again is safe.
    NotAttempted {
        /// Why the user was not done.
        error: &'a str,
    },
    /// The user was sent, and no definitive answer came back (a lost answer, a timeout, a server
    /// error, a call abandoned when the job was interrupted): the user may or may not exist now.
    /// Look it up (ListUsers by username), or resume the job with its job id to get the stored
    /// answer.
    Unknown {
        /// The last error seen for this user.
        error: &'a str,
    },
}

impl Outcome<'_> {
    /// Whether the user is in the network now (created or already there).
    pub fn is_present(&self) -> bool {
        matches!(
            self,
            Outcome::Created { .. } | Outcome::AlreadyExisted { .. }
        )
    }
}

/// What became of one input, whatever the job's operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Kind {
    /// The job's call applied the operation (created the user, deleted it, ...).
    Done,
    /// Nothing to do: the network already was as asked (the user existed; the user to delete
    /// was not there).
    Already,
    Failed,
    NotAttempted,
    Unknown,
}

/// Sentinel length: the optional string is absent.
const NONE: u32 = u32::MAX;

/// One outcome: what kind, and where its strings are.
#[derive(Clone, Copy, Debug)]
struct Entry {
    /// Start in `text` (created / already existed) or index in `messages` (failed / not attempted).
    at: u64,
    a_len: u32,
    b_len: u32,
    kind: Kind,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Message {
    field: Option<Box<str>>,
    reason: Box<str>,
}

/// How many inputs ended in each kind of outcome, whatever the job's operation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    pub(crate) done: u64,
    pub(crate) already: u64,
    pub(crate) failed: u64,
    pub(crate) not_attempted: u64,
    pub(crate) unknown: u64,
}

/// Counts of a create job's report, also sent with progress updates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Users created.
    pub created: u64,
    /// Users that were already in the network.
    pub already_existed: u64,
    /// Users refused.
    pub failed: u64,
    /// Users the job did not create, and knows it (never sent, or refused before being applied).
    pub not_attempted: u64,
    /// Users sent without a definitive answer: they may or may not exist.
    pub unknown: u64,
}

impl Counts {
    /// Users with an outcome.
    pub fn done(&self) -> u64 {
        self.created + self.already_existed + self.failed + self.not_attempted + self.unknown
    }
}

impl From<Tally> for Counts {
    fn from(t: Tally) -> Self {
        Self {
            created: t.done,
            already_existed: t.already,
            failed: t.failed,
            not_attempted: t.not_attempted,
            unknown: t.unknown,
        }
    }
}

/// Call statistics of a job.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CallStats {
    /// Attempts that ended (with an answer or an error), retries included.
    pub calls: u64,
    /// Attempts that sent a chunk again after a failed one.
    pub chunk_retries: u64,
    /// Throttled responses (RateLimitError, HTTP 429).
    pub throttled: u64,
    /// Chunks refused as too large (HTTP 413) and sent again as smaller ones.
    pub split_too_large: u64,
    /// Lowest number of calls the job ran at once while adapting to the service.
    pub min_concurrency: u32,
    /// Highest number of calls the job ran at once while adapting to the service.
    pub max_concurrency: u32,
}

/// What a job ends with, whatever became of its outcomes.
#[derive(Clone, Debug, Default)]
pub(crate) struct JobFacts {
    pub(crate) tally: Tally,
    pub(crate) stats: CallStats,
    pub(crate) job_id: String,
    pub(crate) cancelled: bool,
    /// The job was cancelled before its input ended, and read no more of it: the inputs after
    /// the last one read have no outcome, and none of them was attempted.
    pub(crate) stopped_reading: bool,
    pub(crate) stopped: Option<String>,
    pub(crate) elapsed: Duration,
}

/// One outcome per input of a job of any operation, in input order, with the job's facts.
#[derive(Clone, Default)]
pub(crate) struct JobRecord {
    entries: Vec<Entry>,
    text: String,
    messages: Vec<Message>,
    message_ids: HashMap<Message, u64>,
    pub(crate) facts: JobFacts,
}

/// One outcome read back from a [`JobRecord`]: its kind, two optional strings (ids, codes,
/// details) or a message (field and reason).
pub(crate) struct Stored<'a> {
    pub(crate) kind: Kind,
    pub(crate) a: Option<&'a str>,
    pub(crate) b: Option<&'a str>,
    pub(crate) field: Option<&'a str>,
    pub(crate) reason: &'a str,
}

impl fmt::Debug for JobRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JobRecord")
            .field("inputs", &self.entries.len())
            .field("facts", &self.facts)
            .finish()
    }
}

impl JobRecord {
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn tally(&self) -> Tally {
        self.facts.tally
    }

    pub(crate) fn get(&self, index: usize) -> Option<Stored<'_>> {
        self.entries.get(index).map(|e| self.stored(e))
    }

    pub(crate) fn iter(&self) -> impl ExactSizeIterator<Item = Stored<'_>> + '_ {
        self.entries.iter().map(|e| self.stored(e))
    }

    fn stored(&self, entry: &Entry) -> Stored<'_> {
        let mut out = Stored {
            kind: entry.kind,
            a: None,
            b: None,
            field: None,
            reason: "",
        };
        match entry.kind {
            Kind::Done | Kind::Already => (out.a, out.b) = self.strings(entry),
            Kind::Failed | Kind::NotAttempted | Kind::Unknown => {
                (out.field, out.reason) = self.message(entry)
            }
        }
        out
    }

    fn strings(&self, entry: &Entry) -> (Option<&str>, Option<&str>) {
        let start = usize::try_from(entry.at).unwrap_or(usize::MAX);
        let slice = |from: usize, len: u32| -> Option<&str> {
            if len == NONE {
                return None;
            }
            let to = from.checked_add(len as usize)?;
            self.text.get(from..to)
        };
        let a = slice(start, entry.a_len);
        let b_start = start.saturating_add(if entry.a_len == NONE {
            0
        } else {
            entry.a_len as usize
        });
        (a, slice(b_start, entry.b_len))
    }

    fn message(&self, entry: &Entry) -> (Option<&str>, &str) {
        match usize::try_from(entry.at)
            .ok()
            .and_then(|i| self.messages.get(i))
        {
            Some(m) => (m.field.as_deref(), &m.reason),
            None => (None, ""),
        }
    }

    fn push_strings(&mut self, a: Option<&str>, b: Option<&str>) -> (u64, u32, u32) {
        let at = self.text.len() as u64;
        let mut len = |s: Option<&str>| -> u32 {
            match s {
                // Ids and codes are short; anything absurdly long is not kept.
                Some(s) if s.len() < NONE as usize => {
                    self.text.push_str(s);
                    s.len() as u32
                }
                _ => NONE,
            }
        };
        let a_len = len(a);
        let b_len = len(b);
        (at, a_len, b_len)
    }

    fn intern(&mut self, field: Option<&str>, reason: &str) -> u64 {
        let message = Message {
            field: field.map(Box::from),
            reason: Box::from(reason),
        };
        if let Some(id) = self.message_ids.get(&message) {
            return *id;
        }
        let id = self.messages.len() as u64;
        self.messages.push(message.clone());
        self.message_ids.insert(message, id);
        id
    }

    /// Appends the next input's outcome.
    pub(crate) fn push(&mut self, outcome: &Stored<'_>) {
        let entry = match outcome.kind {
            Kind::Done | Kind::Already => {
                let (at, a_len, b_len) = self.push_strings(outcome.a, outcome.b);
                Entry {
                    at,
                    a_len,
                    b_len,
                    kind: outcome.kind,
                }
            }
            Kind::Failed | Kind::NotAttempted | Kind::Unknown => Entry {
                at: self.intern(outcome.field, outcome.reason),
                a_len: NONE,
                b_len: NONE,
                kind: outcome.kind,
            },
        };
        self.entries.push(entry);
    }

    /// Releases what only building needed, once the job has ended.
    pub(crate) fn shrink(&mut self) {
        self.message_ids = HashMap::new();
        self.text.shrink_to_fit();
        self.entries.shrink_to_fit();
    }
}

impl OutcomeSink for JobRecord {
    /// A collected job's inputs are all sent: it has no kept places, and would skip one.
    fn take(&mut self, outcome: Option<Stored<'_>>) {
        if let Some(outcome) = outcome {
            self.push(&outcome);
        }
    }
}

/// The outcome of every input user of a create job, in input order.
#[derive(Clone, Default)]
pub struct BulkReport {
    pub(crate) record: JobRecord,
}

impl fmt::Debug for BulkReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BulkReport")
            .field("job_id", &self.record.facts.job_id)
            .field("users", &self.record.len())
            .field("counts", &self.counts())
            .field("stats", &self.record.facts.stats)
            .field("cancelled", &self.record.facts.cancelled)
            .field("stopped_reading", &self.record.facts.stopped_reading)
            .field("stopped", &self.record.facts.stopped)
            .field("elapsed", &self.record.facts.elapsed)
            .finish()
    }
}

impl BulkReport {
    /// Number of input users (each has exactly one outcome); after a cancellation, the inputs read
    /// (see `stopped_reading`).
    pub fn len(&self) -> usize {
        self.record.len()
    }

    /// Whether the input was empty.
    pub fn is_empty(&self) -> bool {
        self.record.len() == 0
    }

    /// The outcome of the `index`-th input user (0-based).
    pub fn get(&self, index: usize) -> Option<Outcome<'_>> {
        self.record.get(index).map(outcome)
    }

    /// Outcomes in input order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Outcome<'_>> + '_ {
        self.record.iter().map(outcome)
    }

    /// How many users ended in each outcome.
    pub fn counts(&self) -> Counts {
        self.record.tally().into()
    }

    /// Call statistics.
    pub fn stats(&self) -> CallStats {
        self.record.facts.stats
    }

    /// The job's id: pass it to [`job_id`](super::BulkCreateUsers::job_id) to resume this job with the
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

    /// Why the job stopped early (an error that every call would get, e.g. an unknown network).
    pub fn stop_reason(&self) -> Option<&str> {
        self.record.facts.stopped.as_deref()
    }

    /// Time the job took.
    pub fn elapsed(&self) -> Duration {
        self.record.facts.elapsed
    }

    /// Whether every input user is in the network now (created or already there).
    pub fn all_present(&self) -> bool {
        let t = self.record.tally();
        t.failed == 0 && t.not_attempted == 0 && t.unknown == 0
    }
}

pub(crate) fn outcome(stored: Stored<'_>) -> Outcome<'_> {
    match stored.kind {
        Kind::Done => Outcome::Created {
            user_id: stored.a,
            invite_code: stored.b,
        },
        Kind::Already => Outcome::AlreadyExisted { user_id: stored.a },
        Kind::Failed => Outcome::Failed {
            field: stored.field,
            reason: stored.reason,
        },
        Kind::NotAttempted => Outcome::NotAttempted {
            error: stored.reason,
        },
        Kind::Unknown => Outcome::Unknown {
            error: stored.reason,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::window::OutcomeWindow;

    #[test]
    fn outcomes_come_back_in_input_order() {
        let mut window = OutcomeWindow::default();
        for _ in 0..5 {
            window.push_pending();
        }
        window.set_failed(3, Some("username"), "bad");
        window.set_done(1, Some("u-1".into()), Some("INV1".into()));
        window.set_already(0, None);
        window.set_done(2, None, None);
        window.set_done(2, Some("u-9".into()), None); // ignored: already set
        let mut record = JobRecord::default();
        window.finish("cancelled", &mut record);
        record.facts.tally = window.tally();
        let r = BulkReport { record };
        let all: Vec<Outcome<'_>> = r.iter().collect();
        assert_eq!(
            all,
            vec![
                Outcome::AlreadyExisted { user_id: None },
                Outcome::Created {
                    user_id: Some("u-1"),
                    invite_code: Some("INV1")
                },
                Outcome::Created {
                    user_id: None,
                    invite_code: None
                },
                Outcome::Failed {
                    field: Some("username"),
                    reason: "bad"
                },
                Outcome::Unknown { error: "cancelled" },
            ]
        );
        assert_eq!(
            r.counts(),
            Counts {
                created: 2,
                already_existed: 1,
                failed: 1,
                not_attempted: 0,
                unknown: 1,
            }
        );
        assert!(!r.all_present());
    }

    #[test]
    fn repeated_reasons_are_stored_once() {
        let mut r = JobRecord::default();
        for _ in 0..100 {
            r.push(&Stored {
                kind: Kind::Failed,
                a: None,
                b: None,
                field: Some("username"),
                reason: "User already exists",
            });
        }
        assert_eq!(r.messages.len(), 1);
        assert_eq!(r.len(), 100);
        assert_eq!(std::mem::size_of::<Entry>(), 24);
    }
}
