//! Users: batch create, list, get, update, delete, suspend, re-invite, uname lookup, devices.

use super::input::{check_group_id, check_numeric_id, Direction, Listing, Obj, Reasons};
use super::{Call, Reply};
use crate::error::ApiError;
use crate::state::{now_secs, Network, State, User, TRIAL_USER_LIMIT};
use serde::Serialize;
use serde_json::{json, Value};
use std::cmp::Ordering;
use std::collections::HashSet;

/// Most users one `BatchCreateUser` call may carry.
pub const MAX_BATCH: usize = 50;
const DEFAULT_INVITE_TTL_DAYS: i64 = 7;
const DAY: i64 = 24 * 60 * 60;

/// The `User` structure, serialized straight from the stored user.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UserOut<'a> {
    user_id: String,
    username: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_name: Option<&'a str>,
    security_groups: &'a [String],
    is_admin: bool,
    suspended: bool,
    status: i32,
    otp_enabled: bool,
    #[serde(rename = "type")]
    kind: &'static str,
    challenge_failures: i32,
    is_invite_expired: bool,
    is_user: bool,
    invite_code: &'a str,
    code_validation: bool,
    uname: &'a str,
}

impl<'a> UserOut<'a> {
    fn new(u: &'a User, now: i64) -> Self {
        UserOut {
            user_id: u.id.to_string(),
            username: &u.username,
            first_name: u.first_name.as_deref(),
            last_name: u.last_name.as_deref(),
            security_groups: &u.security_groups,
            is_admin: u.is_admin,
            suspended: u.suspended,
            status: u.status,
            otp_enabled: false,
            kind: "user",
            challenge_failures: 0,
            is_invite_expired: u.status == 1 && u.invite_expiration < now,
            is_user: true,
            invite_code: &u.invite_code,
            code_validation: u.code_validation,
            uname: &u.uname,
        }
    }
}

/// The `User` structure as a JSON value.
pub fn user_json(u: &User) -> Value {
    serde_json::to_value(UserOut::new(u, now_secs())).unwrap_or(Value::Null)
}

#[derive(Serialize)]
struct BatchCreateOut<'a> {
    message: &'static str,
    successful: Vec<UserOut<'a>>,
    failed: Vec<Value>,
}

fn batch_message(ok: usize, failed: usize) -> &'static str {
    match (ok, failed) {
        (_, 0) => "success",
        (0, _) => "failure",
        _ => "partial success",
    }
}

struct NewUser {
    username: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    groups: Option<Vec<String>>,
    invite_code: Option<String>,
    invite_ttl: Option<i32>,
    code_validation: Option<bool>,
}

fn read_new_user(o: &Obj<'_>, r: &mut Reasons) -> NewUser {
    let username = o.req_str("username", r);
    let groups = o.req_str_list("securityGroupIds", r);
    if let Some(groups) = &groups {
        for (i, g) in groups.iter().enumerate() {
            check_group_id(&format!("{}[{i}]", o.field("securityGroupIds")), g, r);
        }
    }
    let invite_ttl = o.opt_i32("inviteCodeTtl", r);
    if invite_ttl.is_some_and(|t| !(1..=365).contains(&t)) {
        r.push(o.field("inviteCodeTtl"), "must be between 1 and 365 days");
    }
    let invite_code = o.opt_str("inviteCode", r);
    if invite_code.as_deref().is_some_and(|c| c.trim().is_empty()) {
        r.push(o.field("inviteCode"), "must not be empty");
    }
    NewUser {
        username,
        first_name: o.opt_str("firstName", r),
        last_name: o.opt_str("lastName", r),
        groups,
        invite_code,
        invite_ttl,
        code_validation: o.opt_bool("codeValidation", r),
    }
}

fn failed_user(user_id: &str, field: &str, reason: impl Into<String>) -> Value {
    json!({ "userId": user_id, "field": field, "reason": reason.into() })
}

