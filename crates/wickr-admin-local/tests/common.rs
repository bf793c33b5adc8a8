//! Helpers shared by the integration tests: an official-SDK client for a running emulator.

#![allow(dead_code)]

use aws_sdk_wickr::config::{BehaviorVersion, Credentials, Region};
use wickr_admin_local::{Emulator, EmulatorBuilder, RunningEmulator};

/// Starts an emulator from `builder`.
pub async fn start(builder: EmulatorBuilder) -> RunningEmulator {
    builder
        .start()
        .await
        .expect("the emulator starts on 127.0.0.1:0")
}

/// Starts an emulator with the demo network.
pub async fn start_demo() -> RunningEmulator {
    start(Emulator::builder().seed_demo_network(true)).await
}

/// An official `aws-sdk-wickr` client for `emulator` signing with `id`/`secret`.
pub fn sdk_client_with(
    emulator: &RunningEmulator,
    id: &str,
    secret: &str,
) -> aws_sdk_wickr::Client {
    let config = aws_sdk_wickr::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(id, secret, None, None, "test"))
        .endpoint_url(emulator.endpoint_url())
        .build();
    aws_sdk_wickr::Client::from_conf(config)
}

/// An official client using the emulator's default key pair.
pub fn sdk_client(emulator: &RunningEmulator) -> aws_sdk_wickr::Client {
    sdk_client_with(
        emulator,
        wickr_admin_local::DEFAULT_ACCESS_KEY_ID,
        wickr_admin_local::DEFAULT_SECRET_ACCESS_KEY,
    )
}
