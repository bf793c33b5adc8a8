//! Client configuration, laid out as aws-smithy-runtime lays out any generated client's: a
//! layer of settings (`CloneableLayer`), the runtime components the settings name (HTTP client,
//! interceptors, retry classifiers, resolvers, ...) and runtime plugins. [`Builder::build`]
//! freezes the layer, and the client hands the three to the orchestrator as its "user config"
//! plugin, above the runtime's defaults and the service's own plugin (see
//! [`client`](crate::client)).
//!
//! A generated crate wraps [`Config`] and [`Builder`] in its own types with
//! [`config_types!`](crate::config_types), which forward to the methods here; every setting is
//! stored under the type the official AWS SDK crates store it under, so interceptors and
//! plugins written for them read the same values.

mod from_sdk_config;
mod override_plugin;
mod test_defaults;

use std::time::Duration;

use aws_smithy_types::config_bag::CloneableLayer;
use aws_smithy_types::telemetry::RequestedTelemetryAttributes;

// Re-exported so callers (and generated crates) need no extra dependency for the settings.
pub use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
pub use aws_credential_types::Credentials;
pub use aws_smithy_async::rt::sleep::{AsyncSleep, SharedAsyncSleep, Sleep};
pub use aws_smithy_async::time::{SharedTimeSource, TimeSource};
pub use aws_smithy_runtime::client::identity::IdentityCache;
pub use aws_smithy_runtime::client::retries::RetryPartition;
pub use aws_smithy_runtime_api::client::behavior_version::BehaviorVersion;
pub use aws_smithy_runtime_api::client::http::{HttpClient, SharedHttpClient};
pub use aws_smithy_runtime_api::client::identity::{ResolveCachedIdentity, SharedIdentityCache};
pub use aws_smithy_runtime_api::client::interceptors::{Intercept, SharedInterceptor};
pub use aws_smithy_runtime_api::client::runtime_components::{
    RuntimeComponents, RuntimeComponentsBuilder,
};
pub use aws_smithy_runtime_api::client::stalled_stream_protection::StalledStreamProtectionConfig;
pub use aws_smithy_types::config_bag::ConfigBag;
pub use aws_smithy_types::retry::{RetryConfig, RetryMode};
pub use aws_smithy_types::timeout::TimeoutConfig;
pub use aws_types::app_name::AppName;
pub use aws_types::region::Region;
pub use aws_types::sdk_config::SdkConfig;
pub use aws_types::sdk_ua_metadata::FrameworkMetadata;
// What the settings' signatures name, for the generated crate's forwarding methods.
pub use aws_runtime::invocation_id::{InvocationIdGenerator, SharedInvocationIdGenerator};
pub use aws_smithy_runtime::client::interceptors::{
    MapRequestInterceptor, MutateRequestInterceptor,
};
pub use aws_smithy_runtime_api::client::auth::{
    AuthScheme, AuthSchemePreference, SharedAuthScheme, SharedAuthSchemeOptionResolver,
};
pub use aws_smithy_runtime_api::client::endpoint::SharedEndpointResolver;
pub use aws_smithy_runtime_api::client::endpoint::{
    EndpointFuture, EndpointResolverParams, ResolveEndpoint as ResolveEndpointUntyped,
};
pub use aws_smithy_runtime_api::client::retries::classifiers::{
    ClassifyRetry, SharedRetryClassifier,
};
pub use aws_smithy_runtime_api::client::runtime_plugin::{RuntimePlugin, SharedRuntimePlugin};
pub use aws_smithy_runtime_api::shared::IntoShared;
pub use aws_smithy_types::config_bag::{FrozenLayer, Layer};
pub use aws_smithy_types::endpoint::Endpoint;

/// The HTTP request and response types of the orchestrator.
pub mod http {
    pub use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
}

