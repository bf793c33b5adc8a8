//! The service's shapes as JSON, member by member, under the model's member names.
//!
//! Every generated structure implements [`FromJson`] and [`ToJson`], and so does every enum. The
//! same code serves two kinds of documents:
//!
//! - message bodies ([`Reader::body`]): members the model does not know are skipped, since a
//!   newer service may send them, and members bound to the URI, query string or headers are not
//!   read from the body;
//! - documents written by a person ([`from_str`]), such as the command line's input files: every
//!   member counts, and every key the model does not know is an error that names where it is
//!   (`users[0].frstName`), so a misspelled member is never dropped quietly.
//!
//! In both, a `null` member reads as absent. The code is shared, non-generic where it can be, so
//! that the generated structures stay small: each one only lists its members and their JSON names.

use std::fmt;

use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use serde_json::Number;

// Re-exported for generated code, so a generated crate needs no extra dependency.
pub use serde_json::{Map, Value};

/// A value that can be read from JSON.
pub trait FromJson: Sized {
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
    let Document(value) = serde_json::from_str(text).map_err(|e| JsonError {
        path: String::new(),
        message: format!("not valid JSON: {e}"),
    })?;
    Ok(value)
}

/// A JSON value parsed from a document, refusing a key given twice in one object (a plain
/// `serde_json::Value` would keep the last value without a word).
struct Document(Value);

impl<'de> serde::Deserialize<'de> for Document {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DocumentVisitor).map(Document)
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
        while let Some(Document(item)) = seq.next_element()? {
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
            let Document(value) = map.next_value()?;
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
/// its model name.
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
fn excerpt(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((end, _)) => format!("{}...", &text[..end]).into(),
        None => text.into(),
    }
}

/// One step from the document root to a value.
#[derive(Clone, Copy, Debug)]
enum Step {
    Member(&'static str),
    Index(usize),
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
            }
        }
        out
    }

    /// An error about the value being read.
    pub fn error(&self, message: impl Into<String>) -> JsonError {
        JsonError {
            path: self.path(),
            message: message.into(),
        }
    }

    fn expected(&self, what: &str, found: &Value) -> JsonError {
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
                Slot::Timestamp(slot, format) => *slot = Some(read_timestamp(value, self, format)?),
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
    /// The slot for the member with JSON name `name`, with that name as a static string; `None`
    /// when no member has that name. In a message `body`, members bound to the URI, query string
    /// or headers have no slot.
    fn slot(&mut self, name: &str, body: bool) -> Option<(&'static str, Slot<'_>)>;
}

