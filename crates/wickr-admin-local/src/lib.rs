//! A local emulator of the AWS Wickr Admin API.
//!
//! It speaks the service's wire protocol (restJson1 over HTTP, SigV4 signed for service
//! `wickr` in the region it serves, `us-east-1` unless told otherwise), so any client that accepts an endpoint override works against it: this
//! workspace's `wickr-admin` crate, the official `aws-sdk-wickr` crate, boto3 or the AWS CLI.
//!
//! # In tests
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let emulator = wickr_admin_local::Emulator::builder()
//!     .seed_demo_network(true)
//!     .start()
//!     .await?;
//! println!("endpoint: {}", emulator.endpoint_url());
//! let client = emulator.client();
//! let network = client.get_network().network_id(wickr_admin_local::DEMO_NETWORK_ID).send().await?;
//! emulator.shutdown().await;
//! # let _ = network;
//! # Ok(()) }
//! ```
//!
//! The library binds `127.0.0.1:0` (an ephemeral port) unless told otherwise.
//!
//! # The binary
//!
//! `wickr-admin-local [--listen 127.0.0.1:4581] [--region us-east-1] [--access-key ID:SECRET]...
//! [--read-only-key ID:SECRET]... [--rate-limit N] [--faults SPEC] [--fault-seed N]
//! [--idempotency-cap-mib N] [--read-timeout-secs N] [--seed] [--preview]
//! [--state-file PATH [--save-interval-secs N]]`
//!
//! - The default listen address is `127.0.0.1:4581` ([`DEFAULT_PORT`]). On start it prints the
//!   endpoint URL and every accepted key id; the secret is printed only for the default pair
//!   (whoever passed a key already knows its secret). A key id given twice is refused (exit 2).
//! - Without `--access-key` / `--read-only-key`, the pair
//!   `AKIDWICKRLOCAL` / `wickr-local-secret` is accepted ([`DEFAULT_ACCESS_KEY_ID`],
//!   [`DEFAULT_SECRET_ACCESS_KEY`]).
//! - `--seed` creates the demo network `12345678` (see [`DEMO_NETWORK_ID`]).
//! - `--faults` takes the spec described in [`faults`], e.g.
//!   `429=0.02,500=0.02,503=0.01,reset=0.02,delay=0.05:200ms,lost=0.02`.
//! - `--state-file` keeps the state between runs; see [`state_file`], and [`journal`] for the
//!   changes made since it was last written. A file another process holds, a corrupt file or
//!   journal, or a file of a later format stops the start (exit 1) and is left as it is.
//! - Ctrl-C or SIGTERM stop accepting, let open requests finish (up to five seconds), write the
//!   state file when there is one, and exit 0 (1 when that write failed).
//!   Invalid arguments exit with status 2 and a message naming the argument.
//!
//! # Behaviour worth knowing
//!
//! - Every request needs a valid SigV4 signature from a known key, for service `wickr` and the
//!   region the emulator serves (clock skew up to 15 minutes), in the `Authorization` header or
//!   as a presigned query string; otherwise `UnauthorizedError` (401), whose message says what
//!   is wrong, and nothing changes. Signatures are checked before routing, so an unsigned
//!   request to an unknown path is 401, not 404. A read-only key calling a write operation gets
//!   `ForbiddenError` (403). See [`auth`].
//! - Input is validated against the model's constraints on the server side: a bad member gets
//!   `ValidationError` (422) with one `reasons` entry per member path (`users[3].username`).
//!   Malformed JSON is `BadRequestError` (400); an unknown path is 404; bodies over 1 MiB are 413.
//!   `UpdateUser` refuses keys in `userDetails` that are not members of `UpdateUserDetails`, and
//!   a blank `inviteCode` as `BatchCreateUser` does.
//! - `BatchCreateUser` takes 1 to 50 users. Per user, in request order, a username already in the
//!   network or earlier in the batch, a missing/unknown security group, more than one group, or
//!   invite fields on a network without preview features become entries in `failed`
//!   (`userId` "0", `field`, `reason`); the others are created with status 1 (pending) and a
//!   generated invite code unless one was given.
//! - `X-Client-Token`: the same token with the same request replays the stored answer; with a
//!   different request it is `BadRequestError`. Tokens are kept 24 hours, as long as the stored
//!   answers fit under a memory cap (256 MiB by default, [`EmulatorBuilder::idempotency_cap_bytes`],
//!   `--idempotency-cap-mib`): beyond the cap the oldest answered tokens are forgotten first,
//!   even before 24 hours. See [`idempotency`].
//! - Every response the emulator sends carries a fresh `x-amzn-RequestId` (a UUID): answers,
//!   errors, throttling and injected 429/500/503 alike (a reset or lost answer sends nothing).
//! - A client has [`DEFAULT_READ_TIMEOUT`] (30 s; [`EmulatorBuilder::read_timeout`],
//!   `--read-timeout-secs`) to send a request's headers, and again its body: slow headers close
//!   the connection, a slow body gets `RequestTimeoutException` (408) and then the close.
//! - List operations page with `maxResults` (1 to 100, default 10) and opaque `nextToken`s,
//!   each a cursor on a stable order: items created or deleted between two pages never make
//!   an item that exists throughout appear twice or go missing. A token only works for the
//!   listing that issued it (same operation, path, filters and sort, same emulator run); any
//!   other is a `ValidationError` naming `nextToken`. See [`backend::pagination`].
//! - What the admin API cannot do but a network sees (a guest user appearing, a user
//!   registering a device) is available on [`RunningEmulator::backend`], for tests.
//!
//! # Source layout
//!
//! Laid out as moto lays out a service:
//!
//! - [`backend`]: the service's rules, one file per area, over the data in [`state`];
//! - [`wire`]: reading each operation's members with the model's constraints and rendering
//!   its answer;
//! - [`routes`]: the table of operations (method, URI template, `@readonly`, client token) and
//!   the matcher that picks one for a request;
//! - [`error`]: how errors go on the wire;
//! - the request pipeline (body, signature, route, faults, rate limit, permissions,
//!   idempotency) and the listener around them, with [`auth`], [`faults`], [`rate_limit`] and
//!   [`idempotency`].

