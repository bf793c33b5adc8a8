//! The service's shapes as JSON, member by member.
//!
//! Every generated structure and union implements [`FromJson`] and [`ToJson`], and so does every
//! enum. The same code serves two kinds of documents:
//!
//! - message bodies ([`Reader::body`]): members go by their JSON names (`@jsonName`, else the
//!   member name); members the model does not know are skipped, since a newer service may send
//!   them, and members bound to the URI, query string or headers are not read from the body;
//! - documents written by a person ([`from_str`]), such as the command line's input files:
//!   members go by their model names, every member counts, and every key the model does not know
//!   is an error that names where it is (`users[0].frstName`), so a misspelled member is never
//!   dropped quietly. Timestamps may be written as seconds since the epoch or as text in the
//!   member's format, and blobs as base64.
//!
//! In both, a `null` member reads as absent. A `null` element of a list or map is kept as `None`
//! when the collection is `@sparse`; in a dense one it is skipped in a body and refused in a
//! document. The code is shared, non-generic where it can be, so that the generated structures
//! stay small: each one only lists its members and their names.

mod collections;
mod smithy_types;
mod timestamps;
mod union;

pub use collections::MapKey;
pub(crate) use smithy_types::document_from;
pub use smithy_types::{document, read_string_enum, write_string_enum};
pub(crate) use timestamps::reading as reading_format;
pub use timestamps::{
    date_time, default_timestamp, epoch_seconds, http_date, ReadTimestamps, Timestamps,
};

use std::fmt;

use aws_smithy_types::date_time::Format;
use serde_json::Number;

// Re-exported for generated code, so a generated crate needs no extra dependency.
pub use serde_json::{Map, Value};

/// A value that can be read from JSON.
pub trait FromJson: Sized {
    /// Whether `null` is a value of the type (an element of a `@sparse` list or map, read as
    /// `None`) rather than the absence of one.
    const NULLABLE: bool = false;

    /// Reads the value; `reader` knows where in the document it is and how strict to be.
    fn from_json(value: Value, reader: &mut Reader) -> Result<Self, JsonError>;
}

/// A value that can be written as JSON.
pub trait ToJson {
    /// Writes the value. With `body` set, members that travel outside the message body (URI
    /// labels, query parameters, headers) are left out; otherwise every member is written.
    fn to_json(&self, body: bool) -> Value;
}

/// Reads a document written by a person: every member of `T` by its model name, and every key
/// that is not a member is an error. Unknown keys are all listed, not just the first. A key given
/// twice in one object is an error too, since only one of its values could be kept.
pub fn from_str<T: FromJson>(text: &str) -> Result<T, JsonError> {
    from_value(parse_document(text)?)
}

/// Parses a document written by a person into a value, refusing a key given twice in one object
/// (a plain `serde_json::from_str` keeps the last value without a word).
pub fn parse_document(text: &str) -> Result<Value, JsonError> {
    let StrictValue(value) = serde_json::from_str(text).map_err(|e| JsonError {
        path: String::new(),
        message: format!("not valid JSON: {e}"),
    })?;
    Ok(value)
}

/// A JSON value parsed from a document, refusing a key given twice in one object (a plain
/// `serde_json::Value` would keep the last value without a word).
struct StrictValue(Value);

impl<'de> serde::Deserialize<'de> for StrictValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(DocumentVisitor)
            .map(StrictValue)
    }
}

struct DocumentVisitor;

impl<'de> serde::de::Visitor<'de> for DocumentVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(StrictValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if members.contains_key(&key) {
                return Err(serde::de::Error::custom(format!(
                    "key `{key}` appears twice in one object"
                )));
            }
            let StrictValue(value) = map.next_value()?;
            members.insert(key, value);
        }
        Ok(Value::Object(members))
    }
}

/// Like [`from_str`], from a parsed value.
pub fn from_value<T: FromJson>(value: Value) -> Result<T, JsonError> {
    let mut reader = Reader::document();
    let out = T::from_json(value, &mut reader)?;
    match reader.unknown.len() {
        0 => Ok(out),
        n => Err(JsonError {
            path: String::new(),
            message: format!(
                "unknown member{} {} (members use the model's names, e.g. networkId)",
                if n == 1 { "" } else { "s" },
                reader.unknown.join(", ")
            ),
        }),
    }
}

/// Writes every member of `value` (including those that travel outside a message body) under
/// its model name, as [`from_value`] reads it back.
pub fn to_value<T: ToJson>(value: &T) -> Value {
    value.to_json(false)
}

/// Why a JSON value could not be read: where it is and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    path: String,
    message: String,
}

impl JsonError {
    /// Where the value sits, e.g. `successful[3].userId`; empty for the whole document.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong with it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for JsonError {}

/// Characters of a key or string from a document shown in a message before it is cut.
const SHOWN_CHARS: usize = 40;

/// `text` as a message shows it: whole when short, else its first 40 characters and `...`.
pub(crate) fn excerpt(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((end, _)) => format!("{}...", &text[..end]).into(),
        None => text.into(),
    }
}

