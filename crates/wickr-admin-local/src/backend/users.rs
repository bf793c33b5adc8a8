//! Users: batch create, list, get, update, delete, suspend, re-invite, uname lookup, devices.

use super::pagination::{
    paginate, paginate_in_order, Direction, KeyPart, Page, PageRequest, Position,
};
use super::{contains_ignoring_case, Backend};
use crate::error::{echo, ApiError, Reason};
use crate::state::{now_secs, Device, Network, State, User, TRIAL_USER_LIMIT};
use std::collections::HashSet;
use std::ops::Bound;

/// Sort fields `ListUsers` accepts.
pub const USER_SORT_FIELDS: &[&str] = &["username", "firstName", "lastName", "status", "groupId"];
/// Sort fields `ListDevicesForUser` accepts.
pub const DEVICE_SORT_FIELDS: &[&str] = &["appId", "type", "created", "lastLogin", "statusText"];

const DEFAULT_INVITE_TTL_DAYS: i64 = 7;
const DAY: i64 = 24 * 60 * 60;

/// One user of a `BatchCreateUser` call, as read from the request.
#[derive(Debug, Clone, Default)]
pub struct NewUser {
    /// Username (required; checked by the wire layer).
    pub username: String,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Security group ids.
    pub groups: Vec<String>,
    /// Invite code to use instead of a generated one.
    pub invite_code: Option<String>,
    /// Invite validity in days.
    pub invite_ttl_days: Option<i32>,
    /// Whether the invite code verifies the user.
    pub code_validation: Option<bool>,
}

/// A per-item failure of a batch operation: the item, the member at fault and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The item (user id, uname or app id as given).
    pub item: String,
    /// The member at fault.
    pub field: String,
    /// Why.
    pub reason: String,
}

impl Failure {
    fn new(item: impl Into<String>, field: &str, reason: impl Into<String>) -> Self {
        Failure {
            item: item.into(),
            field: field.to_owned(),
            reason: reason.into(),
        }
    }
}

/// What `BatchCreateUser` did, per user in request order.
#[derive(Debug, Clone)]
pub struct BatchCreated {
    /// Users created.
    pub created: Vec<User>,
    /// Users refused (user id "0").
    pub failed: Vec<Failure>,
}

/// What a batch operation over existing items did.
#[derive(Debug, Clone, Default)]
pub struct BatchOutcome {
    /// Items it applied to.
    pub successful: Vec<String>,
    /// Items it did not apply to.
    pub failed: Vec<Failure>,
}

/// What `BatchLookupUserUname` found.
#[derive(Debug, Clone, Default)]
pub struct UnameLookup {
    /// `(uname, username)` pairs found.
    pub found: Vec<(String, String)>,
    /// Unames not found.
    pub failed: Vec<Failure>,
}

/// Filters of `ListUsers` (absent: no filter).
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    /// Part of the first name, any case.
    pub first_name: Option<String>,
    /// Part of the last name, any case.
    pub last_name: Option<String>,
    /// Part of the username, any case.
    pub username: Option<String>,
    /// 1 pending, 2 active.
    pub status: Option<i64>,
    /// Security group id.
    pub group_id: Option<String>,
}

/// What `UpdateUser` changes (absent: unchanged).
#[derive(Debug, Clone, Default)]
pub struct UserChange {
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// New username.
    pub username: Option<String>,
    /// The single security group.
    pub groups: Option<Vec<String>>,
    /// Invite code.
    pub invite_code: Option<String>,
    /// Invite validity in days, from now.
    pub invite_ttl_days: Option<i32>,
    /// Whether the invite code verifies the user.
    pub code_validation: Option<bool>,
}

/// `GetUsersCount`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserCounts {
    /// Pending users.
    pub pending: i64,
    /// Active users.
    pub active: i64,
    /// Users the free trial still allows.
    pub remaining: i64,
}

fn user_not_found() -> ApiError {
    ApiError::NotFound("User not found.".to_owned())
}