#![warn(missing_docs)]

pub mod auth;
pub mod backend;
mod demo;
pub mod error;
pub mod faults;
pub mod idempotency;
pub mod journal;
pub mod persistence;
mod pipeline;
pub mod rate_limit;
pub mod routes;
mod server;
pub mod state;
pub mod state_file;
pub mod wire;

pub use auth::AccessKey;
pub use demo::{DemoNetwork, DEMO_GROUP_ID, DEMO_NETWORK_ID};
pub use faults::{FaultCounts, FaultSpec, FaultSpecError};
pub use idempotency::{Clock, ManualClock};
pub use persistence::DEFAULT_SAVE_INTERVAL;
pub use pipeline::MAX_BODY_BYTES;
pub use state_file::StateFileError;

use auth::{KeyStore, Verifier};
use backend::Backend;
use faults::FaultInjector;
use idempotency::TokenStore;
use persistence::Persistence;
use rate_limit::RateLimiter;
use server::Shared;
use state_file::StateFile;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use wire::page_token::PageTokens;

/// Access key id accepted when no key is configured.
pub const DEFAULT_ACCESS_KEY_ID: &str = "AKIDWICKRLOCAL";
/// Secret of [`DEFAULT_ACCESS_KEY_ID`].
pub const DEFAULT_SECRET_ACCESS_KEY: &str = "wickr-local-secret";
/// How long a client may take to send a request's headers, and then its body, unless told
/// otherwise.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// Port the binary listens on by default (the library binds an ephemeral port).
pub const DEFAULT_PORT: u16 = 4581;

/// Entry point: `Emulator::builder()`.
#[derive(Debug)]
pub struct Emulator;

impl Emulator {
    /// A builder with default options: 127.0.0.1, ephemeral port, the default key pair, no
    /// rate limit, no faults, no demo network.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }
}

