//! JSON Lines input: one JSON object per line, with the CSV columns as keys and values of the
//! JSON type each column takes (strings; a whole number for `inviteCodeTtl`; a boolean for
//! `codeValidation`). A value of another type is a problem on its row, not a value read as text.

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::excerpt;
use super::row::{check_row, Column, RawRow, ValueType};
use super::{known_columns, Input, Problem};

/// One line of JSON Lines input: an object's members in document order with duplicates kept (a
/// map would keep only the last of two equal keys, dropping a value without a word), or any other
/// JSON value.
enum JsonLine {
    Object(Vec<(String, serde_json::Value)>),
    Other,
}

impl<'de> Deserialize<'de> for JsonLine {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonLineVisitor)
    }
}

struct JsonLineVisitor;

impl<'de> Visitor<'de> for JsonLineVisitor {
    type Value = JsonLine;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JsonLine, A::Error> {
        let mut members = Vec::new();
        while let Some(entry) = map.next_entry::<String, serde_json::Value>()? {
            members.push(entry);
        }
        Ok(JsonLine::Object(members))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<JsonLine, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(JsonLine::Other)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<JsonLine, E> {
        Ok(JsonLine::Other)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<JsonLine, E> {
        Ok(JsonLine::Other)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<JsonLine, E> {
        Ok(JsonLine::Other)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<JsonLine, E> {
        Ok(JsonLine::Other)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<JsonLine, E> {
        Ok(JsonLine::Other)
    }

    fn visit_unit<E: de::Error>(self) -> Result<JsonLine, E> {
        Ok(JsonLine::Other)
    }
}

/// The JSON type of a value, for messages.
fn type_name(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "an object",
    }
}

/// A column's value as text, when it has the column's JSON type.
fn text_of(column: Column, value: serde_json::Value) -> Result<String, String> {
    match (column.value_type(), value) {
        (ValueType::String, serde_json::Value::String(s)) => Ok(s.trim().to_string()),
        (ValueType::Integer, serde_json::Value::Number(n)) => Ok(n.to_string()),
        (ValueType::Boolean, serde_json::Value::Bool(b)) => Ok(b.to_string()),
        (wanted, other) => Err(format!(
            "must be {}, not {}",
            match wanted {
                ValueType::String => "a string",
                ValueType::Integer => "a whole number",
                ValueType::Boolean => "true or false",
            },
            type_name(&other)
        )),
    }
}

pub fn parse_json_lines(text: &str) -> Input {
    let mut input = Input::default();
    for (index, line_text) in text.lines().enumerate() {
        let line = index as u64 + 1;
        if line_text.trim().is_empty() {
            continue;
        }
        let mut raw = RawRow {
            line,
            ..RawRow::default()
        };
        match serde_json::from_str::<JsonLine>(line_text) {
            Ok(JsonLine::Object(members)) => {
                let mut seen = std::collections::HashSet::new();
                for (key, value) in members {
                    let Some(column) = Column::parse(&key) else {
                        raw.problems.push(Problem::new(
                            line,
                            excerpt::name(&key),
                            format!("unknown key; known keys: {}", known_columns()),
                        ));
                        continue;
                    };
                    // Every occurrence counts, empty and null ones included.
                    if !seen.insert(column) {
                        raw.problems
                            .push(Problem::new(line, column.name(), "key appears twice"));
                        continue;
                    }
                    if value.is_null() {
                        continue;
                    }
                    match text_of(column, value) {
                        Ok(text) if text.is_empty() => {}
                        Ok(text) => {
                            raw.values.insert(column, text);
                        }
                        Err(problem) => {
                            raw.problems
                                .push(Problem::new(line, column.name(), problem))
                        }
                    }
                }
            }
            Ok(JsonLine::Other) => raw.problems.push(Problem::new(
                line,
                "row",
                "malformed row: each line must be one JSON object",
            )),
            Err(e) => raw.problems.push(Problem::new(
                line,
                "row",
                format!("malformed row: invalid JSON at column {}", e.column()),
            )),
        }
        input.entries.push(check_row(raw));
    }
    input
}
