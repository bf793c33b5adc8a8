//! Network-level configuration: the data retention bot, guest users, OIDC and OpenTDF.

use super::pagination::{paginate, KeyPart, Page, PageRequest, Position};
use super::Backend;
use crate::error::ApiError;
use crate::state::{now_secs, BlockedGuest, GuestUser};
use serde_json::{json, Map, Value};

/// Sort fields `ListGuestUsers` accepts.
pub const GUEST_SORT_FIELDS: &[&str] = &["username", "billingPeriod"];
/// Sort fields `ListBlockedGuestUsers` accepts.
pub const BLOCKED_GUEST_SORT_FIELDS: &[&str] = &["username", "admin", "modified"];

/// `GetDataRetentionBot`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionBot {
    /// The bot's name.
    pub bot_name: String,
    /// Created.
    pub exists: bool,
    /// Challenge generated.
    pub registered: bool,
    /// Service enabled.
    pub enabled: bool,
    /// Public key message acknowledged.
    pub pubkey_acked: bool,
}

/// `UpdateDataRetention`'s action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetentionAction {
    /// `ENABLE`.
    Enable,
    /// `DISABLE`.
    Disable,
    /// `PUBKEY_MSG_ACK`.
    PubkeyMsgAck,
}

/// What `RegisterOidcConfig` stores.
#[derive(Debug, Clone, Default)]
pub struct OidcConfig {
    /// Company id.
    pub company_id: String,
    /// Issuer URL (`https://...`).
    pub issuer: String,
    /// Scopes.
    pub scopes: String,
    /// Claim used as the username.
    pub custom_username: Option<String>,
    /// Extra authorization parameters.
    pub extra_auth_params: Option<String>,
    /// Client secret.
    pub secret: Option<String>,
    /// Token buffer.
    pub sso_token_buffer_minutes: Option<i32>,
    /// User id claim.
    pub user_id: Option<String>,
}

/// What `RegisterOidcConfigTest` discovers for an issuer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcDiscovery {
    /// The issuer as given.
    pub issuer: String,
    /// The issuer without a trailing `/`, base of every endpoint.
    pub base: String,
}

