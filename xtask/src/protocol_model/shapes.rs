//! botocore shapes to Smithy shapes.
//!
//! botocore keeps what a client needs and drops the rest, so the mapping is by its keys:
//! `location` (`uri`, `querystring`, `header`, `headers`, `statusCode`) becomes an HTTP binding
//! trait, `locationName` a header or query name or a `@jsonName`, `payload` an `@httpPayload`,
//! `jsonvalue` a `@mediaType("application/json")` on the header's string, `union` and `document`
//! structures the Smithy shapes of those types, and a string's `enum` list the Smithy 1.0
//! `@enum` trait.

use serde_json::{json, Map, Value};

use super::shape_id;

/// Keys of a botocore shape the converter understands; anything else is an error.
const SHAPE_KEYS: &[&str] = &[
    "type",
    "members",
    "member",
    "key",
    "value",
    "required",
    "payload",
    "union",
    "document",
    "box",
    "enum",
    "timestampFormat",
    "error",
    "exception",
    "fault",
    "streaming",
];

/// Keys of a botocore structure member the converter understands.
const MEMBER_KEYS: &[&str] = &[
    "shape",
    "location",
    "locationName",
    "jsonvalue",
    "hostLabel",
    "idempotencyToken",
    "timestampFormat",
];

/// The Smithy shapes for one botocore shape (one, by the shape's name).
pub(super) fn convert_shape(
    name: &str,
    shape: &Value,
    suite: &Map<String, Value>,
) -> Result<Vec<(String, Value)>, String> {
    let object = shape
        .as_object()
        .ok_or_else(|| format!("shape {name} is not an object"))?;
    if let Some(key) = object.keys().find(|k| !SHAPE_KEYS.contains(&k.as_str())) {
        return Err(format!("shape {name}: the key {key} is not understood"));
    }
    let kind = object
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("shape {name} has no type"))?;
    let mut traits = Map::new();
    let converted = match kind {
        "structure" if flag(object, "document") => json!({ "type": "document" }),
        "structure" => {
            let members = members(name, object, suite)?;
            if let Some(error) = object.get("error") {
                let fault = flag(object, "fault");
                traits.insert(
                    "smithy.api#error".into(),
                    json!(if fault { "server" } else { "client" }),
                );
                if let Some(code) = error.get("httpStatusCode") {
                    traits.insert("smithy.api#httpError".into(), code.clone());
                }
            }
            let kind = if flag(object, "union") {
                "union"
            } else {
                "structure"
            };
            json!({ "type": kind, "members": members })
        }
        "list" => json!({ "type": "list", "member": target(name, object, "member")? }),
        "map" => json!({
            "type": "map",
            "key": target(name, object, "key")?,
            "value": target(name, object, "value")?,
        }),
        "string" => {
            if let Some(values) = object.get("enum") {
                let values = values
                    .as_array()
                    .ok_or_else(|| format!("shape {name}: enum is not a list"))?;
                let entries: Vec<Value> = values.iter().map(|v| json!({ "value": v })).collect();
                traits.insert("smithy.api#enum".into(), Value::Array(entries));
            }
            if is_json_value(name, suite) {
                traits.insert("smithy.api#mediaType".into(), json!("application/json"));
            }
            json!({ "type": "string" })
        }
        "timestamp" => {
            if let Some(format) = object.get("timestampFormat") {
                traits.insert(
                    "smithy.api#timestampFormat".into(),
                    json!(timestamp_format(name, format)?),
                );
            }
            json!({ "type": "timestamp" })
        }
        "blob" => {
            if flag(object, "streaming") {
                traits.insert("smithy.api#streaming".into(), json!({}));
            }
            json!({ "type": "blob" })
        }
        "boolean" | "byte" | "short" | "integer" | "long" | "float" | "double" | "bigInteger"
        | "bigDecimal" => json!({ "type": kind }),
        other => return Err(format!("shape {name}: the type {other} is not understood")),
    };
    let mut converted = converted;
    if !traits.is_empty() {
        converted["traits"] = Value::Object(traits);
    }
    Ok(vec![(shape_id(name), converted)])
}

fn flag(object: &Map<String, Value>, key: &str) -> bool {
    object.get(key) == Some(&Value::Bool(true))
}

fn target(owner: &str, object: &Map<String, Value>, key: &str) -> Result<Value, String> {
    let shape = object
        .get(key)
        .and_then(|m| m.get("shape"))
        .and_then(Value::as_str)
        .ok_or_else(|| format!("shape {owner}: {key} has no shape"))?;
    Ok(json!({ "target": shape_id(shape) }))
}

