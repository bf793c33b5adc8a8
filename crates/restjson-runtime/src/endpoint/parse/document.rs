//! Typed access to the rule set's JSON, each failure an error at its location.

use serde_json::{Map, Value as Json};

use crate::endpoint::error::RuleSetError;

pub(super) fn join(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_owned()
    } else {
        format!("{at}.{key}")
    }
}

pub(super) fn object<'j>(json: &'j Json, at: &str) -> Result<&'j Map<String, Json>, RuleSetError> {
    json.as_object()
        .ok_or_else(|| RuleSetError::new(at, "expected an object"))
}

pub(super) fn array<'j>(json: &'j Json, at: &str) -> Result<&'j [Json], RuleSetError> {
    json.as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| RuleSetError::new(at, "expected a list"))
}

pub(super) fn string<'j>(json: &'j Json, at: &str) -> Result<&'j str, RuleSetError> {
    json.as_str()
        .ok_or_else(|| RuleSetError::new(at, "expected a string"))
}

pub(super) fn boolean(json: &Json, at: &str) -> Result<bool, RuleSetError> {
    json.as_bool()
        .ok_or_else(|| RuleSetError::new(at, "expected true or false"))
}

pub(super) fn required<'j>(
    object: &'j Map<String, Json>,
    at: &str,
    key: &str,
) -> Result<&'j Json, RuleSetError> {
    object
        .get(key)
        .ok_or_else(|| RuleSetError::new(at, format!("`{key}` is missing")))
}

/// Every key of `object` is one of `allowed`: a misspelt key is an error, not ignored.
pub(super) fn allow_keys(
    object: &Map<String, Json>,
    at: &str,
    allowed: &[&str],
) -> Result<(), RuleSetError> {
    match object.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(key) => Err(RuleSetError::new(
            at,
            format!("unexpected key `{key}` (expected {})", allowed.join(", ")),
        )),
        None => Ok(()),
    }
}
