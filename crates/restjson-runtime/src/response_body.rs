//! The bound on how much of a response body the client reads.
//!
//! The orchestrator reads a whole response body into memory before the deserializer sees it. A
//! server (or anything between it and the client) that sends an endless or enormous body would
//! make that memory grow without bound, so every response body the client reads is read through
//! a limit: past [`MAX_RESPONSE_BODY_BYTES`] reading stops and the call fails with a response
//! error naming the bound. A successful answer of an operation whose output is a stream is the
//! exception: it is handed to the caller unread, who reads it at their own pace, so no bound
//! applies to it.

use std::fmt;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeDeserializationInterceptorContextMut;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::ConfigBag;
use http_body_util::{BodyExt, LengthLimitError, Limited};

/// Most bytes of a response body the client reads: 16 MiB, far past any JSON answer of an API
/// call, small enough that a runaway body cannot exhaust memory.
pub const MAX_RESPONSE_BODY_BYTES: usize = 16 << 20;

/// Why a response body was not read to its end.
#[derive(Debug)]
pub struct ResponseTooLarge;

impl fmt::Display for ResponseTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the response body is longer than {} MiB, the most this client reads; it was not \
             read further",
            MAX_RESPONSE_BODY_BYTES >> 20
        )
    }
}

impl std::error::Error for ResponseTooLarge {}

/// Puts every response body the client reads behind the limit before it is read.
#[derive(Debug)]
pub(crate) struct ResponseBodyLimit {
    /// Whether a successful answer's payload is a stream handed over unread.
    streaming_output: bool,
}

impl ResponseBodyLimit {
    /// The bound for an operation, whose successful answers are streams when `streaming_output`.
    pub(crate) fn new(streaming_output: bool) -> Self {
        Self { streaming_output }
    }
}

impl Intercept for ResponseBodyLimit {
    fn name(&self) -> &'static str {
        "ResponseBodyLimit"
    }

    fn modify_before_deserialization(
        &self,
        context: &mut BeforeDeserializationInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if self.streaming_output && context.response().status().is_success() {
            return Ok(());
        }
        let body = context.response_mut().take_body();
        let limited = Limited::new(body, MAX_RESPONSE_BODY_BYTES).map_err(|e: BoxError| {
            if e.is::<LengthLimitError>() {
                Box::new(ResponseTooLarge) as BoxError
            } else {
                e
            }
        });
        *context.response_mut().body_mut() = SdkBody::from_body_1_x(limited);
        Ok(())
    }
}