/// Options for a new emulator.
#[derive(Debug, Default)]
pub struct EmulatorBuilder {
    listen: Option<SocketAddr>,
    keys: Vec<AccessKey>,
    rate_limit: Option<u32>,
    faults: FaultSpec,
    fault_seed: Option<u64>,
    seed_demo: bool,
    preview_networks: bool,
    idempotency_cap_bytes: Option<usize>,
    clock: Option<Arc<dyn Clock>>,
    region: Option<String>,
    signing_name: Option<String>,
    signing_time: Option<SystemTime>,
    read_timeout: Option<Duration>,
    state_file: Option<PathBuf>,
    save_interval: Option<Duration>,
    journal_bound: Option<u64>,
}

/// Why the emulator could not start.
#[derive(Debug)]
pub enum StartError {
    /// Binding the listen address failed.
    Bind(SocketAddr, std::io::Error),
    /// An option is invalid.
    Config(String),
    /// The state file cannot be used (in use, unreadable, of a later version).
    State(StateFileError),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Bind(addr, e) => write!(f, "cannot listen on {addr}: {e}"),
            StartError::Config(m) => write!(f, "invalid emulator option: {m}"),
            StartError::State(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for StartError {}

impl EmulatorBuilder {
    /// Address to listen on (default `127.0.0.1:0`).
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = Some(addr);
        self
    }

    /// Accepts this key pair for every operation. Repeatable. Without any key (read-write or
    /// read-only), [`DEFAULT_ACCESS_KEY_ID`] / [`DEFAULT_SECRET_ACCESS_KEY`] is accepted.
    pub fn access_key(mut self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.keys.push(AccessKey {
            id: id.into(),
            secret: secret.into(),
            read_only: false,
        });
        self
    }

    /// Accepts this key pair for read operations only; writes get `ForbiddenError`.
    pub fn read_only_key(mut self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.keys.push(AccessKey {
            id: id.into(),
            secret: secret.into(),
            read_only: true,
        });
        self
    }

    /// Limits each network to `per_second` requests per second (beyond: `RateLimitError`).
    pub fn rate_limit(mut self, per_second: u32) -> Self {
        self.rate_limit = Some(per_second);
        self
    }

    /// Injects faults with these probabilities.
    pub fn faults(mut self, spec: FaultSpec) -> Self {
        self.faults = spec;
        self
    }

    /// Seeds the fault generator, making the fault sequence reproducible.
    pub fn fault_seed(mut self, seed: u64) -> Self {
        self.fault_seed = Some(seed);
        self
    }

    /// Creates the demo network ([`DEMO_NETWORK_ID`]) at start.
    pub fn seed_demo_network(mut self, seed: bool) -> Self {
        self.seed_demo = seed;
        self
    }

    /// Gives networks created through the API preview features (custom invite codes). Off by
    /// default; the demo network always has them.
    pub fn preview_networks(mut self, preview: bool) -> Self {
        self.preview_networks = preview;
        self
    }

    /// Memory cap for stored idempotent answers, in bytes (default 256 MiB,
    /// [`idempotency::DEFAULT_CAP_BYTES`]). Beyond it the oldest tokens are forgotten first, even
    /// when younger than 24 hours. Must be at least 1.
    pub fn idempotency_cap_bytes(mut self, bytes: usize) -> Self {
        self.idempotency_cap_bytes = Some(bytes);
        self
    }

    /// Clock driving both the expiry of idempotency tokens (24 hours) and the one-second
    /// windows of the rate limit (default: the real monotonic clock). Pass a [`ManualClock`] to
    /// move time forward in tests without waiting.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Region requests must be signed for (default `us-east-1`, [`auth::REGION`]); a request
    /// signed for another region is refused with `UnauthorizedError`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Signing name requests must be signed for (default `wickr`, [`auth::SERVICE`]).
    pub fn signing_name(mut self, name: impl Into<String>) -> Self {
        self.signing_name = Some(name.into());
        self
    }

    /// Judges request dates as if the time were always `now` instead of reading the system
    /// clock: for replaying requests signed at a known instant, such as published test vectors.
    pub fn fixed_signing_time(mut self, now: SystemTime) -> Self {
        self.signing_time = Some(now);
        self
    }

    /// How long a client may take to send a request's headers, and then again its body
    /// (default 30 seconds, [`DEFAULT_READ_TIMEOUT`]). Headers still incomplete after it close the
    /// connection; a body still incomplete gets `408 RequestTimeoutException` and the connection
    /// closes. Must be more than zero.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = Some(timeout);
        self
    }

