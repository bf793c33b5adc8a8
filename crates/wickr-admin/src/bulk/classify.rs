//! What a bulk job does with a failed attempt, whatever its operation.
//!
//! The job sends each attempt itself (its client makes one attempt per call), so it sees every
//! failure and can tell an attempt that never reached the service from one whose answer was lost.

use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::error::{response_status, retry_kind, ErrorKind, ProvideErrorKind, SdkError};
use crate::validation::InvalidInput;

/// The job's view of a failed attempt.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The service throttled the attempt (nothing was applied): slow down, then send the chunk
    /// again.
    Throttled,
    /// A server fault or a connection problem: send the chunk again with the same client token.
    Transient,
    /// The service refused the request as too large (HTTP 413): send its items in smaller
    /// chunks.
    TooLarge,
    /// The service (or the client's checks) rejected fields of the request; each entry is
    /// `(field path, reason)` as named, e.g. `users[3].username`.
    Invalid(Vec<(String, String)>),
    /// The service refused this chunk for a reason that another chunk would not share.
    Refused,
    /// Every chunk would fail the same way (unknown network, bad credentials, no permission,
    /// invalid configuration): stop the job.
    Fatal,
}

/// A failed attempt as the job sees it, whatever the operation: what to do about it, and what
/// it says about the endpoint and about the chunk. Every `SdkError` a job meets is read here and
/// nowhere else.
#[derive(Debug)]
pub(crate) struct AttemptError {
    pub(crate) failure: Failure,
    /// The attempt got an HTTP response (any status).
    pub(crate) got_response: bool,
    /// No one answered: no connection, or no answer within the timeouts.
    pub(crate) unreachable: bool,
    /// The attempt may have been applied without the job learning its answer.
    pub(crate) maybe_applied: bool,
    /// The error, on one line.
    pub(crate) message: String,
}

impl AttemptError {
    /// Reads a failed call. `reasons` reads the operation's ValidationError; `locate` tells
    /// whether a field path the client's own checks named belongs to an item of the call.
    pub(crate) fn read<E>(
        error: &SdkError<E>,
        reasons: impl Fn(&E) -> Option<Vec<(String, String)>>,
        locate: fn(&str) -> Option<(usize, String)>,
    ) -> Self
    where
        E: ProvideErrorMetadata + ProvideErrorKind + std::error::Error + 'static,
    {
        Self {
            failure: classify(error, reasons, locate),
            got_response: got_response(error),
            unreachable: unreachable(error),
            maybe_applied: may_have_been_applied(error),
            message: crate::error::explain(error),
        }
    }
}

/// The `(field, reason)` pairs of the service's ValidationError.
pub(crate) fn reasons_of(invalid: &crate::types::error::ValidationError) -> Vec<(String, String)> {
    invalid
        .reasons()
        .iter()
        .map(|r| {
            let text = |value: Option<&str>| value.unwrap_or_default().to_owned();
            (text(r.field()), text(r.reason()))
        })
        .collect()
}

/// Whether the call was refused because the user it names does not exist (ResourceNotFoundError
/// about a user, not about the network): an outcome of that user, not a reason to stop the job.
pub(crate) fn names_missing_user<E: ProvideErrorMetadata>(error: &SdkError<E>) -> bool {
    error.code() == Some("ResourceNotFoundError")
        && error
            .message()
            .is_some_and(|m| m.to_ascii_lowercase().contains("user"))
}

/// Error codes after which no other chunk can succeed either.
const FATAL_CODES: [&str; 3] = [
    "ResourceNotFoundError",
    "UnauthorizedError",
    "ForbiddenError",
];

fn classify<E>(
    error: &SdkError<E>,
    reasons: impl Fn(&E) -> Option<Vec<(String, String)>>,
    locate: fn(&str) -> Option<(usize, String)>,
) -> Failure
where
    E: ProvideErrorMetadata + ProvideErrorKind + std::error::Error + 'static,
{
    match error {
        SdkError::ConstructionFailure(_) => match rejected_items(error, locate) {
            Some(reasons) => Failure::Invalid(reasons),
            None => Failure::Fatal,
        },
        SdkError::ServiceError(_) => classify_service_error(error, reasons),
        // Timeouts, dispatch failures, unreadable responses.
        _ => Failure::Transient,
    }
}

fn classify_service_error<E>(
    error: &SdkError<E>,
    reasons: impl Fn(&E) -> Option<Vec<(String, String)>>,
) -> Failure
where
    E: ProvideErrorMetadata + ProvideErrorKind + std::error::Error + 'static,
{
    let kind = retry_kind(error);
    if kind == Some(ErrorKind::ThrottlingError) {
        return Failure::Throttled;
    }
    let status = response_status(error).unwrap_or(0);
    if status == 413 {
        return Failure::TooLarge;
    }
    if kind.is_some() {
        return Failure::Transient;
    }
    if let Some(reasons) = error.as_service_error().and_then(reasons) {
        return Failure::Invalid(reasons);
    }
    if status == 422 {
        // A validation failure in a shape the model does not describe: no reasons to read.
        return Failure::Invalid(Vec::new());
    }
    let code = error.code();
    if code.is_some_and(|c| FATAL_CODES.contains(&c)) || matches!(status, 401 | 403 | 404) {
        return Failure::Fatal;
    }
    Failure::Refused
}

