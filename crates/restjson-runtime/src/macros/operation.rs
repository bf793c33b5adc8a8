//! Macros of operations and their errors: fluent setters, the operation error enum, the fluent
//! builder (with the operation's runtime plugin), the output's request id, the traits of an
//! error structure, and the service-wide reader of modeled errors.

/// The three builder methods of one member on a fluent builder, forwarding to its input builder.
#[macro_export]
macro_rules! fluent_setter {
    ({$key:ty: $value:ty}, $field:ident, $set:ident, $get:ident) => {
        #[doc = concat!("Adds one entry to `", stringify!($field), "`; `", stringify!($set), "` replaces the whole map.")]
        #[inline]
        pub fn $field(mut self, key: impl Into<$key>, value: impl Into<$value>) -> Self {
            self.inner = self.inner.$field(key, value);
            self
        }
        #[doc = concat!("Sets or clears `", stringify!($field), "`.")]
        #[inline]
        pub fn $set(mut self, input: Option<::std::collections::HashMap<$key, $value>>) -> Self {
            self.inner = self.inner.$set(input);
            self
        }
        #[doc = concat!("The value set for `", stringify!($field), "`, if any.")]
        #[inline]
        pub fn $get(&self) -> &Option<::std::collections::HashMap<$key, $value>> {
            self.inner.$get()
        }
    };
    (box $ty:ty, $field:ident, $set:ident, $get:ident) => {
        #[doc = concat!("Sets `", stringify!($field), "`.")]
        #[inline]
        pub fn $field(mut self, input: $ty) -> Self {
            self.inner = self.inner.$field(input);
            self
        }
        #[doc = concat!("Sets or clears `", stringify!($field), "`.")]
        #[inline]
        pub fn $set(mut self, input: Option<Box<$ty>>) -> Self {
            self.inner = self.inner.$set(input);
            self
        }
        #[doc = concat!("The value set for `", stringify!($field), "`, if any.")]
        #[inline]
        pub fn $get(&self) -> &Option<Box<$ty>> {
            self.inner.$get()
        }
    };
    ([$elem:ty], $field:ident, $set:ident, $get:ident) => {
        #[doc = concat!("Appends one element to `", stringify!($field), "`; `", stringify!($set), "` replaces the whole list.")]
        #[inline]
        pub fn $field(mut self, input: impl Into<$elem>) -> Self {
            self.inner = self.inner.$field(input);
            self
        }
        #[doc = concat!("Sets or clears `", stringify!($field), "`.")]
        #[inline]
        pub fn $set(mut self, input: Option<Vec<$elem>>) -> Self {
            self.inner = self.inner.$set(input);
            self
        }
        #[doc = concat!("The value set for `", stringify!($field), "`, if any.")]
        #[inline]
        pub fn $get(&self) -> &Option<Vec<$elem>> {
            self.inner.$get()
        }
    };
    ($ty:ty, $field:ident, $set:ident, $get:ident) => {
        #[doc = concat!("Sets `", stringify!($field), "`.")]
        #[inline]
        pub fn $field(mut self, input: impl Into<$ty>) -> Self {
            self.inner = self.inner.$field(input);
            self
        }
        #[doc = concat!("Sets or clears `", stringify!($field), "`.")]
        #[inline]
        pub fn $set(mut self, input: Option<$ty>) -> Self {
            self.inner = self.inner.$set(input);
            self
        }
        #[doc = concat!("The value set for `", stringify!($field), "`, if any.")]
        #[inline]
        pub fn $get(&self) -> &Option<$ty> {
            self.inner.$get()
        }
    };
}

