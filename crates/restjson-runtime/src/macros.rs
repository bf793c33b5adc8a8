//! Macros that keep generated code short: each is written once here and invoked by a generated
//! crate once per member, structure or operation. They are ordinary exported macros: every
//! runtime item they name goes through `$crate`, and every item of the generated crate they need
//! (its error module, its `Client` and `Config`) is passed in by the invocation.
//!
//! This file holds the macros of structures (setters, getters, Debug, JSON); `shapes.rs` those of
//! unions and string enums; `operation.rs` those of operations (error enums, fluent builders),
//! `client.rs` the client, `config.rs` its configuration, `customize.rs` the `client::customize`
//! module and `endpoint.rs` the `config::endpoint` module.

mod client;
mod config;
mod customize;
mod endpoint;
mod operation;
mod shapes;

/// Every macro of the runtime, for generated code to import with
/// `use restjson_runtime::macros::*`.
pub use crate::{
    client_type, config_types, customize_module, endpoint_module, error_meta_setters,
    fluent_builder, fluent_setter, getter, json_string_enum, json_struct, json_union,
    modeled_error, operation_error, output_request_id, redacted_debug, service_error,
    service_errors, setter, union_variant,
};

/// The three builder methods of one member: the setter (appending for lists, inserting one
/// entry for maps `{K: V}`, boxing for `box T`), `set_` and `get_`.
#[macro_export]
macro_rules! setter {
    ({$key:ty: $value:ty}, $field:ident, $set:ident, $get:ident) => {
        #[doc = concat!("Adds one entry to `", stringify!($field), "`; `", stringify!($set), "` replaces the whole map.")]
        #[inline]
        pub fn $field(mut self, key: impl Into<$key>, value: impl Into<$value>) -> Self {
            self.$field
                .get_or_insert_with(Default::default)
                .insert(key.into(), value.into());
            self
        }
        #[doc = concat!("Sets or clears `", stringify!($field), "`.")]
        #[inline]
        pub fn $set(mut self, input: Option<::std::collections::HashMap<$key, $value>>) -> Self {
            self.$field = input;
            self
        }
        #[doc = concat!("The value set for `", stringify!($field), "`, if any.")]
        #[inline]
        pub fn $get(&self) -> &Option<::std::collections::HashMap<$key, $value>> {
            &self.$field
        }
    };
    (box $ty:ty, $field:ident, $set:ident, $get:ident) => {
        #[doc = concat!("Sets `", stringify!($field), "`.")]
        #[inline]
        pub fn $field(mut self, input: $ty) -> Self {
            self.$field = Some(Box::new(input));
            self
        }
        #[doc = concat!("Sets or clears `", stringify!($field), "`.")]
        #[inline]
        pub fn $set(mut self, input: Option<Box<$ty>>) -> Self {
            self.$field = input;
            self
        }
        #[doc = concat!("The value set for `", stringify!($field), "`, if any.")]
        #[inline]
        pub fn $get(&self) -> &Option<Box<$ty>> {
            &self.$field
        }
    };
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

/// A getter. The first token says how the field is read:
/// `opt_str` (`Option<String>` as `Option<&str>`), `opt_list` (`Option<Vec<T>>` as `&[T]`),
/// `opt_copy` (`Option<T>` by value), `opt_ref` (`Option<T>` as `Option<&T>`), `opt_box`
/// (`Option<Box<T>>` as `Option<&T>`), `str`, `list`, `copy` and `ref` for required members.
#[macro_export]
macro_rules! getter {
    (opt_box $field:ident, $ty:ty) => {
        #[doc = concat!("The `", stringify!($field), "` member.")]
        #[inline]
        pub fn $field(&self) -> Option<&$ty> {
            self.$field.as_deref()
        }
    };
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

/// A Debug implementation that prints `hide` fields as a redaction mark.
#[macro_export]
macro_rules! redacted_debug {
    ($name:ident { $($field:ident $how:ident),* $(,)? }) => {
        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name))
                    $(.field(stringify!($field), $crate::redacted_debug!(@$how self.$field)))*
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

/// `FromJson` and `ToJson` for a structure and `Members` for its builder, which holds the
/// members while they are read.
///
/// Each member is `field "jsonName"`, then `/ "memberName"` when the model's member name differs
/// from its JSON name (documents use the member name, bodies the JSON name), then an optional
/// mode in brackets: `[= f]` for a required member that takes `f()` when absent, `[!]` for a
/// required member that must be present, and `[as format]` for timestamps (alone or in a list or
/// map) in one of the [`json`](crate::json) format modules (`epoch_seconds`, `date_time`,
/// `http_date`). A second brace group lists members bound to the URI, query string or headers:
/// message bodies never carry them, documents do. `[field, ...]` after the builder's name lists
/// fields JSON does not carry (error metadata, a request id, a streaming payload): they start
/// from their defaults. Last, `read #[attr]..` puts attributes on the reading side (`FromJson`
/// and `Members`) and `write #[attr]..` on `ToJson`: a generated crate compiles the side its
/// client never uses only when asked to, with `#[cfg(feature = "..")]`.
#[macro_export]
macro_rules! json_struct {
    (@slot $v:expr, as $format:ident $($rest:tt)*) => {
        $crate::json::Slot::Timestamp(&mut $v, $crate::json::$format::FORMAT)
    };
    (@slot $v:expr, $($rest:tt)*) => { $crate::json::Slot::Value(&mut $v) };
    (@finish $r:ident $v:expr, $w:literal) => { $v };
    (@finish $r:ident $v:expr, $w:literal $(as $format:ident)? = $fallback:path) => {
        $v.unwrap_or_else($fallback)
    };
    (@finish $r:ident $v:expr, $w:literal $(as $format:ident)? !) => { $r.required($v, $w)? };
    (@finish $r:ident $v:expr, $w:literal as $format:ident) => { $v };
    (@put $out:ident $w:expr, $v:expr, as $format:ident $($rest:tt)*) => {
        $crate::json::put_timestamps($out, $w, &$v, $crate::json::$format::FORMAT)
    };
    (@put $out:ident $w:expr, $v:expr, $($rest:tt)*) => {
        $crate::json::put($out, $w, &$v)
    };
    (@key $body:ident $w:literal) => { $w };
    (@key $body:ident $w:literal $m:literal) => { if $body { $w } else { $m } };
    ($name:ident $builder:ident $([$($extra:ident),* $(,)?])? {
        $($f:ident $w:literal $(/ $m:literal)? $([$($mode:tt)*])?),* $(,)?
    } $({ $($hf:ident $hw:literal $(/ $hm:literal)? $([$($hmode:tt)*])?),* $(,)? })?
    $(read $(#[$read:meta])+)? $(write $(#[$write:meta])+)?) => {
        $($(#[$read])+)?
        impl $crate::json::FromJson for $name {
            fn from_json(
                r: &mut $crate::json::Reader<'_>,
            ) -> Result<Self, $crate::json::JsonError> {
                let mut b = builders::$builder::default();
                r.read_object(&mut b)?;
                Ok(Self {
                    $($f: $crate::json_struct!(@finish r b.$f, $w $($($mode)*)?),)*
                    $($($hf: $crate::json_struct!(@finish r b.$hf, $hw $($($hmode)*)?),)*)?
                    $($($extra: Default::default(),)*)?
                })
            }
        }
        $($(#[$read])+)?
        impl $crate::json::Members for builders::$builder {
            fn slot(
                &mut self,
                name: &str,
                body: bool,
            ) -> Option<(&'static str, $crate::json::Slot<'_>)> {
                let _ = body;
                $(
                    let key = $crate::json_struct!(@key body $w $($m)?);
                    if name == key {
                        return Some((key, $crate::json_struct!(@slot self.$f, $($($mode)*)?)));
                    }
                )*
                $($(
                    let key = $crate::json_struct!(@key body $hw $($hm)?);
                    if !body && name == key {
                        return Some((key, $crate::json_struct!(@slot self.$hf, $($($hmode)*)?)));
                    }
                )*)?
                None
            }
        }
        $($(#[$write])+)?
        impl $crate::json::ToJson for $name {
            fn to_json(&self, out: &mut $crate::json::Writer) {
                let body = out.is_body();
                out.begin_object();
                $($crate::json_struct!(
                    @put out $crate::json_struct!(@key body $w $($m)?), self.$f,
                    $($($mode)*)?
                );)*
                $(if !body {
                    $($crate::json_struct!(
                        @put out $crate::json_struct!(@key body $hw $($hm)?), self.$hf,
                        $($($hmode)*)?
                    );)*
                })?
                out.end_object();
            }
        }
    };
}
