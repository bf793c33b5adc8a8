//! Networks and network settings.

use super::input::{Direction, Listing, Obj, Reasons};
use super::Call;
use crate::error::ApiError;
use crate::state::{now_secs, Network, ACCOUNT_ID};
use serde_json::{json, Value};
use std::cmp::Ordering;

const ACCESS_LEVELS: [&str; 2] = ["STANDARD", "PREMIUM"];
const FREE_TRIAL_SECS: i64 = 30 * 24 * 60 * 60;

/// The `Network` structure.
pub fn network_json(n: &Network) -> Value {
    let mut v = json!({
        "networkId": n.id,
        "networkName": n.name,
        "accessLevel": n.access_level,
        "awsAccountId": ACCOUNT_ID,
        "networkArn": n.arn(),
        "standing": 1,
        "migrationState": 0,
    });
    if let Some(exp) = &n.free_trial_expiration {
        v["freeTrialExpiration"] = json!(exp);
    }
    if let Some(arn) = &n.encryption_key_arn {
        v["encryptionKeyArn"] = json!(arn);
    }
    v
}

fn check_name(field: &str, name: &str, r: &mut Reasons) {
    let len = name.chars().count();
    if !(1..=20).contains(&len) {
        r.push(field, "Network name must be between 1 and 20 characters");
    }
}

pub fn create(call: &Call<'_>) -> Result<Value, ApiError> {
    let body = Obj::root(&call.body);
    let mut r = Reasons::default();
    let name = body.req_str("networkName", &mut r);
    if let Some(name) = &name {
        check_name("networkName", name, &mut r);
    }
    let access = body.req_str("accessLevel", &mut r);
    if let Some(a) = &access {
        if !ACCESS_LEVELS.contains(&a.as_str()) {
            r.push("accessLevel", "must be STANDARD or PREMIUM");
        }
    }
    let trial = body
        .opt_bool("enablePremiumFreeTrial", &mut r)
        .unwrap_or(false);
    let key_arn = body.opt_str("encryptionKeyArn", &mut r);
    r.finish()?;
    let (Some(name), Some(access)) = (name, access) else {
        return Err(ApiError::invalid("networkName", "networkName is required"));
    };
    let mut state = call.store.lock();
    let id = state.new_network_id();
    let seq = state.next_seq();
    let group = state.new_group_id(None);
    let mut network = Network::new(id.clone(), name, access, seq, group);
    network.encryption_key_arn = key_arn;
    network.preview = call.preview_networks;
    if trial {
        network.free_trial_expiration = Some((now_secs() + FREE_TRIAL_SECS).to_string());
    }
    let out = json!({
        "networkId": network.id,
        "networkName": network.name,
    });
    let mut out = out;
    if let Some(arn) = &network.encryption_key_arn {
        out["encryptionKeyArn"] = json!(arn);
    }
    state.networks.insert(id, network);
    Ok(out)
}

pub fn list(call: &Call<'_>) -> Result<Value, ApiError> {
    let mut r = Reasons::default();
    let listing = Listing::read(
        &call.query,
        &["networkId", "networkName", "accessLevel"],
        Direction::Asc,
        &mut r,
    );
    r.finish()?;
    let state = call.store.lock();
    let mut items: Vec<&Network> = state.networks.values().collect();
    items.sort_by(|a, b| {
        let mut ord = Ordering::Equal;
        for f in &listing.sort_fields {
            ord = ord.then_with(|| match f.as_str() {
                "networkName" => a.name.cmp(&b.name),
                "accessLevel" => a.access_level.cmp(&b.access_level),
                _ => a.id.cmp(&b.id),
            });
        }
        let ord = ord.then(a.created_seq.cmp(&b.created_seq));
        if listing.direction == Direction::Desc {
            ord.reverse()
        } else {
            ord
        }
    });
    let (page, next) = listing.page(items);
    let mut out = json!({ "networks": page.into_iter().map(network_json).collect::<Vec<_>>() });
    if let Some(t) = next {
        out["nextToken"] = json!(t);
    }
    Ok(out)
}

pub fn get(call: &Call<'_>) -> Result<Value, ApiError> {
    call.with_network(|_, n| Ok(network_json(n)))
}

pub fn update(call: &Call<'_>) -> Result<Value, ApiError> {
    let body = Obj::root(&call.body);
    let mut r = Reasons::default();
    let name = body.req_str("networkName", &mut r);
    if let Some(name) = &name {
        check_name("networkName", name, &mut r);
    }
    let key_arn = body.opt_str("encryptionKeyArn", &mut r);
    call.network_id()?;
    r.finish()?;
    call.with_network(|_, n| {
        if let Some(name) = name {
            n.name = name;
        }
        if key_arn.is_some() {
            n.encryption_key_arn = key_arn;
        }
        Ok(json!({ "message": "Network updated successfully" }))
    })
}

pub fn delete(call: &Call<'_>) -> Result<Value, ApiError> {
    let id = call.network_id()?.to_owned();
    let mut state = call.store.lock();
    match state.networks.remove(&id) {
        Some(_) => Ok(json!({ "message": format!("Network {id} deleted") })),
        None => Err(ApiError::NotFound("Network not found".to_owned())),
    }
}

fn settings_json(n: &Network) -> Value {
    let s = &n.settings;
    json!({ "settings": [
        {"optionName": "enableClientMetrics", "value": s.enable_client_metrics.to_string(), "type": "boolean"},
        {"optionName": "readReceiptConfig", "value": json!({"status": s.read_receipt_status}).to_string(), "type": "object"},
        {"optionName": "dataRetention", "value": s.data_retention.to_string(), "type": "boolean"},
        {"optionName": "enableTrustedDataFormat", "value": s.enable_trusted_data_format.to_string(), "type": "boolean"},
    ]})
}

pub fn get_settings(call: &Call<'_>) -> Result<Value, ApiError> {
    call.with_network(|_, n| Ok(settings_json(n)))
}

pub fn update_settings(call: &Call<'_>) -> Result<Value, ApiError> {
    let body = Obj::root(&call.body);
    let mut r = Reasons::default();
    let settings = body.req_obj("settings", &mut r);
    let mut metrics = None;
    let mut retention = None;
    let mut tdf = None;
    let mut receipt = None;
    if let Some(s) = &settings {
        metrics = s.opt_bool("enableClientMetrics", &mut r);
        retention = s.opt_bool("dataRetention", &mut r);
        tdf = s.opt_bool("enableTrustedDataFormat", &mut r);
        if let Some(rc) = s.opt_obj("readReceiptConfig", &mut r) {
            if let Some(status) = rc.opt_str("status", &mut r) {
                if ["DISABLED", "ENABLED", "FORCE_ENABLED"].contains(&status.as_str()) {
                    receipt = Some(status);
                } else {
                    r.push(
                        rc.field("status"),
                        "must be DISABLED, ENABLED or FORCE_ENABLED",
                    );
                }
            }
        }
    }
    call.network_id()?;
    r.finish()?;
    call.with_network(|_, n| {
        let s = &mut n.settings;
        if let Some(v) = metrics {
            s.enable_client_metrics = v;
        }
        if let Some(v) = retention {
            s.data_retention = v;
        }
        if let Some(v) = tdf {
            s.enable_trusted_data_format = v;
        }
        if let Some(v) = receipt {
            s.read_receipt_status = v;
        }
        Ok(settings_json(n))
    })
}
