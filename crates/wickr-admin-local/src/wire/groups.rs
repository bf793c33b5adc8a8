//! Security groups: reading (settings checked member by member against the model) and
//! rendering.

use super::input::{check_network_id, Obj, Reasons};
use super::users::user_json;
use super::Call;
use crate::backend::pagination::Direction;
use crate::backend::{GroupInfo, GROUP_SORT_FIELDS, GROUP_USER_SORT_FIELDS};
use crate::error::ApiError;
use serde_json::{json, Map, Value};

const BOOLS: &[&str] = &[
    "alwaysReauthenticate",
    "checkForUpdates",
    "enableAtak",
    "enableCrashReports",
    "enableFileDownload",
    "enableGuestFederation",
    "enableNotificationPreview",
    "enableOpenAccessOption",
    "enableRestrictedGlobalFederation",
    "filesEnabled",
    "forceOpenAccess",
    "forceReadReceipts",
    "globalFederation",
    "isAtoEnabled",
    "isLinkPreviewEnabled",
    "locationAllowMaps",
    "locationEnabled",
    "messageForwardingEnabled",
    "presenceEnabled",
    "showMasterRecoveryKey",
];
const INTS: &[&str] = &[
    "forceDeviceLockout",
    "maxBor",
    "ssoMaxIdleMinutes",
    "federationMode",
    "lockoutThreshold",
];
const LONGS: &[&str] = &["maxAutoDownloadSize", "maxTtl"];
const STRING_LISTS: &[&str] = &["atakPackageValues", "quickResponses"];
/// Members allowed when creating a group (`SecurityGroupSettingsRequest`).
const CREATE_MEMBERS: &[&str] = &[
    "lockoutThreshold",
    "permittedNetworks",
    "enableGuestFederation",
    "globalFederation",
    "federationMode",
    "enableRestrictedGlobalFederation",
    "permittedWickrAwsNetworks",
    "permittedWickrEnterpriseNetworks",
];

fn check_nested(o: &Obj<'_>, name: &str, bools: &[&str], ints: &[&str], r: &mut Reasons) {
    if let Some(n) = o.opt_obj(name, r) {
        for key in n.keys() {
            if bools.contains(&key.as_str()) {
                n.opt_bool(key, r);
            } else if ints.contains(&key.as_str()) {
                n.opt_i32(key, r);
            } else {
                r.push(n.field(key), "is not a member of this structure");
            }
        }
    }
}

/// Validates a settings object; returns the members to store.
fn read_settings(o: &Obj<'_>, create: bool, r: &mut Reasons) -> Map<String, Value> {
    let mut out = Map::new();
    for key in o.keys() {
        let k = key.as_str();
        if create && !CREATE_MEMBERS.contains(&k) {
            r.push(
                o.field(k),
                "is not a member of SecurityGroupSettingsRequest",
            );
            continue;
        }
        let before = r.0.len();
        if BOOLS.contains(&k) {
            o.opt_bool(k, r);
        } else if INTS.contains(&k) {
            o.opt_i32(k, r);
        } else if LONGS.contains(&k) {
            o.opt_i64(k, r);
        } else if STRING_LISTS.contains(&k) {
            o.opt_str_list(k, r);
        } else if k == "permittedNetworks" {
            if let Some(ids) = o.opt_str_list(k, r) {
                for (i, id) in ids.iter().enumerate() {
                    check_network_id(&format!("{}[{i}]", o.field(k)), id, r);
                }
            }
        } else if k == "permittedWickrAwsNetworks" || k == "permittedWickrEnterpriseNetworks" {
            let other = if k == "permittedWickrAwsNetworks" {
                "region"
            } else {
                "domain"
            };
            for item in o.opt_obj_list(k, r).unwrap_or_default() {
                if let Some(id) = item.req_str("networkId", r) {
                    check_network_id(&item.field("networkId"), &id, r);
                }
                item.req_str(other, r);
            }
        } else if k == "calling" {
            check_nested(
                o,
                k,
                &["canStart11Call", "canVideoCall", "forceTcpCall"],
                &[],
                r,
            );
        } else if k == "passwordRequirements" {
            check_nested(
                o,
                k,
                &[],
                &["lowercase", "minLength", "numbers", "symbols", "uppercase"],
                r,
            );
        } else if k == "shredder" {
            check_nested(o, k, &["canProcessManually"], &["intensity"], r);
        } else {
            r.push(o.field(k), "is not a member of SecurityGroupSettings");
        }
        if r.0.len() == before {
            if let Some(v) = o.raw(k) {
                out.insert(key.clone(), v.clone());
            }
        }
    }
    out
}

