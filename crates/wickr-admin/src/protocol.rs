//! restJson1 helpers shared by the generated serializers and deserializers.
//!
//! Everything here is independent of any one operation: percent-encoding of URI labels and query
//! parameters, rendering of HTTP-bound values, reading JSON bodies (an empty body reads as `{}`),
//! reading the error code and request id of an error response, and serde adapters for timestamps.

use aws_smithy_types::date_time::Format;
use aws_smithy_types::error::operation::BuildError;
use aws_smithy_types::error::ErrorMetadata;
use aws_smithy_types::DateTime;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::de::DeserializeOwned;

use crate::operation_shape::{DeserializeError, ResponseParts, Unhandled};

/// Characters left as they are in labels and query strings: RFC 3986 unreserved characters.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Like [`UNRESERVED`] but keeps `/`, for greedy labels (`{key+}`).
const GREEDY: &AsciiSet = &UNRESERVED.remove(b'/');

/// Key under which the request id is kept in an [`ErrorMetadata`] (the one `aws-types` reads).
const REQUEST_ID_KEY: &str = "aws_request_id";

/// A value that can be bound to a URI label, a query parameter or a header.
pub trait HttpValue {
    /// The value as text, before any percent-encoding.
    fn to_http_value(&self) -> String;
}

impl HttpValue for String {
    fn to_http_value(&self) -> String {
        self.clone()
    }
}

impl HttpValue for bool {
    fn to_http_value(&self) -> String {
        self.to_string()
    }
}

macro_rules! http_value_by_display {
    ($($ty:ty),*) => {
        $(
            impl HttpValue for $ty {
                fn to_http_value(&self) -> String {
                    self.to_string()
                }
            }
        )*
    };
}
http_value_by_display!(i8, i16, i32, i64, f32, f64);

/// A value that can be read from a response header.
pub trait FromHttpValue: Sized {
    /// Parses the header text; the error says what was expected.
    fn from_http_value(text: &str) -> Result<Self, String>;
}

impl FromHttpValue for String {
    fn from_http_value(text: &str) -> Result<Self, String> {
        Ok(text.to_owned())
    }
}

macro_rules! from_http_value_by_parse {
    ($($ty:ty => $what:literal),*) => {
        $(
            impl FromHttpValue for $ty {
                fn from_http_value(text: &str) -> Result<Self, String> {
                    text.trim().parse().map_err(|_| format!("expected {}, got {:?}", $what, text))
                }
            }
        )*
    };
}
from_http_value_by_parse!(
    bool => "a boolean",
    i8 => "an integer",
    i16 => "an integer",
    i32 => "an integer",
    i64 => "an integer",
    f32 => "a number",
    f64 => "a number"
);

/// An optional member as text for a label, query parameter or header.
pub fn value<T: HttpValue>(value: &Option<T>) -> Option<String> {
    value.as_ref().map(HttpValue::to_http_value)
}

/// An optional timestamp member as text in the given format.
pub fn timestamp(value: &Option<DateTime>, format: Format) -> Result<Option<String>, BuildError> {
    value
        .as_ref()
        .map(|v| timestamp_value(v, format))
        .transpose()
}

/// Formats a timestamp for a label, query parameter or header.
pub fn timestamp_value(value: &DateTime, format: Format) -> Result<String, BuildError> {
    value
        .fmt(format)
        .map_err(|e| BuildError::other(format!("timestamp cannot be formatted: {e}")))
}

/// Renders one URI label; a missing or empty label is an error naming the member.
pub fn label(
    field: &'static str,
    value: Option<String>,
    greedy: bool,
) -> Result<String, BuildError> {
    match value {
        Some(value) if !value.is_empty() => {
            let set = if greedy { GREEDY } else { UNRESERVED };
            Ok(utf8_percent_encode(&value, set).to_string())
        }
        _ => Err(BuildError::missing_field(
            field,
            "a URI label must be set and not empty",
        )),
    }
}

/// Checks a header value: it must not contain line breaks or other control characters.
pub fn header(field: &'static str, value: String) -> Result<String, BuildError> {
    if value.chars().any(|c| c.is_control() && c != '\t') {
        return Err(BuildError::invalid_field(
            field,
            "a header value must not contain control characters",
        ));
    }
    Ok(value)
}

