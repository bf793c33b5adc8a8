//! The setters of [`Builder`], and freezing it into a [`Config`].

use aws_runtime::service_clock_skew::DisableClockSkewCorrection;
use aws_smithy_runtime_api::client::auth::http::HTTP_BEARER_AUTH_SCHEME_ID;
use aws_smithy_types::config_bag::{CloneableLayer, Layer};
use aws_smithy_types::telemetry::RequestedTelemetryAttributes;
use aws_types::endpoint_config::{EndpointUrl, UseDualStack, UseFips};

use super::*;
use crate::endpoint_params::ClientContextParams;
use crate::idempotency::IdempotencyTokenProvider;
use crate::schema::ServiceInfo;
use crate::signing::SIGV4_SCHEME_ID;

impl Default for Builder {
    fn default() -> Self {
        Self::from_parts(BuilderParts {
            config: CloneableLayer::default(),
            runtime_components: RuntimeComponentsBuilder::new("service config"),
            runtime_plugins: Vec::new(),
            behavior_version: None,
        })
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
        self.parts_mut().config.store_put(requested);
        self
    }

    /// Records the input members to capture (but not emit) as telemetry attributes.
    pub fn capture_input_attributes(
        mut self,
        names: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        let mut requested = self.requested_attributes();
        requested.capture_only(names.into_iter().map(Into::<String>::into));
        self.parts_mut().config.store_put(requested);
        self
    }

    fn requested_attributes(&self) -> RequestedTelemetryAttributes {
        self.parts()
            .config
            .load::<RequestedTelemetryAttributes>()
            .cloned()
            .unwrap_or_default()
    }

    /// Sets or clears stalled stream protection.
    pub fn set_stalled_stream_protection(
        &mut self,
        config: Option<StalledStreamProtectionConfig>,
    ) -> &mut Self {
        self.parts_mut().config.store_or_unset(config);
        self
    }

    /// Sets or clears the idempotency token provider.
    pub fn set_idempotency_token_provider(
        &mut self,
        provider: Option<IdempotencyTokenProvider>,
    ) -> &mut Self {
        self.parts_mut().config.store_or_unset(provider);
        self
    }

    /// Sets or clears the HTTP client.
    pub fn set_http_client(&mut self, http_client: Option<SharedHttpClient>) -> &mut Self {
        self.parts_mut()
            .runtime_components
            .set_http_client(http_client);
        self
    }

    /// Adds an auth scheme.
    pub fn push_auth_scheme(&mut self, auth_scheme: impl AuthScheme + 'static) -> &mut Self {
        self.parts_mut()
            .runtime_components
            .push_auth_scheme(auth_scheme);
        self
    }

    /// Sets the auth scheme option resolver.
    pub fn set_auth_scheme_option_resolver(
        &mut self,
        resolver: SharedAuthSchemeOptionResolver,
    ) -> &mut Self {
        self.parts_mut()
            .runtime_components
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
        self.parts_mut().config.store_or_unset(preference);
        self
    }

    /// Sets or clears the endpoint resolver.
    pub fn set_endpoint_resolver(&mut self, resolver: Option<SharedEndpointResolver>) -> &mut Self {
        self.parts_mut()
            .runtime_components
            .set_endpoint_resolver(resolver);
        self
    }

    /// Sets the retry configuration (`None` changes nothing).
    pub fn set_retry_config(&mut self, retry_config: Option<RetryConfig>) -> &mut Self {
        if let Some(retry_config) = retry_config {
            self.parts_mut().config.store_put(retry_config);
        }
        self
    }

    /// Sets the sleep implementation.
    pub fn set_sleep_impl(&mut self, sleep_impl: Option<SharedAsyncSleep>) -> &mut Self {
        self.parts_mut()
            .runtime_components
            .set_sleep_impl(sleep_impl);
        self
    }

    /// Sets the timeouts. Settings this one leaves unset keep what the builder had, then the
    /// client's defaults; `None` changes nothing.
    pub fn set_timeout_config(&mut self, timeout_config: Option<TimeoutConfig>) -> &mut Self {
        let Some(mut timeout_config) = timeout_config else {
            return self;
        };
        if let Some(base) = self.parts().config.load::<TimeoutConfig>() {
            timeout_config.take_defaults_from(base);
        }
        self.parts_mut().config.store_put(timeout_config);
        self
    }

    /// Sets the retry partition (`None` changes nothing).
    pub fn set_retry_partition(&mut self, retry_partition: Option<RetryPartition>) -> &mut Self {
        if let Some(retry_partition) = retry_partition {
            self.parts_mut().config.store_put(retry_partition);
        }
        self
    }

    /// Sets the identity cache.
    pub fn set_identity_cache(
        &mut self,
        identity_cache: impl ResolveCachedIdentity + 'static,
    ) -> &mut Self {
        self.parts_mut()
            .runtime_components
            .set_identity_cache(Some(identity_cache));
        self
    }

    /// Adds an interceptor.
    pub fn push_interceptor(&mut self, interceptor: SharedInterceptor) -> &mut Self {
        self.parts_mut()
            .runtime_components
            .push_interceptor(interceptor);
        self
    }

    /// Replaces the interceptors.
    pub fn set_interceptors(
        &mut self,
        interceptors: impl IntoIterator<Item = SharedInterceptor>,
    ) -> &mut Self {
        self.parts_mut()
            .runtime_components
            .set_interceptors(interceptors.into_iter());
        self
    }

