//! The call path: sends any generated operation through aws-smithy-runtime's orchestrator, as
//! the official AWS SDK crates do, with the runtime plugins laid out the same way:
//!
//! 1. aws-smithy-runtime's defaults (sleep, time source, identity cache, retry strategy, ...),
//!    then this runtime's (the HTTPS client, standard retries, the connect, read and attempt
//!    timeouts, a retry partition of the client's own), both `Order::Defaults`;
//! 2. the service's plugin ([`service_plugin`](crate::service_plugin)): its auth scheme and
//!    resolver, its endpoint rules, the standard interceptors;
//! 3. the configuration's settings, components and plugins (`Order::Overrides`, so a
//!    configured resolver or HTTP client replaces the defaults);
//! 4. per call, the operation's plugin ([`operation_plugin`](crate::operation_plugin)) and a
//!    configuration override, when `customize()` gives one.
//!
//! [`Handle`] is the state one client shares between its clones. A generated crate's `Client`
//! (made by [`client_type!`](crate::client_type)) holds one, and so do its fluent builders and
//! paginators.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use aws_smithy_runtime::client::defaults::{default_plugins, DefaultPluginParams};
use aws_smithy_runtime::client::orchestrator::invoke;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::behavior_version::BehaviorVersion;
use aws_smithy_runtime_api::client::interceptors::context::{Error, Input, Output};
use aws_smithy_runtime_api::client::result::CreateUnhandledError;

use crate::error::SdkError;
use aws_smithy_runtime_api::client::runtime_plugin::{RuntimePlugins, StaticRuntimePlugin};
use aws_smithy_types::error::operation::BuildError;

use crate::config::{Builder, Config, ConfigOverrideRuntimePlugin};
use crate::operation_plugin::{Erase, ErasedOperation, OperationPlugin};
use crate::operation_shape::OperationShape;
use crate::schema::ServiceInfo;
use crate::service_plugin::{RuntimeDefaultsPlugin, ServiceRuntimePlugin};

/// Shared state behind every clone of a client: its service, configuration and the runtime
/// plugins every call starts from.
pub struct Handle {
    service: &'static ServiceInfo,
    conf: Config,
    runtime_plugins: RuntimePlugins,
    throttled: Arc<AtomicU64>,
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("service", &self.service.sdk_id)
            .field("conf", &self.conf)
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

impl Handle {
    /// The state of a new client of `service`. Nothing is checked here, so this never fails:
    /// an incomplete configuration fails each call instead, naming what is missing.
    pub fn new(service: &'static ServiceInfo, conf: Config) -> Self {
        let throttled = Arc::new(AtomicU64::new(0));
        let behavior_version = conf
            .behavior_version
            .unwrap_or_else(BehaviorVersion::latest);
        // One partition per client: its throttling state is not shared with unrelated clients
        // (a configured `retry_partition` replaces it).
        let partition = NEXT_PARTITION.fetch_add(1, Ordering::Relaxed);
        let partition_name = format!("{}-{partition}", service.sdk_id);
        let mut plugins = RuntimePlugins::new()
            .with_client_plugins(default_plugins(
                DefaultPluginParams::new()
                    .with_retry_partition_name(partition_name.clone())
                    .with_behavior_version(behavior_version)
                    .with_is_aws_sdk(true),
            ))
            .with_client_plugin(RuntimeDefaultsPlugin::new(partition_name))
            .with_client_plugin(
                StaticRuntimePlugin::new()
                    .with_config(conf.config.clone())
                    .with_runtime_components(conf.runtime_components.clone()),
            )
            .with_client_plugin(ServiceRuntimePlugin::new(service, throttled.clone()))
            .with_client_plugin(
                aws_smithy_runtime::client::auth::no_auth::NoAuthRuntimePluginV2::new(),
            );
        for plugin in conf.runtime_plugins.iter().cloned() {
            plugins = plugins.with_client_plugin(plugin);
        }
        Self {
            service,
            conf,
            runtime_plugins: plugins,
            throttled,
        }
    }