/// One step from the document root to a value.
#[derive(Clone, Debug)]
enum Step {
    Member(&'static str),
    Index(usize),
    Key(String),
}

/// Reading state: where the value being read sits, and how strict to be.
#[derive(Debug)]
pub struct Reader {
    steps: Vec<Step>,
    /// A message body rather than a document written by a person.
    body: bool,
    /// Paths of keys that are not members, when reading a document.
    unknown: Vec<String>,
}

impl Reader {
    /// Reads a message body: unknown keys are skipped, and members bound outside the body are
    /// not read.
    pub fn body() -> Self {
        Self {
            steps: Vec::new(),
            body: true,
            unknown: Vec::new(),
        }
    }

    /// Reads a document written by a person: see [`from_value`], which also reports unknown keys.
    fn document() -> Self {
        Self {
            steps: Vec::new(),
            body: false,
            unknown: Vec::new(),
        }
    }

    fn path(&self) -> String {
        let mut out = String::new();
        for step in &self.steps {
            match step {
                Step::Member(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(name);
                }
                Step::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
                Step::Key(key) => {
                    out.push('[');
                    out.push_str(&format!("{key:?}"));
                    out.push(']');
                }
            }
        }
        out
    }

    /// Whether this reads a message body (rather than a document a person wrote).
    pub fn is_body(&self) -> bool {
        self.body
    }

    /// Reads `value` with `read` as the member `name` of the object being read.
    pub fn member<T>(
        &mut self,
        name: &'static str,
        read: impl FnOnce(&mut Self) -> Result<T, JsonError>,
    ) -> Result<T, JsonError> {
        self.steps.push(Step::Member(name));
        let out = read(self);
        self.steps.pop();
        out
    }

    /// Reads `value` with `read` as the entry `key` of the map being read.
    fn entry<T>(
        &mut self,
        key: &str,
        read: impl FnOnce(&mut Self) -> Result<T, JsonError>,
    ) -> Result<T, JsonError> {
        // Only the start of a long key is kept: it is shown in error paths, never read back.
        self.steps.push(Step::Key(excerpt(key).into_owned()));
        let out = read(self);
        self.steps.pop();
        out
    }

    /// What to do with a `null` element of a dense collection: skipped in a body (it carries
    /// nothing), refused in a document (it is a mistake worth naming).
    fn null_element(&self, what: &str) -> Result<(), JsonError> {
        if self.body {
            Ok(())
        } else {
            Err(self.error(format!("null is not a valid {what}")))
        }
    }

    /// An error about the value being read.
    pub fn error(&self, message: impl Into<String>) -> JsonError {
        JsonError {
            path: self.path(),
            message: message.into(),
        }
    }

    /// An error saying what was expected and what kind of value was found instead.
    pub fn expected(&self, what: &str, found: &Value) -> JsonError {
        let found = match found {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        };
        self.error(format!("expected {what}, found {found}"))
    }

    /// Reads the members of an object into `members`, one slot per known member.
    ///
    /// One shared loop for every structure: a structure only says which slot a JSON name goes
    /// to ([`Members::slot`]), and each member type is read by one shared function.
    pub fn read_object(
        &mut self,
        value: Value,
        members: &mut dyn Members,
    ) -> Result<(), JsonError> {
        let map = match value {
            Value::Object(map) => map,
            other => return Err(self.expected("an object", &other)),
        };
        for (key, value) in map {
            let Some((name, slot)) = members.slot(&key, self.body) else {
                self.unknown(&key);
                continue;
            };
            if value.is_null() {
                continue;
            }
            self.steps.push(Step::Member(name));
            match slot {
                Slot::Value(slot) => slot.read(value, self)?,
                Slot::Timestamp(slot, format) => slot.read_timestamps(value, self, format)?,
            }
            self.steps.pop();
        }
        Ok(())
    }

    /// Notes a key that is not a member: skipped in a body, reported in a document (cut short,
    /// so a huge key is not repeated in full).
    pub fn unknown(&mut self, key: &str) {
        if !self.body {
            let parent = self.path();
            let key = excerpt(key);
            self.unknown.push(if parent.is_empty() {
                key.into_owned()
            } else {
                format!("{parent}.{key}")
            });
        }
    }