    /// Sets or clears the time source.
    pub fn set_time_source(&mut self, time_source: Option<SharedTimeSource>) -> &mut Self {
        self.parts_mut()
            .runtime_components
            .set_time_source(time_source);
        self
    }

    /// Adds a retry classifier.
    pub fn push_retry_classifier(&mut self, classifier: SharedRetryClassifier) -> &mut Self {
        self.parts_mut()
            .runtime_components
            .push_retry_classifier(classifier);
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
        self.parts_mut()
            .runtime_components
            .set_retry_classifiers(classifiers.into_iter());
        self
    }

    /// Sets or clears the application name.
    pub fn set_app_name(&mut self, app_name: Option<AppName>) -> &mut Self {
        self.parts_mut().config.store_or_unset(app_name);
        self
    }

    /// Adds a framework to the user agent.
    pub fn push_framework_metadata(&mut self, metadata: FrameworkMetadata) -> &mut Self {
        self.parts_mut().config.store_append(metadata);
        self
    }

    /// Turns clock skew correction off or on, or clears the setting.
    pub fn set_disable_clock_skew_correction(&mut self, disable: Option<bool>) -> &mut Self {
        self.parts_mut()
            .config
            .store_or_unset::<DisableClockSkewCorrection>(disable.map(Into::into));
        self
    }

    /// Sets or clears the invocation id generator.
    pub fn set_invocation_id_generator(
        &mut self,
        generator: Option<SharedInvocationIdGenerator>,
    ) -> &mut Self {
        self.parts_mut().config.store_or_unset(generator);
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
        self.parts_mut()
            .config
            .store_or_unset(endpoint_url.map(EndpointUrl));
        self
    }

    /// Sets or clears the dual-stack setting.
    pub fn set_use_dual_stack(&mut self, use_dual_stack: Option<bool>) -> &mut Self {
        self.parts_mut()
            .config
            .store_or_unset(use_dual_stack.map(UseDualStack));
        self
    }

    /// Sets or clears the FIPS setting.
    pub fn set_use_fips(&mut self, use_fips: Option<bool>) -> &mut Self {
        self.parts_mut()
            .config
            .store_or_unset(use_fips.map(UseFips));
        self
    }

    /// Sets or clears the region.
    pub fn set_region(&mut self, region: Option<Region>) -> &mut Self {
        self.parts_mut().config.store_or_unset(region);
        self
    }

    /// Sets the credentials provider (`None` changes nothing).
    pub fn set_credentials_provider(
        &mut self,
        provider: Option<SharedCredentialsProvider>,
    ) -> &mut Self {
        if let Some(provider) = provider {
            self.parts_mut()
                .runtime_components
                .set_identity_resolver(SIGV4_SCHEME_ID, provider);
        }
        self
    }

    /// Sets the token provider of bearer auth (`@httpBearerAuth`; `None` changes nothing).
    pub fn set_token_provider(&mut self, provider: Option<SharedTokenProvider>) -> &mut Self {
        if let Some(provider) = provider {
            self.parts_mut()
                .runtime_components
                .set_identity_resolver(HTTP_BEARER_AUTH_SCHEME_ID, provider);
        }
        self
    }

    /// Sets or clears the behavior version.
    pub fn set_behavior_version(&mut self, behavior_version: Option<BehaviorVersion>) -> &mut Self {
        self.parts_mut().behavior_version = behavior_version;
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
            .parts()
            .config
            .load::<ClientContextParams>()
            .cloned()
            .unwrap_or_default();
        params.set(name, value);
        self.parts_mut().config.store_put(params);
        self
    }

    /// The value of one client context parameter, when set.
    pub fn get_client_context_param(&self, name: &str) -> Option<&crate::endpoint::ParamValue> {
        self.parts()
            .config
            .load::<ClientContextParams>()
            .and_then(|params| params.get(name))
    }

    /// Adds a runtime plugin.
    pub fn push_runtime_plugin(&mut self, plugin: SharedRuntimePlugin) -> &mut Self {
        self.parts_mut().runtime_plugins.push(plugin);
        self
    }

    /// Adds a runtime plugin, by value.
    pub fn runtime_plugin(mut self, plugin: impl RuntimePlugin + 'static) -> Self {
        self.push_runtime_plugin(SharedRuntimePlugin::new(plugin));
        self
    }

    /// The settings gathered so far.
    pub fn layer(&self) -> &CloneableLayer {
        &self.parts().config
    }

    /// Freezes the configuration of a client of `service`. Timeouts left unset take the
    /// client's defaults, and retries are standard unless set, so the configuration shows what
    /// calls get.
    pub fn build(self, service: &'static ServiceInfo) -> Config {
        let mut parts = self.into_parts();
        let mut layer = parts.config;
        let mut timeouts = layer
            .load::<TimeoutConfig>()
            .cloned()
            .unwrap_or_else(|| TimeoutConfig::builder().build());
        timeouts.take_defaults_from(&default_timeout_config());
        layer.store_put(timeouts);
        if layer.load::<RetryConfig>().is_none() {
            layer.store_put(RetryConfig::standard());
        }
        if parts.runtime_components.time_source().is_none() {
            parts
                .runtime_components
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
            runtime_components: parts.runtime_components,
            runtime_plugins: parts.runtime_plugins,
            behavior_version: parts.behavior_version,
        }
    }
}
