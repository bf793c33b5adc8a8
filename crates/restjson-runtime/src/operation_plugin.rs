//! One operation's runtime plugin, as the official SDK crates give each operation: its
//! serializer and deserializer, its auth scheme parameters, its retry classifiers, and the
//! interceptors that prepare its input (the idempotency token, validation, a configuration
//! that can send it), give its endpoint rules their parameters, and count throttling.

use std::borrow::Cow;
use std::marker::PhantomData;
use std::sync::atomic::Ordering;

use aws_runtime::service_clock_skew::ServiceClockSkewClassifier;
use aws_smithy_runtime::client::retries::classifiers::TransientErrorClassifier;
use aws_smithy_runtime::client::stalled_stream_protection::StalledStreamProtectionInterceptor;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::auth::AuthSchemePreference;
use aws_smithy_runtime_api::client::endpoint::{EndpointResolverParams, ResolveEndpoint};
use aws_smithy_runtime_api::client::interceptors::context::{
    AfterDeserializationInterceptorContextRef, BeforeSerializationInterceptorContextMut,
    BeforeSerializationInterceptorContextRef, Error as ErasedError, Input, Output, OutputOrError,
};
use aws_smithy_runtime_api::client::interceptors::{Intercept, SharedInterceptor};
use aws_smithy_runtime_api::client::orchestrator::{
    HttpRequest, HttpResponse, Metadata, OrchestratorError, SensitiveOutput,
};
use aws_smithy_runtime_api::client::runtime_components::{
    GetIdentityResolver, RuntimeComponents, RuntimeComponentsBuilder,
};
use aws_smithy_runtime_api::client::runtime_plugin::RuntimePlugin;
use aws_smithy_runtime_api::client::ser_de::{
    DeserializeResponse, SerializeRequest, SharedRequestSerializer, SharedResponseDeserializer,
};
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::{ConfigBag, FrozenLayer, Layer};
use aws_smithy_types::retry::ErrorKind;
use aws_types::region::{Region, SigningRegion};

use crate::endpoint_params;
use crate::idempotency::IdempotencyTokenProvider;
use crate::operation_shape::{DeserializeError, OperationShape, ResponseParts, SerializedRequest};
use crate::retry::{classify_error, classify_status, ServiceRetryClassifier};
use crate::service_plugin::{ServiceRef, ThrottleCounter};
use crate::signing::{PAYLOAD_HASH_HEADER, SIGV4_SCHEME_ID};

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
        layer.store_put(SharedResponseDeserializer::new(Deserializer::<O>(
            PhantomData,
        )));
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
    fn serialize_input(&self, input: Input, _cfg: &mut ConfigBag) -> Result<HttpRequest, BoxError> {
        let input = input
            .downcast::<O::Input>()
            .map_err(|_| format!("{}: an interceptor gave an input of another type", O::NAME))?;
        to_http_request(O::serialize(&input)?)
    }
}

/// Turns the serializer's layout into an HTTP request (the orchestrator adds the endpoint).
fn to_http_request(serialized: SerializedRequest) -> Result<HttpRequest, BoxError> {
    let mut builder = http::Request::builder()
        .method(serialized.method)
        .uri(serialized.uri);
    let mut has_content_type = false;
    for (name, value) in &serialized.headers {
        has_content_type |= name.eq_ignore_ascii_case("content-type");
        builder = builder.header(*name, value.as_str());
    }
    let body = match serialized.body {
        Some(bytes) => {
            if !has_content_type {
                builder = builder.header("content-type", "application/json");
            }
            builder = builder
                .header("content-length", bytes.len())
                .header(PAYLOAD_HASH_HEADER, payload_hash(&bytes));
            opaque_body(bytes::Bytes::from(bytes))
        }
        None => SdkBody::empty(),
    };
    let request = builder.body(body)?;
    Ok(HttpRequest::try_from(request)?)
}

/// A request body whose `Debug` output (which the orchestrator writes to trace logs) does not
/// show its bytes: bodies carry personal data such as names. It can be rebuilt for retries.
fn opaque_body(bytes: bytes::Bytes) -> SdkBody {
    SdkBody::retryable(move || SdkBody::from_body_1_x(http_body_util::Full::new(bytes.clone())))
}

