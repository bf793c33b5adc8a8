//! Hands a response to the operation's deserializer. A successful response whose payload is a
//! stream is handed over before its body is read, so the caller reads the stream as it arrives;
//! every other response is read whole first.

use std::fmt;

use aws_smithy_runtime_api::client::interceptors::context::{Error, Output};
use aws_smithy_runtime_api::client::orchestrator::{HttpResponse, OrchestratorError};
use aws_smithy_runtime_api::client::ser_de::DeserializeResponse;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::byte_stream::ByteStream;
use aws_smithy_types::config_bag::ConfigBag;

use super::erased::ErasedOperation;
use crate::operation_shape::{DeserializeError, ResponseParts};
use crate::retry::classify_status;

/// The orchestrator's deserializer for one operation.
pub(super) struct ResponseReader(pub(super) &'static ErasedOperation);

impl fmt::Debug for ResponseReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ResponseReader")
    }
}

impl DeserializeResponse for ResponseReader {
    fn deserialize_streaming_with_config(
        &self,
        response: &mut HttpResponse,
        _cfg: &ConfigBag,
    ) -> Option<Result<Output, OrchestratorError<Error>>> {
        let operation = self.0;
        let status = response.status().as_u16();
        let read_stream = operation.deserialize_stream?;
        if !(200..300).contains(&status) {
            return None;
        }
        let headers = header_map(response);
        let body = std::mem::replace(response.body_mut(), SdkBody::taken());
        let parts = ResponseParts {
            status,
            headers: &headers,
            body: &[],
        };
        let result = read_stream(parts, ByteStream::new(body));
        Some(outcome(operation.name, status, result))
    }

    fn deserialize_nonstreaming_with_config(
        &self,
        response: &HttpResponse,
        _cfg: &ConfigBag,
    ) -> Result<Output, OrchestratorError<Error>> {
        from_http_response(self.0, response)
    }
}

fn header_map(response: &HttpResponse) -> http::HeaderMap {
    let mut headers = http::HeaderMap::new();
    for (name, value) in response.headers().iter() {
        if let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(name.as_bytes()),
            http::HeaderValue::from_str(value),
        ) {
            headers.append(name, value);
        }
    }
    headers
}

/// Reads a response whose body is in memory.
fn from_http_response(
    operation: &ErasedOperation,
    response: &HttpResponse,
) -> Result<Output, OrchestratorError<Error>> {
    let headers = header_map(response);
    let Some(body) = response.body().bytes() else {
        return Err(OrchestratorError::response(
            "the response body was not read into memory".into(),
        ));
    };
    let status = response.status().as_u16();
    let parts = ResponseParts {
        status,
        headers: &headers,
        body,
    };
    outcome(operation.name, status, (operation.deserialize)(parts))
}

/// The deserializer's result as the orchestrator wants it.
fn outcome(
    operation: &str,
    status: u16,
    result: Result<Output, DeserializeError<Error>>,
) -> Result<Output, OrchestratorError<Error>> {
    match result {
        Ok(output) => Ok(output),
        Err(DeserializeError::Service(error)) => Err(OrchestratorError::operation(error)),
        Err(DeserializeError::Malformed(reason)) => {
            let source = format!("{operation} response does not match the model: {reason}");
            if classify_status(status).is_some() {
                // An unreadable throttling or server-error answer is still worth another attempt.
                Err(OrchestratorError::response(source.into()))
            } else {
                // Anything else is final; after a 2xx the call may well have taken effect, so
                // sending it again could repeat it.
                Err(OrchestratorError::other(source))
            }
        }
    }
}
