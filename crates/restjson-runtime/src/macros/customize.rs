//! The `client::customize` module of a generated crate: what `customize()` on a fluent builder
//! returns, to change how that one call is sent.

/// Defines `CustomizableOperation` and its `internal` support in the module that invokes it
/// (the generated crate's `client::customize`): `customize_module!(crate)`, with the crate's
/// root (whose `config::Builder` holds overridden settings).
#[macro_export]
macro_rules! customize_module {
    ($root:tt) => {
        /// One call being customized: interceptors, changes to its HTTP request, settings that
        /// override the client's, for this call only. `send()` sends it.
        pub struct CustomizableOperation<T, E, B> {
            customizable_send: B,
            config_override: Option<$root::config::Builder>,
            interceptors: Vec<$crate::config::SharedInterceptor>,
            runtime_plugins: Vec<$crate::config::SharedRuntimePlugin>,
            _output: std::marker::PhantomData<T>,
            _error: std::marker::PhantomData<E>,
        }

        impl<T, E, B> CustomizableOperation<T, E, B> {
            /// Customizes the call `customizable_send` sends.
            pub(crate) fn new(customizable_send: B) -> Self {
                Self {
                    customizable_send,
                    config_override: None,
                    interceptors: Vec::new(),
                    runtime_plugins: Vec::new(),
                    _output: std::marker::PhantomData,
                    _error: std::marker::PhantomData,
                }
            }

            fn execute<U>(self, f: impl FnOnce(B, $root::config::Builder) -> U) -> U {
                let mut config_override = self.config_override.unwrap_or_default();
                for interceptor in self.interceptors {
                    config_override.push_interceptor(interceptor);
                }
                for plugin in self.runtime_plugins {
                    config_override.push_runtime_plugin(plugin);
                }
                f(self.customizable_send, config_override)
            }

            /// Adds an interceptor that runs for this call only.
            pub fn interceptor(
                mut self,
                interceptor: impl $crate::config::Intercept + 'static,
            ) -> Self {
                self.interceptors
                    .push($crate::config::SharedInterceptor::new(interceptor));
                self
            }

            /// Adds a runtime plugin for this call only.
            #[allow(unused)]
            pub(crate) fn runtime_plugin(
                mut self,
                runtime_plugin: impl $crate::config::RuntimePlugin + 'static,
            ) -> Self {
                self.runtime_plugins
                    .push($crate::config::SharedRuntimePlugin::new(runtime_plugin));
                self
            }

            /// Replaces the HTTP request (each attempt's, after signing) with what `f` makes of
            /// it, or fails the call with `f`'s error.
            pub fn map_request<F, MapE>(mut self, f: F) -> Self
            where
                F: Fn(
                        $crate::config::http::HttpRequest,
                    ) -> Result<$crate::config::http::HttpRequest, MapE>
                    + Send
                    + Sync
                    + 'static,
                MapE: std::error::Error + Send + Sync + 'static,
            {
                self.interceptors
                    .push($crate::config::SharedInterceptor::new(
                        $crate::config::MapRequestInterceptor::new(f),
                    ));
                self
            }

            /// Changes the HTTP request (each attempt's, after signing) in place.
            pub fn mutate_request<F>(mut self, f: F) -> Self
            where
                F: Fn(&mut $crate::config::http::HttpRequest) + Send + Sync + 'static,
            {
                self.interceptors
                    .push($crate::config::SharedInterceptor::new(
                        $crate::config::MutateRequestInterceptor::new(f),
                    ));
                self
            }

            /// Overrides the client's settings for this call only.
            pub fn config_override(
                mut self,
                config_override: impl Into<$root::config::Builder>,
            ) -> Self {
                self.config_override = Some(config_override.into());
                self
            }

            /// Sends the call.
            pub async fn send(self) -> internal::SendResult<T, E>
            where
                E: std::error::Error + Send + Sync + 'static,
                B: internal::CustomizableSend<T, E>,
            {
                self.execute(|sender, config| sender.send(config)).await
            }
        }

        /// What a fluent builder implements so that a customized call can be sent.
        pub(crate) mod internal {
            /// A boxed future that can move between threads.
            pub type BoxFuture<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send>>;

            /// What sending a call gives.
            pub type SendResult<T, E> = Result<T, $crate::error::SdkError<E>>;

            /// Sends a call with settings that override the client's.
            pub trait CustomizableSend<T, E>: Send + Sync {
                /// Sends the call.
                fn send(
                    self,
                    config_override: $root::config::Builder,
                ) -> BoxFuture<SendResult<T, E>>;
            }
        }
    };
}
