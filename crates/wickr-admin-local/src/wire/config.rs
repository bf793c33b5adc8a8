//! Network-level configuration: data retention bot, guest users, OIDC and OpenTDF.

use super::input::{Direction, Listing, Obj, Reasons};
use super::Call;
use crate::error::ApiError;
use crate::state::{now_secs, BlockedGuest};
use serde_json::{json, Map, Value};
use std::cmp::Ordering;

pub fn create_retention_bot(call: &Call<'_>) -> Result<Value, ApiError> {
    call.with_network(|_, n| {
        if n.data_retention.exists {
            return Err(ApiError::BadRequest(
                "the data retention bot already exists".to_owned(),
            ));
        }
        n.data_retention.exists = true;
        Ok(json!({ "message": "Data retention bot created successfully" }))
    })
}

pub fn delete_retention_bot(call: &Call<'_>) -> Result<Value, ApiError> {
    call.with_network(|_, n| {
        if !n.data_retention.exists {
            return Err(ApiError::NotFound(
                "Data retention bot not found".to_owned(),
            ));
        }
        n.data_retention = Default::default();
        n.settings.data_retention = false;
        Ok(json!({ "message": "Data retention bot deleted successfully" }))
    })
}

pub fn get_retention_bot(call: &Call<'_>) -> Result<Value, ApiError> {
    call.with_network(|_, n| {
        let d = &n.data_retention;
        Ok(json!({
            "botName": format!("compliance_{}_bot", n.id),
            "botExists": d.exists,
            "isBotActive": d.exists && d.registered,
            "isDataRetentionBotRegistered": d.registered,
            "isDataRetentionServiceEnabled": d.enabled,
            "isPubkeyMsgAcked": d.pubkey_acked,
        }))
    })
}

pub fn update_retention(call: &Call<'_>) -> Result<Value, ApiError> {
    let body = Obj::root(&call.body);
    let mut r = Reasons::default();
    let action = body.req_str("actionType", &mut r);
    if let Some(a) = &action {
        if !["ENABLE", "DISABLE", "PUBKEY_MSG_ACK"].contains(&a.as_str()) {
            r.push("actionType", "must be ENABLE, DISABLE or PUBKEY_MSG_ACK");
        }
    }
    call.network_id()?;
    r.finish()?;
    let action = action.unwrap_or_default();
    call.with_network(|_, n| {
        if !n.data_retention.exists {
            return Err(ApiError::BadRequest(
                "the data retention bot does not exist".to_owned(),
            ));
        }
        match action.as_str() {
            "ENABLE" => {
                n.data_retention.enabled = true;
                n.settings.data_retention = true;
            }
            "DISABLE" => {
                n.data_retention.enabled = false;
                n.settings.data_retention = false;
            }
            _ => n.data_retention.pubkey_acked = true,
        }
        Ok(json!({ "message": "Data retention updated successfully" }))
    })
}

pub fn retention_challenge(call: &Call<'_>) -> Result<Value, ApiError> {
    call.with_network(|state, n| {
        if !n.data_retention.exists {
            return Err(ApiError::BadRequest(
                "the data retention bot does not exist".to_owned(),
            ));
        }
        n.data_retention.registered = true;
        Ok(json!({ "challenge": state.new_hex64() }))
    })
}

fn paged(key: &str, items: Vec<Value>, listing: &Listing) -> Value {
    let (page, next) = listing.page(items);
    let mut out = Map::new();
    out.insert(key.to_owned(), Value::Array(page));
    if let Some(t) = next {
        out.insert("nextToken".to_owned(), json!(t));
    }
    Value::Object(out)
}

fn sort_values(items: &mut [Value], listing: &Listing, tie: &str) {
    items.sort_by(|a, b| {
        let mut ord = Ordering::Equal;
        for f in listing.sort_fields.iter().map(String::as_str).chain([tie]) {
            ord = ord.then_with(|| a[f].as_str().cmp(&b[f].as_str()));
        }
        if listing.direction == Direction::Desc {
            ord.reverse()
        } else {
            ord
        }
    });
}

