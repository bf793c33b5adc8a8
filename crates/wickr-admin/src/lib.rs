//! Client for the AWS Wickr Admin API.
//!
//! The call shape follows the official `aws-sdk-wickr` crate: build a [`Client`] from an
//! `SdkConfig` (or a [`Config`]), then call an operation's fluent builder and `send()` it.
//! On top of that, this client validates input before sending, retries `RateLimitError`
//! (HTTP 429) as throttling with backoff, reuses one `X-Client-Token` across every attempt of a
//! call, and returns errors whose `Display` names the operation, code, message, HTTP status,
//! request id and rejected fields.
//!
//! ```no_run
//! use aws_credential_types::Credentials;
//! use wickr_admin::config::Region;
//! use wickr_admin::{Client, Config};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let config = Config::builder()
//!     .region(Region::new("us-east-1"))
//!     .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "example"))
//!     // Point at a local emulator; omit to use https://admin.wickr.us-east-1.amazonaws.com
//!     .endpoint_url("http://127.0.0.1:8080")
//!     .build();
//! let client = Client::from_conf(config);
//! # Ok(())
//! # }
//! ```
//!
//! With credentials and region from the environment (the `aws-config` crate):
//!
//! ```ignore
//! let sdk_config = aws_config::load_from_env().await;
//! let client = wickr_admin::Client::new(&sdk_config);
//! ```

pub mod bulk;
pub mod client;
pub mod config;
pub mod endpoint;
pub mod error;
mod generated;
pub mod idempotency;
pub mod operation_shape;
pub mod paginator;
pub mod protocol;
pub mod retry;
pub mod signing;
pub mod validation;

pub use client::Client;
pub use config::Config;
pub use error::SdkError;
pub use generated::{operation, types};

/// Primitive types used by the generated shapes.
pub mod primitives {
    pub use aws_smithy_types::DateTime;
}
