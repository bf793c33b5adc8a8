//! Network-level configuration (data retention bot, guest users, OIDC, OpenTDF): reading and
//! rendering.

use super::input::{Obj, Reasons};
use super::Call;
use crate::backend::pagination::Direction;
use crate::backend::{OidcConfig, RetentionAction, BLOCKED_GUEST_SORT_FIELDS, GUEST_SORT_FIELDS};
use crate::error::ApiError;
use serde_json::{json, Map, Value};

pub fn create_retention_bot(call: &Call<'_>) -> Result<Value, ApiError> {
    call.backend.create_retention_bot(call.network_id()?)?;
    Ok(json!({ "message": "Data retention bot created successfully" }))
}

pub fn delete_retention_bot(call: &Call<'_>) -> Result<Value, ApiError> {
    call.backend.delete_retention_bot(call.network_id()?)?;
    Ok(json!({ "message": "Data retention bot deleted successfully" }))
}

pub fn get_retention_bot(call: &Call<'_>) -> Result<Value, ApiError> {
    let d = call.backend.retention_bot(call.network_id()?)?;
    Ok(json!({
        "botName": d.bot_name,
        "botExists": d.exists,
        "isBotActive": d.exists && d.registered,
        "isDataRetentionBotRegistered": d.registered,
        "isDataRetentionServiceEnabled": d.enabled,
        "isPubkeyMsgAcked": d.pubkey_acked,
    }))
}

pub fn update_retention(call: &Call<'_>) -> Result<Value, ApiError> {
    let body = Obj::root(&call.body);
    let mut r = Reasons::default();
    let action = match body.req_str("actionType", &mut r).as_deref() {
        Some("ENABLE") => Some(RetentionAction::Enable),
        Some("DISABLE") => Some(RetentionAction::Disable),
        Some("PUBKEY_MSG_ACK") => Some(RetentionAction::PubkeyMsgAck),
        Some(_) => {
            r.push("actionType", "must be ENABLE, DISABLE or PUBKEY_MSG_ACK");
            None
        }
        None => None,
    };
    let network_id = call.network_id()?;
    r.finish()?;
    let Some(action) = action else {
        return Err(ApiError::invalid("actionType", "actionType is required"));
    };
    call.backend.update_retention(network_id, action)?;
    Ok(json!({ "message": "Data retention updated successfully" }))
}

pub fn retention_challenge(call: &Call<'_>) -> Result<Value, ApiError> {
    let challenge = call.backend.retention_challenge(call.network_id()?)?;
    Ok(json!({ "challenge": challenge }))
}

pub fn list_guests(call: &Call<'_>) -> Result<Value, ApiError> {
    let mut r = Reasons::default();
    let request = call.page_request(GUEST_SORT_FIELDS, Direction::Desc, &mut r);
    let network_id = call.network_id()?;
    r.finish()?;
    let page = call.backend.list_guests(
        network_id,
        call.query.get("username"),
        call.query.get("billingPeriod"),
        &request,
    )?;
    Ok(call.page_answer("guestlist", page, |g| {
        json!({
            "billingPeriod": g.billing_period,
            "username": g.username,
            "usernameHash": g.username_hash,
        })
    }))
}

pub fn list_blocked_guests(call: &Call<'_>) -> Result<Value, ApiError> {
    let mut r = Reasons::default();
    let request = call.page_request(BLOCKED_GUEST_SORT_FIELDS, Direction::Desc, &mut r);
    let network_id = call.network_id()?;
    r.finish()?;
    let page = call.backend.list_blocked_guests(
        network_id,
        call.query.get("username"),
        call.query.get("admin"),
        &request,
    )?;
    Ok(call.page_answer("blocklist", page, |b| {
        json!({
            "username": b.username,
            "admin": b.admin,
            "modified": b.modified,
            "usernameHash": b.username_hash,
        })
    }))
}

pub fn guest_history(call: &Call<'_>) -> Result<Value, ApiError> {
    let history: Vec<Value> = call
        .backend
        .guest_history(call.network_id()?)?
        .into_iter()
        .map(|(month, count)| json!({ "month": month, "count": count.to_string() }))
        .collect();
    Ok(json!({ "history": history }))
}