/// Why a new user cannot be created, if it cannot.
fn refuse(n: &Network, u: &NewUser, seen: &HashSet<&str>) -> Option<Failure> {
    if n.username_taken(&u.username) {
        // Bots and users share the names of a network, but a bot is not the user asked for: a
        // client told the user exists would report a user that does not.
        let reason = if n.usernames.contains_key(&u.username) {
            "User already exists"
        } else {
            "A bot of the network has this username"
        };
        return Some(Failure::new("0", "username", reason));
    }
    if seen.contains(u.username.as_str()) {
        return Some(Failure::new(
            "0",
            "username",
            "Username appears earlier in the same request",
        ));
    }
    match u.groups.as_slice() {
        [] => {
            return Some(Failure::new(
                "0",
                "securityGroupIds",
                "A security group is required",
            ))
        }
        [g] if !n.groups.contains_key(g) => {
            return Some(Failure::new(
                "0",
                "securityGroupIds",
                format!("Security group {} not found", echo(g)),
            ))
        }
        [_] => {}
        _ => {
            return Some(Failure::new(
                "0",
                "securityGroupIds",
                "A user can only be assigned to a single security group",
            ))
        }
    }
    if !n.preview {
        for (field, given) in [
            ("inviteCode", u.invite_code.is_some()),
            ("inviteCodeTtl", u.invite_ttl_days.is_some()),
            ("codeValidation", u.code_validation.is_some()),
        ] {
            if given {
                return Some(Failure::new(
                    "0",
                    field,
                    format!("{field} is restricted to networks under preview"),
                ));
            }
        }
    }
    None
}

fn create_user(state: &mut State, n: &Network, u: NewUser) -> User {
    let now = now_secs();
    let id = state.new_user_id();
    let invite_code = u.invite_code.unwrap_or_else(|| state.new_invite_code());
    let ttl_days = u
        .invite_ttl_days
        .map(i64::from)
        .unwrap_or(DEFAULT_INVITE_TTL_DAYS);
    let mut uname = state.new_uname();
    while n.unames.contains_key(&uname) {
        uname = state.new_uname();
    }
    User {
        id,
        username: u.username,
        first_name: u.first_name,
        last_name: u.last_name,
        security_groups: u.groups,
        is_admin: false,
        suspended: false,
        status: 1,
        invite_code,
        invite_expiration: now + ttl_days * DAY,
        code_validation: u.code_validation.unwrap_or(false),
        uname,
        devices: Vec::new(),
        modified: now,
        last_login: None,
    }
}

/// Where a user sits in a user listing.
pub(super) fn user_position(u: &User, request: &PageRequest) -> Position {
    let mut p: Position = request
        .sort_fields
        .iter()
        .map(|f| match f.as_str() {
            "username" => KeyPart::from(u.username.as_str()),
            "firstName" => KeyPart::from(u.first_name.as_deref()),
            "lastName" => KeyPart::from(u.last_name.as_deref()),
            "status" => KeyPart::Int(i64::from(u.status)),
            _ => KeyPart::Text(u.security_groups.join(" ")),
        })
        .collect();
    p.push(KeyPart::Int(i64::try_from(u.id).unwrap_or(i64::MAX)));
    p
}

/// The users after the cursor, in listing order, straight from the id-ordered map, when the
/// listing is in id order (no sort fields): a page then costs the page, not the network.
/// `None` for any other order.
pub(super) fn users_in_id_order<'a>(
    n: &'a Network,
    request: &PageRequest,
) -> Option<Box<dyn Iterator<Item = &'a User> + 'a>> {
    if !request.sort_fields.is_empty() {
        return None;
    }
    let after = match request.after.as_deref() {
        None => None,
        Some([KeyPart::Int(id)]) => Some(u64::try_from(*id).ok()?),
        Some(_) => return None,
    };
    let bound = after.map_or(Bound::Unbounded, Bound::Excluded);
    Some(match request.direction {
        Direction::Asc => Box::new(n.users.range((bound, Bound::Unbounded)).map(|(_, u)| u)),
        Direction::Desc => Box::new(
            n.users
                .range((Bound::Unbounded, bound))
                .rev()
                .map(|(_, u)| u),
        ),
    })
}

