//! Users: reading and rendering batch create, list, get, update, delete, suspend, re-invite,
//! uname lookup and devices.

use super::input::{check_group_id, check_numeric_id, Obj, Reasons};
use super::Call;
use crate::backend::pagination::Direction;
use crate::backend::{
    BatchOutcome, Failure, NewUser, UserChange, UserFilter, DEVICE_SORT_FIELDS, USER_SORT_FIELDS,
};
use crate::error::{echo, ApiError};
use crate::state::{now_secs, Device, User};
use serde::Serialize;
use serde_json::{json, Value};

/// Most users one `BatchCreateUser` call may carry.
pub const MAX_BATCH: usize = 50;

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

/// A batch failure, with the item under `item_key` (`userId`, `uname`, `appId`).
fn failure_json(item_key: &str, f: Failure) -> Value {
    let mut v = json!({ "field": f.field, "reason": f.reason });
    v[item_key] = json!(f.item);
    v
}

/// A batch answer: `successful` entries with the item under `item_key`, then `failed`.
fn batch_json(item_key: &str, outcome: BatchOutcome) -> Value {
    json!({
        "message": batch_message(outcome.successful.len(), outcome.failed.len()),
        "successful": outcome
            .successful
            .into_iter()
            .map(|item| {
                let mut v = json!({});
                v[item_key] = json!(item);
                v
            })
            .collect::<Vec<_>>(),
        "failed": outcome
            .failed
            .into_iter()
            .map(|f| failure_json(item_key, f))
            .collect::<Vec<_>>(),
    })
}

fn read_new_user(o: &Obj<'_>, r: &mut Reasons) -> NewUser {
    let username = o.req_str("username", r);
    let groups = o.req_str_list("securityGroupIds", r);
    if let Some(groups) = &groups {
        for (i, g) in groups.iter().enumerate() {
            check_group_id(&format!("{}[{i}]", o.field("securityGroupIds")), g, r);
        }
    }
    let invite_ttl_days = o.opt_i32("inviteCodeTtl", r);
    if invite_ttl_days.is_some_and(|t| !(1..=365).contains(&t)) {
        r.push(o.field("inviteCodeTtl"), "must be between 1 and 365 days");
    }
    let invite_code = o.opt_str("inviteCode", r);
    if invite_code.as_deref().is_some_and(|c| c.trim().is_empty()) {
        r.push(o.field("inviteCode"), "must not be empty");
    }
    NewUser {
        username: username.unwrap_or_default(),
        first_name: o.opt_str("firstName", r),
        last_name: o.opt_str("lastName", r),
        groups: groups.unwrap_or_default(),
        invite_code,
        invite_ttl_days,
        code_validation: o.opt_bool("codeValidation", r),
    }
}

/// `BatchCreateUser`, encoded straight to bytes (it is the hot path).
pub fn batch_create(call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
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
    let network_id = call.network_id()?;
    r.finish()?;
    let result = call.backend.batch_create_users(network_id, users)?;
    let now = now_secs();
    let out = BatchCreateOut {
        message: batch_message(result.created.len(), result.failed.len()),
        successful: result
            .created
            .iter()
            .map(|u| UserOut::new(u, now))
            .collect(),
        failed: result
            .failed
            .into_iter()
            .map(|f| failure_json("userId", f))
            .collect(),
    };
    serde_json::to_vec(&out)
        .map_err(|e| ApiError::Internal(format!("cannot encode the answer: {e}")))
}

