//! Networks and their settings.

use super::pagination::{paginate, KeyPart, Page, PageRequest, Position};
use super::{network_not_found, Backend};
use crate::error::ApiError;
use crate::state::{now_secs, Network, NetworkSettings, ACCOUNT_ID};

/// Sort fields `ListNetworks` accepts.
pub const NETWORK_SORT_FIELDS: &[&str] = &["networkId", "networkName", "accessLevel"];

const FREE_TRIAL_SECS: i64 = 30 * 24 * 60 * 60;

/// A network as operations report it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkInfo {
    /// 8-digit id.
    pub id: String,
    /// Name.
    pub name: String,
    /// `STANDARD` or `PREMIUM`.
    pub access_level: String,
    /// Owning account.
    pub account_id: &'static str,
    /// ARN in the emulator's region.
    pub arn: String,
    /// Free trial expiry, epoch seconds as text.
    pub free_trial_expiration: Option<String>,
    /// KMS key ARN.
    pub encryption_key_arn: Option<String>,
}

/// What `CreateNetwork` asks for.
#[derive(Debug, Clone)]
pub struct NewNetwork {
    /// Name.
    pub name: String,
    /// `STANDARD` or `PREMIUM`.
    pub access_level: String,
    /// Whether to start a premium free trial.
    pub free_trial: bool,
    /// KMS key ARN.
    pub encryption_key_arn: Option<String>,
}

/// What `UpdateNetworkSettings` changes (absent: unchanged).
#[derive(Debug, Clone, Default)]
pub struct SettingsChange {
    /// `enableClientMetrics`.
    pub client_metrics: Option<bool>,
    /// `dataRetention`.
    pub data_retention: Option<bool>,
    /// `enableTrustedDataFormat`.
    pub trusted_data_format: Option<bool>,
    /// `readReceiptConfig.status`.
    pub read_receipt_status: Option<String>,
}

impl Backend {
    fn network_info(&self, n: &Network) -> NetworkInfo {
        NetworkInfo {
            id: n.id.clone(),
            name: n.name.clone(),
            access_level: n.access_level.clone(),
            account_id: ACCOUNT_ID,
            arn: format!(
                "arn:aws:wickr:{}:{ACCOUNT_ID}:network/{}",
                self.region, n.id
            ),
            free_trial_expiration: n.free_trial_expiration.clone(),
            encryption_key_arn: n.encryption_key_arn.clone(),
        }
    }

    /// `CreateNetwork`: a new network with its default security group.
    pub fn create_network(&self, new: NewNetwork) -> NetworkInfo {
        let mut state = self.store.lock();
        let id = state.new_network_id();
        let seq = state.next_seq();
        let group = state.new_group_id(None);
        let mut network = Network::new(id.clone(), new.name, new.access_level, seq, group);
        network.encryption_key_arn = new.encryption_key_arn;
        // Run again from the journal, as the emulator that answered it was started.
        network.preview = crate::journal::preview().unwrap_or(self.preview_networks);
        if new.free_trial {
            network.free_trial_expiration = Some((now_secs() + FREE_TRIAL_SECS).to_string());
        }
        let info = self.network_info(&network);
        state.networks.insert(id, network);
        info
    }

    /// `ListNetworks`.
    pub fn list_networks(&self, request: &PageRequest) -> Page<NetworkInfo> {
        let state = self.store.lock();
        let position = |n: &&Network| -> Position {
            let mut p: Position = request
                .sort_fields
                .iter()
                .map(|f| match f.as_str() {
                    "networkName" => KeyPart::from(n.name.as_str()),
                    "accessLevel" => KeyPart::from(n.access_level.as_str()),
                    _ => KeyPart::from(n.id.as_str()),
                })
                .collect();
            p.push(KeyPart::Int(
                i64::try_from(n.created_seq).unwrap_or(i64::MAX),
            ));
            p
        };
        paginate(state.networks.values(), position, request).map(|n| self.network_info(n))
    }

    /// `GetNetwork`.
    pub fn get_network(&self, id: &str) -> Result<NetworkInfo, ApiError> {
        self.with_network(id, |_, n| Ok(self.network_info(n)))
    }

    /// `UpdateNetwork`.
    pub fn update_network(
        &self,
        id: &str,
        name: Option<String>,
        encryption_key_arn: Option<String>,
    ) -> Result<(), ApiError> {
        self.with_network(id, |_, n| {
            if let Some(name) = name {
                n.name = name;
            }
            if encryption_key_arn.is_some() {
                n.encryption_key_arn = encryption_key_arn;
            }
            Ok(())
        })
    }

    /// `DeleteNetwork`.
    pub fn delete_network(&self, id: &str) -> Result<(), ApiError> {
        match self.store.lock().networks.remove(id) {
            Some(_) => Ok(()),
            None => Err(network_not_found()),
        }
    }

    /// `GetNetworkSettings`.
    pub fn network_settings(&self, id: &str) -> Result<NetworkSettings, ApiError> {
        self.with_network(id, |_, n| Ok(n.settings.clone()))
    }

    /// `UpdateNetworkSettings`: applies the change, returns the settings after it.
    pub fn update_network_settings(
        &self,
        id: &str,
        change: SettingsChange,
    ) -> Result<NetworkSettings, ApiError> {
        self.with_network(id, |_, n| {
            let s = &mut n.settings;
            if let Some(v) = change.client_metrics {
                s.enable_client_metrics = v;
            }
            if let Some(v) = change.data_retention {
                s.data_retention = v;
            }
            if let Some(v) = change.trusted_data_format {
                s.enable_trusted_data_format = v;
            }
            if let Some(v) = change.read_receipt_status {
                s.read_receipt_status = v;
            }
            Ok(s.clone())
        })
    }
}
