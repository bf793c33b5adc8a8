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
use aws_smithy_runtime_api::client::auth::AuthSchemeOptionResolverParams;
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_smithy_runtime_api::client::identity::{SharedIdentityCache, SharedIdentityResolver};
use aws_smithy_runtime_api::client::orchestrator::SensitiveOutput;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponentsBuilder;
use aws_smithy_runtime_api::client::runtime_plugin::StaticRuntimePlugin;
use aws_smithy_types::config_bag::Layer;

use crate::config::Config;
use crate::error::SdkError;
use crate::operation_shape::OperationShape;
use crate::retry::{ServiceRetryClassifier, ThrottleObserver};
use crate::schema::{RequestFacts, ServiceInfo};

mod auth;
mod request;
mod response;

use auth::ChosenAuth;
use request::to_http_request;
pub use request::MIN_COMPRESSION_SIZE;
use response::ResponseReader;

/// Shared state behind every clone of a client: its service, configuration, HTTP client,
/// credentials cache and retry partition.
pub struct Handle {
    service: &'static ServiceInfo,
    config: Config,
    http_client: SharedHttpClient,
    identity_resolver: Option<SharedIdentityResolver>,
    token_resolver: Option<SharedIdentityResolver>,
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
        let token_resolver = config
            .token_provider
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
            token_resolver,
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
        let mut endpoint = self
            .config
            .resolve_endpoint(self.service)
            .map_err(|e| SdkError::construction_failure_for(O::NAME, e))?;
        if let Some(prefix) =
            O::host_prefix(&input).map_err(|e| SdkError::construction_failure_for(O::NAME, e))?
        {
            endpoint = crate::protocol::apply_host_prefix(&endpoint, &prefix)
                .map_err(|e| SdkError::construction_failure_for(O::NAME, e))?;
        }
        let facts = self
            .service
            .operation(O::NAME)
            .map_or(RequestFacts::SERVICE_DEFAULTS, |op| op.request);
        let auth = self.choose_auth(O::NAME, facts.auth.unwrap_or(self.service.auth))?;
        let operation = self.operation::<O>(&endpoint, auth, facts);
        operation
            .invoke(input)
            .await
            .map_err(|e| SdkError::from_orchestrator(self.service, O::NAME, e))
    }

    fn operation<O: OperationShape>(
        &self,
        endpoint: &str,
        auth: ChosenAuth,
        facts: RequestFacts,
    ) -> Operation<O::Input, O::Output, O::Error> {
        let mut layer = Layer::new("restjson-call");
        layer.store_put(AuthSchemeOptionResolverParams::new(()));
        layer.store_put(self.retry_partition.clone());
        // Response bodies may hold personal data: keep them out of trace logs.
        layer.store_put(SensitiveOutput);
        let mut components = RuntimeComponentsBuilder::new("restjson-call");
        let signed = auth.configure(&mut components);
        if signed {
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
            .serializer(move |mut input: O::Input| {
                let stream = O::take_stream(&mut input);
                let serialized = O::serialize(&input)?;
                to_http_request(serialized, stream, &facts, &user_agent)
            })
            .deserializer_impl(ResponseReader::<O>::new())
            .build()
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
}
