//! Plan: decides Rust names, types, optionality, HTTP bindings and validation rules for every
//! shape the service reaches. The emitter only turns this plan into tokens.

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
    /// A generated string enum, by Rust name.
    Enum(String),
    /// A generated integer enum, by Rust name.
    IntEnum(String),
    /// `Vec<T>`.
    List(Box<Ty>),
    /// A generated structure in `types`, by Rust name.
    Struct(String),
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
    /// In a header, under this name.
    Header(String),
}

/// Constraint checks on one value (a member or a list element).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Checks {
    /// `@length` bounds.
    pub length: Option<(Option<u64>, Option<u64>)>,
    /// `@range` bounds.
    pub range: Option<(Option<f64>, Option<f64>)>,
    /// The name of the `Pattern` static in `constraints.rs`.
    pub pattern: Option<String>,
    /// The value is a structure with checks of its own.
    pub nested: bool,
    /// Checks on each element of a list.
    pub elements: Option<Box<Checks>>,
}

impl Checks {
    /// Whether there is nothing to check.
    pub fn is_empty(&self) -> bool {
        self.length.is_none()
            && self.range.is_none()
            && self.pattern.is_none()
            && !self.nested
            && self.elements.is_none()
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
    /// Output member holding the items, whether it is optional, and the item type.
    pub items: (String, bool, Ty),
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
    /// The output member with the page's items.
    pub items: String,
    /// The input member with the page size, when there is one.
    pub page_size: Option<String>,
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
    /// `Pattern` statics: name to regex source.
    pub patterns: BTreeMap<String, String>,
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
