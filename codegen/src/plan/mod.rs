//! Plan: decides Rust names, types, optionality, HTTP bindings, auth and validation rules for
//! every shape the service reaches. The emitter only turns this plan into tokens.

mod http;
mod planner;

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_json::Value;

use crate::index::local_name;
use crate::Error;

pub use planner::plan;

/// The Rust type of a member.
#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i8`.
    Byte,
    /// `i16`.
    Short,
    /// `i32`.
    Integer,
    /// `i64`.
    Long,
    /// `f32`.
    Float,
    /// `f64`.
    Double,
    /// `aws_smithy_types::DateTime`.
    Timestamp,
    /// `aws_smithy_types::Blob`.
    Blob,
    /// `aws_smithy_types::Document`.
    Document,
    /// `aws_smithy_types::BigInteger`.
    BigInteger,
    /// `aws_smithy_types::BigDecimal`.
    BigDecimal,
    /// `aws_smithy_types::byte_stream::ByteStream`: a `@streaming` blob payload.
    Stream,
    /// A generated string enum, by Rust name.
    Enum(String),
    /// A generated integer enum, by Rust name.
    IntEnum(String),
    /// `Vec<T>`.
    List(Box<Ty>),
    /// `HashMap<K, V>`, keyed by strings or string enums.
    Map(Box<Ty>, Box<Ty>),
    /// `Option<T>`: an element of a `@sparse` list or map.
    Option(Box<Ty>),
    /// `Box<T>`: a member that closes a cycle of structures or unions.
    Boxed(Box<Ty>),
    /// A generated structure in `types`, by Rust name.
    Struct(String),
    /// A generated union in `types`, by Rust name.
    Union(String),
    /// `smithy.api#Unit`, as the value of a union variant (which then has no value).
    Unit,
}

impl Ty {
    /// Whether getters return the value itself rather than a reference.
    pub fn is_copy(&self) -> bool {
        matches!(
            self,
            Ty::Bool
                | Ty::Byte
                | Ty::Short
                | Ty::Integer
                | Ty::Long
                | Ty::Float
                | Ty::Double
                | Ty::IntEnum(_)
        )
    }

    /// The type inside lists, maps, options and boxes.
    pub fn innermost(&self) -> &Ty {
        match self {
            Ty::List(inner) | Ty::Map(_, inner) | Ty::Option(inner) | Ty::Boxed(inner) => {
                inner.innermost()
            }
            other => other,
        }
    }

    /// Whether values of the type can be cloned and compared (a byte stream can be neither).
    pub fn is_plain_data(&self) -> bool {
        !matches!(self, Ty::Stream)
    }
}

/// How a member travels in the HTTP message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Binding {
    /// In the JSON body.
    Body,
    /// In the URI path.
    Label,
    /// In the query string, under this key.
    Query(String),
    /// A map of further query parameters (`@httpQueryParams`).
    QueryParams,
    /// In a header, under this name.
    Header(String),
    /// A map of headers whose names start with this prefix (`@httpPrefixHeaders`).
    PrefixHeaders(String),
    /// The whole body (`@httpPayload`).
    Payload,
    /// The HTTP status code of a response (`@httpResponseCode`).
    ResponseCode,
}

/// Constraint checks on one value (a member, or a list or map element).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Checks {
    /// `@length` bounds.
    pub length: Option<(Option<u64>, Option<u64>)>,
    /// `@range` bounds.
    pub range: Option<(Option<f64>, Option<f64>)>,
    /// The name of the `Pattern` static in `constraints.rs`.
    pub pattern: Option<String>,
    /// `@uniqueItems`: no two elements of the list are equal.
    pub unique_items: bool,
    /// The value holds (directly, or in its lists and maps) a structure or union with checks of
    /// its own. Set once every shape is planned.
    pub nested: bool,
    /// Checks on each element of a list or each value of a map.
    pub elements: Option<Box<Checks>>,
    /// Checks on each key of a map.
    pub keys: Option<Box<Checks>>,
}

impl Checks {
    /// Whether there is nothing to check.
    pub fn is_empty(&self) -> bool {
        self.length.is_none()
            && self.range.is_none()
            && self.pattern.is_none()
            && !self.unique_items
            && !self.nested
            && self.elements.is_none()
            && self.keys.is_none()
    }
}

