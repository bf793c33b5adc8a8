//! Finding the operation of a request from its method and path, by the `@http` URI templates of
//! the operation table: what a server or an emulator of the service needs to route requests.
//!
//! A template's path segments are literals, labels (`{name}`, one non-empty segment) or a greedy
//! label (`{name+}`, one or more segments). Its query part lists literals the request must carry
//! (`?list` or `?type=full`). When several templates match, the one with more literal segments
//! wins (`/things/count` over `/things/{id}`), then the one with more query literals
//! (`/things/{id}?versions` over `/things/{id}`), as Smithy resolves such overlaps.

use crate::schema::{OperationInfo, ServiceInfo};

/// A request matched to an operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// The operation.
    pub operation: &'static OperationInfo,
    /// Each label of the template with its text as it appears in the path, still
    /// percent-encoded; a greedy label's segments keep their `/` separators.
    pub labels: Vec<(&'static str, String)>,
}

impl Route {
    /// The raw (still percent-encoded) text of a label.
    pub fn label(&self, name: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(label, _)| *label == name)
            .map(|(_, value)| value.as_str())
    }
}

impl ServiceInfo {
    /// The operation a request is for, from its method and its path with the query string (as
    /// in `/things/12?list`); `None` when no operation's template matches.
    pub fn route(&self, method: &str, path_and_query: &str) -> Option<Route> {
        let (path, query) = path_and_query
            .split_once('?')
            .unwrap_or((path_and_query, ""));
        let segments: Vec<&str> = path.strip_prefix('/')?.split('/').collect();
        let query: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
        let mut best: Option<(Specificity, Route)> = None;
        for operation in self.operations {
            if !operation.method.eq_ignore_ascii_case(method) {
                continue;
            }
            let Some((specificity, labels)) = match_template(operation.uri, &segments, &query)
            else {
                continue;
            };
            if best.as_ref().is_none_or(|(most, _)| specificity > *most) {
                best = Some((specificity, Route { operation, labels }));
            }
        }
        best.map(|(_, route)| route)
    }
}

