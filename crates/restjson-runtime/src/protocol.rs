//! restJson1 helpers shared by the generated serializers and deserializers.
//!
//! Everything here is independent of any one operation: percent-encoding of URI labels and query
//! parameters, rendering of HTTP-bound values, reading JSON bodies (an empty body reads as `{}`),
//! reading the error code and request id of an error response. Header lists and prefixed headers
//! are in [`headers`](self::headers), the query string in [`QueryWriter`], payloads bound with
//! `@httpPayload` in [`payload`](self::payload), and `@endpoint` host prefixes in
//! [`host`](self::host). JSON values themselves are read and written by [`crate::json`].

mod error_response;
mod headers;
mod host;
mod payload;
mod query;
mod request_writer;

pub use error_response::{sanitize_error_code, ErrorResponse, ModeledError};
pub use headers::{
    base64_header, header_list, header_timestamps, prefix_headers, read_base64_header,
    read_header_list, read_header_timestamps, read_prefix_headers,
};
pub use host::host_label;
pub use payload::{
    blob_payload, json_payload, read_blob_payload, read_json_payload, read_string_payload,
    string_payload,
};
pub use query::{QueryParamValue, QueryWriter};
pub use request_writer::RequestWriter;

/// Response headers, as generated readers of header-bound error members take them.
pub use http::HeaderMap;

use aws_smithy_types::date_time::Format;
use aws_smithy_types::error::operation::BuildError;
use aws_smithy_types::DateTime;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::json::{FromJson, ToJson};
use crate::operation_shape::DeserializeError;

/// Characters left as they are in labels and query strings: RFC 3986 unreserved characters.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Like [`UNRESERVED`] but keeps `/`, for greedy labels (`{key+}`).
const GREEDY: &AsciiSet = &UNRESERVED.remove(b'/');

/// Key under which the request id is kept in an
/// [`ErrorMetadata`](aws_smithy_types::error::ErrorMetadata) (the one `aws-types` reads).
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
http_value_by_display!(i8, i16, i32, i64);

/// A float as text: `NaN`, `Infinity` and `-Infinity` for the values without digits.
fn float_text(value: f64, text: String) -> String {
    if value.is_nan() {
        "NaN".to_owned()
    } else if value.is_infinite() {
        if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else {
        text
    }
}

impl HttpValue for f32 {
    fn to_http_value(&self) -> String {
        float_text(f64::from(*self), self.to_string())
    }
}

impl HttpValue for f64 {
    fn to_http_value(&self) -> String {
        float_text(*self, self.to_string())
    }
}

impl HttpValue for aws_smithy_types::Blob {
    /// Base64, as restJson1 sends a blob in a header or the query string.
    fn to_http_value(&self) -> String {
        aws_smithy_types::base64::encode(self.as_ref())
    }
}

impl HttpValue for aws_smithy_types::BigInteger {
    fn to_http_value(&self) -> String {
        self.as_ref().to_owned()
    }
}

impl HttpValue for aws_smithy_types::BigDecimal {
    fn to_http_value(&self) -> String {
        self.as_ref().to_owned()
    }
}

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
    aws_smithy_types::BigInteger => "an integer",
    aws_smithy_types::BigDecimal => "a number"
);

/// Reads a float, with `NaN`, `Infinity` and `-Infinity` for the values without digits.
fn parse_float(text: &str) -> Result<f64, String> {
    match text.trim() {
        "NaN" => Ok(f64::NAN),
        "Infinity" => Ok(f64::INFINITY),
        "-Infinity" => Ok(f64::NEG_INFINITY),
        other => other
            .parse()
            .map_err(|_| format!("expected a number, got {text:?}")),
    }
}

impl FromHttpValue for f64 {
    fn from_http_value(text: &str) -> Result<Self, String> {
        parse_float(text)
    }
}

impl FromHttpValue for f32 {
    fn from_http_value(text: &str) -> Result<Self, String> {
        // Narrowing to the member's precision is what the model asks for.
        parse_float(text).map(|f| f as f32)
    }
}

impl FromHttpValue for aws_smithy_types::Blob {
    fn from_http_value(text: &str) -> Result<Self, String> {
        aws_smithy_types::base64::decode(text.trim())
            .map(aws_smithy_types::Blob::new)
            .map_err(|e| format!("not valid base64: {e}"))
    }
}

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

/// A list of timestamps as text in the given format, for the query string; an absent list is
/// empty.
pub fn timestamps(
    values: &Option<Vec<DateTime>>,
    format: Format,
) -> Result<Vec<String>, BuildError> {
    values
        .iter()
        .flatten()
        .map(|v| timestamp_value(v, format))
        .collect()
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

/// Serializes the body members of an input as JSON.
#[inline(never)]
pub fn json_body(input: &dyn ToJson) -> Result<Vec<u8>, BuildError> {
    Ok(crate::json::to_body(input))
}

/// A response that does not match the model: what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Malformed(pub String);

impl<E> From<Malformed> for DeserializeError<E> {
    fn from(value: Malformed) -> Self {
        DeserializeError::Malformed(value.0)
    }
}

/// Parses a JSON body; an empty body reads as `{}`. Members the model does not know are skipped.
pub fn parse_body<T: FromJson>(body: &[u8]) -> Result<T, Malformed> {
    crate::json::from_body(json_text(body)).map_err(malformed_body)
}

#[cold]
#[inline(never)]
fn malformed_body(e: crate::json::JsonError) -> Malformed {
    Malformed(format!("response body: {e}"))
}

/// A JSON body's text; an empty body reads as `{}`.
fn json_text(body: &[u8]) -> &[u8] {
    if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
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
    DateTime::from_str(text.trim(), crate::json::reading_format(format))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_read_leniently_and_errors_name_the_member() {
        let counts: Vec<i32> = parse_body(br#"[1, null, -3]"#).expect("valid body");
        assert_eq!(counts, [1, -3]);
        for (body, expected) in [
            (
                &br#"{"a":1}"#[..],
                "response body: expected an array, found an object",
            ),
            (
                br#"[1, "2"]"#,
                "response body: [1]: expected an integer, found a string",
            ),
            (
                br#"[4294967296]"#,
                "[0]: expected an integer from -2147483648 to 2147483647",
            ),
            (br#"[1"#, "response body: EOF while parsing a list"),
        ] {
            let error = parse_body::<Vec<i32>>(body).expect_err("wrong type");
            assert!(error.0.contains(expected), "{}: {}", error.0, expected);
        }
    }

    #[test]
    fn empty_bodies_read_as_empty_objects() {
        assert_eq!(json_text(b"  \n"), b"{}");
        let empty: std::collections::HashMap<String, String> =
            parse_body(b"  \n").expect("an empty object");
        assert!(empty.is_empty());
        assert!(parse_body::<std::collections::HashMap<String, String>>(b"{").is_err());
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
