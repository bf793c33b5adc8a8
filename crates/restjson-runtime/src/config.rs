//! Client configuration, as the runtime keeps it. A generated crate wraps [`Config`] and
//! [`Builder`] in its own types with [`config_types!`](crate::config_types), which forward to
//! the methods here.

use std::fmt;
use std::time::Duration;

use aws_smithy_async::rt::sleep::SharedAsyncSleep;
use aws_smithy_async::time::SharedTimeSource;
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_smithy_runtime_api::client::identity::SharedIdentityCache;
use aws_smithy_runtime_api::shared::IntoShared;

// Re-exported so callers (and generated crates) need no extra dependency for the settings.
pub use aws_credential_types::provider::token::{ProvideToken, SharedTokenProvider};
pub use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
pub use aws_credential_types::{Credentials, Token};
pub use aws_smithy_async::rt::sleep::AsyncSleep;
pub use aws_smithy_async::time::TimeSource;
pub use aws_smithy_runtime::client::identity::IdentityCache;
pub use aws_smithy_runtime_api::client::http::HttpClient;
pub use aws_smithy_runtime_api::client::identity::ResolveCachedIdentity;
pub use aws_smithy_types::retry::{RetryConfig, RetryMode};
pub use aws_smithy_types::timeout::TimeoutConfig;
pub use aws_types::app_name::AppName;
pub use aws_types::region::Region;
pub use aws_types::sdk_config::SdkConfig;

use crate::endpoint_builtins::{configured_endpoint_only, EndpointError, EndpointParams};
use crate::idempotency::IdempotencyTokenProvider;
use crate::schema::ServiceInfo;

/// Default connect timeout, as the AWS SDKs use: an unreachable host fails in seconds.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);
/// Default read timeout: how long an attempt waits for the response to start once the request
/// is on its way. botocore and the AWS CLI wait 60 s for a socket read; the official Rust SDK
/// waits forever.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(60);
/// Default bound on one whole attempt (connect, send, wait, read the body). The read timeout
/// stops at the response's first bytes; this also ends a response that starts and then stalls,
/// which botocore's per-read timeout catches and the read timeout alone does not.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(120);

/// Everything a client needs to send calls.
///
/// Build one with [`Config::builder`], or derive it from an [`SdkConfig`] loaded by `aws-config`
/// with [`Config::from_sdk_config`].
#[derive(Clone)]
pub struct Config {
    pub(crate) region: Option<Region>,
    pub(crate) endpoint_url: Option<String>,
    pub(crate) credentials_provider: Option<SharedCredentialsProvider>,
    pub(crate) token_provider: Option<SharedTokenProvider>,
    pub(crate) identity_cache: Option<SharedIdentityCache>,
    pub(crate) retry_config: RetryConfig,
    pub(crate) timeout_config: TimeoutConfig,
    pub(crate) http_client: Option<SharedHttpClient>,
    pub(crate) sleep_impl: Option<SharedAsyncSleep>,
    pub(crate) time_source: Option<SharedTimeSource>,
    pub(crate) idempotency_token_provider: IdempotencyTokenProvider,
    pub(crate) app_name: Option<AppName>,
    pub(crate) use_fips: bool,
    pub(crate) use_dual_stack: bool,
}

impl Config {
    /// Starts an empty builder.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// A builder holding this configuration, to change a few settings.
    pub fn to_builder(&self) -> Builder {
        Builder {
            config: self.clone(),
        }
    }

    /// The configured region.
    pub fn region(&self) -> Option<&Region> {
        self.region.as_ref()
    }

    /// The custom endpoint URL, when one is set.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// The retry configuration.
    pub fn retry_config(&self) -> &RetryConfig {
        &self.retry_config
    }

    /// The timeout configuration.
    pub fn timeout_config(&self) -> &TimeoutConfig {
        &self.timeout_config
    }

    /// The application name sent in the user agent.
    pub fn app_name(&self) -> Option<&AppName> {
        self.app_name.as_ref()
    }

    /// Whether FIPS endpoints are used.
    pub fn use_fips(&self) -> bool {
        self.use_fips
    }

    /// Whether dual-stack endpoints are used.
    pub fn use_dual_stack(&self) -> bool {
        self.use_dual_stack
    }

    /// The idempotency token provider.
    pub fn idempotency_token_provider(&self) -> &IdempotencyTokenProvider {
        &self.idempotency_token_provider
    }

    /// The built-in endpoint parameters this configuration sets.
    pub fn endpoint_params(&self) -> EndpointParams {
        EndpointParams {
            region: self.region.as_ref().map(|r| r.as_ref().to_string()),
            use_fips: self.use_fips,
            use_dual_stack: self.use_dual_stack,
            endpoint: self.endpoint_url.clone(),
        }
    }