    /// The service calls go to.
    pub fn service(&self) -> &'static ServiceInfo {
        self.service
    }

    /// The configuration calls are sent with.
    pub fn conf(&self) -> &Config {
        &self.conf
    }

    /// How many responses the service throttled across every call sent through this handle,
    /// including the ones a retry then turned into a success.
    pub fn throttled_responses(&self) -> u64 {
        self.throttled.load(Ordering::Relaxed)
    }

    /// Sends one operation call. The operation's plugin fills its idempotency token once and
    /// validates the input before anything is serialized; the orchestrator then resolves the
    /// endpoint, signs, sends, classifies and retries. `config_override` changes settings for
    /// this call only. Nothing happens until the returned future is awaited.
    ///
    /// Only the operation's types are handled here; the call itself is
    /// [`invoke_erased`](Self::invoke_erased), compiled once for every operation.
    pub fn invoke<O: OperationShape>(
        &self,
        input: O::Input,
        config_override: Option<Builder>,
    ) -> Call<O> {
        self.invoke_built(Ok(input), config_override)
    }

    /// Sends one operation call with the input as its builder built it: a builder's error
    /// fails the call as a `ConstructionFailure`, and nothing is sent. Nothing happens until
    /// the returned future is awaited.
    pub fn invoke_built<O: OperationShape>(
        &self,
        input: Result<O::Input, BuildError>,
        config_override: Option<Builder>,
    ) -> Call<O> {
        let input = input.map(Input::erase).map_err(BoxError::from);
        Call {
            erased: self.invoke_erased(O::ERASED, input, config_override),
            _operation: PhantomData,
        }
    }

    /// Sends one call of the operation `operation` describes, with its input, output and error
    /// type-erased (an input that could not be built fails the call as a
    /// `ConstructionFailure`). Nothing happens until the returned future is awaited.
    pub fn invoke_erased(
        &self,
        operation: &'static ErasedOperation,
        input: Result<Input, BoxError>,
        config_override: Option<Builder>,
    ) -> ErasedCall {
        let input = match input {
            Ok(input) => input,
            Err(error) => {
                return Box::pin(std::future::ready(Err(SdkError::construction_failure(
                    error,
                ))))
            }
        };
        let mut plugins = self
            .runtime_plugins
            .clone()
            .with_operation_plugin(OperationPlugin::new(operation, Some(self.service.sdk_id)));
        if let Some(config_override) = config_override {
            for plugin in config_override.parts().runtime_plugins.iter().cloned() {
                plugins = plugins.with_operation_plugin(plugin);
            }
            plugins = plugins.with_operation_plugin(ConfigOverrideRuntimePlugin::new(
                config_override,
                &self.conf,
            ));
        }
        let service = self.service.sdk_id;
        Box::pin(async move { invoke(service, operation.name, input, &plugins).await })
    }
}

/// One call being sent, with the operation's input, output and error type-erased.
pub type ErasedCall = Pin<Box<dyn Future<Output = Result<Output, SdkError<Error>>> + Send>>;

/// One call of operation `O` being sent: the type-erased call, whose output and error are
/// turned back into the operation's types when it completes.
pub struct Call<O> {
    erased: ErasedCall,
    _operation: PhantomData<fn() -> O>,
}

impl<O> fmt::Debug for Call<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Call")
    }
}