    /// A required member that has no fallback value.
    pub fn required<T>(&self, value: Option<T>, name: &str) -> Result<T, JsonError> {
        value.ok_or_else(|| self.error(format!("required member `{name}` is missing")))
    }
}

/// Where a structure keeps its members while they are read: the structure's builder.
pub trait Members {
    /// The slot for the member named `name` (its JSON name in a message `body`, its model name in
    /// a document), with that name as a static string; `None` when no member has that name. In a
    /// message body, members bound to the URI, query string or headers have no slot.
    fn slot(&mut self, name: &str, body: bool) -> Option<(&'static str, Slot<'_>)>;
}

/// The place one member's value goes.
pub enum Slot<'a> {
    /// Any value read with its [`FromJson`].
    Value(&'a mut dyn ReadInto),
    /// Timestamps (one, or a collection of them) in the given format.
    Timestamp(&'a mut dyn ReadTimestamps, Format),
}

/// An optional value that a JSON value can be read into.
pub trait ReadInto {
    /// Reads `value` and keeps it.
    fn read(&mut self, value: Value, reader: &mut Reader) -> Result<(), JsonError>;
}

impl<T: FromJson> ReadInto for Option<T> {
    fn read(&mut self, value: Value, reader: &mut Reader) -> Result<(), JsonError> {
        *self = Some(T::from_json(value, reader)?);
        Ok(())
    }
}

/// Adds a member to an object unless it is absent (an optional member that is `None`).
#[inline(never)]
pub fn put(map: &mut Map<String, Value>, name: &str, value: &dyn ToJson, body: bool) {
    put_value(map, name, value.to_json(body));
}

/// Adds a value to an object unless it is `null`.
pub fn put_value(map: &mut Map<String, Value>, name: &str, value: Value) {
    if !value.is_null() {
        map.insert(name.to_owned(), value);
    }
}

impl FromJson for String {
    fn from_json(value: Value, reader: &mut Reader) -> Result<Self, JsonError> {
        match value {
            Value::String(text) => Ok(text),
            other => Err(reader.expected("a string", &other)),
        }
    }
}

impl FromJson for bool {
    fn from_json(value: Value, reader: &mut Reader) -> Result<Self, JsonError> {
        match value {
            Value::Bool(b) => Ok(b),
            other => Err(reader.expected("a boolean", &other)),
        }
    }
}

/// An integer that fits in `min..=max`.
fn integer(value: &Value, reader: &Reader, min: i64, max: i64) -> Result<i64, JsonError> {
    match value {
        Value::Number(n) if n.is_i64() || n.is_u64() => match n.as_i64() {
            Some(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(reader.error(format!(
                "expected an integer from {min} to {max}, found {n}"
            ))),
        },
        Value::Number(n) => Err(reader.error(format!("expected an integer, found {n}"))),
        other => Err(reader.expected("an integer", other)),
    }
}

macro_rules! json_integers {
    ($($t:ty),*) => {$(
        impl FromJson for $t {
            fn from_json(value: Value, reader: &mut Reader) -> Result<Self, JsonError> {
                let n = integer(&value, reader, <$t>::MIN.into(), <$t>::MAX.into())?;
                // In range by the check above.
                Ok(n as $t)
            }
        }
        impl ToJson for $t {
            fn to_json(&self, _body: bool) -> Value {
                Value::from(*self)
            }
        }
    )*};
}
json_integers!(i8, i16, i32, i64);

/// A floating-point number: a JSON number, or `"NaN"`, `"Infinity"` or `"-Infinity"`.
pub(crate) fn float(value: Value, reader: &Reader) -> Result<f64, JsonError> {
    match &value {
        Value::Number(n) => n
            .as_f64()
            .ok_or_else(|| reader.expected("a number", &value)),
        Value::String(text) => match text.as_str() {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            _ => Err(reader.error(format!(
                "expected a number, found the string {:?}",
                excerpt(text)
            ))),
        },
        other => Err(reader.expected("a number", other)),
    }
}

pub(crate) fn float_value(f: f64) -> Value {
    match Number::from_f64(f) {
        Some(n) => Value::Number(n),
        None if f.is_nan() => Value::from("NaN"),
        None if f > 0.0 => Value::from("Infinity"),
        None => Value::from("-Infinity"),
    }
}

impl FromJson for f64 {
    fn from_json(value: Value, reader: &mut Reader) -> Result<Self, JsonError> {
        float(value, reader)
    }
}

impl FromJson for f32 {
    fn from_json(value: Value, reader: &mut Reader) -> Result<Self, JsonError> {
        // Narrowing to the member's precision is what the model asks for.
        float(value, reader).map(|f| f as f32)
    }
}

impl ToJson for f64 {
    fn to_json(&self, _body: bool) -> Value {
        float_value(*self)
    }
}

impl ToJson for f32 {
    fn to_json(&self, _body: bool) -> Value {
        // Through the shortest text that reads back as the same f32, so 0.1 is written as 0.1
        // rather than as the f64 nearest to the f32 (0.10000000149011612).
        float_value(self.to_string().parse::<f64>().unwrap_or(f64::from(*self)))
    }
}

impl ToJson for String {
    fn to_json(&self, _body: bool) -> Value {
        Value::String(self.clone())
    }
}

impl ToJson for bool {
    fn to_json(&self, _body: bool) -> Value {
        Value::Bool(*self)
    }
}

#[cfg(test)]
mod tests;
