//! The emulated service's state: networks and everything that lives inside one.
//!
//! All state sits behind one mutex held by [`Store`]; every operation runs start to finish under
//! it, so concurrent clients never observe a half-applied change and ids and usernames stay
//! unique. No lock is held across an `.await`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::journal::{self, Journal};

/// Account id reported as the owner of every network.
pub const ACCOUNT_ID: &str = "123456789012";
/// Most users a network may hold while keeping free-trial eligibility (`remaining` in counts).
pub const TRIAL_USER_LIMIT: i64 = 50;

/// Seconds since the Unix epoch: the clock reading of the request running on this thread
/// ([`journal::run`]), or the system's.
pub fn now_secs() -> i64 {
    journal::now().unwrap_or_else(system_now_secs)
}

/// Seconds since the Unix epoch by the system clock.
pub(crate) fn system_now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// A user account. `Debug` leaves out the (sensitive) names.
#[derive(Clone, Serialize, Deserialize)]
pub struct User {
    /// Numeric id, unique across the emulator.
    pub id: u64,
    /// Unique within the network.
    pub username: String,
    /// First name (sensitive; never logged).
    pub first_name: Option<String>,
    /// Last name (sensitive; never logged).
    pub last_name: Option<String>,
    /// Security group ids.
    pub security_groups: Vec<String>,
    /// Administrator flag.
    pub is_admin: bool,
    /// Suspension flag.
    pub suspended: bool,
    /// 1 pending, 2 active.
    pub status: i32,
    /// Invite code.
    pub invite_code: String,
    /// Invite expiry, epoch seconds.
    pub invite_expiration: i64,
    /// Whether the invite code verifies the user.
    pub code_validation: bool,
    /// Opaque unique handle used by uname lookups.
    pub uname: String,
    /// Registered devices.
    pub devices: Vec<Device>,
    /// Last modification, epoch seconds.
    pub modified: i64,
    /// Last activity / login, epoch seconds (active users only).
    pub last_login: Option<i64>,
}

impl fmt::Debug for User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("username", &self.username)
            .field(
                "first_name",
                &self.first_name.as_ref().map(|_| "** sensitive **"),
            )
            .field(
                "last_name",
                &self.last_name.as_ref().map(|_| "** sensitive **"),
            )
            .field("security_groups", &self.security_groups)
            .field("status", &self.status)
            .field("suspended", &self.suspended)
            .finish_non_exhaustive()
    }
}

/// A device registered by a user.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Device {
    /// Application id.
    pub app_id: String,
    /// `mobile`, `desktop` or `web`.
    pub kind: String,
    /// Creation date text.
    pub created: String,
    /// Last login text.
    pub last_login: String,
    /// Suspended (reset) flag.
    pub suspended: bool,
}

/// A bot account.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Bot {
    /// Numeric id.
    pub id: u64,
    /// Username (unique in the network together with users).
    pub username: String,
    /// Display name.
    pub display_name: Option<String>,
    /// Security group id.
    pub group_id: String,
    /// Whether a challenge (password) is set.
    pub has_challenge: bool,
    /// Suspension flag.
    pub suspended: bool,
    /// 1 pending, 2 active.
    pub status: i32,
    /// Opaque unique handle.
    pub uname: String,
    /// Public key (base64 text).
    pub pubkey: String,
}

/// A security group.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SecurityGroup {
    /// Group id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Whether this is the network's default group.
    pub is_default: bool,
    /// Last modification, epoch seconds.
    pub modified: i64,
    /// Settings exactly as given by clients, merged on update.
    pub settings: Map<String, Value>,
}

/// A guest user seen by the network.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GuestUser {
    /// Username.
    pub username: String,
    /// Hash of the username.
    pub username_hash: String,
    /// Billing period `YYYY-MM`.
    pub billing_period: String,
}

/// A blocked guest user.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BlockedGuest {
    /// Username.
    pub username: String,
    /// Hash of the username.
    pub username_hash: String,
    /// Admin who blocked.
    pub admin: String,
    /// When, epoch seconds as text.
    pub modified: String,
}

/// Network-wide settings.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NetworkSettings {
    /// `enableClientMetrics`.
    pub enable_client_metrics: bool,
    /// `readReceiptConfig.status`.
    pub read_receipt_status: String,
    /// `dataRetention`.
    pub data_retention: bool,
    /// `enableTrustedDataFormat`.
    pub enable_trusted_data_format: bool,
}