pub fn update_guest(call: &Call<'_>) -> Result<Value, ApiError> {
    let body = Obj::root(&call.body);
    let mut r = Reasons::default();
    let block = body.req_bool("block", &mut r);
    let network_id = call.network_id()?;
    r.finish()?;
    let block = block == Some(true);
    call.backend
        .set_guest_blocked(network_id, call.label("usernameHash"), block)?;
    Ok(json!({
        "message": if block { "Guest user blocked" } else { "Guest user unblocked" }
    }))
}

pub fn get_oidc(call: &Call<'_>) -> Result<Value, ApiError> {
    let network_id = call.network_id()?;
    let info = match call.backend.oidc_config(network_id)? {
        Some(cfg) => Value::Object(cfg),
        None => json!({ "companyId": "", "issuer": "", "scopes": "" }),
    };
    let mut out = json!({ "openidConnectInfo": info });
    if call.query.get("code").is_some() {
        let [access, id, refresh] = call.backend.issue_oidc_tokens(network_id)?;
        out["tokenInfo"] = json!({
            "accessToken": access,
            "idToken": id,
            "refreshToken": refresh,
            "tokenType": "Bearer",
            "expiresIn": 3600,
        });
    }
    Ok(out)
}

pub fn register_oidc(call: &Call<'_>) -> Result<Value, ApiError> {
    let body = Obj::root(&call.body);
    let mut r = Reasons::default();
    let config = OidcConfig {
        company_id: body.req_str("companyId", &mut r).unwrap_or_default(),
        issuer: body.req_str("issuer", &mut r).unwrap_or_default(),
        scopes: body.req_str("scopes", &mut r).unwrap_or_default(),
        custom_username: body.opt_str("customUsername", &mut r),
        extra_auth_params: body.opt_str("extraAuthParams", &mut r),
        secret: body.opt_str("secret", &mut r),
        sso_token_buffer_minutes: body.opt_i32("ssoTokenBufferMinutes", &mut r),
        user_id: body.opt_str("userId", &mut r),
    };
    let network_id = call.network_id()?;
    r.finish()?;
    call.backend
        .register_oidc(network_id, config)
        .map(Value::Object)
}

pub fn test_oidc(call: &Call<'_>) -> Result<Value, ApiError> {
    let body = Obj::root(&call.body);
    let mut r = Reasons::default();
    let issuer = body.opt_str("issuer", &mut r).unwrap_or_default();
    let scopes = body.opt_str("scopes", &mut r);
    body.opt_str("extraAuthParams", &mut r);
    body.opt_str("certificate", &mut r);
    let network_id = call.network_id()?;
    r.finish()?;
    let found = call
        .backend
        .test_oidc(network_id, &issuer, scopes.as_deref())?;
    let base = &found.base;
    Ok(json!({
        "issuer": found.issuer,
        "authorizationEndpoint": format!("{base}/authorize"),
        "tokenEndpoint": format!("{base}/oauth/token"),
        "userinfoEndpoint": format!("{base}/userinfo"),
        "endSessionEndpoint": format!("{base}/logout"),
        "revocationEndpoint": format!("{base}/oauth/revoke"),
        "responseTypesSupported": ["code"],
        "scopesSupported": ["openid", "profile", "email"],
        "grantTypesSupported": ["authorization_code", "refresh_token"],
        "tokenEndpointAuthMethodsSupported": ["client_secret_basic", "client_secret_post"],
        "microsoftMultiRefreshToken": false,
    }))
}

pub fn get_tdf(call: &Call<'_>) -> Result<Value, ApiError> {
    call.backend
        .tdf_config(call.network_id()?)
        .map(Value::Object)
}

pub fn register_tdf(call: &Call<'_>) -> Result<Value, ApiError> {
    let body = Obj::root(&call.body);
    let mut r = Reasons::default();
    let mut config = Map::new();
    for key in ["clientId", "clientSecret", "domain", "provider"] {
        if let Some(v) = body.req_str(key, &mut r) {
            config.insert(key.to_owned(), json!(v));
        }
    }
    let dry_run = call.query.opt_bool("dryRun", &mut r).unwrap_or(false);
    let network_id = call.network_id()?;
    r.finish()?;
    call.backend
        .register_tdf(network_id, config, dry_run)
        .map(Value::Object)
}