/// What interceptors receive at each step of a call.
pub mod interceptors {
    pub use aws_smithy_runtime_api::client::interceptors::context::{
        AfterDeserializationInterceptorContextRef, BeforeDeserializationInterceptorContextMut,
        BeforeDeserializationInterceptorContextRef, BeforeSerializationInterceptorContextMut,
        BeforeSerializationInterceptorContextRef, BeforeTransmitInterceptorContextMut,
        BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextMut,
        FinalizerInterceptorContextRef, InterceptorContext,
    };
}

/// Retry settings and classification.
pub mod retry {
    pub use aws_smithy_runtime::client::retries::{ClientRateLimiter, RetryPartition, TokenBucket};
    pub use aws_smithy_runtime_api::client::retries::classifiers::{ClassifyRetry, RetryAction};
    pub use aws_smithy_runtime_api::client::retries::ShouldAttempt;
    pub use aws_smithy_types::retry::{ReconnectMode, RetryConfig, RetryConfigBuilder, RetryMode};
}

/// Timeout settings.
pub mod timeout {
    pub use aws_smithy_types::timeout::{TimeoutConfig, TimeoutConfigBuilder};
}

pub(crate) use override_plugin::ConfigOverrideRuntimePlugin;

use aws_runtime::service_clock_skew::DisableClockSkewCorrection;
use aws_types::endpoint_config::{EndpointUrl, UseDualStack, UseFips};

use crate::endpoint_params::ClientContextParams;
use crate::idempotency::IdempotencyTokenProvider;
use crate::schema::ServiceInfo;
use crate::signing::SIGV4_SCHEME_ID;

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

/// The timeouts a client has where its configuration leaves a setting unset.
pub fn default_timeout_config() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
        .read_timeout(DEFAULT_READ_TIMEOUT)
        .operation_attempt_timeout(DEFAULT_ATTEMPT_TIMEOUT)
        .build()
}

/// Everything a client needs to send calls: the frozen settings, the runtime components and
/// the plugins a [`Builder`] gathered.
#[derive(Clone, Debug)]
pub struct Config {
    pub(crate) config: FrozenLayer,
    // The same settings, kept to turn back into a builder.
    cloneable: CloneableLayer,
    pub(crate) runtime_components: RuntimeComponentsBuilder,
    pub(crate) runtime_plugins: Vec<SharedRuntimePlugin>,
    pub(crate) behavior_version: Option<BehaviorVersion>,
}

impl Config {
    /// A builder holding this configuration, to change a few settings.
    pub fn to_builder(&self) -> Builder {
        Builder {
            config: self.cloneable.clone(),
            runtime_components: self.runtime_components.clone(),
            runtime_plugins: self.runtime_plugins.clone(),
            behavior_version: self.behavior_version,
        }
    }

    /// Stalled stream protection, when set.
    pub fn stalled_stream_protection(&self) -> Option<&StalledStreamProtectionConfig> {
        self.config.load::<StalledStreamProtectionConfig>()
    }

    /// The HTTP client, when one is set.
    pub fn http_client(&self) -> Option<SharedHttpClient> {
        self.runtime_components.http_client()
    }