/// Builds a query string: parameters in the order they are pushed, lists as repeated keys,
/// absent values left out.
#[derive(Debug, Default)]
pub struct QueryWriter {
    out: String,
}

impl QueryWriter {
    /// A writer with no parameters yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a literal `key=value` pair taken from the URI template (already encoded).
    pub fn push_literal(&mut self, pair: &str) {
        self.separator();
        self.out.push_str(pair);
    }

    /// Adds `key=value` when a value is present.
    pub fn push(&mut self, key: &str, value: Option<String>) {
        if let Some(value) = value {
            self.separator();
            self.out.extend(utf8_percent_encode(key, UNRESERVED));
            self.out.push('=');
            self.out.extend(utf8_percent_encode(&value, UNRESERVED));
        }
    }

    /// Adds `key=value` once for every value of a list.
    pub fn push_all(&mut self, key: &str, values: impl IntoIterator<Item = String>) {
        for value in values {
            self.push(key, Some(value));
        }
    }

    fn separator(&mut self) {
        self.out.push(if self.out.is_empty() { '?' } else { '&' });
    }

    /// The query string, starting with `?`, or empty when nothing was pushed.
    pub fn finish(self) -> String {
        self.out
    }
}

/// Serializes the body members of an input as JSON.
pub fn json_body<T: serde::Serialize>(input: &T) -> Result<Vec<u8>, BuildError> {
    serde_json::to_vec(input)
        .map_err(|e| BuildError::other(format!("body cannot be serialized: {e}")))
}

/// A response that does not match the model: what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Malformed(pub String);

impl<E> From<Malformed> for DeserializeError<E> {
    fn from(value: Malformed) -> Self {
        DeserializeError::Malformed(value.0)
    }
}

/// Parses a JSON body; an empty body reads as `{}`.
///
/// The text is parsed into a JSON value by one non-generic function; the output type then reads
/// that value through [`value_de::ValueDeserializer`], which keeps the reading of each member
/// type in one shared function instead of copying it into every structure that has the member.
pub fn parse_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, Malformed> {
    T::deserialize(value_de::ValueDeserializer(parse_json(body)?))
        .map_err(|e| Malformed(format!("response body: {e}")))
}

/// Parses a JSON body into a value; an empty body reads as `{}`.
fn parse_json(body: &[u8]) -> Result<serde_json::Value, Malformed> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(serde_json::Value::Object(Default::default()));
    }
    serde_json::from_slice(body).map_err(|e| Malformed(format!("response body: {e}")))
}

/// A serde deserializer over a parsed JSON value, built for small generated code.
///
/// Scalars are read by `serde_json::Value`'s own deserializer. Objects and arrays are walked
/// here, and reading one member or element is a call that is never inlined: every structure
/// member of a given type shares one copy of the code that reads that type.
pub mod value_de {
    use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
    use serde_json::{Error, Map, Value};

    /// Deserializes from an owned JSON value.
    #[derive(Debug)]
    pub struct ValueDeserializer(pub Value);