/// A `@default` value that the generator can write in Rust.
#[derive(Clone, Debug, PartialEq)]
pub enum DefaultValue {
    /// A string (or enum value).
    Str(String),
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(serde_json::Number),
    /// An empty list.
    EmptyList,
    /// An empty map.
    EmptyMap,
    /// The bytes of a blob.
    Blob(Vec<u8>),
    /// A document, as JSON.
    Document(serde_json::Value),
    /// A timestamp, in seconds since the epoch.
    Timestamp(f64),
}

/// One member of a generated structure.
#[derive(Clone, Debug)]
pub struct MemberPlan {
    /// The member name in the model.
    pub name: String,
    /// The Rust field name (without `r#`).
    pub field: String,
    /// The JSON key.
    pub json_name: String,
    /// The Rust type of the value.
    pub ty: Ty,
    /// Whether the field is an `Option`.
    pub optional: bool,
    /// Whether the model marks the member `@required`.
    pub required: bool,
    /// The member's `@default`, when it has one the struct honours.
    pub default: Option<DefaultValue>,
    /// Where the member travels.
    pub binding: Binding,
    /// `aws_smithy_types::date_time::Format` variant for timestamps.
    pub timestamp_format: Option<&'static str>,
    /// Redacted in Debug output.
    pub sensitive: bool,
    /// Documentation lines.
    pub doc: Vec<String>,
    /// Constraint checks on the value.
    pub checks: Checks,
    /// `@idempotencyToken`.
    pub idempotency_token: bool,
    /// Whether the value type implements `Default` (for lenient reading of required members).
    pub value_defaults: bool,
    /// The target's `@mediaType`: a header value is then base64, a payload is sent with it as
    /// its `Content-Type`.
    pub media_type: Option<String>,
    /// `@hostLabel`: the value goes into the host prefix of `@endpoint`.
    pub host_label: bool,
}

/// What a structure is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StructRole {
    /// A shape in `types`.
    Plain,
    /// An operation input.
    Input,
    /// An operation output.
    Output,
    /// An error shape in `types::error`.
    Error,
}

/// One generated structure.
#[derive(Clone, Debug)]
pub struct StructPlan {
    /// The model shape id (`smithy.api#Unit` for empty inputs and outputs).
    pub id: String,
    /// The Rust type name.
    pub name: String,
    /// The module path of the type, e.g. `crate::types`.
    pub module: String,
    /// What the structure is for.
    pub role: StructRole,
    /// Members in model order.
    pub members: Vec<MemberPlan>,
    /// Documentation lines.
    pub doc: Vec<String>,
    /// Whether it implements `Validate`.
    pub validates: bool,
    /// Whether `Default` can be derived (used for lenient reading of required members).
    pub derives_default: bool,
    /// Whether every member can be cloned and compared (no byte stream).
    pub plain_data: bool,
    /// Which ways the client itself turns the structure into JSON and back.
    pub json_sides: JsonSides,
}

/// Which ways a client turns a structure into JSON and back: it writes what it sends (inputs and
/// what they hold) and reads what it receives (outputs, errors and what they hold). The other
/// way serves tools that read inputs from documents or print outputs, and is compiled only when
/// the generated crate's `documents` feature is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JsonSides {
    /// `FromJson` (and `Members` for the builder).
    pub read: bool,
    /// `ToJson`.
    pub write: bool,
}

impl JsonSides {
    /// Both ways.
    pub const BOTH: JsonSides = JsonSides {
        read: true,
        write: true,
    };
}

impl StructPlan {
    /// Whether any member is redacted in Debug.
    pub fn has_sensitive(&self) -> bool {
        self.members.iter().any(|m| m.sensitive)
    }

    /// The builder's type name.
    pub fn builder_name(&self) -> String {
        format!("{}Builder", self.name)
    }

    /// The member bound to the whole body, if any.
    pub fn payload(&self) -> Option<&MemberPlan> {
        self.members.iter().find(|m| m.binding == Binding::Payload)
    }
}

/// One generated union: a Rust enum with a variant per member and `Unknown`.
#[derive(Clone, Debug)]
pub struct UnionPlan {
    /// The model shape id.
    pub id: String,
    /// The Rust type name.
    pub name: String,
    /// Members in model order; a member targeting `smithy.api#Unit` has the type [`Ty::Unit`].
    /// The `field` of each is the snake_case name of its accessors.
    pub members: Vec<MemberPlan>,
    /// Documentation lines.
    pub doc: Vec<String>,
    /// Whether it implements `Validate` (set once every shape is planned).
    pub validates: bool,
}

impl UnionPlan {
    /// Whether any member is redacted in Debug.
    pub fn has_sensitive(&self) -> bool {
        self.members.iter().any(|m| m.sensitive)
    }
}

