//! Building the client: real AWS through aws-config, or the embedded emulator for `--local`.

use aws_config::{BehaviorVersion, Region};
use wickr_admin::Client;

use crate::cli::Connection;

/// A client for AWS: region, profile and endpoint from the options, everything else (credentials,
/// `AWS_REGION`, `AWS_PROFILE`, `AWS_ENDPOINT_URL`, ...) the standard way.
pub async fn aws_client(connection: &Connection) -> Client {
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if let Some(region) = &connection.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(profile) = &connection.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &connection.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let sdk_config = loader.load().await;
    Client::new(&sdk_config)
}

/// An emulator running inside this process, with its demo network.
pub struct Local {
    /// Keeps the emulator running until dropped.
    _emulator: wickr_admin_local::RunningEmulator,
    pub client: Client,
    pub network_id: String,
    pub security_group_id: String,
}

impl Local {
    pub async fn start() -> Result<Self, String> {
        let emulator = wickr_admin_local::Emulator::builder()
            .seed_demo_network(true)
            .start()
            .await
            .map_err(|e| format!("cannot start the local emulator: {e}"))?;
        let demo = emulator
            .demo_network()
            .cloned()
            .ok_or("the local emulator started without its demo network")?;
        let client = emulator.client();
        eprintln!(
            "local emulator at {} with demo network {} (security group {})",
            emulator.endpoint_url(),
            demo.network_id,
            demo.security_group_id
        );
        Ok(Self {
            _emulator: emulator,
            client,
            network_id: demo.network_id,
            security_group_id: demo.security_group_id,
        })
    }
}
