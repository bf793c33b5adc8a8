//! Macros that keep the generated code short: builder setters, getters and operation error
//! enums, written once here and invoked once per member or operation.

/// The three builder methods of one member: the setter (appending for lists), `set_` and `get_`.
macro_rules! setter {
    ([$elem:ty], $field:ident, $set:ident, $get:ident) => {
        #[doc = concat!("Appends one element to `", stringify!($field), "`; `", stringify!($set), "` replaces the whole list.")]
        #[inline]
        pub fn $field(mut self, input: impl Into<$elem>) -> Self {
            self.$field.get_or_insert_with(Vec::new).push(input.into());
            self
        }
        #[doc = concat!("Sets or clears `", stringify!($field), "`.")]
        #[inline]
        pub fn $set(mut self, input: Option<Vec<$elem>>) -> Self {
            self.$field = input;
            self
        }
        #[doc = concat!("The value set for `", stringify!($field), "`, if any.")]
        #[inline]
        pub fn $get(&self) -> &Option<Vec<$elem>> {
            &self.$field
        }
    };
    ($ty:ty, $field:ident, $set:ident, $get:ident) => {
        #[doc = concat!("Sets `", stringify!($field), "`.")]
        #[inline]
        pub fn $field(mut self, input: impl Into<$ty>) -> Self {
            self.$field = Some(input.into());
            self
        }
        #[doc = concat!("Sets or clears `", stringify!($field), "`.")]
        #[inline]
        pub fn $set(mut self, input: Option<$ty>) -> Self {
            self.$field = input;
            self
        }
        #[doc = concat!("The value set for `", stringify!($field), "`, if any.")]
        #[inline]
        pub fn $get(&self) -> &Option<$ty> {
            &self.$field
        }
    };
}