    /// The auth schemes added to this configuration.
    pub fn auth_schemes(&self) -> impl Iterator<Item = SharedAuthScheme> + '_ {
        self.runtime_components.auth_schemes()
    }

    /// The auth scheme resolver, when one is set.
    pub fn auth_scheme_resolver(&self) -> Option<SharedAuthSchemeOptionResolver> {
        self.runtime_components.auth_scheme_option_resolver()
    }

    /// The preferred order of auth schemes, when set.
    pub fn auth_scheme_preference(&self) -> Option<&AuthSchemePreference> {
        self.config.load::<AuthSchemePreference>()
    }

    /// The endpoint resolver set on this configuration (a generated crate falls back to its
    /// rules when none is).
    pub fn endpoint_resolver(&self) -> Option<SharedEndpointResolver> {
        self.runtime_components.endpoint_resolver()
    }

    /// The retry configuration (standard retries unless another was set).
    pub fn retry_config(&self) -> Option<&RetryConfig> {
        self.config.load::<RetryConfig>()
    }

    /// The sleep implementation, when set.
    pub fn sleep_impl(&self) -> Option<SharedAsyncSleep> {
        self.runtime_components.sleep_impl()
    }

    /// The timeout configuration: what was set, with the client's defaults for the rest.
    pub fn timeout_config(&self) -> Option<&TimeoutConfig> {
        self.config.load::<TimeoutConfig>()
    }

    /// The retry partition, when set.
    pub fn retry_partition(&self) -> Option<&RetryPartition> {
        self.config.load::<RetryPartition>()
    }

    /// The identity cache, when set.
    pub fn identity_cache(&self) -> Option<SharedIdentityCache> {
        self.runtime_components.identity_cache()
    }

    /// The interceptors added to this configuration.
    pub fn interceptors(&self) -> impl Iterator<Item = SharedInterceptor> + '_ {
        self.runtime_components.interceptors()
    }

    /// The time source, when set.
    pub fn time_source(&self) -> Option<SharedTimeSource> {
        self.runtime_components.time_source()
    }

    /// The retry classifiers added to this configuration.
    pub fn retry_classifiers(&self) -> impl Iterator<Item = SharedRetryClassifier> + '_ {
        self.runtime_components.retry_classifiers()
    }

    /// The application name sent in the user agent, when set.
    pub fn app_name(&self) -> Option<&AppName> {
        self.config.load::<AppName>()
    }

    /// The frameworks named in the user agent, in the order they were added.
    pub fn framework_metadata(&self) -> Vec<&FrameworkMetadata> {
        let mut entries: Vec<&FrameworkMetadata> =
            self.config.load::<FrameworkMetadata>().collect();
        entries.reverse();
        entries
    }

    /// Whether clock skew correction is turned off, when set.
    pub fn disable_clock_skew_correction(&self) -> Option<bool> {
        self.config
            .load::<DisableClockSkewCorrection>()
            .map(|it| it.is_disabled())
    }

    /// The invocation id generator, when set.
    pub fn invocation_id_generator(&self) -> Option<SharedInvocationIdGenerator> {
        self.config.load::<SharedInvocationIdGenerator>().cloned()
    }

    /// The region, when set.
    pub fn region(&self) -> Option<&Region> {
        self.config.load::<Region>()
    }

    /// The custom endpoint URL, when one is set.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.config.load::<EndpointUrl>().map(|url| url.0.as_str())
    }

    /// Whether FIPS endpoints are used, when set.
    pub fn use_fips(&self) -> Option<bool> {
        self.config.load::<UseFips>().map(|it| it.0)
    }

    /// Whether dual-stack endpoints are used, when set.
    pub fn use_dual_stack(&self) -> Option<bool> {
        self.config.load::<UseDualStack>().map(|it| it.0)
    }

    /// The idempotency token provider, when set (the client's default draws random UUIDs).
    pub fn idempotency_token_provider(&self) -> Option<&IdempotencyTokenProvider> {
        self.config.load::<IdempotencyTokenProvider>()
    }

    /// The behavior version, when set.
    pub fn behavior_version(&self) -> Option<BehaviorVersion> {
        self.behavior_version
    }

    /// The frozen settings.
    pub fn layer(&self) -> &FrozenLayer {
        &self.config
    }

    /// The runtime components the settings name.
    pub fn runtime_components(&self) -> &RuntimeComponentsBuilder {
        &self.runtime_components
    }
}

/// Gathers a [`Config`]. Every setting is optional: left unset, a client uses standard retries
/// (3 attempts), timeouts of 3.1 s to connect, 60 s for the response to start and 120 s per
/// attempt, random idempotency tokens and the built-in HTTPS client.
#[derive(Clone, Debug)]
pub struct Builder {
    pub(crate) config: CloneableLayer,
    pub(crate) runtime_components: RuntimeComponentsBuilder,
    pub(crate) runtime_plugins: Vec<SharedRuntimePlugin>,
    pub(crate) behavior_version: Option<BehaviorVersion>,
}

