//! Retry classification from the service's facts and the protocol's rules.
//!
//! The retry loop itself (attempt budget, exponential backoff with full jitter, retry token
//! bucket, adaptive rate limiting) is aws-smithy-runtime's `StandardRetryStrategy`. This module
//! only decides which answers are worth another attempt:
//!
//! - an error code the service lists in its retryable errors (from `@retryable` in the model, or
//!   from the model's overlay file): throttling or transient, as listed;
//! - HTTP 429: throttling, retried (and slows an adaptive client down), whatever the code;
//! - HTTP 500, 502, 503, 504: transient, retried;
//! - every other error response: final;
//! - connection failures, resets and timeouts are left to the runtime's transient classifier.
//!
//! A `Retry-After` (seconds) or `x-amz-retry-after` (milliseconds) header becomes the delay
//! before the next attempt, capped by the retry configuration's maximum backoff.

use std::fmt;
use std::time::Duration;

use aws_smithy_runtime_api::client::interceptors::context::{Error, InterceptorContext};
use aws_smithy_runtime_api::client::retries::classifiers::{
    ClassifyRetry, RetryAction, RetryClassifierPriority,
};

pub use aws_smithy_types::retry::ErrorKind;

/// HTTP statuses worth another attempt even without a modeled code.
const TRANSIENT_STATUSES: [u16; 4] = [500, 502, 503, 504];

/// Longest server-requested delay taken into account; the strategy caps it further by the
/// configured maximum backoff.
const MAX_SERVER_DELAY: Duration = Duration::from_secs(20);

/// What kind of failure an error response is by its status alone: the restJson1 policy for
/// any service (429 throttling; 500, 502, 503, 504 transient).
pub fn classify_status(status: u16) -> Option<ErrorKind> {
    if status == 429 {
        Some(ErrorKind::ThrottlingError)
    } else if TRANSIENT_STATUSES.contains(&status) {
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

/// Classifies one operation's error responses: by the kind the error itself gives (its
/// `ProvideErrorKind`, which a generated error answers from the service's retryable errors),
/// else by the protocol's statuses. `error_kind` reads the kind from the operation's
/// type-erased error (none for an error of another type), so one classifier type serves every
/// operation.
pub struct ServiceRetryClassifier {
    error_kind: fn(&Error) -> Option<ErrorKind>,
}

impl ServiceRetryClassifier {
    /// A classifier for one operation, reading the kind of its errors with `error_kind`.
    pub fn new(error_kind: fn(&Error) -> Option<ErrorKind>) -> Self {
        Self { error_kind }
    }
}

impl fmt::Debug for ServiceRetryClassifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ServiceRetryClassifier")
    }
}

/// What kind of failure an error response is: the kind the error gives, else its status's.
pub fn classify_error(status: u16, error_kind: Option<ErrorKind>) -> Option<ErrorKind> {
    error_kind.or_else(|| classify_status(status))
}

impl ClassifyRetry for ServiceRetryClassifier {
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
        let status = response.status().as_u16();
        let Some(kind) = classify_error(status, (self.error_kind)(operation_error)) else {
            return RetryAction::NoActionIndicated;
        };
        let headers = response.headers();
        match server_requested_delay(headers.get("x-amz-retry-after"), headers.get("retry-after")) {
            Some(delay) => RetryAction::retryable_error_with_explicit_delay(kind, delay),
            None => RetryAction::retryable_error(kind),
        }
    }

    fn name(&self) -> &'static str {
        "service error codes and HTTP statuses"
    }

    fn priority(&self) -> RetryClassifierPriority {
        RetryClassifierPriority::run_after(RetryClassifierPriority::transient_error_classifier())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::schema::{RetryableError, ServiceInfo};

    static SERVICE: ServiceInfo = ServiceInfo {
        shape_id: "ex#Svc",
        sdk_id: "Svc",
        version: "1",
        signing_name: None,
        auth: &[],
        user_agent: "test/0",
        endpoint: crate::endpoint_params::EndpointInfo::CONFIGURED_URL_ONLY,
        retryable_errors: &[
            RetryableError {
                code: "SlowDown",
                kind: ErrorKind::ThrottlingError,
            },
            RetryableError {
                code: "Hiccup",
                kind: ErrorKind::ServerError,
            },
        ],
        operations: &[],
    };

    /// An error response as the classifier sees it: the kind a generated error gives from the
    /// service's retryable errors, then the status.
    fn classify_response(status: u16, code: Option<&str>) -> Option<ErrorKind> {
        classify_error(status, code.and_then(|code| SERVICE.retryable_error(code)))
    }

    #[test]
    fn statuses_and_the_services_codes() {
        assert_eq!(
            classify_response(429, None),
            Some(ErrorKind::ThrottlingError)
        );
        assert_eq!(
            classify_response(400, Some("SlowDown")),
            Some(ErrorKind::ThrottlingError)
        );
        assert_eq!(classify_response(503, None), Some(ErrorKind::ServerError));
        assert_eq!(
            classify_response(400, Some("Hiccup")),
            Some(ErrorKind::ServerError)
        );
        // A code the service does not list is not retried for its name alone.
        assert_eq!(classify_response(400, Some("RateLimitError")), None);
        // The service's fact wins over the status.
        assert_eq!(
            classify_response(503, Some("SlowDown")),
            Some(ErrorKind::ThrottlingError)
        );
        for status in [400, 401, 403, 404, 422, 501] {
            assert_eq!(classify_status(status), None, "status {status}");
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