/// The same three methods on a fluent builder, forwarding to its input builder.
macro_rules! fluent_setter {
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

/// A getter. The first token says how the field is read:
/// `opt_str` (`Option<String>` as `Option<&str>`), `opt_list` (`Option<Vec<T>>` as `&[T]`),
/// `opt_copy` (`Option<T>` by value), `opt_ref` (`Option<T>` as `Option<&T>`), `str`, `list`,
/// `copy` and `ref` for required members.
macro_rules! getter {
    (opt_str $field:ident) => {
        #[doc = concat!("The `", stringify!($field), "` member.")]
        #[inline]
        pub fn $field(&self) -> Option<&str> {
            self.$field.as_deref()
        }
    };
    (opt_list $field:ident, $elem:ty) => {
        #[doc = concat!("The `", stringify!($field), "` member.")]
        #[inline]
        pub fn $field(&self) -> &[$elem] {
            self.$field.as_deref().unwrap_or_default()
        }
    };
    (opt_copy $field:ident, $ty:ty) => {
        #[doc = concat!("The `", stringify!($field), "` member.")]
        #[inline]
        pub fn $field(&self) -> Option<$ty> {
            self.$field
        }
    };
    (opt_ref $field:ident, $ty:ty) => {
        #[doc = concat!("The `", stringify!($field), "` member.")]
        #[inline]
        pub fn $field(&self) -> Option<&$ty> {
            self.$field.as_ref()
        }
    };
    (str $field:ident) => {
        #[doc = concat!("The `", stringify!($field), "` member.")]
        #[inline]
        pub fn $field(&self) -> &str {
            &self.$field
        }
    };
    (list $field:ident, $elem:ty) => {
        #[doc = concat!("The `", stringify!($field), "` member.")]
        #[inline]
        pub fn $field(&self) -> &[$elem] {
            &self.$field
        }
    };
    (copy $field:ident, $ty:ty) => {
        #[doc = concat!("The `", stringify!($field), "` member.")]
        #[inline]
        pub fn $field(&self) -> $ty {
            self.$field
        }
    };
    (ref $field:ident, $ty:ty) => {
        #[doc = concat!("The `", stringify!($field), "` member.")]
        #[inline]
        pub fn $field(&self) -> &$ty {
            &self.$field
        }
    };
}

/// An operation's error enum: one variant per modeled error plus `Unhandled`, with Display,
/// Error, ProvideErrorMetadata, RequestId, `is_*` predicates and reading from a response.
macro_rules! operation_error {
    ($operation:literal $name:ident { $($variant:ident $predicate:ident),* $(,)? }) => {
        #[doc = concat!("Errors the `", $operation, "` operation can return.")]
        #[non_exhaustive]
        #[derive(Debug)]
        pub enum $name {
            $(
                #[doc = concat!("The service answered with `", stringify!($variant), "`.")]
                $variant(crate::types::error::$variant),
            )*
            /// An error response that matches none of the modeled errors; it keeps the code,
            /// message, request id and HTTP status.
            Unhandled(crate::operation_shape::Unhandled),
        }
        impl $name {
            /// An unhandled error with this metadata and HTTP status.
            pub fn unhandled(meta: aws_smithy_types::error::ErrorMetadata, status: u16) -> Self {
                Self::Unhandled(crate::operation_shape::Unhandled { meta, status })
            }
            /// The code, message and request id of the error.
            pub fn meta(&self) -> &aws_smithy_types::error::ErrorMetadata {
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
                response: crate::protocol::ErrorResponse,
            ) -> Result<Self, crate::protocol::Malformed> {
                use crate::types::error::AnyError;
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
        impl aws_smithy_types::error::metadata::ProvideErrorMetadata for $name {
            fn meta(&self) -> &aws_smithy_types::error::ErrorMetadata {
                $name::meta(self)
            }
        }
        impl aws_types::request_id::RequestId for $name {
            fn request_id(&self) -> Option<&str> {
                self.meta().request_id()
            }
        }
    };
}

/// A fluent builder: the input builder plus the client handle, sent with `send()`.
macro_rules! fluent_builder {
    ($operation:ident, $name:ident, $input:ident, $output:ident, $error:ident) => {
        #[doc = concat!("Sets up and sends a `", stringify!($operation), "` call; set the input, then call `send()`.")]
        #[derive(Clone)]
        pub struct $name {
            handle: std::sync::Arc<crate::client::Handle>,
            inner: $input,
        }
        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name)).field("inner", &self.inner).finish_non_exhaustive()
            }
        }
        impl $name {
            pub(crate) fn new(handle: std::sync::Arc<crate::client::Handle>) -> Self {
                Self { handle, inner: Default::default() }
            }
            /// The input as set so far.
            pub fn as_input(&self) -> &$input {
                &self.inner
            }
            /// Builds the input and sends the call.
            pub async fn send(self) -> Result<$output, crate::error::SdkError<$error>> {
                let input = self.inner.build().map_err(crate::error::SdkError::construction_failure)?;
                self.handle.invoke::<$operation>(input).await
            }
        }
        impl $input {
            /// Builds the input and sends it with `client`.
            pub async fn send_with(self, client: &crate::Client) -> Result<$output, crate::error::SdkError<$error>> {
                let mut fluent = $name::new(client.handle().clone());
                fluent.inner = self;
                fluent.send().await
            }
        }
    };
}

/// A Debug implementation that prints `hide` fields as a redaction mark.
macro_rules! redacted_debug {
    ($name:ident { $($field:ident $how:ident),* $(,)? }) => {
        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name))
                    $(.field(stringify!($field), redacted_debug!(@$how self.$field)))*
                    .finish()
            }
        }
    };
    (@show $value:expr) => {
        &$value
    };
    (@hide $value:expr) => {
        &"*** Sensitive Data Redacted ***"
    };
}

/// `RequestId` for an operation output, from the response's request id header.
macro_rules! output_request_id {
    ($output:ident) => {
        impl aws_types::request_id::RequestId for $output {
            fn request_id(&self) -> Option<&str> {
                self._request_id.get()
            }
        }
    };
}

