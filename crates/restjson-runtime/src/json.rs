//! The service's shapes as JSON, member by member, read and written as text.
//!
//! Every generated structure and union implements [`FromJson`] and [`ToJson`], and so does every
//! enum. Reading pulls tokens from the text ([`Reader`], over a tokenizer): a string is unescaped
//! once into the member's `String`, a number parsed where it stands, and a member nobody reads is
//! skipped without building anything. Writing appends to one buffer ([`Writer`]): each value
//! writes itself, and an absent member is not written. The same code serves two kinds of
//! documents:
//!
//! - message bodies ([`from_body`], [`to_body`]): members go by their JSON names (`@jsonName`,
//!   else the member name); members the model does not know are skipped, since a newer service
//!   may send them, and members bound to the URI, query string or headers are not read from the
//!   body;
//! - documents written by a person ([`from_str`]), such as the command line's input files:
//!   members go by their model names, every member counts, every key the model does not know is
//!   an error that names where it is (`users[0].frstName`), so a misspelled member is never
//!   dropped quietly, and a key given twice is an error. Timestamps may be written as seconds
//!   since the epoch or as text in the member's format, and blobs as base64.
//!
//! In both, a `null` member reads as absent. A `null` element of a list or map is kept as `None`
//! when the collection is `@sparse`; in a dense one it is skipped in a body and refused in a
//! document. The code is shared, non-generic where it can be, so that the generated structures
//! stay small: each one only lists its members and their names.

mod collections;
mod document_text;
mod reader;
mod scalars;
mod smithy_types;
mod timestamps;
mod tokens;
mod union;
mod writer;

pub use collections::MapKey;
pub use reader::{Members, ReadInto, Reader, Slot};
pub(crate) use smithy_types::document_from;
pub use smithy_types::{document, read_string_enum, write_string_enum};
pub(crate) use timestamps::reading as reading_format;
pub use timestamps::{
    date_time, default_timestamp, epoch_seconds, http_date, put_timestamps, ReadTimestamps,
    Timestamps,
};
pub use tokens::Kind;
pub use writer::Writer;

use std::fmt;

// Re-exported for the functions that take and give parsed values.
pub use serde_json::{Map, Value};

/// A value that can be read from JSON.
pub trait FromJson: Sized {
    /// Whether `null` is a value of the type (an element of a `@sparse` list or map, read as
    /// `None`) rather than the absence of one.
    const NULLABLE: bool = false;

    /// Reads the next value; `reader` knows where in the document it is and how strict to be.
    fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError>;
}

/// A value that can be written as JSON.
pub trait ToJson {
    /// Writes the value. When `writer` writes a message body, members that travel outside it
    /// (URI labels, query parameters, headers) are left out; otherwise every member is written.
    fn to_json(&self, writer: &mut Writer);

    /// Whether the value is absent (an unset optional member, a union of a kind this version
    /// does not know): an object leaves such a member out.
    fn is_absent(&self) -> bool {
        false
    }
}

/// Writes the member `name` of the object being written, unless it is absent.
#[inline(never)]
pub fn put(writer: &mut Writer, name: &str, value: &dyn ToJson) {
    if !value.is_absent() {
        writer.key(name);
        value.to_json(writer);
    }
}

/// Reads a message body: members by their JSON names, unknown ones skipped. When the body does
/// not read, a syntax error anywhere in it is named before a value of the wrong kind, as a
/// reader that parsed the whole text first would.
pub fn from_body<T: FromJson>(body: &[u8]) -> Result<T, JsonError> {
    // Only the call to `from_json` depends on `T`: the rest is out of line, compiled once.
    let text = utf8(body)?;
    let mut reader = Reader::new(text, true);
    match T::from_json(&mut reader) {
        Ok(value) => body_end(&mut reader, text).map(|()| value),
        Err(e) => Err(body_error(text, e)),
    }
}

/// Checks that nothing but whitespace follows the body's value.
#[inline(never)]
fn body_end(reader: &mut Reader<'_>, text: &str) -> Result<(), JsonError> {
    reader.finish().map_err(|e| body_error(text, e))
}

/// The error to report for a body that did not read: a syntax error anywhere in it, else `e`.
#[cold]
#[inline(never)]
fn body_error(text: &str, e: JsonError) -> JsonError {
    match document_text::check(text, false) {
        Err(syntax) => syntax,
        Ok(()) => e,
    }
}

/// Writes a message body: members by their JSON names, those bound outside the body left out.
pub fn to_body(value: &dyn ToJson) -> Vec<u8> {
    let mut writer = Writer::new(true);
    value.to_json(&mut writer);
    writer.into_bytes()
}

fn utf8(bytes: &[u8]) -> Result<&str, JsonError> {
    std::str::from_utf8(bytes)
        .map_err(|e| JsonError::syntax(format!("not UTF-8 text from byte {}", e.valid_up_to())))
}

/// Reads a document written by a person: every member of `T` by its model name, and every key
/// that is not a member is an error. Unknown keys are all listed, not just the first. A key given
/// twice in one object is an error too, since only one of its values could be kept.
pub fn from_str<T: FromJson>(text: &str) -> Result<T, JsonError> {
    document_text::check(text, true).map_err(JsonError::not_json)?;
    read_document(text)
}

/// Reads a document already checked: see [`from_str`].
fn read_document<T: FromJson>(text: &str) -> Result<T, JsonError> {
    let mut reader = Reader::new(text, false);
    let out = T::from_json(&mut reader)?;
    reader.finish()?;
    match reader.unknown.len() {
        0 => Ok(out),
        n => Err(JsonError::at(
            String::new(),
            format!(
                "unknown member{} {} (members use the model's names, e.g. networkId)",
                if n == 1 { "" } else { "s" },
                reader.unknown.join(", ")
            ),
        )),
    }
}

/// Parses a document written by a person into a value, refusing a key given twice in one object
/// (a plain `serde_json::from_str` keeps the last value without a word).
pub fn parse_document(text: &str) -> Result<Value, JsonError> {
    document_text::parse(text).map_err(JsonError::not_json)
}

/// Like [`from_str`], from a parsed value.
pub fn from_value<T: FromJson>(value: Value) -> Result<T, JsonError> {
    read_document(&value.to_string())
}

/// Writes every member of `value` (including those that travel outside a message body) under
/// its model name, as [`from_value`] reads it back.
pub fn to_value<T: ToJson + ?Sized>(value: &T) -> Value {
    let mut writer = Writer::new(false);
    value.to_json(&mut writer);
    let text = writer.into_bytes();
    // The writer writes JSON; a value that cannot be read back (none can) reads as `null`.
    std::str::from_utf8(&text)
        .ok()
        .and_then(|text| document_text::parse(text).ok())
        .unwrap_or(Value::Null)
}

/// Why a JSON value could not be read: where it is and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    path: String,
    message: String,
}

impl JsonError {
    pub(crate) fn at(path: String, message: String) -> Self {
        Self { path, message }
    }

    /// An error in the text itself, which no value is read from.
    pub(crate) fn syntax(message: String) -> Self {
        Self {
            path: String::new(),
            message,
        }
    }

    /// A document's syntax error, said as such.
    fn not_json(self) -> Self {
        Self {
            path: self.path,
            message: format!("not valid JSON: {}", self.message),
        }
    }

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

#[cfg(test)]
mod tests;
