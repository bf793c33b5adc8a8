//! Retrying a request the service refused because the client's clock is off.
//!
//! A signature is only valid within minutes of the service's clock. When the client's clock is
//! far off, the service refuses the request with an authentication error, and the answer's
//! `Date` header shows by how much. aws-runtime's clock-skew interceptor (registered by the
//! service plugin) then corrects the signing time of the next attempt; this module decides that
//! there is a next attempt.
//!
//! Both parts here are one type for every operation: [`ClockSkewMeter`] notes, for each
//! attempt, how far the server's clock is from the middle of the attempt's round trip, and
//! [`ClockSkewClassifier`] asks for a retry when that is more than four minutes and the error's
//! code is one a skewed signature gets. The only thing the classifier needs of the operation is
//! how to read its error's code, a function pointer from the operation's table.

use std::fmt;
use std::time::{Duration, SystemTime};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeDeserializationInterceptorContextMut, BeforeTransmitInterceptorContextRef, Error,
    InterceptorContext,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::retries::classifiers::{
    ClassifyRetry, RetryAction, RetryClassifierPriority,
};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};
use aws_smithy_types::date_time::{DateTime, Format};
use aws_smithy_types::retry::ErrorKind;

/// How far the clocks may be apart before a refused request is put down to the client's clock.
const THRESHOLD: Duration = Duration::from_secs(4 * 60);

/// Error codes AWS services answer a request with when its signature's time is off.
const SKEW_CODES: [&str; 5] = [
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AuthFailure",
    "RequestTimeTooSkewed",
    "AccessDeniedException",
];

/// When the current attempt's request left.
#[derive(Clone, Copy, Debug)]
struct SentAt(SystemTime);

impl Storable for SentAt {
    type Storer = StoreReplace<Self>;
}

/// How far the server's clock was from the client's for one answer, either way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResponseSkew(pub Duration);

/// Notes on each answer how far the server's clock is from the client's ([`ResponseSkew`]).
#[derive(Debug, Default)]
pub struct ClockSkewMeter;

fn now(components: &RuntimeComponents) -> SystemTime {
    components
        .time_source()
        .map_or_else(SystemTime::now, |source| source.now())
}

impl Intercept for ClockSkewMeter {
    fn name(&self) -> &'static str {
        "ClockSkewMeter"
    }

    fn read_before_transmit(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        cfg.interceptor_state().store_put(SentAt(now(components)));
        Ok(())
    }

    fn modify_before_deserialization(
        &self,
        context: &mut BeforeDeserializationInterceptorContextMut<'_>,
        components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let received = now(components);
        let Some(&SentAt(sent)) = cfg.load::<SentAt>() else {
            return Ok(());
        };
        let response = context.response_mut();
        let Some(server) = response
            .headers()
            .get("date")
            .and_then(|date| DateTime::from_str(date, Format::HttpDate).ok())
            .and_then(|date| SystemTime::try_from(date).ok())
        else {
            return Ok(());
        };
        let round_trip = received.duration_since(sent).unwrap_or_default();
        let midpoint = sent + round_trip / 2;
        let skew = match server.duration_since(midpoint) {
            Ok(ahead) => ahead,
            Err(behind) => behind.duration(),
        };
        response.add_extension(ResponseSkew(skew));
        Ok(())
    }
}

/// Retries an authentication error that a skewed clock explains, as a transient error (the
/// next attempt is signed with the corrected time).
pub struct ClockSkewClassifier {
    error_code: fn(&Error) -> Option<&str>,
}

impl ClockSkewClassifier {
    /// The classifier of an operation whose error's code `error_code` reads.
    pub fn new(error_code: fn(&Error) -> Option<&str>) -> Self {
        Self { error_code }
    }
}

impl fmt::Debug for ClockSkewClassifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClockSkewClassifier")
    }
}

impl ClassifyRetry for ClockSkewClassifier {
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        let skewed = ctx
            .response()
            .and_then(|response| response.extension::<ResponseSkew>())
            .is_some_and(|skew| skew.0 > THRESHOLD);
        if !skewed {
            return RetryAction::NoActionIndicated;
        }
        let code = match ctx.output_or_error() {
            Some(Err(error)) => error.as_operation_error().and_then(self.error_code),
            _ => None,
        };
        match code {
            Some(code) if SKEW_CODES.contains(&code) => {
                RetryAction::retryable_error(ErrorKind::ServerError)
            }
            _ => RetryAction::NoActionIndicated,
        }
    }

    fn name(&self) -> &'static str {
        "clock skew"
    }

    fn priority(&self) -> RetryClassifierPriority {
        RetryClassifierPriority::run_after(RetryClassifierPriority::http_status_code_classifier())
    }
}