/// Pages users that pass `keep`, from the id-ordered map when the listing is in id order.
pub(super) fn page_users(
    n: &Network,
    keep: impl Fn(&User) -> bool,
    request: &PageRequest,
) -> Page<User> {
    let position = |u: &&User| user_position(u, request);
    match users_in_id_order(n, request) {
        Some(in_order) => paginate_in_order(in_order.filter(|u| keep(u)), position, request),
        None => paginate(n.users.values().filter(|u| keep(u)), position, request),
    }
    .map(User::clone)
}

fn parse_id(raw: &str) -> Option<u64> {
    raw.parse().ok()
}

impl Backend {
    /// `BatchCreateUser`: per user, in request order, either created or refused with a reason.
    pub fn batch_create_users(
        &self,
        network_id: &str,
        users: Vec<NewUser>,
    ) -> Result<BatchCreated, ApiError> {
        self.with_network(network_id, |state, n| {
            let mut failed = Vec::new();
            let mut accepted = Vec::with_capacity(users.len());
            {
                let mut seen: HashSet<&str> = HashSet::with_capacity(users.len());
                for u in &users {
                    match refuse(n, u, &seen) {
                        Some(f) => {
                            failed.push(f);
                            accepted.push(false);
                        }
                        None => {
                            seen.insert(u.username.as_str());
                            accepted.push(true);
                        }
                    }
                }
            }
            let mut created = Vec::with_capacity(users.len());
            for (u, ok) in users.into_iter().zip(accepted) {
                if ok {
                    let user = create_user(state, n, u);
                    created.push(user.clone());
                    n.insert_user(user);
                }
            }
            Ok(BatchCreated { created, failed })
        })
    }

    /// `ListUsers`.
    pub fn list_users(
        &self,
        network_id: &str,
        filter: &UserFilter,
        request: &PageRequest,
    ) -> Result<Page<User>, ApiError> {
        self.with_network(network_id, |_, n| {
            let keep = |u: &User| {
                contains_ignoring_case(u.first_name.as_deref(), filter.first_name.as_deref())
                    && contains_ignoring_case(u.last_name.as_deref(), filter.last_name.as_deref())
                    && contains_ignoring_case(Some(&u.username), filter.username.as_deref())
                    && filter.status.is_none_or(|s| i64::from(u.status) == s)
                    && filter
                        .group_id
                        .as_ref()
                        .is_none_or(|g| u.security_groups.iter().any(|x| x == g))
            };
            Ok(page_users(n, keep, request))
        })
    }

    /// `GetUser`.
    pub fn get_user(&self, network_id: &str, user_id: u64) -> Result<User, ApiError> {
        self.with_network(network_id, |_, n| {
            n.users.get(&user_id).cloned().ok_or_else(user_not_found)
        })
    }

