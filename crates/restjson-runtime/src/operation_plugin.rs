//! One operation's runtime plugin, as the official SDK crates give each operation: its
//! serializer and deserializer, its auth scheme parameters, its retry classifiers, and the
//! interceptors that prepare its input (the idempotency token, validation, a configuration
//! that can send it), give its endpoint rules their parameters and host prefix, count
//! throttling, and bound the response bodies it reads. The request itself is laid out in
//! `request.rs`, the response read in `response.rs`, and what auth needs of the configuration
//! is checked in `auth.rs`.

mod auth;
mod request;
mod response;

pub use request::MIN_COMPRESSION_SIZE;

use std::borrow::Cow;
use std::marker::PhantomData;
use std::sync::atomic::Ordering;

use aws_runtime::service_clock_skew::ServiceClockSkewClassifier;
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

use crate::endpoint_params;
use crate::idempotency::IdempotencyTokenProvider;
use crate::operation_shape::OperationShape;
use crate::response_body::ResponseBodyLimit;
use crate::retry::{classify_error, ServiceRetryClassifier};
use crate::schema::RequestFacts;
use crate::service_plugin::{ServiceRef, ThrottleCounter};

/// The runtime plugin of operation `O`.
pub struct OperationPlugin<O> {
    service_name: Option<&'static str>,
    _operation: PhantomData<fn() -> O>,
}

impl<O> std::fmt::Debug for OperationPlugin<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OperationPlugin")
    }
}

impl<O> OperationPlugin<O> {
    /// The plugin of `O`, for the service called `service_name` (recorded in the call's
    /// metadata, when given).
    pub fn new(service_name: Option<&'static str>) -> Self {
        Self {
            service_name,
            _operation: PhantomData,
        }
    }
}

impl<O: OperationShape> RuntimePlugin for OperationPlugin<O> {
    fn config(&self) -> Option<FrozenLayer> {
        let mut layer = Layer::new(O::NAME);
        layer.store_put(SharedRequestSerializer::new(Serializer::<O>(PhantomData)));
        layer.store_put(SharedResponseDeserializer::new(
            response::ResponseReader::<O>::new(),
        ));
        layer.store_put(crate::auth::resolver_params(O::NAME));
        // Response bodies may hold personal data: keep them out of trace logs.
        layer.store_put(SensitiveOutput);
        layer.store_put(Metadata::new(
            O::NAME,
            self.service_name.unwrap_or_default(),
        ));
        Some(layer.freeze())
    }

    fn runtime_components(
        &self,
        _current: &RuntimeComponentsBuilder,
    ) -> Cow<'_, RuntimeComponentsBuilder> {
        let components = RuntimeComponentsBuilder::new(O::NAME)
            .with_interceptor(SharedInterceptor::permanent(PrepareInput::<O>(PhantomData)))
            .with_interceptor(SharedInterceptor::permanent(EndpointParams::<O>(
                PhantomData,
            )))
            .with_interceptor(SharedInterceptor::permanent(
                StalledStreamProtectionInterceptor::default(),
            ))
            .with_interceptor(SharedInterceptor::permanent(ThrottleObserver::<O>(
                PhantomData,
            )))
            // A response body read into memory is never more than the bound.
            .with_interceptor(SharedInterceptor::permanent(ResponseBodyLimit::new(
                O::STREAMING_OUTPUT,
            )))
            .with_retry_classifier(TransientErrorClassifier::<O::Error>::new())
            .with_retry_classifier(ServiceRetryClassifier::<O::Error>::new())
            .with_retry_classifier(ServiceClockSkewClassifier::<O::Error>::new());
        Cow::Owned(components)
    }
}

struct Serializer<O>(PhantomData<fn() -> O>);

impl<O> std::fmt::Debug for Serializer<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Serializer")
    }
}

impl<O: OperationShape> SerializeRequest for Serializer<O> {
    fn serialize_input(&self, input: Input, cfg: &mut ConfigBag) -> Result<HttpRequest, BoxError> {
        let mut input = input
            .downcast::<O::Input>()
            .map_err(|_| format!("{}: an interceptor gave an input of another type", O::NAME))?;
        let facts = match cfg.load::<ServiceRef>() {
            Some(ServiceRef(service)) => service.request_facts(O::NAME),
            None => RequestFacts::SERVICE_DEFAULTS,
        };
        let stream = O::take_stream(&mut input);
        request::to_http_request(O::serialize(&input)?, stream, &facts)
    }
}

/// Before anything is serialized: fills the idempotency token once per call (so every
/// attempt carries the same value, and a provider's token is held to the model's rules too),
/// validates the input, and checks that the configuration can send it. A failure here is a
/// `ConstructionFailure`: nothing was sent.
struct PrepareInput<O>(PhantomData<fn() -> O>);

impl<O> std::fmt::Debug for PrepareInput<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PrepareInput")
    }
}

impl<O: OperationShape> Intercept for PrepareInput<O> {
    fn name(&self) -> &'static str {
        "PrepareInput"
    }

    fn modify_before_serialization(
        &self,
        context: &mut BeforeSerializationInterceptorContextMut<'_>,
        runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let input = context
            .input_mut()
            .downcast_mut::<O::Input>()
            .ok_or_else(|| format!("{}: an interceptor gave an input of another type", O::NAME))?;
        if let Some(slot) = O::idempotency_token(input) {
            if slot.is_none() {
                let token = match cfg.load::<IdempotencyTokenProvider>() {
                    Some(provider) => provider.make_token(),
                    None => IdempotencyTokenProvider::default().make_token(),
                };
                *slot = Some(token);
            }
        }
        O::validate(input)?;
        if let Some(ServiceRef(service)) = cfg.load::<ServiceRef>() {
            auth::check_auth(O::NAME, service, runtime_components, cfg)?;
        }
        check_endpoint(O::NAME, runtime_components, cfg)
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
struct EndpointParams<O>(PhantomData<fn() -> O>);

impl<O> std::fmt::Debug for EndpointParams<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EndpointParams")
    }
}

impl<O: OperationShape> Intercept for EndpointParams<O> {
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
        let mut values = endpoint_params::from_config(cfg);
        let mut prefix = None;
        if let Some(input) = context.input().downcast_ref::<O::Input>() {
            O::endpoint_params(input, &mut values);
            prefix = O::host_prefix(input)
                .map_err(|e| format!("{}: cannot make the host prefix: {e}", O::NAME))?;
        }
        let params: EndpointResolverParams = (service.endpoint.typed_params)(&values)
            .map_err(|e| format!("{}: invalid endpoint parameters: {e}", O::NAME))?;
        cfg.interceptor_state().store_put(params);
        if let Some(prefix) = prefix {
            let prefix = EndpointPrefix::new(prefix)
                .map_err(|e| format!("{}: invalid host prefix: {e}", O::NAME))?;
            cfg.interceptor_state().store_put(prefix);
        }
        Ok(())
    }
}

/// Counts the throttled responses of every attempt (once per attempt, after deserialization),
/// so callers can see throttling that retries absorbed.
struct ThrottleObserver<O>(PhantomData<fn() -> O>);

impl<O> std::fmt::Debug for ThrottleObserver<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ThrottleObserver")
    }
}

impl<O: OperationShape> Intercept for ThrottleObserver<O> {
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
            let error = error
                .as_operation_error()
                .and_then(|e| e.downcast_ref::<O::Error>());
            let status = context.response().status().as_u16();
            if classify_error(status, error) == Some(ErrorKind::ThrottlingError) {
                counter.fetch_add(1, Ordering::Relaxed);
            }
        }
        Ok(())
    }
}
