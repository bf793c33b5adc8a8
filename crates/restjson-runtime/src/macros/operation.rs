//! Macros of operations and their errors: fluent setters, the operation error enum, the fluent
//! builder, the output's request id, the traits of an error structure, and the service-wide
//! reader of modeled errors.

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

/// An operation's error enum: one variant per modeled error plus `Unhandled`, with Display,
/// Error, ProvideErrorMetadata, RequestId, ErrorDetails, `is_*` predicates and reading from a
/// response.
///
/// `"Name" NameError in errors { Variant is_variant, ... }`: `errors` is a module in scope
/// where the invocation is, holding the error structures (`errors::Variant`) and the service's
/// `AnyError` reader (made by [`service_errors!`](crate::service_errors)).
#[macro_export]
macro_rules! operation_error {
    ($operation:literal $name:ident in $errors:ident {
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
            /// An error response that matches none of the modeled errors; it keeps the code,
            /// message, request id and HTTP status.
            Unhandled($crate::operation_shape::Unhandled),
        }
        impl $name {
            /// An unhandled error with this metadata and HTTP status.
            pub fn unhandled(meta: $crate::error::ErrorMetadata, status: u16) -> Self {
                Self::Unhandled($crate::operation_shape::Unhandled { meta, status })
            }
            /// The code, message and request id of the error.
            pub fn meta(&self) -> &$crate::error::ErrorMetadata {
                match self {
                    $(Self::$variant(e) => &e.meta,)*
                    Self::Unhandled(e) => &e.meta,
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
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    $(Self::$variant(e) => e.fmt(f),)*
                    Self::Unhandled(e) => e.fmt(f),
                }
            }
        }
        impl std::error::Error for $name {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    $(Self::$variant(e) => Some(e),)*
                    Self::Unhandled(e) => Some(e),
                }
            }
        }
        impl $crate::error::ProvideErrorMetadata for $name {
            fn meta(&self) -> &$crate::error::ErrorMetadata {
                $name::meta(self)
            }
        }
        impl $crate::error::RequestId for $name {
            fn request_id(&self) -> Option<&str> {
                $crate::error::RequestId::request_id(self.meta())
            }
        }
        impl $crate::error_details::ErrorDetails for $name {
            fn details(&self) -> Vec<String> {
                match self {
                    $(Self::$variant(e) => $crate::error_details::ErrorDetails::details(e),)*
                    Self::Unhandled(e) => $crate::error_details::ErrorDetails::details(e),
                }
            }
        }
    };
}

/// A fluent builder: the input builder plus the client's handle, sent with `send()`.
///
/// `Operation, NameFluentBuilder, NameInputBuilder, NameOutput, NameError`, then `, streaming`
/// when the input holds a byte stream (the builder cannot be cloned then).
#[macro_export]
macro_rules! fluent_builder {
    ($operation:ident, $name:ident, $input:ident, $output:ident, $error:ident) => {
        $crate::fluent_builder!(@define [Clone] $operation, $name, $input, $output, $error);
    };
    ($operation:ident, $name:ident, $input:ident, $output:ident, $error:ident, streaming) => {
        $crate::fluent_builder!(@define [] $operation, $name, $input, $output, $error);
    };
    (@define [$($derive:ident)?] $operation:ident, $name:ident, $input:ident, $output:ident, $error:ident) => {
        #[doc = concat!("Sets up and sends a `", stringify!($operation), "` call; set the input, then call `send()`.")]
        #[derive($($derive)?)]
        pub struct $name {
            handle: std::sync::Arc<$crate::client::Handle>,
            inner: $input,
        }
        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name)).field("inner", &self.inner).finish_non_exhaustive()
            }
        }
        impl $name {
            /// A builder that sends through `handle`.
            pub(crate) fn new(handle: std::sync::Arc<$crate::client::Handle>) -> Self {
                Self { handle, inner: Default::default() }
            }
            /// The input as set so far.
            pub fn as_input(&self) -> &$input {
                &self.inner
            }
            /// Builds the input and sends the call.
            pub async fn send(self) -> Result<$output, $crate::error::SdkError<$error>> {
                let input = self.inner.build().map_err($crate::error::SdkError::construction_failure)?;
                self.handle.invoke::<$operation>(input).await
            }
        }
        impl $input {
            /// Builds the input and sends it with `client` (the crate's `Client`).
            pub async fn send_with(
                self,
                client: &impl $crate::client::ProvideHandle,
            ) -> Result<$output, $crate::error::SdkError<$error>> {
                let mut fluent = $name::new($crate::client::ProvideHandle::handle(client).clone());
                fluent.inner = self;
                fluent.send().await
            }
        }
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
/// message), Error, ProvideErrorMetadata, RequestId and ModeledError.
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
                    write!(f, ": {message}")?;
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
/// operation: defines `AnyError` in the module that invokes it.
#[macro_export]
macro_rules! service_errors {
    ($($variant:ident),* $(,)?) => {
        /// Any modeled error of the service, or an unhandled one.
        pub(crate) enum AnyError {
            $($variant($variant),)*
            Unhandled($crate::operation_shape::Unhandled),
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
            /// The error as one no modeled shape matches (its HTTP status is not kept).
            pub(crate) fn into_unhandled(self) -> $crate::operation_shape::Unhandled {
                match self {
                    $(Self::$variant(e) => $crate::operation_shape::Unhandled { meta: e.meta, status: 0 },)*
                    Self::Unhandled(e) => e,
                }
            }
        }
    };
}