/// A label's name and its raw text.
type Label = (&'static str, String);

/// How closely a template matches: its literal path segments, then its query literals.
type Specificity = (usize, usize);

/// One segment of a template's path.
#[derive(Clone, Copy, Debug)]
enum Segment<'t> {
    Literal(&'t str),
    Label(&'t str),
    Greedy(&'t str),
}

fn parse_segment(text: &str) -> Segment<'_> {
    match text.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
        Some(name) => match name.strip_suffix('+') {
            Some(greedy) => Segment::Greedy(greedy),
            None => Segment::Label(name),
        },
        None => Segment::Literal(text),
    }
}

/// How many literal segments and query literals the template matched with, and its labels.
fn match_template(
    template: &'static str,
    segments: &[&str],
    query: &[&str],
) -> Option<(Specificity, Vec<Label>)> {
    let (path, literals) = template.split_once('?').unwrap_or((template, ""));
    let mut query_literals = 0;
    for literal in literals.split('&').filter(|l| !l.is_empty()) {
        query_literals += 1;
        let present = query.iter().any(|part| {
            *part == literal || (!literal.contains('=') && part.split('=').next() == Some(literal))
        });
        if !present {
            return None;
        }
    }
    let pattern: Vec<Segment<'static>> = path
        .strip_prefix('/')
        .unwrap_or(path)
        .split('/')
        .map(parse_segment)
        .collect();
    // `/` alone is one empty literal segment, as is the request path `/`.
    let mut labels = Vec::new();
    if !match_segments(&pattern, segments, &mut labels) {
        return None;
    }
    let literal_count = pattern
        .iter()
        .filter(|s| matches!(s, Segment::Literal(_)))
        .count();
    Some(((literal_count, query_literals), labels))
}

fn match_segments(
    pattern: &[Segment<'static>],
    segments: &[&str],
    labels: &mut Vec<Label>,
) -> bool {
    let Some((first, rest)) = pattern.split_first() else {
        return segments.is_empty();
    };
    match *first {
        Segment::Literal(text) => {
            segments.first() == Some(&text) && match_segments(rest, &segments[1..], labels)
        }
        Segment::Label(name) => match segments.first() {
            Some(value) if !value.is_empty() => {
                labels.push((name, (*value).to_owned()));
                if match_segments(rest, &segments[1..], labels) {
                    true
                } else {
                    labels.pop();
                    false
                }
            }
            _ => false,
        },
        Segment::Greedy(name) => {
            // One or more non-empty segments, leaving enough for the rest of the template.
            for taken in (1..=segments.len()).rev() {
                let (value, remaining) = segments.split_at(taken);
                if value.iter().any(|s| s.is_empty()) {
                    continue;
                }
                let mark = labels.len();
                labels.push((name, value.join("/")));
                if match_segments(rest, remaining, labels) {
                    return true;
                }
                labels.truncate(mark);
            }
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::OperationInfo;

    const fn op(name: &'static str, method: &'static str, uri: &'static str) -> OperationInfo {
        OperationInfo {
            name,
            kebab_name: name,
            summary: "",
            method,
            uri,
            readonly: false,
            idempotent: false,
            idempotency_token: None,
            errors: &[],
            pagination: None,
            input: &[],
            request: crate::schema::RequestFacts::SERVICE_DEFAULTS,
        }
    }

    static OPERATIONS: [OperationInfo; 7] = [
        op("ListThings", "GET", "/things"),
        op("GetThing", "GET", "/things/{id}"),
        op("CountThings", "GET", "/things/count"),
        op("GetFile", "GET", "/things/{id}/files/{path+}/meta"),
        op("ListVersions", "GET", "/things/{id}?versions"),
        op("Root", "POST", "/"),
        op("Typed", "GET", "/typed?kind=full"),
    ];

    static SERVICE: ServiceInfo = ServiceInfo {
        shape_id: "ex#Svc",
        sdk_id: "Svc",
        version: "1",
        signing_name: None,
        auth: &[],
        user_agent: "test/0",
        endpoint: crate::endpoint_params::EndpointInfo::CONFIGURED_URL_ONLY,
        retryable_errors: &[],
        operations: &OPERATIONS,
    };

    fn name(method: &str, path: &str) -> Option<&'static str> {
        SERVICE.route(method, path).map(|r| r.operation.name)
    }

    #[test]
    fn literals_win_over_labels_and_methods_must_match() {
        assert_eq!(name("GET", "/things"), Some("ListThings"));
        assert_eq!(name("get", "/things/count"), Some("CountThings"));
        assert_eq!(name("GET", "/things/12"), Some("GetThing"));
        assert_eq!(name("DELETE", "/things/12"), None);
        assert_eq!(name("GET", "/things/"), None, "a label is never empty");
        assert_eq!(name("GET", "/things/12/extra"), None);
        assert_eq!(name("POST", "/"), Some("Root"));
        assert_eq!(name("GET", "things"), None, "a path starts with /");
    }

    #[test]
    fn labels_are_returned_raw_and_greedy_labels_keep_slashes() {
        let route = SERVICE.route("GET", "/things/a%20b").expect("routes");
        assert_eq!(route.label("id"), Some("a%20b"));
        let route = SERVICE
            .route("GET", "/things/7/files/a/b/c/meta")
            .expect("routes");
        assert_eq!(route.operation.name, "GetFile");
        assert_eq!(route.label("id"), Some("7"));
        assert_eq!(route.label("path"), Some("a/b/c"));
        assert_eq!(
            name("GET", "/things/7/files/meta"),
            None,
            "greedy takes one or more"
        );
    }

    #[test]
    fn query_literals_of_the_template_must_be_present() {
        assert_eq!(name("GET", "/things/7?versions"), Some("ListVersions"));
        assert_eq!(
            name("GET", "/things/7?max=3&versions="),
            Some("ListVersions")
        );
        assert_eq!(name("GET", "/things/7?max=3"), Some("GetThing"));
        assert_eq!(name("GET", "/typed?kind=full"), Some("Typed"));
        assert_eq!(name("GET", "/typed?kind=short"), None);
    }
}
