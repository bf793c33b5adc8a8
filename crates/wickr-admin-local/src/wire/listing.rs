//! The listing parameters every paginated operation takes (`maxResults`, `sortDirection`,
//! `sortFields`, `nextToken`), read into a [`PageRequest`], and the `nextToken` of an answer.

use super::input::Reasons;
use super::Call;
use crate::backend::pagination::{Direction, Page, PageRequest};
use crate::error::echo;
use serde_json::{Map, Value};

/// Page size when `maxResults` is absent.
pub const DEFAULT_PAGE_SIZE: usize = 10;
/// Largest `maxResults`.
pub const MAX_PAGE_SIZE: i64 = 100;

/// Query parameters that do not define which listing a token belongs to: the page size, the
/// token itself and a presigned request's signature parameters.
fn outside_scope(name: &str) -> bool {
    name == "maxResults" || name == "nextToken" || name.starts_with("X-Amz-")
}

impl Call<'_> {
    /// What defines this listing for its page tokens: operation, path labels and the query
    /// parameters that filter or sort.
    fn listing_scope(&self) -> String {
        let mut scope = String::from(self.op.name());
        for (name, value) in &self.labels {
            scope.push('\n');
            scope.push_str(name);
            scope.push('=');
            scope.push_str(value);
        }
        let mut params: Vec<(&str, &str)> = self
            .query
            .pairs()
            .filter(|(name, _)| !outside_scope(name))
            .collect();
        params.sort();
        for (name, value) in params {
            scope.push_str("\n?");
            scope.push_str(name);
            scope.push('=');
            scope.push_str(value);
        }
        scope
    }

    /// Reads `maxResults` (1 to 100, default 10), `sortDirection` (default `default_direction`),
    /// `sortFields` (`+`-separated, each one of `allowed`) and `nextToken` (one this listing
    /// issued).
    pub fn page_request(
        &self,
        allowed: &[&str],
        default_direction: Direction,
        r: &mut Reasons,
    ) -> PageRequest {
        let max_results = match self.query.opt_i64("maxResults", r) {
            None => DEFAULT_PAGE_SIZE,
            Some(n @ 1..=MAX_PAGE_SIZE) => n as usize,
            Some(_) => {
                r.push("maxResults", "must be between 1 and 100");
                DEFAULT_PAGE_SIZE
            }
        };
        let direction = match self.query.get("sortDirection") {
            None => default_direction,
            Some("ASC") => Direction::Asc,
            Some("DESC") => Direction::Desc,
            Some(_) => {
                r.push("sortDirection", "must be ASC or DESC");
                default_direction
            }
        };
        let mut sort_fields = Vec::new();
        if let Some(raw) = self.query.get("sortFields") {
            for f in raw.split('+') {
                if allowed.contains(&f) {
                    sort_fields.push(f.to_owned());
                } else {
                    r.push(
                        "sortFields",
                        format!("`{}` is not one of: {}", echo(f), allowed.join(", ")),
                    );
                }
            }
        }
        let after = self.query.get("nextToken").and_then(|token| {
            let position = self.page_tokens.read(&self.listing_scope(), token);
            if position.is_none() {
                r.push(
                    "nextToken",
                    "is not a token this emulator issued for this listing (the same operation, \
                     path, filters and sort)",
                );
            }
            position
        });
        PageRequest {
            sort_fields,
            direction,
            max_results,
            after,
        }
    }

    /// The answer of a listing: `page`'s items rendered under `key`, and a `nextToken` when
    /// more follow.
    pub fn page_answer<T>(&self, key: &str, page: Page<T>, render: impl Fn(T) -> Value) -> Value {
        let mut out = Map::new();
        let next = page
            .next
            .as_ref()
            .map(|position| self.page_tokens.issue(&self.listing_scope(), position));
        out.insert(
            key.to_owned(),
            Value::Array(page.items.into_iter().map(render).collect()),
        );
        if let Some(token) = next {
            out.insert("nextToken".to_owned(), Value::String(token));
        }
        Value::Object(out)
    }
}
