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

use super::collections::MapKey;
use super::tokens::Kind;
use super::{FromJson, JsonError, Reader, ToJson, Writer};

/// A timestamp, or a value holding timestamps (a list or map of them, an optional one), that is
/// read and written in a format the member chooses.
pub trait Timestamps: Sized {
    /// Whether `null` is a value (an element of a `@sparse` collection).
    const NULLABLE: bool = false;

    /// Reads the value with every timestamp in `format`.
    fn read_timestamps(reader: &mut Reader<'_>, format: Format) -> Result<Self, JsonError>;

    /// Writes the value with every timestamp in `format`; `null` for an absent one.
    fn write_timestamps(&self, writer: &mut Writer, format: Format);

    /// Whether the value is absent (an unset optional one): an object leaves it out.
    fn timestamps_absent(&self) -> bool {
        false
    }
}

impl Timestamps for DateTime {
    fn read_timestamps(reader: &mut Reader<'_>, format: Format) -> Result<Self, JsonError> {
        read_timestamp(reader, format)
    }

    fn write_timestamps(&self, writer: &mut Writer, format: Format) {
        write_timestamp(self, writer, format);
    }
}

impl<T: Timestamps> Timestamps for Option<T> {
    const NULLABLE: bool = true;

    fn read_timestamps(reader: &mut Reader<'_>, format: Format) -> Result<Self, JsonError> {
        if reader.null()? {
            Ok(None)
        } else {
            T::read_timestamps(reader, format).map(Some)
        }
    }

    fn write_timestamps(&self, writer: &mut Writer, format: Format) {
        match self {
            Some(value) => value.write_timestamps(writer, format),
            None => writer.null(),
        }
    }

    fn timestamps_absent(&self) -> bool {
        self.is_none()
    }
}

impl<T: Timestamps> Timestamps for Vec<T> {
    fn read_timestamps(reader: &mut Reader<'_>, format: Format) -> Result<Self, JsonError> {
        let mut out = Vec::new();
        reader.elements(T::NULLABLE, &mut |r| {
            out.push(T::read_timestamps(r, format)?);
            Ok(())
        })?;
        Ok(out)
    }

    fn write_timestamps(&self, writer: &mut Writer, format: Format) {
        writer.begin_array();
        for item in self {
            item.write_timestamps(writer, format);
        }
        writer.end_array();
    }
}

impl<K: MapKey, T: Timestamps> Timestamps for HashMap<K, T> {
    fn read_timestamps(reader: &mut Reader<'_>, format: Format) -> Result<Self, JsonError> {
        let mut out = HashMap::new();
        reader.entries(T::NULLABLE, &mut |key, r| {
            out.insert(K::from_key(key), T::read_timestamps(r, format)?);
            Ok(())
        })?;
        Ok(out)
    }

    fn write_timestamps(&self, writer: &mut Writer, format: Format) {
        writer.begin_object();
        for (key, value) in self {
            writer.key(key.as_key());
            value.write_timestamps(writer, format);
        }
        writer.end_object();
    }
}

/// A structure member's slot for timestamps: reads the member's value in its format.
pub trait ReadTimestamps {
    /// Reads the next value and keeps it.
    fn read_timestamps(&mut self, reader: &mut Reader<'_>, format: Format)
        -> Result<(), JsonError>;
}

impl<T: Timestamps> ReadTimestamps for Option<T> {
    fn read_timestamps(
        &mut self,
        reader: &mut Reader<'_>,
        format: Format,
    ) -> Result<(), JsonError> {
        *self = Some(T::read_timestamps(reader, format)?);
        Ok(())
    }
}

/// Writes the timestamp member `name` of the object being written in `format`, unless it is
/// absent.
#[inline(never)]
pub fn put_timestamps<T: Timestamps>(writer: &mut Writer, name: &str, value: &T, format: Format) {
    if !value.timestamps_absent() {
        writer.key(name);
        value.write_timestamps(writer, format);
    }
}

/// Reads one timestamp in the given format. A document may give any timestamp as a number of
/// seconds.
fn read_timestamp(reader: &mut Reader<'_>, format: Format) -> Result<DateTime, JsonError> {
    match reader.peek()? {
        Kind::Number if format == Format::EpochSeconds || !reader.is_body() => {
            let text = reader.number("a number of seconds")?;
            match text.parse::<f64>() {
                Ok(secs) if secs.is_finite() => Ok(DateTime::from_secs_f64(secs)),
                _ => Err(reader.error("expected a number of seconds, found a number")),
            }
        }
        _ if format == Format::EpochSeconds => Err(reader.expected("a number of seconds")),
        Kind::String => {
            let text = reader.string()?;
            DateTime::from_str(&text, reading(format)).map_err(|e| {
                let name = match format {
                    Format::HttpDate => "an HTTP-date",
                    _ => "an RFC 3339",
                };
                reader.error(format!("not {name} timestamp: {e}"))
            })
        }
        _ => Err(reader.expected("a timestamp string")),
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

fn write_timestamp(value: &DateTime, writer: &mut Writer, format: Format) {
    match format {
        Format::EpochSeconds if value.has_subsec_nanos() => writer.float(value.as_secs_f64()),
        Format::EpochSeconds => writer.integer(value.secs()),
        // Formatting fails only for dates outside the years 0001 to 9999; such a value is
        // written as seconds rather than lost.
        _ => match value.fmt(format) {
            Ok(text) => writer.string(&text),
            Err(_) => writer.integer(value.secs()),
        },
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
            pub fn read(reader: &mut Reader<'_>) -> Result<DateTime, JsonError> {
                read_timestamp(reader, FORMAT)
            }

            #[doc = concat!("Writes ", $what, " (`null` for an absent optional one).")]
            pub fn write(value: &impl Timestamps, writer: &mut Writer) {
                value.write_timestamps(writer, FORMAT)
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
    fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
        epoch_seconds::read(reader)
    }
}

impl ToJson for DateTime {
    fn to_json(&self, writer: &mut Writer) {
        epoch_seconds::write(self, writer);
    }
}

/// The value a required timestamp takes when a response leaves it out.
pub fn default_timestamp() -> DateTime {
    DateTime::from_secs(0)
}
