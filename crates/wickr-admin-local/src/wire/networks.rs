//! Networks and network settings: reading and rendering.

use super::input::{Obj, Reasons};
use super::Call;
use crate::backend::pagination::Direction;
use crate::backend::{NetworkInfo, NewNetwork, SettingsChange, NETWORK_SORT_FIELDS};
use crate::error::ApiError;
use crate::state::NetworkSettings;
use serde_json::{json, Value};

const ACCESS_LEVELS: [&str; 2] = ["STANDARD", "PREMIUM"];
const READ_RECEIPT_STATUSES: [&str; 3] = ["DISABLED", "ENABLED", "FORCE_ENABLED"];

/// The `Network` structure.
fn network_json(n: NetworkInfo) -> Value {
    let mut v = json!({
        "networkId": n.id,
        "networkName": n.name,
        "accessLevel": n.access_level,
        "awsAccountId": n.account_id,
        "networkArn": n.arn,
        "standing": 1,
        "migrationState": 0,
    });
    if let Some(exp) = n.free_trial_expiration {
        v["freeTrialExpiration"] = json!(exp);
    }
    if let Some(arn) = n.encryption_key_arn {
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
    let free_trial = body
        .opt_bool("enablePremiumFreeTrial", &mut r)
        .unwrap_or(false);
    let encryption_key_arn = body.opt_str("encryptionKeyArn", &mut r);
    r.finish()?;
    let (Some(name), Some(access_level)) = (name, access) else {
        return Err(ApiError::invalid("networkName", "networkName is required"));
    };
    let n = call.backend.create_network(NewNetwork {
        name,
        access_level,
        free_trial,
        encryption_key_arn,
    });
    let mut out = json!({ "networkId": n.id, "networkName": n.name });
    if let Some(arn) = n.encryption_key_arn {
        out["encryptionKeyArn"] = json!(arn);
    }
    Ok(out)
}

pub fn list(call: &Call<'_>) -> Result<Value, ApiError> {
    let mut r = Reasons::default();
    let request = call.page_request(NETWORK_SORT_FIELDS, Direction::Asc, &mut r);
    r.finish()?;
    let page = call.backend.list_networks(&request);
    Ok(call.page_answer("networks", page, network_json))
}

pub fn get(call: &Call<'_>) -> Result<Value, ApiError> {
    let id = call.network_id()?;
    call.backend.get_network(id).map(network_json)
}

pub fn update(call: &Call<'_>) -> Result<Value, ApiError> {
    let body = Obj::root(&call.body);
    let mut r = Reasons::default();
    let name = body.req_str("networkName", &mut r);
    if let Some(name) = &name {
        check_name("networkName", name, &mut r);
    }
    let key_arn = body.opt_str("encryptionKeyArn", &mut r);
    let id = call.network_id()?;
    r.finish()?;
    call.backend.update_network(id, name, key_arn)?;
    Ok(json!({ "message": "Network updated successfully" }))
}

pub fn delete(call: &Call<'_>) -> Result<Value, ApiError> {
    let id = call.network_id()?;
    call.backend.delete_network(id)?;
    Ok(json!({ "message": format!("Network {id} deleted") }))
}

fn settings_json(s: NetworkSettings) -> Value {
    json!({ "settings": [
        {"optionName": "enableClientMetrics", "value": s.enable_client_metrics.to_string(), "type": "boolean"},
        {"optionName": "readReceiptConfig", "value": json!({"status": s.read_receipt_status}).to_string(), "type": "object"},
        {"optionName": "dataRetention", "value": s.data_retention.to_string(), "type": "boolean"},
        {"optionName": "enableTrustedDataFormat", "value": s.enable_trusted_data_format.to_string(), "type": "boolean"},
    ]})
}

pub fn get_settings(call: &Call<'_>) -> Result<Value, ApiError> {
    let id = call.network_id()?;
    call.backend.network_settings(id).map(settings_json)
}

pub fn update_settings(call: &Call<'_>) -> Result<Value, ApiError> {
    let body = Obj::root(&call.body);
    let mut r = Reasons::default();
    let settings = body.req_obj("settings", &mut r);
    let mut change = SettingsChange::default();
    if let Some(s) = &settings {
        change.client_metrics = s.opt_bool("enableClientMetrics", &mut r);
        change.data_retention = s.opt_bool("dataRetention", &mut r);
        change.trusted_data_format = s.opt_bool("enableTrustedDataFormat", &mut r);
        if let Some(rc) = s.opt_obj("readReceiptConfig", &mut r) {
            if let Some(status) = rc.opt_str("status", &mut r) {
                if READ_RECEIPT_STATUSES.contains(&status.as_str()) {
                    change.read_receipt_status = Some(status);
                } else {
                    r.push(
                        rc.field("status"),
                        "must be DISABLED, ENABLED or FORCE_ENABLED",
                    );
                }
            }
        }
    }
    let id = call.network_id()?;
    r.finish()?;
    call.backend
        .update_network_settings(id, change)
        .map(settings_json)
}
