//! The query string: literal pairs from the URI template, `@httpQuery` members (lists as
//! repeated keys) and `@httpQueryParams` maps.

use std::collections::HashMap;

use percent_encoding::utf8_percent_encode;

use super::{HttpValue, UNRESERVED};

/// Builds a query string: parameters in the order they are pushed, lists as repeated keys,
/// absent values left out.
#[derive(Debug, Default)]
pub struct QueryWriter {
    out: String,
}

impl QueryWriter {
    /// A writer with no parameters yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a literal `key=value` pair taken from the URI template (already encoded).
    pub fn push_literal(&mut self, pair: &str) {
        self.separator();
        self.out.push_str(pair);
    }

    /// Adds `key=value` when a value is present.
    pub fn push(&mut self, key: &str, value: Option<String>) {
        if let Some(value) = value {
            self.separator();
            self.out.extend(utf8_percent_encode(key, UNRESERVED));
            self.out.push('=');
            self.out.extend(utf8_percent_encode(&value, UNRESERVED));
        }
    }

    /// Adds `key=value` once for every value of a list.
    pub fn push_all(&mut self, key: &str, values: impl IntoIterator<Item = String>) {
        for value in values {
            self.push(key, Some(value));
        }
    }

    /// Adds every entry of an `@httpQueryParams` map, sorted by key, except those whose key an
    /// `@httpQuery` member or the URI template already binds (`bound`): those take precedence.
    pub fn push_params<V: QueryParamValue>(
        &mut self,
        params: &Option<HashMap<String, V>>,
        bound: &[&str],
    ) {
        let Some(params) = params else {
            return;
        };
        let mut keys: Vec<&String> = params.keys().collect();
        keys.sort();
        for key in keys {
            if bound.contains(&key.as_str()) {
                continue;
            }
            if let Some(value) = params.get(key) {
                value.push_to(self, key);
            }
        }
    }

    fn separator(&mut self) {
        self.out.push(if self.out.is_empty() { '?' } else { '&' });
    }

    /// The query string, starting with `?`, or empty when nothing was pushed.
    pub fn finish(self) -> String {
        self.out
    }
}

/// A value of an `@httpQueryParams` map: a string, or a list of strings sent as repeated keys.
pub trait QueryParamValue {
    /// Adds the value under `key`.
    fn push_to(&self, query: &mut QueryWriter, key: &str);
}

impl QueryParamValue for String {
    fn push_to(&self, query: &mut QueryWriter, key: &str) {
        query.push(key, Some(self.clone()));
    }
}

impl QueryParamValue for Vec<String> {
    fn push_to(&self, query: &mut QueryWriter, key: &str) {
        query.push_all(key, self.iter().map(HttpValue::to_http_value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_maps_come_after_and_yield_to_bound_keys() {
        let mut q = QueryWriter::new();
        q.push("bar", Some("named".into()));
        let params: HashMap<String, String> = [("bar", "fromMap"), ("qux", "also"), ("a b", "c")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        q.push_params(&Some(params), &["bar"]);
        assert_eq!(q.finish(), "?bar=named&a%20b=c&qux=also");
        let mut q = QueryWriter::new();
        let lists: HashMap<String, Vec<String>> =
            [("baz".to_owned(), vec!["bar".to_owned(), "qux".to_owned()])].into();
        q.push_params(&Some(lists), &[]);
        assert_eq!(q.finish(), "?baz=bar&baz=qux");
    }
}