    /// `UpdateUser`: the user after the change. A taken username, an unknown group or invite
    /// fields on a network without preview features are a `ValidationError` and change nothing.
    pub fn update_user(
        &self,
        network_id: &str,
        user_id: u64,
        change: UserChange,
    ) -> Result<User, ApiError> {
        self.with_network(network_id, |_, n| {
            let current = n.users.get(&user_id).ok_or_else(user_not_found)?;
            let mut reasons = Vec::new();
            if let Some(name) = &change.username {
                if *name != current.username && n.username_taken(name) {
                    reasons.push(Reason::new(
                        "userDetails.username",
                        "username is unavailable",
                    ));
                }
            }
            if let Some([g]) = change.groups.as_deref() {
                if !n.groups.contains_key(g) {
                    reasons.push(Reason::new(
                        "userDetails.securityGroupIds[0]",
                        format!("Security group {} not found", echo(g)),
                    ));
                }
            }
            if !n.preview {
                for (field, given) in [
                    ("inviteCode", change.invite_code.is_some()),
                    ("inviteCodeTtl", change.invite_ttl_days.is_some()),
                    ("codeValidation", change.code_validation.is_some()),
                ] {
                    if given {
                        reasons.push(Reason::new(
                            format!("userDetails.{field}"),
                            format!("{field} is restricted to networks under preview"),
                        ));
                    }
                }
            }
            if !reasons.is_empty() {
                return Err(ApiError::Validation(reasons));
            }
            let old_username = current.username.clone();
            let now = now_secs();
            let u = n.users.get_mut(&user_id).ok_or_else(user_not_found)?;
            if change.first_name.is_some() {
                u.first_name = change.first_name;
            }
            if change.last_name.is_some() {
                u.last_name = change.last_name;
            }
            if let Some(g) = change.groups {
                u.security_groups = g;
            }
            if let Some(c) = change.invite_code {
                u.invite_code = c;
            }
            if let Some(t) = change.invite_ttl_days {
                u.invite_expiration = now + i64::from(t) * DAY;
            }
            if let Some(c) = change.code_validation {
                u.code_validation = c;
            }
            u.modified = now;
            let renamed = change.username.filter(|name| *name != old_username);
            if let Some(name) = &renamed {
                u.username = name.clone();
            }
            let updated = u.clone();
            if let Some(name) = renamed {
                n.usernames.remove(&old_username);
                n.usernames.insert(name, user_id);
            }
            Ok(updated)
        })
    }

    /// Applies `f` to each listed user; users that do not exist (or `f` refuses) go to
    /// `failed`.
    fn batch_users(
        &self,
        network_id: &str,
        ids: Vec<String>,
        mut f: impl FnMut(&mut State, &mut Network, u64) -> Result<(), (String, String)>,
    ) -> Result<BatchOutcome, ApiError> {
        self.with_network(network_id, |state, n| {
            let mut outcome = BatchOutcome::default();
            for raw in ids {
                let Some(id) = parse_id(&raw) else {
                    outcome
                        .failed
                        .push(Failure::new(raw, "userId", "Invalid userId."));
                    continue;
                };
                if !n.users.contains_key(&id) {
                    outcome
                        .failed
                        .push(Failure::new(raw, "userId", "User not found"));
                    continue;
                }
                match f(state, n, id) {
                    Ok(()) => outcome.successful.push(raw),
                    Err((field, reason)) => outcome.failed.push(Failure::new(raw, &field, reason)),
                }
            }
            Ok(outcome)
        })
    }

    /// `BatchDeleteUser`.
    pub fn batch_delete_users(
        &self,
        network_id: &str,
        ids: Vec<String>,
    ) -> Result<BatchOutcome, ApiError> {
        self.batch_users(network_id, ids, |_, n, id| {
            n.remove_user(id);
            Ok(())
        })
    }

    /// `BatchReinviteUser`: a new invite code for each pending user.
    pub fn batch_reinvite_users(
        &self,
        network_id: &str,
        ids: Vec<String>,
    ) -> Result<BatchOutcome, ApiError> {
        self.batch_users(network_id, ids, |state, n, id| {
            let code = state.new_invite_code();
            let u = n
                .users
                .get_mut(&id)
                .ok_or_else(|| ("userId".to_owned(), "User not found".to_owned()))?;
            if u.status != 1 {
                return Err((
                    "userId".to_owned(),
                    "User has already accepted the invitation".to_owned(),
                ));
            }
            u.invite_code = code;
            u.invite_expiration = now_secs() + DEFAULT_INVITE_TTL_DAYS * DAY;
            u.modified = now_secs();
            Ok(())
        })
    }

