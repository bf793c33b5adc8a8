//! Building the client: real AWS through aws-config, or the embedded emulator for `--local`
//! (`sandbox.rs`), with the timeouts given on the command line.

use std::time::Duration;

use aws_config::{BehaviorVersion, Region};
use wickr_admin::config::TimeoutConfig;
use wickr_admin::Client;

use crate::cli::Connection;
use crate::sandbox::Local;

/// The timeouts the options ask for; settings not given keep the client's defaults (3.1 s to
/// connect, 60 s for an answer to start, 120 s per attempt).
pub fn timeouts(connection: &Connection) -> TimeoutConfig {
    let mut builder = TimeoutConfig::builder();
    match connection.cli_connect_timeout {
        Some(0) => builder = builder.disable_connect_timeout(),
        Some(seconds) => builder = builder.connect_timeout(Duration::from_secs(seconds)),
        None => {}
    }
    match connection.cli_read_timeout {
        Some(0) => {
            builder = builder
                .disable_read_timeout()
                .disable_operation_attempt_timeout()
        }
        Some(seconds) => {
            builder = builder
                .read_timeout(Duration::from_secs(seconds))
                // The read timeout stops at the answer's first bytes; an answer that starts and
                // stalls ends with the attempt.
                .operation_attempt_timeout(Duration::from_secs(seconds.saturating_mul(2)))
        }
        None => {}
    }
    builder.build()
}

/// A client for AWS: region, profile and endpoint from the options, everything else (credentials,
/// `AWS_REGION`, `AWS_PROFILE`, `AWS_ENDPOINT_URL`, ...) the standard way. Without a region from
/// anywhere, an error that says where to give one.
pub async fn aws_client(connection: &Connection) -> Result<Client, String> {
    // The runtime's HTTP client, for the calls and for the credential providers alike: the
    // system's trusted roots are read at the first https request, not for an http endpoint.
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(restjson_runtime::http_client::default_http_client());
    if connection.cli_connect_timeout.is_some() || connection.cli_read_timeout.is_some() {
        loader = loader.timeout_config(timeouts(connection));
    }
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
    let client = Client::new(&sdk_config);
    if client.config().region().is_none() {
        return Err(
            "no region: pass --region, set AWS_REGION, or set a region in the AWS profile (or use \
             --local)"
                .to_string(),
        );
    }
    Ok(client)
}

/// A client for `--local` or AWS, as the options say; the emulator stays up while `local` lives.
pub async fn client(connection: &Connection, local: Option<&Local>) -> Result<Client, String> {
    match local {
        Some(local) => {
            let config = local.client.config().to_builder();
            Ok(Client::from_conf(
                config.timeout_config(timeouts(connection)).build(),
            ))
        }
        None => aws_client(connection).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_means_no_limit_and_unset_keeps_the_defaults() {
        let none = timeouts(&Connection::default());
        assert_eq!(
            none.read_timeout(),
            None,
            "unset: the client's default applies"
        );
        let off = timeouts(&Connection {
            cli_read_timeout: Some(0),
            cli_connect_timeout: Some(0),
            ..Connection::default()
        });
        let client = Client::from_conf(wickr_admin::Config::builder().timeout_config(off).build());
        assert_eq!(
            client
                .config()
                .timeout_config()
                .expect("timeouts")
                .read_timeout(),
            None
        );
        assert_eq!(
            client
                .config()
                .timeout_config()
                .expect("timeouts")
                .connect_timeout(),
            None
        );
        assert_eq!(
            client
                .config()
                .timeout_config()
                .expect("timeouts")
                .operation_attempt_timeout(),
            None
        );
        let set = timeouts(&Connection {
            cli_read_timeout: Some(2),
            ..Connection::default()
        });
        assert_eq!(set.read_timeout(), Some(Duration::from_secs(2)));
        assert_eq!(
            set.operation_attempt_timeout(),
            Some(Duration::from_secs(4))
        );
    }
}
