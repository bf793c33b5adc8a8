//! The call path: sends any generated operation through aws-smithy-runtime's orchestrator with
//! its service's endpoint resolver, SigV4 signing, retry classification and idempotency tokens.
//!
//! [`Handle`] is the state one client shares between its clones. A generated crate's `Client`
//! (made by [`client_type!`](crate::client_type)) holds one, and so do its fluent builders and
//! paginators.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use aws_smithy_runtime::client::identity::IdentityCache;
use aws_smithy_runtime::client::orchestrator::operation::Operation;
use aws_smithy_runtime::client::retries::classifiers::TransientErrorClassifier;
use aws_smithy_runtime::client::retries::RetryPartition;
use aws_smithy_runtime_api::box_error::BoxError as OrchestratorBoxError;
use aws_smithy_runtime_api::client::auth::static_resolver::StaticAuthSchemeOptionResolver;
use aws_smithy_runtime_api::client::auth::{
    AuthSchemeOptionResolverParams, SharedAuthScheme, SharedAuthSchemeOptionResolver,
};
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_smithy_runtime_api::client::identity::{SharedIdentityCache, SharedIdentityResolver};
use aws_smithy_runtime_api::client::orchestrator::{
    HttpRequest, HttpResponse, OrchestratorError, SensitiveOutput,
};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponentsBuilder;
use aws_smithy_runtime_api::client::runtime_plugin::StaticRuntimePlugin;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::Layer;

use crate::config::Config;
use crate::error::SdkError;
use crate::operation_shape::{DeserializeError, OperationShape, ResponseParts, SerializedRequest};
use crate::response_body::ResponseBodyLimit;
use crate::retry::{classify_status, ServiceRetryClassifier, ThrottleObserver};
use crate::schema::ServiceInfo;
use crate::signing::{SigV4Scheme, PAYLOAD_HASH_HEADER, SIGV4_SCHEME_ID};

