//! A parsed rule set: its parameters, and its rules compiled to a tree whose references are
//! slot numbers rather than names.

use std::fmt;
use std::str::FromStr;

use super::error::{ResolveError, RuleSetError};
use super::evaluate;
use super::function::Function;
use super::params::{ParamValue, Params};
use super::partition::Partitions;
use super::resolved::ResolvedEndpoint;
use super::template::Template;
use super::value::AttrPath;

/// An endpoint rule set (`smithy.rules#endpointRuleSet`), parsed and checked once, resolved
/// many times.
///
/// Parsing checks everything that does not depend on the parameters' values: every function is
/// one this engine has, every reference and template names a declared parameter or a variable
/// in scope, and every argument has the type its function takes. So [`RuleSet::resolve`] only
/// fails for reasons the parameters give. A `RuleSet` holds no interior mutability and can be
/// shared between threads (in a `static`, or an `Arc`).
#[derive(Debug)]
pub struct RuleSet {
    pub(crate) parameters: Vec<Parameter>,
    pub(crate) rules: Vec<Rule>,
    /// Parameters take the first slots, then each `assign` of a condition has one.
    pub(crate) slot_count: usize,
}

impl RuleSet {
    /// Parses a rule set from its JSON text.
    pub fn from_json(json: &str) -> Result<Self, RuleSetError> {
        let value: serde_json::Value = serde_json::from_str(json)
            .map_err(|e| RuleSetError::new("", format!("not JSON: {e}")))?;
        Self::from_value(&value)
    }

    /// Parses a rule set from a JSON document already read, e.g. the trait's value in a model.
    pub fn from_value(value: &serde_json::Value) -> Result<Self, RuleSetError> {
        super::parse::rule_set(value)
    }

    /// The declared parameters, sorted by name.
    pub fn parameters(&self) -> &[Parameter] {
        &self.parameters
    }

    /// The parameter called `name`.
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }

    /// The parameters bound to the built-in `built_in` (such as `AWS::Region`).
    pub fn built_in_parameters<'s>(
        &'s self,
        built_in: &'s str,
    ) -> impl Iterator<Item = &'s Parameter> + 's {
        self.parameters
            .iter()
            .filter(move |p| p.built_in.as_deref() == Some(built_in))
    }

    /// Applies the rules to `params`: the endpoint of the first endpoint rule whose conditions
    /// hold, or the message of the first such error rule. `aws.partition` reads the partition
    /// table compiled into this crate.
    pub fn resolve(&self, params: &Params) -> Result<ResolvedEndpoint, ResolveError> {
        evaluate::resolve(self, params, None)
    }

    /// [`resolve`](RuleSet::resolve), with `aws.partition` reading `partitions` instead of the
    /// built-in table (e.g. newer partition data than this crate carries).
    pub fn resolve_with_partitions(
        &self,
        params: &Params,
        partitions: &Partitions,
    ) -> Result<ResolvedEndpoint, ResolveError> {
        evaluate::resolve(self, params, Some(partitions))
    }
}

impl FromStr for RuleSet {
    type Err = RuleSetError;

    fn from_str(json: &str) -> Result<Self, Self::Err> {
        Self::from_json(json)
    }
}

/// The type of a parameter, or of a value given for one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParameterType {
    /// A string.
    String,
    /// A boolean.
    Boolean,
    /// A list of strings.
    StringArray,
}

impl fmt::Display for ParameterType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::String => "string",
            Self::Boolean => "boolean",
            Self::StringArray => "string array",
        })
    }
}

/// A declared parameter of a rule set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parameter {
    pub(crate) name: String,
    pub(crate) parameter_type: ParameterType,
    pub(crate) required: bool,
    pub(crate) default: Option<ParamValue>,
    pub(crate) built_in: Option<String>,
}

impl Parameter {
    /// The name the rules and the `@contextParam` family of traits use.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its type.
    pub fn parameter_type(&self) -> ParameterType {
        self.parameter_type
    }

    /// Whether resolution fails when it has no value (after built-ins and its default).
    pub fn is_required(&self) -> bool {
        self.required
    }

    /// The value it takes when none is given.
    pub fn default_value(&self) -> Option<&ParamValue> {
        self.default.as_ref()
    }

    /// The built-in it is bound to, e.g. `AWS::Region` or `SDK::Endpoint`.
    pub fn built_in(&self) -> Option<&str> {
        self.built_in.as_deref()
    }
}

/// A rule: conditions, and what happens when they all hold.
#[derive(Debug)]
pub(crate) struct Rule {
    /// Where it is in the rule set's JSON, for messages: `rules[2].rules[0]`.
    pub(crate) location: Box<str>,
    pub(crate) conditions: Vec<Condition>,
    pub(crate) outcome: Outcome,
}

#[derive(Debug)]
pub(crate) enum Outcome {
    Endpoint(EndpointTemplate),
    Error(Expr),
    Tree(Vec<Rule>),
}

/// A function call whose result must be set and not `false`, optionally kept in a slot.
#[derive(Debug)]
pub(crate) struct Condition {
    pub(crate) call: Expr,
    pub(crate) assign: Option<usize>,
}

#[derive(Debug)]
pub(crate) enum Expr {
    String(Box<str>),
    Boolean(bool),
    Integer(i64),
    StringArray(Vec<String>),
    Template(Template),
    Ref { slot: usize },
    GetAttr { target: Box<Expr>, path: AttrPath },
    Call { function: Function, args: Vec<Expr> },
}

#[derive(Debug)]
pub(crate) struct EndpointTemplate {
    pub(crate) url: Expr,
    pub(crate) headers: Vec<(String, Vec<Expr>)>,
    pub(crate) properties: Vec<(String, Property)>,
}

/// An endpoint property: JSON whose strings may be templates.
#[derive(Debug)]
pub(crate) enum Property {
    /// Holds no template: used as is.
    Literal(serde_json::Value),
    Template(Template),
    Array(Vec<Property>),
    Object(Vec<(String, Property)>),
}
