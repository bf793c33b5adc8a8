//! Bots.

use super::pagination::{paginate, KeyPart, Page, PageRequest, Position};
use super::{contains_ignoring_case, Backend};
use crate::error::{echo, ApiError};
use crate::state::{Bot, Network};

/// Sort fields `ListBots` accepts.
pub const BOT_SORT_FIELDS: &[&str] = &["username", "displayName", "status", "groupId"];

/// What `CreateBot` asks for.
#[derive(Debug, Clone)]
pub struct NewBot {
    /// Username (ends in `bot`; checked by the wire layer).
    pub username: String,
    /// Display name.
    pub display_name: Option<String>,
    /// Security group id.
    pub group_id: String,
}

/// What `UpdateBot` changes (absent: unchanged).
#[derive(Debug, Clone, Default)]
pub struct BotChange {
    /// Display name.
    pub display_name: Option<String>,
    /// Security group id.
    pub group_id: Option<String>,
    /// Whether a new challenge (password) was given.
    pub challenge: bool,
    /// Suspension.
    pub suspend: Option<bool>,
}

/// Filters of `ListBots` (absent: no filter).
#[derive(Debug, Clone, Default)]
pub struct BotFilter {
    /// Part of the display name, any case.
    pub display_name: Option<String>,
    /// Part of the username, any case.
    pub username: Option<String>,
    /// 1 pending, 2 active.
    pub status: Option<i64>,
    /// Security group id.
    pub group_id: Option<String>,
}

/// `GetBotsCount`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BotCounts {
    /// Pending bots.
    pub pending: usize,
    /// Active bots.
    pub active: usize,
}

fn bot_not_found() -> ApiError {
    ApiError::NotFound("Bot not found".to_owned())
}

fn check_group(n: &Network, group: &str) -> Result<(), ApiError> {
    if n.groups.contains_key(group) {
        Ok(())
    } else {
        Err(ApiError::invalid(
            "groupId",
            format!("security group {} not found", echo(group)),
        ))
    }
}

impl Backend {
    /// `CreateBot`: the new bot.
    pub fn create_bot(&self, network_id: &str, new: NewBot) -> Result<Bot, ApiError> {
        self.with_network(network_id, |state, n| {
            if n.username_taken(&new.username) {
                return Err(ApiError::invalid("username", "username is unavailable"));
            }
            check_group(n, &new.group_id)?;
            let id = state.new_bot_id();
            let bot = Bot {
                id,
                username: new.username,
                display_name: new.display_name,
                group_id: new.group_id,
                has_challenge: true,
                suspended: false,
                status: 1,
                uname: state.new_uname(),
                pubkey: state.new_hex64(),
            };
            n.bots.insert(id, bot.clone());
            Ok(bot)
        })
    }

    /// `ListBots`.
    pub fn list_bots(
        &self,
        network_id: &str,
        filter: &BotFilter,
        request: &PageRequest,
    ) -> Result<Page<Bot>, ApiError> {
        self.with_network(network_id, |_, n| {
            let bots = n.bots.values().filter(|b| {
                contains_ignoring_case(b.display_name.as_deref(), filter.display_name.as_deref())
                    && contains_ignoring_case(Some(&b.username), filter.username.as_deref())
                    && filter.status.is_none_or(|s| i64::from(b.status) == s)
                    && filter.group_id.as_ref().is_none_or(|g| *g == b.group_id)
            });
            let position = |b: &&Bot| -> Position {
                let mut p: Position = request
                    .sort_fields
                    .iter()
                    .map(|f| match f.as_str() {
                        "username" => KeyPart::from(b.username.as_str()),
                        "displayName" => KeyPart::from(b.display_name.as_deref()),
                        "status" => KeyPart::Int(i64::from(b.status)),
                        _ => KeyPart::from(b.group_id.as_str()),
                    })
                    .collect();
                p.push(KeyPart::Int(i64::try_from(b.id).unwrap_or(i64::MAX)));
                p
            };
            Ok(paginate(bots, position, request).map(Bot::clone))
        })
    }

    /// `GetBotsCount`.
    pub fn count_bots(&self, network_id: &str) -> Result<BotCounts, ApiError> {
        self.with_network(network_id, |_, n| {
            Ok(BotCounts {
                pending: n.bots.values().filter(|b| b.status == 1).count(),
                active: n.bots.values().filter(|b| b.status == 2).count(),
            })
        })
    }

    /// `GetBot`.
    pub fn get_bot(&self, network_id: &str, bot_id: u64) -> Result<Bot, ApiError> {
        self.with_network(network_id, |_, n| {
            n.bots.get(&bot_id).cloned().ok_or_else(bot_not_found)
        })
    }

    /// `UpdateBot`.
    pub fn update_bot(
        &self,
        network_id: &str,
        bot_id: u64,
        change: BotChange,
    ) -> Result<(), ApiError> {
        self.with_network(network_id, |_, n| {
            if !n.bots.contains_key(&bot_id) {
                return Err(bot_not_found());
            }
            if let Some(g) = &change.group_id {
                check_group(n, g)?;
            }
            let b = n.bots.get_mut(&bot_id).ok_or_else(bot_not_found)?;
            if change.display_name.is_some() {
                b.display_name = change.display_name;
            }
            if let Some(g) = change.group_id {
                b.group_id = g;
            }
            if change.challenge {
                b.has_challenge = true;
            }
            if let Some(s) = change.suspend {
                b.suspended = s;
            }
            Ok(())
        })
    }

    /// `DeleteBot`.
    pub fn delete_bot(&self, network_id: &str, bot_id: u64) -> Result<(), ApiError> {
        self.with_network(network_id, |_, n| match n.bots.remove(&bot_id) {
            Some(_) => Ok(()),
            None => Err(bot_not_found()),
        })
    }
}