/// Why a new user cannot be created, if it cannot.
fn refuse(n: &Network, u: &NewUser, seen: &HashSet<&str>) -> Option<Value> {
    let username = u.username.as_deref().unwrap_or("");
    if n.username_taken(username) {
        return Some(failed_user("0", "username", "User already exists"));
    }
    if seen.contains(username) {
        return Some(failed_user(
            "0",
            "username",
            "Username appears earlier in the same request",
        ));
    }
    let groups = u.groups.as_deref().unwrap_or(&[]);
    match groups {
        [] => {
            return Some(failed_user(
                "0",
                "securityGroupIds",
                "A security group is required",
            ))
        }
        [g] if !n.groups.contains_key(g) => {
            return Some(failed_user(
                "0",
                "securityGroupIds",
                format!("Security group {g} not found"),
            ))
        }
        [_] => {}
        _ => {
            return Some(failed_user(
                "0",
                "securityGroupIds",
                "A user can only be assigned to a single security group",
            ))
        }
    }
    if !n.preview {
        for (field, given) in [
            ("inviteCode", u.invite_code.is_some()),
            ("inviteCodeTtl", u.invite_ttl.is_some()),
            ("codeValidation", u.code_validation.is_some()),
        ] {
            if given {
                return Some(failed_user(
                    "0",
                    field,
                    format!("{field} is restricted to networks under preview"),
                ));
            }
        }
    }
    None
}

fn new_user(state: &mut State, n: &Network, u: NewUser) -> User {
    let now = now_secs();
    let id = state.new_user_id();
    let invite_code = u.invite_code.unwrap_or_else(|| state.new_invite_code());
    let ttl_days = u
        .invite_ttl
        .map(i64::from)
        .unwrap_or(DEFAULT_INVITE_TTL_DAYS);
    let mut uname = state.new_uname();
    while n.unames.contains_key(&uname) {
        uname = state.new_uname();
    }
    User {
        id,
        username: u.username.unwrap_or_default(),
        first_name: u.first_name,
        last_name: u.last_name,
        security_groups: u.groups.unwrap_or_default(),
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

pub fn batch_create(call: &Call<'_>) -> Result<Reply, ApiError> {
    let body = Obj::root(&call.body);
    let mut r = Reasons::default();
    let items = if body.raw("users").is_none() {
        r.push("users", "users is required");
        None
    } else {
        body.opt_obj_list("users", &mut r)
    };
    let mut users = Vec::new();
    if let Some(items) = &items {
        if items.is_empty() || items.len() > MAX_BATCH {
            r.push(
                "users",
                format!(
                    "must contain between 1 and {MAX_BATCH} users (got {})",
                    items.len()
                ),
            );
        }
        users = items.iter().map(|o| read_new_user(o, &mut r)).collect();
    }
    call.network_id()?;
    r.finish()?;
    call.with_network(|state, n| {
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
                        seen.insert(u.username.as_deref().unwrap_or(""));
                        accepted.push(true);
                    }
                }
            }
        }
        let mut created = Vec::with_capacity(users.len());
        for (u, ok) in users.into_iter().zip(accepted) {
            if ok {
                let user = new_user(state, n, u);
                created.push(user.id);
                n.insert_user(user);
            }
        }
        let now = now_secs();
        let out = BatchCreateOut {
            message: batch_message(created.len(), failed.len()),
            successful: created
                .iter()
                .filter_map(|id| n.users.get(id))
                .map(|u| UserOut::new(u, now))
                .collect(),
            failed,
        };
        serde_json::to_vec(&out)
            .map(Reply::Bytes)
            .map_err(|e| ApiError::Internal(format!("cannot encode the answer: {e}")))
    })
}

/// Sorts users by the listing's fields and direction (user id breaks ties).
pub fn sort_users(users: &mut [&User], listing: &Listing) {
    users.sort_by(|a, b| {
        let mut ord = Ordering::Equal;
        for f in &listing.sort_fields {
            ord = ord.then_with(|| match f.as_str() {
                "username" => a.username.cmp(&b.username),
                "firstName" => a.first_name.cmp(&b.first_name),
                "lastName" => a.last_name.cmp(&b.last_name),
                "status" => a.status.cmp(&b.status),
                _ => a.security_groups.cmp(&b.security_groups),
            });
        }
        let ord = ord.then(a.id.cmp(&b.id));
        if listing.direction == Direction::Desc {
            ord.reverse()
        } else {
            ord
        }
    });
}

