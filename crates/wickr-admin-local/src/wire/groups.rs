//! Security groups.

use super::input::{check_network_id, Direction, Listing, Obj, Reasons};
use super::users::user_json;
use super::Call;
use crate::error::ApiError;
use crate::state::{now_secs, Network, SecurityGroup};
use serde_json::{json, Map, Value};
use std::cmp::Ordering;

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
pub fn group_json(n: &Network, g: &SecurityGroup) -> Value {
    json!({
        "id": g.id,
        "name": g.name,
        "isDefault": g.is_default,
        "activeMembers": n.group_member_count(&g.id),
        "botMembers": n.group_bot_count(&g.id),
        "modified": g.modified,
        "securityGroupSettings": Value::Object(g.settings.clone()),
    })
}

pub fn create(call: &Call<'_>) -> Result<Value, ApiError> {
    let body = Obj::root(&call.body);
    let mut r = Reasons::default();
    let name = body.req_str("name", &mut r);
    let settings = body
        .req_obj("securityGroupSettings", &mut r)
        .map(|s| read_settings(&s, true, &mut r));
    call.network_id()?;
    r.finish()?;
    let (Some(name), Some(settings)) = (name, settings) else {
        return Err(ApiError::invalid("name", "name is required"));
    };
    call.with_network(|state, n| {
        let id = state.new_group_id(Some(n));
        let group = SecurityGroup {
            id: id.clone(),
            name,
            is_default: false,
            modified: now_secs(),
            settings,
        };
        let out = json!({ "securityGroup": group_json(n, &group) });
        n.groups.insert(id, group);
        Ok(out)
    })
}

pub fn list(call: &Call<'_>) -> Result<Value, ApiError> {
    let mut r = Reasons::default();
    let listing = Listing::read(
        &call.query,
        &["id", "name", "modified"],
        Direction::Asc,
        &mut r,
    );
    call.network_id()?;
    r.finish()?;
    call.with_network(|_, n| {
        let mut groups: Vec<&SecurityGroup> = n.groups.values().collect();
        groups.sort_by(|a, b| {
            let mut ord = Ordering::Equal;
            for f in &listing.sort_fields {
                ord = ord.then_with(|| match f.as_str() {
                    "name" => a.name.cmp(&b.name),
                    "modified" => a.modified.cmp(&b.modified),
                    _ => a.id.cmp(&b.id),
                });
            }
            let ord = ord
                .then(b.is_default.cmp(&a.is_default))
                .then(a.id.cmp(&b.id));
            if listing.direction == Direction::Desc {
                ord.reverse()
            } else {
                ord
            }
        });
        let (page, next) = listing.page(groups);
        let mut out = json!({
            "securityGroups": page.into_iter().map(|g| group_json(n, g)).collect::<Vec<_>>()
        });
        if let Some(t) = next {
            out["nextToken"] = json!(t);
        }
        Ok(out)
    })
}

fn group_not_found() -> ApiError {
    ApiError::NotFound("Security group not found".to_owned())
}

pub fn get(call: &Call<'_>) -> Result<Value, ApiError> {
    let gid = call.label(1).to_owned();
    call.with_network(|_, n| {
        let g = n.groups.get(&gid).ok_or_else(group_not_found)?;
        Ok(json!({ "securityGroup": group_json(n, g) }))
    })
}

pub fn update(call: &Call<'_>) -> Result<Value, ApiError> {
    let gid = call.label(1).to_owned();
    let body = Obj::root(&call.body);
    let mut r = Reasons::default();
    let name = body.opt_str("name", &mut r);
    if name.as_deref().is_some_and(|s| s.trim().is_empty()) {
        r.push("name", "name must not be empty");
    }
    let settings = body
        .opt_obj("securityGroupSettings", &mut r)
        .map(|s| read_settings(&s, false, &mut r));
    call.network_id()?;
    r.finish()?;
    call.with_network(|_, n| {
        let g = n.groups.get_mut(&gid).ok_or_else(group_not_found)?;
        if let Some(name) = name {
            g.name = name;
        }
        if let Some(settings) = settings {
            g.settings.extend(settings);
        }
        g.modified = now_secs();
        let g = n.groups.get(&gid).ok_or_else(group_not_found)?;
        Ok(json!({ "securityGroup": group_json(n, g) }))
    })
}

pub fn delete(call: &Call<'_>) -> Result<Value, ApiError> {
    let gid = call.label(1).to_owned();
    let nid = call.network_id()?.to_owned();
    call.with_network(|_, n| {
        let g = n.groups.get(&gid).ok_or_else(group_not_found)?;
        if g.is_default {
            return Err(ApiError::BadRequest(
                "the default security group cannot be deleted".to_owned(),
            ));
        }
        if n.group_member_count(&gid) > 0 || n.group_bot_count(&gid) > 0 {
            return Err(ApiError::BadRequest(
                "the security group still has members".to_owned(),
            ));
        }
        n.groups.remove(&gid);
        Ok(json!({
            "message": "Security group deleted successfully",
            "networkId": nid,
            "groupId": gid,
        }))
    })
}

pub fn list_users(call: &Call<'_>) -> Result<Value, ApiError> {
    let gid = call.label(1).to_owned();
    let mut r = Reasons::default();
    let listing = Listing::read(
        &call.query,
        &["username", "firstName", "lastName", "status"],
        Direction::Asc,
        &mut r,
    );
    call.network_id()?;
    r.finish()?;
    call.with_network(|_, n| {
        if !n.groups.contains_key(&gid) {
            return Err(group_not_found());
        }
        let mut users: Vec<_> = n
            .users
            .values()
            .filter(|u| u.security_groups.contains(&gid))
            .collect();
        super::users::sort_users(&mut users, &listing);
        let (page, next) = listing.page(users);
        let mut out = json!({ "users": page.into_iter().map(user_json).collect::<Vec<_>>() });
        if let Some(t) = next {
            out["nextToken"] = json!(t);
        }
        Ok(out)
    })
}