    impl ValueDeserializer {
        fn visit_container<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self.0 {
                Value::Object(map) => visit_object(map, visitor),
                Value::Array(items) => visitor.visit_seq(Elements {
                    items: items.into_iter(),
                }),
                Value::Null => visitor.visit_unit(),
                Value::Bool(value) => visitor.visit_bool(value),
                Value::Number(number) => {
                    if let Some(value) = number.as_u64() {
                        visitor.visit_u64(value)
                    } else if let Some(value) = number.as_i64() {
                        visitor.visit_i64(value)
                    } else {
                        visitor.visit_f64(number.as_f64().unwrap_or(f64::NAN))
                    }
                }
                Value::String(value) => visitor.visit_string(value),
            }
        }
    }

    /// The error for a value of the wrong JSON type.
    fn invalid_type(value: &Value, expected: &dyn de::Expected) -> Error {
        let unexpected = match value {
            Value::Null => de::Unexpected::Unit,
            Value::Bool(value) => de::Unexpected::Bool(*value),
            Value::Number(number) => match (number.as_u64(), number.as_i64()) {
                (Some(value), _) => de::Unexpected::Unsigned(value),
                (None, Some(value)) => de::Unexpected::Signed(value),
                _ => de::Unexpected::Float(number.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(value) => de::Unexpected::Str(value),
            Value::Array(_) => de::Unexpected::Seq,
            Value::Object(_) => de::Unexpected::Map,
        };
        de::Error::invalid_type(unexpected, expected)
    }

    fn visit_object<'de, V: Visitor<'de>>(
        map: Map<String, Value>,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_map(Members {
            members: map.into_iter(),
            value: None,
        })
    }

    macro_rules! delegate {
        ($($method:ident)*) => {
            $(
                fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                    de::Deserializer::$method(self.0, visitor)
                }
            )*
        };
    }

    impl<'de> de::Deserializer<'de> for ValueDeserializer {
        type Error = Error;

        fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.visit_container(visitor)
        }

        fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self.0 {
                Value::Null => visitor.visit_none(),
                other => visitor.visit_some(ValueDeserializer(other)),
            }
        }

        fn deserialize_newtype_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            visitor: V,
        ) -> Result<V::Value, Error> {
            visitor.visit_newtype_struct(self)
        }

        fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self.0 {
                Value::Array(_) => self.visit_container(visitor),
                other => Err(invalid_type(&other, &visitor)),
            }
        }

        fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self.0 {
                Value::Object(map) => visit_object(map, visitor),
                other => Err(invalid_type(&other, &visitor)),
            }
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            _fields: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, Error> {
            match self.0 {
                Value::Object(map) => visit_object(map, visitor),
                other => Err(invalid_type(&other, &visitor)),
            }
        }

        fn deserialize_tuple<V: Visitor<'de>>(
            self,
            _len: usize,
            visitor: V,
        ) -> Result<V::Value, Error> {
            self.deserialize_seq(visitor)
        }

        fn deserialize_tuple_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            _len: usize,
            visitor: V,
        ) -> Result<V::Value, Error> {
            self.deserialize_seq(visitor)
        }

        fn deserialize_enum<V: Visitor<'de>>(
            self,
            name: &'static str,
            variants: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, Error> {
            de::Deserializer::deserialize_enum(self.0, name, variants, visitor)
        }

        fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_unit()
        }

        delegate! {
            deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
            deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_f32
            deserialize_f64 deserialize_char deserialize_str deserialize_string deserialize_bytes
            deserialize_byte_buf deserialize_unit deserialize_identifier
        }

        fn deserialize_unit_struct<V: Visitor<'de>>(
            self,
            name: &'static str,
            visitor: V,
        ) -> Result<V::Value, Error> {
            de::Deserializer::deserialize_unit_struct(self.0, name, visitor)
        }
    }

    /// The members of a JSON object.
    struct Members {
        members: serde_json::map::IntoIter,
        value: Option<Value>,
    }

    impl Members {
        /// Moves to the next member: returns its name and keeps its value for `next_value_seed`.
        /// Not generic, so the walk over the object is compiled once.
        #[inline(never)]
        fn next_member(&mut self) -> Option<String> {
            let (key, value) = self.members.next()?;
            self.value = Some(value);
            Some(key)
        }
    }

    impl<'de> MapAccess<'de> for Members {
        type Error = Error;

        fn next_key_seed<K: DeserializeSeed<'de>>(
            &mut self,
            seed: K,
        ) -> Result<Option<K::Value>, Error> {
            match self.next_member() {
                Some(key) => {
                    let key: de::value::StringDeserializer<Error> = key.into_deserializer();
                    seed.deserialize(key).map(Some)
                }
                None => Ok(None),
            }
        }

        // Not inlined on purpose: one copy per member type, shared by every structure.
        #[inline(never)]
        fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
            let value = self.value.take().unwrap_or(Value::Null);
            seed.deserialize(ValueDeserializer(value))
        }

        fn size_hint(&self) -> Option<usize> {
            Some(self.members.len())
        }
    }

    /// The elements of a JSON array.
    struct Elements {
        items: std::vec::IntoIter<Value>,
    }

    /// The next element of an array; not generic, so compiled once.
    #[inline(never)]
    fn next_item(items: &mut std::vec::IntoIter<Value>) -> Option<Value> {
        items.next()
    }

    impl<'de> SeqAccess<'de> for Elements {
        type Error = Error;

        // Not inlined on purpose, like `Members::next_value_seed`.
        #[inline(never)]
        fn next_element_seed<T: DeserializeSeed<'de>>(
            &mut self,
            seed: T,
        ) -> Result<Option<T::Value>, Error> {
            match next_item(&mut self.items) {
                Some(value) => seed.deserialize(ValueDeserializer(value)).map(Some),
                None => Ok(None),
            }
        }

        fn size_hint(&self) -> Option<usize> {
            Some(self.items.len())
        }
    }
}