pub fn list(call: &Call<'_>) -> Result<Value, ApiError> {
    let q = &call.query;
    let mut r = Reasons::default();
    let request = call.page_request(USER_SORT_FIELDS, Direction::Desc, &mut r);
    let status = q.opt_i64("status", &mut r);
    if status.is_some_and(|s| s != 1 && s != 2) {
        r.push("status", "must be 1 (pending) or 2 (active)");
    }
    let filter = UserFilter {
        first_name: q.opt_str("firstName"),
        last_name: q.opt_str("lastName"),
        username: q.opt_str("username"),
        status,
        group_id: q.opt_str("groupId"),
    };
    let network_id = call.network_id()?;
    r.finish()?;
    let page = call.backend.list_users(network_id, &filter, &request)?;
    Ok(call.page_answer("users", page, |u| user_json(&u)))
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
    let network_id = call.network_id()?;
    r.finish()?;
    let id = parse_user_id("userId", call.label("userId"))?;
    let u = call.backend.get_user(network_id, id)?;
    let mut v = json!({
        "userId": u.id.to_string(),
        "username": u.username,
        "isAdmin": u.is_admin,
        "suspended": u.suspended,
        "status": u.status,
        "securityGroupIds": u.security_groups,
    });
    if let Some(f) = u.first_name {
        v["firstName"] = json!(f);
    }
    if let Some(l) = u.last_name {
        v["lastName"] = json!(l);
    }
    if let Some(t) = u.last_login {
        v["lastLogin"] = json!(t);
        v["lastActivity"] = json!(t);
    }
    Ok(v)
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

fn read_user_change(d: &Obj<'_>, r: &mut Reasons) -> UserChange {
    for key in d.keys() {
        if !UPDATE_USER_DETAILS_MEMBERS.contains(&key.as_str()) {
            r.push(
                d.field(key),
                format!(
                    "`{}` is not a member of UpdateUserDetails (expected one of: {})",
                    echo(key),
                    UPDATE_USER_DETAILS_MEMBERS.join(", ")
                ),
            );
        }
    }
    let first_name = d.opt_str("firstName", r);
    let last_name = d.opt_str("lastName", r);
    let username = d.opt_str("username", r);
    if username.as_deref().is_some_and(|u| u.trim().is_empty()) {
        r.push(d.field("username"), "must not be empty");
    }
    let groups = d.opt_str_list("securityGroupIds", r);
    if let Some(g) = &groups {
        if g.len() != 1 {
            r.push(
                d.field("securityGroupIds"),
                "A user can only be assigned to a single security group",
            );
        }
        for (i, id) in g.iter().enumerate() {
            check_group_id(&format!("{}[{i}]", d.field("securityGroupIds")), id, r);
        }
    }
    let invite_code = d.opt_str("inviteCode", r);
    if invite_code.as_deref().is_some_and(|c| c.trim().is_empty()) {
        r.push(d.field("inviteCode"), "must not be empty");
    }
    let invite_ttl_days = d.opt_i32("inviteCodeTtl", r);
    if invite_ttl_days.is_some_and(|t| !(1..=365).contains(&t)) {
        r.push(d.field("inviteCodeTtl"), "must be between 1 and 365 days");
    }
    UserChange {
        first_name,
        last_name,
        username,
        groups,
        invite_code,
        invite_ttl_days,
        code_validation: d.opt_bool("codeValidation", r),
    }
}

pub fn update(call: &Call<'_>) -> Result<Value, ApiError> {
    let body = Obj::root(&call.body);
    let mut r = Reasons::default();
    let user_id = body.req_str("userId", &mut r);
    if let Some(id) = &user_id {
        check_numeric_id("userId", id, &mut r);
    }
    let change = body
        .opt_obj("userDetails", &mut r)
        .map(|d| read_user_change(&d, &mut r))
        .unwrap_or_default();
    let network_id = call.network_id()?;
    r.finish()?;
    let id = parse_user_id("userId", user_id.as_deref().unwrap_or(""))?;
    let u = call.backend.update_user(network_id, id, change)?;
    let mut out = json!({
        "userId": u.id.to_string(),
        "networkId": network_id,
        "securityGroupIds": u.security_groups,
        "suspended": u.suspended,
        "modified": u.modified,
        "status": u.status,
        "inviteCode": u.invite_code,
        "inviteExpiration": u.invite_expiration,
        "codeValidation": u.code_validation,
    });
    if let Some(f) = u.first_name {
        out["firstName"] = json!(f);
    }
    if let Some(l) = u.last_name {
        out["lastName"] = json!(l);
    }
    Ok(out)
}

/// A required, non-empty list of strings `name`.
fn read_id_list(call: &Call<'_>, name: &str, what: &str, r: &mut Reasons) -> Vec<String> {
    let body = Obj::root(&call.body);
    let ids = body.req_str_list(name, r).unwrap_or_default();
    if body.raw(name).is_some() && ids.is_empty() && r.0.is_empty() {
        r.push(name, format!("must contain at least one {what}"));
    }
    ids
}

fn read_user_ids(call: &Call<'_>, r: &mut Reasons) -> Vec<String> {
    let ids = read_id_list(call, "userIds", "user id", r);
    for (i, id) in ids.iter().enumerate() {
        check_numeric_id(&format!("userIds[{i}]"), id, r);
    }
    ids
}

pub fn batch_delete(call: &Call<'_>) -> Result<Value, ApiError> {
    let mut r = Reasons::default();
    let ids = read_user_ids(call, &mut r);
    let network_id = call.network_id()?;
    r.finish()?;
    let outcome = call.backend.batch_delete_users(network_id, ids)?;
    Ok(batch_json("userId", outcome))
}

pub fn batch_reinvite(call: &Call<'_>) -> Result<Value, ApiError> {
    let mut r = Reasons::default();
    let ids = read_user_ids(call, &mut r);
    let network_id = call.network_id()?;
    r.finish()?;
    let outcome = call.backend.batch_reinvite_users(network_id, ids)?;
    Ok(batch_json("userId", outcome))
}

pub fn batch_toggle_suspend(call: &Call<'_>) -> Result<Value, ApiError> {
    let mut r = Reasons::default();
    let suspend = call.query.opt_bool("suspend", &mut r);
    if call.query.get("suspend").is_none() {
        r.push("suspend", "suspend is required");
    }
    let ids = read_user_ids(call, &mut r);
    let network_id = call.network_id()?;
    r.finish()?;
    let outcome = call
        .backend
        .batch_set_suspended(network_id, ids, suspend.unwrap_or(false))?;
    Ok(batch_json("userId", outcome))
}

pub fn batch_lookup_uname(call: &Call<'_>) -> Result<Value, ApiError> {
    let mut r = Reasons::default();
    let unames = read_id_list(call, "unames", "uname", &mut r);
    let network_id = call.network_id()?;
    r.finish()?;
    let lookup = call.backend.lookup_unames(network_id, unames)?;
    Ok(json!({
        "message": batch_message(lookup.found.len(), lookup.failed.len()),
        "successful": lookup
            .found
            .into_iter()
            .map(|(uname, username)| json!({ "uname": uname, "username": username }))
            .collect::<Vec<_>>(),
        "failed": lookup
            .failed
            .into_iter()
            .map(|f| failure_json("uname", f))
            .collect::<Vec<_>>(),
    }))
}

pub fn count(call: &Call<'_>) -> Result<Value, ApiError> {
    let c = call.backend.count_users(call.network_id()?)?;
    Ok(json!({
        "pending": c.pending,
        "active": c.active,
        "rejected": 0,
        "remaining": c.remaining,
        "total": c.pending + c.active,
    }))
}

pub fn batch_reset_devices(call: &Call<'_>) -> Result<Value, ApiError> {
    let mut r = Reasons::default();
    let app_ids = read_id_list(call, "appIds", "app id", &mut r);
    // The service documents at most 50 devices per batch request.
    if app_ids.len() > MAX_BATCH {
        r.push(
            "appIds",
            format!(
                "must contain at most {MAX_BATCH} app ids (got {})",
                app_ids.len()
            ),
        );
    }
    let network_id = call.network_id()?;
    r.finish()?;
    let id = parse_user_id("userId", call.label("userId"))?;
    let outcome = call.backend.reset_devices(network_id, id, app_ids)?;
    Ok(batch_json("appId", outcome))
}

fn device_json(d: Device) -> Value {
    json!({
        "appId": d.app_id,
        "type": d.kind,
        "suspend": d.suspended,
        "statusText": if d.suspended { "Suspended" } else { "Active" },
        "created": d.created,
        "lastLogin": d.last_login,
    })
}

pub fn list_devices(call: &Call<'_>) -> Result<Value, ApiError> {
    let mut r = Reasons::default();
    let request = call.page_request(DEVICE_SORT_FIELDS, Direction::Asc, &mut r);
    let network_id = call.network_id()?;
    r.finish()?;
    let id = parse_user_id("userId", call.label("userId"))?;
    let page = call.backend.list_devices(network_id, id, &request)?;
    Ok(call.page_answer("devices", page, device_json))
}
