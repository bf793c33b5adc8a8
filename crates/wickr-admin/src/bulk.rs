//! Bulk jobs: create any number of users in a network, 50 per BatchCreateUser call; delete,
//! suspend, unsuspend or re-invite users by id, 50 per call; reset their devices or change their
//! names and security groups, one user per call. Every kind of job runs on one engine with the
//! same guarantees. The module is compiled with the crate's `bulk` feature.
//!
//! ```
//! use wickr_admin::bulk::{NewUser, Outcome};
//!
//! # #[tokio::main]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let emulator = wickr_admin_local::Emulator::builder()
//! #     .seed_demo_network(true)
//! #     .start()
//! #     .await?;
//! # let client = emulator.client();
//! let users = (0..200).map(|i| NewUser::new(format!("user{i}@example.com")));
//! let report = client
//!     .bulk_create_users("12345678")
//!     .users(users)
//!     .default_security_group("BCTY8Qhe")
//!     .concurrency(4)
//!     .on_progress(|p| eprintln!("{} of {} done", p.counts.done(), p.read))
//!     .send()
//!     .await;
//! for (i, outcome) in report.iter().enumerate() {
//!     if let Outcome::Failed { field, reason } = outcome {
//!         eprintln!("user {i}: {}: {reason}", field.unwrap_or("-"));
//!     }
//! }
//! # assert_eq!(report.len(), 200);
//! # assert_eq!(report.counts().created, 200);
//! # Ok(())
//! # }
//! ```
//!
//! How a job works:
//!
//! - The input is any iterator, read lazily: memory holds the calls in flight and the inputs
//!   between the oldest one without an outcome and the newest read (at most 32,768), never the
//!   whole input. [`send`](BulkCreateUsers::send) collects one compact outcome per user into a
//!   [`BulkReport`]; [`send_each`](BulkCreateUsers::send_each) hands each one out, in input
//!   order, as soon as it and those before it are final, and keeps none (beyond 8 bytes per
//!   chunk of 50 for the tokens: see below).
//! - Each user is checked against the model's constraints before it is sent; a user that fails
//!   is reported as [`Outcome::Failed`] and the others go on.
//! - Users are cut into chunks in input order: at most 50 users, and at most
//!   [`max_request_bytes`](BulkCreateUsers::max_request_bytes) of request body (1 MiB by
//!   default). A chunk the service refuses as too large (HTTP 413) is sent again in two halves.
//! - Every chunk carries a client token derived from the job id, the operation, the network id
//!   and the chunk's content. Every attempt of a chunk reuses its token, so a retry after a lost answer gets the
//!   service's stored answer instead of creating anything twice. A job has a new random id unless
//!   given one with [`job_id`](BulkCreateUsers::job_id): the same id over the same users resumes
//!   a job with the same tokens, and a new job is never answered with an earlier job's result.
//! - Two chunks of equal content get different tokens, so a job remembers 8 bytes of each
//!   chunk's content for its whole length.
//! - Without [`concurrency`](BulkCreateUsers::concurrency), the job finds how many calls to run
//!   at once, as TCP finds how much to send: 4 calls until the service has answered once (an
//!   endpoint that never answers costs a few attempts), then 64, doubling every round trip while
//!   answers come back as fast as the fastest so far and nothing is throttled; it cuts the
//!   number by a fifth when answers slow down (calls are queueing) and halves it when the
//!   service throttles, then grows by one per round trip; never beyond 256. Given a
//!   concurrency, it runs that many, halved while throttled. The job makes each attempt itself:
//!   throttled and transient failures are sent again with backoff (up to 60 and 10 attempts;
//!   a throttled chunk waits at most a second).
//! - When the first attempts get no response at all (nothing listens, the host is unreachable,
//!   every attempt times out), the job stops instead of trying every chunk.
//! - A user the network already has is reported as [`Outcome::AlreadyExisted`]. A username that
//!   repeats in the input is sent once per occurrence, so its later occurrences are reported that
//!   way too.
//! - The report holds exactly one outcome per input user read, in input order (every input,
//!   unless the job was cancelled: see below). A user the job knows it
//!   did not create (never sent, or throttled on every attempt) is [`Outcome::NotAttempted`]; a
//!   user sent without a definitive answer is [`Outcome::Unknown`].
//! - A cancellation stops sending; calls in flight get
//!   [`cancel_grace`](BulkCreateUsers::cancel_grace) to finish, then are abandoned (at once with
//!   [`CancelToken::abandon`]). It also stops reading the input, which may be long or endless:
//!   the report holds the outcomes of the inputs read, and
//!   [`stopped_reading`](BulkReport::stopped_reading) says that the rest of the input was
//!   neither read nor attempted.

