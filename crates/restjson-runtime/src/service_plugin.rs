//! The client-level runtime plugins this runtime adds to aws-smithy-runtime's defaults: its own
//! defaults (HTTPS client, retries, timeouts, retry partition), and the service's plugin (auth
//! schemes and resolver, endpoint rules, the standard interceptors, the user agent).

use std::borrow::Cow;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use aws_runtime::invocation_id::InvocationIdInterceptor;
use aws_runtime::recursion_detection::RecursionDetectionInterceptor;
use aws_runtime::request_info::RequestInfoInterceptor;
use aws_runtime::service_clock_skew::ServiceClockSkewInterceptor;

use crate::clock_skew::ClockSkewMeter;
use aws_smithy_runtime::client::auth::http::BearerAuthScheme;
use aws_smithy_runtime::client::http::connection_poisoning::ConnectionPoisoningInterceptor;
use aws_smithy_runtime::client::orchestrator::AuthSchemeAndEndpointOrchestrationV2;
use aws_smithy_runtime::client::retries::RetryPartition;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::auth::SharedAuthScheme;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextMut;
use aws_smithy_runtime_api::client::interceptors::{Intercept, SharedInterceptor};
use aws_smithy_runtime_api::client::runtime_components::{
    RuntimeComponents, RuntimeComponentsBuilder,
};
use aws_smithy_runtime_api::client::runtime_plugin::{Order, RuntimePlugin};
use aws_smithy_types::config_bag::{ConfigBag, FrozenLayer, Layer, Storable, StoreReplace};
use aws_smithy_types::retry::RetryConfig;
use aws_types::app_name::AppName;
use aws_types::sdk_ua_metadata::FrameworkMetadata;

use crate::auth::{DefaultAuthSchemeResolver, ResolveAuthScheme};
use crate::config::default_timeout_config;
use crate::idempotency::IdempotencyTokenProvider;
use crate::schema::{AuthScheme, ServiceInfo};
use crate::signing::SigV4Scheme;

/// The service a call is for, in the config bag.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ServiceRef(pub(crate) &'static ServiceInfo);

impl Storable for ServiceRef {
    type Storer = StoreReplace<Self>;
}

/// The client's count of throttled responses, in the config bag.
#[derive(Clone, Debug)]
pub(crate) struct ThrottleCounter(pub(crate) Arc<AtomicU64>);

impl Storable for ThrottleCounter {
    type Storer = StoreReplace<Self>;
}

/// This runtime's defaults, under the configuration: the HTTPS client, standard retries (3
/// attempts), the connect, read and attempt timeouts, and the client's own retry partition.
#[derive(Debug)]
pub(crate) struct RuntimeDefaultsPlugin {
    config: FrozenLayer,
    components: RuntimeComponentsBuilder,
}

impl RuntimeDefaultsPlugin {
    pub(crate) fn new(partition_name: String) -> Self {
        let mut layer = Layer::new("restjson-runtime defaults");
        layer.store_put(RetryConfig::standard());
        layer.store_put(default_timeout_config());
        layer.store_put(RetryPartition::new(partition_name));
        layer.store_put(IdempotencyTokenProvider::default());
        let components = RuntimeComponentsBuilder::new("restjson-runtime defaults")
            .with_http_client(Some(crate::http_client::default_http_client()));
        Self {
            config: layer.freeze(),
            components,
        }
    }
}

impl RuntimePlugin for RuntimeDefaultsPlugin {
    fn order(&self) -> Order {
        Order::Defaults
    }

    fn config(&self) -> Option<FrozenLayer> {
        Some(self.config.clone())
    }

    fn runtime_components(
        &self,
        _current: &RuntimeComponentsBuilder,
    ) -> Cow<'_, RuntimeComponentsBuilder> {
        Cow::Borrowed(&self.components)
    }
}

/// The service's plugin: what every call of the service uses unless the configuration says
/// otherwise.
#[derive(Debug)]
pub(crate) struct ServiceRuntimePlugin {
    config: FrozenLayer,
    components: RuntimeComponentsBuilder,
}

impl ServiceRuntimePlugin {
    pub(crate) fn new(service: &'static ServiceInfo, throttled: Arc<AtomicU64>) -> Self {
        let mut layer = Layer::new(service.sdk_id);
        layer.store_put(ServiceRef(service));
        layer.store_put(ThrottleCounter(throttled));
        layer.store_put(AuthSchemeAndEndpointOrchestrationV2);
        let mut components = RuntimeComponentsBuilder::new("ServiceRuntimePlugin");
        components.set_auth_scheme_option_resolver(Some(
            DefaultAuthSchemeResolver::for_service(service).into_shared_resolver(),
        ));
        components.set_endpoint_resolver(Some((service.endpoint.default_resolver)()));
        if let Some(signing_name) = service.signing_name {
            components.push_auth_scheme(SharedAuthScheme::new(SigV4Scheme::new(signing_name)));
        }
        if service.uses_auth(AuthScheme::Bearer) {
            components.push_auth_scheme(SharedAuthScheme::new(BearerAuthScheme::new()));
        }
        components
            .push_interceptor(SharedInterceptor::permanent(
                ConnectionPoisoningInterceptor::new(),
            ))
            .push_interceptor(ServiceClockSkewInterceptor::new())
            .push_interceptor(SharedInterceptor::permanent(ClockSkewMeter))
            .push_interceptor(RequestInfoInterceptor::new())
            .push_interceptor(InvocationIdInterceptor::new())
            .push_interceptor(SharedInterceptor::permanent(
                RecursionDetectionInterceptor::new(),
            ))
            .push_interceptor(SharedInterceptor::permanent(UserAgentInterceptor {
                base: service.user_agent,
            }));
        Self {
            config: layer.freeze(),
            components,
        }
    }
}

impl RuntimePlugin for ServiceRuntimePlugin {
    fn order(&self) -> Order {
        Order::Defaults
    }

    fn config(&self) -> Option<FrozenLayer> {
        Some(self.config.clone())
    }

    fn runtime_components(
        &self,
        _current: &RuntimeComponentsBuilder,
    ) -> Cow<'_, RuntimeComponentsBuilder> {
        Cow::Borrowed(&self.components)
    }
}

/// Sets the `user-agent` header: the crate's name and version, then the configured application
/// name and frameworks.
#[derive(Debug)]
struct UserAgentInterceptor {
    base: &'static str,
}

impl Intercept for UserAgentInterceptor {
    fn name(&self) -> &'static str {
        "UserAgentInterceptor"
    }

    fn modify_before_transmit(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let mut agent = self.base.to_owned();
        if let Some(app) = cfg.load::<AppName>() {
            agent.push_str(" app/");
            agent.push_str(app.as_ref());
        }
        let mut frameworks: Vec<&FrameworkMetadata> = cfg.load::<FrameworkMetadata>().collect();
        frameworks.reverse();
        for framework in frameworks {
            agent.push_str(" lib/");
            agent.push_str(&framework.to_string());
        }
        let headers = context.request_mut().headers_mut();
        if !headers.contains_key("user-agent") {
            headers.insert("user-agent", agent);
        }
        Ok(())
    }
}
