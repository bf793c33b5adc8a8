//! Lists, maps, optional and boxed values.
//!
//! A `null` element is `None` in a `@sparse` collection (whose element type is an `Option`); in
//! a dense one it is skipped in a message body and refused in a document, see
//! [`Reader::elements`].

use std::collections::HashMap;
use std::hash::Hash;

use super::{FromJson, JsonError, Reader, ToJson, Writer};

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
        let mut out = Vec::new();
        reader.elements(T::NULLABLE, &mut |r| {
            out.push(T::from_json(r)?);
            Ok(())
        })?;
        Ok(out)
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self, writer: &mut Writer) {
        writer.begin_array();
        // A plain loop: an iterator chain here would be copied for every element type.
        for item in self {
            item.to_json(writer);
        }
        writer.end_array();
    }
}

impl<T: FromJson> FromJson for Option<T> {
    const NULLABLE: bool = true;

    fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
        if reader.null()? {
            Ok(None)
        } else {
            T::from_json(reader).map(Some)
        }
    }
}

impl<T: ToJson> ToJson for Option<T> {
    /// `null` for `None` (an element of a `@sparse` collection); an object leaves it out.
    fn to_json(&self, writer: &mut Writer) {
        match self {
            Some(value) => value.to_json(writer),
            None => writer.null(),
        }
    }

    fn is_absent(&self) -> bool {
        self.as_ref().is_none_or(ToJson::is_absent)
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
        T::from_json(reader).map(Box::new)
    }
}

impl<T: ToJson> ToJson for Box<T> {
    fn to_json(&self, writer: &mut Writer) {
        (**self).to_json(writer);
    }

    fn is_absent(&self) -> bool {
        (**self).is_absent()
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
    fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
        let mut out = HashMap::new();
        reader.entries(T::NULLABLE, &mut |key, r| {
            out.insert(K::from_key(key), T::from_json(r)?);
            Ok(())
        })?;
        Ok(out)
    }
}

impl<K: MapKey, T: ToJson> ToJson for HashMap<K, T> {
    fn to_json(&self, writer: &mut Writer) {
        writer.begin_object();
        for (key, item) in self {
            writer.key(key.as_key());
            item.to_json(writer);
        }
        writer.end_object();
    }
}