fn matches(value: Option<&str>, filter: &Option<String>) -> bool {
    match filter {
        None => true,
        Some(f) => value.is_some_and(|v| v.to_lowercase().contains(&f.to_lowercase())),
    }
}

pub fn list(call: &Call<'_>) -> Result<Value, ApiError> {
    let q = &call.query;
    let mut r = Reasons::default();
    let listing = Listing::read(
        q,
        &["username", "firstName", "lastName", "status", "groupId"],
        Direction::Desc,
        &mut r,
    );
    let status = q.opt_i64("status", &mut r);
    if status.is_some_and(|s| s != 1 && s != 2) {
        r.push("status", "must be 1 (pending) or 2 (active)");
    }
    let (first, last, username, group) = (
        q.opt_str("firstName"),
        q.opt_str("lastName"),
        q.opt_str("username"),
        q.opt_str("groupId"),
    );
    call.network_id()?;
    r.finish()?;
    call.with_network(|_, n| {
        let mut users: Vec<&User> = n
            .users
            .values()
            .filter(|u| {
                matches(u.first_name.as_deref(), &first)
                    && matches(u.last_name.as_deref(), &last)
                    && matches(Some(&u.username), &username)
                    && status.is_none_or(|s| i64::from(u.status) == s)
                    && group
                        .as_ref()
                        .is_none_or(|g| u.security_groups.iter().any(|x| x == g))
            })
            .collect();
        sort_users(&mut users, &listing);
        let (page, next) = listing.page(users);
        let mut out = json!({ "users": page.into_iter().map(user_json).collect::<Vec<_>>() });
        if let Some(t) = next {
            out["nextToken"] = json!(t);
        }
        Ok(out)
    })
}

fn user_not_found() -> ApiError {
    ApiError::NotFound("User not found.".to_owned())
}

fn parse_user_id(field: &str, raw: &str) -> Result<u64, ApiError> {
    let mut r = Reasons::default();
    check_numeric_id(field, raw, &mut r);
    r.finish()?;
    raw.parse()
        .map_err(|_| ApiError::invalid(field, "must be 1 to 10 digits"))
}

pub fn get(call: &Call<'_>) -> Result<Value, ApiError> {
    let mut r = Reasons::default();
    let start = call.query.opt_epoch("startTime", &mut r);
    let end = call.query.opt_epoch("endTime", &mut r);
    if let (Some(s), Some(e)) = (start, end) {
        if s > e {
            r.push("startTime", "must not be after endTime");
        }
    }
    call.network_id()?;
    r.finish()?;
    let id = parse_user_id("userId", call.label(1))?;
    call.with_network(|_, n| {
        let u = n.users.get(&id).ok_or_else(user_not_found)?;
        let mut v = json!({
            "userId": u.id.to_string(),
            "username": u.username,
            "isAdmin": u.is_admin,
            "suspended": u.suspended,
            "status": u.status,
            "securityGroupIds": u.security_groups,
        });
        if let Some(f) = &u.first_name {
            v["firstName"] = json!(f);
        }
        if let Some(l) = &u.last_name {
            v["lastName"] = json!(l);
        }
        if let Some(t) = u.last_login {
            v["lastLogin"] = json!(t);
            v["lastActivity"] = json!(t);
        }
        Ok(v)
    })
}

/// Members of `UpdateUserDetails` in the model; any other key in `userDetails` is refused.
const UPDATE_USER_DETAILS_MEMBERS: [&str; 7] = [
    "firstName",
    "lastName",
    "username",
    "securityGroupIds",
    "inviteCode",
    "inviteCodeTtl",
    "codeValidation",
];