mod action_report;
mod answer;
mod chunk;
mod classify;
mod concurrency;
mod create;
mod cutting;
mod engine;
mod lookup;
mod operation;
mod pacing;
mod progress;
mod report;
mod reset_devices;
mod slot;
mod summary;
mod token;
mod update;
mod user;
mod user_action;
mod validate;
mod window;

use std::sync::Arc;
use std::time::Duration;

pub use action_report::{ActionCounts, ActionOutcome, ActionReport};
pub use chunk::DEFAULT_MAX_REQUEST_BYTES;
pub use engine::DEFAULT_CANCEL_GRACE;
pub use lookup::{find_users, Found, Lookups, ONE_BY_ONE_UP_TO};
pub use progress::{CancelToken, Progress};
pub use report::{BulkReport, CallStats, Counts, Outcome};
pub use slot::Slot;
pub use summary::BulkSummary;
pub use token::new_job_id;
pub use update::UserUpdate;
pub use user::NewUser;
pub use user_action::UserAction;
pub use validate::{check_network_id, check_user};

use crate::Client;
use chunk::MAX_CHUNK;
use create::CreateUsers;
use engine::{Job, JobSettings};
use report::JobRecord;
use reset_devices::ResetDevices;
use update::UpdateUsers;
use user_action::{BatchAction, ByUserId};

/// Largest number of calls a job runs at once.
pub const MAX_CONCURRENCY: u32 = 64;

fn settings(client: &Client, network_id: String) -> JobSettings {
    JobSettings {
        client: client.clone(),
        network_id,
        job_id: None,
        concurrency: None,
        chunk_size: MAX_CHUNK,
        max_request_bytes: DEFAULT_MAX_REQUEST_BYTES,
        on_progress: None,
        cancel: CancelToken::new(),
        cancel_grace: DEFAULT_CANCEL_GRACE,
    }
}

impl Client {
    /// Starts a bulk job that creates users in `network_id`; see the [`bulk`](crate::bulk) module.
    pub fn bulk_create_users(
        &self,
        network_id: impl Into<String>,
    ) -> BulkCreateUsers<std::iter::Empty<NewUser>> {
        BulkCreateUsers {
            settings: settings(self, network_id.into()),
            default_security_group: None,
            users: std::iter::empty(),
        }
    }

    /// Starts a bulk job that applies `action` to users of `network_id` given by id, 50 per call
    /// (one per call for [`UserAction::ResetDevices`]), with the same guarantees as
    /// [`bulk_create_users`](Self::bulk_create_users).
    pub fn bulk_user_action(
        &self,
        network_id: impl Into<String>,
        action: UserAction,
    ) -> BulkUserAction<std::iter::Empty<String>> {
        BulkUserAction {
            settings: settings(self, network_id.into()),
            action,
            user_ids: std::iter::empty(),
        }
    }

    /// Starts a bulk job that changes users' names and security groups (UpdateUser, one user
    /// per call) with bounded, throttle-adaptive concurrency.
    pub fn bulk_update_users(
        &self,
        network_id: impl Into<String>,
    ) -> BulkUpdateUsers<std::iter::Empty<UserUpdate>> {
        BulkUpdateUsers {
            settings: settings(self, network_id.into()),
            updates: std::iter::empty(),
        }
    }
}

