//! What the operation subcommands' tests share: the committed examples as test cases, turning an
//! example's input into member flags from the operation table, the request the model's own
//! serializer makes for an input, and a recording proxy in front of the emulator.

#![allow(dead_code)]

pub mod recorder;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::Value;
use wickr_admin::operation_shape::{OperationShape, SerializedRequest};
use wickr_admin::schema::{OperationInfo, TypeInfo, OPERATIONS};

/// The committed examples (`fixtures/wickr/examples.json`), by operation name, each operation's
/// in order.
pub fn examples() -> BTreeMap<String, Vec<Value>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/wickr/examples.json");
    let text = std::fs::read_to_string(&path).expect("examples fixture");
    let list: Vec<Value> = serde_json::from_str(&text).expect("examples are JSON");
    let mut by_operation: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for example in list {
        let name = example["operation"].as_str().expect("named").to_owned();
        by_operation.entry(name).or_default().push(example);
    }
    by_operation
}

/// The operation with this model name.
pub fn operation(name: &str) -> &'static OperationInfo {
    OPERATIONS
        .iter()
        .find(|op| op.name == name)
        .unwrap_or_else(|| panic!("no operation {name}"))
}

/// A member name in kebab case (`networkId` is `network-id`), as the AWS CLI names flags.
pub fn kebab(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_uppercase() {
            out.push('-');
        }
        out.extend(c.to_lowercase());
    }
    out
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The member flags that give `input`, by each member's type in the operation table: scalars as
/// their text, lists of scalars as several values, booleans as `--x` or `--no-x`, and anything
/// else as JSON.
pub fn flags_for(op: &OperationInfo, input: &Value) -> Vec<String> {
    let mut args = Vec::new();
    let Some(object) = input.as_object() else {
        return args;
    };
    for (key, value) in object {
        let member = op
            .input
            .iter()
            .find(|m| m.json_name == key)
            .unwrap_or_else(|| panic!("{}: {key} is not a member", op.name));
        let flag = format!("--{}", kebab(member.name));
        match (member.ty, value) {
            (TypeInfo::Boolean, Value::Bool(true)) => args.push(flag),
            (TypeInfo::Boolean, Value::Bool(false)) => args.push(format!("--no-{}", &flag[2..])),
            (TypeInfo::List(element), Value::Array(items))
                if element.is_scalar() && !items.is_empty() =>
            {
                args.push(flag);
                args.extend(items.iter().map(text));
            }
            (ty, value) if ty.is_scalar() => {
                args.push(flag);
                args.push(text(value));
            }
            (_, value) => {
                args.push(flag);
                args.push(value.to_string());
            }
        }
    }
    args
}

/// The request the model's serializer makes for `input` of the named operation (subcommand
/// name).
pub fn expected_request(name: &str, input: &Value) -> SerializedRequest {
    macro_rules! serialize_by_name {
        ($( ($kebab:literal, $op:path) ),* $(,)?) => {
            match name {
                $($kebab => serialize::<$op>(input),)*
                other => panic!("no operation {other}"),
            }
        };
    }
    wickr_admin::for_each_operation!(serialize_by_name)
}

fn serialize<O>(input: &Value) -> SerializedRequest
where
    O: OperationShape,
    O::Input: wickr_admin::json::FromJson,
{
    let input: O::Input = wickr_admin::json::from_value(input.clone())
        .unwrap_or_else(|e| panic!("{}: example input does not read: {e}", O::NAME));
    O::serialize(&input).unwrap_or_else(|e| panic!("{}: does not serialize: {e}", O::NAME))
}