/// An operation's error enum: one variant per modeled error plus `Unhandled`, with Display
/// (one line: the operation, code, message, HTTP status, request id and details), Error,
/// ProvideErrorMetadata, ProvideErrorKind, RequestId, CreateUnhandledError, ErrorDetails,
/// `is_*` predicates, reading from a response, and the conversions into the crate's `Error`.
///
/// `"Name" NameError in errors into path::to::Error { Variant is_variant, ... }`: `errors` is
/// a module in scope where the invocation is, holding the error structures (`errors::Variant`)
/// and the service's `AnyError` reader and `retry_kind` (made by
/// [`service_errors!`](crate::service_errors)).
#[macro_export]
macro_rules! operation_error {
    ($operation:literal $name:ident in $errors:ident into $service_error:path {
        $($variant:ident $predicate:ident),* $(,)?
    }) => {
        #[doc = concat!("Errors the `", $operation, "` operation can return.")]
        #[non_exhaustive]
        #[derive(Debug)]
        pub enum $name {
            $(
                #[doc = concat!("The service answered with `", stringify!($variant), "`.")]
                $variant($errors::$variant),
            )*
            /// An error response that matches none of the modeled errors, or a failure that is
            /// not a response; it keeps the code, message, request id and HTTP status.
            #[deprecated(note = "Matching `Unhandled` directly is not forwards compatible: match \
                a variable and check `.code()` instead, as with the official SDK crates.")]
            Unhandled($crate::error::Unhandled),
        }
        #[allow(deprecated)]
        impl $name {
            /// An unhandled error caused by `err`.
            pub fn unhandled(err: impl Into<$crate::error::BoxError>) -> Self {
                Self::Unhandled($crate::error::Unhandled::new(err, Default::default()))
            }
            /// An unhandled error with this metadata (code, message, request id).
            pub fn generic(err: $crate::error::ErrorMetadata) -> Self {
                Self::Unhandled($crate::error::Unhandled::generic(err))
            }
            /// The code, message and request id of the error.
            #[inline(never)]
            pub fn meta(&self) -> &$crate::error::ErrorMetadata {
                match self {
                    $(Self::$variant(e) => $crate::error::ProvideErrorMetadata::meta(e),)*
                    Self::Unhandled(e) => e.meta(),
                }
            }
            $(
                #[doc = concat!("Whether this is a `", stringify!($variant), "`.")]
                pub fn $predicate(&self) -> bool {
                    matches!(self, Self::$variant(_))
                }
            )*
            /// Reads a non-2xx response: a modeled error by its code, else `Unhandled`.
            fn from_response(
                response: $crate::protocol::ErrorResponse,
            ) -> Result<Self, $crate::protocol::Malformed> {
                use $errors::AnyError;
                // The shared reader decodes only this operation's errors; anything else stays
                // `Unhandled`.
                #[allow(unreachable_patterns)]
                Ok(match AnyError::read(response, &[$(stringify!($variant)),*])? {
                    $(AnyError::$variant(e) => Self::$variant(e),)*
                    AnyError::Unhandled(e) => Self::Unhandled(e),
                    other => Self::Unhandled(other.into_unhandled()),
                })
            }
            #[inline(never)]
            fn what(&self) -> &dyn std::fmt::Display {
                match self {
                    $(Self::$variant(e) => e,)*
                    Self::Unhandled(e) => e,
                }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let details = $crate::error_details::ErrorDetails::details(self);
                $crate::error::write_operation_error(f, Some($operation), self.what(), self.meta(), &details)
            }
        }
        #[allow(deprecated)]
        impl std::error::Error for $name {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    $(Self::$variant(e) => Some(e),)*
                    Self::Unhandled(e) => Some(e.source_error()),
                }
            }
        }
        impl $crate::error::ProvideErrorMetadata for $name {
            fn meta(&self) -> &$crate::error::ErrorMetadata {
                $name::meta(self)
            }
        }
        impl $crate::error::ProvideErrorKind for $name {
            fn code(&self) -> Option<&str> {
                $crate::error::ProvideErrorMetadata::code(self)
            }
            fn retryable_error_kind(&self) -> Option<$crate::error::ErrorKind> {
                $errors::retry_kind($crate::error::ProvideErrorMetadata::code(self))
            }
        }
        impl $crate::error::CreateUnhandledError for $name {
            #[allow(deprecated)]
            fn create_unhandled_error(
                source: Box<dyn std::error::Error + Send + Sync + 'static>,
                meta: Option<$crate::error::ErrorMetadata>,
            ) -> Self {
                Self::Unhandled($crate::error::Unhandled::new(source, meta.unwrap_or_default()))
            }
        }
        impl $crate::error::RequestId for $name {
            fn request_id(&self) -> Option<&str> {
                $crate::error::RequestId::request_id(self.meta())
            }
        }
        #[allow(deprecated)]
        impl $crate::error_details::ErrorDetails for $name {
            #[inline(never)]
            fn details(&self) -> Vec<String> {
                match self {
                    $(Self::$variant(e) => $crate::error_details::ErrorDetails::details(e),)*
                    Self::Unhandled(e) => $crate::error_details::ErrorDetails::details(e),
                }
            }
        }
        #[allow(deprecated)]
        impl From<$name> for $service_error {
            fn from(err: $name) -> Self {
                match err {
                    $($name::$variant(e) => Self::$variant(e),)*
                    $name::Unhandled(e) => Self::Unhandled(e),
                }
            }
        }
        impl<R> From<$crate::error::SdkError<$name, R>> for $service_error
        where
            R: Send + Sync + std::fmt::Debug + 'static,
        {
            fn from(err: $crate::error::SdkError<$name, R>) -> Self {
                match err {
                    $crate::error::SdkError::ServiceError(context) => Self::from(context.into_err()),
                    other => Self::unhandled_from(other),
                }
            }
        }
    };
}

