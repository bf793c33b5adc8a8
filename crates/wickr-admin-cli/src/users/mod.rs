//! The `users` commands beyond import: export, sync, and the actions on users a file lists
//! (delete, suspend, unsuspend, reinvite, reset-devices).

pub mod action;
mod confirm;
pub mod export;
pub mod outcomes;
pub mod sync;
mod targets;

use wickr_admin::Client;

use crate::cli::Connection;
use crate::sandbox::Local;

/// Exit codes every `users` command shares with import.
pub use crate::import::{EXIT_BAD_INPUT, EXIT_OK, EXIT_SOME_FAILED, EXIT_UNKNOWN};

/// The network a command works on: `--network-id`, or the sandbox's demo network with
/// `--local`; checked against the model.
fn network_id(given: Option<&str>, local: Option<&Local>) -> Result<String, String> {
    let id = match (given, local) {
        (Some(id), _) => id.to_string(),
        (None, Some(local)) => local.network_id.clone(),
        (None, None) => {
            return Err("--network-id: required (or use --local for the sandbox)".to_string())
        }
    };
    wickr_admin::bulk::check_network_id(&id).map_err(|e| format!("--network-id: {e}"))?;
    Ok(id)
}

/// Attempts of each listing and look-up call the user commands make (an operation makes 3).
const PATIENT_ATTEMPTS: u32 = 10;

/// The client for AWS or the sandbox, patient with failed calls: listing the network, looking
/// users up and reading a sync's plan are calls a command cannot do without, so they ride out a
/// flaky network or a busy service (throttling, 5xx, resets) with more attempts, and the usual
/// backoff between them. The bulk jobs decide their retries themselves and are not affected.
async fn client(connection: &Connection, local: Option<&Local>) -> Result<Client, String> {
    let client = crate::connect::client(connection, local).await?;
    let retries = wickr_admin::config::RetryConfig::standard().with_max_attempts(PATIENT_ATTEMPTS);
    Ok(Client::from_conf(
        client.config().to_builder().retry_config(retries).build(),
    ))
}
