//! The one trait that joins generated code to the hand-written runtime.
//!
//! Every generated operation is a zero-sized type implementing [`OperationShape`]. The runtime
//! (`client`, `retry`, `signing`) sends any operation through this trait alone, so it holds no
//! per-operation knowledge, and generated code holds no I/O and no policy.

use std::fmt;

use aws_smithy_runtime_api::client::result::CreateUnhandledError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::error::operation::BuildError;
use aws_smithy_types::retry::ProvideErrorKind;

use crate::error_details::ErrorDetails;
use crate::validation::InvalidInput;

/// An HTTP request as the protocol serializer lays it out, before the runtime adds the endpoint,
/// standard headers and the signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SerializedRequest {
    /// HTTP method, upper case.
    pub method: &'static str,
    /// Path and query string, percent-encoded, starting with `/` (no scheme or host).
    pub uri: String,
    /// Headers the operation binds, in a stable order.
    pub headers: Vec<(&'static str, String)>,
    /// JSON body, when the operation has body members.
    pub body: Option<Vec<u8>>,
}

/// The parts of an HTTP response a deserializer reads.
#[derive(Clone, Copy, Debug)]
pub struct ResponseParts<'a> {
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: &'a http::HeaderMap,
    /// Response body bytes.
    pub body: &'a [u8],
}

/// Why a response could not be turned into an operation's output.
#[derive(Debug)]
pub enum DeserializeError<E> {
    /// The service answered with an error: a modeled one or an unhandled one.
    Service(E),
    /// A 2xx response whose body or headers do not match the model.
    Malformed(String),
}

/// An unhandled error carries nothing beyond its code and message.
impl ErrorDetails for crate::error::Unhandled {}

/// What every generated operation tells the runtime.
pub trait OperationShape: Send + Sync + 'static {
    /// The operation's name in the model, e.g. `BatchCreateUser`.
    const NAME: &'static str;
    /// The operation's input type.
    type Input: Clone + fmt::Debug + Send + Sync + 'static;
    /// The operation's output type.
    type Output: fmt::Debug + aws_types::request_id::RequestId + Send + Sync + 'static;
    /// The operation's error enum (modeled errors plus `Unhandled`).
    type Error: std::error::Error
        + ProvideErrorMetadata
        + ProvideErrorKind
        + CreateUnhandledError
        + ErrorDetails
        + fmt::Debug
        + Send
        + Sync
        + 'static;

    /// Checks the input against the model's constraints; nothing is sent when this fails.
    fn validate(input: &Self::Input) -> Result<(), InvalidInput>;

    /// The input's `@idempotencyToken` member, when the operation has one, so the runtime can
    /// fill it once per logical call.
    fn idempotency_token(input: &mut Self::Input) -> Option<&mut Option<String>>;

    /// Lays out the HTTP request for the input (restJson1 bindings).
    fn serialize(input: &Self::Input) -> Result<SerializedRequest, BuildError>;

    /// Reads a response: a 2xx becomes the output, anything else the operation's error.
    fn deserialize(
        response: ResponseParts<'_>,
    ) -> Result<Self::Output, DeserializeError<Self::Error>>;

    /// Adds what the operation gives the endpoint rules to `params`: its
    /// `@staticContextParams`, and the input members its `@contextParam`s name. None by
    /// default.
    fn endpoint_params(input: &Self::Input, params: &mut crate::endpoint::Params) {
        let _ = (input, params);
    }
}

/// What a `@paginated` operation adds to [`OperationShape`].
pub trait Paginated: OperationShape {
    /// The element type of the paginated list.
    type Item: Clone + fmt::Debug + Send + Sync + 'static;
    /// Sets the input's page token.
    fn set_next_token(input: &mut Self::Input, token: Option<String>);
    /// The output's page token, when there are more pages.
    fn next_token(output: &Self::Output) -> Option<&str>;
    /// The elements of one page.
    fn items(output: &Self::Output) -> &[Self::Item];
    /// Sets the input's page size, when the operation has one.
    fn set_page_size(input: &mut Self::Input, size: i32) {
        let _ = (input, size);
    }
}
