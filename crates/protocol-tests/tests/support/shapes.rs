//! The protocol test model's shapes, to turn a case's `params` (Smithy's form: blobs as their
//! text, timestamps as seconds since the epoch) into what the client reads and writes, and to
//! compare values whatever form a timestamp or blob takes.
//!
//! The client's documents name members as the model does and hold blobs as base64; timestamps
//! it reads as seconds or text, and writes in each member's format. So `params` only need their
//! blobs encoded on the way in, and before two values are compared every timestamp is made
//! seconds (text is parsed) and every blob base64.

use std::collections::HashMap;

use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use serde_json::{Map, Value};

/// The model's shapes by id.
pub struct Shapes {
    shapes: HashMap<String, Value>,
}

/// Which side of a comparison a value comes from: the case's `params` (blobs as text) or the
/// client's document (blobs as base64).
#[derive(Clone, Copy, PartialEq)]
pub enum Side {
    Params,
    Client,
}

impl Shapes {
    pub fn new(model: &Value) -> Self {
        let shapes = model["shapes"]
            .as_object()
            .map(|s| s.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        Self { shapes }
    }

    /// Every shape with its id.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.shapes.iter()
    }

    /// The type of a shape (`string`, `structure`, ...), prelude ids included.
    fn kind(&self, id: &str) -> String {
        match self.shapes.get(id) {
            Some(shape) => shape["type"].as_str().unwrap_or_default().to_owned(),
            None => {
                let name = id.strip_prefix("smithy.api#").unwrap_or(id);
                let name = name.strip_prefix("Primitive").unwrap_or(name);
                let mut kind: Vec<char> = name.chars().collect();
                if let Some(first) = kind.first_mut() {
                    *first = first.to_ascii_lowercase();
                }
                kind.into_iter().collect()
            }
        }
    }

    /// `params` for a structure, as the client's document reader takes them: blobs base64.
    pub fn to_document(&self, structure: &str, params: &Value) -> Value {
        self.walk(structure, params, &|kind, value| match (kind, value) {
            ("blob", Value::String(text)) => Value::String(aws_smithy_types::base64::encode(text)),
            _ => value.clone(),
        })
    }

    /// A value of the structure ready to compare: timestamps as seconds, blobs as base64.
    pub fn normalize(&self, structure: &str, value: &Value, side: Side) -> Value {
        self.walk(structure, value, &|kind, value| match (kind, value) {
            ("blob", Value::String(text)) if side == Side::Params => {
                Value::String(aws_smithy_types::base64::encode(text))
            }
            ("timestamp", Value::String(text)) => seconds(text).unwrap_or_else(|| value.clone()),
            _ => value.clone(),
        })
    }

    /// `value` with every scalar of the given shape passed through `leaf`, following members,
    /// list members and map values.
    fn walk(&self, id: &str, value: &Value, leaf: &dyn Fn(&str, &Value) -> Value) -> Value {
        let kind = self.kind(id);
        let shape = self.shapes.get(id);
        match (kind.as_str(), value) {
            ("structure" | "union", Value::Object(entries)) => {
                let mut out = Map::new();
                for (name, item) in entries {
                    let target = shape
                        .and_then(|s| s["members"][name]["target"].as_str())
                        .unwrap_or_default();
                    out.insert(name.clone(), self.walk(target, item, leaf));
                }
                Value::Object(out)
            }
            ("list" | "set", Value::Array(items)) => {
                let target = shape
                    .and_then(|s| s["member"]["target"].as_str())
                    .unwrap_or_default();
                Value::Array(items.iter().map(|i| self.walk(target, i, leaf)).collect())
            }
            ("map", Value::Object(entries)) => {
                let target = shape
                    .and_then(|s| s["value"]["target"].as_str())
                    .unwrap_or_default();
                let mut out = Map::new();
                for (key, item) in entries {
                    out.insert(key.clone(), self.walk(target, item, leaf));
                }
                Value::Object(out)
            }
            (_, Value::Null) => Value::Null,
            (kind, value) => leaf(kind, value),
        }
    }
}

/// A timestamp's text (RFC 3339 or HTTP-date) as seconds since the epoch.
fn seconds(text: &str) -> Option<Value> {
    [Format::DateTime, Format::HttpDate]
        .into_iter()
        .find_map(|format| DateTime::from_str(text, format).ok())
        .and_then(|t| serde_json::Number::from_f64(t.as_secs_f64()))
        .map(Value::Number)
}
