//! Bots: reading and rendering.

use super::input::{check_numeric_id, Obj, Reasons};
use super::Call;
use crate::backend::pagination::Direction;
use crate::backend::{BotChange, BotFilter, NewBot, BOT_SORT_FIELDS};
use crate::error::ApiError;
use crate::state::Bot;
use serde_json::{json, Value};

fn bot_json(b: Bot) -> Value {
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
    if let Some(d) = b.display_name {
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

fn bot_id(call: &Call<'_>) -> Result<u64, ApiError> {
    let raw = call.label("botId");
    let mut r = Reasons::default();
    check_numeric_id("botId", raw, &mut r);
    r.finish()?;
    raw.parse()
        .map_err(|_| ApiError::invalid("botId", "must be 1 to 10 digits"))
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
    let network_id = call.network_id()?;
    r.finish()?;
    let (Some(username), Some(group_id), Some(_)) = (username, group, challenge) else {
        return Err(ApiError::invalid("username", "username is required"));
    };
    let bot = call.backend.create_bot(
        network_id,
        NewBot {
            username,
            display_name,
            group_id,
        },
    )?;
    let mut out = json!({
        "message": "Bot created successfully",
        "botId": bot.id.to_string(),
        "networkId": network_id,
        "username": bot.username,
        "groupId": bot.group_id,
    });
    if let Some(d) = bot.display_name {
        out["displayName"] = json!(d);
    }
    Ok(out)
}

pub fn list(call: &Call<'_>) -> Result<Value, ApiError> {
    let q = &call.query;
    let mut r = Reasons::default();
    let request = call.page_request(BOT_SORT_FIELDS, Direction::Asc, &mut r);
    let status = q.opt_i64("status", &mut r);
    if status.is_some_and(|s| s != 1 && s != 2) {
        r.push("status", "must be 1 (pending) or 2 (active)");
    }
    let filter = BotFilter {
        display_name: q.opt_str("displayName"),
        username: q.opt_str("username"),
        status,
        group_id: q.opt_str("groupId"),
    };
    let network_id = call.network_id()?;
    r.finish()?;
    let page = call.backend.list_bots(network_id, &filter, &request)?;
    Ok(call.page_answer("bots", page, bot_json))
}

pub fn count(call: &Call<'_>) -> Result<Value, ApiError> {
    let counts = call.backend.count_bots(call.network_id()?)?;
    Ok(json!({
        "pending": counts.pending,
        "active": counts.active,
        "total": counts.pending + counts.active,
    }))
}

pub fn get(call: &Call<'_>) -> Result<Value, ApiError> {
    let network_id = call.network_id()?;
    let id = bot_id(call)?;
    call.backend.get_bot(network_id, id).map(bot_json)
}

pub fn update(call: &Call<'_>) -> Result<Value, ApiError> {
    let body = Obj::root(&call.body);
    let mut r = Reasons::default();
    let display_name = body.opt_str("displayName", &mut r);
    let group_id = body.opt_str("groupId", &mut r);
    let challenge = body.opt_str("challenge", &mut r);
    let suspend = body.opt_bool("suspend", &mut r);
    let network_id = call.network_id()?;
    r.finish()?;
    let id = bot_id(call)?;
    call.backend.update_bot(
        network_id,
        id,
        BotChange {
            display_name,
            group_id,
            challenge: challenge.is_some(),
            suspend,
        },
    )?;
    Ok(json!({ "message": "Bot updated successfully" }))
}

pub fn delete(call: &Call<'_>) -> Result<Value, ApiError> {
    let network_id = call.network_id()?;
    let id = bot_id(call)?;
    call.backend.delete_bot(network_id, id)?;
    Ok(json!({ "message": "Bot deleted successfully" }))
}