/// Reads and parses a response header, when present.
pub fn read_header<T: FromHttpValue>(
    headers: &http::HeaderMap,
    name: &'static str,
) -> Result<Option<T>, Malformed> {
    let Some(value) = headers.get(name) else {
        return Ok(None);
    };
    let text = value
        .to_str()
        .map_err(|_| Malformed(format!("header {name}: not visible ASCII")))?;
    T::from_http_value(text)
        .map(Some)
        .map_err(|e| Malformed(format!("header {name}: {e}")))
}

/// Reads a timestamp response header in the given format, when present.
pub fn read_header_timestamp(
    headers: &http::HeaderMap,
    name: &'static str,
    format: Format,
) -> Result<Option<DateTime>, Malformed> {
    let Some(text) = read_header::<String>(headers, name)? else {
        return Ok(None);
    };
    DateTime::from_str(text.trim(), format)
        .map(Some)
        .map_err(|e| Malformed(format!("header {name}: {e}")))
}

/// The request id of a response (`x-amzn-requestid`, else `x-amz-request-id`).
pub fn request_id(headers: &http::HeaderMap) -> Option<&str> {
    ["x-amzn-requestid", "x-amz-request-id"]
        .iter()
        .find_map(|name| headers.get(*name).and_then(|v| v.to_str().ok()))
}

/// The request id of a successful response, kept by every operation output.
///
/// It never takes part in comparisons: two outputs with the same members are equal whatever
/// requests they came from.
#[derive(Clone, Debug, Default)]
pub struct ResponseRequestId(Option<String>);

impl ResponseRequestId {
    /// Reads the request id headers of a response.
    pub fn read(headers: &http::HeaderMap) -> Self {
        Self(request_id(headers).map(str::to_owned))
    }

    /// The request id, when the response had one.
    pub fn get(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl PartialEq for ResponseRequestId {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

/// Reduces a raw error code to the shape name: text from the first `:` is dropped, then text up to
/// and including the last `#`.
pub fn sanitize_error_code(raw: &str) -> &str {
    let code = raw.split(':').next().unwrap_or(raw);
    match code.rfind('#') {
        Some(hash) => &code[hash + 1..],
        None => code,
    }
    .trim()
}

/// An error structure of the model: read from the body, then given the response's metadata.
pub trait ModeledError: DeserializeOwned {
    /// Attaches the code, message and request id of the response.
    fn with_meta(self, meta: ErrorMetadata) -> Self;
}

/// A non-2xx response, read once: its error code, body and metadata.
pub struct ErrorResponse {
    code: Option<String>,
    body: serde_json::Value,
    meta: ErrorMetadata,
    status: u16,
}

/// Shows code, status and metadata, never the body: error bodies can echo submitted values,
/// such as names.
impl std::fmt::Debug for ErrorResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ErrorResponse")
            .field("code", &self.code)
            .field("status", &self.status)
            .field("meta", &self.meta)
            .finish_non_exhaustive()
    }
}

impl ErrorResponse {
    /// Reads the code from `X-Amzn-Errortype`, else the body's `code`, else `__type`.
    pub fn read(response: &ResponseParts<'_>) -> Self {
        let body: serde_json::Value = if response.body.iter().all(u8::is_ascii_whitespace) {
            serde_json::Value::Object(Default::default())
        } else {
            serde_json::from_slice(response.body)
                .unwrap_or_else(|_| serde_json::Value::Object(Default::default()))
        };
        let header_code = response
            .headers
            .get("x-amzn-errortype")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body_text = |key: &str| body.get(key).and_then(|v| v.as_str()).map(str::to_owned);
        let code = header_code
            .or_else(|| body_text("code"))
            .or_else(|| body_text("__type"))
            .map(|raw| sanitize_error_code(&raw).to_owned())
            .filter(|code| !code.is_empty());
        let message = body_text("message").or_else(|| body_text("Message"));
        let mut meta = ErrorMetadata::builder();
        if let Some(code) = &code {
            meta = meta.code(code);
        }
        if let Some(message) = message {
            meta = meta.message(message);
        }
        if let Some(id) = request_id(response.headers) {
            meta = meta.custom(REQUEST_ID_KEY, id);
        }
        Self {
            code,
            body,
            meta: meta.build(),
            status: response.status,
        }
    }

