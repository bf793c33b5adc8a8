//! Bulk provisioning: create any number of users in a network, 50 per BatchCreateUser call.
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
//! - The input is any iterator, read lazily: memory holds the calls in flight and one compact
//!   outcome per user, never the whole input.
//! - Each user is checked against the model's constraints before it is sent; a user that fails
//!   is reported as [`Outcome::Failed`] and the others go on.
//! - Users are cut into chunks in input order: at most 50 users, and at most
//!   [`max_request_bytes`](BulkCreateUsers::max_request_bytes) of request body (1 MiB by
//!   default). A chunk the service refuses as too large (HTTP 413) is sent again in two halves.
//! - Every chunk carries a client token derived from the job id, the network id and the chunk's
//!   content. Every attempt of a chunk reuses its token, so a retry after a lost answer gets the
//!   service's stored answer instead of creating anything twice. A job has a new random id unless
//!   given one with [`job_id`](BulkCreateUsers::job_id): the same id over the same users resumes
//!   a job with the same tokens, and a new job is never answered with an earlier job's result.
//! - At most `concurrency` calls run at once. Throttling halves that number (and it grows back
//!   one step per successful call). The job makes each attempt itself: throttled and transient
//!   failures are sent again with backoff (up to 60 and 10 attempts).
//! - When the first attempts get no response at all (nothing listens, the host is unreachable,
//!   every attempt times out), the job stops instead of trying every chunk.
//! - A user the network already has is reported as [`Outcome::AlreadyExisted`]. A username that
//!   repeats in the input is sent once per occurrence, so its later occurrences are reported that
//!   way too.
//! - The report holds exactly one outcome per input user, in input order. A user the job knows it
//!   did not create (never sent, or throttled on every attempt) is [`Outcome::NotAttempted`]; a
//!   user sent without a definitive answer is [`Outcome::Unknown`].
//! - A cancellation stops sending; calls in flight get
//!   [`cancel_grace`](BulkCreateUsers::cancel_grace) to finish, then are abandoned (at once with
//!   [`CancelToken::abandon`]).

mod answer;
mod chunk;
mod classify;
mod engine;
mod pacing;
mod progress;
mod report;
mod token;
mod user;
mod validate;

use std::sync::Arc;
use std::time::Duration;

pub use chunk::DEFAULT_MAX_REQUEST_BYTES;
pub use engine::DEFAULT_CANCEL_GRACE;
pub use progress::{CancelToken, Progress};
pub use report::{BulkReport, CallStats, Counts, Outcome};
pub use token::new_job_id;
pub use user::NewUser;
pub use validate::{check_network_id, check_user};

use crate::Client;
use chunk::MAX_CHUNK;
use engine::{Job, JobSettings};

/// Largest number of calls a job runs at once.
pub const MAX_CONCURRENCY: u32 = 64;

impl Client {
    /// Starts a bulk job that creates users in `network_id`; see the [`bulk`](crate::bulk) module.
    pub fn bulk_create_users(
        &self,
        network_id: impl Into<String>,
    ) -> BulkCreateUsers<std::iter::Empty<NewUser>> {
        BulkCreateUsers {
            settings: JobSettings {
                client: self.clone(),
                network_id: network_id.into(),
                job_id: None,
                concurrency: 4,
                chunk_size: MAX_CHUNK,
                max_request_bytes: DEFAULT_MAX_REQUEST_BYTES,
                default_security_group: None,
                on_progress: None,
                cancel: CancelToken::new(),
                cancel_grace: DEFAULT_CANCEL_GRACE,
            },
            users: std::iter::empty(),
        }
    }
}

/// A bulk job being set up; [`send`](BulkCreateUsers::send) runs it.
pub struct BulkCreateUsers<I> {
    settings: JobSettings,
    users: I,
}

impl<I> std::fmt::Debug for BulkCreateUsers<I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BulkCreateUsers")
            .field("network_id", &self.settings.network_id)
            .field("job_id", &self.settings.job_id)
            .field("concurrency", &self.settings.concurrency)
            .field("chunk_size", &self.settings.chunk_size)
            .field("max_request_bytes", &self.settings.max_request_bytes)
            .field("cancel_grace", &self.settings.cancel_grace)
            .field(
                "default_security_group",
                &self.settings.default_security_group,
            )
            .finish_non_exhaustive()
    }
}

impl<I> BulkCreateUsers<I> {
    /// The users to create: any iterator of [`NewUser`] (or of anything that converts into one),
    /// read lazily.
    pub fn users<J>(self, users: J) -> BulkCreateUsers<J::IntoIter>
    where
        J: IntoIterator,
        J::Item: Into<NewUser>,
    {
        BulkCreateUsers {
            settings: self.settings,
            users: users.into_iter(),
        }
    }

    /// How many calls may run at once (1 to [`MAX_CONCURRENCY`]; default 4). A value outside that
    /// range is brought to the nearest end of it.
    pub fn concurrency(mut self, calls: u32) -> Self {
        self.settings.concurrency = calls.clamp(1, MAX_CONCURRENCY);
        self
    }

    /// Users per call (1 to 50; default 50). A value outside that range is brought to the
    /// nearest end of it.
    pub fn chunk_size(mut self, users: usize) -> Self {
        self.settings.chunk_size = users.clamp(1, MAX_CHUNK);
        self
    }

    /// Largest request body a chunk may have, in bytes (default
    /// [`DEFAULT_MAX_REQUEST_BYTES`], 1 MiB). A user larger than this on its own is sent alone.
    pub fn max_request_bytes(mut self, bytes: usize) -> Self {
        self.settings.max_request_bytes = bytes.max(1);
        self
    }

    /// Resumes the job with this id (see [`BulkReport::job_id`]): given the same users in the same
    /// order, it cuts the same chunks and sends the same client tokens, so the service answers
    /// what the earlier run applied with its stored answers (for as long as it keeps them, 24
    /// hours for the emulator). Without it, every job gets a new random id
    /// ([`new_job_id`]).
    pub fn job_id(mut self, job_id: impl Into<String>) -> Self {
        self.settings.job_id = Some(job_id.into());
        self
    }

    /// How long calls in flight may run once the job is cancelled before they are abandoned and
    /// their users reported as [`Outcome::Unknown`] (default [`DEFAULT_CANCEL_GRACE`], 3 s).
    pub fn cancel_grace(mut self, grace: Duration) -> Self {
        self.settings.cancel_grace = grace;
        self
    }

    /// Security group for users that name none.
    pub fn default_security_group(mut self, security_group_id: impl Into<String>) -> Self {
        self.settings.default_security_group = Some(security_group_id.into());
        self
    }

    /// Called after every attempt's answer with a snapshot of the job, and once at the end.
    pub fn on_progress(mut self, callback: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
        self.settings.on_progress = Some(Arc::new(callback));
        self
    }

    /// A token that cancels the job when cancelled.
    pub fn cancel_token(mut self, token: CancelToken) -> Self {
        self.settings.cancel = token;
        self
    }
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
        Job::new(self.settings, self.users).run().await
    }
}
