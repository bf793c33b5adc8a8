//! Strings, booleans, integers and floating-point numbers.

use super::document_text::{number, Parsed};
use super::tokens::Kind;
use super::{excerpt, FromJson, JsonError, Reader, ToJson, Writer};

impl FromJson for String {
    fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
        reader.string().map(|text| text.into_owned())
    }
}

impl ToJson for String {
    fn to_json(&self, writer: &mut Writer) {
        writer.string(self);
    }
}

impl FromJson for bool {
    fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
        reader.boolean()
    }
}

impl ToJson for bool {
    fn to_json(&self, writer: &mut Writer) {
        writer.boolean(*self);
    }
}

/// An integer that fits in `min..=max`.
fn integer(reader: &mut Reader<'_>, min: i64, max: i64) -> Result<i64, JsonError> {
    let text = reader.number("an integer")?;
    match number(text) {
        Parsed::Unsigned(n) => match i64::try_from(n) {
            Ok(n) if n <= max => Ok(n),
            _ => Err(out_of_range(reader, min, max, text)),
        },
        Parsed::Signed(n) if n >= min => Ok(n),
        Parsed::Signed(_) => Err(out_of_range(reader, min, max, text)),
        Parsed::Float(_) if text.contains(['.', 'e', 'E']) || text == "-0" => {
            Err(reader.error(format!("expected an integer, found {}", excerpt(text))))
        }
        // Written as an integer, too large for 64 bits.
        Parsed::Float(_) => Err(out_of_range(reader, min, max, text)),
    }
}

fn out_of_range(reader: &Reader<'_>, min: i64, max: i64, text: &str) -> JsonError {
    reader.error(format!(
        "expected an integer from {min} to {max}, found {}",
        excerpt(text)
    ))
}

macro_rules! json_integers {
    ($($t:ty),*) => {$(
        impl FromJson for $t {
            fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
                let n = integer(reader, <$t>::MIN.into(), <$t>::MAX.into())?;
                // In range by the check above.
                Ok(n as $t)
            }
        }
        impl ToJson for $t {
            fn to_json(&self, writer: &mut Writer) {
                writer.integer((*self).into());
            }
        }
    )*};
}
json_integers!(i8, i16, i32, i64);

/// A floating-point number: a JSON number, or `"NaN"`, `"Infinity"` or `"-Infinity"`.
pub(super) fn float(reader: &mut Reader<'_>) -> Result<f64, JsonError> {
    match reader.peek()? {
        Kind::Number => {
            let text = reader.number("a number")?;
            match text.parse::<f64>() {
                Ok(f) if f.is_finite() => Ok(f),
                _ => Err(reader.error(format!("number out of range: {}", excerpt(text)))),
            }
        }
        Kind::String => {
            let text = reader.string()?;
            match text.as_ref() {
                "NaN" => Ok(f64::NAN),
                "Infinity" => Ok(f64::INFINITY),
                "-Infinity" => Ok(f64::NEG_INFINITY),
                _ => Err(reader.error(format!(
                    "expected a number, found the string {:?}",
                    excerpt(&text)
                ))),
            }
        }
        _ => Err(reader.expected("a number")),
    }
}

impl FromJson for f64 {
    fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
        float(reader)
    }
}

impl FromJson for f32 {
    fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
        // Narrowing to the member's precision is what the model asks for.
        float(reader).map(|f| f as f32)
    }
}

impl ToJson for f64 {
    fn to_json(&self, writer: &mut Writer) {
        writer.float(*self);
    }
}

impl ToJson for f32 {
    fn to_json(&self, writer: &mut Writer) {
        // Through the shortest text that reads back as the same f32, so 0.1 is written as 0.1
        // rather than as the f64 nearest to the f32 (0.10000000149011612).
        writer.float(self.to_string().parse::<f64>().unwrap_or(f64::from(*self)));
    }
}