impl Default for Builder {
    fn default() -> Self {
        Self {
            config: CloneableLayer::default(),
            runtime_components: RuntimeComponentsBuilder::new("service config"),
            runtime_plugins: Vec::new(),
            behavior_version: None,
        }
    }
}

impl Builder {
    /// Records the input members to emit as telemetry attributes.
    pub fn emit_input_attributes(
        mut self,
        names: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        let mut requested = self.requested_attributes();
        requested.emit(names.into_iter().map(Into::<String>::into));
        self.config.store_put(requested);
        self
    }

    /// Records the input members to capture (but not emit) as telemetry attributes.
    pub fn capture_input_attributes(
        mut self,
        names: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        let mut requested = self.requested_attributes();
        requested.capture_only(names.into_iter().map(Into::<String>::into));
        self.config.store_put(requested);
        self
    }

    fn requested_attributes(&self) -> RequestedTelemetryAttributes {
        self.config
            .load::<RequestedTelemetryAttributes>()
            .cloned()
            .unwrap_or_default()
    }

    /// Sets or clears stalled stream protection.
    pub fn set_stalled_stream_protection(
        &mut self,
        config: Option<StalledStreamProtectionConfig>,
    ) -> &mut Self {
        self.config.store_or_unset(config);
        self
    }

    /// Sets or clears the idempotency token provider.
    pub fn set_idempotency_token_provider(
        &mut self,
        provider: Option<IdempotencyTokenProvider>,
    ) -> &mut Self {
        self.config.store_or_unset(provider);
        self
    }

    /// Sets or clears the HTTP client.
    pub fn set_http_client(&mut self, http_client: Option<SharedHttpClient>) -> &mut Self {
        self.runtime_components.set_http_client(http_client);
        self
    }

    /// Adds an auth scheme.
    pub fn push_auth_scheme(&mut self, auth_scheme: impl AuthScheme + 'static) -> &mut Self {
        self.runtime_components.push_auth_scheme(auth_scheme);
        self
    }

    /// Sets the auth scheme option resolver.
    pub fn set_auth_scheme_option_resolver(
        &mut self,
        resolver: SharedAuthSchemeOptionResolver,
    ) -> &mut Self {
        self.runtime_components
            .set_auth_scheme_option_resolver(Some(resolver));
        self
    }

    /// Lets calls go unsigned when no signing identity is available.
    pub fn set_allow_no_auth(&mut self) -> &mut Self {
        self.push_runtime_plugin(
            aws_smithy_runtime::client::auth::no_auth::NoAuthRuntimePluginV2::new().into_shared(),
        );
        self
    }

    /// Sets or clears the preferred order of auth schemes.
    pub fn set_auth_scheme_preference(
        &mut self,
        preference: Option<AuthSchemePreference>,
    ) -> &mut Self {
        self.config.store_or_unset(preference);
        self
    }

    /// Sets or clears the endpoint resolver.
    pub fn set_endpoint_resolver(&mut self, resolver: Option<SharedEndpointResolver>) -> &mut Self {
        self.runtime_components.set_endpoint_resolver(resolver);
        self
    }

    /// Sets the retry configuration (`None` changes nothing).
    pub fn set_retry_config(&mut self, retry_config: Option<RetryConfig>) -> &mut Self {
        if let Some(retry_config) = retry_config {
            self.config.store_put(retry_config);
        }
        self
    }

    /// Sets the sleep implementation.
    pub fn set_sleep_impl(&mut self, sleep_impl: Option<SharedAsyncSleep>) -> &mut Self {
        self.runtime_components.set_sleep_impl(sleep_impl);
        self
    }