    /// The sanitized error code, or `""` when the response has none.
    pub fn code(&self) -> &str {
        self.code.as_deref().unwrap_or("")
    }

    /// Decodes the body as a modeled error structure.
    pub fn decode<T: ModeledError>(&self) -> Result<T, Malformed> {
        T::deserialize(&self.body)
            .map(|error| error.with_meta(self.meta.clone()))
            .map_err(|e| Malformed(format!("{} error body: {e}", self.code())))
    }

    /// The response as an error no modeled shape matches.
    pub fn into_unhandled(self) -> Unhandled {
        Unhandled {
            meta: self.meta,
            status: self.status,
        }
    }
}

/// serde adapter: timestamps as epoch seconds (a JSON number).
pub mod epoch_seconds {
    use aws_smithy_types::DateTime;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the timestamp as a number of seconds.
    pub fn serialize<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
        if value.has_subsec_nanos() {
            serializer.serialize_f64(value.as_secs_f64())
        } else {
            serializer.serialize_i64(value.secs())
        }
    }

    /// Reads a number of seconds.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        let secs = f64::deserialize(deserializer)?;
        if !secs.is_finite() {
            return Err(serde::de::Error::custom("timestamp is not a finite number"));
        }
        Ok(DateTime::from_secs_f64(secs))
    }

    /// The same, for an optional member.
    pub mod option {
        use aws_smithy_types::DateTime;
        use serde::{Deserialize, Deserializer, Serializer};

        /// Writes the timestamp (or null) as a number of seconds.
        pub fn serialize<S: Serializer>(
            value: &Option<DateTime>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(value) => super::serialize(value, serializer),
                None => serializer.serialize_none(),
            }
        }

        /// Reads a number of seconds or null.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<DateTime>, D::Error> {
            match Option::<f64>::deserialize(deserializer)? {
                Some(secs) if secs.is_finite() => Ok(Some(DateTime::from_secs_f64(secs))),
                Some(_) => Err(serde::de::Error::custom("timestamp is not a finite number")),
                None => Ok(None),
            }
        }
    }
}

macro_rules! text_timestamp_module {
    ($name:ident, $format:expr, $what:literal) => {
        #[doc = concat!("serde adapter: timestamps as ", $what, " strings.")]
        pub mod $name {
            use aws_smithy_types::DateTime;
            use serde::{Deserialize, Deserializer, Serializer};

            /// Writes the timestamp as text.
            pub fn serialize<S: Serializer>(
                value: &DateTime,
                serializer: S,
            ) -> Result<S::Ok, S::Error> {
                let text = value.fmt($format).map_err(serde::ser::Error::custom)?;
                serializer.serialize_str(&text)
            }

            /// Reads the timestamp from text.
            pub fn deserialize<'de, D: Deserializer<'de>>(
                deserializer: D,
            ) -> Result<DateTime, D::Error> {
                let text = String::deserialize(deserializer)?;
                DateTime::from_str(&text, $format).map_err(serde::de::Error::custom)
            }

            /// The same, for an optional member.
            pub mod option {
                use aws_smithy_types::DateTime;
                use serde::{Deserialize, Deserializer, Serializer};

                /// Writes the timestamp (or null) as text.
                pub fn serialize<S: Serializer>(
                    value: &Option<DateTime>,
                    serializer: S,
                ) -> Result<S::Ok, S::Error> {
                    match value {
                        Some(value) => super::serialize(value, serializer),
                        None => serializer.serialize_none(),
                    }
                }

                /// Reads the timestamp from text or null.
                pub fn deserialize<'de, D: Deserializer<'de>>(
                    deserializer: D,
                ) -> Result<Option<DateTime>, D::Error> {
                    match Option::<String>::deserialize(deserializer)? {
                        Some(text) => DateTime::from_str(&text, $format)
                            .map(Some)
                            .map_err(serde::de::Error::custom),
                        None => Ok(None),
                    }
                }
            }
        }
    };
}
text_timestamp_module!(
    date_time,
    aws_smithy_types::date_time::Format::DateTime,
    "RFC 3339"
);
text_timestamp_module!(
    http_date,
    aws_smithy_types::date_time::Format::HttpDate,
    "HTTP-date"
);