/// The place one member's value goes.
pub enum Slot<'a> {
    /// Any value read with its [`FromJson`].
    Value(&'a mut dyn ReadInto),
    /// A timestamp in the given format.
    Timestamp(&'a mut Option<DateTime>, Format),
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
fn float(value: Value, reader: &Reader) -> Result<f64, JsonError> {
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

fn float_value(f: f64) -> Value {
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

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: Value, reader: &mut Reader) -> Result<Self, JsonError> {
        let items = match value {
            Value::Array(items) => items,
            other => return Err(reader.expected("an array", &other)),
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            reader.steps.push(Step::Index(i));
            if item.is_null() {
                // Lists of the model are dense. An answer's null element carries nothing and is
                // skipped; in a document it is a mistake worth naming.
                if !reader.body {
                    return Err(reader.error("null is not a valid list element"));
                }
            } else {
                out.push(T::from_json(item, reader)?);
            }
            reader.steps.pop();
        }
        Ok(out)
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self, body: bool) -> Value {
        // A plain loop: an iterator chain here would be copied for every element type.
        let mut out = Vec::with_capacity(self.len());
        for item in self {
            out.push(item.to_json(body));
        }
        Value::Array(out)
    }
}

impl<T: ToJson> ToJson for Option<T> {
    /// `null` for `None`, which [`put`] leaves out.
    fn to_json(&self, body: bool) -> Value {
        match self {
            Some(value) => value.to_json(body),
            None => Value::Null,
        }
    }
}

/// A string enum of the model: read and written as its wire value.
pub trait StringEnum: for<'a> From<&'a str> + AsRef<str> {}

impl<T: StringEnum> FromJson for T {
    fn from_json(value: Value, reader: &mut Reader) -> Result<Self, JsonError> {
        match value {
            Value::String(text) => Ok(T::from(text.as_str())),
            other => Err(reader.expected("a string", &other)),
        }
    }
}

impl<T: StringEnum> ToJson for T {
    fn to_json(&self, _body: bool) -> Value {
        Value::from(self.as_ref())
    }
}

/// A timestamp member, required or optional, for the format modules below.
pub trait TimestampMember {
    /// Writes the timestamp with `write`, or `null` when an optional one is absent.
    fn write_with(&self, write: fn(&DateTime) -> Value) -> Value;
}

impl TimestampMember for DateTime {
    fn write_with(&self, write: fn(&DateTime) -> Value) -> Value {
        write(self)
    }
}

impl TimestampMember for Option<DateTime> {
    fn write_with(&self, write: fn(&DateTime) -> Value) -> Value {
        self.as_ref().map_or(Value::Null, write)
    }
}

/// Reads a timestamp in the given format.
fn read_timestamp(value: Value, reader: &Reader, format: Format) -> Result<DateTime, JsonError> {
    match format {
        Format::EpochSeconds => match value.as_f64() {
            Some(secs) if secs.is_finite() => Ok(DateTime::from_secs_f64(secs)),
            _ => Err(reader.expected("a number of seconds", &value)),
        },
        _ => read_text(value, reader, format),
    }
}

/// Timestamps as seconds since the Unix epoch (a JSON number), the body default of restJson1.
pub mod epoch_seconds {
    use super::*;

    /// The format.
    pub const FORMAT: Format = Format::EpochSeconds;

    /// Reads a number of seconds.
    pub fn read(value: Value, reader: &mut Reader) -> Result<DateTime, JsonError> {
        read_timestamp(value, reader, FORMAT)
    }

    fn write_one(value: &DateTime) -> Value {
        if value.has_subsec_nanos() {
            float_value(value.as_secs_f64())
        } else {
            Value::from(value.secs())
        }
    }

    /// Writes a number of seconds.
    pub fn write(value: &impl TimestampMember) -> Value {
        value.write_with(write_one)
    }
}

fn read_text(value: Value, reader: &Reader, format: Format) -> Result<DateTime, JsonError> {
    match &value {
        Value::String(text) => DateTime::from_str(text, format).map_err(|e| {
            let name = match format {
                Format::HttpDate => "an HTTP-date",
                _ => "an RFC 3339",
            };
            reader.error(format!("not {name} timestamp: {e}"))
        }),
        other => Err(reader.expected("a timestamp string", other)),
    }
}

fn write_text(value: &DateTime, format: Format) -> Value {
    // Formatting fails only for dates outside the years 0001 to 9999; such a value is written
    // as seconds rather than lost.
    value
        .fmt(format)
        .map_or_else(|_| Value::from(value.secs()), Value::from)
}

/// Timestamps as RFC 3339 strings (`@timestampFormat("date-time")`).
pub mod date_time {
    use super::*;

    /// The format.
    pub const FORMAT: Format = Format::DateTime;

    /// Reads an RFC 3339 string.
    pub fn read(value: Value, reader: &mut Reader) -> Result<DateTime, JsonError> {
        read_text(value, reader, Format::DateTime)
    }

    /// Writes an RFC 3339 string.
    pub fn write(value: &impl TimestampMember) -> Value {
        value.write_with(|t| write_text(t, Format::DateTime))
    }
}

/// Timestamps as HTTP-date strings (`@timestampFormat("http-date")`).
pub mod http_date {
    use super::*;

    /// The format.
    pub const FORMAT: Format = Format::HttpDate;

    /// Reads an HTTP-date string.
    pub fn read(value: Value, reader: &mut Reader) -> Result<DateTime, JsonError> {
        read_text(value, reader, Format::HttpDate)
    }

    /// Writes an HTTP-date string.
    pub fn write(value: &impl TimestampMember) -> Value {
        value.write_with(|t| write_text(t, Format::HttpDate))
    }
}

impl FromJson for DateTime {
    fn from_json(value: Value, reader: &mut Reader) -> Result<Self, JsonError> {
        epoch_seconds::read(value, reader)
    }
}

impl ToJson for DateTime {
    fn to_json(&self, _body: bool) -> Value {
        epoch_seconds::write(self)
    }
}

/// The value a required timestamp takes when a response leaves it out.
pub fn default_timestamp() -> DateTime {
    DateTime::from_secs(0)
}

#[cfg(test)]
mod tests;