pub fn list_guests(call: &Call<'_>) -> Result<Value, ApiError> {
    let mut r = Reasons::default();
    let listing = Listing::read(
        &call.query,
        &["username", "billingPeriod"],
        Direction::Desc,
        &mut r,
    );
    let username = call.query.opt_str("username");
    let period = call.query.opt_str("billingPeriod");
    call.network_id()?;
    r.finish()?;
    call.with_network(|_, n| {
        let mut items: Vec<Value> = n
            .guests
            .iter()
            .filter(|g| {
                username
                    .as_ref()
                    .is_none_or(|u| g.username.contains(u.as_str()))
            })
            .filter(|g| period.as_ref().is_none_or(|p| g.billing_period == *p))
            .map(|g| {
                json!({
                    "billingPeriod": g.billing_period,
                    "username": g.username,
                    "usernameHash": g.username_hash,
                })
            })
            .collect();
        sort_values(&mut items, &listing, "usernameHash");
        Ok(paged("guestlist", items, &listing))
    })
}

pub fn list_blocked_guests(call: &Call<'_>) -> Result<Value, ApiError> {
    let mut r = Reasons::default();
    let listing = Listing::read(
        &call.query,
        &["username", "admin", "modified"],
        Direction::Desc,
        &mut r,
    );
    let username = call.query.opt_str("username");
    let admin = call.query.opt_str("admin");
    call.network_id()?;
    r.finish()?;
    call.with_network(|_, n| {
        let mut items: Vec<Value> = n
            .blocked
            .values()
            .filter(|b| {
                username
                    .as_ref()
                    .is_none_or(|u| b.username.contains(u.as_str()))
            })
            .filter(|b| admin.as_ref().is_none_or(|a| b.admin == *a))
            .map(|b| {
                json!({
                    "username": b.username,
                    "admin": b.admin,
                    "modified": b.modified,
                    "usernameHash": b.username_hash,
                })
            })
            .collect();
        sort_values(&mut items, &listing, "usernameHash");
        Ok(paged("blocklist", items, &listing))
    })
}

pub fn guest_history(call: &Call<'_>) -> Result<Value, ApiError> {
    call.with_network(|_, n| {
        let history: Vec<Value> = n
            .guest_history
            .iter()
            .map(|(month, count)| json!({ "month": month, "count": count.to_string() }))
            .collect();
        Ok(json!({ "history": history }))
    })
}

pub fn update_guest(call: &Call<'_>) -> Result<Value, ApiError> {
    let body = Obj::root(&call.body);
    let mut r = Reasons::default();
    let block = body.req_bool("block", &mut r);
    call.network_id()?;
    r.finish()?;
    let hash = call.label(1).to_owned();
    call.with_network(|_, n| {
        if block == Some(true) {
            let guest = n
                .guests
                .iter()
                .find(|g| g.username_hash == hash)
                .ok_or_else(|| ApiError::NotFound("Guest user not found".to_owned()))?;
            let entry = BlockedGuest {
                username: guest.username.clone(),
                username_hash: hash.clone(),
                admin: "admin".to_owned(),
                modified: now_secs().to_string(),
            };
            n.blocked.insert(hash, entry);
            Ok(json!({ "message": "Guest user blocked" }))
        } else {
            n.blocked
                .remove(&hash)
                .ok_or_else(|| ApiError::NotFound("Guest user is not blocked".to_owned()))?;
            Ok(json!({ "message": "Guest user unblocked" }))
        }
    })
}

fn check_issuer(issuer: &str) -> Result<(), ApiError> {
    if issuer.trim().is_empty() {
        return Err(ApiError::BadRequest(
            "issuer is a required field".to_owned(),
        ));
    }
    if !issuer.starts_with("https://") || issuer.len() <= "https://".len() {
        return Err(ApiError::BadRequest(
            "issuer contains an invalid endpoint".to_owned(),
        ));
    }
    Ok(())
}