/// The value a required timestamp takes when a response leaves it out.
pub fn default_timestamp() -> DateTime {
    DateTime::from_secs(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Page {
        next_token: Option<String>,
        #[serde(default)]
        counts: Vec<Option<i32>>,
        inner: Option<Inner>,
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Inner {
        flag: bool,
        ratio: f64,
    }

    #[test]
    fn bodies_read_through_the_value_deserializer() {
        let page: Page = parse_body(
            br#"{"nextToken":null,"counts":[1,null,-3],"extra":{"a":[1]},
                "inner":{"flag":true,"ratio":2}}"#,
        )
        .expect("valid body");
        assert_eq!(
            page,
            Page {
                next_token: None,
                counts: vec![Some(1), None, Some(-3)],
                inner: Some(Inner {
                    flag: true,
                    ratio: 2.0
                }),
            }
        );
        let empty: Page = parse_body(b"").expect("empty body");
        assert_eq!(empty.counts, Vec::<Option<i32>>::new());
        for (body, expected) in [
            (
                &br#"{"nextToken":5}"#[..],
                "invalid type: integer `5`, expected",
            ),
            (
                br#"{"counts":{}}"#,
                "invalid type: map, expected a sequence",
            ),
            (
                br#"{"counts":[4294967296]}"#,
                "invalid value: integer `4294967296`",
            ),
            (br#"{"inner":{"flag":true}}"#, "missing field `ratio`"),
            (
                br#"{"inner":"x"}"#,
                "invalid type: string \"x\", expected struct Inner",
            ),
            (br#"[1]"#, "invalid type: sequence, expected struct Page"),
        ] {
            let error = parse_body::<Page>(body).expect_err("wrong type");
            assert!(error.0.contains(expected), "{}: {}", error.0, expected);
        }
    }

    #[test]
    fn error_codes_are_sanitized() {
        assert_eq!(sanitize_error_code("ValidationError"), "ValidationError");
        assert_eq!(
            sanitize_error_code("aws.protocoltests.restjson#FooError:http://internal.amazon.com/"),
            "FooError"
        );
        assert_eq!(sanitize_error_code("FooError:extra"), "FooError");
    }

    fn read(headers: &[(&'static str, &'static str)], body: &[u8]) -> ErrorResponse {
        let mut map = http::HeaderMap::new();
        for (name, value) in headers {
            map.insert(*name, http::HeaderValue::from_static(value));
        }
        ErrorResponse::read(&ResponseParts {
            status: 400,
            headers: &map,
            body,
        })
    }

    #[test]
    fn error_code_comes_from_header_then_code_then_type() {
        let body = br#"{"code":"FromCode","__type":"ns#FromType","message":"m"}"#;
        assert_eq!(
            read(&[("x-amzn-errortype", "FromHeader:x")], body).code(),
            "FromHeader"
        );
        assert_eq!(read(&[], body).code(), "FromCode");
        assert_eq!(read(&[], br#"{"__type":"ns#FromType"}"#).code(), "FromType");
        assert_eq!(read(&[], b"").code(), "");
        assert_eq!(read(&[], b"not json").code(), "");
        let unhandled = read(&[("x-amz-request-id", "r-2")], body).into_unhandled();
        assert_eq!(unhandled.status, 400);
        assert_eq!(unhandled.meta.message(), Some("m"));
        assert_eq!(unhandled.meta.extra(REQUEST_ID_KEY), Some("r-2"));
    }

    #[test]
    fn empty_bodies_read_as_empty_objects() {
        let value: serde_json::Value = parse_body(b"  \n").expect("empty body");
        assert_eq!(value, serde_json::json!({}));
        assert!(parse_body::<serde_json::Value>(b"{").is_err());
    }

    #[test]
    fn labels_and_query_are_percent_encoded() {
        assert_eq!(
            label("x", Some("a b/c".into()), false).ok().as_deref(),
            Some("a%20b%2Fc")
        );
        assert_eq!(
            label("x", Some("a b/c".into()), true).ok().as_deref(),
            Some("a%20b/c")
        );
        assert!(label("x", Some(String::new()), false).is_err());
        let mut q = QueryWriter::new();
        q.push("k", None);
        q.push_all("ids", ["1".to_owned(), "2&3".to_owned()]);
        assert_eq!(q.finish(), "?ids=1&ids=2%263");
    }
}