    /// The endpoint calls go to, from the service's endpoint resolver (or, for a service without
    /// one, the configured endpoint URL).
    pub fn resolve_endpoint(&self, service: &ServiceInfo) -> Result<String, EndpointError> {
        let resolve = service
            .endpoint_resolver
            .unwrap_or(configured_endpoint_only);
        resolve(&self.endpoint_params())
    }

    /// A configuration from an [`SdkConfig`] (region, credentials, endpoint URL including the
    /// service-specific `AWS_ENDPOINT_URL_<SDK_ID>`, retry and timeout settings, HTTP client,
    /// sleep and time source), for the service `service`.
    pub fn from_sdk_config(sdk: &SdkConfig, service: &ServiceInfo) -> Self {
        let mut config = Config {
            region: sdk.region().cloned(),
            credentials_provider: sdk.credentials_provider(),
            token_provider: sdk.token_provider(),
            identity_cache: sdk.identity_cache(),
            app_name: sdk.app_name().cloned(),
            use_fips: sdk.use_fips().unwrap_or(false),
            use_dual_stack: sdk.use_dual_stack().unwrap_or(false),
            http_client: sdk.http_client(),
            sleep_impl: sdk.sleep_impl(),
            time_source: sdk.time_source(),
            ..Config::default()
        };
        if let Some(retry) = sdk.retry_config() {
            config.retry_config = retry.clone();
        }
        if let Some(timeouts) = sdk.timeout_config() {
            let mut merged = timeouts.clone();
            merged.take_defaults_from(&config.timeout_config);
            config.timeout_config = merged;
        }
        config.endpoint_url = endpoint_url_from(sdk, service.sdk_id);
        config
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            region: None,
            endpoint_url: None,
            credentials_provider: None,
            token_provider: None,
            identity_cache: None,
            retry_config: RetryConfig::standard(),
            timeout_config: TimeoutConfig::builder()
                .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
                .read_timeout(DEFAULT_READ_TIMEOUT)
                .operation_attempt_timeout(DEFAULT_ATTEMPT_TIMEOUT)
                .build(),
            http_client: None,
            sleep_impl: None,
            time_source: None,
            idempotency_token_provider: IdempotencyTokenProvider::default(),
            app_name: None,
            use_fips: false,
            use_dual_stack: false,
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Credentials are never printed, only whether a provider is set.
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .field(
                "credentials_provider",
                &self.credentials_provider.as_ref().map(|_| "** set **"),
            )
            .field(
                "token_provider",
                &self.token_provider.as_ref().map(|_| "** set **"),
            )
            .field(
                "identity_cache",
                &self.identity_cache.as_ref().map(|_| "custom"),
            )
            .field("retry_config", &self.retry_config)
            .field("timeout_config", &self.timeout_config)
            .field("http_client", &self.http_client.as_ref().map(|_| "custom"))
            .field("sleep_impl", &self.sleep_impl.as_ref().map(|_| "custom"))
            .field("time_source", &self.time_source.as_ref().map(|_| "custom"))
            .field(
                "idempotency_token_provider",
                &self.idempotency_token_provider,
            )
            .field("app_name", &self.app_name)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .finish()
    }
}

/// Builder for [`Config`]. Every setting is optional; the defaults are standard retries (3
/// attempts), timeouts of 3.1 s to connect, 60 s for the response to start and 120 s per attempt
/// (see [`DEFAULT_CONNECT_TIMEOUT`], [`DEFAULT_READ_TIMEOUT`], [`DEFAULT_ATTEMPT_TIMEOUT`]),
/// random idempotency tokens and the built-in HTTPS client.
#[derive(Clone, Debug, Default)]
pub struct Builder {
    config: Config,
}

impl Builder {
    /// The AWS region (used for the endpoint and for signing).
    pub fn region(mut self, region: impl Into<Option<Region>>) -> Self {
        self.config.region = region.into();
        self
    }

