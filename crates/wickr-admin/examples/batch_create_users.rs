//! Creates two users with one BatchCreateUser call.
//!
//! ```text
//! cargo run -p wickr-admin --example batch_create_users
//! cargo run -p wickr-admin --example batch_create_users -- ENDPOINT_URL [NETWORK_ID [GROUP_ID]]
//! ```
//!
//! Without arguments the example starts the emulator (crate `wickr-admin-local`) in-process with
//! its demo network, so it runs with no AWS account and no network access. With an endpoint URL
//! it talks to that server instead, for example the emulator started with
//! `cargo run -p wickr-admin-local -- --seed` (demo network 12345678, group BCTY8Qhe).
//! Credentials come from `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` when set, otherwise the
//! emulator's documented local key pair is used.

use std::error::Error;
use std::process::ExitCode;

use wickr_admin::config::{Credentials, Region};
use wickr_admin::operation::batch_create_user::BatchCreateUserOutput;
use wickr_admin::types::BatchCreateUserRequestItem;
use wickr_admin::{Client, Config};
use wickr_admin_local::{
    Emulator, DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, DEMO_GROUP_ID, DEMO_NETWORK_ID,
};

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let credentials = Credentials::new(
        std::env::var("AWS_ACCESS_KEY_ID").unwrap_or_else(|_| DEFAULT_ACCESS_KEY_ID.to_string()),
        std::env::var("AWS_SECRET_ACCESS_KEY")
            .unwrap_or_else(|_| DEFAULT_SECRET_ACCESS_KEY.to_string()),
        None,
        None,
        "example",
    );
    let result = match args.next() {
        Some(endpoint) => {
            let network_id = args.next().unwrap_or_else(|| DEMO_NETWORK_ID.to_string());
            let group_id = args.next().unwrap_or_else(|| DEMO_GROUP_ID.to_string());
            create_users(&endpoint, credentials, &network_id, &group_id).await
        }
        None => match Emulator::builder().seed_demo_network(true).start().await {
            Ok(emulator) => {
                create_users(
                    &emulator.endpoint_url(),
                    credentials,
                    DEMO_NETWORK_ID,
                    DEMO_GROUP_ID,
                )
                .await
            }
            Err(e) => Err(e.to_string().into()),
        },
    };
    match result {
        Ok(output) => {
            for user in output.successful() {
                println!(
                    "created {} as {}",
                    user.username().unwrap_or("?"),
                    user.user_id().unwrap_or("?")
                );
            }
            for failure in output.failed() {
                println!("not created: {failure:?}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            // The client's errors explain themselves in one line.
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Builds a client for `endpoint` and creates alice@example.com and bob@example.com in
/// `network_id`, both in `group_id`.
pub async fn create_users(
    endpoint: &str,
    credentials: Credentials,
    network_id: &str,
    group_id: &str,
) -> Result<BatchCreateUserOutput, Box<dyn Error>> {
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(credentials)
        .build();
    let client = Client::from_conf(config);

    let mut call = client.batch_create_user().network_id(network_id);
    for username in ["alice@example.com", "bob@example.com"] {
        call = call.users(
            BatchCreateUserRequestItem::builder()
                .username(username)
                .security_group_ids(group_id)
                .build()?,
        );
    }
    // The operation's error explains itself on one line (operation, code, message, HTTP
    // status, request id); `into_service_error` keeps failures without an answer as `Unhandled`
    // with their cause.
    Ok(call.send().await.map_err(|e| e.into_service_error())?)
}
