//! The endpoint facts: the service's rule set (`smithy.rules#endpointRuleSet`, carried as
//! text) with its parameters, its `@clientContextParams`, and per operation its
//! `@staticContextParams` and the input members marked `@contextParam`.

use heck::ToSnakeCase;
use serde_json::Value;

use super::super::*;
use crate::model::Shape;

/// The rule set of a service without one: the configured endpoint URL, or an error that says
/// one is needed.
const CONFIGURED_URL_ONLY: &str = r#"{"version":"1.0","parameters":{"Endpoint":{"type":"String","builtIn":"SDK::Endpoint","required":false}},"rules":[{"type":"endpoint","conditions":[{"fn":"isSet","argv":[{"ref":"Endpoint"}]}],"endpoint":{"url":"{Endpoint}"}},{"type":"error","conditions":[],"error":"this client has no endpoint rules, so it needs an endpoint URL in its configuration (Config::builder().endpoint_url(..) or AWS_ENDPOINT_URL)"}]}"#;

/// The service's rule set and client context parameters.
pub(super) fn endpoint_plan(id: &str, service: &Shape) -> Result<EndpointPlan, Error> {
    let rules_json = match service.traits.get("smithy.rules#endpointRuleSet") {
        Some(rules) => serde_json::to_string(&sorted_keys(rules))
            .map_err(|e| Error::new(format!("{id}: cannot write the endpoint rule set: {e}")))?,
        None => CONFIGURED_URL_ONLY.to_owned(),
    };
    let rules: Value = serde_json::from_str(&rules_json)
        .map_err(|e| Error::new(format!("{id}: the endpoint rule set is not JSON: {e}")))?;
    let mut params = Vec::new();
    if let Some(declared) = rules.get("parameters").and_then(Value::as_object) {
        for (name, param) in declared {
            params.push(endpoint_param(id, name, param)?);
        }
    }
    params.sort_by(|a, b| a.name.cmp(&b.name));
    let mut client_context = Vec::new();
    if let Some(declared) = service
        .traits
        .get("smithy.rules#clientContextParams")
        .and_then(Value::as_object)
    {
        for (name, param) in declared {
            let kind = param_kind(id, name, param.get("type"))?;
            if !params.iter().any(|p| p.name == *name) {
                return Err(Error::new(format!(
                    "{id}: client context parameter {name} is not a parameter of the rule set"
                )));
            }
            client_context.push(ContextParamPlan {
                name: name.clone(),
                field: field_name(name),
                kind,
            });
        }
    }
    Ok(EndpointPlan {
        rules_json,
        params,
        client_context,
    })
}

/// The value with every object's keys in sorted order, so the text written is the same whether
/// or not serde_json keeps insertion order (a feature another crate of the build may turn on).
fn sorted_keys(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let mut sorted = serde_json::Map::new();
            for key in keys {
                sorted.insert(key.clone(), sorted_keys(&map[key]));
            }
            Value::Object(sorted)
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted_keys).collect()),
        other => other.clone(),
    }
}

fn endpoint_param(id: &str, name: &str, param: &Value) -> Result<EndpointParamPlan, Error> {
    let kind = param_kind(id, name, param.get("type"))?;
    let required = param
        .get("required")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mode = match param.get("default") {
        Some(default) => ParamMode::Default(default.clone()),
        None if required => ParamMode::Required,
        None => ParamMode::Optional,
    };
    let field = field_name(name);
    Ok(EndpointParamPlan {
        name: name.to_owned(),
        setter: format!("set_{field}"),
        field,
        kind,
        built_in: param
            .get("builtIn")
            .and_then(Value::as_str)
            .map(str::to_owned),
        mode,
    })
}

fn param_kind(id: &str, name: &str, kind: Option<&Value>) -> Result<ParamKind, Error> {
    match kind
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("string") => Ok(ParamKind::String),
        Some("boolean") => Ok(ParamKind::Boolean),
        Some("stringarray") => Ok(ParamKind::StringArray),
        other => Err(Error::new(format!(
            "{id}: endpoint parameter {name} has type {other:?}, which the generator does not \
             support"
        ))),
    }
}

/// The Rust name of an endpoint parameter (`UseFIPS` is `use_fips`).
fn field_name(name: &str) -> String {
    let snake = name.to_snake_case();
    match snake.as_str() {
        "type" | "struct" | "enum" | "fn" | "match" | "ref" | "self" | "use" | "mod" => {
            format!("{snake}_param")
        }
        _ => snake,
    }
}

/// What one operation gives the endpoint rules: its `@staticContextParams`, and the input
/// members marked `@contextParam`.
pub(super) fn operation_context(
    id: &str,
    operation: &Shape,
    input: &StructPlan,
    input_shape: Option<&Shape>,
    endpoint: &EndpointPlan,
) -> Result<OperationEndpointPlan, Error> {
    let mut plan = OperationEndpointPlan::default();
    if let Some(declared) = operation
        .traits
        .get("smithy.rules#staticContextParams")
        .and_then(Value::as_object)
    {
        for (name, param) in declared {
            let value = param.get("value").cloned().ok_or_else(|| {
                Error::new(format!(
                    "{id}: static context parameter {name} has no value"
                ))
            })?;
            let declared = endpoint
                .params
                .iter()
                .find(|p| p.name == *name)
                .ok_or_else(|| {
                    Error::new(format!(
                        "{id}: static context parameter {name} is not a parameter of the rule set"
                    ))
                })?;
            let fits = matches!(
                (&declared.kind, &value),
                (ParamKind::String, Value::String(_))
                    | (ParamKind::Boolean, Value::Bool(_))
                    | (ParamKind::StringArray, Value::Array(_))
            );
            if !fits {
                return Err(Error::new(format!(
                    "{id}: static context parameter {name} has a value of the wrong type"
                )));
            }
            plan.static_params.push((name.clone(), value));
        }
    }
    if let Some(shape) = input_shape {
        for (member_name, member) in &shape.members.0 {
            let Some(param) = member
                .traits
                .get("smithy.rules#contextParam")
                .and_then(|t| t.get("name"))
                .and_then(Value::as_str)
            else {
                continue;
            };
            if !endpoint.params.iter().any(|p| p.name == param) {
                return Err(Error::new(format!(
                    "{id}: input member {member_name} is the context parameter {param}, which is \
                     not a parameter of the rule set"
                )));
            }
            let planned = input
                .members
                .iter()
                .find(|m| m.name == *member_name)
                .ok_or_else(|| {
                    Error::new(format!(
                        "{id}: context parameter member {member_name} not planned"
                    ))
                })?;
            plan.context_params
                .push((param.to_owned(), planned.field.clone()));
        }
    }
    plan.static_params.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(plan)
}
