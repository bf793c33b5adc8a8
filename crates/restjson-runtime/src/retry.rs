//! Retry classification for this service.
//!
//! The retry loop itself (attempt budget, exponential backoff with full jitter, retry token
//! bucket, adaptive rate limiting) is aws-smithy-runtime's `StandardRetryStrategy`. This module
//! only decides which answers are worth another attempt:
//!
//! - `RateLimitError` or HTTP 429: throttling, retried (and slows an adaptive client down);
//! - `InternalServerError` or HTTP 500, 502, 503, 504: transient, retried;
//! - every other error response: final;
//! - connection failures, resets and timeouts are left to the runtime's transient classifier.
//!
//! A `Retry-After` (seconds) or `x-amz-retry-after` (milliseconds) header becomes the delay
//! before the next attempt, capped by the retry configuration's maximum backoff.

use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    AfterDeserializationInterceptorContextRef, InterceptorContext,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::retries::classifiers::{
    ClassifyRetry, RetryAction, RetryClassifierPriority,
};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::retry::ErrorKind;

use crate::error::THROTTLING_ERROR_CODE;

/// Error code of the service's modeled server fault.
const SERVER_ERROR_CODE: &str = "InternalServerError";

/// HTTP statuses worth another attempt even without a modeled code.
const TRANSIENT_STATUSES: [u16; 4] = [500, 502, 503, 504];

/// Longest server-requested delay taken into account; the strategy caps it further by the
/// configured maximum backoff.
const MAX_SERVER_DELAY: Duration = Duration::from_secs(20);

/// What kind of failure an error response is, from its status and error code.
pub fn classify_response(status: u16, code: Option<&str>) -> Option<ErrorKind> {
    if code == Some(THROTTLING_ERROR_CODE) || status == 429 {
        Some(ErrorKind::ThrottlingError)
    } else if code == Some(SERVER_ERROR_CODE) || TRANSIENT_STATUSES.contains(&status) {
        Some(ErrorKind::ServerError)
    } else {
        None
    }
}

/// Reads the server's requested delay: `x-amz-retry-after` in milliseconds, or `Retry-After`
/// in whole seconds. Dates and unreadable values are ignored.
pub fn server_requested_delay(
    amz_retry_after_ms: Option<&str>,
    retry_after_secs: Option<&str>,
) -> Option<Duration> {
    let delay = amz_retry_after_ms
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_millis)
        .or_else(|| {
            retry_after_secs
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs)
        })?;
    Some(delay.min(MAX_SERVER_DELAY))
}

/// The service-specific retry classifier for operation error type `E`.
pub struct WickrRetryClassifier<E> {
    _error: PhantomData<fn() -> E>,
}

impl<E> WickrRetryClassifier<E> {
    /// A classifier for one operation's error type.
    pub fn new() -> Self {
        Self {
            _error: PhantomData,
        }
    }
}

impl<E> Default for WickrRetryClassifier<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> fmt::Debug for WickrRetryClassifier<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WickrRetryClassifier")
    }
}

impl<E> ClassifyRetry for WickrRetryClassifier<E>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        let Some(Err(error)) = ctx.output_or_error() else {
            return RetryAction::NoActionIndicated;
        };
        let Some(response) = ctx.response() else {
            return RetryAction::NoActionIndicated;
        };
        let Some(operation_error) = error.as_operation_error() else {
            return RetryAction::NoActionIndicated;
        };
        let code = operation_error.downcast_ref::<E>().and_then(|e| e.code());
        let status = response.status().as_u16();
        let Some(kind) = classify_response(status, code) else {
            return RetryAction::NoActionIndicated;
        };
        let headers = response.headers();
        match server_requested_delay(headers.get("x-amz-retry-after"), headers.get("retry-after")) {
            Some(delay) => RetryAction::retryable_error_with_explicit_delay(kind, delay),
            None => RetryAction::retryable_error(kind),
        }
    }

    fn name(&self) -> &'static str {
        "Wickr error codes and statuses"
    }

    fn priority(&self) -> RetryClassifierPriority {
        RetryClassifierPriority::run_after(RetryClassifierPriority::transient_error_classifier())
    }
}

/// Counts the throttled responses of every attempt (once per attempt, after deserialization),
/// so callers can see throttling that retries absorbed.
pub struct ThrottleObserver<E> {
    counter: Arc<AtomicU64>,
    _error: PhantomData<fn() -> E>,
}

impl<E> ThrottleObserver<E> {
    /// Adds one to `counter` for every throttled response.
    pub fn new(counter: Arc<AtomicU64>) -> Self {
        Self {
            counter,
            _error: PhantomData,
        }
    }
}

impl<E> fmt::Debug for ThrottleObserver<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ThrottleObserver")
    }
}

impl<E> Intercept for ThrottleObserver<E>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    fn name(&self) -> &'static str {
        "ThrottleObserver"
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Err(error) = context.output_or_error() {
            let code = error
                .as_operation_error()
                .and_then(|e| e.downcast_ref::<E>())
                .and_then(|e| e.code());
            let status = context.response().status().as_u16();
            if classify_response(status, code) == Some(ErrorKind::ThrottlingError) {
                self.counter.fetch_add(1, Ordering::Relaxed);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_codes() {
        assert_eq!(
            classify_response(429, None),
            Some(ErrorKind::ThrottlingError)
        );
        assert_eq!(
            classify_response(400, Some("RateLimitError")),
            Some(ErrorKind::ThrottlingError)
        );
        assert_eq!(classify_response(503, None), Some(ErrorKind::ServerError));
        assert_eq!(
            classify_response(400, Some("InternalServerError")),
            Some(ErrorKind::ServerError)
        );
        for status in [400, 401, 403, 404, 422, 501] {
            assert_eq!(classify_response(status, None), None, "status {status}");
        }
    }

    #[test]
    fn server_delays_are_read_and_bounded() {
        assert_eq!(
            server_requested_delay(Some("1500"), Some("9")),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            server_requested_delay(None, Some("2")),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            server_requested_delay(None, Some("3600")),
            Some(MAX_SERVER_DELAY)
        );
        assert_eq!(
            server_requested_delay(None, Some("Wed, 21 Oct 2015 07:28:00 GMT")),
            None
        );
    }
}
