//! Errors returned by the client.
//!
//! [`SdkError`] has the official AWS SDK's five cases. Its `Display` is one line that says what
//! happened: the operation, the error code and message, the HTTP status, the request id, and the
//! details the service's error carries (for example every field a validation error names, with
//! its reason), as the generated error type renders them ([`ErrorDetails`]).

use std::error::Error as StdError;
use std::fmt;

use aws_credential_types::provider::error::CredentialsError;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
pub use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::result::SdkError as OrchestratorSdkError;
use aws_smithy_types::retry::ErrorKind;

use crate::error_details::ErrorDetails;
use crate::operation_shape::Unhandled;
use crate::retry::{classify_response, classify_status};
use crate::schema::ServiceInfo;

// Re-exported for generated code, so a generated crate needs no extra dependency.
pub use aws_smithy_types::error::metadata::ProvideErrorMetadata;
pub use aws_smithy_types::error::operation::BuildError;
pub use aws_smithy_types::error::ErrorMetadata;
pub use aws_types::request_id::RequestId;

/// Boxed error type.
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// The error of one operation call.
#[derive(Debug)]
pub enum SdkError<E> {
    /// The request was not sent: the input was invalid, or the configuration is incomplete
    /// (no region, no credentials, no endpoint).
    ConstructionFailure(ConstructionFailure),
    /// A per-attempt or per-operation timeout fired. The request may have reached the service.
    TimeoutError(TimeoutError),
    /// No HTTP response was received (connection refused, reset, TLS failure...). The request
    /// may have reached the service.
    DispatchFailure(DispatchFailure),
    /// A response was received but could not be read.
    ResponseError(ResponseError),
    /// The service answered with an error.
    ServiceError(ServiceError<E>),
}

/// Details of [`SdkError::ConstructionFailure`].
#[derive(Debug)]
pub struct ConstructionFailure {
    operation: &'static str,
    source: BoxError,
}

/// Details of [`SdkError::TimeoutError`].
#[derive(Debug)]
pub struct TimeoutError {
    operation: &'static str,
    source: BoxError,
}

/// Details of [`SdkError::DispatchFailure`].
#[derive(Debug)]
pub struct DispatchFailure {
    operation: &'static str,
    source: BoxError,
}

/// Details of [`SdkError::ResponseError`].
#[derive(Debug)]
pub struct ResponseError {
    operation: &'static str,
    source: BoxError,
    raw: RawResponse,
}

/// Details of [`SdkError::ServiceError`].
#[derive(Debug)]
pub struct ServiceError<E> {
    operation: &'static str,
    source: E,
    raw: RawResponse,
    /// What kind of retryable failure the service's facts make of it, if any.
    kind: Option<ErrorKind>,
    /// The error's details, rendered once by its [`ErrorDetails`].
    details: Vec<String>,
}

/// What the runtime keeps of an HTTP response: enough to explain an error, nothing sensitive.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawResponse {
    status: u16,
    request_id: Option<String>,
}

impl RawResponse {
    /// Reads the status and request id of a response.
    pub(crate) fn from_http(response: &HttpResponse) -> Self {
        let headers = response.headers();
        let request_id = headers
            .get("x-amzn-requestid")
            .or_else(|| headers.get("x-amz-request-id"))
            .map(str::to_string);
        Self {
            status: response.status().as_u16(),
            request_id,
        }
    }

    /// What is known of a response that was read successfully but cannot be used: its request
    /// id. The status stays 0.
    pub(crate) fn read_answer(request_id: Option<&str>) -> Self {
        Self {
            status: 0,
            request_id: request_id.map(str::to_owned),
        }
    }

    /// HTTP status code (0 when the error is about an answer already read, not about a response).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The service's request id, when the response carried one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl<E> SdkError<E> {
    /// Builds a construction failure (the request was not sent).
    pub fn construction_failure(source: impl Into<BoxError>) -> Self {
        Self::ConstructionFailure(ConstructionFailure {
            operation: "",
            source: source.into(),
        })
    }

