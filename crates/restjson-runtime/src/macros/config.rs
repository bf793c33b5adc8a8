//! The macro that gives a generated crate its own `Config` and `config::Builder`, with the
//! official AWS SDK crates' methods and signatures, forwarding to the runtime's.

/// A service's `Config` and its `Builder`: `config_types!(path::to::SERVICE)`, invoked in the
/// generated crate's `config` module. Every method forwards to
/// [`config::Config`](crate::config::Config) and [`config::Builder`](crate::config::Builder),
/// with the service's facts where they matter (its signing name, the SDK id that names the
/// service's own endpoint setting, its endpoint rules).
#[macro_export]
macro_rules! config_types {
    ($service:path) => {
        /// Everything a client needs to send calls.
        ///
        /// Build one with [`Config::builder`], or let `Client::new` derive it from an `SdkConfig`
        /// loaded by `aws-config`.
        #[derive(Clone, Debug)]
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
            /// A configuration from an `SdkConfig` loaded by `aws-config`.
            pub fn new(config: &$crate::config::SdkConfig) -> Self {
                Builder::from(config).build()
            }
            /// Stalled stream protection, when set.
            pub fn stalled_stream_protection(
                &self,
            ) -> Option<&$crate::config::StalledStreamProtectionConfig> {
                self.inner.stalled_stream_protection()
            }
            /// The HTTP client, when one is set.
            pub fn http_client(&self) -> Option<$crate::config::SharedHttpClient> {
                self.inner.http_client()
            }
            /// The auth schemes added to this configuration.
            pub fn auth_schemes(
                &self,
            ) -> impl Iterator<Item = $crate::config::SharedAuthScheme> + '_ {
                self.inner.auth_schemes()
            }
            /// The auth scheme resolver, when one is set.
            pub fn auth_scheme_resolver(
                &self,
            ) -> Option<$crate::config::SharedAuthSchemeOptionResolver> {
                self.inner.auth_scheme_resolver()
            }
            /// The preferred order of auth schemes, when set.
            pub fn auth_scheme_preference(&self) -> Option<&$crate::config::AuthSchemePreference> {
                self.inner.auth_scheme_preference()
            }
            /// The endpoint resolver: the configured one, else the service's rules.
            pub fn endpoint_resolver(&self) -> $crate::config::SharedEndpointResolver {
                self.inner
                    .endpoint_resolver()
                    .unwrap_or_else(|| ($service.endpoint.default_resolver)())
            }
            /// The retry configuration (standard retries unless another was set).
            pub fn retry_config(&self) -> Option<&$crate::config::RetryConfig> {
                self.inner.retry_config()
            }
            /// The sleep implementation, when set.
            pub fn sleep_impl(&self) -> Option<$crate::config::SharedAsyncSleep> {
                self.inner.sleep_impl()
            }
            /// The timeout configuration: what was set, with the client's defaults for the
            /// rest (3.1 s to connect, 60 s for the response to start, 120 s per attempt).
            pub fn timeout_config(&self) -> Option<&$crate::config::TimeoutConfig> {
                self.inner.timeout_config()
            }
            /// The retry partition, when set.
            pub fn retry_partition(&self) -> Option<&$crate::config::RetryPartition> {
                self.inner.retry_partition()
            }
            /// The identity cache, when set.
            pub fn identity_cache(&self) -> Option<$crate::config::SharedIdentityCache> {
                self.inner.identity_cache()
            }
            /// The interceptors added to this configuration.
            pub fn interceptors(
                &self,
            ) -> impl Iterator<Item = $crate::config::SharedInterceptor> + '_ {
                self.inner.interceptors()
            }
            /// The time source, when set.
            pub fn time_source(&self) -> Option<$crate::config::SharedTimeSource> {
                self.inner.time_source()
            }
            /// The retry classifiers added to this configuration.
            pub fn retry_classifiers(
                &self,
            ) -> impl Iterator<Item = $crate::config::SharedRetryClassifier> + '_ {
                self.inner.retry_classifiers()
            }
            /// The application name sent in the user agent, when set.
            pub fn app_name(&self) -> Option<&$crate::config::AppName> {
                self.inner.app_name()
            }
            /// The frameworks named in the user agent, in the order they were added.
            pub fn framework_metadata(&self) -> Vec<&$crate::config::FrameworkMetadata> {
                self.inner.framework_metadata()
            }
            /// Whether clock skew correction is turned off, when set.
            pub fn disable_clock_skew_correction(&self) -> Option<bool> {
                self.inner.disable_clock_skew_correction()
            }
            /// The invocation id generator, when set.
            pub fn invocation_id_generator(
                &self,
            ) -> Option<$crate::config::SharedInvocationIdGenerator> {
                self.inner.invocation_id_generator()
            }
            /// The SigV4 signing name of the service.
            pub fn signing_name(&self) -> &'static str {
                $service.signing_name.unwrap_or_default()
            }
            /// The region, when set.
            pub fn region(&self) -> Option<&$crate::config::Region> {
                self.inner.region()
            }
            /// The custom endpoint URL, when one is set.
            pub fn endpoint_url(&self) -> Option<&str> {
                self.inner.endpoint_url()
            }
            /// Always `None`, as in the official SDK crates, whose getter has never returned the
            /// provider: credentials are an identity resolver of the configuration.
            #[deprecated(note = "always returns `None`, as the official SDK crates' getter does")]
            pub fn credentials_provider(
                &self,
            ) -> Option<$crate::config::SharedCredentialsProvider> {
                None
            }
        }
        impl AsRef<$crate::config::Config> for Config {
            fn as_ref(&self) -> &$crate::config::Config {
                &self.inner
            }
        }
        impl From<&$crate::config::SdkConfig> for Config {
            fn from(config: &$crate::config::SdkConfig) -> Self {
                Builder::from(config).build()
            }
        }

        /// Builder for [`Config`]. Every setting is optional; the defaults are standard retries
        /// (3 attempts), timeouts of 3.1 s to connect, 60 s for the response to start and 120 s
        /// per attempt, random idempotency tokens and the built-in HTTPS client.
        #[derive(Clone, Debug, Default)]
        pub struct Builder {
            inner: $crate::config::Builder,
        }
        impl From<&$crate::config::SdkConfig> for Builder {
            fn from(config: &$crate::config::SdkConfig) -> Self {
                Builder {
                    inner: $crate::config::Builder::from_sdk_config(config, $service.sdk_id),
                }
            }
        }
        impl From<Builder> for $crate::config::Builder {
            fn from(builder: Builder) -> Self {
                builder.inner
            }
        }
        impl Builder {
            /// An empty builder.
            pub fn new() -> Self {
                Self::default()
            }
            /// Records the input members to emit as telemetry attributes.
            pub fn emit_input_attributes(
                mut self,
                names: impl IntoIterator<Item = impl Into<String>>,
            ) -> Self {
                self.inner = self.inner.emit_input_attributes(names);
                self
            }
            /// Records the input members to capture (not emit) as telemetry attributes.
            pub fn capture_input_attributes(
                mut self,
                names: impl IntoIterator<Item = impl Into<String>>,
            ) -> Self {
                self.inner = self.inner.capture_input_attributes(names);
                self
            }
            /// Sets stalled stream protection.
            pub fn stalled_stream_protection(
                mut self,
                config: $crate::config::StalledStreamProtectionConfig,
            ) -> Self {
                self.inner.set_stalled_stream_protection(Some(config));
                self
            }
            /// Sets or clears stalled stream protection.
            pub fn set_stalled_stream_protection(
                &mut self,
                config: Option<$crate::config::StalledStreamProtectionConfig>,
            ) -> &mut Self {
                self.inner.set_stalled_stream_protection(config);
                self
            }
            /// How idempotency tokens are made (a `&'static str` gives every call that token).
            pub fn idempotency_token_provider(
                mut self,
                provider: impl Into<$crate::idempotency::IdempotencyTokenProvider>,
            ) -> Self {
                self.inner
                    .set_idempotency_token_provider(Some(provider.into()));
                self
            }
            /// Sets or clears the idempotency token provider.
            pub fn set_idempotency_token_provider(
                &mut self,
                provider: Option<$crate::idempotency::IdempotencyTokenProvider>,
            ) -> &mut Self {
                self.inner.set_idempotency_token_provider(provider);
                self
            }
            /// The HTTP client calls are sent through.
            pub fn http_client(
                mut self,
                http_client: impl $crate::config::HttpClient + 'static,
            ) -> Self {
                self.inner
                    .set_http_client(Some($crate::config::into_shared(http_client)));
                self
            }
            /// Sets or clears the HTTP client.
            pub fn set_http_client(
                &mut self,
                http_client: Option<$crate::config::SharedHttpClient>,
            ) -> &mut Self {
                self.inner.set_http_client(http_client);
                self
            }
            /// Adds an auth scheme.
            pub fn push_auth_scheme(
                mut self,
                auth_scheme: impl $crate::config::AuthScheme + 'static,
            ) -> Self {
                self.inner.push_auth_scheme(auth_scheme);
                self
            }
            /// Sets the auth scheme resolver.
            pub fn auth_scheme_resolver(
                mut self,
                resolver: impl $crate::auth::ResolveAuthScheme + 'static,
            ) -> Self {
                self.set_auth_scheme_resolver(resolver);
                self
            }
            /// Sets the auth scheme resolver.
            pub fn set_auth_scheme_resolver(
                &mut self,
                resolver: impl $crate::auth::ResolveAuthScheme + 'static,
            ) -> &mut Self {
                self.inner.set_auth_scheme_option_resolver(
                    $crate::auth::ResolveAuthScheme::into_shared_resolver(resolver),
                );
                self
            }
            /// Lets calls go unsigned when no signing identity is available.
            pub fn allow_no_auth(mut self) -> Self {
                self.inner.set_allow_no_auth();
                self
            }
            /// Lets calls go unsigned when no signing identity is available.
            pub fn set_allow_no_auth(&mut self) -> &mut Self {
                self.inner.set_allow_no_auth();
                self
            }
            /// Sets the preferred order of auth schemes.
            pub fn auth_scheme_preference(
                mut self,
                preference: impl Into<$crate::config::AuthSchemePreference>,
            ) -> Self {
                self.inner
                    .set_auth_scheme_preference(Some(preference.into()));
                self
            }
            /// Sets or clears the preferred order of auth schemes.
            pub fn set_auth_scheme_preference(
                &mut self,
                preference: Option<$crate::config::AuthSchemePreference>,
            ) -> &mut Self {
                self.inner.set_auth_scheme_preference(preference);
                self
            }
            /// Replaces the service's endpoint rules with this resolver.
            pub fn endpoint_resolver(
                mut self,
                resolver: impl endpoint::ResolveEndpoint + 'static,
            ) -> Self {
                self.inner.set_endpoint_resolver(Some(
                    endpoint::ResolveEndpoint::into_shared_resolver(resolver),
                ));
                self
            }
            /// Sets or clears the endpoint resolver.
            pub fn set_endpoint_resolver(
                &mut self,
                resolver: Option<$crate::config::SharedEndpointResolver>,
            ) -> &mut Self {
                self.inner.set_endpoint_resolver(resolver);
                self
            }
            /// Retry mode, attempts and backoff bounds.
            pub fn retry_config(mut self, retry_config: $crate::config::RetryConfig) -> Self {
                self.inner.set_retry_config(Some(retry_config));
                self
            }
            /// Sets the retry configuration (`None` changes nothing).
            pub fn set_retry_config(
                &mut self,
                retry_config: Option<$crate::config::RetryConfig>,
            ) -> &mut Self {
                self.inner.set_retry_config(retry_config);
                self
            }
            /// How the client waits (backoff between attempts, timeouts).
            pub fn sleep_impl(
                mut self,
                sleep_impl: impl $crate::config::AsyncSleep + 'static,
            ) -> Self {
                self.inner
                    .set_sleep_impl(Some($crate::config::into_shared(sleep_impl)));
                self
            }
            /// Sets or clears the sleep implementation.
            pub fn set_sleep_impl(
                &mut self,
                sleep_impl: Option<$crate::config::SharedAsyncSleep>,
            ) -> &mut Self {
                self.inner.set_sleep_impl(sleep_impl);
                self
            }
            /// Connect, read, per-attempt and per-operation timeouts. Settings left unset keep
            /// their defaults; `TimeoutConfig::disabled()` (or a setting disabled on its own)
            /// waits forever.
            pub fn timeout_config(mut self, timeout_config: $crate::config::TimeoutConfig) -> Self {
                self.inner.set_timeout_config(Some(timeout_config));
                self
            }
            /// Sets the timeouts (`None` changes nothing).
            pub fn set_timeout_config(
                &mut self,
                timeout_config: Option<$crate::config::TimeoutConfig>,
            ) -> &mut Self {
                self.inner.set_timeout_config(timeout_config);
                self
            }
            /// The retry partition (token bucket and rate limiter) calls share.
            pub fn retry_partition(
                mut self,
                retry_partition: $crate::config::RetryPartition,
            ) -> Self {
                self.inner.set_retry_partition(Some(retry_partition));
                self
            }
            /// Sets the retry partition (`None` changes nothing).
            pub fn set_retry_partition(
                &mut self,
                retry_partition: Option<$crate::config::RetryPartition>,
            ) -> &mut Self {
                self.inner.set_retry_partition(retry_partition);
                self
            }
            /// How resolved credentials are cached between calls.
            pub fn identity_cache(
                mut self,
                identity_cache: impl $crate::config::ResolveCachedIdentity + 'static,
            ) -> Self {
                self.inner.set_identity_cache(identity_cache);
                self
            }
            /// Sets the identity cache.
            pub fn set_identity_cache(
                &mut self,
                identity_cache: impl $crate::config::ResolveCachedIdentity + 'static,
            ) -> &mut Self {
                self.inner.set_identity_cache(identity_cache);
                self
            }
            /// Adds an interceptor, which every call runs.
            pub fn interceptor(
                mut self,
                interceptor: impl $crate::config::Intercept + 'static,
            ) -> Self {
                self.inner
                    .push_interceptor($crate::config::SharedInterceptor::new(interceptor));
                self
            }
            /// Adds an interceptor.
            pub fn push_interceptor(
                &mut self,
                interceptor: $crate::config::SharedInterceptor,
            ) -> &mut Self {
                self.inner.push_interceptor(interceptor);
                self
            }
            /// Replaces the interceptors.
            pub fn set_interceptors(
                &mut self,
                interceptors: impl IntoIterator<Item = $crate::config::SharedInterceptor>,
            ) -> &mut Self {
                self.inner.set_interceptors(interceptors);
                self
            }
            /// Where the client reads the time (signing, adaptive retries).
            pub fn time_source(
                mut self,
                time_source: impl $crate::config::TimeSource + 'static,
            ) -> Self {
                self.inner
                    .set_time_source(Some($crate::config::into_shared(time_source)));
                self
            }
            /// Sets or clears the time source.
            pub fn set_time_source(
                &mut self,
                time_source: Option<$crate::config::SharedTimeSource>,
            ) -> &mut Self {
                self.inner.set_time_source(time_source);
                self
            }
            /// Adds a retry classifier.
            pub fn retry_classifier(
                mut self,
                classifier: impl $crate::config::ClassifyRetry + 'static,
            ) -> Self {
                self.inner.push_retry_classifier_impl(classifier);
                self
            }
            /// Adds a retry classifier.
            pub fn push_retry_classifier(
                &mut self,
                classifier: $crate::config::SharedRetryClassifier,
            ) -> &mut Self {
                self.inner.push_retry_classifier(classifier);
                self
            }
            /// Replaces the retry classifiers.
            pub fn set_retry_classifiers(
                &mut self,
                classifiers: impl IntoIterator<Item = $crate::config::SharedRetryClassifier>,
            ) -> &mut Self {
                self.inner.set_retry_classifiers(classifiers);
                self
            }
            /// The application name added to the user agent.
            pub fn app_name(mut self, app_name: $crate::config::AppName) -> Self {
                self.inner.set_app_name(Some(app_name));
                self
            }
            /// Sets or clears the application name.
            pub fn set_app_name(&mut self, app_name: Option<$crate::config::AppName>) -> &mut Self {
                self.inner.set_app_name(app_name);
                self
            }
            /// Adds a framework to the user agent.
            pub fn framework_metadata(
                mut self,
                metadata: $crate::config::FrameworkMetadata,
            ) -> Self {
                self.inner.push_framework_metadata(metadata);
                self
            }
            /// Adds a framework to the user agent.
            pub fn push_framework_metadata(
                &mut self,
                metadata: $crate::config::FrameworkMetadata,
            ) -> &mut Self {
                self.inner.push_framework_metadata(metadata);
                self
            }
            /// Turns clock skew correction off (`true`) or on.
            pub fn disable_clock_skew_correction(
                mut self,
                disable: impl Into<Option<bool>>,
            ) -> Self {
                self.inner.set_disable_clock_skew_correction(disable.into());
                self
            }
            /// Sets or clears the clock skew setting.
            pub fn set_disable_clock_skew_correction(
                &mut self,
                disable: Option<bool>,
            ) -> &mut Self {
                self.inner.set_disable_clock_skew_correction(disable);
                self
            }
            /// How the `amz-sdk-invocation-id` of each call is made.
            pub fn invocation_id_generator(
                mut self,
                generator: impl $crate::config::InvocationIdGenerator + 'static,
            ) -> Self {
                self.inner.invocation_id_generator_impl(generator);
                self
            }
            /// Sets or clears the invocation id generator.
            pub fn set_invocation_id_generator(
                &mut self,
                generator: Option<$crate::config::SharedInvocationIdGenerator>,
            ) -> &mut Self {
                self.inner.set_invocation_id_generator(generator);
                self
            }
            /// Sends every call to this URL instead of the regional endpoint (e.g. a local
            /// emulator).
            pub fn endpoint_url(mut self, endpoint_url: impl Into<String>) -> Self {
                self.inner.set_endpoint_url(Some(endpoint_url.into()));
                self
            }
            /// Sets or clears the custom endpoint URL.
            pub fn set_endpoint_url(&mut self, endpoint_url: Option<String>) -> &mut Self {
                self.inner.set_endpoint_url(endpoint_url);
                self
            }
            /// Use dual-stack endpoints.
            pub fn use_dual_stack(mut self, use_dual_stack: impl Into<bool>) -> Self {
                self.inner.set_use_dual_stack(Some(use_dual_stack.into()));
                self
            }
            /// Sets or clears the dual-stack setting.
            pub fn set_use_dual_stack(&mut self, use_dual_stack: Option<bool>) -> &mut Self {
                self.inner.set_use_dual_stack(use_dual_stack);
                self
            }
            /// Use FIPS endpoints.
            pub fn use_fips(mut self, use_fips: impl Into<bool>) -> Self {
                self.inner.set_use_fips(Some(use_fips.into()));
                self
            }
            /// Sets or clears the FIPS setting.
            pub fn set_use_fips(&mut self, use_fips: Option<bool>) -> &mut Self {
                self.inner.set_use_fips(use_fips);
                self
            }
            /// The AWS region (used for the endpoint and for signing).
            pub fn region(mut self, region: impl Into<Option<$crate::config::Region>>) -> Self {
                self.inner.set_region(region.into());
                self
            }
            /// Sets or clears the region.
            pub fn set_region(&mut self, region: Option<$crate::config::Region>) -> &mut Self {
                self.inner.set_region(region);
                self
            }
            /// Where credentials for signing come from.
            pub fn credentials_provider(
                mut self,
                provider: impl $crate::config::ProvideCredentials + 'static,
            ) -> Self {
                self.inner.set_credentials_provider(Some(
                    $crate::config::SharedCredentialsProvider::new(provider),
                ));
                self
            }
            /// Sets the credentials provider (`None` changes nothing).
            pub fn set_credentials_provider(
                &mut self,
                provider: Option<$crate::config::SharedCredentialsProvider>,
            ) -> &mut Self {
                self.inner.set_credentials_provider(provider);
                self
            }
            /// Where bearer tokens come from, for operations with `@httpBearerAuth`.
            pub fn token_provider(
                mut self,
                provider: impl $crate::config::ProvideToken + 'static,
            ) -> Self {
                self.inner
                    .set_token_provider(Some($crate::config::SharedTokenProvider::new(provider)));
                self
            }
            /// Sets the token provider (`None` changes nothing).
            pub fn set_token_provider(
                &mut self,
                provider: Option<$crate::config::SharedTokenProvider>,
            ) -> &mut Self {
                self.inner.set_token_provider(provider);
                self
            }
            /// The behavior version (the defaults of this crate follow the latest).
            pub fn behavior_version(
                mut self,
                behavior_version: $crate::config::BehaviorVersion,
            ) -> Self {
                self.inner.set_behavior_version(Some(behavior_version));
                self
            }
            /// Sets or clears the behavior version.
            pub fn set_behavior_version(
                &mut self,
                behavior_version: Option<$crate::config::BehaviorVersion>,
            ) -> &mut Self {
                self.inner.set_behavior_version(behavior_version);
                self
            }
            /// Uses the latest behavior version.
            pub fn behavior_version_latest(mut self) -> Self {
                self.inner
                    .set_behavior_version(Some($crate::config::BehaviorVersion::latest()));
                self
            }
            /// Settings for unit tests: a fixed idempotency token, a fixed clock, test
            /// credentials, the latest behavior version.
            pub fn apply_test_defaults(&mut self) -> &mut Self {
                self.inner.apply_test_defaults();
                self
            }
            /// [`apply_test_defaults`](Self::apply_test_defaults), by value.
            pub fn with_test_defaults(mut self) -> Self {
                self.inner.apply_test_defaults();
                self
            }
            /// [`apply_test_defaults`](Self::apply_test_defaults), and the region `us-east-1`
            /// when none is set.
            pub fn apply_test_defaults_v2(&mut self) -> &mut Self {
                self.inner.apply_test_defaults_v2();
                self
            }
            /// [`apply_test_defaults_v2`](Self::apply_test_defaults_v2), by value.
            pub fn with_test_defaults_v2(mut self) -> Self {
                self.inner.apply_test_defaults_v2();
                self
            }
            /// Adds a runtime plugin.
            pub fn runtime_plugin(
                mut self,
                plugin: impl $crate::config::RuntimePlugin + 'static,
            ) -> Self {
                self.inner = self.inner.runtime_plugin(plugin);
                self
            }
            /// Adds a runtime plugin.
            pub fn push_runtime_plugin(
                &mut self,
                plugin: $crate::config::SharedRuntimePlugin,
            ) -> &mut Self {
                self.inner.push_runtime_plugin(plugin);
                self
            }
            /// Sets one of the service's client context parameters (`@clientContextParams`).
            pub fn set_client_context_param(
                &mut self,
                name: &'static str,
                value: Option<$crate::endpoint::ParamValue>,
            ) -> &mut Self {
                self.inner.set_client_context_param(name, value);
                self
            }
            /// Finishes the configuration.
            pub fn build(self) -> Config {
                Config {
                    inner: self.inner.build(&$service),
                }
            }
        }
    };
}