    /// `BatchToggleUserSuspendStatus`.
    pub fn batch_set_suspended(
        &self,
        network_id: &str,
        ids: Vec<String>,
        suspend: bool,
    ) -> Result<BatchOutcome, ApiError> {
        self.batch_users(network_id, ids, |_, n, id| {
            if let Some(u) = n.users.get_mut(&id) {
                u.suspended = suspend;
                u.modified = now_secs();
            }
            Ok(())
        })
    }

    /// `BatchLookupUserUname`.
    pub fn lookup_unames(
        &self,
        network_id: &str,
        unames: Vec<String>,
    ) -> Result<UnameLookup, ApiError> {
        self.with_network(network_id, |_, n| {
            let mut lookup = UnameLookup::default();
            for uname in unames {
                match n.unames.get(&uname).and_then(|id| n.users.get(id)) {
                    Some(u) => lookup.found.push((uname, u.username.clone())),
                    None => lookup
                        .failed
                        .push(Failure::new(uname, "uname", "Uname not found")),
                }
            }
            Ok(lookup)
        })
    }

    /// `GetUsersCount`.
    pub fn count_users(&self, network_id: &str) -> Result<UserCounts, ApiError> {
        self.with_network(network_id, |_, n| {
            let pending = n.users.values().filter(|u| u.status == 1).count() as i64;
            let active = n.users.values().filter(|u| u.status == 2).count() as i64;
            Ok(UserCounts {
                pending,
                active,
                remaining: (TRIAL_USER_LIMIT - pending - active).max(0),
            })
        })
    }

    /// `BatchResetDevicesForUser`: removes each listed device of the user.
    pub fn reset_devices(
        &self,
        network_id: &str,
        user_id: u64,
        app_ids: Vec<String>,
    ) -> Result<BatchOutcome, ApiError> {
        self.with_network(network_id, |_, n| {
            let u = n.users.get_mut(&user_id).ok_or_else(user_not_found)?;
            let mut outcome = BatchOutcome::default();
            for app_id in app_ids {
                match u.devices.iter().position(|d| d.app_id == app_id) {
                    Some(i) => {
                        u.devices.remove(i);
                        outcome.successful.push(app_id);
                    }
                    None => outcome
                        .failed
                        .push(Failure::new(app_id, "appId", "Invalid app ID.")),
                }
            }
            Ok(outcome)
        })
    }

    /// `ListDevicesForUser`.
    pub fn list_devices(
        &self,
        network_id: &str,
        user_id: u64,
        request: &PageRequest,
    ) -> Result<Page<Device>, ApiError> {
        self.with_network(network_id, |_, n| {
            let u = n.users.get(&user_id).ok_or_else(user_not_found)?;
            let position = |d: &&Device| -> Position {
                let mut p: Position = request
                    .sort_fields
                    .iter()
                    .map(|f| match f.as_str() {
                        "type" => KeyPart::from(d.kind.as_str()),
                        "created" => KeyPart::from(d.created.as_str()),
                        "lastLogin" => KeyPart::from(d.last_login.as_str()),
                        "statusText" => KeyPart::Int(i64::from(d.suspended)),
                        _ => KeyPart::from(d.app_id.as_str()),
                    })
                    .collect();
                p.push(KeyPart::from(d.app_id.as_str()));
                p
            };
            Ok(paginate(u.devices.iter(), position, request).map(Device::clone))
        })
    }

    /// A user registers a device of `kind` (`mobile`, `desktop` or `web`): something a real
    /// network sees from its clients, not from the admin API. Returns the device's app id.
    pub fn register_device(
        &self,
        network_id: &str,
        user_id: u64,
        kind: &str,
    ) -> Result<String, ApiError> {
        self.with_network(network_id, |state, n| {
            let app_id = state.new_hex64();
            let u = n.users.get_mut(&user_id).ok_or_else(user_not_found)?;
            let now = now_secs().to_string();
            u.devices.push(Device {
                app_id: app_id.clone(),
                kind: kind.to_owned(),
                created: now.clone(),
                last_login: now,
                suspended: false,
            });
            Ok(app_id)
        })
    }
}
