//! One operation's runtime plugin, as the official SDK crates give each operation: its
//! serializer and deserializer, its auth scheme parameters, its retry classifiers, and the
//! interceptors that prepare its input (the idempotency token, validation, a configuration
//! that can send it), give its endpoint rules their parameters and host prefix, count
//! throttling, and bound the response bodies it reads. The request itself is laid out in
//! `request.rs`, the response read in `response.rs`, and what auth needs of the configuration
//! is checked in `auth.rs`.

mod auth;
mod erased;
mod request;
mod response;

pub use erased::{Erase, ErasedOperation};
pub use request::MIN_COMPRESSION_SIZE;

use std::borrow::Cow;
use std::sync::atomic::Ordering;

use aws_smithy_runtime::client::retries::classifiers::TransientErrorClassifier;
use aws_smithy_runtime::client::stalled_stream_protection::StalledStreamProtectionInterceptor;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::endpoint::{
    EndpointPrefix, EndpointResolverParams, ResolveEndpoint,
};
use aws_smithy_runtime_api::client::interceptors::context::{
    AfterDeserializationInterceptorContextRef, BeforeSerializationInterceptorContextMut,
    BeforeSerializationInterceptorContextRef, Input,
};
use aws_smithy_runtime_api::client::interceptors::{Intercept, SharedInterceptor};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, Metadata, SensitiveOutput};
use aws_smithy_runtime_api::client::runtime_components::{
    RuntimeComponents, RuntimeComponentsBuilder,
};
use aws_smithy_runtime_api::client::runtime_plugin::RuntimePlugin;
use aws_smithy_runtime_api::client::ser_de::{
    SerializeRequest, SharedRequestSerializer, SharedResponseDeserializer,
};
use aws_smithy_types::config_bag::{ConfigBag, FrozenLayer, Layer};
use aws_smithy_types::retry::ErrorKind;

use crate::clock_skew::ClockSkewClassifier;
use crate::endpoint_params;
use crate::idempotency::IdempotencyTokenProvider;
use crate::operation_shape::OperationShape;
use crate::response_body::ResponseBodyLimit;
use crate::retry::{classify_error, ServiceRetryClassifier};
use crate::schema::RequestFacts;
use crate::service_plugin::{ServiceRef, ThrottleCounter};

/// The runtime plugin of one operation. It is one type for every operation: what differs
/// between operations is its [`ErasedOperation`] table.
pub struct OperationPlugin {
    operation: &'static ErasedOperation,
    service_name: Option<&'static str>,
}

impl std::fmt::Debug for OperationPlugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OperationPlugin")
    }
}

impl OperationPlugin {
    /// The plugin of `O`, for the service called `service_name` (recorded in the call's
    /// metadata, when given).
    pub fn of<O: OperationShape>(service_name: Option<&'static str>) -> Self {
        Self::new(O::ERASED, service_name)
    }

    /// The plugin of the operation `operation` describes, for the service called
    /// `service_name` (recorded in the call's metadata, when given).
    pub fn new(operation: &'static ErasedOperation, service_name: Option<&'static str>) -> Self {
        Self {
            operation,
            service_name,
        }
    }
}

impl RuntimePlugin for OperationPlugin {
    fn config(&self) -> Option<FrozenLayer> {
        let name = self.operation.name;
        let mut layer = Layer::new(name);
        layer.store_put(SharedRequestSerializer::new(Serializer(self.operation)));
        layer.store_put(SharedResponseDeserializer::new(response::ResponseReader(
            self.operation,
        )));
        layer.store_put(crate::auth::resolver_params(name));
        // Response bodies may hold personal data: keep them out of trace logs.
        layer.store_put(SensitiveOutput);
        layer.store_put(Metadata::new(name, self.service_name.unwrap_or_default()));
        Some(layer.freeze())
    }

    fn runtime_components(
        &self,
        _current: &RuntimeComponentsBuilder,
    ) -> Cow<'_, RuntimeComponentsBuilder> {
        Cow::Owned(self.components())
    }
}

impl OperationPlugin {
    /// The operation's interceptors and retry classifiers (what its
    /// [`RuntimePlugin::runtime_components`] gives), owned.
    pub fn components(&self) -> RuntimeComponentsBuilder {
        let operation = self.operation;
        RuntimeComponentsBuilder::new(operation.name)
            .with_interceptor(SharedInterceptor::permanent(PrepareInput(operation)))
            .with_interceptor(SharedInterceptor::permanent(EndpointParams(operation)))
            .with_interceptor(SharedInterceptor::permanent(
                StalledStreamProtectionInterceptor::default(),
            ))
            .with_interceptor(SharedInterceptor::permanent(ThrottleObserver(operation)))
            // A response body read into memory is never more than the bound.
            .with_interceptor(SharedInterceptor::permanent(ResponseBodyLimit::new(
                operation.deserialize_stream.is_some(),
            )))
            // The transient classifier never looks at the error's type: one type serves all.
            .with_retry_classifier(TransientErrorClassifier::<std::fmt::Error>::new())
            .with_retry_classifier(ServiceRetryClassifier::new(operation.error_kind))
            .with_retry_classifier(ClockSkewClassifier::new(operation.error_code))
    }
}

