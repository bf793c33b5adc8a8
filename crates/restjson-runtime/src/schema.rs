//! The facts a generated crate states about its service, as plain static data.
//!
//! A generated crate has one [`ServiceInfo`] (its `schema::SERVICE`). The runtime reads the
//! service-wide facts from it (SDK id, signing name, user agent, retryable errors, endpoint
//! resolver); tools read its table of operations: a command line builds one subcommand per
//! [`OperationInfo`], and a server or emulator finds the operation of a request with
//! [`ServiceInfo::route`](crate::routing).
//!
//! The structures are built by generated code as struct literals, so a field added here is
//! filled by regenerating; nothing else has to change.

use std::fmt;

use aws_smithy_types::retry::ErrorKind;

use crate::endpoint_builtins::ResolveEndpoint;

/// One service, as its generated crate describes it.
#[derive(Clone, Copy)]
pub struct ServiceInfo {
    /// The service shape's absolute id, e.g. `example.weather#Weather`.
    pub shape_id: &'static str,
    /// The SDK id (`aws.api#service` `sdkId`, else the service shape's name). It names the
    /// service in shared settings: `AWS_ENDPOINT_URL_<SDK_ID>` and the profile's `services`
    /// section.
    pub sdk_id: &'static str,
    /// The service's API version.
    pub version: &'static str,
    /// The SigV4 signing name (`aws.auth#sigv4` `name`); `None` when the service does not offer
    /// SigV4.
    pub signing_name: Option<&'static str>,
    /// The auth schemes operations use unless they say otherwise, in order of preference; empty
    /// when requests go unsigned.
    pub auth: &'static [AuthScheme],
    /// `<crate name>/<crate version>`, the start of every request's user agent.
    pub user_agent: &'static str,
    /// Chooses the endpoint from the configuration; `None` when the crate has no endpoint rules,
    /// and a call needs an endpoint URL in its configuration.
    pub endpoint_resolver: Option<ResolveEndpoint>,
    /// The service's errors that are worth another attempt, by error code.
    pub retryable_errors: &'static [RetryableError],
    /// Every operation, sorted by name.
    pub operations: &'static [OperationInfo],
}

impl fmt::Debug for ServiceInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceInfo")
            .field("shape_id", &self.shape_id)
            .field("sdk_id", &self.sdk_id)
            .field("version", &self.version)
            .field("signing_name", &self.signing_name)
            .field("auth", &self.auth)
            .field("user_agent", &self.user_agent)
            .field("endpoint_resolver", &self.endpoint_resolver.map(|_| "set"))
            .field("retryable_errors", &self.retryable_errors)
            .field("operations", &self.operations.len())
            .finish()
    }
}

impl ServiceInfo {
    /// The operation with this model name (e.g. `GetThing`) or kebab-case name (`get-thing`).
    pub fn operation(&self, name: &str) -> Option<&'static OperationInfo> {
        self.operations
            .iter()
            .find(|op| op.name == name || op.kebab_name == name)
    }

    /// What kind of retryable failure an error code is, by the service's own facts.
    pub fn retryable_error(&self, code: &str) -> Option<ErrorKind> {
        self.retryable_errors
            .iter()
            .find(|e| e.code == code)
            .map(|e| e.kind)
    }
}

/// An error worth another attempt: marked `@retryable` in the model, or declared so in the
/// model's overlay file when the service documents it but the model does not mark it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryableError {
    /// The error code (the error shape's name).
    pub code: &'static str,
    /// `ThrottlingError` for `@retryable(throttling: true)`, `ServerError` for a retryable
    /// server fault, `TransientError` for a retryable client error.
    pub kind: ErrorKind,
}

/// One operation of the service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OperationInfo {
    /// The operation's name in the model, e.g. `GetThing`.
    pub name: &'static str,
    /// The name in kebab case, e.g. `get-thing` (a command line's subcommand).
    pub kebab_name: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The `@http` URI template, e.g. `/things/{thingId}?list`.
    pub uri: &'static str,
    /// `@readonly`: the operation changes nothing.
    pub readonly: bool,
    /// `@idempotent`: sending it twice has the effect of sending it once.
    pub idempotent: bool,
    /// The input member marked `@idempotencyToken`, by its model name.
    pub idempotency_token: Option<&'static str>,
    /// The error codes the operation declares (its own and the service's), sorted.
    pub errors: &'static [&'static str],
    /// The members of a `@paginated` operation.
    pub pagination: Option<PaginationInfo>,
    /// How its requests are sent: auth, checksums, compression.
    pub request: RequestFacts,
}

/// An auth scheme a request can be signed with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthScheme {
    /// AWS Signature Version 4 (`aws.auth#sigv4`), under the service's signing name.
    SigV4,
    /// A bearer token (`@httpBearerAuth`) from the configured token provider.
    Bearer,
}

/// How one operation's requests are sent, beyond their HTTP bindings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestFacts {
    /// The auth schemes, in order of preference (empty: sent unsigned); `None` for the
    /// service's.
    pub auth: Option<&'static [AuthScheme]>,
    /// `aws.auth#unsignedPayload`: SigV4 signs the request without hashing its body.
    pub unsigned_payload: bool,
    /// `@httpChecksumRequired`: the request carries the body's MD5 in `Content-MD5`.
    pub checksum_required: bool,
    /// `@requestCompression` with gzip: a body of at least
    /// [`MIN_COMPRESSION_SIZE`](crate::client::MIN_COMPRESSION_SIZE) bytes is sent gzipped.
    pub request_compression: bool,
    /// `@requiresLength` on the streaming payload: its length must be known before sending.
    pub requires_length: bool,
}

impl RequestFacts {
    /// An operation sent with the service's auth schemes and nothing else to add.
    pub const SERVICE_DEFAULTS: RequestFacts = RequestFacts {
        auth: None,
        unsigned_payload: false,
        checksum_required: false,
        request_compression: false,
        requires_length: false,
    };
}

/// The members of a `@paginated` operation, by their model names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PaginationInfo {
    /// The input member that carries the page token.
    pub input_token: &'static str,
    /// The output member that carries the next page's token.
    pub output_token: &'static str,
    /// The output member that lists the page's items; empty when the model names none (the
    /// pages are walked, no items).
    pub items: &'static str,
    /// The input member that sets the page size, when there is one.
    pub page_size: Option<&'static str>,
}
