//! Errors, as every AWS SDK crate names them: a call fails with aws-smithy-runtime-api's
//! [`SdkError`], whose service case holds the operation's generated error enum.
//!
//! What this runtime adds is in the operation error itself: its `Display` is one line that
//! says what happened (the operation, the error code and message, the HTTP status, the request
//! id, and the details the service's error carries, such as every field a validation error
//! names with its reason), written by [`write_operation_error`]. `DisplayErrorContext(&err)`
//! or [`ErrorChain`] show it with the rest of an `SdkError`'s chain. Whatever the service sent,
//! the text stays on its line: line breaks and other control characters in it are written
//! escaped ([`OneLine`]).

mod one_line;

use std::error::Error as StdError;
use std::fmt;

pub use aws_smithy_runtime_api::box_error::BoxError;
pub use aws_smithy_runtime_api::client::result::{
    ConnectorError, ConstructionFailure, CreateUnhandledError, DispatchFailure, ResponseError,
    ServiceError, TimeoutError,
};
pub use aws_smithy_types::error::display::DisplayErrorContext;
pub use aws_smithy_types::error::metadata::ProvideErrorMetadata;
pub use aws_smithy_types::error::operation::BuildError;
pub use aws_smithy_types::error::ErrorMetadata;
pub use aws_smithy_types::retry::{ErrorKind, ProvideErrorKind};
pub use aws_types::request_id::RequestId;
pub use one_line::OneLine;

use one_line::Escaping;

/// The error of one operation call: the official SDKs' type, with the raw HTTP response as
/// its default second parameter.
pub type SdkError<E, R = aws_smithy_runtime_api::client::orchestrator::HttpResponse> =
    aws_smithy_runtime_api::client::result::SdkError<E, R>;

/// The key under which an error's metadata keeps the HTTP status of the response it came from.
pub const HTTP_STATUS_KEY: &str = "http_status";

/// An error response that matches none of an operation's modeled errors, or an error that was
/// not a response (kept with the metadata of whatever caused it).
#[derive(Debug)]
pub struct Unhandled {
    source: BoxError,
    meta: ErrorMetadata,
}

impl Unhandled {
    /// An unhandled error caused by `source`, with `meta`.
    pub fn new(source: impl Into<BoxError>, meta: ErrorMetadata) -> Self {
        Self {
            source: source.into(),
            meta,
        }
    }

    /// An unhandled error that is its metadata (code, message, request id).
    pub fn generic(meta: ErrorMetadata) -> Self {
        Self {
            source: Box::new(meta.clone()),
            meta,
        }
    }

    /// Its code, message and request id.
    pub fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }

    /// What caused it.
    pub fn source_error(&self) -> &(dyn StdError + Send + Sync + 'static) {
        self.source.as_ref()
    }
}

impl fmt::Display for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        let mut f = Escaping(f);
        match (self.meta.code(), self.meta.message()) {
            (Some(code), Some(message)) => write!(f, "{code}: {message}"),
            (Some(code), None) => f.write_str(code),
            (None, _) => write!(f, "unhandled error: {}", self.source),
        }
    }
}

/// A string that names no value of an enum, given to its `try_parse`.
#[derive(Debug)]
pub struct UnknownVariantError {
    value: String,
}

impl UnknownVariantError {
    /// The error for `value`.
    pub fn new(value: impl Into<String>) -> Self {
        Self {
            value: value.into(),
        }
    }
}

impl fmt::Display for UnknownVariantError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown enum variant: '{}'", self.value)
    }
}

impl StdError for UnknownVariantError {}

/// The HTTP status an error's metadata records, when it came from a response.
pub fn http_status(meta: &ErrorMetadata) -> Option<u16> {
    meta.extra(HTTP_STATUS_KEY).and_then(|s| s.parse().ok())
}

