//! Smithy's own value types in JSON: blobs (base64 text), documents (any JSON value), big
//! numbers (JSON numbers) and string enums (their wire value).

use std::collections::HashMap;

use aws_smithy_types::{BigDecimal, BigInteger, Blob, Document, Number as DocumentNumber};

use super::{float_value, FromJson, JsonError, Map, Number, Reader, ToJson, Value};

impl FromJson for Blob {
    fn from_json(value: Value, reader: &mut Reader) -> Result<Self, JsonError> {
        match value {
            Value::String(text) => aws_smithy_types::base64::decode(&text)
                .map(Blob::new)
                .map_err(|e| reader.error(format!("not valid base64: {e}"))),
            other => Err(reader.expected("a base64 string", &other)),
        }
    }
}

impl ToJson for Blob {
    fn to_json(&self, _body: bool) -> Value {
        Value::String(aws_smithy_types::base64::encode(self.as_ref()))
    }
}

impl FromJson for Document {
    /// `null` is a document of its own.
    const NULLABLE: bool = true;

    fn from_json(value: Value, _reader: &mut Reader) -> Result<Self, JsonError> {
        Ok(document_from(value))
    }
}

impl ToJson for Document {
    fn to_json(&self, _body: bool) -> Value {
        document_to(self)
    }
}

/// A document from JSON text: a `@default` document value, which the generator writes as text.
/// Text that is not JSON (which the generator never writes) reads as `null`.
pub fn document(text: &str) -> Document {
    serde_json::from_str(text).map_or(Document::Null, document_from)
}

/// A document from a JSON value: integers as integers, other numbers as floats.
pub(crate) fn document_from(value: Value) -> Document {
    match value {
        Value::Null => Document::Null,
        Value::Bool(b) => Document::Bool(b),
        Value::Number(n) => Document::Number(if let Some(u) = n.as_u64() {
            DocumentNumber::PosInt(u)
        } else if let Some(i) = n.as_i64() {
            DocumentNumber::NegInt(i)
        } else {
            DocumentNumber::Float(n.as_f64().unwrap_or(f64::NAN))
        }),
        Value::String(s) => Document::String(s),
        Value::Array(items) => Document::Array(items.into_iter().map(document_from).collect()),
        Value::Object(entries) => Document::Object(
            entries
                .into_iter()
                .map(|(k, v)| (k, document_from(v)))
                .collect::<HashMap<_, _>>(),
        ),
    }
}

fn document_to(document: &Document) -> Value {
    match document {
        Document::Null => Value::Null,
        Document::Bool(b) => Value::Bool(*b),
        Document::Number(DocumentNumber::PosInt(u)) => Value::from(*u),
        Document::Number(DocumentNumber::NegInt(i)) => Value::from(*i),
        Document::Number(DocumentNumber::Float(f)) => float_value(*f),
        Document::String(s) => Value::String(s.clone()),
        Document::Array(items) => Value::Array(items.iter().map(document_to).collect()),
        Document::Object(entries) => {
            let mut out = Map::new();
            for (k, v) in entries {
                out.insert(k.clone(), document_to(v));
            }
            Value::Object(out)
        }
    }
}

/// Reads a big number from a JSON number (or, in a document, its text). JSON numbers are held
/// as 64-bit values on their way in, so digits beyond that precision are not kept.
fn big_number<T: std::str::FromStr>(
    value: Value,
    reader: &Reader,
    integer: bool,
) -> Result<T, JsonError>
where
    T::Err: std::fmt::Display,
{
    let text = match &value {
        Value::Number(n) if integer && !(n.is_i64() || n.is_u64()) => {
            return Err(reader.error(format!("expected an integer, found {n}")))
        }
        Value::Number(n) => n.to_string(),
        Value::String(text) if !reader.is_body() => text.clone(),
        other => return Err(reader.expected("a number", other)),
    };
    text.parse()
        .map_err(|e| reader.error(format!("not a number: {e}")))
}

/// Writes a big number as a JSON number; text JSON cannot hold (which `FromStr` refused) is
/// written as a string.
fn big_number_value(text: &str) -> Value {
    serde_json::from_str::<Number>(text).map_or_else(|_| Value::from(text), Value::Number)
}

impl FromJson for BigInteger {
    fn from_json(value: Value, reader: &mut Reader) -> Result<Self, JsonError> {
        big_number(value, reader, true)
    }
}

impl ToJson for BigInteger {
    fn to_json(&self, _body: bool) -> Value {
        big_number_value(self.as_ref())
    }
}

impl FromJson for BigDecimal {
    fn from_json(value: Value, reader: &mut Reader) -> Result<Self, JsonError> {
        big_number(value, reader, false)
    }
}

impl ToJson for BigDecimal {
    fn to_json(&self, _body: bool) -> Value {
        big_number_value(self.as_ref())
    }
}

/// Reads a string enum of the model from its wire value (what `json_string_enum!` expands to).
pub fn read_string_enum<T: for<'a> From<&'a str>>(
    value: Value,
    reader: &Reader,
) -> Result<T, JsonError> {
    match value {
        Value::String(text) => Ok(T::from(text.as_str())),
        other => Err(reader.expected("a string", &other)),
    }
}

/// Writes a string enum of the model as its wire value.
pub fn write_string_enum(value: &str) -> Value {
    Value::from(value)
}