/// One variant of a generated enum.
#[derive(Clone, Debug)]
pub struct VariantPlan {
    /// The Rust variant name.
    pub name: String,
    /// The wire value: a string for enums, an integer for intEnums.
    pub value: Value,
    /// Documentation lines.
    pub doc: Vec<String>,
}

/// One generated enum.
#[derive(Clone, Debug)]
pub struct EnumPlan {
    /// The Rust type name.
    pub name: String,
    /// `intEnum` rather than `enum`.
    pub int: bool,
    /// Variants in model order.
    pub variants: Vec<VariantPlan>,
    /// Documentation lines.
    pub doc: Vec<String>,
}

/// A piece of a URI path template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathPart {
    /// Literal text.
    Literal(String),
    /// A label bound to an input member.
    Label {
        /// Index into the input's members.
        member: usize,
        /// `{name+}`: keeps `/` unencoded.
        greedy: bool,
    },
}

/// Pagination of an operation.
#[derive(Clone, Debug)]
pub struct PaginationPlan {
    /// Input member (field name) holding the page token.
    pub input_token: String,
    /// Output member holding the next token, and whether it is optional.
    pub output_token: (String, bool),
    /// Output member holding the items, whether it is optional, and the item type; `None` when
    /// the trait names no items.
    pub items: Option<(String, bool, Ty)>,
    /// The `@paginated` members by their model names, for the operation table.
    pub names: PaginationNames,
}

/// The members a `@paginated` trait names, as the model names them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaginationNames {
    /// The input member with the page token.
    pub input_token: String,
    /// The output member with the next page's token.
    pub output_token: String,
    /// The output member with the page's items, when the trait names one.
    pub items: Option<String>,
    /// The input member with the page size, when there is one.
    pub page_size: Option<String>,
}

/// A piece of an `@endpoint` host prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostPart {
    /// Literal text.
    Literal(String),
    /// A `@hostLabel` input member, by index into the input's members.
    Label(usize),
}

/// An auth scheme an operation may be called with, in the model's order of preference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthScheme {
    /// `aws.auth#sigv4`.
    SigV4,
    /// `smithy.api#httpBearerAuth`.
    Bearer,
}

/// One generated operation.
#[derive(Clone, Debug)]
pub struct OperationPlan {
    /// The operation's model name, e.g. `BatchCreateUser`.
    pub name: String,
    /// snake_case module and method name.
    pub snake: String,
    /// kebab-case command name.
    pub kebab: String,
    /// Documentation lines.
    pub doc: Vec<String>,
    /// HTTP method.
    pub method: String,
    /// The `@http` URI template as the model writes it.
    pub uri: String,
    /// `@readonly`.
    pub readonly: bool,
    /// `@idempotent`.
    pub idempotent: bool,
    /// The URI path template.
    pub path: Vec<PathPart>,
    /// Literal `key=value` pairs of the URI template's query.
    pub static_query: Vec<String>,
    /// The `@endpoint` host prefix.
    pub host_prefix: Option<Vec<HostPart>>,
    /// The auth schemes the operation is called with, in order of preference; empty for none.
    pub auth: Vec<AuthScheme>,
    /// `aws.auth#unsignedPayload`: SigV4 signs without the payload's hash.
    pub unsigned_payload: bool,
    /// `@httpChecksumRequired`: the request carries a `Content-MD5`.
    pub checksum_required: bool,
    /// `@requestCompression` names gzip: a large enough body may be sent compressed.
    pub request_compression: bool,
    /// `@requiresLength` on the streaming payload: its length must be known before sending.
    pub requires_length: bool,
    /// The input structure.
    pub input: StructPlan,
    /// The output structure.
    pub output: StructPlan,
    /// Error shape names (sorted).
    pub errors: Vec<String>,
    /// Pagination, for `@paginated` operations.
    pub pagination: Option<PaginationPlan>,
    /// What the operation gives the endpoint rules.
    pub endpoint: OperationEndpointPlan,
}

impl OperationPlan {
    /// The input's streaming payload member, if any.
    pub fn streaming_input(&self) -> Option<&MemberPlan> {
        self.input.payload().filter(|m| m.ty == Ty::Stream)
    }

    /// The output's streaming payload member, if any.
    pub fn streaming_output(&self) -> Option<&MemberPlan> {
        self.output.payload().filter(|m| m.ty == Ty::Stream)
    }
}