    /// Keeps the state in this file: read at start when it exists (else written with the
    /// starting state), written every [`save_interval`](Self::save_interval) while it changes,
    /// and when the emulator stops. The file is locked for this process; see [`state_file`].
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }

    /// How often the state is written to the state file while it changes (default
    /// [`DEFAULT_SAVE_INTERVAL`], 5 s). Must be more than zero and at most a day.
    pub fn save_interval(mut self, interval: Duration) -> Self {
        self.save_interval = Some(interval);
        self
    }

    /// How large the state file's journal may grow before the state is written, whatever the
    /// interval (default [`journal::WRITE_STATE_AFTER_BYTES`], 64 MiB).
    pub fn journal_bound(mut self, bytes: u64) -> Self {
        self.journal_bound = Some(bytes);
        self
    }

    /// Binds the listener and starts serving. Fails on invalid options, including a key id
    /// given more than once.
    pub async fn start(self) -> Result<RunningEmulator, StartError> {
        if self.rate_limit == Some(0) {
            return Err(StartError::Config(
                "rate limit must be at least 1".to_owned(),
            ));
        }
        if self.read_timeout == Some(Duration::ZERO) {
            return Err(StartError::Config(
                "read timeout must be more than zero".to_owned(),
            ));
        }
        if self.save_interval == Some(Duration::ZERO) {
            return Err(StartError::Config(
                "save interval must be more than zero".to_owned(),
            ));
        }
        if self
            .save_interval
            .is_some_and(|interval| interval > Duration::from_secs(86_400))
        {
            return Err(StartError::Config(
                "save interval must be at most a day (86400 s)".to_owned(),
            ));
        }
        if self.idempotency_cap_bytes == Some(0) {
            return Err(StartError::Config(
                "idempotency cap must be at least 1 byte".to_owned(),
            ));
        }
        let mut keys = self.keys;
        if keys.is_empty() {
            keys.push(AccessKey {
                id: DEFAULT_ACCESS_KEY_ID.to_owned(),
                secret: DEFAULT_SECRET_ACCESS_KEY.to_owned(),
                read_only: false,
            });
        }
        let mut key_store = KeyStore::default();
        for key in keys {
            key_store
                .insert(key)
                .map_err(|e| StartError::Config(e.to_string()))?;
        }
        let region = self.region.unwrap_or_else(|| auth::REGION.to_owned());
        let signing_name = self
            .signing_name
            .unwrap_or_else(|| auth::SERVICE.to_owned());
        for (what, value) in [("region", &region), ("signing name", &signing_name)] {
            if value.is_empty() || value.contains('/') || value.chars().any(char::is_whitespace) {
                return Err(StartError::Config(format!(
                    "{what} `{value}` must be non-empty with no '/' or whitespace"
                )));
            }
        }
        let mut verifier = Verifier::new(key_store, signing_name, region);
        if let Some(now) = self.signing_time {
            verifier = verifier.at(now);
        }
        let state_file = match &self.state_file {
            Some(path) => Some(StateFile::open(path).map_err(StartError::State)?),
            None => None,
        };
        let loaded = match &state_file {
            Some(file) => file.load().map_err(StartError::State)?,
            None => None,
        };
        let was_loaded = loaded.is_some();
        let (backend, held, stored_id, kept_tokens) = match loaded {
            Some(loaded) => (
                Backend::with_state(verifier.region(), self.preview_networks, loaded.state),
                loaded.journal,
                loaded.journal_id,
                loaded.tokens,
            ),
            None => (
                Backend::new(verifier.region(), self.preview_networks),
                0,
                None,
                Vec::new(),
            ),
        };
        // A state file that names no id yet takes its journal's, or a new one.
        let journal_id = stored_id
            .clone()
            .or_else(|| {
                state_file
                    .as_ref()
                    .and_then(|file| journal::existing_id(file.path()))
            })
            .unwrap_or_else(journal::new_journal_id);
        let clock = self
            .clock
            .unwrap_or_else(|| Arc::new(idempotency::SystemClock));
        let tokens = TokenStore::new(
            self.idempotency_cap_bytes
                .unwrap_or(idempotency::DEFAULT_CAP_BYTES),
            clock.clone(),
        );
        // The answers the state file kept come back first (they are the older ones), then the
        // changes made after it was last written, from its journal, run again one at a time:
        // their client tokens get their answers back.
        let now = crate::state::system_now_secs();
        for kept in kept_tokens {
            tokens.restore_kept(kept, now);
        }
        let mut replayed = false;
        if let Some(file) = &state_file {
            let journal_error = |(path, what): (PathBuf, String)| {
                StartError::State(StateFileError::Journal(path, what))
            };
            let mut orphaned = false;
            let expected = stored_id.as_deref().filter(|_| was_loaded);
            let last = journal::replay_after(file.path(), held, expected, |entry| {
                if was_loaded {
                    pipeline::run_again(entry, &backend, &tokens);
                } else {
                    orphaned = true;
                }
            })
            .map_err(journal_error)?;
            if orphaned {
                // Run on an empty state, they would fail, and the start's write would drop them.
                return Err(journal_error((
                    journal::journal_path(file.path()),
                    format!(
                        "it holds {} changes, but the state file they follow does not exist",
                        last - held
                    ),
                )));
            }
            replayed = last > held;
            let journal = journal::Journal::open(file.path(), &journal_id).map_err(|e| {
                StartError::State(StateFileError::Io(journal::journal_path(file.path()), e))
            })?;
            backend.store().attach_journal(journal, last);
        }
        // A demo network seeded now is not in the journal: the state file is written with it.
        let mut seeded = false;
        let demo = if self.seed_demo {
            Some(demo::find(&backend).unwrap_or_else(|| {
                seeded = true;
                demo::seed(&backend)
            }))
        } else {
            None
        };
        let persistence = state_file.map(|file| {
            // Until the start's own write, the file holds the entries it held when read.
            Arc::new(Persistence::new(file, journal_id.clone(), held))
        });
        if let Some(persistence) = &persistence {
            if !was_loaded || seeded || replayed {
                persistence
                    .save(&backend, &tokens)
                    .map_err(StartError::State)?;
            }
        }
        let shared = Arc::new(Shared {
            backend,
            page_tokens: PageTokens::new(),
            verifier,
            faults: FaultInjector::new(self.faults, self.fault_seed),
            rate_limit: self
                .rate_limit
                .map(|n| RateLimiter::with_clock(n, clock.clone())),
            tokens,
            read_timeout: self.read_timeout.unwrap_or(DEFAULT_READ_TIMEOUT),
            persistence,
        });
        let addr = self
            .listen
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)));
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| StartError::Bind(addr, e))?;
        let local = listener
            .local_addr()
            .map_err(|e| StartError::Bind(addr, e))?;
        let (stop_tx, stop_rx) = watch::channel(false);
        let saver = tokio::spawn(persistence::save_periodically(
            shared.clone(),
            self.save_interval.unwrap_or(DEFAULT_SAVE_INTERVAL),
            self.journal_bound
                .unwrap_or(journal::WRITE_STATE_AFTER_BYTES),
            stop_rx.clone(),
        ));
        let task = tokio::spawn(server::serve(listener, shared.clone(), stop_rx));
        Ok(RunningEmulator {
            addr: local,
            shared,
            demo,
            stop: stop_tx,
            task: Some(task),
            saver: Some(saver),
        })
    }
}