/// Whether the attempt got an HTTP response at all (any status).
fn got_response<E>(error: &SdkError<E>) -> bool {
    matches!(
        error,
        SdkError::ServiceError(_) | SdkError::ResponseError(_)
    )
}

/// Whether the attempt found no one to answer it: no connection could be made, or none answered
/// within the timeouts. (A reset or a lost answer is not counted: something was there.)
fn unreachable<E>(error: &SdkError<E>) -> bool {
    match error {
        SdkError::TimeoutError(_) => true,
        SdkError::DispatchFailure(failure) => {
            failure.is_timeout()
                || failure
                    .as_connector_error()
                    .is_some_and(|e| could_not_connect(e))
        }
        _ => false,
    }
}

/// Whether the failed attempt may have been applied by the service: it may have reached it, and
/// no answer says it was not. Only an attempt that never got a connection, was refused before
/// sending, or was answered with a refusal (throttling, a client error) is known not to be.
fn may_have_been_applied<E>(error: &SdkError<E>) -> bool
where
    E: ProvideErrorMetadata + ProvideErrorKind + std::error::Error + 'static,
{
    match error {
        SdkError::ConstructionFailure(_) => false,
        SdkError::DispatchFailure(failure) => {
            let never_sent = failure
                .as_connector_error()
                .is_some_and(|e| could_not_connect(e) || crate::error::is_credentials_failure(e));
            !never_sent
        }
        SdkError::ServiceError(_) => {
            retry_kind(error) != Some(ErrorKind::ThrottlingError)
                && response_status(error).is_some_and(|s| s >= 500)
        }
        // Timeouts and unreadable responses.
        _ => true,
    }
}

/// Whether the HTTP client failed to open a connection (refused, no such host, connect timeout,
/// TLS handshake): no byte of the request was sent. Errors from other HTTP clients are taken as
/// possibly sent.
fn could_not_connect(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(error);
    while let Some(current) = next {
        if let Some(client_error) = current.downcast_ref::<hyper_util::client::legacy::Error>() {
            return client_error.is_connect();
        }
        next = current.source();
    }
    false
}

/// Reads `users[3].username` (or `users.3.username`, `users/3/username`) as item 3 of the call
/// and field `username`, for the list member `list` (`users`, `userIds`).
pub(crate) fn item_of_field(list: &str, path: &str) -> Option<(usize, String)> {
    let rest = path.trim().strip_prefix(list)?;
    let rest = rest.trim_start_matches(['[', '.', '/']);
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let row = digits.parse::<usize>().ok()?;
    let field = rest[digits.len()..]
        .trim_start_matches([']', '.', '/'])
        .to_string();
    Some((row, field))
}

/// Where a path of a one-user call points: whatever the client's checks name (other than the
/// network) is its one item.
pub(crate) fn the_one_item(path: &str) -> Option<(usize, String)> {
    (!path.starts_with("networkId")).then(|| (0, path.to_string()))
}

/// When the client refused to send the call because some items break the model's constraints
/// (and nothing else is wrong), those items' `(path, rule)`.
fn rejected_items<E>(
    error: &SdkError<E>,
    locate: fn(&str) -> Option<(usize, String)>,
) -> Option<Vec<(String, String)>>
where
    E: ProvideErrorMetadata + ProvideErrorKind + std::error::Error + 'static,
{
    let mut next = std::error::Error::source(error);
    let invalid = loop {
        let current = next?;
        if let Some(invalid) = current.downcast_ref::<InvalidInput>() {
            break invalid;
        }
        next = current.source();
    };
    if invalid.violations.is_empty() {
        return None;
    }
    invalid
        .violations
        .iter()
        .map(|v| locate(&v.path).map(|_| (v.path.clone(), v.rule.clone())))
        .collect()
}

/// Whether a per-user failure means the username is already taken in the network.
pub(crate) fn means_already_exists(field: Option<&str>, reason: Option<&str>) -> bool {
    let reason = reason.unwrap_or("").to_ascii_lowercase();
    let field_is_username = field.is_none_or(|f| f.eq_ignore_ascii_case("username"));
    field_is_username
        && (reason.contains("already exist")
            || reason.contains("already in use")
            || reason.contains("already taken"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_paths_name_rows() {
        assert_eq!(
            item_of_field("users", "users[3].username"),
            Some((3, "username".into()))
        );
        assert_eq!(
            item_of_field("users", "users.12.securityGroupIds"),
            Some((12, "securityGroupIds".into()))
        );
        assert_eq!(item_of_field("users", "users[0]"), Some((0, String::new())));
        assert_eq!(
            item_of_field("userIds", "userIds[7]"),
            Some((7, String::new()))
        );
        assert_eq!(item_of_field("users", "users"), None);
        assert_eq!(item_of_field("users", "networkId"), None);
    }

    #[test]
    fn existing_users_are_recognised() {
        assert!(means_already_exists(
            Some("username"),
            Some("User already exists")
        ));
        assert!(means_already_exists(
            None,
            Some("username already exists in the network")
        ));
        assert!(!means_already_exists(
            Some("securityGroupIds"),
            Some("unknown security group")
        ));
        assert!(!means_already_exists(Some("username"), Some("invalid")));
    }
}
