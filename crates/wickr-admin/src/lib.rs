//! Client for the AWS Wickr Admin API.
//!
//! The call shape follows the official `aws-sdk-wickr` crate: build a [`Client`] from an
//! `SdkConfig` (or a [`Config`]), then call an operation's fluent builder and `send()` it.
//! On top of that, this client validates input before sending, retries `RateLimitError`
//! (HTTP 429) as throttling with backoff, reuses one `X-Client-Token` across every attempt of a
//! call, and gives operation errors whose `Display` names the operation, code, message, HTTP
//! status, request id and rejected fields.
//!
//! ```
//! use wickr_admin::config::{Credentials, Region};
//! use wickr_admin::types::BatchCreateUserRequestItem;
//! use wickr_admin::{Client, Config};
//!
//! # #[tokio::main]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # // The example runs against the emulator (crate `wickr-admin-local`) with its demo network.
//! # let emulator = wickr_admin_local::Emulator::builder()
//! #     .seed_demo_network(true)
//! #     .start()
//! #     .await?;
//! # let endpoint = emulator.endpoint_url();
//! let config = Config::builder()
//!     .region(Region::new("us-east-1"))
//!     .credentials_provider(Credentials::new(
//!         "AKIDWICKRLOCAL",
//!         "wickr-local-secret",
//!         None,
//!         None,
//!         "example",
//!     ))
//!     // Here a local emulator (`cargo run -p wickr-admin-local -- --seed`); leave this out to
//!     // use the region's endpoint, https://admin.wickr.us-east-1.amazonaws.com
//!     .endpoint_url(endpoint)
//!     .build();
//! let client = Client::from_conf(config);
//!
//! let output = client
//!     .batch_create_user()
//!     .network_id("12345678")
//!     .users(
//!         BatchCreateUserRequestItem::builder()
//!             .username("alice@example.com")
//!             .security_group_ids("BCTY8Qhe")
//!             .build()?,
//!     )
//!     .send()
//!     .await?; // an SdkError; `DisplayErrorContext(&err)` explains it on one line
//! for user in output.successful() {
//!     println!("created {:?}", user.user_id());
//! }
//! for failure in output.failed() {
//!     println!("not created: {failure:?}");
//! }
//! # assert_eq!(output.successful().len(), 1);
//! # assert_eq!(output.successful()[0].username(), Some("alice@example.com"));
//! # assert!(output.successful()[0].user_id().is_some_and(|id| !id.is_empty()));
//! # assert!(output.failed().is_empty());
//! # Ok(())
//! # }
//! ```
//!
//! With region and credentials from the environment (the `aws-config` crate), which also
//! honours `AWS_ENDPOINT_URL_WICKR`, `AWS_MAX_ATTEMPTS` and `AWS_RETRY_MODE`:
//!
//! ```no_run
//! # async fn run() {
//! let sdk_config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
//! let client = wickr_admin::Client::new(&sdk_config);
//! # }
//! ```
//!
//! Retries and timeouts are configured with the usual types; throttling (`RateLimitError`,
//! HTTP 429) is retried with backoff, and the adaptive mode also slows the client down:
//!
//! ```no_run
//! use std::time::Duration;
//! use wickr_admin::config::{RetryConfig, TimeoutConfig};
//!
//! let config = wickr_admin::Config::builder()
//!     .retry_config(RetryConfig::adaptive().with_max_attempts(5))
//!     .timeout_config(
//!         TimeoutConfig::builder()
//!             .connect_timeout(Duration::from_secs(3))
//!             .operation_attempt_timeout(Duration::from_secs(10))
//!             .operation_timeout(Duration::from_secs(30))
//!             .build(),
//!     )
//!     .build();
//! ```
//!
//! Errors are the official crate's (`SdkError`, the operation's error enum, `wickr_admin::Error`):
//!
//! ```no_run
//! use wickr_admin::error::{DisplayErrorContext, ProvideErrorMetadata};
//! use wickr_admin::operation::batch_create_user::BatchCreateUserError;
//!
//! # async fn run(client: wickr_admin::Client) {
//! match client.batch_create_user().network_id("12345678").send().await {
//!     Ok(output) => println!("{} created", output.successful().len()),
//!     Err(err) => {
//!         if let Some(BatchCreateUserError::ValidationError(v)) = err.as_service_error() {
//!             for reason in v.reasons() {
//!                 println!("{:?}: {:?}", reason.field(), reason.reason());
//!             }
//!         } else if err.code() == Some("RateLimitError") {
//!             println!("still throttled after every retry");
//!         }
//!         // One line: operation, code, message, HTTP status, request id, rejected fields.
//!         eprintln!("{}", DisplayErrorContext(&err));
//!     }
//! }
//! # }
//! ```
//!
//! Any operation can also be sent by type, which is how generic tools reach all of them:
//! `client.call::<wickr_admin::operation::batch_create_user::BatchCreateUser>(input).await`.
//! [`schema::OPERATIONS`] lists every operation as data (name, method, URI template, read-only,
//! idempotency token, errors, pagination), and [`schema::SERVICE`] states the service's facts.
//!
//! The generated code runs on `restjson-runtime`, which knows no particular service; this crate
//! re-exports its modules (`error`, `json`, `operation_shape`, ...) under the paths it has always
//! had.

#[cfg(feature = "bulk")]
pub mod bulk;
#[rustfmt::skip] // formatted by the generator; `cargo fmt` must not change it
mod generated;

// The README's Rust examples are compiled as doctests, so they cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
mod readme_examples {}

pub use client::Client;
pub use config::Config;
pub use generated::{client, config, meta, operation, schema, types, Error};
// The service-agnostic runtime, under the paths this crate has always offered.
pub use restjson_runtime::{
    error, error_details, idempotency, json, operation_shape, paginator, primitives, protocol,
    retry, signing, validation,
};
