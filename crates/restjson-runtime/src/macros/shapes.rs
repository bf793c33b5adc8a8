//! Macros of unions and string enums: their JSON and a union's accessors.

/// `FromJson` and `ToJson` for a union.
///
/// Each variant is `Variant "jsonName"`, then `/ "memberName"` when the member name differs from
/// the JSON name, then an optional mode: `[unit]` for a member targeting `smithy.api#Unit` (a
/// variant without a value, written as `{}`), or `[as format]` for timestamps in one of the
/// [`json`](crate::json) format modules. The union must have an `Unknown` variant: a body may
/// set a member this version does not know. `Unknown` itself is written as `null` (validation
/// refuses to send it).
#[macro_export]
macro_rules! json_union {
    (@read $r:ident $v:ident unit) => {{
        $r.skip()?;
        Self::$v
    }};
    (@read $r:ident $v:ident as $format:ident) => {
        Self::$v($crate::json::Timestamps::read_timestamps(
            $r,
            $crate::json::$format::FORMAT,
        )?)
    };
    (@read $r:ident $v:ident) => {
        Self::$v($crate::json::FromJson::from_json($r)?)
    };
    (@write $self:ident $out:ident $key:ident $v:ident unit) => {
        if let Self::$v = $self {
            $out.key($key);
            $out.begin_object();
            $out.end_object();
        }
    };
    (@write $self:ident $out:ident $key:ident $v:ident as $format:ident) => {
        if let Self::$v(value) = $self {
            $crate::json::put_timestamps($out, $key, value, $crate::json::$format::FORMAT);
        }
    };
    (@write $self:ident $out:ident $key:ident $v:ident) => {
        if let Self::$v(value) = $self {
            $crate::json::put($out, $key, value);
        }
    };
    ($name:ident { $($v:ident $w:literal $(/ $m:literal)? $([$($mode:tt)*])?),* $(,)? }) => {
        impl $crate::json::FromJson for $name {
            fn from_json(
                r: &mut $crate::json::Reader<'_>,
            ) -> Result<Self, $crate::json::JsonError> {
                let mut out = Self::Unknown;
                let body = r.is_body();
                let _ = body;
                r.read_union(&mut |name, r| {
                    $(
                        let key = $crate::json_struct!(@key body $w $($m)?);
                        if name == key {
                            out = r.member(key, |r| {
                                Ok($crate::json_union!(@read r $v $($($mode)*)?))
                            })?;
                            return Ok(true);
                        }
                    )*
                    Ok(false)
                })?;
                Ok(out)
            }
        }
        impl $crate::json::ToJson for $name {
            fn to_json(&self, out: &mut $crate::json::Writer) {
                if let Self::Unknown = self {
                    out.null();
                    return;
                }
                let body = out.is_body();
                let _ = body;
                out.begin_object();
                $(
                    let key = $crate::json_struct!(@key body $w $($m)?);
                    $crate::json_union!(@write self out key $v $($($mode)*)?);
                )*
                out.end_object();
            }

            fn is_absent(&self) -> bool {
                matches!(self, Self::Unknown)
            }
        }
    };
}

/// The accessors of one union variant: `as_variant` (the value, or the union itself when it is
/// another variant) and `is_variant`. `union_variant!(Variant as_variant is_variant, Type)`, or
/// without a type for a variant without a value (its `as_` gives `&()`).
#[macro_export]
macro_rules! union_variant {
    ($v:ident $as_fn:ident $is_fn:ident) => {
        #[doc = concat!("Whether this is the `", stringify!($v), "` variant: `Ok(&())` if so, else the union itself.")]
        pub fn $as_fn(&self) -> Result<&(), &Self> {
            if let Self::$v = self {
                Ok(&())
            } else {
                Err(self)
            }
        }
        #[doc = concat!("Whether this is the `", stringify!($v), "` variant.")]
        pub fn $is_fn(&self) -> bool {
            self.$as_fn().is_ok()
        }
    };
    ($v:ident $as_fn:ident $is_fn:ident, $ty:ty) => {
        #[doc = concat!("The value of the `", stringify!($v), "` variant, or the union itself when it is another.")]
        pub fn $as_fn(&self) -> Result<&$ty, &Self> {
            if let Self::$v(value) = self {
                Ok(value)
            } else {
                Err(self)
            }
        }
        #[doc = concat!("Whether this is the `", stringify!($v), "` variant.")]
        pub fn $is_fn(&self) -> bool {
            self.$as_fn().is_ok()
        }
    };
}

/// `FromJson`, `ToJson` and `MapKey` for a string enum with `as_str` and `From<&str>`: it
/// travels as its wire value.
#[macro_export]
macro_rules! json_string_enum {
    ($name:ident) => {
        impl $crate::json::FromJson for $name {
            fn from_json(
                reader: &mut $crate::json::Reader<'_>,
            ) -> Result<Self, $crate::json::JsonError> {
                $crate::json::read_string_enum(reader)
            }
        }
        impl $crate::json::ToJson for $name {
            fn to_json(&self, writer: &mut $crate::json::Writer) {
                $crate::json::write_string_enum(self.as_str(), writer)
            }
        }
        impl $crate::json::MapKey for $name {
            fn from_key(key: &str) -> Self {
                Self::from(key)
            }
            fn as_key(&self) -> &str {
                self.as_str()
            }
        }
    };
}