/// Data retention bot state.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DataRetention {
    /// Bot created.
    pub exists: bool,
    /// Challenge generated (bot registered).
    pub registered: bool,
    /// Service enabled.
    pub enabled: bool,
    /// Public key message acknowledged.
    pub pubkey_acked: bool,
}

/// A network and its contents. `Debug` shows a summary (no names, no secrets).
#[derive(Clone, Serialize, Deserialize)]
pub struct Network {
    /// 8-digit id.
    pub id: String,
    /// Name (1 to 20 characters).
    pub name: String,
    /// `STANDARD` or `PREMIUM`.
    pub access_level: String,
    /// KMS key ARN.
    pub encryption_key_arn: Option<String>,
    /// Free trial expiry text.
    pub free_trial_expiration: Option<String>,
    /// Whether preview features (invite code fields) are available.
    pub preview: bool,
    /// Creation order, for stable listing.
    pub created_seq: u64,
    /// Security groups by id.
    pub groups: BTreeMap<String, SecurityGroup>,
    /// Users by id.
    pub users: BTreeMap<u64, User>,
    /// Username -> user id (rebuilt from `users` when a state file is read).
    #[serde(skip)]
    pub usernames: HashMap<String, u64>,
    /// Uname -> user id (rebuilt from `users` when a state file is read).
    #[serde(skip)]
    pub unames: HashMap<String, u64>,
    /// Bots by id.
    pub bots: BTreeMap<u64, Bot>,
    /// Settings.
    pub settings: NetworkSettings,
    /// Data retention bot.
    pub data_retention: DataRetention,
    /// OIDC configuration, as stored.
    pub oidc: Option<Map<String, Value>>,
    /// OpenTDF configuration, as stored.
    pub tdf: Option<Map<String, Value>>,
    /// Guest users.
    pub guests: Vec<GuestUser>,
    /// Blocked guest users by hash.
    pub blocked: BTreeMap<String, BlockedGuest>,
    /// Monthly guest counts (`YYYY_MM`, count).
    pub guest_history: Vec<(String, i64)>,
}

impl fmt::Debug for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Network")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("access_level", &self.access_level)
            .field("groups", &self.groups.len())
            .field("users", &self.users.len())
            .field("bots", &self.bots.len())
            .field("oidc_configured", &self.oidc.is_some())
            .field("tdf_configured", &self.tdf.is_some())
            .finish_non_exhaustive()
    }
}

impl Network {
    /// A new, empty network with its default security group.
    pub fn new(
        id: String,
        name: String,
        access_level: String,
        created_seq: u64,
        default_group_id: String,
    ) -> Network {
        let mut groups = BTreeMap::new();
        groups.insert(
            default_group_id.clone(),
            SecurityGroup {
                id: default_group_id,
                name: "Default".to_owned(),
                is_default: true,
                modified: now_secs(),
                settings: Map::new(),
            },
        );
        Network {
            id,
            name,
            access_level,
            encryption_key_arn: None,
            free_trial_expiration: None,
            preview: false,
            created_seq,
            groups,
            users: BTreeMap::new(),
            usernames: HashMap::new(),
            unames: HashMap::new(),
            bots: BTreeMap::new(),
            settings: NetworkSettings {
                read_receipt_status: "DISABLED".to_owned(),
                ..NetworkSettings::default()
            },
            data_retention: DataRetention::default(),
            oidc: None,
            tdf: None,
            guests: Vec::new(),
            blocked: BTreeMap::new(),
            guest_history: Vec::new(),
        }
    }

    /// Whether a username is taken by a user or a bot.
    pub fn username_taken(&self, username: &str) -> bool {
        self.usernames.contains_key(username) || self.bots.values().any(|b| b.username == username)
    }

    /// Active users in a group.
    pub fn group_member_count(&self, group_id: &str) -> i64 {
        self.users
            .values()
            .filter(|u| u.security_groups.iter().any(|g| g == group_id))
            .count() as i64
    }

    /// Bots in a group.
    pub fn group_bot_count(&self, group_id: &str) -> i64 {
        self.bots
            .values()
            .filter(|b| b.group_id == group_id)
            .count() as i64
    }

