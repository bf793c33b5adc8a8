//! The one trait that joins generated code to the hand-written runtime.
//!
//! Every generated operation is a zero-sized type implementing [`OperationShape`]. The runtime
//! (`client`, `retry`, `signing`) sends any operation through this trait alone, so it holds no
//! per-operation knowledge, and generated code holds no I/O and no policy.

use std::fmt;

pub use aws_smithy_runtime_api::client::interceptors::context::Output;
use aws_smithy_runtime_api::client::result::CreateUnhandledError;
use aws_smithy_types::byte_stream::ByteStream;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::error::operation::BuildError;
use aws_smithy_types::retry::ProvideErrorKind;

use crate::error_details::ErrorDetails;
use crate::validation::InvalidInput;

/// An HTTP request as the protocol serializer lays it out, before the runtime adds the endpoint,
/// standard headers and the signature. A streaming payload is not here: the runtime takes it
/// from the input ([`OperationShape::take_stream`]) and sends it as the body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SerializedRequest {
    /// HTTP method, upper case.
    pub method: &'static str,
    /// Path and query string, percent-encoded, starting with `/` (no scheme or host).
    pub uri: String,
    /// Headers the operation binds, in a stable order.
    pub headers: Vec<(&'static str, String)>,
    /// The body: the JSON of the body members, or an `@httpPayload`'s bytes.
    pub body: Option<Vec<u8>>,
    /// Headers whose names are made at run time (`@httpPrefixHeaders`), sorted.
    pub prefix_headers: Vec<(String, String)>,
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
    /// The operation's input type. (It is `Clone` unless it holds a byte stream.)
    type Input: fmt::Debug + Send + Sync + 'static;
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

    /// The `@endpoint` host prefix for this input, with its `@hostLabel` members filled in;
    /// `None` for an operation without one.
    fn host_prefix(_input: &Self::Input) -> Result<Option<String>, BuildError> {
        Ok(None)
    }

    /// Takes the output out of the orchestrator's type-erased box, or gives the box back when
    /// it holds something else. An output with a `Default` is better taken with
    /// [`take_in_place`], which compiles to less code for each operation than moving the box's
    /// contents out, as this default does.
    fn take_output(output: Output) -> Result<Self::Output, Output> {
        output.downcast::<Self::Output>()
    }

    /// Takes the input's streaming payload (a `@streaming` blob bound with `@httpPayload`), which
    /// the request sends as its body; `None` for an operation without one.
    fn take_stream(_input: &mut Self::Input) -> Option<ByteStream> {
        None
    }

    /// Whether a successful response's payload is a stream, which the runtime hands over unread
    /// through [`deserialize_stream`](Self::deserialize_stream).
    const STREAMING_OUTPUT: bool = false;

    /// Reads a successful response whose payload is a stream: the status and headers (`response`
    /// has an empty body) into the output, and `body` as its stream. Only called when
    /// [`STREAMING_OUTPUT`](Self::STREAMING_OUTPUT) is set.
    fn deserialize_stream(
        response: ResponseParts<'_>,
        body: ByteStream,
    ) -> Result<Self::Output, DeserializeError<Self::Error>> {
        let _ = (response, body);
        Err(DeserializeError::Malformed(format!(
            "{} does not stream its output",
            Self::NAME
        )))
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

/// Takes a value out of a type-erased box in place, leaving its `Default` there, or gives the
/// box back when it holds something else: [`OperationShape::take_output`] for an output with a
/// `Default`.
#[inline]
pub fn take_in_place<T: Default + fmt::Debug + Send + Sync + 'static>(
    mut output: Output,
) -> Result<T, Output> {
    match output.downcast_mut::<T>() {
        Some(value) => Ok(std::mem::take(value)),
        None => Err(output),
    }
}
