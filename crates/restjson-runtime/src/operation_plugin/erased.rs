//! One operation's own steps with its types erased: a `&'static` table of its name and of
//! function pointers that downcast the orchestrator's type-erased input, output and error to
//! the operation's types and call the generated code. Everything else the call path does is
//! written once, without generics, against this table, so each operation adds only these few
//! small functions to a client crate's compiled code.

use aws_smithy_runtime_api::client::interceptors::context::{Error, Input, Output};
use aws_smithy_types::byte_stream::ByteStream;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::error::operation::BuildError;
use aws_smithy_types::retry::{ErrorKind, ProvideErrorKind};

use crate::endpoint;
use crate::operation_shape::{DeserializeError, OperationShape, ResponseParts, SerializedRequest};
use crate::validation::InvalidInput;

/// The request the generated code laid out, and the input's streaming payload, if any.
pub(crate) type Serialized = (SerializedRequest, Option<ByteStream>);

/// Reads a successful response whose payload is a stream: its status and headers, and the body.
pub(crate) type ReadStream =
    fn(ResponseParts<'_>, ByteStream) -> Result<Output, DeserializeError<Error>>;

/// Makes an idempotency token, when the input's is unset.
pub(crate) type MakeToken<'a> = &'a mut dyn FnMut() -> String;

/// What the call path needs of one operation, for any operation.
pub struct ErasedOperation {
    /// The operation's name in the model.
    pub(crate) name: &'static str,
    /// Fills the idempotency token when it is unset (with the token the function makes), then
    /// validates; `None` when the input is not the operation's.
    pub(crate) prepare: fn(&mut Input, MakeToken<'_>) -> Option<Result<(), InvalidInput>>,
    /// Adds the operation's endpoint parameters and gives its host prefix; nothing when the
    /// input is not the operation's.
    pub(crate) endpoint: fn(&Input, &mut endpoint::Params) -> Result<Option<String>, BuildError>,
    /// Lays out the request and takes the streaming payload; `None` when the input is not the
    /// operation's.
    pub(crate) serialize: fn(&mut Input) -> Option<Result<Serialized, BuildError>>,
    /// Reads a response whose body is in memory.
    pub(crate) deserialize: fn(ResponseParts<'_>) -> Result<Output, DeserializeError<Error>>,
    /// Reads a successful response whose payload is a stream; only an operation whose output is
    /// one has it (so no other operation compiles the function).
    pub(crate) deserialize_stream: Option<ReadStream>,
    /// The retry kind the operation's error gives; `None` for another type of error or an error
    /// without one.
    pub(crate) error_kind: fn(&Error) -> Option<ErrorKind>,
    /// The code of the operation's error; `None` for another type of error or an error
    /// without one.
    pub(crate) error_code: fn(&Error) -> Option<&str>,
}

impl std::fmt::Debug for ErasedOperation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ErasedOperation")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// Gives every operation its [`ErasedOperation`] table.
pub trait Erase {
    /// The operation's table.
    const ERASED: &'static ErasedOperation;
}

impl<O: OperationShape> Erase for O {
    const ERASED: &'static ErasedOperation = &ErasedOperation {
        name: O::NAME,
        prepare: prepare::<O>,
        endpoint: endpoint_of::<O>,
        serialize: serialize::<O>,
        deserialize: deserialize::<O>,
        deserialize_stream: if O::STREAMING_OUTPUT {
            Some(deserialize_stream::<O>)
        } else {
            None
        },
        error_kind: error_kind::<O>,
        error_code: error_code::<O>,
    };
}

fn prepare<O: OperationShape>(
    input: &mut Input,
    make_token: MakeToken<'_>,
) -> Option<Result<(), InvalidInput>> {
    let input = input.downcast_mut::<O::Input>()?;
    if let Some(slot) = O::idempotency_token(input) {
        if slot.is_none() {
            *slot = Some(make_token());
        }
    }
    Some(O::validate(input))
}

fn endpoint_of<O: OperationShape>(
    input: &Input,
    params: &mut endpoint::Params,
) -> Result<Option<String>, BuildError> {
    match input.downcast_ref::<O::Input>() {
        Some(input) => {
            O::endpoint_params(input, params);
            O::host_prefix(input)
        }
        None => Ok(None),
    }
}

fn serialize<O: OperationShape>(input: &mut Input) -> Option<Result<Serialized, BuildError>> {
    let input = input.downcast_mut::<O::Input>()?;
    let stream = O::take_stream(input);
    Some(O::serialize(input).map(|request| (request, stream)))
}

fn erase<O: OperationShape>(
    result: Result<O::Output, DeserializeError<O::Error>>,
) -> Result<Output, DeserializeError<Error>> {
    match result {
        Ok(output) => Ok(Output::erase(output)),
        Err(DeserializeError::Service(error)) => {
            Err(DeserializeError::Service(Error::erase(error)))
        }
        Err(DeserializeError::Malformed(reason)) => Err(DeserializeError::Malformed(reason)),
    }
}

fn deserialize<O: OperationShape>(
    response: ResponseParts<'_>,
) -> Result<Output, DeserializeError<Error>> {
    erase::<O>(O::deserialize(response))
}

fn deserialize_stream<O: OperationShape>(
    response: ResponseParts<'_>,
    body: ByteStream,
) -> Result<Output, DeserializeError<Error>> {
    erase::<O>(O::deserialize_stream(response, body))
}

fn error_kind<O: OperationShape>(error: &Error) -> Option<ErrorKind> {
    error
        .downcast_ref::<O::Error>()
        .and_then(ProvideErrorKind::retryable_error_kind)
}

fn error_code<O: OperationShape>(error: &Error) -> Option<&str> {
    error
        .downcast_ref::<O::Error>()
        .and_then(ProvideErrorMetadata::code)
}
