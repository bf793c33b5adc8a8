//! Whole JSON texts: checking their syntax, and parsing them into values where a value is what
//! is wanted (a document a person wrote, a Smithy `Document` member).

use std::collections::HashMap;

use aws_smithy_types::{Document, Number as DocumentNumber};
use serde_json::{Map, Number, Value};

use super::tokens::{Kind, Tokens};
use super::{excerpt, JsonError};

/// Checks that `text` is one JSON value and nothing more. With `documents`, a key given twice in
/// one object is an error too.
pub(super) fn check(text: &str, documents: bool) -> Result<(), JsonError> {
    if documents {
        return parse(text).map(drop);
    }
    let mut tokens = Tokens::new(text);
    tokens.skip_value()?;
    tokens.finish()
}

/// Parses `text` into a value, refusing a key given twice in one object.
pub(super) fn parse(text: &str) -> Result<Value, JsonError> {
    let mut tokens = Tokens::new(text);
    let value = value(&mut tokens)?;
    tokens.finish()?;
    Ok(value)
}

/// The next value. Nesting is bounded by the tokenizer, so the recursion is too.
fn value(tokens: &mut Tokens<'_>) -> Result<Value, JsonError> {
    Ok(match tokens.peek()? {
        Kind::Null => {
            tokens.null()?;
            Value::Null
        }
        Kind::Bool => Value::Bool(tokens.boolean()?),
        Kind::Number => {
            let text = tokens.number()?;
            Value::Number(match number(text) {
                Parsed::Unsigned(n) => Number::from(n),
                Parsed::Signed(n) => Number::from(n),
                Parsed::Float(f) => {
                    Number::from_f64(f).ok_or_else(|| tokens.syntax("number out of range"))?
                }
            })
        }
        Kind::String => Value::String(tokens.string()?.into_owned()),
        Kind::Array => {
            tokens.begin_array()?;
            let mut items = Vec::new();
            while tokens.next_element(items.is_empty())? {
                items.push(value(tokens)?);
            }
            Value::Array(items)
        }
        Kind::Object => {
            tokens.begin_object()?;
            let mut members = Map::new();
            while let Some(key) = tokens.next_key(members.is_empty())? {
                if members.contains_key(key.as_ref()) {
                    return Err(tokens.syntax(&format!(
                        "key `{}` appears twice in one object",
                        excerpt(&key)
                    )));
                }
                let item = value(tokens)?;
                members.insert(key.into_owned(), item);
            }
            Value::Object(members)
        }
    })
}

/// A JSON number as the value it most exactly is.
pub(super) enum Parsed {
    Unsigned(u64),
    Signed(i64),
    Float(f64),
}

/// A number's text (already checked against JSON's grammar) as an integer when it is written as
/// one and fits in 64 bits, else as a float (infinite when too large for one). `-0` is the float
/// `-0.0`, as `serde_json` reads it.
pub(super) fn number(text: &str) -> Parsed {
    if !text.contains(['.', 'e', 'E']) {
        if let Ok(n) = text.parse::<u64>() {
            return Parsed::Unsigned(n);
        }
        if let Ok(n) = text.parse::<i64>() {
            if n != 0 {
                return Parsed::Signed(n);
            }
        }
    }
    Parsed::Float(text.parse().unwrap_or(f64::NAN))
}

/// The next value as a Smithy document: integers as integers, other numbers as floats.
pub(super) fn document(tokens: &mut Tokens<'_>) -> Result<Document, JsonError> {
    Ok(match tokens.peek()? {
        Kind::Null => {
            tokens.null()?;
            Document::Null
        }
        Kind::Bool => Document::Bool(tokens.boolean()?),
        Kind::Number => Document::Number(match number(tokens.number()?) {
            Parsed::Unsigned(n) => DocumentNumber::PosInt(n),
            Parsed::Signed(n) => DocumentNumber::NegInt(n),
            Parsed::Float(f) if f.is_finite() => DocumentNumber::Float(f),
            Parsed::Float(_) => return Err(tokens.syntax("number out of range")),
        }),
        Kind::String => Document::String(tokens.string()?.into_owned()),
        Kind::Array => {
            tokens.begin_array()?;
            let mut items = Vec::new();
            while tokens.next_element(items.is_empty())? {
                items.push(document(tokens)?);
            }
            Document::Array(items)
        }
        Kind::Object => {
            tokens.begin_object()?;
            let mut members = HashMap::new();
            let mut first = true;
            while let Some(key) = tokens.next_key(first)? {
                first = false;
                let item = document(tokens)?;
                members.insert(key.into_owned(), item);
            }
            Document::Object(members)
        }
    })
}