    /// Adds a user and its index entries.
    pub fn insert_user(&mut self, user: User) {
        self.usernames.insert(user.username.clone(), user.id);
        self.unames.insert(user.uname.clone(), user.id);
        self.users.insert(user.id, user);
    }

    /// Rebuilds the username and uname indexes from `users` (after reading a state file);
    /// `Err` names a username or uname that two users share.
    pub fn rebuild_indexes(&mut self) -> Result<(), String> {
        self.usernames.clear();
        self.unames.clear();
        for user in self.users.values() {
            if self
                .usernames
                .insert(user.username.clone(), user.id)
                .is_some()
            {
                return Err(format!(
                    "network {}: two users have the username {:?}",
                    self.id, user.username
                ));
            }
            if self.unames.insert(user.uname.clone(), user.id).is_some() {
                return Err(format!(
                    "network {}: two users have the uname {:?}",
                    self.id, user.uname
                ));
            }
        }
        Ok(())
    }

    /// Removes a user and its index entries.
    pub fn remove_user(&mut self, id: u64) -> Option<User> {
        let user = self.users.remove(&id)?;
        self.usernames.remove(&user.username);
        self.unames.remove(&user.uname);
        Some(user)
    }
}

/// Everything the emulator stores.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct State {
    /// Networks by id.
    pub networks: BTreeMap<String, Network>,
    next_seq: u64,
    next_user_id: u64,
    next_bot_id: u64,
    #[serde(skip)]
    rng: Option<fastrand::Rng>,
}

/// The highest user id, bot id or sequence counter a state file may hold: room to count on.
const COUNTER_LIMIT: u64 = u64::MAX / 4;

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const UPPER_ALNUM: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

impl State {
    /// Makes a state read from a file whole: rebuilds every network's indexes and checks that
    /// its ids and keys agree; `Err` says what does not.
    pub fn restore(&mut self) -> Result<(), String> {
        let mut max_user = 0;
        let mut max_bot = 0;
        for (id, network) in &mut self.networks {
            if *id != network.id {
                return Err(format!(
                    "network {id} is stored under another id ({})",
                    network.id
                ));
            }
            for (key, user) in &network.users {
                if *key != user.id {
                    return Err(format!("network {id}: user {key} has id {}", user.id));
                }
                max_user = max_user.max(user.id);
            }
            for (key, bot) in &network.bots {
                if *key != bot.id {
                    return Err(format!("network {id}: bot {key} has id {}", bot.id));
                }
                max_bot = max_bot.max(bot.id);
            }
            network.rebuild_indexes()?;
        }
        // New ids never repeat stored ones, whatever the counters say.
        self.next_user_id = self.next_user_id.max(max_user.saturating_sub(1000));
        self.next_bot_id = self.next_bot_id.max(max_bot.saturating_sub(90_000));
        self.next_seq = self.next_seq.max(
            self.networks
                .values()
                .map(|n| n.created_seq)
                .max()
                .unwrap_or(0),
        );
        // Counters this high would overflow as new ids are made, and a wrapped id would replace
        // a stored user.
        for (what, counter) in [
            ("user id", self.next_user_id),
            ("bot id", self.next_bot_id),
            ("creation sequence", self.next_seq),
        ] {
            if counter > COUNTER_LIMIT {
                return Err(format!(
                    "the {what} counter {counter} is out of range (at most {COUNTER_LIMIT})"
                ));
            }
        }
        Ok(())
    }

    fn rng(&mut self) -> &mut fastrand::Rng {
        self.rng.get_or_insert_with(fastrand::Rng::new)
    }

    /// Random text from `alphabet`.
    pub fn random_text(&mut self, alphabet: &[u8], len: usize) -> String {
        let rng = self.rng();
        (0..len)
            .map(|_| char::from(alphabet[rng.usize(..alphabet.len())]))
            .collect()
    }

    /// A fresh, unused 8-digit network id.
    pub fn new_network_id(&mut self) -> String {
        loop {
            let id = self.rng().u32(10_000_000..100_000_000).to_string();
            if !self.networks.contains_key(&id) {
                return id;
            }
        }
    }