    /// Sets the timeouts. Settings this one leaves unset keep what the builder had, then the
    /// client's defaults; `None` changes nothing.
    pub fn set_timeout_config(&mut self, timeout_config: Option<TimeoutConfig>) -> &mut Self {
        let Some(mut timeout_config) = timeout_config else {
            return self;
        };
        if let Some(base) = self.config.load::<TimeoutConfig>() {
            timeout_config.take_defaults_from(base);
        }
        self.config.store_put(timeout_config);
        self
    }

    /// Sets the retry partition (`None` changes nothing).
    pub fn set_retry_partition(&mut self, retry_partition: Option<RetryPartition>) -> &mut Self {
        if let Some(retry_partition) = retry_partition {
            self.config.store_put(retry_partition);
        }
        self
    }

    /// Sets the identity cache.
    pub fn set_identity_cache(
        &mut self,
        identity_cache: impl ResolveCachedIdentity + 'static,
    ) -> &mut Self {
        self.runtime_components
            .set_identity_cache(Some(identity_cache));
        self
    }

    /// Adds an interceptor.
    pub fn push_interceptor(&mut self, interceptor: SharedInterceptor) -> &mut Self {
        self.runtime_components.push_interceptor(interceptor);
        self
    }

    /// Replaces the interceptors.
    pub fn set_interceptors(
        &mut self,
        interceptors: impl IntoIterator<Item = SharedInterceptor>,
    ) -> &mut Self {
        self.runtime_components
            .set_interceptors(interceptors.into_iter());
        self
    }

    /// Sets or clears the time source.
    pub fn set_time_source(&mut self, time_source: Option<SharedTimeSource>) -> &mut Self {
        self.runtime_components.set_time_source(time_source);
        self
    }

    /// Adds a retry classifier.
    pub fn push_retry_classifier(&mut self, classifier: SharedRetryClassifier) -> &mut Self {
        self.runtime_components.push_retry_classifier(classifier);
        self
    }

    /// Adds a retry classifier, by value.
    pub fn push_retry_classifier_impl(
        &mut self,
        classifier: impl ClassifyRetry + 'static,
    ) -> &mut Self {
        self.push_retry_classifier(SharedRetryClassifier::new(classifier))
    }

    /// Replaces the retry classifiers.
    pub fn set_retry_classifiers(
        &mut self,
        classifiers: impl IntoIterator<Item = SharedRetryClassifier>,
    ) -> &mut Self {
        self.runtime_components
            .set_retry_classifiers(classifiers.into_iter());
        self
    }

    /// Sets or clears the application name.
    pub fn set_app_name(&mut self, app_name: Option<AppName>) -> &mut Self {
        self.config.store_or_unset(app_name);
        self
    }

    /// Adds a framework to the user agent.
    pub fn push_framework_metadata(&mut self, metadata: FrameworkMetadata) -> &mut Self {
        self.config.store_append(metadata);
        self
    }

    /// Turns clock skew correction off or on, or clears the setting.
    pub fn set_disable_clock_skew_correction(&mut self, disable: Option<bool>) -> &mut Self {
        self.config
            .store_or_unset::<DisableClockSkewCorrection>(disable.map(Into::into));
        self
    }

    /// Sets or clears the invocation id generator.
    pub fn set_invocation_id_generator(
        &mut self,
        generator: Option<SharedInvocationIdGenerator>,
    ) -> &mut Self {
        self.config.store_or_unset(generator);
        self
    }

    /// Sets the invocation id generator, by value.
    pub fn invocation_id_generator_impl(
        &mut self,
        generator: impl InvocationIdGenerator + 'static,
    ) -> &mut Self {
        self.set_invocation_id_generator(Some(SharedInvocationIdGenerator::new(generator)))
    }

    /// Sets or clears the custom endpoint URL.
    pub fn set_endpoint_url(&mut self, endpoint_url: Option<String>) -> &mut Self {
        self.config.store_or_unset(endpoint_url.map(EndpointUrl));
        self
    }