pub fn update(call: &Call<'_>) -> Result<Value, ApiError> {
    let body = Obj::root(&call.body);
    let mut r = Reasons::default();
    let user_id = body.req_str("userId", &mut r);
    if let Some(id) = &user_id {
        check_numeric_id("userId", id, &mut r);
    }
    let details = body.opt_obj("userDetails", &mut r);
    let mut first = None;
    let mut last = None;
    let mut username = None;
    let mut groups = None;
    let mut invite_code = None;
    let mut invite_ttl = None;
    let mut code_validation = None;
    if let Some(d) = &details {
        for key in d.keys() {
            if !UPDATE_USER_DETAILS_MEMBERS.contains(&key.as_str()) {
                r.push(
                    d.field(key),
                    format!(
                        "`{key}` is not a member of UpdateUserDetails (expected one of: {})",
                        UPDATE_USER_DETAILS_MEMBERS.join(", ")
                    ),
                );
            }
        }
        first = d.opt_str("firstName", &mut r);
        last = d.opt_str("lastName", &mut r);
        username = d.opt_str("username", &mut r);
        if username.as_deref().is_some_and(|u| u.trim().is_empty()) {
            r.push(d.field("username"), "must not be empty");
        }
        groups = d.opt_str_list("securityGroupIds", &mut r);
        if let Some(g) = &groups {
            if g.len() != 1 {
                r.push(
                    d.field("securityGroupIds"),
                    "A user can only be assigned to a single security group",
                );
            }
            for (i, id) in g.iter().enumerate() {
                check_group_id(&format!("{}[{i}]", d.field("securityGroupIds")), id, &mut r);
            }
        }
        invite_code = d.opt_str("inviteCode", &mut r);
        if invite_code.as_deref().is_some_and(|c| c.trim().is_empty()) {
            r.push(d.field("inviteCode"), "must not be empty");
        }
        invite_ttl = d.opt_i32("inviteCodeTtl", &mut r);
        if invite_ttl.is_some_and(|t| !(1..=365).contains(&t)) {
            r.push(d.field("inviteCodeTtl"), "must be between 1 and 365 days");
        }
        code_validation = d.opt_bool("codeValidation", &mut r);
    }
    let nid = call.network_id()?.to_owned();
    r.finish()?;
    let id: u64 = parse_user_id("userId", user_id.as_deref().unwrap_or(""))?;
    call.with_network(|_, n| {
        let current = n.users.get(&id).ok_or_else(user_not_found)?;
        let mut r = Reasons::default();
        if let Some(name) = &username {
            if *name != current.username && n.username_taken(name) {
                r.push("userDetails.username", "username is unavailable");
            }
        }
        if let Some([g]) = groups.as_deref() {
            if !n.groups.contains_key(g) {
                r.push(
                    "userDetails.securityGroupIds[0]",
                    format!("Security group {g} not found"),
                );
            }
        }
        if !n.preview {
            for (field, given) in [
                ("inviteCode", invite_code.is_some()),
                ("inviteCodeTtl", invite_ttl.is_some()),
                ("codeValidation", code_validation.is_some()),
            ] {
                if given {
                    r.push(
                        format!("userDetails.{field}"),
                        format!("{field} is restricted to networks under preview"),
                    );
                }
            }
        }
        r.finish()?;
        let old_username = current.username.clone();
        let now = now_secs();
        let u = n.users.get_mut(&id).ok_or_else(user_not_found)?;
        if first.is_some() {
            u.first_name = first;
        }
        if last.is_some() {
            u.last_name = last;
        }
        if let Some(g) = groups {
            u.security_groups = g;
        }
        if let Some(c) = invite_code {
            u.invite_code = c;
        }
        if let Some(t) = invite_ttl {
            u.invite_expiration = now + i64::from(t) * DAY;
        }
        if let Some(c) = code_validation {
            u.code_validation = c;
        }
        u.modified = now;
        let renamed = username.filter(|name| *name != old_username);
        if let Some(name) = &renamed {
            u.username = name.clone();
        }
        let mut out = json!({
            "userId": u.id.to_string(),
            "networkId": nid,
            "securityGroupIds": u.security_groups,
            "suspended": u.suspended,
            "modified": u.modified,
            "status": u.status,
            "inviteCode": u.invite_code,
            "inviteExpiration": u.invite_expiration,
            "codeValidation": u.code_validation,
        });
        if let Some(f) = &u.first_name {
            out["firstName"] = json!(f);
        }
        if let Some(l) = &u.last_name {
            out["lastName"] = json!(l);
        }
        if let Some(name) = renamed {
            n.usernames.remove(&old_username);
            n.usernames.insert(name, id);
        }
        Ok(out)
    })
}