/// A running emulator. Dropping it stops accepting connections; call
/// [`RunningEmulator::shutdown`] to also wait for open connections to finish.
#[derive(Debug)]
pub struct RunningEmulator {
    addr: SocketAddr,
    shared: Arc<Shared>,
    demo: Option<DemoNetwork>,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
    saver: Option<JoinHandle<()>>,
}

impl RunningEmulator {
    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The region requests must be signed for.
    pub fn region(&self) -> &str {
        self.shared.verifier.region()
    }

    /// Base URL to use as a client's endpoint override, e.g. `http://127.0.0.1:4581`.
    pub fn endpoint_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The accepted keys (read-write and read-only), sorted by id.
    pub fn access_keys(&self) -> Vec<AccessKey> {
        self.shared.verifier.keys().keys()
    }

    /// Faults injected so far, per kind (all zero without `faults`).
    pub fn faults_injected(&self) -> FaultCounts {
        self.shared.faults.injected()
    }

    /// Number of idempotency tokens currently remembered.
    pub fn idempotency_tokens(&self) -> usize {
        self.shared.tokens.len()
    }

    /// The emulated service, for setting up what the admin API cannot (guest users, devices;
    /// see [`Backend`]) and for looking at it directly.
    pub fn backend(&self) -> &Backend {
        &self.shared.backend
    }

