//! Smithy's own value types in JSON: blobs (base64 text), documents (any JSON value), big
//! numbers (JSON numbers) and string enums (their wire value).

use std::collections::HashMap;

use aws_smithy_types::{BigDecimal, BigInteger, Blob, Document, Number as DocumentNumber};

use super::document_text::{self};
use super::tokens::{Kind, Tokens};
use super::{excerpt, FromJson, JsonError, Reader, ToJson, Value, Writer};

impl FromJson for Blob {
    fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
        if reader.peek()? != Kind::String {
            return Err(reader.expected("a base64 string"));
        }
        let text = reader.string()?;
        aws_smithy_types::base64::decode(text.as_ref())
            .map(Blob::new)
            .map_err(|e| reader.error(format!("not valid base64: {e}")))
    }
}

impl ToJson for Blob {
    fn to_json(&self, writer: &mut Writer) {
        writer.string(&aws_smithy_types::base64::encode(self.as_ref()));
    }
}

impl FromJson for Document {
    /// `null` is a document of its own.
    const NULLABLE: bool = true;

    fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
        document_text::document(reader.tokens())
    }
}

impl ToJson for Document {
    fn to_json(&self, writer: &mut Writer) {
        write_document(self, writer);
    }
}

/// A document from JSON text: a `@default` document value, which the generator writes as text.
/// Text that is not JSON (which the generator never writes) reads as `null`.
pub fn document(text: &str) -> Document {
    let mut tokens = Tokens::new(text);
    match document_text::document(&mut tokens) {
        Ok(document) if tokens.finish().is_ok() => document,
        _ => Document::Null,
    }
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

fn write_document(document: &Document, writer: &mut Writer) {
    match document {
        Document::Null => writer.null(),
        Document::Bool(b) => writer.boolean(*b),
        Document::Number(DocumentNumber::PosInt(u)) => writer.unsigned(*u),
        Document::Number(DocumentNumber::NegInt(i)) => writer.integer(*i),
        Document::Number(DocumentNumber::Float(f)) => writer.float(*f),
        Document::String(s) => writer.string(s),
        Document::Array(items) => {
            writer.begin_array();
            for item in items {
                write_document(item, writer);
            }
            writer.end_array();
        }
        Document::Object(entries) => {
            writer.begin_object();
            for (k, v) in entries {
                writer.key(k);
                write_document(v, writer);
            }
            writer.end_object();
        }
    }
}

/// Reads a big number from a JSON number (or, in a document, its text), every digit kept.
fn big_number<T: std::str::FromStr>(
    reader: &mut Reader<'_>,
    integer: bool,
) -> Result<T, JsonError> {
    let text = match reader.peek()? {
        Kind::Number => {
            let text = reader.number("a number")?;
            if integer && text.contains(['.', 'e', 'E']) {
                return Err(reader.error(format!("expected an integer, found {}", excerpt(text))));
            }
            std::borrow::Cow::Borrowed(text)
        }
        Kind::String if !reader.is_body() => reader.string()?,
        _ => return Err(reader.expected("a number")),
    };
    // The parse error repeats the whole text: the message shows only its start.
    text.parse()
        .map_err(|_| reader.error(format!("not a number: {}", excerpt(&text))))
}

impl FromJson for BigInteger {
    fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
        big_number(reader, true)
    }
}

impl ToJson for BigInteger {
    fn to_json(&self, writer: &mut Writer) {
        writer.number_text(self.as_ref());
    }
}

impl FromJson for BigDecimal {
    fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
        big_number(reader, false)
    }
}

impl ToJson for BigDecimal {
    fn to_json(&self, writer: &mut Writer) {
        writer.number_text(self.as_ref());
    }
}

/// Reads a string enum of the model from its wire value (what `json_string_enum!` expands to).
pub fn read_string_enum<T: for<'a> From<&'a str>>(reader: &mut Reader<'_>) -> Result<T, JsonError> {
    reader.string().map(|text| T::from(text.as_ref()))
}

/// Writes a string enum of the model as its wire value.
pub fn write_string_enum(value: &str, writer: &mut Writer) {
    writer.string(value);
}