    /// Builds a construction failure for a named operation, so `Display` says which call it was.
    pub fn construction_failure_for(operation: &'static str, source: impl Into<BoxError>) -> Self {
        Self::ConstructionFailure(ConstructionFailure {
            operation,
            source: source.into(),
        })
    }

    /// Builds a response error for a named operation: an answer was received but cannot be used.
    pub fn response_error_for(
        operation: &'static str,
        source: impl Into<BoxError>,
        raw: RawResponse,
    ) -> Self {
        Self::ResponseError(ResponseError {
            operation,
            source: source.into(),
            raw,
        })
    }

    /// Builds a timeout error.
    pub fn timeout_error(source: impl Into<BoxError>) -> Self {
        Self::TimeoutError(TimeoutError {
            operation: "",
            source: source.into(),
        })
    }

    /// Builds a service error from an operation error and the response it came from.
    pub fn service_error(source: E, raw: RawResponse) -> Self {
        Self::ServiceError(ServiceError {
            operation: "",
            source,
            raw,
            kind: None,
            details: Vec::new(),
        })
    }

    /// The operation the call was for (empty when the error was raised before the call started).
    pub fn operation(&self) -> &'static str {
        match self {
            Self::ConstructionFailure(c) => c.operation,
            Self::TimeoutError(c) => c.operation,
            Self::DispatchFailure(c) => c.operation,
            Self::ResponseError(c) => c.operation,
            Self::ServiceError(c) => c.operation,
        }
    }

    /// Returns the service's error, when the service answered with one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            Self::ServiceError(c) => Some(&c.source),
            _ => None,
        }
    }

    /// Turns this into the operation's error type. Errors that did not come from the service
    /// become its `Unhandled` case, with the description as the message.
    pub fn into_service_error(self) -> E
    where
        E: From<Unhandled>,
        Self: StdError,
    {
        match self {
            Self::ServiceError(c) => c.source,
            other => {
                let status = other.raw_response().map(RawResponse::status).unwrap_or(0);
                let meta = ErrorMetadata::builder()
                    .code(other.kind_code())
                    .message(other.to_string())
                    .build();
                E::from(Unhandled { meta, status })
            }
        }
    }

    /// The raw response, for service and response errors.
    pub fn raw_response(&self) -> Option<&RawResponse> {
        match self {
            Self::ServiceError(c) => Some(&c.raw),
            Self::ResponseError(c) => Some(&c.raw),
            _ => None,
        }
    }

    /// The HTTP status of the response, when one was received.
    pub fn raw_status(&self) -> Option<u16> {
        self.raw_response().map(RawResponse::status)
    }

    /// The service's request id, when a response carried one.
    pub fn request_id(&self) -> Option<&str> {
        self.raw_response().and_then(RawResponse::request_id)
    }

    /// Whether the call failed before anything was sent.
    pub fn is_construction_failure(&self) -> bool {
        matches!(self, Self::ConstructionFailure(_))
    }

    /// What kind of retryable failure the answer was, by the service's retryable errors and the
    /// protocol's statuses (the rule the retry classifier applied to every attempt); `None` for
    /// final answers and for failures without an answer.
    pub fn retry_kind(&self) -> Option<ErrorKind> {
        match self {
            Self::ServiceError(c) => c.kind,
            Self::ResponseError(c) => classify_status(c.raw.status),
            _ => None,
        }
    }

    /// Whether the service throttled the call (a throttling error of the service, or HTTP 429).
    /// The client already retried it with backoff; seeing it here means every attempt was
    /// throttled.
    pub fn is_throttling(&self) -> bool {
        self.retry_kind() == Some(ErrorKind::ThrottlingError)
    }

    fn kind_code(&self) -> &'static str {
        match self {
            Self::ConstructionFailure(_) => "ConstructionFailure",
            Self::TimeoutError(_) => "TimeoutError",
            Self::DispatchFailure(_) => "DispatchFailure",
            Self::ResponseError(_) => "ResponseError",
            Self::ServiceError(_) => "ServiceError",
        }
    }
}

