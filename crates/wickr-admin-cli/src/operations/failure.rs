//! Why an operation command failed, how that is printed, and its exit code, as the AWS CLI v2
//! documents them: 252 when the command line cannot be used (nothing was sent), 253 when the
//! configuration is incomplete (no region, no credentials), 254 when the service answered with an
//! error, and 255 for any other failure, a connection that fails or an answer that never comes
//! among them: the call did not complete, and the service said nothing about it.

use std::fmt;

use wickr_admin::error::{explain, OneLine, ProvideErrorMetadata, SdkError};
use wickr_admin::error_details::ErrorDetails;
use wickr_admin::operation::RequestId;

/// The command line or the input it names cannot be used; nothing was sent.
pub const EXIT_BAD_INPUT: u8 = 252;
/// The environment or configuration is incomplete; nothing was sent.
pub const EXIT_CONFIGURATION: u8 = 253;
/// The service answered with an error.
pub const EXIT_SERVICE_ERROR: u8 = 254;
/// Anything else: no answer, an answer that could not be read, a timeout.
pub const EXIT_FAILED: u8 = 255;

/// One thing wrong with the input: where (a flag, a JSON path, or both) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub place: String,
    pub message: String,
}

impl Problem {
    pub fn new(place: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            place: place.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.place.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.place, self.message)
        }
    }
}

/// Why an operation command failed.
#[derive(Debug)]
pub enum Failure {
    /// The input cannot be used; every problem is listed.
    Input {
        operation: &'static str,
        problems: Vec<Problem>,
    },
    /// The service answered with an error.
    Service {
        operation: &'static str,
        code: String,
        message: String,
        request_id: Option<String>,
        details: Vec<String>,
    },
    /// The configuration is incomplete.
    Configuration(String),
    /// Any other failure, said in one line.
    Other(String),
}

impl Failure {
    pub fn input(operation: &'static str, problems: Vec<Problem>) -> Self {
        Self::Input {
            operation,
            problems,
        }
    }

    /// The exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Input { .. } => EXIT_BAD_INPUT,
            Self::Configuration(_) => EXIT_CONFIGURATION,
            Self::Service { .. } => EXIT_SERVICE_ERROR,
            Self::Other(_) => EXIT_FAILED,
        }
    }

    /// The failure from a call's error. Input the model refuses is caught before the call, so
    /// a construction failure here is the configuration's (credentials, an endpoint).
    pub fn from_sdk_error<E>(operation: &'static str, error: &SdkError<E>) -> Self
    where
        E: ProvideErrorMetadata + ErrorDetails + std::error::Error + 'static,
    {
        if let Some(service) = error.as_service_error() {
            // An answer that names no error (a proxy's or a web server's page) still says its
            // HTTP status: as the code, as the AWS CLI does, and in the message.
            let status = wickr_admin::error::response_status(error);
            let code = service
                .code()
                .map(str::to_owned)
                .or_else(|| status.map(|s| s.to_string()))
                .unwrap_or_else(|| "UnknownError".to_owned());
            let message = match (service.message(), status) {
                (Some(message), _) if !message.is_empty() => message.to_owned(),
                (_, Some(status)) => {
                    format!("the endpoint answered HTTP {status} without an error of the service's")
                }
                _ => String::new(),
            };
            return Self::Service {
                operation,
                code,
                message,
                request_id: error.request_id().map(str::to_owned),
                details: service.details(),
            };
        }
        if matches!(error, SdkError::ConstructionFailure(_)) {
            return Self::Configuration(explain(error));
        }
        Self::Other(explain(error))
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Input {
                operation,
                problems,
            } => {
                write!(f, "error: bad input for {operation}, nothing was sent:")?;
                for problem in problems {
                    write!(f, "\n  {problem}")?;
                }
                Ok(())
            }
            Self::Service {
                operation,
                code,
                message,
                request_id,
                details,
            } => {
                // The AWS CLI's first line, then what else the answer says, each part on its
                // own line whatever the service put in it.
                write!(
                    f,
                    "An error occurred ({}) when calling the {operation} operation: {}",
                    OneLine(code),
                    OneLine(message)
                )?;
                for detail in details {
                    write!(f, "\n  {}", OneLine(detail))?;
                }
                if let Some(id) = request_id {
                    write!(f, "\n  request id: {}", OneLine(id))?;
                }
                Ok(())
            }
            Self::Configuration(text) | Self::Other(text) => write!(f, "error: {text}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_error_is_one_short_block() {
        let failure = Failure::Service {
            operation: "ListUsers",
            code: "ValidationError".into(),
            message: "Invalid request".into(),
            request_id: Some("req-1".into()),
            details: vec!["maxResults: must be at most 100".into()],
        };
        assert_eq!(
            failure.to_string(),
            "An error occurred (ValidationError) when calling the ListUsers operation: Invalid request\n  \
             maxResults: must be at most 100\n  request id: req-1"
        );
        assert_eq!(failure.exit_code(), 254);
    }

    #[test]
    fn what_the_service_sends_stays_on_its_line() {
        let failure = Failure::Service {
            operation: "ListUsers",
            code: "Validation\u{1b}[2JError".into(),
            message: "Invalid\r\nAn error occurred (Forged)".into(),
            request_id: Some("req\n1".into()),
            details: vec!["maxResults: too\nbig".into()],
        };
        assert_eq!(
            failure.to_string(),
            "An error occurred (Validation\\u{1b}[2JError) when calling the ListUsers operation: \
             Invalid\\r\\nAn error occurred (Forged)\n  maxResults: too\\nbig\n  request id: \
             req\\n1"
        );
    }

    #[test]
    fn input_problems_are_listed_one_a_line() {
        let failure = Failure::input(
            "GetUser",
            vec![
                Problem::new("--max-results", "\"x\" is not an integer"),
                Problem::new("--user-id (userId)", "is required"),
            ],
        );
        assert_eq!(
            failure.to_string(),
            "error: bad input for GetUser, nothing was sent:\n  --max-results: \"x\" is not an \
             integer\n  --user-id (userId): is required"
        );
        assert_eq!(failure.exit_code(), 252);
    }
}