/// Every modeled error of the service, read by one shared function instead of once per operation.
macro_rules! service_errors {
    ($($variant:ident),* $(,)?) => {
        /// Any modeled error of the service, or an unhandled one.
        pub(crate) enum AnyError {
            $($variant($variant),)*
            Unhandled(crate::operation_shape::Unhandled),
        }
        impl AnyError {
            /// Decodes an error response when its code is one of `allowed`, else keeps it as
            /// `Unhandled`.
            #[inline(never)]
            pub(crate) fn read(
                response: crate::protocol::ErrorResponse,
                allowed: &[&str],
            ) -> Result<Self, crate::protocol::Malformed> {
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
            pub(crate) fn into_unhandled(self) -> crate::operation_shape::Unhandled {
                match self {
                    $(Self::$variant(e) => crate::operation_shape::Unhandled { meta: e.meta, status: 0 },)*
                    Self::Unhandled(e) => e,
                }
            }
        }
    };
}

/// `FromJson` and `ToJson` for a structure and `Members` for its builder, which holds the
/// members while they are read.
///
/// Each member is `field "jsonName"` with an optional mode in brackets: `[= f]` for a required
/// member that takes `f()` when absent, `[!]` for a required member that must be present, and
/// `[as format]` for a timestamp in one of the `crate::json` format modules. A second brace group
/// lists members bound to the URI, query string or headers: message bodies never carry them,
/// documents do. `[field]` after the builder's name is a field JSON does not carry (error
/// metadata, a request id): it starts from its default.
macro_rules! json_struct {
    (@slot $v:expr, as $format:ident $($rest:tt)*) => {
        crate::json::Slot::Timestamp(&mut $v, crate::json::$format::FORMAT)
    };
    (@slot $v:expr, $($rest:tt)*) => { crate::json::Slot::Value(&mut $v) };
    (@finish $r:ident $v:expr, $w:literal) => { $v };
    (@finish $r:ident $v:expr, $w:literal $(as $format:ident)? = $fallback:path) => {
        $v.unwrap_or_else($fallback)
    };
    (@finish $r:ident $v:expr, $w:literal $(as $format:ident)? !) => { $r.required($v, $w)? };
    (@finish $r:ident $v:expr, $w:literal as $format:ident) => { $v };
    (@put $map:ident $w:literal $v:expr, $body:ident, as $format:ident $($rest:tt)*) => {
        crate::json::put_value(&mut $map, $w, crate::json::$format::write(&$v))
    };
    (@put $map:ident $w:literal $v:expr, $body:ident, $($rest:tt)*) => {
        crate::json::put(&mut $map, $w, &$v, $body)
    };
    ($name:ident $builder:ident $([$extra:ident])? {
        $($f:ident $w:literal $([$($mode:tt)*])?),* $(,)?
    } $({ $($hf:ident $hw:literal $([$($hmode:tt)*])?),* $(,)? })?) => {
        impl crate::json::FromJson for $name {
            fn from_json(
                value: serde_json::Value,
                r: &mut crate::json::Reader,
            ) -> Result<Self, crate::json::JsonError> {
                let mut b = builders::$builder::default();
                r.read_object(value, &mut b)?;
                Ok(Self {
                    $($f: json_struct!(@finish r b.$f, $w $($($mode)*)?),)*
                    $($($hf: json_struct!(@finish r b.$hf, $hw $($($hmode)*)?),)*)?
                    $($extra: Default::default(),)?
                })
            }
        }
        impl crate::json::Members for builders::$builder {
            fn slot(
                &mut self,
                name: &str,
                body: bool,
            ) -> Option<(&'static str, crate::json::Slot<'_>)> {
                let _ = body;
                Some(match name {
                    $($w => ($w, json_struct!(@slot self.$f, $($($mode)*)?)),)*
                    $($($hw if !body => ($hw, json_struct!(@slot self.$hf, $($($hmode)*)?)),)*)?
                    _ => return None,
                })
            }
        }
        impl crate::json::ToJson for $name {
            fn to_json(&self, body: bool) -> serde_json::Value {
                let mut map = serde_json::Map::new();
                $(json_struct!(@put map $w self.$f, body, $($($mode)*)?);)*
                $(if !body {
                    $(json_struct!(@put map $hw self.$hf, body, $($($hmode)*)?);)*
                })?
                let _ = body;
                serde_json::Value::Object(map)
            }
        }
    };
}