/// The settings every kind of job shares.
macro_rules! job_settings {
    ($counts:ty) => {
        /// How many calls may run at once (1 to [`MAX_CONCURRENCY`]): the job runs that many,
        /// fewer while the service throttles. A value outside that range is brought to the
        /// nearest end of it. Without it, the job finds how many the service allows: 4 calls
        /// until the first answer, then 32, doubling every round trip while answers come back
        /// as fast as before and nothing is throttled, and backing off when answers slow down
        /// (calls are queueing) or the service throttles; never beyond 256.
        pub fn concurrency(mut self, calls: u32) -> Self {
            self.settings.concurrency = Some(calls.clamp(1, MAX_CONCURRENCY));
            self
        }

        /// Items per call (1 to 50; default 50, and 1 for operations that take one user). A
        /// value outside that range is brought to the nearest end of it.
        pub fn chunk_size(mut self, items: usize) -> Self {
            self.settings.chunk_size = items.clamp(1, MAX_CHUNK);
            self
        }

        /// Largest request body a chunk may have, in bytes (default
        /// [`DEFAULT_MAX_REQUEST_BYTES`], 1 MiB). An item larger than this on its own is sent
        /// alone.
        pub fn max_request_bytes(mut self, bytes: usize) -> Self {
            self.settings.max_request_bytes = bytes.max(1);
            self
        }

        /// Resumes the job with this id (see the report's `job_id`): given the same inputs in
        /// the same order, it cuts the same chunks and sends the same client tokens, so the
        /// service answers what the earlier run applied with its stored answers (for as long as
        /// it keeps them, 24 hours for the emulator). Without it, every job gets a new random id
        /// ([`new_job_id`]).
        pub fn job_id(mut self, job_id: impl Into<String>) -> Self {
            self.settings.job_id = Some(job_id.into());
            self
        }

        /// How long calls in flight may run once the job is cancelled before they are abandoned
        /// and their inputs reported unknown (default [`DEFAULT_CANCEL_GRACE`], 3 s).
        pub fn cancel_grace(mut self, grace: Duration) -> Self {
            self.settings.cancel_grace = grace;
            self
        }

        /// A token that cancels the job when cancelled.
        pub fn cancel_token(mut self, token: CancelToken) -> Self {
            self.settings.cancel = token;
            self
        }

        /// Called after every attempt's answer with a snapshot of the job, and once at the end.
        pub fn on_progress(
            mut self,
            callback: impl Fn(&Progress<$counts>) + Send + Sync + 'static,
        ) -> Self {
            self.settings.on_progress = Some(Arc::new(move |p: &Progress<report::Tally>| {
                callback(&progress::in_words(p))
            }));
            self
        }
    };
}

/// A bulk job that creates users, being set up; [`send`](BulkCreateUsers::send) runs it.
pub struct BulkCreateUsers<I> {
    settings: JobSettings,
    default_security_group: Option<String>,
    users: I,
}

impl<I> std::fmt::Debug for BulkCreateUsers<I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BulkCreateUsers")
            .field("settings", &self.settings)
            .field("default_security_group", &self.default_security_group)
            .finish_non_exhaustive()
    }
}

impl<I> BulkCreateUsers<I> {
    /// The users to create: any iterator of [`NewUser`] (or of anything that converts into one),
    /// read lazily; for [`send_each`](Self::send_each), of [`Slot`]s too.
    pub fn users<J>(self, users: J) -> BulkCreateUsers<J::IntoIter>
    where
        J: IntoIterator,
        J::Item: Into<Slot<NewUser>>,
    {
        BulkCreateUsers {
            settings: self.settings,
            default_security_group: self.default_security_group,
            users: users.into_iter(),
        }
    }

    /// Security group for users that name none.
    pub fn default_security_group(mut self, security_group_id: impl Into<String>) -> Self {
        self.default_security_group = Some(security_group_id.into());
        self
    }

    job_settings!(Counts);
}

impl<I> BulkCreateUsers<I>
where
    I: Iterator,
    I::Item: Into<NewUser>,
{
    /// Runs the job to its end and returns one outcome per input user.
    ///
    /// Must run inside a Tokio runtime (calls are spawned on it).
    pub async fn send(self) -> BulkReport {
        let operation = CreateUsers {
            default_security_group: self.default_security_group,
        };
        let inputs = self.users.map(|user| Slot::Send(user.into()));
        let (facts, mut record) = Job::new(operation, self.settings, inputs, JobRecord::default())
            .run()
            .await;
        record.facts = facts;
        record.shrink();
        BulkReport { record }
    }
}

