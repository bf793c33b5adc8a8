//! JSON Lines input: one JSON object per line, with the CSV columns as keys and values of the
//! JSON type each column takes (strings; a whole number for `inviteCodeTtl`; a boolean for
//! `codeValidation`). A value of another type is a problem on its row, not a value read as text.

use std::io::Read;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::excerpt;
use super::row::{check_row, Column, RawRow, ValueType};
use super::source::Source;
use super::{known_columns, load_problem, Entry, Problem};

/// One line of JSON Lines input: an object's members in document order with duplicates kept (a
/// map would keep only the last of two equal keys, dropping a value without a word), or any other
/// JSON value.
enum JsonLine {
    Object(Vec<(String, serde_json::Value)>),
    Other,
}

/// The members of the JSON object `text` is, in document order and with repeated keys kept;
/// `Ok(None)` when it is another JSON value.
pub(crate) fn object_members(
    text: &str,
) -> Result<Option<Vec<(String, serde_json::Value)>>, serde_json::Error> {
    Ok(match serde_json::from_str::<JsonLine>(text)? {
        JsonLine::Object(members) => Some(members),
        JsonLine::Other => None,
    })
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

/// The rows of a JSON Lines file, read one line at a time.
pub struct JsonLines<R> {
    source: Source<R>,
    /// Problems with the file as a whole; when any, no row is usable.
    pub file_problems: Vec<Problem>,
    done: bool,
}

impl<R: Read> JsonLines<R> {
    pub fn new(source: Source<R>) -> Self {
        Self {
            source,
            file_problems: Vec::new(),
            done: false,
        }
    }

    /// The source, once every row is read (to finish its hash).
    pub fn into_source(self) -> Source<R> {
        self.source
    }

    fn stop(&mut self, problem: Problem) -> Option<Entry> {
        self.file_problems.push(problem);
        self.done = true;
        None
    }
}

impl<R: Read> Iterator for JsonLines<R> {
    type Item = Entry;

    fn next(&mut self) -> Option<Entry> {
        while !self.done {
            let line = self.source.line();
            let mut more = false;
            let (length, ended) = loop {
                let (found, available) = match self.source.fill(more) {
                    Ok(bytes) => (memchr::memchr(b'\n', bytes), bytes.len()),
                    Err(e) => return self.stop(load_problem(e, line)),
                };
                if let Some(at) = found {
                    break (at, true);
                }
                if self.source.is_ended() {
                    // The last line, without a line break.
                    break (available, false);
                }
                more = true;
            };
            let bytes = match self.source.fill(false) {
                Ok(bytes) => &bytes[..length],
                Err(e) => return self.stop(load_problem(e, line)),
            };
            if length == 0 && !ended {
                self.done = true;
                return None;
            }
            let bytes = if ended {
                bytes.strip_suffix(b"\r").unwrap_or(bytes)
            } else {
                bytes
            };
            let entry = match std::str::from_utf8(bytes) {
                Ok(text) if text.trim().is_empty() => None,
                Ok(text) => Some(read_line(line, text)),
                Err(_) => {
                    return self.stop(Problem::new(
                        line,
                        "file",
                        "the file is not valid UTF-8 text",
                    ))
                }
            };
            self.source.consume(length + usize::from(ended));
            if entry.is_some() {
                return entry;
            }
        }
        None
    }
}

/// One line of JSON Lines input, read and checked.
fn read_line(line: u64, line_text: &str) -> Entry {
    let mut raw = RawRow {
        line,
        ..RawRow::default()
    };
    match serde_json::from_str::<JsonLine>(line_text) {
        Ok(JsonLine::Object(members)) => {
            let mut seen: Vec<Column> = Vec::new();
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
                if seen.contains(&column) {
                    raw.problems
                        .push(Problem::new(line, column.name(), "key appears twice"));
                    continue;
                }
                seen.push(column);
                if value.is_null() {
                    continue;
                }
                match text_of(column, value) {
                    Ok(text) if text.is_empty() => {}
                    Ok(text) => {
                        raw.values.insert(column, text);
                    }
                    Err(problem) => raw
                        .problems
                        .push(Problem::new(line, column.name(), problem)),
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
    check_row(raw)
}