fn read_user_ids(call: &Call<'_>, r: &mut Reasons) -> Vec<String> {
    let body = Obj::root(&call.body);
    let ids = body.req_str_list("userIds", r).unwrap_or_default();
    if body.raw("userIds").is_some() && ids.is_empty() && r.0.is_empty() {
        r.push("userIds", "must contain at least one user id");
    }
    for (i, id) in ids.iter().enumerate() {
        check_numeric_id(&format!("userIds[{i}]"), id, r);
    }
    ids
}

/// Applies `f` to each listed user; users that do not exist (or `f` refuses) go to `failed`.
fn batch_users(
    call: &Call<'_>,
    ids: Vec<String>,
    mut f: impl FnMut(&mut State, &mut Network, u64) -> Result<(), (String, String)>,
) -> Result<Value, ApiError> {
    call.with_network(|state, n| {
        let mut successful = Vec::new();
        let mut failed = Vec::new();
        for raw in ids {
            let Ok(id) = raw.parse::<u64>() else {
                failed.push(failed_user(&raw, "userId", "Invalid userId."));
                continue;
            };
            if !n.users.contains_key(&id) {
                failed.push(failed_user(&raw, "userId", "User not found"));
                continue;
            }
            match f(state, n, id) {
                Ok(()) => successful.push(json!({ "userId": raw })),
                Err((field, reason)) => failed.push(failed_user(&raw, &field, reason)),
            }
        }
        Ok(json!({
            "message": batch_message(successful.len(), failed.len()),
            "successful": successful,
            "failed": failed,
        }))
    })
}

pub fn batch_delete(call: &Call<'_>) -> Result<Value, ApiError> {
    let mut r = Reasons::default();
    let ids = read_user_ids(call, &mut r);
    call.network_id()?;
    r.finish()?;
    batch_users(call, ids, |_, n, id| {
        n.remove_user(id);
        Ok(())
    })
}

