//! `@uniqueItems` in one pass over the list: each element is hashed from its JSON form (every
//! member, in a canonical order), and only elements with the same hash are compared with `==`.
//! The check is linear in the list's length where comparing each element with every earlier one
//! would be quadratic.
//!
//! The hash must be equal for elements that are equal: an object's keys are hashed in sorted
//! order (a map's entries come out of a `HashMap` in any order), and a zero number the same
//! whatever its sign (`-0.0 == 0.0`). Elements that only share a hash are told apart by `==`,
//! so `NaN`, which equals nothing, never counts as a repeat.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use serde_json::Value;

use crate::json::ToJson;

/// The index of the first element equal to an earlier one, with that earlier one's index.
pub(crate) fn first_repeat<T: PartialEq + ToJson>(value: &[T]) -> Option<(usize, usize)> {
    // Hash to the indices of the elements seen with it; almost always one.
    let mut seen: HashMap<u64, Vec<usize>> = HashMap::with_capacity(value.len());
    for (i, item) in value.iter().enumerate() {
        let indices = seen
            .entry(canonical_hash(&crate::json::to_value(item)))
            .or_default();
        if let Some(first) = indices.iter().copied().find(|&j| value[j] == *item) {
            return Some((i, first));
        }
        indices.push(i);
    }
    None
}

fn canonical_hash(value: &Value) -> u64 {
    let mut hasher = DefaultHasher::new();
    hash_value(value, &mut hasher);
    hasher.finish()
}

fn hash_value(value: &Value, state: &mut DefaultHasher) {
    match value {
        Value::Null => 0u8.hash(state),
        Value::Bool(b) => {
            1u8.hash(state);
            b.hash(state);
        }
        Value::Number(n) => {
            2u8.hash(state);
            // `-0.0 == 0.0`, so both hash as zero.
            if n.as_f64() == Some(0.0) {
                "0".hash(state);
            } else {
                n.to_string().hash(state);
            }
        }
        Value::String(s) => {
            3u8.hash(state);
            s.hash(state);
        }
        Value::Array(items) => {
            4u8.hash(state);
            items.len().hash(state);
            for item in items {
                hash_value(item, state);
            }
        }
        Value::Object(map) => {
            5u8.hash(state);
            map.len().hash(state);
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_unstable();
            for key in keys {
                key.hash(state);
                if let Some(member) = map.get(key) {
                    hash_value(member, state);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeat_at_the_end_of_a_large_list_is_found() {
        let mut names: Vec<String> = (0..200_000).map(|i| format!("name-{i}")).collect();
        assert_eq!(first_repeat(&names), None);
        names.push("name-123456".to_owned());
        assert_eq!(first_repeat(&names), Some((200_000, 123_456)));
    }

    #[test]
    fn the_first_repeat_is_named_with_its_first_occurrence() {
        let list = ["a", "b", "c", "b", "a"].map(str::to_owned);
        assert_eq!(first_repeat(&list), Some((3, 1)));
    }

    #[test]
    fn equal_maps_repeat_whatever_their_order() {
        let a: HashMap<String, String> =
            (0..50).map(|i| (format!("k{i}"), i.to_string())).collect();
        let b: HashMap<String, String> = (0..50)
            .rev()
            .map(|i| (format!("k{i}"), i.to_string()))
            .collect();
        let mut c = b.clone();
        c.insert("k7".to_owned(), "changed".to_owned());
        assert_eq!(first_repeat(&[a.clone(), c.clone()]), None);
        assert_eq!(first_repeat(&[a, c, b]), Some((2, 0)));
    }

    #[test]
    fn numbers_repeat_as_they_compare() {
        assert_eq!(first_repeat(&[0.0f64, 1.5, -0.0]), Some((2, 0)));
        assert_eq!(first_repeat(&[f64::NAN, f64::NAN]), None);
        assert_eq!(first_repeat(&[1i32, 2, 3, 2]), Some((3, 1)));
    }
}