    /// A fresh security group id (8 letters and digits), unique in `network`.
    pub fn new_group_id(&mut self, network: Option<&Network>) -> String {
        loop {
            let id = self.random_text(ALNUM, 8);
            if network.is_none_or(|n| !n.groups.contains_key(&id)) {
                return id;
            }
        }
    }

    /// Next creation sequence number.
    pub fn next_seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    /// A fresh user id, unique across the emulator.
    pub fn new_user_id(&mut self) -> u64 {
        self.next_user_id += 1;
        1000 + self.next_user_id
    }

    /// A fresh bot id, unique across the emulator.
    pub fn new_bot_id(&mut self) -> u64 {
        self.next_bot_id += 1;
        90_000 + self.next_bot_id
    }

    /// A generated invite code.
    pub fn new_invite_code(&mut self) -> String {
        self.random_text(UPPER_ALNUM, 10)
    }

    /// A fresh 12-character uname (unique with overwhelming probability; checked by callers
    /// that index unames).
    pub fn new_uname(&mut self) -> String {
        let rng = self.rng();
        format!("{:012x}", rng.u64(..) & 0xffff_ffff_ffff)
    }

    /// A random 64-hex-digit id (device app ids, hashes).
    pub fn new_hex64(&mut self) -> String {
        let rng = self.rng();
        (0..4).map(|_| format!("{:016x}", rng.u64(..))).collect()
    }
}

/// The shared state handle, with the journal its changes are written to (when the state is
/// kept in a file).
#[derive(Debug, Default)]
pub struct Store {
    inner: Mutex<Locked>,
}

#[derive(Debug, Default)]
struct Locked {
    state: State,
    journal: Option<Journal>,
    /// The number of the last journal entry.
    last_entry: u64,
}

/// The state, locked; letting it go writes the request running on this thread to the journal
/// ([`crate::journal`]).
#[derive(Debug)]
pub struct StateGuard<'a>(MutexGuard<'a, Locked>);

impl std::ops::Deref for StateGuard<'_> {
    type Target = State;
    fn deref(&self) -> &State {
        &self.0.state
    }
}

impl std::ops::DerefMut for StateGuard<'_> {
    fn deref_mut(&mut self) -> &mut State {
        &mut self.0.state
    }
}

impl Drop for StateGuard<'_> {
    fn drop(&mut self) {
        let Locked {
            journal,
            last_entry,
            ..
        } = &mut *self.0;
        journal::on_unlock(journal, last_entry);
    }
}

impl StateGuard<'_> {
    /// The number of the last journal entry: the state holds the changes of every entry up to
    /// it.
    pub fn last_entry(&self) -> u64 {
        self.0.last_entry
    }

    /// Bytes written to the journal since it was last set aside or emptied.
    pub(crate) fn journal_written(&self) -> u64 {
        self.0.journal.as_ref().map_or(0, Journal::written)
    }

    /// Sets the journal aside before the state is written ([`Journal::set_aside`]).
    pub(crate) fn set_journal_aside(&mut self) -> std::io::Result<()> {
        match self.0.journal.as_mut() {
            Some(journal) => journal.set_aside(),
            None => Ok(()),
        }
    }

    /// The state file now holds every change up to entry `holds`
    /// ([`Journal::state_file_written`]).
    pub(crate) fn state_file_written(&mut self, holds: u64) -> std::io::Result<()> {
        match self.0.journal.as_mut() {
            Some(journal) => journal.state_file_written(holds),
            None => Ok(()),
        }
    }
}

impl Store {
    /// A store holding `state`.
    pub fn with_state(state: State) -> Self {
        Self {
            inner: Mutex::new(Locked {
                state,
                ..Locked::default()
            }),
        }
    }

    /// Locks the state. A poisoned lock (a panic while held) is recovered: every operation
    /// validates before it writes, so the state is never left half-changed. Within a request
    /// ([`journal::run`]), the random generator starts from the request's seed.
    pub fn lock(&self) -> StateGuard<'_> {
        let mut locked = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(seed) = journal::seed() {
            locked.state.rng = Some(fastrand::Rng::with_seed(seed));
        }
        StateGuard(locked)
    }

    /// From now on, changes are written to `journal`, numbered after `last_entry`.
    pub(crate) fn attach_journal(&self, journal: Journal, last_entry: u64) {
        let mut locked = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        locked.journal = Some(journal);
        locked.last_entry = last_entry;
    }
}
