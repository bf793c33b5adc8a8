//! The `config` submodules every AWS SDK crate offers: the types interceptors, retry and
//! timeout settings and HTTP requests are named by.

/// The HTTP request and response types of the orchestrator.
pub mod http {
    pub use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
}

/// What interceptors receive at each step of a call.
pub mod interceptors {
    pub use aws_smithy_runtime_api::client::interceptors::context::{
        AfterDeserializationInterceptorContextRef, BeforeDeserializationInterceptorContextMut,
        BeforeDeserializationInterceptorContextRef, BeforeSerializationInterceptorContextMut,
        BeforeSerializationInterceptorContextRef, BeforeTransmitInterceptorContextMut,
        BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextMut,
        FinalizerInterceptorContextRef, InterceptorContext,
    };
}

/// Retry settings and classification.
pub mod retry {
    pub use aws_smithy_runtime::client::retries::{ClientRateLimiter, RetryPartition, TokenBucket};
    pub use aws_smithy_runtime_api::client::retries::classifiers::{ClassifyRetry, RetryAction};
    pub use aws_smithy_runtime_api::client::retries::ShouldAttempt;
    pub use aws_smithy_types::retry::{ReconnectMode, RetryConfig, RetryConfigBuilder, RetryMode};
}

/// Timeout settings.
pub mod timeout {
    pub use aws_smithy_types::timeout::{TimeoutConfig, TimeoutConfigBuilder};
}