pub fn get_oidc(call: &Call<'_>) -> Result<Value, ApiError> {
    let code = call.query.opt_str("code");
    call.with_network(|state, n| {
        let info = match &n.oidc {
            Some(cfg) => Value::Object(cfg.clone()),
            None => json!({ "companyId": "", "issuer": "", "scopes": "" }),
        };
        let mut out = json!({ "openidConnectInfo": info });
        if code.is_some() {
            out["tokenInfo"] = json!({
                "accessToken": state.new_hex64(),
                "idToken": state.new_hex64(),
                "refreshToken": state.new_hex64(),
                "tokenType": "Bearer",
                "expiresIn": 3600,
            });
        }
        Ok(out)
    })
}

pub fn register_oidc(call: &Call<'_>) -> Result<Value, ApiError> {
    let body = Obj::root(&call.body);
    let mut r = Reasons::default();
    let company = body.req_str("companyId", &mut r);
    let issuer = body.req_str("issuer", &mut r);
    let scopes = body.req_str("scopes", &mut r);
    let custom = body.opt_str("customUsername", &mut r);
    let extra = body.opt_str("extraAuthParams", &mut r);
    let secret = body.opt_str("secret", &mut r);
    let buffer = body.opt_i32("ssoTokenBufferMinutes", &mut r);
    let user_id = body.opt_str("userId", &mut r);
    call.network_id()?;
    r.finish()?;
    check_issuer(issuer.as_deref().unwrap_or(""))?;
    call.with_network(|state, n| {
        let mut cfg = Map::new();
        cfg.insert("companyId".into(), json!(company));
        cfg.insert("issuer".into(), json!(issuer));
        cfg.insert("scopes".into(), json!(scopes));
        cfg.insert("applicationName".into(), json!(format!("wickr-{}", n.id)));
        cfg.insert("applicationId".into(), json!(1));
        cfg.insert(
            "clientId".into(),
            json!(state.random_text(b"abcdef0123456789", 20)),
        );
        cfg.insert(
            "redirectUrl".into(),
            json!(format!(
                "https://messaging-pro-prod.wickr.com/deeplink/oidc.php?network={}",
                n.id
            )),
        );
        for (k, v) in [
            ("customUsername", custom),
            ("extraAuthParams", extra),
            ("secret", secret),
            ("userId", user_id),
        ] {
            if let Some(v) = v {
                cfg.insert(k.into(), json!(v));
            }
        }
        if let Some(b) = buffer {
            cfg.insert("ssoTokenBufferMinutes".into(), json!(b));
        }
        n.oidc = Some(cfg.clone());
        Ok(Value::Object(cfg))
    })
}

pub fn test_oidc(call: &Call<'_>) -> Result<Value, ApiError> {
    let body = Obj::root(&call.body);
    let mut r = Reasons::default();
    let issuer = body.opt_str("issuer", &mut r).unwrap_or_default();
    let scopes = body.opt_str("scopes", &mut r);
    body.opt_str("extraAuthParams", &mut r);
    body.opt_str("certificate", &mut r);
    call.network_id()?;
    r.finish()?;
    check_issuer(&issuer)?;
    if scopes.as_deref().is_none_or(|s| s.trim().is_empty()) {
        return Err(ApiError::BadRequest(
            "scopes is a required field".to_owned(),
        ));
    }
    call.with_network(|_, _| {
        let base = issuer.trim_end_matches('/');
        Ok(json!({
            "issuer": issuer,
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
    })
}

pub fn get_tdf(call: &Call<'_>) -> Result<Value, ApiError> {
    call.with_network(|_, n| {
        n.tdf
            .clone()
            .map(Value::Object)
            .ok_or_else(|| ApiError::NotFound("OpenTDF configuration not found".to_owned()))
    })
}

pub fn register_tdf(call: &Call<'_>) -> Result<Value, ApiError> {
    let body = Obj::root(&call.body);
    let mut r = Reasons::default();
    let mut cfg = Map::new();
    for key in ["clientId", "clientSecret", "domain", "provider"] {
        if let Some(v) = body.req_str(key, &mut r) {
            cfg.insert(key.to_owned(), json!(v));
        }
    }
    let dry_run = call.query.opt_bool("dryRun", &mut r).unwrap_or(false);
    call.network_id()?;
    r.finish()?;
    call.with_network(|_, n| {
        if !dry_run {
            n.tdf = Some(cfg.clone());
        }
        Ok(Value::Object(cfg))
    })
}
