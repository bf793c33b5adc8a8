//! The shared part of reading a union: the object must set exactly one member.
//!
//! `json_union!` (in the runtime's macros) matches the member's name to a variant; what every
//! union shares is here. In a message body, a `__type` key (which some services add to name the
//! union's shape) and `null` members are ignored, and a member the model does not know reads as
//! the union's `Unknown` variant, since a newer service may send it. A document must name a
//! member the model knows.

use super::{JsonError, Reader, Value};

impl Reader {
    /// The one member a union object sets: its name and value.
    pub fn union_member(&self, value: Value) -> Result<(String, Value), JsonError> {
        let entries = match value {
            Value::Object(entries) => entries,
            other => return Err(self.expected("an object with one member", &other)),
        };
        let mut set = entries
            .into_iter()
            .filter(|(key, value)| !(value.is_null() || (self.body && key == "__type")));
        match (set.next(), set.next()) {
            (Some(member), None) => Ok(member),
            (None, _) => Err(self.error("a union must set one member, found none")),
            (Some((first, _)), Some((second, _))) => Err(self.error(format!(
                "a union must set one member, found {first} and {second}"
            ))),
        }
    }

    /// A union member the model does not know: fine in a body (the union reads as `Unknown`),
    /// an error naming it in a document.
    pub fn unknown_union_member(&self, name: &str) -> Result<(), JsonError> {
        if self.body {
            Ok(())
        } else {
            Err(self.error(format!("`{name}` is not a member of the union")))
        }
    }
}