pub fn batch_reinvite(call: &Call<'_>) -> Result<Value, ApiError> {
    let mut r = Reasons::default();
    let ids = read_user_ids(call, &mut r);
    call.network_id()?;
    r.finish()?;
    batch_users(call, ids, |state, n, id| {
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

pub fn batch_toggle_suspend(call: &Call<'_>) -> Result<Value, ApiError> {
    let mut r = Reasons::default();
    let suspend = call.query.opt_bool("suspend", &mut r);
    if call.query.get("suspend").is_none() {
        r.push("suspend", "suspend is required");
    }
    let ids = read_user_ids(call, &mut r);
    call.network_id()?;
    r.finish()?;
    let suspend = suspend.unwrap_or(false);
    batch_users(call, ids, |_, n, id| {
        if let Some(u) = n.users.get_mut(&id) {
            u.suspended = suspend;
            u.modified = now_secs();
        }
        Ok(())
    })
}

pub fn batch_lookup_uname(call: &Call<'_>) -> Result<Value, ApiError> {
    let body = Obj::root(&call.body);
    let mut r = Reasons::default();
    let unames = body.req_str_list("unames", &mut r).unwrap_or_default();
    if body.raw("unames").is_some() && unames.is_empty() && r.0.is_empty() {
        r.push("unames", "must contain at least one uname");
    }
    call.network_id()?;
    r.finish()?;
    call.with_network(|_, n| {
        let mut successful = Vec::new();
        let mut failed = Vec::new();
        for uname in unames {
            match n.unames.get(&uname).and_then(|id| n.users.get(id)) {
                Some(u) => successful.push(json!({ "uname": uname, "username": u.username })),
                None => failed.push(json!({
                    "uname": uname, "field": "uname", "reason": "Uname not found"
                })),
            }
        }
        Ok(json!({
            "message": batch_message(successful.len(), failed.len()),
            "successful": successful,
            "failed": failed,
        }))
    })
}

pub fn count(call: &Call<'_>) -> Result<Value, ApiError> {
    call.with_network(|_, n| {
        let pending = n.users.values().filter(|u| u.status == 1).count() as i64;
        let active = n.users.values().filter(|u| u.status == 2).count() as i64;
        let total = pending + active;
        Ok(json!({
            "pending": pending,
            "active": active,
            "rejected": 0,
            "remaining": (TRIAL_USER_LIMIT - total).max(0),
            "total": total,
        }))
    })
}

pub fn batch_reset_devices(call: &Call<'_>) -> Result<Value, ApiError> {
    let body = Obj::root(&call.body);
    let mut r = Reasons::default();
    let app_ids = body.req_str_list("appIds", &mut r).unwrap_or_default();
    if body.raw("appIds").is_some() && app_ids.is_empty() && r.0.is_empty() {
        r.push("appIds", "must contain at least one app id");
    }
    call.network_id()?;
    r.finish()?;
    let id = parse_user_id("userId", call.label(1))?;
    call.with_network(|_, n| {
        let u = n.users.get_mut(&id).ok_or_else(user_not_found)?;
        let mut successful = Vec::new();
        let mut failed = Vec::new();
        for app_id in app_ids {
            match u.devices.iter().position(|d| d.app_id == app_id) {
                Some(i) => {
                    u.devices.remove(i);
                    successful.push(json!({ "appId": app_id }));
                }
                None => failed.push(json!({
                    "appId": app_id, "field": "appId", "reason": "Invalid app ID."
                })),
            }
        }
        Ok(json!({
            "message": batch_message(successful.len(), failed.len()),
            "successful": successful,
            "failed": failed,
        }))
    })
}

pub fn list_devices(call: &Call<'_>) -> Result<Value, ApiError> {
    let mut r = Reasons::default();
    let listing = Listing::read(
        &call.query,
        &["appId", "type", "created", "lastLogin", "statusText"],
        Direction::Asc,
        &mut r,
    );
    call.network_id()?;
    r.finish()?;
    let id = parse_user_id("userId", call.label(1))?;
    call.with_network(|_, n| {
        let u = n.users.get(&id).ok_or_else(user_not_found)?;
        let mut devices: Vec<_> = u.devices.iter().collect();
        devices.sort_by(|a, b| {
            let mut ord = Ordering::Equal;
            for f in &listing.sort_fields {
                ord = ord.then_with(|| match f.as_str() {
                    "type" => a.kind.cmp(&b.kind),
                    "created" => a.created.cmp(&b.created),
                    "lastLogin" => a.last_login.cmp(&b.last_login),
                    "statusText" => a.suspended.cmp(&b.suspended),
                    _ => a.app_id.cmp(&b.app_id),
                });
            }
            let ord = ord.then(a.app_id.cmp(&b.app_id));
            if listing.direction == Direction::Desc {
                ord.reverse()
            } else {
                ord
            }
        });
        let (page, next) = listing.page(devices);
        let devices: Vec<Value> = page
            .into_iter()
            .map(|d| {
                json!({
                    "appId": d.app_id,
                    "type": d.kind,
                    "suspend": d.suspended,
                    "statusText": if d.suspended { "Suspended" } else { "Active" },
                    "created": d.created,
                    "lastLogin": d.last_login,
                })
            })
            .collect();
        let mut out = json!({ "devices": devices });
        if let Some(t) = next {
            out["nextToken"] = json!(t);
        }
        Ok(out)
    })
}
