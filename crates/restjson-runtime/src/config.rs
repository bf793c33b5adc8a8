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

mod builder;
mod from_sdk_config;
mod override_plugin;
mod submodules;
mod test_defaults;

pub use submodules::{http, interceptors, retry, timeout};

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use aws_smithy_types::config_bag::CloneableLayer;

// Re-exported so callers (and generated crates) need no extra dependency for the settings.
pub use aws_credential_types::provider::token::{ProvideToken, SharedTokenProvider};
pub use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
pub use aws_credential_types::{Credentials, Token};
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

pub(crate) use override_plugin::ConfigOverrideRuntimePlugin;

use aws_runtime::service_clock_skew::DisableClockSkewCorrection;
use aws_types::endpoint_config::{EndpointUrl, UseDualStack, UseFips};

use crate::idempotency::IdempotencyTokenProvider;

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
        Builder::from_parts(BuilderParts {
            config: self.cloneable.clone(),
            runtime_components: self.runtime_components.clone(),
            runtime_plugins: self.runtime_plugins.clone(),
            behavior_version: self.behavior_version,
        })
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
#[derive(Clone)]
pub struct Builder {
    // Shared until changed. Every fluent builder holds a builder, and cloning or dropping one
    // through the `Arc` costs a count in the caller's code, not the components' clone and drop.
    parts: Arc<BuilderParts>,
}

/// What a [`Builder`] gathers.
#[derive(Clone, Debug)]
pub(crate) struct BuilderParts {
    pub(crate) config: CloneableLayer,
    pub(crate) runtime_components: RuntimeComponentsBuilder,
    pub(crate) runtime_plugins: Vec<SharedRuntimePlugin>,
    pub(crate) behavior_version: Option<BehaviorVersion>,
}

impl fmt::Debug for Builder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts = &*self.parts;
        f.debug_struct("Builder")
            .field("config", &parts.config)
            .field("runtime_components", &parts.runtime_components)
            .field("runtime_plugins", &parts.runtime_plugins)
            .field("behavior_version", &parts.behavior_version)
            .finish()
    }
}

impl Builder {
    /// The builder's parts, to change (copied first if another builder shares them).
    pub(crate) fn parts_mut(&mut self) -> &mut BuilderParts {
        Arc::make_mut(&mut self.parts)
    }

    /// The builder's parts, to read.
    pub(crate) fn parts(&self) -> &BuilderParts {
        &self.parts
    }

    /// The builder's parts, owned.
    pub(crate) fn into_parts(self) -> BuilderParts {
        Arc::unwrap_or_clone(self.parts)
    }

    pub(crate) fn from_parts(parts: BuilderParts) -> Self {
        Self {
            parts: Arc::new(parts),
        }
    }
}

/// Wraps a value in the shared form the runtime components hold.
pub fn into_shared<T: IntoShared<U>, U>(value: T) -> U {
    value.into_shared()
}