/// The `SecurityGroup` structure.
fn group_json(info: GroupInfo) -> Value {
    let g = info.group;
    json!({
        "id": g.id,
        "name": g.name,
        "isDefault": g.is_default,
        "activeMembers": info.active_members,
        "botMembers": info.bot_members,
        "modified": g.modified,
        "securityGroupSettings": Value::Object(g.settings),
    })
}

pub fn create(call: &Call<'_>) -> Result<Value, ApiError> {
    let body = Obj::root(&call.body);
    let mut r = Reasons::default();
    let name = body.req_str("name", &mut r);
    let settings = body
        .req_obj("securityGroupSettings", &mut r)
        .map(|s| read_settings(&s, true, &mut r));
    let network_id = call.network_id()?;
    r.finish()?;
    let (Some(name), Some(settings)) = (name, settings) else {
        return Err(ApiError::invalid("name", "name is required"));
    };
    let info = call.backend.create_group(network_id, name, settings)?;
    Ok(json!({ "securityGroup": group_json(info) }))
}

pub fn list(call: &Call<'_>) -> Result<Value, ApiError> {
    let mut r = Reasons::default();
    let request = call.page_request(GROUP_SORT_FIELDS, Direction::Asc, &mut r);
    let network_id = call.network_id()?;
    r.finish()?;
    let page = call.backend.list_groups(network_id, &request)?;
    Ok(call.page_answer("securityGroups", page, group_json))
}

pub fn get(call: &Call<'_>) -> Result<Value, ApiError> {
    let network_id = call.network_id()?;
    let info = call.backend.get_group(network_id, call.label("groupId"))?;
    Ok(json!({ "securityGroup": group_json(info) }))
}

pub fn update(call: &Call<'_>) -> Result<Value, ApiError> {
    let body = Obj::root(&call.body);
    let mut r = Reasons::default();
    let name = body.opt_str("name", &mut r);
    if name.as_deref().is_some_and(|s| s.trim().is_empty()) {
        r.push("name", "name must not be empty");
    }
    let settings = body
        .opt_obj("securityGroupSettings", &mut r)
        .map(|s| read_settings(&s, false, &mut r));
    let network_id = call.network_id()?;
    r.finish()?;
    let info = call
        .backend
        .update_group(network_id, call.label("groupId"), name, settings)?;
    Ok(json!({ "securityGroup": group_json(info) }))
}

pub fn delete(call: &Call<'_>) -> Result<Value, ApiError> {
    let network_id = call.network_id()?;
    let group_id = call.label("groupId");
    call.backend.delete_group(network_id, group_id)?;
    Ok(json!({
        "message": "Security group deleted successfully",
        "networkId": network_id,
        "groupId": group_id,
    }))
}

pub fn list_users(call: &Call<'_>) -> Result<Value, ApiError> {
    let mut r = Reasons::default();
    let request = call.page_request(GROUP_USER_SORT_FIELDS, Direction::Asc, &mut r);
    let network_id = call.network_id()?;
    r.finish()?;
    let page = call
        .backend
        .list_group_users(network_id, call.label("groupId"), &request)?;
    Ok(call.page_answer("users", page, |u| user_json(&u)))
}