impl<I> BulkCreateUsers<I>
where
    I: Iterator,
    I::Item: Into<Slot<NewUser>>,
{
    /// Runs the job to its end, handing each input's outcome to `each` in input order as soon
    /// as it and every outcome before it are final, and keeps none of them: memory stays the
    /// same whatever the number of users. A [`Slot::Skip`] in the input comes back as `None`
    /// in its turn, with nothing sent for it.
    ///
    /// Outcomes wait for the ones before them in a window of 32,768 inputs: when it is full
    /// (a chunk near its start is slow to settle, say sent again after a failed attempt) the job
    /// reads no further until it moves on.
    ///
    /// Must run inside a Tokio runtime (calls are spawned on it).
    pub async fn send_each<F>(self, each: F) -> BulkSummary
    where
        F: FnMut(Option<Outcome<'_>>),
    {
        let operation = CreateUsers {
            default_security_group: self.default_security_group,
        };
        let inputs = self.users.map(Into::into);
        let sink = summary::EachOutcome(each);
        let (facts, _) = Job::new(operation, self.settings, inputs, sink).run().await;
        BulkSummary { facts }
    }
}

/// A bulk job that acts on users by id, being set up; [`send`](BulkUserAction::send) runs it.
pub struct BulkUserAction<I> {
    settings: JobSettings,
    action: UserAction,
    user_ids: I,
}

impl<I> std::fmt::Debug for BulkUserAction<I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BulkUserAction")
            .field("settings", &self.settings)
            .field("action", &self.action)
            .finish_non_exhaustive()
    }
}

impl<I> BulkUserAction<I> {
    /// The ids of the users to act on, read lazily.
    pub fn user_ids<J>(self, user_ids: J) -> BulkUserAction<J::IntoIter>
    where
        J: IntoIterator,
        J::Item: Into<String>,
    {
        BulkUserAction {
            settings: self.settings,
            action: self.action,
            user_ids: user_ids.into_iter(),
        }
    }

    job_settings!(ActionCounts);
}

impl<I> BulkUserAction<I>
where
    I: Iterator,
    I::Item: Into<String>,
{
    /// Runs the job to its end and returns one outcome per input user id.
    ///
    /// Must run inside a Tokio runtime (calls are spawned on it).
    pub async fn send(self) -> ActionReport {
        let inputs = self.user_ids.map(|id| Slot::Send(id.into()));
        let record = JobRecord::default();
        let (facts, mut record) = match BatchAction::of(self.action) {
            Some(action) => {
                Job::new(ByUserId { action }, self.settings, inputs, record)
                    .run()
                    .await
            }
            None => {
                Job::new(ResetDevices, self.settings, inputs, record)
                    .run()
                    .await
            }
        };
        record.facts = facts;
        record.shrink();
        ActionReport { record }
    }
}

/// A bulk job that changes users, being set up; [`send`](BulkUpdateUsers::send) runs it.
pub struct BulkUpdateUsers<I> {
    settings: JobSettings,
    updates: I,
}

impl<I> std::fmt::Debug for BulkUpdateUsers<I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BulkUpdateUsers")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl<I> BulkUpdateUsers<I> {
    /// The changes, read lazily.
    pub fn updates<J>(self, updates: J) -> BulkUpdateUsers<J::IntoIter>
    where
        J: IntoIterator<Item = UserUpdate>,
    {
        BulkUpdateUsers {
            settings: self.settings,
            updates: updates.into_iter(),
        }
    }

    job_settings!(ActionCounts);
}

impl<I> BulkUpdateUsers<I>
where
    I: Iterator<Item = UserUpdate>,
{
    /// Runs the job to its end and returns one outcome per change, in input order:
    /// [`ActionOutcome::Applied`] when the user was changed, [`ActionOutcome::NotFound`] when the
    /// network has no such user.
    ///
    /// Must run inside a Tokio runtime (calls are spawned on it).
    pub async fn send(self) -> ActionReport {
        let inputs = self.updates.map(Slot::Send);
        let (facts, mut record) =
            Job::new(UpdateUsers, self.settings, inputs, JobRecord::default())
                .run()
                .await;
        record.facts = facts;
        record.shrink();
        ActionReport { record }
    }
}