/// Whether a header member of the suite marks this string shape as a JSON value.
fn is_json_value(name: &str, suite: &Map<String, Value>) -> bool {
    suite.values().any(|shape| {
        shape
            .get("members")
            .and_then(Value::as_object)
            .is_some_and(|members| {
                members.values().any(|m| {
                    m.get("shape").and_then(Value::as_str) == Some(name)
                        && m.get("jsonvalue") == Some(&Value::Bool(true))
                })
            })
    })
}

fn timestamp_format(owner: &str, format: &Value) -> Result<&'static str, String> {
    match format.as_str() {
        Some("iso8601") => Ok("date-time"),
        Some("unixTimestamp") => Ok("epoch-seconds"),
        Some("rfc822") => Ok("http-date"),
        _ => Err(format!(
            "{owner}: the timestamp format {format} is not understood"
        )),
    }
}

fn members(
    name: &str,
    object: &Map<String, Value>,
    suite: &Map<String, Value>,
) -> Result<Map<String, Value>, String> {
    let required: Vec<&str> = object
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let payload = object.get("payload").and_then(Value::as_str);
    let mut out = Map::new();
    let Some(members) = object.get("members").and_then(Value::as_object) else {
        return Ok(out);
    };
    for (member_name, member) in members {
        let owner = format!("{name}${member_name}");
        let member = member
            .as_object()
            .ok_or_else(|| format!("{owner} is not an object"))?;
        if let Some(key) = member.keys().find(|k| !MEMBER_KEYS.contains(&k.as_str())) {
            return Err(format!("{owner}: the key {key} is not understood"));
        }
        let target_name = member
            .get("shape")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{owner} has no shape"))?;
        let location_name = member.get("locationName").and_then(Value::as_str);
        let mut traits = Map::new();
        match member.get("location").and_then(Value::as_str) {
            None => {
                if let Some(json_name) = location_name.filter(|n| n != member_name) {
                    traits.insert("smithy.api#jsonName".into(), json!(json_name));
                }
            }
            Some("uri") => {
                if location_name.is_some_and(|n| n != member_name) {
                    return Err(format!(
                        "{owner}: a URI label named apart from its member is not understood"
                    ));
                }
                traits.insert("smithy.api#httpLabel".into(), json!({}));
            }
            Some("querystring") => {
                let target_type = suite
                    .get(target_name)
                    .and_then(|s| s.get("type"))
                    .and_then(Value::as_str);
                if target_type == Some("map") {
                    traits.insert("smithy.api#httpQueryParams".into(), json!({}));
                } else {
                    traits.insert(
                        "smithy.api#httpQuery".into(),
                        json!(location_name.unwrap_or(member_name)),
                    );
                }
            }
            Some("header") => {
                traits.insert(
                    "smithy.api#httpHeader".into(),
                    json!(location_name.unwrap_or(member_name)),
                );
            }
            Some("headers") => {
                traits.insert(
                    "smithy.api#httpPrefixHeaders".into(),
                    json!(location_name.unwrap_or("")),
                );
            }
            Some("statusCode") => {
                traits.insert("smithy.api#httpResponseCode".into(), json!({}));
            }
            Some(other) => return Err(format!("{owner}: the location {other} is not understood")),
        }
        if member.get("hostLabel") == Some(&Value::Bool(true)) {
            traits.insert("smithy.api#hostLabel".into(), json!({}));
        }
        if member.get("idempotencyToken") == Some(&Value::Bool(true)) {
            traits.insert("smithy.api#idempotencyToken".into(), json!({}));
        }
        if let Some(format) = member.get("timestampFormat") {
            traits.insert(
                "smithy.api#timestampFormat".into(),
                json!(timestamp_format(&owner, format)?),
            );
        }
        if required.contains(&member_name.as_str()) {
            traits.insert("smithy.api#required".into(), json!({}));
        }
        if payload == Some(member_name.as_str()) {
            traits.insert("smithy.api#httpPayload".into(), json!({}));
        }
        let mut converted = json!({ "target": shape_id(target_name) });
        if !traits.is_empty() {
            converted["traits"] = Value::Object(traits);
        }
        out.insert(member_name.clone(), converted);
    }
    if let Some(payload) = payload {
        if !members.contains_key(payload) {
            return Err(format!(
                "shape {name}: the payload {payload} is not a member"
            ));
        }
    }
    Ok(out)
}