struct Serializer(&'static ErasedOperation);

impl std::fmt::Debug for Serializer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Serializer")
    }
}

impl SerializeRequest for Serializer {
    fn serialize_input(
        &self,
        mut input: Input,
        cfg: &mut ConfigBag,
    ) -> Result<HttpRequest, BoxError> {
        let name = self.0.name;
        let (request, stream) = (self.0.serialize)(&mut input)
            .ok_or_else(|| format!("{name}: an interceptor gave an input of another type"))??;
        let facts = match cfg.load::<ServiceRef>() {
            Some(ServiceRef(service)) => service.request_facts(name),
            None => RequestFacts::SERVICE_DEFAULTS,
        };
        request::to_http_request(request, stream, &facts)
    }
}

/// Before anything is serialized: fills the idempotency token once per call (so every
/// attempt carries the same value, and a provider's token is held to the model's rules too),
/// validates the input, and checks that the configuration can send it. A failure here is a
/// `ConstructionFailure`: nothing was sent.
struct PrepareInput(&'static ErasedOperation);

impl std::fmt::Debug for PrepareInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PrepareInput")
    }
}

impl Intercept for PrepareInput {
    fn name(&self) -> &'static str {
        "PrepareInput"
    }

    fn modify_before_serialization(
        &self,
        context: &mut BeforeSerializationInterceptorContextMut<'_>,
        runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let name = self.0.name;
        let mut make_token = || match cfg.load::<IdempotencyTokenProvider>() {
            Some(provider) => provider.make_token(),
            None => IdempotencyTokenProvider::default().make_token(),
        };
        (self.0.prepare)(context.input_mut(), &mut make_token)
            .ok_or_else(|| format!("{name}: an interceptor gave an input of another type"))??;
        if let Some(ServiceRef(service)) = cfg.load::<ServiceRef>() {
            auth::check_auth(name, service, runtime_components, cfg)?;
        }
        check_endpoint(name, runtime_components, cfg)
    }
}

/// Resolves the call's endpoint once before anything is sent, so that a configuration the
/// rules refuse (no region, FIPS with a custom endpoint, ...) fails as a `ConstructionFailure`
/// with the rules' message. A resolver that does not answer at once is left to the
/// orchestrator.
fn check_endpoint(
    operation: &'static str,
    runtime_components: &RuntimeComponents,
    cfg: &ConfigBag,
) -> Result<(), BoxError> {
    let Some(params) = cfg.load::<EndpointResolverParams>() else {
        return Ok(());
    };
    let resolver = runtime_components.endpoint_resolver();
    let future = resolver.resolve_endpoint(params);
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    match std::future::Future::poll(future.as_mut(), &mut context) {
        std::task::Poll::Ready(Err(e)) => {
            Err(format!("{operation}: cannot choose an endpoint: {e}").into())
        }
        _ => Ok(()),
    }
}

/// Gives the endpoint rules their parameters: the configuration's built-ins and client context
/// parameters, and what the operation adds, as the service's typed parameters; and the
/// orchestrator the operation's `@endpoint` host prefix, which it puts before the endpoint's
/// host.
struct EndpointParams(&'static ErasedOperation);

impl std::fmt::Debug for EndpointParams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EndpointParams")
    }
}

impl Intercept for EndpointParams {
    fn name(&self) -> &'static str {
        "EndpointParams"
    }

    fn read_before_execution(
        &self,
        context: &BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(ServiceRef(service)) = cfg.load::<ServiceRef>().copied() else {
            return Err("the service's plugin is missing from the client's configuration".into());
        };
        let name = self.0.name;
        let mut values = endpoint_params::from_config(cfg);
        let prefix = (self.0.endpoint)(context.input(), &mut values)
            .map_err(|e| format!("{name}: cannot make the host prefix: {e}"))?;
        let params: EndpointResolverParams = (service.endpoint.typed_params)(&values)
            .map_err(|e| format!("{name}: invalid endpoint parameters: {e}"))?;
        cfg.interceptor_state().store_put(params);
        if let Some(prefix) = prefix {
            let prefix = EndpointPrefix::new(prefix)
                .map_err(|e| format!("{name}: invalid host prefix: {e}"))?;
            cfg.interceptor_state().store_put(prefix);
        }
        Ok(())
    }
}

/// Counts the throttled responses of every attempt (once per attempt, after deserialization),
/// so callers can see throttling that retries absorbed.
struct ThrottleObserver(&'static ErasedOperation);

impl std::fmt::Debug for ThrottleObserver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ThrottleObserver")
    }
}

impl Intercept for ThrottleObserver {
    fn name(&self) -> &'static str {
        "ThrottleObserver"
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(ThrottleCounter(counter)) = cfg.load::<ThrottleCounter>() else {
            return Ok(());
        };
        if let Err(error) = context.output_or_error() {
            let kind = error.as_operation_error().and_then(self.0.error_kind);
            let status = context.response().status().as_u16();
            if classify_error(status, kind) == Some(ErrorKind::ThrottlingError) {
                counter.fetch_add(1, Ordering::Relaxed);
            }
        }
        Ok(())
    }
}