impl<E> SdkError<E>
where
    E: ProvideErrorMetadata + ErrorDetails + StdError + Send + Sync + 'static,
{
    /// Converts the orchestrator's error into ours, classifying a service error by `service`'s
    /// facts.
    pub(crate) fn from_orchestrator(
        service: &ServiceInfo,
        operation: &'static str,
        err: OrchestratorSdkError<E, HttpResponse>,
    ) -> Self {
        match err {
            OrchestratorSdkError::ServiceError(context) => {
                let raw = RawResponse::from_http(context.raw());
                let source = context.into_err();
                let kind = classify_response(service, raw.status, source.code());
                let details = source.details();
                Self::ServiceError(ServiceError {
                    operation,
                    source,
                    raw,
                    kind,
                    details,
                })
            }
            OrchestratorSdkError::ResponseError(context) => {
                let raw = RawResponse::from_http(context.raw());
                let source = match OrchestratorSdkError::<E, HttpResponse>::ResponseError(context)
                    .into_source()
                {
                    Ok(source) => source,
                    Err(_) => "unreadable response".into(),
                };
                Self::ResponseError(ResponseError {
                    operation,
                    source,
                    raw,
                })
            }
            other => {
                let kind = match &other {
                    OrchestratorSdkError::ConstructionFailure(_) => 0,
                    OrchestratorSdkError::TimeoutError(_) => 1,
                    _ => 2,
                };
                let source: BoxError = match other.into_source() {
                    Ok(source) => source,
                    Err(_) => "request failed".into(),
                };
                if let Some(credentials) = credentials_error(source.as_ref()) {
                    // Credentials are resolved before anything is sent.
                    return Self::ConstructionFailure(ConstructionFailure {
                        operation,
                        source: format!("cannot load credentials: {}", Chain(credentials)).into(),
                    });
                }
                match kind {
                    0 => Self::ConstructionFailure(ConstructionFailure { operation, source }),
                    1 => Self::TimeoutError(TimeoutError { operation, source }),
                    _ => Self::DispatchFailure(DispatchFailure { operation, source }),
                }
            }
        }
    }
}

impl<E: ProvideErrorMetadata> SdkError<E> {
    /// The service's error code (e.g. `ThrottlingException`), for service errors.
    pub fn code(&self) -> Option<&str> {
        self.as_service_error().and_then(|e| e.code())
    }

    /// The service's error message, for service errors.
    pub fn message(&self) -> Option<&str> {
        self.as_service_error().and_then(|e| e.message())
    }
}

impl<E> ServiceError<E> {
    /// The operation's error.
    pub fn err(&self) -> &E {
        &self.source
    }

    /// Takes the operation's error.
    pub fn into_err(self) -> E {
        self.source
    }

    /// The response the error came from.
    pub fn raw(&self) -> &RawResponse {
        &self.raw
    }
}

impl ResponseError {
    /// The response that could not be read.
    pub fn raw(&self) -> &RawResponse {
        &self.raw
    }
}

impl DispatchFailure {
    /// The underlying error.
    pub fn source_error(&self) -> &(dyn StdError + Send + Sync + 'static) {
        self.source.as_ref()
    }

    /// The HTTP client's error, when it is one (as the official SDK's `as_connector_error`).
    pub fn as_connector_error(&self) -> Option<&ConnectorError> {
        self.source.downcast_ref::<ConnectorError>()
    }

    /// Whether a connect or read timeout ended the attempt.
    pub fn is_timeout(&self) -> bool {
        self.as_connector_error()
            .is_some_and(ConnectorError::is_timeout)
    }

    /// Whether an I/O error (connection refused, reset, closed) ended the attempt.
    pub fn is_io(&self) -> bool {
        self.as_connector_error().is_some_and(ConnectorError::is_io)
    }
}