    /// Sets or clears the dual-stack setting.
    pub fn set_use_dual_stack(&mut self, use_dual_stack: Option<bool>) -> &mut Self {
        self.config.store_or_unset(use_dual_stack.map(UseDualStack));
        self
    }

    /// Sets or clears the FIPS setting.
    pub fn set_use_fips(&mut self, use_fips: Option<bool>) -> &mut Self {
        self.config.store_or_unset(use_fips.map(UseFips));
        self
    }

    /// Sets or clears the region.
    pub fn set_region(&mut self, region: Option<Region>) -> &mut Self {
        self.config.store_or_unset(region);
        self
    }

    /// Sets the credentials provider (`None` changes nothing).
    pub fn set_credentials_provider(
        &mut self,
        provider: Option<SharedCredentialsProvider>,
    ) -> &mut Self {
        if let Some(provider) = provider {
            self.runtime_components
                .set_identity_resolver(SIGV4_SCHEME_ID, provider);
        }
        self
    }

    /// Sets or clears the behavior version.
    pub fn set_behavior_version(&mut self, behavior_version: Option<BehaviorVersion>) -> &mut Self {
        self.behavior_version = behavior_version;
        self
    }

    /// Sets one of the service's client context parameters (`@clientContextParams`), which the
    /// endpoint rules read.
    pub fn set_client_context_param(
        &mut self,
        name: &'static str,
        value: Option<crate::endpoint::ParamValue>,
    ) -> &mut Self {
        let mut params = self
            .config
            .load::<ClientContextParams>()
            .cloned()
            .unwrap_or_default();
        params.set(name, value);
        self.config.store_put(params);
        self
    }

    /// The value of one client context parameter, when set.
    pub fn get_client_context_param(&self, name: &str) -> Option<&crate::endpoint::ParamValue> {
        self.config
            .load::<ClientContextParams>()
            .and_then(|params| params.get(name))
    }

    /// Adds a runtime plugin.
    pub fn push_runtime_plugin(&mut self, plugin: SharedRuntimePlugin) -> &mut Self {
        self.runtime_plugins.push(plugin);
        self
    }

    /// Adds a runtime plugin, by value.
    pub fn runtime_plugin(mut self, plugin: impl RuntimePlugin + 'static) -> Self {
        self.push_runtime_plugin(SharedRuntimePlugin::new(plugin));
        self
    }

    /// The settings gathered so far.
    pub fn layer(&self) -> &CloneableLayer {
        &self.config
    }

    /// Freezes the configuration of a client of `service`. Timeouts left unset take the
    /// client's defaults, and retries are standard unless set, so the configuration shows what
    /// calls get.
    pub fn build(mut self, service: &'static ServiceInfo) -> Config {
        let mut layer = self.config;
        let mut timeouts = layer
            .load::<TimeoutConfig>()
            .cloned()
            .unwrap_or_else(|| TimeoutConfig::builder().build());
        timeouts.take_defaults_from(&default_timeout_config());
        layer.store_put(timeouts);
        if layer.load::<RetryConfig>().is_none() {
            layer.store_put(RetryConfig::standard());
        }
        if self.runtime_components.time_source().is_none() {
            self.runtime_components
                .set_time_source(Some(SharedTimeSource::default()));
        }
        if let Some(name) = service.signing_name {
            layer.store_put(aws_types::SigningName::from_static(name));
        }
        if let Some(region) = layer.load::<Region>().cloned() {
            layer.store_put(aws_types::region::SigningRegion::from(region));
        }
        Config {
            config: Layer::from(layer.clone())
                .with_name("restjson_runtime::config::Config")
                .freeze(),
            cloneable: layer,
            runtime_components: self.runtime_components,
            runtime_plugins: self.runtime_plugins,
            behavior_version: self.behavior_version,
        }
    }
}

/// Wraps a value in the shared form the runtime components hold.
pub fn into_shared<T: IntoShared<U>, U>(value: T) -> U {
    value.into_shared()
}
