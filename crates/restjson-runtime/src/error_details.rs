//! What an error explains besides its code and message.
//!
//! Each generated error structure implements [`ErrorDetails`] from its members: every member
//! other than the message and the sensitive ones, so that an error printed on one line names, for
//! example, each field a validation error rejected and why. The rendering rules are the same for
//! every service:
//!
//! - a list of structures gives one entry per element: the element's members joined by `: `
//!   (`users[0].username: must be an email`);
//! - a structure gives one entry the same way;
//! - any other member gives `name: value`, lists of values joined by `, `.
//!
//! [`SdkError`](crate::error::SdkError) writes the entries after the response facts:
//! `; ` before the first, `, ` between the others.

use serde_json::Value;

use crate::json::ToJson;

/// An error's details, one entry per fact.
pub trait ErrorDetails {
    /// The entries; none by default.
    fn details(&self) -> Vec<String> {
        Vec::new()
    }
}

/// One entry from a structure's members: the values that are present, joined by `: `; `None`
/// when none is.
pub fn record(members: &[&dyn ToJson]) -> Option<String> {
    let texts: Vec<String> = members
        .iter()
        .filter_map(|member| text(&crate::json::to_value(*member)))
        .collect();
    (!texts.is_empty()).then(|| texts.join(": "))
}

/// One entry for a member: `name: value`; `None` when the member is absent or empty.
pub fn named(name: &str, member: &dyn ToJson) -> Option<String> {
    text(&crate::json::to_value(member)).map(|value| format!("{name}: {value}"))
}

/// A value as plain text: strings without quotes, lists joined by `, `, structures as JSON.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => {
            let texts: Vec<String> = items.iter().filter_map(text).collect();
            (!texts.is_empty()).then(|| texts.join(", "))
        }
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_join_present_values() {
        let field = Some("users[0].username".to_owned());
        let reason = Some("must be an email".to_owned());
        let none: Option<String> = None;
        assert_eq!(
            record(&[&field, &reason]).as_deref(),
            Some("users[0].username: must be an email")
        );
        assert_eq!(
            record(&[&field, &none]).as_deref(),
            Some("users[0].username")
        );
        assert_eq!(record(&[&none, &none]), None);
    }

    #[test]
    fn named_members_render_their_values() {
        assert_eq!(named("retries", &3i32).as_deref(), Some("retries: 3"));
        assert_eq!(
            named("ids", &vec!["a".to_owned(), "b".to_owned()]).as_deref(),
            Some("ids: a, b")
        );
        assert_eq!(named("reason", &None::<String>), None);
        assert_eq!(named("reason", &String::new()), None);
        assert_eq!(named("ok", &false).as_deref(), Some("ok: false"));
    }
}
