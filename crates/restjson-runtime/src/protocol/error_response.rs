//! Error responses: the error code as restJson1 defines where it comes from, and the modeled
//! error structure read from the body and headers.

use aws_smithy_types::error::ErrorMetadata;

use super::{json_text, request_id, Malformed, REQUEST_ID_KEY};
use crate::error::Unhandled;
use crate::json::{FromJson, Kind, Reader};
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
    /// The body's JSON text; `{}` when it is not JSON.
    body: Vec<u8>,
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
        let body = json_text(response.body);
        let (body, texts) = match BodyTexts::read(body) {
            Ok(texts) => (body.to_vec(), texts),
            Err(_) => (b"{}".to_vec(), BodyTexts::default()),
        };
        let header_code = response
            .headers
            .get("x-amzn-errortype")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let code = header_code
            .or(texts.code)
            .or(texts.type_name)
            .map(|raw| sanitize_error_code(&raw).to_owned())
            .filter(|code| !code.is_empty());
        let message = texts.message.or(texts.capital_message);
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
        let mut error = crate::json::from_body::<T>(&self.body)
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

/// The string members of an error body that say what the error is, read without the rest.
#[derive(Default)]
struct BodyTexts {
    code: Option<String>,
    type_name: Option<String>,
    message: Option<String>,
    capital_message: Option<String>,
}

impl BodyTexts {
    /// Reads them from a JSON body; an error when the body is not JSON. A body that is not an
    /// object, or a member that is not a string, gives nothing.
    fn read(body: &[u8]) -> Result<Self, crate::json::JsonError> {
        crate::json::from_body(body)
    }
}

impl FromJson for BodyTexts {
    fn from_json(reader: &mut Reader<'_>) -> Result<Self, crate::json::JsonError> {
        let mut texts = Self::default();
        if reader.peek()? != Kind::Object {
            reader.skip()?;
            return Ok(texts);
        }
        reader.each_member(&mut |key, reader| {
            let slot = match key {
                "code" => &mut texts.code,
                "__type" => &mut texts.type_name,
                "message" => &mut texts.message,
                "Message" => &mut texts.capital_message,
                _ => return reader.skip(),
            };
            if reader.peek()? == Kind::String {
                *slot = Some(reader.string()?.into_owned());
                Ok(())
            } else {
                *slot = None;
                reader.skip()
            }
        })?;
        Ok(texts)
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