/// The crate-wide `Error`: every modeled error of the service plus `Unhandled`, which `?`
/// converts any operation's error into (each operation error gives the `From`s).
///
/// `service_error!(Error in crate { Variant, ... })`, invoked in the crate, whose
/// `types::error` module holds the error structures.
#[macro_export]
macro_rules! service_error {
    ($name:ident in $root:tt { $($variant:ident),* $(,)? }) => {
        /// Any error of any operation of the service: what `?` turns an operation's error
        /// into, in a function returning `Result<_, Error>`.
        #[non_exhaustive]
        #[derive(Debug)]
        pub enum $name {
            $(
                #[doc = concat!("The service answered with `", stringify!($variant), "`.")]
                $variant($root::types::error::$variant),
            )*
            /// An error response that matches none of the modeled errors, or a failure that is
            /// not a response.
            #[deprecated(note = "Matching `Unhandled` directly is not forwards compatible: match \
                a variable and check `.code()` instead, as with the official SDK crates.")]
            Unhandled($crate::error::Unhandled),
        }
        #[allow(deprecated)]
        impl $name {
            /// A failure that is not a service error, kept with its metadata.
            pub(crate) fn unhandled_from<E, R>(err: $crate::error::SdkError<E, R>) -> Self
            where
                E: $crate::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
                R: Send + Sync + std::fmt::Debug + 'static,
            {
                let meta = $crate::error::ProvideErrorMetadata::meta(&err).clone();
                Self::Unhandled($crate::error::Unhandled::new(err, meta))
            }
            #[inline(never)]
            fn what(&self) -> &dyn std::fmt::Display {
                match self {
                    $(Self::$variant(e) => e,)*
                    Self::Unhandled(e) => e,
                }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let details = $crate::error_details::ErrorDetails::details(self);
                let meta = $crate::error::ProvideErrorMetadata::meta(self);
                $crate::error::write_operation_error(f, None, self.what(), meta, &details)
            }
        }
        #[allow(deprecated)]
        impl std::error::Error for $name {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    $(Self::$variant(e) => std::error::Error::source(e),)*
                    Self::Unhandled(e) => Some(e.source_error()),
                }
            }
        }
        #[allow(deprecated)]
        impl $crate::error::ProvideErrorMetadata for $name {
            fn meta(&self) -> &$crate::error::ErrorMetadata {
                match self {
                    $(Self::$variant(e) => $crate::error::ProvideErrorMetadata::meta(e),)*
                    Self::Unhandled(e) => e.meta(),
                }
            }
        }
        impl $crate::error::RequestId for $name {
            fn request_id(&self) -> Option<&str> {
                $crate::error::RequestId::request_id($crate::error::ProvideErrorMetadata::meta(self))
            }
        }
        #[allow(deprecated)]
        impl $crate::error_details::ErrorDetails for $name {
            fn details(&self) -> Vec<String> {
                match self {
                    $(Self::$variant(e) => $crate::error_details::ErrorDetails::details(e),)*
                    Self::Unhandled(e) => $crate::error_details::ErrorDetails::details(e),
                }
            }
        }
        #[allow(deprecated)]
        impl From<$crate::error::BuildError> for $name {
            fn from(value: $crate::error::BuildError) -> Self {
                Self::Unhandled($crate::error::Unhandled::new(value, Default::default()))
            }
        }
    };
}

