//! Lists, maps, optional and boxed values.
//!
//! A `null` element is `None` in a `@sparse` collection (whose element type is an `Option`); in
//! a dense one it is skipped in a message body and refused in a document, see
//! [`Reader::null_element`].

use std::collections::HashMap;
use std::hash::Hash;

use super::{FromJson, JsonError, Reader, ToJson, Value};

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: Value, reader: &mut Reader) -> Result<Self, JsonError> {
        read_elements(value, reader, T::NULLABLE, T::from_json)
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

impl<T: FromJson> FromJson for Option<T> {
    const NULLABLE: bool = true;

    fn from_json(value: Value, reader: &mut Reader) -> Result<Self, JsonError> {
        if value.is_null() {
            Ok(None)
        } else {
            T::from_json(value, reader).map(Some)
        }
    }
}

impl<T: ToJson> ToJson for Option<T> {
    /// `null` for `None`, which [`put`](super::put) leaves out of an object.
    fn to_json(&self, body: bool) -> Value {
        match self {
            Some(value) => value.to_json(body),
            None => Value::Null,
        }
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(value: Value, reader: &mut Reader) -> Result<Self, JsonError> {
        T::from_json(value, reader).map(Box::new)
    }
}

impl<T: ToJson> ToJson for Box<T> {
    fn to_json(&self, body: bool) -> Value {
        (**self).to_json(body)
    }
}

/// A map key: a string, or a string enum of the model.
pub trait MapKey: Eq + Hash + Sized {
    /// The key from its text.
    fn from_key(key: &str) -> Self;
    /// The key as text.
    fn as_key(&self) -> &str;
}

impl MapKey for String {
    fn from_key(key: &str) -> Self {
        key.to_owned()
    }

    fn as_key(&self) -> &str {
        self
    }
}

impl<K: MapKey, T: FromJson> FromJson for HashMap<K, T> {
    fn from_json(value: Value, reader: &mut Reader) -> Result<Self, JsonError> {
        read_entries(value, reader, T::NULLABLE, T::from_json)
    }
}

impl<K: MapKey, T: ToJson> ToJson for HashMap<K, T> {
    fn to_json(&self, body: bool) -> Value {
        let mut out = super::Map::new();
        for (key, item) in self {
            out.insert(key.as_key().to_owned(), item.to_json(body));
        }
        Value::Object(out)
    }
}

/// Reads every entry of a JSON object with `read`, naming the entry in errors: the loop that
/// maps of values and maps of timestamps share.
pub(super) fn read_entries<K: MapKey, T>(
    value: Value,
    reader: &mut Reader,
    nullable: bool,
    mut read: impl FnMut(Value, &mut Reader) -> Result<T, JsonError>,
) -> Result<HashMap<K, T>, JsonError> {
    let entries = match value {
        Value::Object(entries) => entries,
        other => return Err(reader.expected("an object", &other)),
    };
    let mut out = HashMap::with_capacity(entries.len());
    for (key, item) in entries {
        if item.is_null() && !nullable {
            reader.entry(&key, |r| r.null_element("map value"))?;
            continue;
        }
        let item = reader.entry(&key, |r| read(item, r))?;
        out.insert(K::from_key(&key), item);
    }
    Ok(out)
}

/// Reads every element of a JSON array with `read`, naming the element in errors: the loop that
/// lists of values and lists of timestamps share.
pub(super) fn read_elements<T>(
    value: Value,
    reader: &mut Reader,
    nullable: bool,
    mut read: impl FnMut(Value, &mut Reader) -> Result<T, JsonError>,
) -> Result<Vec<T>, JsonError> {
    let items = match value {
        Value::Array(items) => items,
        other => return Err(reader.expected("an array", &other)),
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        reader.steps.push(super::Step::Index(i));
        let result = if item.is_null() && !nullable {
            reader.null_element("list element").map(|()| None)
        } else {
            read(item, reader).map(Some)
        };
        reader.steps.pop();
        if let Some(item) = result? {
            out.push(item);
        }
    }
    Ok(out)
}
