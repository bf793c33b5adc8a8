//! Error responses: the error code as restJson1 defines where it comes from, and the modeled
//! error structure read from the body and headers.

use aws_smithy_types::error::ErrorMetadata;

use super::{parse_json, request_id, Malformed, REQUEST_ID_KEY};
use crate::error::Unhandled;
use crate::json::{FromJson, Reader};
use crate::operation_shape::ResponseParts;

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

/// An error structure of the model: read from the body, then given the response's metadata and
/// its header-bound members.
pub trait ModeledError: FromJson {
    /// Attaches the code, message and request id of the response.
    fn with_meta(self, meta: ErrorMetadata) -> Self;

    /// Reads the members bound to headers (none unless the model binds some).
    fn read_headers(&mut self, headers: &http::HeaderMap) -> Result<(), Malformed> {
        let _ = headers;
        Ok(())
    }
}

/// A non-2xx response, read once: its error code, body and metadata.
pub struct ErrorResponse {
    code: Option<String>,
    body: serde_json::Value,
    headers: http::HeaderMap,
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
            headers: response.headers.clone(),
            meta: meta.build(),
            status: response.status,
        }
    }

    /// Like [`read`](Self::read), for a service with `aws.protocols#awsQueryCompatible`: the
    /// error is matched to a shape by the restJson1 code, and its metadata carries the awsQuery
    /// code from `x-amzn-query-error` (`Code;Fault`) when the response has one, as callers of the
    /// service's awsQuery past expect.
    pub fn read_query_compatible(response: &ResponseParts<'_>) -> Self {
        let mut read = Self::read(response);
        let query_code = response
            .headers
            .get("x-amzn-query-error")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(str::trim)
            .filter(|code| !code.is_empty());
        if let Some(code) = query_code {
            let mut meta = ErrorMetadata::builder().code(code);
            if let Some(message) = read.meta.message() {
                meta = meta.message(message);
            }
            for key in [REQUEST_ID_KEY, crate::error::HTTP_STATUS_KEY] {
                if let Some(value) = read.meta.extra(key) {
                    meta = meta.custom(key, value);
                }
            }
            read.meta = meta.build();
        }
        read
    }

    /// The sanitized error code, or `""` when the response has none.
    pub fn code(&self) -> &str {
        self.code.as_deref().unwrap_or("")
    }

    /// Decodes the body (and the header-bound members) as a modeled error structure.
    pub fn decode<T: ModeledError>(&self) -> Result<T, Malformed> {
        let mut error = T::from_json(self.body.clone(), &mut Reader::body())
            .map(|error| error.with_meta(self.meta.clone()))
            .map_err(|e| Malformed(format!("{} error body: {e}", self.code())))?;
        error.read_headers(&self.headers)?;
        Ok(error)
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
}