/// A fluent builder: the input builder plus the client's handle, sent with `send()` or
/// customized with `customize()`; also the operation type's `new()` and runtime plugin, and
/// the input builder's `send_with`.
///
/// `fluent_builder!(crate, Operation, NameFluentBuilder, NameInputBuilder, NameOutput,
/// NameError)`, where the first argument is the crate's root (`crate`), then `, streaming` when
/// the input holds a byte stream (the builder cannot be cloned then).
#[macro_export]
macro_rules! fluent_builder {
    (@define [$($derive:ident)?] $root:tt, $operation:ident, $name:ident, $input:ident, $output:ident, $error:ident) => {
        #[doc = concat!("Sets up and sends a `", stringify!($operation), "` call; set the input, then call `send()`.")]
        #[derive($($derive)?)]
        pub struct $name {
            handle: std::sync::Arc<$crate::client::Handle>,
            inner: $input,
            config_override: Option<$root::config::Builder>,
        }
        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("inner", &self.inner)
                    .field("config_override", &self.config_override)
                    .finish_non_exhaustive()
            }
        }
        impl $name {
            /// A builder that sends through `handle`.
            pub(crate) fn new(handle: std::sync::Arc<$crate::client::Handle>) -> Self {
                Self { handle, inner: Default::default(), config_override: None }
            }
            /// The input as set so far.
            pub fn as_input(&self) -> &$input {
                &self.inner
            }
            /// Builds the input and sends the call: await the returned future for the
            /// operation's output or error (nothing is sent until it is awaited).
            pub fn send(self) -> $crate::client::Call<$operation> {
                let config_override = self.config_override.map(Into::into);
                self.handle.invoke_built::<$operation>(self.inner.build(), config_override)
            }
            /// Changes how this one call is sent (interceptors, the request, settings), then
            /// sends it with `send()`.
            pub fn customize(self) -> $root::client::customize::CustomizableOperation<$output, $error, Self> {
                $root::client::customize::CustomizableOperation::new(self)
            }
            /// Changes settings for this one call.
            pub(crate) fn config_override(mut self, config_override: impl Into<$root::config::Builder>) -> Self {
                self.set_config_override(Some(config_override.into()));
                self
            }
            /// Sets or clears the settings this one call changes.
            pub(crate) fn set_config_override(&mut self, config_override: Option<$root::config::Builder>) -> &mut Self {
                self.config_override = config_override;
                self
            }
        }
        impl $root::client::customize::internal::CustomizableSend<$output, $error> for $name {
            fn send(
                self,
                config_override: $root::config::Builder,
            ) -> $root::client::customize::internal::BoxFuture<
                $root::client::customize::internal::SendResult<$output, $error>,
            > {
                Box::pin(self.config_override(config_override).send())
            }
        }
        impl $input {
            /// Builds the input and sends it with `client`: await the returned future for the
            /// operation's output or error.
            pub fn send_with(self, client: &$root::Client) -> $crate::client::Call<$operation> {
                let mut fluent = $name::new($crate::client::ProvideHandle::handle(client).clone());
                fluent.inner = self;
                fluent.send()
            }
        }
        impl $operation {
            /// The operation, as a value (its runtime plugin).
            pub fn new() -> Self {
                Self
            }
        }
        impl $crate::config::RuntimePlugin for $operation {
            fn config(&self) -> Option<$crate::config::FrozenLayer> {
                $crate::config::RuntimePlugin::config(
                    &$crate::operation_plugin::OperationPlugin::of::<$operation>(None),
                )
            }
            fn runtime_components(
                &self,
                _current: &$crate::config::RuntimeComponentsBuilder,
            ) -> std::borrow::Cow<'_, $crate::config::RuntimeComponentsBuilder> {
                std::borrow::Cow::Owned(
                    $crate::operation_plugin::OperationPlugin::of::<$operation>(None).components(),
                )
            }
        }
    };
    ($root:tt, $operation:ident, $name:ident, $input:ident, $output:ident, $error:ident) => {
        $crate::fluent_builder!(@define [Clone] $root, $operation, $name, $input, $output, $error);
    };
    ($root:tt, $operation:ident, $name:ident, $input:ident, $output:ident, $error:ident, streaming) => {
        $crate::fluent_builder!(@define [] $root, $operation, $name, $input, $output, $error);
    };
}

/// `RequestId` for an operation output, from the response's request id header.
#[macro_export]
macro_rules! output_request_id {
    ($output:ident) => {
        impl $crate::error::RequestId for $output {
            fn request_id(&self) -> Option<&str> {
                self._request_id.get()
            }
        }
    };
}