/// Lower-case hex SHA-256 of a payload, as SigV4 expects it.
fn payload_hash(payload: &[u8]) -> String {
    use sha2::Digest;
    use std::fmt::Write;
    let digest = sha2::Sha256::digest(payload);
    let mut hex = String::with_capacity(64);
    for byte in digest.iter() {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

struct Deserializer<O>(PhantomData<fn() -> O>);

impl<O> std::fmt::Debug for Deserializer<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Deserializer")
    }
}

impl<O: OperationShape> DeserializeResponse for Deserializer<O> {
    fn deserialize_nonstreaming(&self, response: &HttpResponse) -> OutputOrError {
        match from_http_response::<O>(response) {
            Ok(output) => Ok(Output::erase(output)),
            Err(err) => Err(err.map_operation_error(ErasedError::erase)),
        }
    }
}

/// Hands a response to the operation's deserializer.
fn from_http_response<O: OperationShape>(
    response: &HttpResponse,
) -> Result<O::Output, OrchestratorError<O::Error>> {
    let mut headers = http::HeaderMap::new();
    for (name, value) in response.headers().iter() {
        if let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(name.as_bytes()),
            http::HeaderValue::from_str(value),
        ) {
            headers.append(name, value);
        }
    }
    let Some(body) = response.body().bytes() else {
        return Err(OrchestratorError::response(
            "the response body was not read into memory".into(),
        ));
    };
    let parts = ResponseParts {
        status: response.status().as_u16(),
        headers: &headers,
        body,
    };
    match O::deserialize(parts) {
        Ok(output) => Ok(output),
        Err(DeserializeError::Service(error)) => Err(OrchestratorError::operation(error)),
        Err(DeserializeError::Malformed(reason)) => {
            let status = response.status().as_u16();
            let source = format!("{} response does not match the model: {reason}", O::NAME);
            if classify_status(status).is_some() {
                // An unreadable throttling or server-error answer is still worth another attempt.
                Err(OrchestratorError::response(source.into()))
            } else {
                // Anything else is final; after a 2xx the call may well have taken effect, so
                // sending it again could repeat it.
                Err(OrchestratorError::other(source))
            }
        }
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
        check_configuration(O::NAME, runtime_components, cfg)?;
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

/// What a signed call needs that only the configuration can give: a region and credentials.
fn check_configuration(
    operation: &'static str,
    runtime_components: &RuntimeComponents,
    cfg: &ConfigBag,
) -> Result<(), BoxError> {
    let Some(ServiceRef(service)) = cfg.load::<ServiceRef>() else {
        return Ok(());
    };
    // A configuration that chooses its auth schemes knows what it does.
    if service.signing_name.is_none() || cfg.load::<AuthSchemePreference>().is_some() {
        return Ok(());
    }
    if cfg.load::<Region>().is_none() && cfg.load::<SigningRegion>().is_none() {
        return Err(format!(
            "{operation}: no region is configured: SigV4 signing needs one (set it with \
             Config::builder().region(..) or AWS_REGION)"
        )
        .into());
    }
    if runtime_components
        .identity_resolver(SIGV4_SCHEME_ID)
        .is_none()
    {
        return Err(format!(
            "{operation}: no credentials provider is configured (set one with \
             Config::builder().credentials_provider(..), or load an SdkConfig with aws-config)"
        )
        .into());
    }
    Ok(())
}

/// Gives the endpoint rules their parameters: the configuration's built-ins and client context
/// parameters, and what the operation adds, as the service's typed parameters.
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
        if let Some(input) = context.input().downcast_ref::<O::Input>() {
            O::endpoint_params(input, &mut values);
        }
        let params: EndpointResolverParams = (service.endpoint.typed_params)(&values)
            .map_err(|e| format!("{}: invalid endpoint parameters: {e}", O::NAME))?;
        cfg.interceptor_state().store_put(params);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_hash_is_sha256_hex() {
        assert_eq!(
            payload_hash(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn request_bodies_do_not_print_their_bytes() {
        let body = opaque_body(bytes::Bytes::from_static(b"{\"firstName\":\"Alice\"}"));
        let printed = format!("{body:?}");
        assert!(!printed.contains("Alice"), "{printed}");
        assert!(
            body.try_clone().is_some(),
            "the body must be rebuildable for retries"
        );
    }
}