impl<O: OperationShape> Future for Call<O> {
    type Output = Result<O::Output, SdkError<O::Error>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.erased.as_mut().poll(cx) {
            Poll::Ready(result) => Poll::Ready(downcast::<O>(result)),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// A call's type-erased result as operation `O`'s. Each step that depends on the operation's
/// types is a function of its own, kept out of line, so that what every operation adds to a
/// client crate's compiled code stays small.
#[allow(clippy::result_large_err)] // the official SDKs' error, returned as they return it
fn downcast<O: OperationShape>(
    result: Result<Output, SdkError<Error>>,
) -> Result<O::Output, SdkError<O::Error>> {
    match result {
        Ok(output) => output_of::<O>(output),
        Err(err) => Err(err.map_service_error(service_error::<O>)),
    }
}

/// The operation's output, from the type-erased one.
#[inline(never)]
#[allow(clippy::result_large_err)] // the official SDKs' error, returned as they return it
fn output_of<O: OperationShape>(output: Output) -> Result<O::Output, SdkError<O::Error>> {
    match O::take_output(output) {
        Ok(output) => Ok(output),
        Err(_) => Err(other_output(O::NAME)),
    }
}

/// Says that an interceptor replaced the call's output with a value of another type.
#[cold]
#[inline(never)]
fn other_output<E>(operation: &str) -> SdkError<E> {
    SdkError::construction_failure(other_type(operation, "an output", None))
}

/// The operation's error, from the type-erased one.
#[inline(never)]
fn service_error<O: OperationShape>(mut error: Error) -> O::Error {
    // Taken out of the box in place, leaving a placeholder the box is then dropped with: less
    // code for each operation than moving the box's contents out.
    match error.downcast_mut::<O::Error>() {
        Some(error) => std::mem::replace(
            error,
            O::Error::create_unhandled_error(Box::new(TakenOut), None),
        ),
        // Only an interceptor that replaced the operation's error could cause this.
        None => unhandled::<O>(error),
    }
}

/// What is left in a type-erased error's box once the call has taken the error out of it.
#[derive(Debug)]
struct TakenOut;

impl fmt::Display for TakenOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the error was taken out of its box")
    }
}

impl std::error::Error for TakenOut {}

/// An error of another type than the operation's, as the operation's unhandled error.
#[cold]
#[inline(never)]
fn unhandled<O: OperationShape>(other: Error) -> O::Error {
    O::Error::create_unhandled_error(other_type(O::NAME, "an error", Some(&other)), None)
}

/// Says that an interceptor replaced the call's output or error with a value of another type.
#[cold]
fn other_type(operation: &str, what: &str, value: Option<&Error>) -> BoxError {
    match value {
        Some(value) => {
            format!("{operation}: an interceptor gave {what} of another type: {value}").into()
        }
        None => format!("{operation}: an interceptor gave {what} of another type").into(),
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

    static SERVICE: ServiceInfo = ServiceInfo {
        shape_id: "ex#Svc",
        sdk_id: "Svc",
        version: "1",
        signing_name: None,
        auth: &[],
        user_agent: "test/0",
        endpoint: crate::endpoint_params::EndpointInfo::CONFIGURED_URL_ONLY,
        retryable_errors: &[],
        operations: &[],
    };

    fn partition(handle: &Handle) -> String {
        let mut cfg = aws_smithy_types::config_bag::ConfigBag::base();
        let applied = handle.runtime_plugins.apply_client_configuration(&mut cfg);
        assert!(applied.is_ok(), "{applied:?}");
        cfg.load::<aws_smithy_runtime::client::retries::RetryPartition>()
            .map(ToString::to_string)
            .unwrap_or_default()
    }

    #[test]
    fn each_client_has_a_retry_partition_of_its_own_unless_one_is_configured() {
        let config = || crate::config::Builder::default().build(&SERVICE);
        let first = partition(&Handle::new(&SERVICE, config()));
        let second = partition(&Handle::new(&SERVICE, config()));
        assert!(first.starts_with("Svc-"), "{first}");
        assert_ne!(
            first, second,
            "throttling state is not shared between clients"
        );
        let mut shared = crate::config::Builder::default();
        shared.set_retry_partition(Some(
            aws_smithy_runtime::client::retries::RetryPartition::new("shared"),
        ));
        let configured = partition(&Handle::new(&SERVICE, shared.build(&SERVICE)));
        assert_eq!(configured, "shared");
    }
}
