//! The `parameters` of a rule set: names, types, defaults, built-ins.

use serde_json::Value as Json;

use super::document::{allow_keys, boolean, join, object, required, string};
use crate::endpoint::error::RuleSetError;
use crate::endpoint::params::ParamValue;
use crate::endpoint::rule_set::{Parameter, ParameterType};
use crate::endpoint::template::is_identifier;

pub(super) fn parameters(json: &Json) -> Result<Vec<Parameter>, RuleSetError> {
    let declared = object(json, "parameters")?;
    let mut parameters: Vec<Parameter> = Vec::with_capacity(declared.len());
    // By name, whatever order the JSON map keeps (serde_json keeps the text's order when a
    // crate of the build turns on its `preserve_order` feature).
    let mut names: Vec<&String> = declared.keys().collect();
    names.sort();
    for name in names {
        let definition = &declared[name];
        let at = format!("parameters.{name}");
        if !is_identifier(name) {
            return Err(RuleSetError::new(
                at,
                "a parameter name is a letter followed by letters, digits or underscores",
            ));
        }
        if let Some(other) = parameters
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
        {
            return Err(RuleSetError::new(
                at,
                format!("`{name}` and `{}` differ only in case", other.name),
            ));
        }
        parameters.push(parameter(name, definition, &at)?);
    }
    Ok(parameters)
}

fn parameter(name: &str, json: &Json, at: &str) -> Result<Parameter, RuleSetError> {
    let definition = object(json, at)?;
    allow_keys(
        definition,
        at,
        &[
            "type",
            "builtIn",
            "required",
            "default",
            "documentation",
            "deprecated",
        ],
    )?;
    let type_at = join(at, "type");
    let type_name = string(required(definition, at, "type")?, &type_at)?;
    let parameter_type = match type_name.to_ascii_lowercase().as_str() {
        "string" => ParameterType::String,
        "boolean" => ParameterType::Boolean,
        "stringarray" => ParameterType::StringArray,
        _ => {
            return Err(RuleSetError::new(
                type_at,
                format!("unknown parameter type `{type_name}` (string, boolean or stringArray)"),
            ))
        }
    };
    let required = match definition.get("required") {
        Some(value) => boolean(value, &join(at, "required"))?,
        None => false,
    };
    let built_in = match definition.get("builtIn") {
        Some(value) => Some(string(value, &join(at, "builtIn"))?.to_owned()),
        None => None,
    };
    let default = match definition.get("default") {
        Some(value) => Some(default_value(value, parameter_type, &join(at, "default"))?),
        None => None,
    };
    if default.is_some() && !required {
        return Err(RuleSetError::new(
            at,
            format!("`{name}` has a default, so it must also be marked required"),
        ));
    }
    Ok(Parameter {
        name: name.to_owned(),
        parameter_type,
        required,
        default,
        built_in,
    })
}

fn default_value(
    json: &Json,
    expected: ParameterType,
    at: &str,
) -> Result<ParamValue, RuleSetError> {
    let value = match json {
        Json::String(s) => Some(ParamValue::String(s.clone())),
        Json::Bool(b) => Some(ParamValue::Boolean(*b)),
        Json::Array(items) => items
            .iter()
            .map(|item| item.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .map(ParamValue::StringArray),
        _ => None,
    };
    match value {
        Some(value) if value.parameter_type() == expected => Ok(value),
        _ => Err(RuleSetError::new(
            at,
            format!("the default must be a {expected}, like the parameter"),
        )),
    }
}
