//! Timestamps in their three formats, alone or in lists and maps.
//!
//! A timestamp's format belongs to the member (or list or map member) that holds it, so a
//! structure names the format of each timestamp member and the value is read and written
//! through [`Timestamps`], which knows how to reach every timestamp inside a list, map or
//! optional value. In a message body a timestamp must be in its format; a person writing a
//! document may also give seconds since the epoch as a number.

use std::collections::HashMap;

use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;

use super::collections::{read_elements, read_entries, MapKey};
use super::{float_value, FromJson, JsonError, Reader, ToJson, Value};

/// A timestamp, or a value holding timestamps (a list or map of them, an optional one), that is
/// read and written in a format the member chooses.
pub trait Timestamps: Sized {
    /// Whether `null` is a value (an element of a `@sparse` collection).
    const NULLABLE: bool = false;

    /// Reads the value with every timestamp in `format`.
    fn read_timestamps(
        value: Value,
        reader: &mut Reader,
        format: Format,
    ) -> Result<Self, JsonError>;

    /// Writes the value with every timestamp in `format`; `null` for an absent one.
    fn write_timestamps(&self, format: Format) -> Value;
}

impl Timestamps for DateTime {
    fn read_timestamps(
        value: Value,
        reader: &mut Reader,
        format: Format,
    ) -> Result<Self, JsonError> {
        read_timestamp(value, reader, format)
    }

    fn write_timestamps(&self, format: Format) -> Value {
        write_timestamp(self, format)
    }
}

impl<T: Timestamps> Timestamps for Option<T> {
    const NULLABLE: bool = true;

    fn read_timestamps(
        value: Value,
        reader: &mut Reader,
        format: Format,
    ) -> Result<Self, JsonError> {
        if value.is_null() {
            Ok(None)
        } else {
            T::read_timestamps(value, reader, format).map(Some)
        }
    }

    fn write_timestamps(&self, format: Format) -> Value {
        self.as_ref()
            .map_or(Value::Null, |value| value.write_timestamps(format))
    }
}

impl<T: Timestamps> Timestamps for Vec<T> {
    fn read_timestamps(
        value: Value,
        reader: &mut Reader,
        format: Format,
    ) -> Result<Self, JsonError> {
        read_elements(value, reader, T::NULLABLE, |v, r| {
            T::read_timestamps(v, r, format)
        })
    }

    fn write_timestamps(&self, format: Format) -> Value {
        Value::Array(self.iter().map(|t| t.write_timestamps(format)).collect())
    }
}

impl<K: MapKey, T: Timestamps> Timestamps for HashMap<K, T> {
    fn read_timestamps(
        value: Value,
        reader: &mut Reader,
        format: Format,
    ) -> Result<Self, JsonError> {
        read_entries(value, reader, T::NULLABLE, |v, r| {
            T::read_timestamps(v, r, format)
        })
    }

    fn write_timestamps(&self, format: Format) -> Value {
        let mut out = super::Map::new();
        for (key, value) in self {
            out.insert(key.as_key().to_owned(), value.write_timestamps(format));
        }
        Value::Object(out)
    }
}

/// A structure member's slot for timestamps: reads the member's value in its format.
pub trait ReadTimestamps {
    /// Reads `value` and keeps it.
    fn read_timestamps(
        &mut self,
        value: Value,
        reader: &mut Reader,
        format: Format,
    ) -> Result<(), JsonError>;
}

impl<T: Timestamps> ReadTimestamps for Option<T> {
    fn read_timestamps(
        &mut self,
        value: Value,
        reader: &mut Reader,
        format: Format,
    ) -> Result<(), JsonError> {
        *self = Some(T::read_timestamps(value, reader, format)?);
        Ok(())
    }
}

/// Reads one timestamp in the given format. A document may give any timestamp as a number of
/// seconds.
fn read_timestamp(value: Value, reader: &Reader, format: Format) -> Result<DateTime, JsonError> {
    match (&value, format) {
        (Value::Number(_), _) if format == Format::EpochSeconds || !reader.is_body() => {
            match value.as_f64() {
                Some(secs) if secs.is_finite() => Ok(DateTime::from_secs_f64(secs)),
                _ => Err(reader.expected("a number of seconds", &value)),
            }
        }
        (_, Format::EpochSeconds) => Err(reader.expected("a number of seconds", &value)),
        (Value::String(text), _) => DateTime::from_str(text, reading(format)).map_err(|e| {
            let name = match format {
                Format::HttpDate => "an HTTP-date",
                _ => "an RFC 3339",
            };
            reader.error(format!("not {name} timestamp: {e}"))
        }),
        (other, _) => Err(reader.expected("a timestamp string", other)),
    }
}

/// How text in a format is read: RFC 3339 with any UTC offset (`+01:00` as well as `Z`), as
/// clients must accept, though they only write `Z`.
pub(crate) fn reading(format: Format) -> Format {
    match format {
        Format::DateTime => Format::DateTimeWithOffset,
        other => other,
    }
}

fn write_timestamp(value: &DateTime, format: Format) -> Value {
    match format {
        Format::EpochSeconds if value.has_subsec_nanos() => float_value(value.as_secs_f64()),
        Format::EpochSeconds => Value::from(value.secs()),
        // Formatting fails only for dates outside the years 0001 to 9999; such a value is
        // written as seconds rather than lost.
        _ => value
            .fmt(format)
            .map_or_else(|_| Value::from(value.secs()), Value::from),
    }
}

macro_rules! format_module {
    ($(#[$doc:meta])* $name:ident, $format:ident, $what:literal) => {
        $(#[$doc])*
        pub mod $name {
            use super::*;

            /// The format.
            pub const FORMAT: Format = Format::$format;

            #[doc = concat!("Reads ", $what, ".")]
            pub fn read(value: Value, reader: &mut Reader) -> Result<DateTime, JsonError> {
                read_timestamp(value, reader, FORMAT)
            }

            #[doc = concat!("Writes ", $what, " (`null` for an absent optional one).")]
            pub fn write(value: &impl Timestamps) -> Value {
                value.write_timestamps(FORMAT)
            }
        }
    };
}

format_module!(
    /// Timestamps as seconds since the Unix epoch (a JSON number), the body default of restJson1.
    epoch_seconds,
    EpochSeconds,
    "a number of seconds"
);
format_module!(
    /// Timestamps as RFC 3339 strings (`@timestampFormat("date-time")`).
    date_time,
    DateTime,
    "an RFC 3339 string"
);
format_module!(
    /// Timestamps as HTTP-date strings (`@timestampFormat("http-date")`).
    http_date,
    HttpDate,
    "an HTTP-date string"
);

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
