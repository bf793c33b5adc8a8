//! Reading each operation's request and writing its answer: members are read with the model's
//! types and constraints ([`input`]), handed to the [`Backend`], and the result rendered as the
//! operation's JSON output. Nothing here decides what an operation does to the state.

mod bots;
mod groups;
pub mod input;
mod listing;
mod network_config;
mod networks;
pub mod page_token;
mod users;

use crate::backend::Backend;
use crate::error::ApiError;
use crate::routes::Op;
use input::{check_network_id, Query, Reasons};
use page_token::PageTokens;
use serde_json::{Map, Value};

/// Everything a handler needs about one call.
pub struct Call<'a> {
    /// The operation.
    pub op: Op,
    /// Decoded path labels by name.
    pub labels: Vec<(&'static str, String)>,
    /// Query parameters.
    pub query: Query,
    /// JSON body.
    pub body: Map<String, Value>,
    /// The service.
    pub backend: &'a Backend,
    /// Page token codec.
    pub page_tokens: &'a PageTokens,
}

impl Call<'_> {
    /// Path label `name`, empty when the path has none.
    pub fn label(&self, name: &str) -> &str {
        self.labels
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// The `networkId` label, checked against the `NetworkId` shape.
    pub fn network_id(&self) -> Result<&str, ApiError> {
        let id = self.label("networkId");
        let mut r = Reasons::default();
        check_network_id("networkId", id, &mut r);
        r.finish()?;
        Ok(id)
    }
}

/// A handler's answer: a JSON value, or a body already encoded.
pub enum Reply {
    /// To be encoded.
    Json(Value),
    /// Encoded JSON.
    Bytes(Vec<u8>),
}

/// Runs the operation of `call`.
pub fn dispatch(call: &Call<'_>) -> Result<Reply, ApiError> {
    if call.op == Op::BatchCreateUser {
        return users::batch_create(call).map(Reply::Bytes);
    }
    let value = match call.op {
        Op::CreateNetwork => networks::create(call),
        Op::ListNetworks => networks::list(call),
        Op::DeleteNetwork => networks::delete(call),
        Op::GetNetwork => networks::get(call),
        Op::UpdateNetwork => networks::update(call),
        Op::GetNetworkSettings => networks::get_settings(call),
        Op::UpdateNetworkSettings => networks::update_settings(call),
        Op::CreateBot => bots::create(call),
        Op::ListBots => bots::list(call),
        Op::GetBotsCount => bots::count(call),
        Op::DeleteBot => bots::delete(call),
        Op::GetBot => bots::get(call),
        Op::UpdateBot => bots::update(call),
        Op::CreateDataRetentionBot => network_config::create_retention_bot(call),
        Op::DeleteDataRetentionBot => network_config::delete_retention_bot(call),
        Op::GetDataRetentionBot => network_config::get_retention_bot(call),
        Op::UpdateDataRetention => network_config::update_retention(call),
        Op::CreateDataRetentionBotChallenge => network_config::retention_challenge(call),
        Op::ListGuestUsers => network_config::list_guests(call),
        Op::ListBlockedGuestUsers => network_config::list_blocked_guests(call),
        Op::GetGuestUserHistoryCount => network_config::guest_history(call),
        Op::UpdateGuestUser => network_config::update_guest(call),
        Op::GetOidcInfo => network_config::get_oidc(call),
        Op::RegisterOidcConfig => network_config::register_oidc(call),
        Op::RegisterOidcConfigTest => network_config::test_oidc(call),
        Op::GetOpentdfConfig => network_config::get_tdf(call),
        Op::RegisterOpentdfConfig => network_config::register_tdf(call),
        Op::CreateSecurityGroup => groups::create(call),
        Op::ListSecurityGroups => groups::list(call),
        Op::DeleteSecurityGroup => groups::delete(call),
        Op::GetSecurityGroup => groups::get(call),
        Op::UpdateSecurityGroup => groups::update(call),
        Op::ListSecurityGroupUsers => groups::list_users(call),
        Op::ListUsers => users::list(call),
        Op::UpdateUser => users::update(call),
        Op::BatchDeleteUser => users::batch_delete(call),
        Op::GetUsersCount => users::count(call),
        Op::BatchReinviteUser => users::batch_reinvite(call),
        Op::BatchToggleUserSuspendStatus => users::batch_toggle_suspend(call),
        Op::BatchLookupUserUname => users::batch_lookup_uname(call),
        Op::GetUser => users::get(call),
        Op::BatchResetDevicesForUser => users::batch_reset_devices(call),
        Op::ListDevicesForUser => users::list_devices(call),
        Op::BatchCreateUser => Err(ApiError::Internal(
            "BatchCreateUser is answered by its own encoder".to_owned(),
        )),
    }?;
    Ok(Reply::Json(value))
}
