//! Macros that give a generated crate its own `Client`, `Config` and `config::Builder`: thin
//! types over [`client::Handle`](crate::client::Handle) and
//! [`config::Config`](crate::config::Config), defined in the generated crate so that it can add
//! inherent methods to them (one fluent builder per operation on the client, the model's own
//! settings on the configuration).

/// The client of a service: `client_type!(path::to::SERVICE, path::to::Config)`, invoked in
/// the generated crate's `client` module, after any doc attributes for the type.
///
/// It defines `Client` with `new(&SdkConfig)`, `from_conf(Config)`, `config()`,
/// `throttled_responses()` and `call::<Operation>(input)`, and gives the generated crate its
/// handle (`handle()`, and [`ProvideHandle`](crate::client::ProvideHandle) for `send_with`).
#[macro_export]
macro_rules! client_type {
    ($(#[$meta:meta])* $service:path, $config:ty) => {
        $(#[$meta])*
        ///
        /// Cheap to clone (two `Arc`s), `Send` and `Sync`: share one client between tasks.
        #[derive(Clone, Debug)]
        pub struct Client {
            handle: std::sync::Arc<$crate::client::Handle>,
            config: std::sync::Arc<$config>,
        }
        impl Client {
            /// A client configured from an `SdkConfig` loaded by `aws-config`: region,
            /// credentials, endpoint URL (including the service's own
            /// `AWS_ENDPOINT_URL_<SDK_ID>`), retry and timeout settings, HTTP client, sleep and
            /// time source.
            pub fn new(sdk_config: &$crate::config::SdkConfig) -> Self {
                Self::from_conf(<$config as From<&$crate::config::SdkConfig>>::from(sdk_config))
            }
            /// A client with an explicit configuration.
            pub fn from_conf(config: $config) -> Self {
                let runtime: &$crate::config::Config = config.as_ref();
                let handle = $crate::client::Handle::new(&$service, runtime.clone());
                Self {
                    handle: std::sync::Arc::new(handle),
                    config: std::sync::Arc::new(config),
                }
            }
            /// The client's configuration.
            pub fn config(&self) -> &$config {
                &self.config
            }
            /// How many responses the service throttled across every call of this client and its
            /// clones, including the ones a retry then turned into a success. A caller that
            /// schedules many calls can watch it to lower its own concurrency.
            pub fn throttled_responses(&self) -> u64 {
                self.handle.throttled_responses()
            }
            /// The state the client shares with its fluent builders and paginators.
            pub(crate) fn handle(&self) -> &std::sync::Arc<$crate::client::Handle> {
                &self.handle
            }
            /// Sends any operation by its type, e.g. `client.call::<GetThing>(input).await`.
            pub async fn call<O: $crate::operation_shape::OperationShape>(
                &self,
                input: O::Input,
            ) -> Result<O::Output, $crate::error::SdkError<O::Error>> {
                self.handle.invoke::<O>(input).await
            }
        }
        impl $crate::client::ProvideHandle for Client {
            fn handle(&self) -> &std::sync::Arc<$crate::client::Handle> {
                &self.handle
            }
        }
    };
}

/// A service's `Config` and its `Builder`: `config_types!(path::to::SERVICE)`, invoked in the
/// generated crate's `config` module. Every method forwards to
/// [`config::Config`](crate::config::Config) and [`config::Builder`](crate::config::Builder),
/// with the service's facts where they matter (the endpoint resolver, the SDK id that names the
/// service's own endpoint setting).
#[macro_export]
macro_rules! config_types {
    ($service:path) => {
        /// Everything a client needs to send calls.
        ///
        /// Build one with [`Config::builder`], or let `Client::new` derive it from an `SdkConfig`
        /// loaded by `aws-config`.
        #[derive(Clone, Debug, Default)]
        pub struct Config {
            inner: $crate::config::Config,
        }
        impl Config {
            /// Starts an empty builder.
            pub fn builder() -> Builder {
                Builder::default()
            }
            /// A builder holding this configuration, to change a few settings.
            pub fn to_builder(&self) -> Builder {
                Builder {
                    inner: self.inner.to_builder(),
                }
            }
            /// The configured region.
            pub fn region(&self) -> Option<&$crate::config::Region> {
                self.inner.region()
            }
            /// The custom endpoint URL, when one is set.
            pub fn endpoint_url(&self) -> Option<&str> {
                self.inner.endpoint_url()
            }
            /// The retry configuration.
            pub fn retry_config(&self) -> &$crate::config::RetryConfig {
                self.inner.retry_config()
            }
            /// The timeout configuration.
            pub fn timeout_config(&self) -> &$crate::config::TimeoutConfig {
                self.inner.timeout_config()
            }
            /// The application name sent in the user agent.
            pub fn app_name(&self) -> Option<&$crate::config::AppName> {
                self.inner.app_name()
            }
            /// Whether FIPS endpoints are used.
            pub fn use_fips(&self) -> bool {
                self.inner.use_fips()
            }
            /// Whether dual-stack endpoints are used.
            pub fn use_dual_stack(&self) -> bool {
                self.inner.use_dual_stack()
            }
            /// The idempotency token provider.
            pub fn idempotency_token_provider(
                &self,
            ) -> &$crate::idempotency::IdempotencyTokenProvider {
                self.inner.idempotency_token_provider()
            }
            /// The endpoint calls go to, from the service's endpoint rules.
            pub fn resolve_endpoint(
                &self,
            ) -> Result<String, $crate::endpoint_builtins::EndpointError> {
                self.inner.resolve_endpoint(&$service)
            }
        }
        impl From<&$crate::config::SdkConfig> for Config {
            fn from(sdk: &$crate::config::SdkConfig) -> Self {
                Self {
                    inner: $crate::config::Config::from_sdk_config(sdk, &$service),
                }
            }
        }
        /// The runtime's view of the configuration, which the client sends calls with.
        impl AsRef<$crate::config::Config> for Config {
            fn as_ref(&self) -> &$crate::config::Config {
                &self.inner
            }
        }

        /// Builder for [`Config`]. Every setting is optional; the defaults are standard retries
        /// (3 attempts), the runtime's default timeouts, random idempotency tokens and the
        /// built-in HTTPS client.
        #[derive(Clone, Debug, Default)]
        pub struct Builder {
            inner: $crate::config::Builder,
        }
        impl Builder {
            /// The AWS region (used for the endpoint and for signing).
            pub fn region(mut self, region: impl Into<Option<$crate::config::Region>>) -> Self {
                self.inner = self.inner.region(region);
                self
            }
            /// Sends every call to this URL instead of the regional endpoint (e.g. a local
            /// emulator).
            pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
                self.inner = self.inner.endpoint_url(url);
                self
            }
            /// Where credentials for signing come from.
            pub fn credentials_provider(
                mut self,
                provider: impl $crate::config::ProvideCredentials + 'static,
            ) -> Self {
                self.inner = self.inner.credentials_provider(provider);
                self
            }
            /// Sets or clears the credentials provider.
            pub fn set_credentials_provider(
                &mut self,
                provider: Option<$crate::config::SharedCredentialsProvider>,
            ) -> &mut Self {
                self.inner.set_credentials_provider(provider);
                self
            }
            /// Where bearer tokens come from, for services with `@httpBearerAuth`.
            pub fn token_provider(
                mut self,
                provider: impl $crate::config::ProvideToken + 'static,
            ) -> Self {
                self.inner = self.inner.token_provider(provider);
                self
            }
            /// How resolved credentials are cached between calls (default: a lazy cache that
            /// refreshes credentials shortly before they expire). `IdentityCache::no_cache()`
            /// asks the provider on every attempt.
            pub fn identity_cache(
                mut self,
                cache: impl $crate::config::ResolveCachedIdentity + 'static,
            ) -> Self {
                self.inner = self.inner.identity_cache(cache);
                self
            }
            /// Retry mode, attempts and backoff bounds.
            pub fn retry_config(mut self, retry_config: $crate::config::RetryConfig) -> Self {
                self.inner = self.inner.retry_config(retry_config);
                self
            }
            /// Connect, per-attempt and per-operation timeouts.
            pub fn timeout_config(mut self, timeout_config: $crate::config::TimeoutConfig) -> Self {
                self.inner = self.inner.timeout_config(timeout_config);
                self
            }
            /// The HTTP client calls are sent through.
            pub fn http_client(
                mut self,
                http_client: impl $crate::config::HttpClient + 'static,
            ) -> Self {
                self.inner = self.inner.http_client(http_client);
                self
            }
            /// How the client waits (backoff between attempts, timeouts).
            pub fn sleep_impl(
                mut self,
                sleep_impl: impl $crate::config::AsyncSleep + 'static,
            ) -> Self {
                self.inner = self.inner.sleep_impl(sleep_impl);
                self
            }
            /// Where the client reads the time (signing, adaptive retries).
            pub fn time_source(
                mut self,
                time_source: impl $crate::config::TimeSource + 'static,
            ) -> Self {
                self.inner = self.inner.time_source(time_source);
                self
            }
            /// How idempotency tokens are made.
            pub fn idempotency_token_provider(
                mut self,
                provider: impl Into<$crate::idempotency::IdempotencyTokenProvider>,
            ) -> Self {
                self.inner = self.inner.idempotency_token_provider(provider);
                self
            }
            /// The application name added to the user agent.
            pub fn app_name(mut self, app_name: $crate::config::AppName) -> Self {
                self.inner = self.inner.app_name(app_name);
                self
            }
            /// Use FIPS endpoints.
            pub fn use_fips(mut self, use_fips: bool) -> Self {
                self.inner = self.inner.use_fips(use_fips);
                self
            }
            /// Use dual-stack endpoints.
            pub fn use_dual_stack(mut self, use_dual_stack: bool) -> Self {
                self.inner = self.inner.use_dual_stack(use_dual_stack);
                self
            }
            /// Finishes the configuration.
            pub fn build(self) -> Config {
                Config {
                    inner: self.inner.build(),
                }
            }
        }
    };
}
