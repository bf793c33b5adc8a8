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
use serde_json::{Map, Number, Value};

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
    let Document(value) = serde_json::from_str(text).map_err(|e| JsonError {
        path: String::new(),
        message: format!("not valid JSON: {e}"),
    })?;
    from_value(value)
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

    /// Notes a key that is not a member: skipped in a body, reported in a document.
    pub fn unknown(&mut self, key: &str) {
        if !self.body {
            let parent = self.path();
            self.unknown.push(if parent.is_empty() {
                key.to_owned()
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
            _ => Err(reader.error(format!("expected a number, found the string {text:?}"))),
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
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_name_the_value_in_error() {
        let mut reader = Reader::body();
        let err = Vec::<Vec<String>>::from_json(json!([["a"], ["b", 3]]), &mut reader)
            .expect_err("3 is not a string");
        assert_eq!(err.path(), "[1][1]");
        assert_eq!(err.to_string(), "[1][1]: expected a string, found a number");
    }

    #[test]
    fn integers_are_range_checked() {
        let mut reader = Reader::body();
        assert_eq!(i32::from_json(json!(-7), &mut reader), Ok(-7));
        let err = i32::from_json(json!(3_000_000_000u64), &mut reader).expect_err("too big");
        assert!(err.message().contains("-2147483648 to 2147483647"), "{err}");
        let err = i64::from_json(json!(1.5), &mut reader).expect_err("not whole");
        assert_eq!(err.message(), "expected an integer, found 1.5");
        let err = i64::from_json(json!(u64::MAX), &mut reader).expect_err("too big");
        assert!(
            err.message().ends_with("found 18446744073709551615"),
            "{err}"
        );
        assert!(i8::from_json(json!("1"), &mut reader).is_err());
    }

    #[test]
    fn f32_is_written_as_its_own_shortest_text() {
        assert_eq!(0.1f32.to_json(true), json!(0.1));
        assert_eq!(f32::from_json(json!(0.1), &mut Reader::body()), Ok(0.1f32));
    }

    #[test]
    fn documents_refuse_null_list_elements_and_name_timestamp_formats() {
        let err = Vec::<String>::from_json(json!(["a", null]), &mut Reader::document())
            .expect_err("null element");
        assert_eq!(err.to_string(), "[1]: null is not a valid list element");
        let err = date_time::read(json!("Tue, 14 Nov 2023 22:13:20 GMT"), &mut Reader::body())
            .expect_err("not RFC 3339");
        assert!(
            err.message().starts_with("not an RFC 3339 timestamp"),
            "{err}"
        );
        let err = http_date::read(json!("2023-11-14T22:13:20Z"), &mut Reader::body())
            .expect_err("not an HTTP-date");
        assert!(
            err.message().starts_with("not an HTTP-date timestamp"),
            "{err}"
        );
    }

    #[test]
    fn documents_refuse_a_key_given_twice() {
        let err = from_str::<Vec<String>>(r#"[{"a": 1}, {"b": 1, "b": 2}]"#).expect_err("twice");
        assert!(
            err.to_string()
                .starts_with("not valid JSON: key `b` appears twice in one object"),
            "{err}"
        );
        // Nested and equal keys in different objects are fine.
        let Document(value) =
            serde_json::from_str(r#"{"a": {"a": [1, 2.5, "x", null, true]}}"#).expect("valid");
        assert_eq!(value, json!({"a": {"a": [1, 2.5, "x", null, true]}}));
    }

    #[test]
    fn floats_and_timestamps_round_trip() {
        let mut reader = Reader::body();
        for v in [1.5, f64::INFINITY, f64::NEG_INFINITY] {
            let back = f64::from_json(v.to_json(true), &mut reader).expect("reads");
            assert_eq!(back, v);
        }
        assert!(f64::from_json(f64::NAN.to_json(true), &mut reader)
            .expect("reads")
            .is_nan());
        let t = DateTime::from_secs_f64(1_700_000_000.25);
        assert_eq!(epoch_seconds::write(&t), json!(1_700_000_000.25));
        assert_eq!(
            epoch_seconds::read(json!(1_700_000_000.25), &mut reader),
            Ok(t)
        );
        let whole = DateTime::from_secs(1_700_000_000);
        assert_eq!(date_time::write(&whole), json!("2023-11-14T22:13:20Z"));
        assert_eq!(
            date_time::read(json!("2023-11-14T22:13:20Z"), &mut reader),
            Ok(whole)
        );
        assert_eq!(
            http_date::write(&Some(whole)),
            json!("Tue, 14 Nov 2023 22:13:20 GMT")
        );
        assert_eq!(http_date::write(&None::<DateTime>), Value::Null);
        assert!(date_time::read(json!("yesterday"), &mut reader).is_err());
        assert!(epoch_seconds::read(json!("1"), &mut reader).is_err());
    }

    #[test]
    fn null_members_and_elements_read_as_absent() {
        let mut reader = Reader::body();
        assert_eq!(
            Vec::<String>::from_json(json!(["x", null, "y"]), &mut reader),
            Ok(vec!["x".to_owned(), "y".to_owned()])
        );
        let mut map = Map::new();
        put(&mut map, "gone", &None::<String>, true);
        put(&mut map, "kept", &Some(3), true);
        put_value(&mut map, "null", Value::Null);
        assert_eq!(Value::Object(map), json!({"kept": 3}));
    }

    #[test]
    fn unknown_keys_are_reported_only_in_documents() {
        let mut body = Reader::body();
        body.steps.push(Step::Member("users"));
        body.steps.push(Step::Index(2));
        body.unknown("frstName");
        assert!(body.unknown.is_empty());
        let mut doc = Reader::document();
        doc.steps.push(Step::Member("users"));
        doc.steps.push(Step::Index(2));
        doc.unknown("frstName");
        assert_eq!(doc.unknown, ["users[2].frstName"]);
    }
}

// The generated macros, compiled once more (on purpose) for the test below.
#[cfg(test)]
#[macro_use]
#[allow(unused_macros, clippy::duplicate_mod)]
#[path = "generated/macros.rs"]
mod generated_macros;

/// `json_struct!` on a structure that uses every member mode, including those the service's model
/// does not need (a member that must be present, timestamp formats, a fallback with a format).
#[cfg(test)]
mod json_struct_modes {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq)]
    struct Thing {
        name: Option<String>,
        count: i32,
        label: String,
        id: String,
        seen: Option<DateTime>,
        at: DateTime,
        token: Option<String>,
        extra: u8,
    }

    fn default_label() -> String {
        "none".to_owned()
    }

    mod builders {
        use super::*;

        #[derive(Default)]
        pub struct ThingBuilder {
            pub(crate) name: Option<String>,
            pub(crate) count: Option<i32>,
            pub(crate) label: Option<String>,
            pub(crate) id: Option<String>,
            pub(crate) seen: Option<DateTime>,
            pub(crate) at: Option<DateTime>,
            pub(crate) token: Option<String>,
        }
    }

    json_struct!(
        Thing ThingBuilder [extra] {
            name "name", count "count"[= Default::default], label "Label"[= default_label],
            id "id"[!], seen "seen"[as date_time],
            at "at"[as http_date = crate::json::default_timestamp]
        } { token "X-Token" }
    );

    const WHEN: i64 = 1_700_000_000;

    #[test]
    fn a_body_reads_every_mode_and_skips_what_it_does_not_carry() {
        let body = json!({
            "name": "n", "count": 3, "Label": "L", "id": "i",
            "seen": "2023-11-14T22:13:20Z", "at": "Tue, 14 Nov 2023 22:13:20 GMT",
            "X-Token": "not in a body", "newer": 1
        });
        let thing = Thing::from_json(body, &mut Reader::body()).expect("reads");
        assert_eq!(
            thing,
            Thing {
                name: Some("n".into()),
                count: 3,
                label: "L".into(),
                id: "i".into(),
                seen: Some(DateTime::from_secs(WHEN)),
                at: DateTime::from_secs(WHEN),
                token: None,
                extra: 0,
            }
        );
        let sparse =
            Thing::from_json(json!({"id": "i", "name": null}), &mut Reader::body()).expect("reads");
        assert_eq!((sparse.name, sparse.count), (None, 0));
        assert_eq!(sparse.label, "none");
        assert_eq!(sparse.at, DateTime::from_secs(0));
        let err = Thing::from_json(json!({"name": "n"}), &mut Reader::body()).expect_err("no id");
        assert_eq!(err.to_string(), "required member `id` is missing");
        let err = Thing::from_json(json!({"id": "i", "seen": 5}), &mut Reader::body())
            .expect_err("not a string");
        assert_eq!(
            err.to_string(),
            "seen: expected a timestamp string, found a number"
        );
    }

    #[test]
    fn a_document_reads_and_writes_the_members_outside_the_body() {
        let thing: Thing = from_value(json!({"id": "i", "X-Token": "t"})).expect("reads");
        assert_eq!(thing.token.as_deref(), Some("t"));
        let err = from_value::<Thing>(json!({"id": "i", "newer": 1})).expect_err("unknown key");
        assert!(err.to_string().starts_with("unknown member newer"), "{err}");
        let thing = Thing {
            seen: Some(DateTime::from_secs(WHEN)),
            at: DateTime::from_secs(WHEN),
            ..thing
        };
        let everything = json!({
            "count": 0, "Label": "none", "id": "i", "seen": "2023-11-14T22:13:20Z",
            "at": "Tue, 14 Nov 2023 22:13:20 GMT", "X-Token": "t"
        });
        assert_eq!(to_value(&thing), everything);
        let mut body = everything;
        body.as_object_mut().map(|m| m.remove("X-Token"));
        assert_eq!(thing.to_json(true), body);
    }
}
