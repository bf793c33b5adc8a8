//! The errors the emulator answers with, and how each one goes on the wire.
//!
//! Every modeled error travels as an `X-Amzn-Errortype: <Name>` header plus a JSON body with a
//! `message` member (and `reasons` for `ValidationError`), which is what restJson1 clients read.

use axum::body::Body;
use http::{HeaderValue, Response, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;

/// A value a client sent, cut to at most 40 characters, for echoing in a message.
pub fn echo(value: &str) -> String {
    match value.char_indices().nth(40) {
        Some((i, _)) => format!("{}...", &value[..i]),
        None => value.to_owned(),
    }
}

/// One reason a request failed validation: the offending member path and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// Member path such as `users[3].username`.
    pub field: String,
    /// Human-readable explanation.
    pub reason: String,
}

impl Reason {
    /// Builds a reason for `field`.
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Reason {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

/// An error answer. Modeled errors keep their Smithy names; the last three are transport-level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// `ValidationError` (422).
    Validation(Vec<Reason>),
    /// `BadRequestError` (400).
    BadRequest(String),
    /// `ResourceNotFoundError` (404).
    NotFound(String),
    /// `ForbiddenError` (403).
    Forbidden(String),
    /// `UnauthorizedError` (401).
    Unauthorized(String),
    /// `InternalServerError` (500).
    Internal(String),
    /// `RateLimitError` (429), with the seconds a client should wait.
    RateLimited {
        /// Value of the `Retry-After` header.
        retry_after_secs: u64,
    },
    /// 503 from fault injection (not a modeled error).
    ServiceUnavailable,
    /// No operation is bound to this method and path (404).
    UnknownOperation(String),
    /// The request body is larger than the emulator accepts (413).
    PayloadTooLarge(usize),
    /// The request body did not arrive within the read timeout (408); the connection closes.
    RequestTimeout(Duration),
}

impl ApiError {
    /// Shortcut for a validation error with a single reason.
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        ApiError::Validation(vec![Reason::new(field, reason)])
    }

    /// HTTP status code of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) | ApiError::UnknownOperation(_) => StatusCode::NOT_FOUND,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::ServiceUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
        }
    }

    /// The error type name sent in `X-Amzn-Errortype`.
    pub fn type_name(&self) -> &'static str {
        match self {
            ApiError::Validation(_) => "ValidationError",
            ApiError::BadRequest(_) => "BadRequestError",
            ApiError::NotFound(_) => "ResourceNotFoundError",
            ApiError::Forbidden(_) => "ForbiddenError",
            ApiError::Unauthorized(_) => "UnauthorizedError",
            ApiError::Internal(_) => "InternalServerError",
            ApiError::RateLimited { .. } => "RateLimitError",
            ApiError::ServiceUnavailable => "ServiceUnavailableException",
            ApiError::UnknownOperation(_) => "UnknownOperationException",
            ApiError::PayloadTooLarge(_) => "PayloadTooLargeException",
            ApiError::RequestTimeout(_) => "RequestTimeoutException",
        }
    }

    /// The name [`type_name`](Self::type_name) gives for some error that is `name`, as it
    /// was read back (from a state file).
    pub fn known_type_name(name: &str) -> Option<&'static str> {
        [
            "ValidationError",
            "BadRequestError",
            "ResourceNotFoundError",
            "ForbiddenError",
            "UnauthorizedError",
            "InternalServerError",
            "RateLimitError",
            "ServiceUnavailableException",
            "UnknownOperationException",
            "PayloadTooLargeException",
            "RequestTimeoutException",
        ]
        .into_iter()
        .find(|known| *known == name)
    }

    /// The `message` member of the body.
    pub fn message(&self) -> String {
        match self {
            ApiError::Validation(reasons) => {
                let fields: Vec<&str> = reasons.iter().map(|r| r.field.as_str()).collect();
                format!("request failed validation: {}", fields.join(", "))
            }
            ApiError::BadRequest(m)
            | ApiError::NotFound(m)
            | ApiError::Forbidden(m)
            | ApiError::Unauthorized(m)
            | ApiError::Internal(m) => m.clone(),
            ApiError::RateLimited { .. } => "Too many requests sent".to_owned(),
            ApiError::ServiceUnavailable => "The service is temporarily unavailable".to_owned(),
            ApiError::UnknownOperation(what) => format!("no operation is bound to {what}"),
            ApiError::PayloadTooLarge(limit) => {
                format!("request body is larger than the {limit} bytes this emulator accepts")
            }
            ApiError::RequestTimeout(limit) => format!(
                "the request body did not arrive within {} ms; the connection is closed",
                limit.as_millis()
            ),
        }
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        match self {
            ApiError::Validation(reasons) => json!({
                "message": self.message(),
                "reasons": reasons
                    .iter()
                    .map(|r| json!({"field": r.field, "reason": r.reason}))
                    .collect::<Vec<_>>(),
            }),
            _ => json!({ "message": self.message() }),
        }
    }

    /// Renders the full HTTP response.
    pub fn into_response(self) -> Response<Body> {
        let bytes = serde_json::to_vec(&self.body()).unwrap_or_default();
        let mut response = Response::new(Body::from(bytes));
        *response.status_mut() = self.status();
        let headers = response.headers_mut();
        headers.insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        headers.insert(
            "x-amzn-errortype",
            HeaderValue::from_static(self.type_name()),
        );
        match self {
            ApiError::RateLimited { retry_after_secs } => {
                headers.insert(
                    http::header::RETRY_AFTER,
                    HeaderValue::from(retry_after_secs),
                );
            }
            ApiError::RequestTimeout(_) => {
                headers.insert(http::header::CONNECTION, HeaderValue::from_static("close"));
            }
            _ => {}
        }
        response
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}): {}",
            self.type_name(),
            self.status().as_u16(),
            self.message()
        )
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::{echo, ApiError};
    use std::time::Duration;

    #[test]
    fn every_error_type_is_known_by_its_name() {
        let errors = [
            ApiError::Validation(Vec::new()),
            ApiError::BadRequest(String::new()),
            ApiError::NotFound(String::new()),
            ApiError::Forbidden(String::new()),
            ApiError::Unauthorized(String::new()),
            ApiError::Internal(String::new()),
            ApiError::RateLimited {
                retry_after_secs: 1,
            },
            ApiError::ServiceUnavailable,
            ApiError::UnknownOperation(String::new()),
            ApiError::PayloadTooLarge(1),
            ApiError::RequestTimeout(Duration::from_secs(1)),
        ];
        for error in errors {
            let name = error.type_name();
            assert_eq!(ApiError::known_type_name(name), Some(name));
        }
        assert_eq!(ApiError::known_type_name("NoSuchError"), None);
    }

    #[test]
    fn echoed_values_are_cut_at_40_characters() {
        assert_eq!(echo("short"), "short");
        assert_eq!(echo(&"x".repeat(40)), "x".repeat(40));
        assert_eq!(echo(&"é".repeat(1000)), format!("{}...", "é".repeat(40)));
    }
}
