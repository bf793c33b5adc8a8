//! Security groups.

use super::pagination::{paginate, KeyPart, Page, PageRequest, Position};
use super::users::page_users;
use super::Backend;
use crate::error::ApiError;
use crate::state::{now_secs, Network, SecurityGroup, User};
use serde_json::{Map, Value};

/// Sort fields `ListSecurityGroups` accepts.
pub const GROUP_SORT_FIELDS: &[&str] = &["id", "name", "modified"];
/// Sort fields `ListSecurityGroupUsers` accepts.
pub const GROUP_USER_SORT_FIELDS: &[&str] = &["username", "firstName", "lastName", "status"];

/// A security group with its member counts.
#[derive(Debug, Clone)]
pub struct GroupInfo {
    /// The group.
    pub group: SecurityGroup,
    /// Users in it.
    pub active_members: i64,
    /// Bots in it.
    pub bot_members: i64,
}

fn group_not_found() -> ApiError {
    ApiError::NotFound("Security group not found".to_owned())
}

fn info(n: &Network, g: &SecurityGroup) -> GroupInfo {
    GroupInfo {
        group: g.clone(),
        active_members: n.group_member_count(&g.id),
        bot_members: n.group_bot_count(&g.id),
    }
}

impl Backend {
    /// `CreateSecurityGroup` with settings already checked against the model.
    pub fn create_group(
        &self,
        network_id: &str,
        name: String,
        settings: Map<String, Value>,
    ) -> Result<GroupInfo, ApiError> {
        self.with_network(network_id, |state, n| {
            let id = state.new_group_id(Some(n));
            let group = SecurityGroup {
                id: id.clone(),
                name,
                is_default: false,
                modified: now_secs(),
                settings,
            };
            let out = info(n, &group);
            n.groups.insert(id, group);
            Ok(out)
        })
    }

    /// `ListSecurityGroups`: the default group first among equals.
    pub fn list_groups(
        &self,
        network_id: &str,
        request: &PageRequest,
    ) -> Result<Page<GroupInfo>, ApiError> {
        self.with_network(network_id, |_, n| {
            let position = |g: &&SecurityGroup| -> Position {
                let mut p: Position = request
                    .sort_fields
                    .iter()
                    .map(|f| match f.as_str() {
                        "name" => KeyPart::from(g.name.as_str()),
                        "modified" => KeyPart::Int(g.modified),
                        _ => KeyPart::from(g.id.as_str()),
                    })
                    .collect();
                p.push(KeyPart::Int(if g.is_default { 0 } else { 1 }));
                p.push(KeyPart::from(g.id.as_str()));
                p
            };
            Ok(paginate(n.groups.values(), position, request).map(|g| info(n, g)))
        })
    }

    /// `GetSecurityGroup`.
    pub fn get_group(&self, network_id: &str, group_id: &str) -> Result<GroupInfo, ApiError> {
        self.with_network(network_id, |_, n| {
            let g = n.groups.get(group_id).ok_or_else(group_not_found)?;
            Ok(info(n, g))
        })
    }

    /// `UpdateSecurityGroup`: renames and merges settings (already checked against the
    /// model) into the stored ones.
    pub fn update_group(
        &self,
        network_id: &str,
        group_id: &str,
        name: Option<String>,
        settings: Option<Map<String, Value>>,
    ) -> Result<GroupInfo, ApiError> {
        self.with_network(network_id, |_, n| {
            let g = n.groups.get_mut(group_id).ok_or_else(group_not_found)?;
            if let Some(name) = name {
                g.name = name;
            }
            if let Some(settings) = settings {
                g.settings.extend(settings);
            }
            g.modified = now_secs();
            let g = n.groups.get(group_id).ok_or_else(group_not_found)?;
            Ok(info(n, g))
        })
    }

    /// `DeleteSecurityGroup`: only a group that is not the default and has no members.
    pub fn delete_group(&self, network_id: &str, group_id: &str) -> Result<(), ApiError> {
        self.with_network(network_id, |_, n| {
            let g = n.groups.get(group_id).ok_or_else(group_not_found)?;
            if g.is_default {
                return Err(ApiError::BadRequest(
                    "the default security group cannot be deleted".to_owned(),
                ));
            }
            if n.group_member_count(group_id) > 0 || n.group_bot_count(group_id) > 0 {
                return Err(ApiError::BadRequest(
                    "the security group still has members".to_owned(),
                ));
            }
            n.groups.remove(group_id);
            Ok(())
        })
    }

    /// An administrator removes a security group from the console while users are still in it:
    /// something the admin API refuses, but a network can be found in. The users keep the
    /// group's id.
    pub fn remove_group_keeping_members(
        &self,
        network_id: &str,
        group_id: &str,
    ) -> Result<(), ApiError> {
        self.with_network(network_id, |_, n| {
            n.groups.remove(group_id).ok_or_else(group_not_found)?;
            Ok(())
        })
    }

    /// `ListSecurityGroupUsers`.
    pub fn list_group_users(
        &self,
        network_id: &str,
        group_id: &str,
        request: &PageRequest,
    ) -> Result<Page<User>, ApiError> {
        self.with_network(network_id, |_, n| {
            if !n.groups.contains_key(group_id) {
                return Err(group_not_found());
            }
            let in_group = |u: &User| u.security_groups.iter().any(|g| g == group_id);
            Ok(page_users(n, in_group, request))
        })
    }
}