    /// Sends every call to this URL instead of the regional endpoint (e.g. a local emulator).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.config.endpoint_url = Some(url.into());
        self
    }

    /// Where credentials for signing come from.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.config.credentials_provider = Some(SharedCredentialsProvider::new(provider));
        self
    }

    /// Sets or clears the credentials provider.
    pub fn set_credentials_provider(
        &mut self,
        provider: Option<SharedCredentialsProvider>,
    ) -> &mut Self {
        self.config.credentials_provider = provider;
        self
    }

    /// Where bearer tokens come from, for services with `@httpBearerAuth`.
    pub fn token_provider(mut self, provider: impl ProvideToken + 'static) -> Self {
        self.config.token_provider = Some(SharedTokenProvider::new(provider));
        self
    }

    /// Sets or clears the token provider.
    pub fn set_token_provider(&mut self, provider: Option<SharedTokenProvider>) -> &mut Self {
        self.config.token_provider = provider;
        self
    }

    /// How resolved credentials are cached between calls (default: a lazy cache that refreshes
    /// credentials shortly before they expire). `IdentityCache::no_cache()` asks the provider on
    /// every attempt.
    pub fn identity_cache(mut self, cache: impl ResolveCachedIdentity + 'static) -> Self {
        self.config.identity_cache = Some(cache.into_shared());
        self
    }

    /// Retry mode, attempts and backoff bounds.
    pub fn retry_config(mut self, retry_config: RetryConfig) -> Self {
        self.config.retry_config = retry_config;
        self
    }

    /// Connect, read, per-attempt and per-operation timeouts. Settings left unset here keep their
    /// defaults; `TimeoutConfig::disabled()` (or a setting disabled on its own) waits forever.
    pub fn timeout_config(mut self, timeout_config: TimeoutConfig) -> Self {
        let mut timeout_config = timeout_config;
        timeout_config.take_defaults_from(&Config::default().timeout_config);
        self.config.timeout_config = timeout_config;
        self
    }

    /// The HTTP client calls are sent through.
    pub fn http_client(mut self, http_client: impl HttpClient + 'static) -> Self {
        self.config.http_client = Some(http_client.into_shared());
        self
    }

    /// How the client waits (backoff between attempts, timeouts).
    pub fn sleep_impl(mut self, sleep_impl: impl AsyncSleep + 'static) -> Self {
        self.config.sleep_impl = Some(sleep_impl.into_shared());
        self
    }

    /// Where the client reads the time (signing, adaptive retries).
    pub fn time_source(mut self, time_source: impl TimeSource + 'static) -> Self {
        self.config.time_source = Some(time_source.into_shared());
        self
    }

    /// How idempotency tokens are made.
    pub fn idempotency_token_provider(
        mut self,
        provider: impl Into<IdempotencyTokenProvider>,
    ) -> Self {
        self.config.idempotency_token_provider = provider.into();
        self
    }

    /// The application name added to the user agent.
    pub fn app_name(mut self, app_name: AppName) -> Self {
        self.config.app_name = Some(app_name);
        self
    }

    /// Use FIPS endpoints.
    pub fn use_fips(mut self, use_fips: bool) -> Self {
        self.config.use_fips = use_fips;
        self
    }

    /// Use dual-stack endpoints.
    pub fn use_dual_stack(mut self, use_dual_stack: bool) -> Self {
        self.config.use_dual_stack = use_dual_stack;
        self
    }

    /// Finishes the configuration.
    pub fn build(self) -> Config {
        self.config
    }
}

/// An endpoint URL set in code on the `SdkConfig` wins; otherwise a service-specific setting
/// (`AWS_ENDPOINT_URL_<SDK_ID>`, or `endpoint_url` in the profile's services section for the
/// service) wins over the global one (`AWS_ENDPOINT_URL`).
fn endpoint_url_from(sdk: &SdkConfig, sdk_id: &str) -> Option<String> {
    if sdk.get_origin("endpoint_url").is_client_config() {
        return sdk.endpoint_url().map(str::to_string);
    }
    let key = aws_types::service_config::ServiceConfigKey::builder()
        .service_id(sdk_id)
        .env("AWS_ENDPOINT_URL")
        .profile("endpoint_url")
        .build();
    let specific = match (sdk.service_config(), key) {
        (Some(loader), Ok(key)) => loader.load_config(key),
        _ => None,
    };
    specific.or_else(|| sdk.endpoint_url().map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_types::service_config::{LoadServiceConfig, ServiceConfigKey};

    static SERVICE: ServiceInfo = ServiceInfo {
        shape_id: "ex#Svc",
        sdk_id: "Example Service",
        version: "1",
        signing_name: Some("example"),
        auth: &[crate::schema::AuthScheme::SigV4],
        user_agent: "example/0",
        endpoint_resolver: None,
        retryable_errors: &[],
        operations: &[],
    };

    #[derive(Debug)]
    struct EnvLike;

    impl LoadServiceConfig for EnvLike {
        fn load_config(&self, key: ServiceConfigKey<'_>) -> Option<String> {
            (key.env() == "AWS_ENDPOINT_URL" && key.service_id() == SERVICE.sdk_id)
                .then(|| "http://127.0.0.1:9999".to_string())
        }
    }

    #[test]
    fn service_specific_endpoint_wins_over_the_global_one() {
        let mut builder = SdkConfig::builder().service_config(EnvLike);
        builder.set_endpoint_url(Some("http://global.example".into()));
        builder.insert_origin(
            "endpoint_url",
            aws_types::origin::Origin::shared_environment_variable(),
        );
        let sdk = builder.build();
        let config = Config::from_sdk_config(&sdk, &SERVICE);
        assert_eq!(config.endpoint_url(), Some("http://127.0.0.1:9999"));
    }

    #[test]
    fn global_endpoint_is_used_without_a_service_specific_one() {
        let sdk = SdkConfig::builder()
            .endpoint_url("http://global.example")
            .build();
        let config = Config::from_sdk_config(&sdk, &SERVICE);
        assert_eq!(config.endpoint_url(), Some("http://global.example"));
    }
}