    /// Ids of the demo network, when it was seeded.
    pub fn demo_network(&self) -> Option<&DemoNetwork> {
        self.demo.as_ref()
    }

    /// A `wickr_admin::Client` pointed at this emulator: first read-write key, the region the
    /// emulator serves.
    pub fn client(&self) -> wickr_admin::Client {
        let keys = self.access_keys();
        let key = keys
            .iter()
            .find(|k| !k.read_only)
            .or(keys.first())
            .cloned()
            .unwrap_or(AccessKey {
                id: DEFAULT_ACCESS_KEY_ID.to_owned(),
                secret: DEFAULT_SECRET_ACCESS_KEY.to_owned(),
                read_only: false,
            });
        let credentials = wickr_admin::config::Credentials::new(
            key.id,
            key.secret,
            None,
            None,
            "wickr-admin-local",
        );
        let config = wickr_admin::Config::builder()
            .region(wickr_admin::config::Region::new(
                self.shared.verifier.region().to_owned(),
            ))
            .endpoint_url(self.endpoint_url())
            .credentials_provider(credentials)
            .build();
        wickr_admin::Client::from_conf(config)
    }

    /// The state file, when the state is kept in one.
    pub fn state_file(&self) -> Option<PathBuf> {
        let persistence = self.shared.persistence.as_ref()?;
        let file = persistence.file_path();
        Some(file)
    }

    /// Writes the state to the state file now (nothing when there is none).
    pub fn save_state(&self) -> Result<(), StateFileError> {
        match &self.shared.persistence {
            Some(persistence) => persistence.save(&self.shared.backend, &self.shared.tokens),
            None => Ok(()),
        }
    }

    /// Stops accepting connections, waits (up to five seconds) for open ones to finish, writes
    /// the state file one last time (when anything changed since it was last written) and gives
    /// up its lock, so that another emulator may open the file at once, even while a connection
    /// that outlived the wait is still being closed; `Err` when that write failed (the file keeps
    /// the last state written, its journal the changes since).
    pub async fn stop(mut self) -> Result<(), StateFileError> {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        if let Some(saver) = self.saver.take() {
            let _ = saver.await;
        }
        // Unchanged since it was last written (a command that only read), the file is left as
        // it is.
        let saved = match &self.shared.persistence {
            Some(persistence) => {
                persistence.save_if_changed(&self.shared.backend, &self.shared.tokens)
            }
            None => Ok(()),
        };
        if let Some(persistence) = &self.shared.persistence {
            persistence.release();
        }
        saved
    }

    /// Like [`stop`](Self::stop), logging a failed last write of the state file instead of
    /// returning it.
    pub async fn shutdown(self) {
        if let Err(e) = self.stop().await {
            tracing::error!("{e}");
        }
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if self.task.is_some() {
            // Dropped without `stop`: the state file still gets what was done.
            if let Err(e) = self.save_state() {
                tracing::error!("{e}");
            }
        }
    }
}