/// The kind of retryable failure an error is, named as `aws_smithy_types::retry::ErrorKind`
/// names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryKind {
    /// `@retryable(throttling: true)`.
    ThrottlingError,
    /// `@retryable` on a server fault.
    ServerError,
    /// `@retryable` on a client error.
    TransientError,
}

/// The service-wide facts of the model.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServicePlan {
    /// The service shape's absolute id.
    pub shape_id: String,
    /// The SDK id: `aws.api#service` `sdkId`, else the service shape's name.
    pub sdk_id: String,
    /// The API version.
    pub version: String,
    /// The SigV4 signing name (`aws.auth#sigv4`), when the service signs.
    pub signing_name: Option<String>,
    /// One line about the service: its `@title`, else its shape name.
    pub title: String,
    /// Errors worth another attempt: error shape name and kind, sorted by name.
    pub retryable: Vec<(String, RetryKind)>,
    /// `aws.protocols#awsQueryCompatible`: error codes may come in `x-amzn-query-error`.
    pub aws_query_compatible: bool,
    /// The auth schemes operations use unless they say otherwise, in order of preference.
    pub auth: Vec<AuthScheme>,
    /// The endpoint rule set and its parameters.
    pub endpoint: EndpointPlan,
}

/// The service's endpoint rule set (or, for a model without one, a rule set that takes the
/// configured endpoint URL), its parameters and its `@clientContextParams`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EndpointPlan {
    /// The rule set as compact JSON text.
    pub rules_json: String,
    /// The rule set's parameters, sorted by name.
    pub params: Vec<EndpointParamPlan>,
    /// The parameters the configuration sets (`@clientContextParams`).
    pub client_context: Vec<ContextParamPlan>,
}

/// One parameter of the rule set.
#[derive(Clone, Debug, PartialEq)]
pub struct EndpointParamPlan {
    /// Its name in the rule set, e.g. `UseFIPS`.
    pub name: String,
    /// The Rust field and getter, e.g. `use_fips`.
    pub field: String,
    /// The builder's `set_` method.
    pub setter: String,
    /// Its type.
    pub kind: ParamKind,
    /// The built-in it is bound to, e.g. `AWS::Region`.
    pub built_in: Option<String>,
    /// Whether it may be left unset.
    pub mode: ParamMode,
}

/// The type of an endpoint parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKind {
    /// A string.
    String,
    /// A boolean.
    Boolean,
    /// A list of strings.
    StringArray,
}

/// Whether an endpoint parameter may be left unset.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamMode {
    /// It may.
    Optional,
    /// It may not, and has no default.
    Required,
    /// It takes this value when unset.
    Default(serde_json::Value),
}

/// A client context parameter: a configuration setting the rules read.
#[derive(Clone, Debug, PartialEq)]
pub struct ContextParamPlan {
    /// Its name in the rule set.
    pub name: String,
    /// The Rust name of its setter.
    pub field: String,
    /// Its type.
    pub kind: ParamKind,
}

/// What one operation gives the endpoint rules.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OperationEndpointPlan {
    /// `@staticContextParams`: parameter name and value.
    pub static_params: Vec<(String, serde_json::Value)>,
    /// `@contextParam` members: parameter name and the input field.
    pub context_params: Vec<(String, String)>,
}

/// Everything to generate for one service.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// The service's own facts.
    pub service: ServicePlan,
    /// Operations by name.
    pub operations: Vec<OperationPlan>,
    /// Plain structures by name.
    pub structs: Vec<StructPlan>,
    /// Error structures by name.
    pub errors: Vec<StructPlan>,
    /// Enums by name.
    pub enums: Vec<EnumPlan>,
    /// Unions by name.
    pub unions: Vec<UnionPlan>,
    /// `Pattern` statics: name to regex source.
    pub patterns: BTreeMap<String, String>,
    /// Operations left out, with why (event streams), sorted by name.
    pub skipped: Vec<(String, String)>,
}

/// The Rust type name of a shape.
pub fn rust_type_name(id: &str) -> Result<String, Error> {
    let name = local_name(id).to_upper_camel_case();
    if name.is_empty() {
        return Err(Error::new(format!("{id}: cannot derive a Rust type name")));
    }
    Ok(name)
}

/// The Rust field name of a member (without `r#`; keywords are raw at emit time).
pub fn field_name(member: &str) -> String {
    let snake = member.to_snake_case();
    match snake.as_str() {
        "self" | "super" | "crate" | "Self" => format!("{snake}_value"),
        _ => snake,
    }
}