/// The traits of an error structure with a `meta: ErrorMetadata` field: Display (its name and
/// message, on one line), Error, ProvideErrorMetadata, RequestId and ModeledError.
///
/// `modeled_error!(Name message)` for a required `message: String` member,
/// `modeled_error!(Name opt_message)` for an optional one, and `modeled_error!(Name)` when the
/// structure has no message member (the response's message is shown). `; read_fn` after that
/// names the structure's inherent `fn read_fn(&mut self, &HeaderMap) -> Result<(), Malformed>`,
/// which reads its header-bound members.
#[macro_export]
macro_rules! modeled_error {
    (@message $self:ident message) => {
        Some($self.message.as_str())
    };
    (@message $self:ident opt_message) => {
        $self.message.as_deref()
    };
    (@message $self:ident) => {
        $crate::error::ProvideErrorMetadata::message($self)
    };
    (@headers $read:ident) => {
        fn read_headers(
            &mut self,
            headers: &$crate::protocol::HeaderMap,
        ) -> Result<(), $crate::protocol::Malformed> {
            self.$read(headers)
        }
    };
    ($name:ident $($message:ident)? $(; $read:ident)?) => {
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(stringify!($name))?;
                if let Some(message) = $crate::modeled_error!(@message self $($message)?) {
                    write!(f, ": {}", $crate::error::OneLine(message))?;
                }
                Ok(())
            }
        }
        impl std::error::Error for $name {}
        impl $crate::error::ProvideErrorMetadata for $name {
            fn meta(&self) -> &$crate::error::ErrorMetadata {
                &self.meta
            }
        }
        impl $crate::error::RequestId for $name {
            fn request_id(&self) -> Option<&str> {
                $crate::error::RequestId::request_id(&self.meta)
            }
        }
        impl $crate::protocol::ModeledError for $name {
            fn with_meta(mut self, meta: $crate::error::ErrorMetadata) -> Self {
                self.meta = meta;
                self
            }
            $($crate::modeled_error!(@headers $read);)?
        }
    };
}

/// The `meta` and `set_meta` methods of an error structure's builder, whose
/// `meta: Option<ErrorMetadata>` field they set.
#[macro_export]
macro_rules! error_meta_setters {
    () => {
        /// Sets the code, message and request id of the error response.
        pub fn meta(mut self, meta: $crate::error::ErrorMetadata) -> Self {
            self.meta = Some(meta);
            self
        }
        /// Sets or clears the code, message and request id of the error response.
        pub fn set_meta(&mut self, meta: Option<$crate::error::ErrorMetadata>) -> &mut Self {
            self.meta = meta;
            self
        }
    };
}

/// Every modeled error of the service, read by one shared function instead of once per
/// operation, and what kind of retryable failure an error code is: defines `AnyError` and
/// `retry_kind` in the module that invokes it.
///
/// `service_errors!(path::to::SERVICE; Variant, Variant, ...)`: the service's `ServiceInfo`,
/// whose table of retryable errors (from `@retryable` in the model, or the model's overlay)
/// `retry_kind` reads, then the error structures.
#[macro_export]
macro_rules! service_errors {
    ($service:path; $($variant:ident),* $(,)?) => {
        /// Any modeled error of the service, or an unhandled one.
        pub(crate) enum AnyError {
            $($variant($variant),)*
            Unhandled($crate::error::Unhandled),
        }
        impl AnyError {
            /// Decodes an error response when its code is one of `allowed`, else keeps it as
            /// `Unhandled`.
            #[inline(never)]
            pub(crate) fn read(
                response: $crate::protocol::ErrorResponse,
                allowed: &[&str],
            ) -> Result<Self, $crate::protocol::Malformed> {
                if allowed.contains(&response.code()) {
                    $(
                        if response.code() == stringify!($variant) {
                            return Ok(Self::$variant(response.decode()?));
                        }
                    )*
                }
                Ok(Self::Unhandled(response.into_unhandled()))
            }
            /// The error as one no modeled shape matches.
            pub(crate) fn into_unhandled(self) -> $crate::error::Unhandled {
                match self {
                    $(Self::$variant(e) => $crate::error::Unhandled::generic(
                        $crate::error::ProvideErrorMetadata::meta(&e).clone(),
                    ),)*
                    Self::Unhandled(e) => e,
                }
            }
        }
        /// What kind of retryable failure the error with this code is, by the service's facts
        /// (its table of retryable errors).
        pub(crate) fn retry_kind(code: Option<&str>) -> Option<$crate::error::ErrorKind> {
            code.and_then(|code| $service.retryable_error(code))
        }
    };
}