/// The credentials provider's error, when it is somewhere in `err`'s chain.
fn credentials_error<'a>(err: &'a (dyn StdError + 'static)) -> Option<&'a CredentialsError> {
    let mut next = Some(err);
    while let Some(current) = next {
        if let Some(found) = current.downcast_ref::<CredentialsError>() {
            return Some(found);
        }
        next = current.source();
    }
    None
}

/// Displays an error followed by its sources.
struct Chain<'a>(&'a (dyn StdError + 'static));

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_chain(f, self.0)
    }
}

/// Writes an error and its sources as `a: b: c`, skipping a source whose text is already shown.
fn write_chain(f: &mut fmt::Formatter<'_>, err: &(dyn StdError + 'static)) -> fmt::Result {
    let mut shown = err.to_string();
    write!(f, "{shown}")?;
    let mut next = err.source();
    while let Some(cause) = next {
        let text = cause.to_string();
        if !shown.contains(&text) {
            write!(f, ": {text}")?;
            shown = text;
        }
        next = cause.source();
    }
    Ok(())
}

fn write_operation(f: &mut fmt::Formatter<'_>, operation: &str) -> fmt::Result {
    if operation.is_empty() {
        Ok(())
    } else {
        write!(f, "{operation}: ")
    }
}

fn write_response_facts(f: &mut fmt::Formatter<'_>, raw: &RawResponse) -> fmt::Result {
    write!(f, " (HTTP {}", raw.status)?;
    if let Some(id) = &raw.request_id {
        write!(f, ", request id {id}")?;
    }
    f.write_str(")")
}

impl<E> fmt::Display for SdkError<E>
where
    E: ProvideErrorMetadata + StdError + 'static,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ConstructionFailure(c) => {
                write_operation(f, c.operation)?;
                f.write_str("request not sent: ")?;
                write_chain(f, c.source.as_ref())
            }
            Self::TimeoutError(c) => {
                write_operation(f, c.operation)?;
                f.write_str("timed out: ")?;
                write_chain(f, c.source.as_ref())
            }
            Self::DispatchFailure(c) => {
                write_operation(f, c.operation)?;
                f.write_str(if c.is_timeout() {
                    "timed out without a response: "
                } else {
                    "no response: "
                })?;
                write_chain(f, c.source.as_ref())
            }
            Self::ResponseError(c) if c.raw.status == 0 => {
                // An answer that was read but cannot be used (no status of its own to show).
                write_operation(f, c.operation)?;
                f.write_str("unusable answer")?;
                if let Some(id) = &c.raw.request_id {
                    write!(f, " (request id {id})")?;
                }
                f.write_str(": ")?;
                write_chain(f, c.source.as_ref())
            }
            Self::ResponseError(c) => {
                write_operation(f, c.operation)?;
                f.write_str("unreadable response")?;
                write_response_facts(f, &c.raw)?;
                f.write_str(": ")?;
                write_chain(f, c.source.as_ref())
            }
            Self::ServiceError(c) => {
                write_operation(f, c.operation)?;
                f.write_str(c.source.code().unwrap_or("unknown error"))?;
                match c.source.message() {
                    Some(message) if !message.is_empty() => write!(f, ": {message}")?,
                    _ => {}
                }
                write_response_facts(f, &c.raw)?;
                for (i, detail) in c.details.iter().enumerate() {
                    f.write_str(if i == 0 { "; " } else { ", " })?;
                    f.write_str(detail)?;
                }
                Ok(())
            }
        }
    }
}

impl<E> StdError for SdkError<E>
where
    E: ProvideErrorMetadata + StdError + 'static,
{
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::ConstructionFailure(c) => Some(c.source.as_ref()),
            Self::TimeoutError(c) => Some(c.source.as_ref()),
            Self::DispatchFailure(c) => Some(c.source.as_ref()),
            Self::ResponseError(c) => Some(c.source.as_ref()),
            Self::ServiceError(c) => Some(&c.source),
        }
    }
}
