//! The facts a generated crate states about its service, as plain static data.
//!
//! A generated crate has one [`ServiceInfo`] (its `schema::SERVICE`). The runtime reads the
//! service-wide facts from it (SDK id, signing name, user agent, retryable errors, endpoint
//! resolver); tools read its table of operations: a command line builds one subcommand per
//! [`OperationInfo`], and a server or emulator finds the operation of a request with
//! [`ServiceInfo::route`](crate::routing).
//!
//! Each operation also describes its input: every top-level member ([`MemberInfo`]) with where it
//! travels and its type as a small descriptor ([`TypeInfo`]), down to the members of nested
//! structures ([`StructureInfo`]), so that a tool can take the input member by member (a command
//! line's flags) and check a document against it without knowing the service.
//!
//! The structures are built by generated code as struct literals, so a field added here is
//! filled by regenerating; nothing else has to change.

use std::fmt;

use aws_smithy_types::date_time::Format as DateTimeFormat;
use aws_smithy_types::retry::ErrorKind;

use crate::endpoint_params::EndpointInfo;

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
    /// The crate's endpoint parameters and default resolver (its rule set).
    pub endpoint: EndpointInfo,
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

    /// The auth schemes a call of `operation` may use, in order of preference: the operation's
    /// own, else the service's (empty: it is sent unsigned).
    pub fn operation_auth(&self, operation: &str) -> &'static [AuthScheme] {
        self.operation(operation)
            .and_then(|op| op.request.auth)
            .unwrap_or(self.auth)
    }

    /// How a call of `operation` is sent beyond its bindings (the service's defaults for an
    /// operation the table does not list).
    pub fn request_facts(&self, operation: &str) -> RequestFacts {
        self.operation(operation)
            .map_or(RequestFacts::SERVICE_DEFAULTS, |op| op.request)
    }

    /// Whether any operation may be called with `scheme`.
    pub fn uses_auth(&self, scheme: AuthScheme) -> bool {
        self.auth.contains(&scheme)
            || self
                .operations
                .iter()
                .any(|op| op.request.auth.is_some_and(|auth| auth.contains(&scheme)))
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
    /// One line about the operation: the first sentence of its documentation.
    pub summary: &'static str,
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
    /// The input's members, in model order (none for a `smithy.api#Unit` input).
    pub input: &'static [MemberInfo],
    /// How its requests are sent: auth, checksums, compression.
    pub request: RequestFacts,
}

impl OperationInfo {
    /// The input member with this model name.
    pub fn input_member(&self, name: &str) -> Option<&'static MemberInfo> {
        self.input.iter().find(|m| m.name == name)
    }
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

/// One member of an operation's input or of a structure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemberInfo {
    /// The member's name in the model, e.g. `networkId`.
    pub name: &'static str,
    /// Its key in a JSON document (`@jsonName`, else the member name).
    pub json_name: &'static str,
    /// Where it travels in the HTTP request.
    pub location: Location,
    /// Its type.
    pub ty: &'static TypeInfo,
    /// `@required`.
    pub required: bool,
    /// One line about the member: the first sentence of its documentation, shortened.
    pub doc: &'static str,
}

/// Where a member travels in the HTTP request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    /// In the JSON body (members of nested structures are always here).
    Body,
    /// In the URI path (`@httpLabel`).
    Label,
    /// In the query string, under this key (`@httpQuery`).
    Query(&'static str),
    /// Every entry of a map in the query string (`@httpQueryParams`).
    QueryParams,
    /// In a header, under this name (`@httpHeader`).
    Header(&'static str),
    /// Every entry of a map in headers whose names start with this prefix
    /// (`@httpPrefixHeaders`).
    PrefixHeaders(&'static str),
    /// The whole body (`@httpPayload`).
    Payload,
}

/// The type of a member's value, as much of it as a tool needs to read, check and show a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeInfo {
    /// A string.
    String,
    /// `true` or `false`.
    Boolean,
    /// An 8-bit integer.
    Byte,
    /// A 16-bit integer.
    Short,
    /// A 32-bit integer.
    Integer,
    /// A 64-bit integer.
    Long,
    /// A 32-bit floating-point number.
    Float,
    /// A 64-bit floating-point number.
    Double,
    /// An arbitrary-precision integer.
    BigInteger,
    /// An arbitrary-precision decimal.
    BigDecimal,
    /// A point in time, written in this format in a JSON document.
    Timestamp(DateTimeFormat),
    /// Bytes, base64-encoded in a JSON document.
    Blob,
    /// Any JSON value.
    Document,
    /// A string with these values (`enum`).
    Enum(&'static [&'static str]),
    /// An integer with these named values (`intEnum`).
    IntEnum(&'static [(&'static str, i32)]),
    /// A list of values of one type.
    List(&'static TypeInfo),
    /// A map from keys of one type to values of another.
    Map(&'static TypeInfo, &'static TypeInfo),
    /// A structure.
    Structure(&'static StructureInfo),
    /// A union: exactly one of its members is set.
    Union(&'static StructureInfo),
}

impl TypeInfo {
    /// Whether the value is a single scalar (not a list, map, structure, union or document).
    pub fn is_scalar(&self) -> bool {
        !matches!(
            self,
            Self::List(_) | Self::Map(..) | Self::Structure(_) | Self::Union(_) | Self::Document
        )
    }
}

/// The members of a structure or union shape. Structures may contain themselves, so equality and
/// `Debug` go by the shape's name rather than through the members.
#[derive(Clone, Copy)]
pub struct StructureInfo {
    /// The shape's name in the model, e.g. `UserDetails`.
    pub name: &'static str,
    /// Its members, in model order.
    pub members: &'static [MemberInfo],
}

impl StructureInfo {
    /// The member with this JSON key.
    pub fn member_by_json_name(&self, key: &str) -> Option<&'static MemberInfo> {
        self.members.iter().find(|m| m.json_name == key)
    }
}

impl PartialEq for StructureInfo {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for StructureInfo {}

impl fmt::Debug for StructureInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StructureInfo({})", self.name)
    }
}