fn retention_missing() -> ApiError {
    ApiError::BadRequest("the data retention bot does not exist".to_owned())
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

fn text_position(values: &[Option<&str>], tie: &str) -> Position {
    let mut p: Position = values.iter().map(|v| KeyPart::from(*v)).collect();
    p.push(KeyPart::from(tie));
    p
}

impl Backend {
    /// `CreateDataRetentionBot`.
    pub fn create_retention_bot(&self, network_id: &str) -> Result<(), ApiError> {
        self.with_network(network_id, |_, n| {
            if n.data_retention.exists {
                return Err(ApiError::BadRequest(
                    "the data retention bot already exists".to_owned(),
                ));
            }
            n.data_retention.exists = true;
            Ok(())
        })
    }

    /// `DeleteDataRetentionBot`: also turns data retention off.
    pub fn delete_retention_bot(&self, network_id: &str) -> Result<(), ApiError> {
        self.with_network(network_id, |_, n| {
            if !n.data_retention.exists {
                return Err(ApiError::NotFound(
                    "Data retention bot not found".to_owned(),
                ));
            }
            n.data_retention = Default::default();
            n.settings.data_retention = false;
            Ok(())
        })
    }

    /// `GetDataRetentionBot`.
    pub fn retention_bot(&self, network_id: &str) -> Result<RetentionBot, ApiError> {
        self.with_network(network_id, |_, n| {
            let d = &n.data_retention;
            Ok(RetentionBot {
                bot_name: format!("compliance_{}_bot", n.id),
                exists: d.exists,
                registered: d.registered,
                enabled: d.enabled,
                pubkey_acked: d.pubkey_acked,
            })
        })
    }

    /// `UpdateDataRetention`.
    pub fn update_retention(
        &self,
        network_id: &str,
        action: RetentionAction,
    ) -> Result<(), ApiError> {
        self.with_network(network_id, |_, n| {
            if !n.data_retention.exists {
                return Err(retention_missing());
            }
            match action {
                RetentionAction::Enable => {
                    n.data_retention.enabled = true;
                    n.settings.data_retention = true;
                }
                RetentionAction::Disable => {
                    n.data_retention.enabled = false;
                    n.settings.data_retention = false;
                }
                RetentionAction::PubkeyMsgAck => n.data_retention.pubkey_acked = true,
            }
            Ok(())
        })
    }

    /// `CreateDataRetentionBotChallenge`: registers the bot, returns the challenge.
    pub fn retention_challenge(&self, network_id: &str) -> Result<String, ApiError> {
        self.with_network(network_id, |state, n| {
            if !n.data_retention.exists {
                return Err(retention_missing());
            }
            n.data_retention.registered = true;
            Ok(state.new_hex64())
        })
    }

    /// `ListGuestUsers`: `username` matches a part, `billing_period` the whole period.
    pub fn list_guests(
        &self,
        network_id: &str,
        username: Option<&str>,
        billing_period: Option<&str>,
        request: &PageRequest,
    ) -> Result<Page<GuestUser>, ApiError> {
        self.with_network(network_id, |_, n| {
            let guests = n
                .guests
                .iter()
                .filter(|g| username.is_none_or(|u| g.username.contains(u)))
                .filter(|g| billing_period.is_none_or(|p| g.billing_period == p));
            let position = |g: &&GuestUser| {
                let values: Vec<Option<&str>> = request
                    .sort_fields
                    .iter()
                    .map(|f| match f.as_str() {
                        "billingPeriod" => Some(g.billing_period.as_str()),
                        _ => Some(g.username.as_str()),
                    })
                    .collect();
                text_position(&values, &g.username_hash)
            };
            Ok(paginate(guests, position, request).map(GuestUser::clone))
        })
    }

    /// `ListBlockedGuestUsers`: `username` matches a part, `admin` the whole name.
    pub fn list_blocked_guests(
        &self,
        network_id: &str,
        username: Option<&str>,
        admin: Option<&str>,
        request: &PageRequest,
    ) -> Result<Page<BlockedGuest>, ApiError> {
        self.with_network(network_id, |_, n| {
            let blocked = n
                .blocked
                .values()
                .filter(|b| username.is_none_or(|u| b.username.contains(u)))
                .filter(|b| admin.is_none_or(|a| b.admin == a));
            let position = |b: &&BlockedGuest| {
                let values: Vec<Option<&str>> = request
                    .sort_fields
                    .iter()
                    .map(|f| match f.as_str() {
                        "admin" => Some(b.admin.as_str()),
                        "modified" => Some(b.modified.as_str()),
                        _ => Some(b.username.as_str()),
                    })
                    .collect();
                text_position(&values, &b.username_hash)
            };
            Ok(paginate(blocked, position, request).map(BlockedGuest::clone))
        })
    }

    /// `GetGuestUserHistoryCount`: `(month, count)` pairs.
    pub fn guest_history(&self, network_id: &str) -> Result<Vec<(String, i64)>, ApiError> {
        self.with_network(network_id, |_, n| Ok(n.guest_history.clone()))
    }

    /// `UpdateGuestUser`: blocks a known guest or unblocks a blocked one.
    pub fn set_guest_blocked(
        &self,
        network_id: &str,
        username_hash: &str,
        block: bool,
    ) -> Result<(), ApiError> {
        self.with_network(network_id, |_, n| {
            if block {
                let guest = n
                    .guests
                    .iter()
                    .find(|g| g.username_hash == username_hash)
                    .ok_or_else(|| ApiError::NotFound("Guest user not found".to_owned()))?;
                let entry = BlockedGuest {
                    username: guest.username.clone(),
                    username_hash: username_hash.to_owned(),
                    admin: "admin".to_owned(),
                    modified: now_secs().to_string(),
                };
                n.blocked.insert(username_hash.to_owned(), entry);
            } else {
                n.blocked
                    .remove(username_hash)
                    .ok_or_else(|| ApiError::NotFound("Guest user is not blocked".to_owned()))?;
            }
            Ok(())
        })
    }

    /// A guest user from another network talks to this one in `billing_period` (`YYYY-MM`):
    /// something a real network sees from federation, not from the admin API. Returns the
    /// guest's username hash.
    pub fn record_guest_user(
        &self,
        network_id: &str,
        username: &str,
        billing_period: &str,
    ) -> Result<String, ApiError> {
        self.with_network(network_id, |state, n| {
            let hash = state.new_hex64();
            n.guests.push(GuestUser {
                username: username.to_owned(),
                username_hash: hash.clone(),
                billing_period: billing_period.to_owned(),
            });
            Ok(hash)
        })
    }

    /// A guest user's record ages out of the network (the counterpart of
    /// [`Backend::record_guest_user`]).
    pub fn forget_guest_user(&self, network_id: &str, username_hash: &str) -> Result<(), ApiError> {
        self.with_network(network_id, |_, n| {
            let before = n.guests.len();
            n.guests.retain(|g| g.username_hash != username_hash);
            if n.guests.len() == before {
                return Err(ApiError::NotFound("Guest user not found".to_owned()));
            }
            Ok(())
        })
    }

    /// `GetOidcInfo`: the stored configuration, if any.
    pub fn oidc_config(&self, network_id: &str) -> Result<Option<Map<String, Value>>, ApiError> {
        self.with_network(network_id, |_, n| Ok(n.oidc.clone()))
    }

    /// `GetOidcInfo` with a `code`: fresh access, id and refresh tokens.
    pub fn issue_oidc_tokens(&self, network_id: &str) -> Result<[String; 3], ApiError> {
        self.with_network(network_id, |state, _| {
            Ok([state.new_hex64(), state.new_hex64(), state.new_hex64()])
        })
    }

    /// `RegisterOidcConfig`: stores the configuration with what the service derives (an
    /// application, a client id, a redirect URL) and returns it as stored.
    pub fn register_oidc(
        &self,
        network_id: &str,
        config: OidcConfig,
    ) -> Result<Map<String, Value>, ApiError> {
        check_issuer(&config.issuer)?;
        self.with_network(network_id, |state, n| {
            let mut cfg = Map::new();
            cfg.insert("companyId".into(), json!(config.company_id));
            cfg.insert("issuer".into(), json!(config.issuer));
            cfg.insert("scopes".into(), json!(config.scopes));
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
                ("customUsername", config.custom_username),
                ("extraAuthParams", config.extra_auth_params),
                ("secret", config.secret),
                ("userId", config.user_id),
            ] {
                if let Some(v) = v {
                    cfg.insert(k.into(), json!(v));
                }
            }
            if let Some(b) = config.sso_token_buffer_minutes {
                cfg.insert("ssoTokenBufferMinutes".into(), json!(b));
            }
            n.oidc = Some(cfg.clone());
            Ok(cfg)
        })
    }

    /// `RegisterOidcConfigTest`: what the issuer would publish; stores nothing.
    pub fn test_oidc(
        &self,
        network_id: &str,
        issuer: &str,
        scopes: Option<&str>,
    ) -> Result<OidcDiscovery, ApiError> {
        check_issuer(issuer)?;
        if scopes.is_none_or(|s| s.trim().is_empty()) {
            return Err(ApiError::BadRequest(
                "scopes is a required field".to_owned(),
            ));
        }
        self.with_network(network_id, |_, _| {
            Ok(OidcDiscovery {
                issuer: issuer.to_owned(),
                base: issuer.trim_end_matches('/').to_owned(),
            })
        })
    }

    /// `GetOpentdfConfig`.
    pub fn tdf_config(&self, network_id: &str) -> Result<Map<String, Value>, ApiError> {
        self.with_network(network_id, |_, n| {
            n.tdf
                .clone()
                .ok_or_else(|| ApiError::NotFound("OpenTDF configuration not found".to_owned()))
        })
    }

    /// `RegisterOpentdfConfig`: stores the configuration unless `dry_run`.
    pub fn register_tdf(
        &self,
        network_id: &str,
        config: Map<String, Value>,
        dry_run: bool,
    ) -> Result<Map<String, Value>, ApiError> {
        self.with_network(network_id, |_, n| {
            if !dry_run {
                n.tdf = Some(config.clone());
            }
            Ok(config)
        })
    }
}
