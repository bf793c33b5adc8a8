//! The values a caller gives for a resolution, and how they are bound to a rule set's
//! parameters.

use std::borrow::Cow;

use super::error::ResolveError;
use super::rule_set::{ParameterType, RuleSet};
use super::value::{Text, TextList, Value};

/// The built-ins every AWS client binds from its configuration.
pub mod built_in {
    /// The region (a string), e.g. `us-east-1`.
    pub const REGION: &str = "AWS::Region";
    /// Whether to use a FIPS endpoint (a boolean).
    pub const USE_FIPS: &str = "AWS::UseFIPS";
    /// Whether to use a dual-stack endpoint (a boolean).
    pub const USE_DUAL_STACK: &str = "AWS::UseDualStack";
    /// A custom endpoint URL (a string).
    pub const ENDPOINT: &str = "SDK::Endpoint";
}

/// A value for a parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamValue {
    /// A string.
    String(String),
    /// A boolean.
    Boolean(bool),
    /// A list of strings.
    StringArray(Vec<String>),
}

impl ParamValue {
    /// Its type.
    pub fn parameter_type(&self) -> ParameterType {
        match self {
            Self::String(_) => ParameterType::String,
            Self::Boolean(_) => ParameterType::Boolean,
            Self::StringArray(_) => ParameterType::StringArray,
        }
    }

    fn as_value(&self) -> Value<'_> {
        match self {
            Self::String(s) => Value::String(Text::Borrowed(s)),
            Self::Boolean(b) => Value::Boolean(*b),
            Self::StringArray(items) => Value::StringArray(TextList::Borrowed(items)),
        }
    }
}

impl From<&str> for ParamValue {
    fn from(value: &str) -> Self {
        Self::String(value.to_owned())
    }
}

impl From<String> for ParamValue {
    fn from(value: String) -> Self {
        Self::String(value)
    }
}

impl From<bool> for ParamValue {
    fn from(value: bool) -> Self {
        Self::Boolean(value)
    }
}

impl From<Vec<String>> for ParamValue {
    fn from(value: Vec<String>) -> Self {
        Self::StringArray(value)
    }
}

impl From<&[&str]> for ParamValue {
    fn from(value: &[&str]) -> Self {
        Self::StringArray(value.iter().map(|s| (*s).to_owned()).collect())
    }
}

/// The values given for one resolution.
///
/// A parameter's value is, from the strongest: one [`set`](Params::set) by name (the last one
/// wins), then one bound to its built-in with [`set_built_in`](Params::set_built_in), then its
/// default. A name the rule set does not declare, or a value of the wrong type, is an error
/// when resolving; a built-in no parameter is bound to is not used.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params {
    named: Vec<(Cow<'static, str>, ParamValue)>,
    built_ins: Vec<(Cow<'static, str>, ParamValue)>,
}

impl Params {
    /// No values.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the parameter `name`, replacing any value set for it before.
    pub fn set(
        &mut self,
        name: impl Into<Cow<'static, str>>,
        value: impl Into<ParamValue>,
    ) -> &mut Self {
        put(&mut self.named, name.into(), value.into());
        self
    }

    /// [`set`](Params::set), by value.
    pub fn with(
        mut self,
        name: impl Into<Cow<'static, str>>,
        value: impl Into<ParamValue>,
    ) -> Self {
        self.set(name, value);
        self
    }

    /// Gives the built-in `built_in` (see [`built_in`]) a value, for every parameter bound to
    /// it and not set by name.
    pub fn set_built_in(
        &mut self,
        built_in: impl Into<Cow<'static, str>>,
        value: impl Into<ParamValue>,
    ) -> &mut Self {
        put(&mut self.built_ins, built_in.into(), value.into());
        self
    }

    /// [`set_built_in`](Params::set_built_in), by value.
    pub fn with_built_in(
        mut self,
        built_in: impl Into<Cow<'static, str>>,
        value: impl Into<ParamValue>,
    ) -> Self {
        self.set_built_in(built_in, value);
        self
    }

    /// The value set for `name` by name.
    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        find(&self.named, name)
    }

    /// The value given to the built-in `built_in`.
    pub fn built_in(&self, built_in: &str) -> Option<&ParamValue> {
        find(&self.built_ins, built_in)
    }
}

fn put(
    entries: &mut Vec<(Cow<'static, str>, ParamValue)>,
    key: Cow<'static, str>,
    value: ParamValue,
) {
    match entries.iter_mut().find(|(k, _)| *k == key) {
        Some(entry) => entry.1 = value,
        None => entries.push((key, value)),
    }
}

fn find<'p>(entries: &'p [(Cow<'static, str>, ParamValue)], key: &str) -> Option<&'p ParamValue> {
    entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// The slots of a resolution, with each parameter's value in its slot (unset ones `None`) and
/// room for the variables the conditions assign.
pub(crate) fn bind<'a>(
    rule_set: &'a RuleSet,
    params: &'a Params,
) -> Result<Vec<Option<Value<'a>>>, ResolveError> {
    let parameters = &rule_set.parameters;
    let mut slots: Vec<Option<Value<'a>>> = vec![None; rule_set.slot_count];
    for (name, value) in &params.named {
        let Some(index) = parameters.iter().position(|p| p.name == *name) else {
            return Err(ResolveError::UnknownParameter {
                name: name.to_string(),
                declared: parameters.iter().map(|p| p.name.clone()).collect(),
            });
        };
        bind_one(rule_set, &mut slots, index, value, None)?;
    }
    for (built_in, value) in &params.built_ins {
        for (index, parameter) in parameters.iter().enumerate() {
            let unset = matches!(slots.get(index), Some(None));
            if unset && parameter.built_in.as_deref() == Some(built_in.as_ref()) {
                bind_one(rule_set, &mut slots, index, value, Some(built_in))?;
            }
        }
    }
    for (index, parameter) in parameters.iter().enumerate() {
        let Some(slot @ None) = slots.get_mut(index) else {
            continue;
        };
        match &parameter.default {
            Some(default) => *slot = Some(default.as_value()),
            None if parameter.required => {
                return Err(ResolveError::MissingParameter {
                    name: parameter.name.clone(),
                })
            }
            None => {}
        }
    }
    Ok(slots)
}

fn bind_one<'a>(
    rule_set: &RuleSet,
    slots: &mut [Option<Value<'a>>],
    index: usize,
    value: &'a ParamValue,
    built_in: Option<&str>,
) -> Result<(), ResolveError> {
    let (Some(parameter), Some(slot)) = (rule_set.parameters.get(index), slots.get_mut(index))
    else {
        return Ok(());
    };
    if value.parameter_type() != parameter.parameter_type {
        return Err(ResolveError::WrongParameterType {
            name: parameter.name.clone(),
            built_in: built_in.map(str::to_owned),
            expected: parameter.parameter_type,
            found: value.parameter_type(),
        });
    }
    *slot = Some(value.as_value());
    Ok(())
}