/// Writes an error's one line: `Operation: what (HTTP status, request id id); detail, detail`
/// (without the operation for the crate-wide error). `what` is the error's own text
/// (`ValidationError: message`). Control characters in any part are written escaped.
pub fn write_operation_error(
    f: &mut fmt::Formatter<'_>,
    operation: Option<&str>,
    what: &dyn fmt::Display,
    meta: &ErrorMetadata,
    details: &[String],
) -> fmt::Result {
    use fmt::Write;
    let f = &mut Escaping(f);
    if let Some(operation) = operation {
        write!(f, "{operation}: ")?;
    }
    write!(f, "{what}")?;
    let status = http_status(meta);
    let request_id = meta.request_id();
    match (status, request_id) {
        (Some(status), Some(id)) => write!(f, " (HTTP {status}, request id {id})")?,
        (Some(status), None) => write!(f, " (HTTP {status})")?,
        (None, Some(id)) => write!(f, " (request id {id})")?,
        (None, None) => {}
    }
    for (i, detail) in details.iter().enumerate() {
        f.write_str(if i == 0 { "; " } else { ", " })?;
        f.write_str(detail)?;
    }
    Ok(())
}

/// Displays an error followed by its sources as `a: b: c` on one line, leaving out a source
/// whose text is already shown and the orchestrator's note of which interceptor failed (the
/// interceptor's own error follows it), and, unlike `DisplayErrorContext`, without the `Debug`
/// form (which would print the raw response). Control characters in any error's text are written
/// escaped, so the line stays one line.
pub struct ErrorChain<'a>(pub &'a (dyn StdError + 'static));

impl fmt::Display for ErrorChain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        let f = &mut Escaping(f);
        let mut shown = self.0.to_string();
        write!(f, "{shown}")?;
        let mut next = self.0.source();
        while let Some(cause) = next {
            let plumbing = cause
                .downcast_ref::<aws_smithy_runtime_api::client::interceptors::error::InterceptorError>()
                .is_some_and(|e| e.source().is_some());
            let text = cause.to_string();
            if !plumbing && !shown.contains(&text) {
                write!(f, ": {text}")?;
                shown = text;
            }
            next = cause.source();
        }
        Ok(())
    }
}

/// Whether a credentials provider's failure is somewhere in `err`'s chain: the call stopped
/// before anything was sent.
pub fn is_credentials_failure(err: &(dyn StdError + 'static)) -> bool {
    let mut next = Some(err);
    while let Some(current) = next {
        if current
            .downcast_ref::<aws_credential_types::provider::error::CredentialsError>()
            .is_some()
        {
            return true;
        }
        next = current.source();
    }
    false
}

/// An error and its sources on one line ([`ErrorChain`]).
pub fn explain(err: &(dyn StdError + 'static)) -> String {
    ErrorChain(err).to_string()
}

/// What kind of retryable failure a call's error was, by the service's retryable errors (its
/// error type's [`ProvideErrorKind`]) and then the HTTP status (429 throttling; 500, 502, 503,
/// 504 transient): the rule the client's retry classifier applied to every attempt. `None` for
/// final answers and for failures without an answer.
pub fn retry_kind<E: ProvideErrorKind, R>(err: &SdkError<E, R>) -> Option<ErrorKind>
where
    R: HttpStatus,
{
    match err {
        aws_smithy_runtime_api::client::result::SdkError::ServiceError(context) => context
            .err()
            .retryable_error_kind()
            .or_else(|| crate::retry::classify_status(context.raw().http_status())),
        aws_smithy_runtime_api::client::result::SdkError::ResponseError(context) => {
            crate::retry::classify_status(context.raw().http_status())
        }
        _ => None,
    }
}

/// A response with an HTTP status.
pub trait HttpStatus {
    /// The status code.
    fn http_status(&self) -> u16;
}

impl HttpStatus for aws_smithy_runtime_api::client::orchestrator::HttpResponse {
    fn http_status(&self) -> u16 {
        self.status().as_u16()
    }
}

/// The HTTP status of the response a call's error came with, when there was one.
pub fn response_status<E, R: HttpStatus>(err: &SdkError<E, R>) -> Option<u16> {
    err.raw_response().map(HttpStatus::http_status)
}

/// The request id of the response a call's error came with, when there was one.
pub fn response_request_id<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>) -> Option<&str>
where
    R: RequestId,
{
    match err {
        aws_smithy_runtime_api::client::result::SdkError::ServiceError(context) => {
            context.err().meta().request_id()
        }
        other => other.raw_response().and_then(RequestId::request_id),
    }
}
