//! restJson1 helpers shared by the generated serializers and deserializers.
//!
//! Everything here is independent of any one operation: percent-encoding of URI labels and query
//! parameters, rendering of HTTP-bound values, reading JSON bodies (an empty body reads as `{}`),
//! reading the error code and request id of an error response. JSON values themselves are read and
//! written by [`crate::json`].

use aws_smithy_types::date_time::Format;
use aws_smithy_types::error::operation::BuildError;
use aws_smithy_types::error::ErrorMetadata;
use aws_smithy_types::DateTime;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::error::Unhandled;
use crate::json::{FromJson, Reader, ToJson};
use crate::operation_shape::{DeserializeError, ResponseParts};

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
#[inline(never)]
pub fn json_body(input: &dyn ToJson) -> Result<Vec<u8>, BuildError> {
    serde_json::to_vec(&input.to_json(true))
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

/// Parses a JSON body; an empty body reads as `{}`. Members the model does not know are skipped.
pub fn parse_body<T: FromJson>(body: &[u8]) -> Result<T, Malformed> {
    T::from_json(parse_json(body)?, &mut Reader::body())
        .map_err(|e| Malformed(format!("response body: {e}")))
}

/// Parses a JSON body into a value; an empty body reads as `{}`.
fn parse_json(body: &[u8]) -> Result<serde_json::Value, Malformed> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(serde_json::Value::Object(Default::default()));
    }
    serde_json::from_slice(body).map_err(|e| Malformed(format!("response body: {e}")))
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
pub trait ModeledError: FromJson {
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
        // An unreadable body still leaves the status and headers to go by.
        let body = parse_json(response.body)
            .unwrap_or_else(|_| serde_json::Value::Object(Default::default()));
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
        meta = meta.custom(crate::error::HTTP_STATUS_KEY, response.status.to_string());
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
        T::from_json(self.body.clone(), &mut Reader::body())
            .map(|error| error.with_meta(self.meta.clone()))
            .map_err(|e| Malformed(format!("{} error body: {e}", self.code())))
    }

    /// The response as an error no modeled shape matches.
    pub fn into_unhandled(self) -> Unhandled {
        Unhandled::generic(self.meta)
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
        assert_eq!(crate::error::http_status(unhandled.meta()), Some(400));
        assert_eq!(unhandled.meta().message(), Some("m"));
        assert_eq!(unhandled.meta().extra(REQUEST_ID_KEY), Some("r-2"));
    }

    #[test]
    fn empty_bodies_read_as_empty_objects() {
        assert_eq!(parse_json(b"  \n"), Ok(serde_json::json!({})));
        assert!(parse_json(b"{").is_err());
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