/// Shared state behind every clone of a client: its service, configuration, HTTP client,
/// credentials cache and retry partition.
pub struct Handle {
    service: &'static ServiceInfo,
    config: Config,
    http_client: SharedHttpClient,
    identity_resolver: Option<SharedIdentityResolver>,
    identity_cache: SharedIdentityCache,
    retry_partition: RetryPartition,
    user_agent: String,
    throttled: Arc<AtomicU64>,
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("service", &self.service.sdk_id)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// What a generated client gives its fluent builders and paginators: the state it shares with
/// them.
pub trait ProvideHandle {
    /// The client's shared state.
    fn handle(&self) -> &Arc<Handle>;
}

/// Distinguishes the retry partitions (token bucket, adaptive rate limiter) of separate clients.
static NEXT_PARTITION: AtomicU64 = AtomicU64::new(0);

fn default_http_client() -> SharedHttpClient {
    use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
    aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

impl Handle {
    /// The state of a new client of `service`.
    pub fn new(service: &'static ServiceInfo, config: Config) -> Self {
        let http_client = config
            .http_client
            .clone()
            .unwrap_or_else(default_http_client);
        // One resolver per client, so the identity cache keeps credentials across calls.
        let identity_resolver = config
            .credentials_provider
            .clone()
            .map(SharedIdentityResolver::new);
        let identity_cache = config
            .identity_cache
            .clone()
            .unwrap_or_else(|| IdentityCache::lazy().build());
        // One partition per client: its throttling state is not shared with unrelated clients.
        let partition = NEXT_PARTITION.fetch_add(1, Ordering::Relaxed);
        let retry_partition =
            RetryPartition::custom(format!("{}-{partition}", service.sdk_id)).build();
        let mut user_agent = service.user_agent.to_owned();
        if let Some(app) = &config.app_name {
            user_agent.push_str(" app/");
            user_agent.push_str(app.as_ref());
        }
        Self {
            service,
            config,
            http_client,
            identity_resolver,
            identity_cache,
            retry_partition,
            user_agent,
            throttled: Arc::new(AtomicU64::new(0)),
        }
    }

    /// The service calls go to.
    pub fn service(&self) -> &'static ServiceInfo {
        self.service
    }

    /// The configuration calls are sent with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// How many responses the service throttled across every call sent through this handle,
    /// including the ones a retry then turned into a success.
    pub fn throttled_responses(&self) -> u64 {
        self.throttled.load(Ordering::Relaxed)
    }

    /// Sends one operation call: validates the input, fills its idempotency token once, then lets
    /// the orchestrator resolve the endpoint, sign, send, classify and retry.
    pub async fn invoke<O: OperationShape>(
        &self,
        mut input: O::Input,
    ) -> Result<O::Output, SdkError<O::Error>> {
        // The token is filled first so a provider's token is held to the model's rules too.
        if let Some(slot) = O::idempotency_token(&mut input) {
            if slot.is_none() {
                *slot = Some(self.config.idempotency_token_provider.make_token());
            }
        }
        if let Err(invalid) = O::validate(&input) {
            return Err(SdkError::construction_failure_for(O::NAME, invalid));
        }
        let endpoint = self
            .config
            .resolve_endpoint(self.service)
            .map_err(|e| SdkError::construction_failure_for(O::NAME, e))?;
        let signing = match self.service.signing_name {
            Some(signing_name) => Some(self.signing_setup(O::NAME, signing_name)?),
            None => None,
        };
        let operation = self.operation::<O>(&endpoint, signing);
        operation
            .invoke(input)
            .await
            .map_err(|e| SdkError::from_orchestrator(self.service, O::NAME, e))
    }

    /// What SigV4 signing needs: a region and a credentials provider.
    fn signing_setup<E>(
        &self,
        operation: &'static str,
        signing_name: &'static str,
    ) -> Result<(SigV4Scheme, SharedIdentityResolver), SdkError<E>> {
        let Some(region) = self.config.region.as_ref() else {
            return Err(SdkError::construction_failure_for(
                operation,
                "no region is configured: SigV4 signing needs one (set it with \
                 Config::builder().region(..) or AWS_REGION)",
            ));
        };
        let Some(identity_resolver) = self.identity_resolver.clone() else {
            return Err(SdkError::construction_failure_for(
                operation,
                "no credentials provider is configured (set one with \
                 Config::builder().credentials_provider(..), or load an SdkConfig with aws-config)",
            ));
        };
        Ok((
            SigV4Scheme::new(signing_name, region.as_ref()),
            identity_resolver,
        ))
    }

    fn operation<O: OperationShape>(
        &self,
        endpoint: &str,
        signing: Option<(SigV4Scheme, SharedIdentityResolver)>,
    ) -> Operation<O::Input, O::Output, O::Error> {
        let mut layer = Layer::new("restjson-call");
        layer.store_put(AuthSchemeOptionResolverParams::new(()));
        layer.store_put(self.retry_partition.clone());
        // Response bodies may hold personal data: keep them out of trace logs.
        layer.store_put(SensitiveOutput);
        let mut components = RuntimeComponentsBuilder::new("restjson-call");
        let signed = signing.is_some();
        if let Some((scheme, identity_resolver)) = signing {
            components.set_auth_scheme_option_resolver(Some(SharedAuthSchemeOptionResolver::new(
                StaticAuthSchemeOptionResolver::new(vec![SIGV4_SCHEME_ID]),
            )));
            components.push_auth_scheme(SharedAuthScheme::new(scheme));
            components.set_identity_resolver(SIGV4_SCHEME_ID, identity_resolver);
            components.set_identity_cache(Some(self.identity_cache.clone()));
        }
        let plugin = StaticRuntimePlugin::new()
            .with_config(layer.freeze())
            .with_runtime_components(components);

        let user_agent = self.user_agent.clone();
        let mut builder = Operation::builder()
            .service_name(self.service.sdk_id)
            .operation_name(O::NAME)
            .http_client(self.http_client.clone())
            .endpoint_url(endpoint)
            .standard_retry(&self.config.retry_config)
            .retry_classifier(TransientErrorClassifier::<O::Error>::new())
            .retry_classifier(ServiceRetryClassifier::<O::Error>::new(self.service))
            .interceptor(ThrottleObserver::<O::Error>::new(
                self.service,
                self.throttled.clone(),
            ))
            // Response bodies are read into memory: never more than the bound.
            .interceptor(ResponseBodyLimit)
            .timeout_config(self.config.timeout_config.clone())
            .with_connection_poisoning()
            .runtime_plugin(plugin);
        if !signed {
            builder = builder.no_auth();
        }
        if let Some(sleep) = &self.config.sleep_impl {
            builder = builder.sleep_impl(sleep.clone());
        }
        if let Some(time) = &self.config.time_source {
            builder = builder.time_source(time.clone());
        }
        builder
            .serializer(move |input: O::Input| {
                let serialized = O::serialize(&input)?;
                to_http_request(serialized, &user_agent)
            })
            .deserializer(|response: &HttpResponse| from_http_response::<O>(response))
            .build()
    }
}

/// Turns the serializer's layout into an HTTP request (the orchestrator adds the endpoint).
fn to_http_request(
    serialized: SerializedRequest,
    user_agent: &str,
) -> Result<HttpRequest, OrchestratorBoxError> {
    let mut builder = http::Request::builder()
        .method(serialized.method)
        .uri(serialized.uri);
    let mut has_content_type = false;
    for (name, value) in &serialized.headers {
        has_content_type |= name.eq_ignore_ascii_case("content-type");
        builder = builder.header(*name, value.as_str());
    }
    builder = builder.header("user-agent", user_agent);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync + 'static>() {}

    #[test]
    fn handle_is_shareable() {
        assert_send_sync::<Handle>();
    }

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
