//! The macro that gives a generated crate its own `Client`: a thin type over
//! [`client::Handle`](crate::client::Handle), defined in the generated crate so that it can add
//! inherent methods to it (one fluent builder per operation). `config.rs` does the same for
//! `Config` and `config::Builder`.

/// The client of a service: `client_type!(path::to::SERVICE, path::to::Config)`, invoked in
/// the generated crate's `client` module, after any doc attributes for the type.
///
/// It defines `Client` with `new(&SdkConfig)`, `from_conf(Config)`, `config()`,
/// `throttled_responses()` and `call::<Operation>(input)`, and gives the generated crate its
/// handle (`handle()`, and [`ProvideHandle`](crate::client::ProvideHandle) for `send_with`).
#[macro_export]
macro_rules! client_type {
    ($(#[$meta:meta])* $service:path, $config:ty) => {
        $(#[$meta])*
        ///
        /// Cheap to clone (two `Arc`s), `Send` and `Sync`: share one client between tasks.
        #[derive(Clone, Debug)]
        pub struct Client {
            handle: std::sync::Arc<$crate::client::Handle>,
            config: std::sync::Arc<$config>,
        }
        impl Client {
            /// A client configured from an `SdkConfig` loaded by `aws-config`: region,
            /// credentials, endpoint URL (including the service's own
            /// `AWS_ENDPOINT_URL_<SDK_ID>`), retry and timeout settings, HTTP client, sleep and
            /// time source.
            pub fn new(sdk_config: &$crate::config::SdkConfig) -> Self {
                Self::from_conf(<$config as From<&$crate::config::SdkConfig>>::from(sdk_config))
            }
            /// A client with an explicit configuration. Nothing is checked here: a
            /// configuration that cannot send a call (no region, no credentials) fails each
            /// call with an error that says what is missing.
            pub fn from_conf(conf: $config) -> Self {
                let runtime: &$crate::config::Config = conf.as_ref();
                let handle = $crate::client::Handle::new(&$service, runtime.clone());
                Self {
                    handle: std::sync::Arc::new(handle),
                    config: std::sync::Arc::new(conf),
                }
            }
            /// The client's configuration.
            pub fn config(&self) -> &$config {
                &self.config
            }
            /// How many responses the service throttled across every call of this client and its
            /// clones, including the ones a retry then turned into a success. A caller that
            /// schedules many calls can watch it to lower its own concurrency.
            pub fn throttled_responses(&self) -> u64 {
                self.handle.throttled_responses()
            }
            /// The state the client shares with its fluent builders and paginators.
            pub(crate) fn handle(&self) -> &std::sync::Arc<$crate::client::Handle> {
                &self.handle
            }
            /// Sends any operation by its type, e.g. `client.call::<GetThing>(input).await`.
            pub async fn call<O: $crate::operation_shape::OperationShape>(
                &self,
                input: O::Input,
            ) -> Result<O::Output, $crate::error::SdkError<O::Error>> {
                self.handle.invoke::<O>(input, None).await
            }
        }
        impl $crate::client::ProvideHandle for Client {
            fn handle(&self) -> &std::sync::Arc<$crate::client::Handle> {
                &self.handle
            }
        }
    };
}
