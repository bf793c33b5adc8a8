//! Bots.

use super::input::{check_numeric_id, Direction, Listing, Obj, Reasons};
use super::Call;
use crate::error::ApiError;
use crate::state::{Bot, Network};
use serde_json::{json, Value};
use std::cmp::Ordering;

fn bot_json(b: &Bot) -> Value {
    let mut v = json!({
        "botId": b.id.to_string(),
        "username": b.username,
        "uname": b.uname,
        "pubkey": b.pubkey,
        "status": b.status,
        "groupId": b.group_id,
        "hasChallenge": b.has_challenge,
        "suspended": b.suspended,
    });
    if let Some(d) = &b.display_name {
        v["displayName"] = json!(d);
    }
    v
}

fn check_bot_username(name: &str, r: &mut Reasons) {
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if !ok_chars || !name.ends_with("bot") {
        r.push(
            "username",
            "Invalid username format: use letters, digits, '_', '.' or '-' and end in 'bot'",
        );
    }
}

fn bot_not_found() -> ApiError {
    ApiError::NotFound("Bot not found".to_owned())
}

fn bot_id(call: &Call<'_>) -> Result<u64, ApiError> {
    let raw = call.label(1);
    let mut r = Reasons::default();
    check_numeric_id("botId", raw, &mut r);
    r.finish()?;
    raw.parse()
        .map_err(|_| ApiError::invalid("botId", "must be 1 to 10 digits"))
}

fn check_group(n: &Network, group: &str) -> Result<(), ApiError> {
    if n.groups.contains_key(group) {
        Ok(())
    } else {
        Err(ApiError::invalid(
            "groupId",
            format!("security group {group} not found"),
        ))
    }
}

pub fn create(call: &Call<'_>) -> Result<Value, ApiError> {
    let body = Obj::root(&call.body);
    let mut r = Reasons::default();
    let username = body.req_str("username", &mut r);
    if let Some(u) = &username {
        check_bot_username(u, &mut r);
    }
    let display_name = body.opt_str("displayName", &mut r);
    let group = body.req_str("groupId", &mut r);
    let challenge = body.req_str("challenge", &mut r);
    let nid = call.network_id()?.to_owned();
    r.finish()?;
    let (Some(username), Some(group), Some(_)) = (username, group, challenge) else {
        return Err(ApiError::invalid("username", "username is required"));
    };
    call.with_network(|state, n| {
        if n.username_taken(&username) {
            return Err(ApiError::invalid("username", "username is unavailable"));
        }
        check_group(n, &group)?;
        let id = state.new_bot_id();
        let bot = Bot {
            id,
            username: username.clone(),
            display_name: display_name.clone(),
            group_id: group.clone(),
            has_challenge: true,
            suspended: false,
            status: 1,
            uname: state.new_uname(),
            pubkey: state.new_hex64(),
        };
        n.bots.insert(id, bot);
        let mut out = json!({
            "message": "Bot created successfully",
            "botId": id.to_string(),
            "networkId": nid,
            "username": username,
            "groupId": group,
        });
        if let Some(d) = display_name {
            out["displayName"] = json!(d);
        }
        Ok(out)
    })
}

pub fn list(call: &Call<'_>) -> Result<Value, ApiError> {
    let q = &call.query;
    let mut r = Reasons::default();
    let listing = Listing::read(
        q,
        &["username", "displayName", "status", "groupId"],
        Direction::Asc,
        &mut r,
    );
    let status = q.opt_i64("status", &mut r);
    if status.is_some_and(|s| s != 1 && s != 2) {
        r.push("status", "must be 1 (pending) or 2 (active)");
    }
    let (display, username, group) = (
        q.opt_str("displayName"),
        q.opt_str("username"),
        q.opt_str("groupId"),
    );
    call.network_id()?;
    r.finish()?;
    call.with_network(|_, n| {
        let contains = |v: Option<&str>, f: &Option<String>| {
            f.as_ref()
                .is_none_or(|f| v.is_some_and(|v| v.to_lowercase().contains(&f.to_lowercase())))
        };
        let mut bots: Vec<&Bot> = n
            .bots
            .values()
            .filter(|b| {
                contains(b.display_name.as_deref(), &display)
                    && contains(Some(&b.username), &username)
                    && status.is_none_or(|s| i64::from(b.status) == s)
                    && group.as_ref().is_none_or(|g| *g == b.group_id)
            })
            .collect();
        bots.sort_by(|a, b| {
            let mut ord = Ordering::Equal;
            for f in &listing.sort_fields {
                ord = ord.then_with(|| match f.as_str() {
                    "username" => a.username.cmp(&b.username),
                    "displayName" => a.display_name.cmp(&b.display_name),
                    "status" => a.status.cmp(&b.status),
                    _ => a.group_id.cmp(&b.group_id),
                });
            }
            let ord = ord.then(a.id.cmp(&b.id));
            if listing.direction == Direction::Desc {
                ord.reverse()
            } else {
                ord
            }
        });
        let (page, next) = listing.page(bots);
        let mut out = json!({ "bots": page.into_iter().map(bot_json).collect::<Vec<_>>() });
        if let Some(t) = next {
            out["nextToken"] = json!(t);
        }
        Ok(out)
    })
}

pub fn count(call: &Call<'_>) -> Result<Value, ApiError> {
    call.with_network(|_, n| {
        let pending = n.bots.values().filter(|b| b.status == 1).count();
        let active = n.bots.values().filter(|b| b.status == 2).count();
        Ok(json!({ "pending": pending, "active": active, "total": pending + active }))
    })
}

pub fn get(call: &Call<'_>) -> Result<Value, ApiError> {
    call.network_id()?;
    let id = bot_id(call)?;
    call.with_network(|_, n| n.bots.get(&id).map(bot_json).ok_or_else(bot_not_found))
}

pub fn update(call: &Call<'_>) -> Result<Value, ApiError> {
    let body = Obj::root(&call.body);
    let mut r = Reasons::default();
    let display = body.opt_str("displayName", &mut r);
    let group = body.opt_str("groupId", &mut r);
    let challenge = body.opt_str("challenge", &mut r);
    let suspend = body.opt_bool("suspend", &mut r);
    call.network_id()?;
    r.finish()?;
    let id = bot_id(call)?;
    call.with_network(|_, n| {
        if !n.bots.contains_key(&id) {
            return Err(bot_not_found());
        }
        if let Some(g) = &group {
            check_group(n, g)?;
        }
        let b = n.bots.get_mut(&id).ok_or_else(bot_not_found)?;
        if display.is_some() {
            b.display_name = display;
        }
        if let Some(g) = group {
            b.group_id = g;
        }
        if challenge.is_some() {
            b.has_challenge = true;
        }
        if let Some(s) = suspend {
            b.suspended = s;
        }
        Ok(json!({ "message": "Bot updated successfully" }))
    })
}

pub fn delete(call: &Call<'_>) -> Result<Value, ApiError> {
    call.network_id()?;
    let id = bot_id(call)?;
    call.with_network(|_, n| match n.bots.remove(&id) {
        Some(_) => Ok(json!({ "message": "Bot deleted successfully" })),
        None => Err(bot_not_found()),
    })
}
