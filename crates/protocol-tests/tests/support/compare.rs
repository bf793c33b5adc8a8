//! Comparing what the client did with what a case expects: JSON values (numbers by value, with
//! the precision of a float), and requests as Smithy's `httpRequestTests` describe them.

use serde_json::Value;

use super::server::Request;

/// Whether two JSON values are equal: objects by their keys, numbers as 64-bit floats within the
/// precision of a 32-bit one (a float member of 1.1 comes back as the nearest f32). Names the
/// first difference by its path.
pub fn json_equal(expected: &Value, actual: &Value) -> Result<(), String> {
    equal_at("", expected, actual)
}

fn equal_at(path: &str, expected: &Value, actual: &Value) -> Result<(), String> {
    let differ = || Err(format!("at `{path}`: expected {expected}, got {actual}"));
    match (expected, actual) {
        (Value::Number(e), Value::Number(a)) => {
            let (e, a) = (
                e.as_f64().unwrap_or(f64::NAN),
                a.as_f64().unwrap_or(f64::NAN),
            );
            if e == a || (e - a).abs() <= e.abs().max(a.abs()) * 1e-7 {
                Ok(())
            } else {
                differ()
            }
        }
        (Value::Object(e), Value::Object(a)) => {
            for key in e.keys().chain(a.keys()) {
                let here = format!("{path}.{key}");
                match (e.get(key), a.get(key)) {
                    (Some(ev), Some(av)) => equal_at(&here, ev, av)?,
                    (Some(ev), None) => {
                        return Err(format!("at `{here}`: expected {ev}, got nothing"))
                    }
                    (None, Some(av)) => {
                        return Err(format!("at `{here}`: expected nothing, got {av}"))
                    }
                    (None, None) => {}
                }
            }
            Ok(())
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                equal_at(&format!("{path}[{i}]"), ev, av)?;
            }
            Ok(())
        }
        (e, a) if e == a => Ok(()),
        _ => differ(),
    }
}

/// Compares a request with an `httpRequestTests` entry: method, path, query parameters (as a
/// multiset, in any order), headers (each expected one with its value, `forbidHeaders` absent,
/// `requireHeaders` present), the host, and the body (as JSON when the case says it is JSON,
/// byte for byte otherwise).
pub fn compare_request(test: &Value, request: &Request) -> Result<(), String> {
    let method = test["method"].as_str().unwrap_or_default();
    if request.method != method {
        return Err(format!("method: expected {method}, got {}", request.method));
    }
    let (path, query) = request
        .target
        .split_once('?')
        .unwrap_or((request.target.as_str(), ""));
    let uri = test["uri"].as_str().unwrap_or_default();
    if path != uri {
        return Err(format!("path: expected {uri}, got {path}"));
    }
    let mut sent: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    let mut expected: Vec<&str> = strings(&test["queryParams"]);
    sent.sort_unstable();
    expected.sort_unstable();
    if sent != expected {
        return Err(format!("query: expected {expected:?}, got {sent:?}"));
    }
    if let Some(headers) = test["headers"].as_object() {
        for (name, value) in headers {
            let value = value.as_str().unwrap_or_default();
            let got = request.header(name);
            if got != [value] {
                return Err(format!("header {name}: expected {value:?}, got {got:?}"));
            }
        }
    }
    for name in strings(&test["forbidHeaders"]) {
        if !request.header(name).is_empty() {
            return Err(format!(
                "header {name} must not be sent, got {:?}",
                request.header(name)
            ));
        }
    }
    for name in strings(&test["requireHeaders"]) {
        if request.header(name).is_empty() {
            return Err(format!("header {name} must be sent"));
        }
    }
    if let Some(host) = test["resolvedHost"].as_str() {
        let sent = request.header("host");
        let sent_host = sent
            .first()
            .map(|h| h.rsplit_once(':').map_or(*h, |(host, _)| host));
        if sent_host != Some(host) {
            return Err(format!("host: expected {host}, got {sent:?}"));
        }
    }
    if let Some(body) = test["body"].as_str() {
        compare_body(test, body, &request.body)?;
    }
    Ok(())
}

/// Compares a body with the expected one: as JSON values for `application/json`, else bytes.
fn compare_body(test: &Value, expected: &str, actual: &[u8]) -> Result<(), String> {
    let json = test["bodyMediaType"].as_str() == Some("application/json");
    if expected.is_empty() || !json {
        return if actual == expected.as_bytes() {
            Ok(())
        } else {
            Err(format!(
                "body: expected {expected:?}, got {:?}",
                String::from_utf8_lossy(actual)
            ))
        };
    }
    let expected: Value =
        serde_json::from_str(expected).map_err(|e| format!("the case's body is not JSON: {e}"))?;
    let actual: Value = serde_json::from_slice(actual).map_err(|e| {
        format!(
            "body: expected JSON, got {:?} ({e})",
            String::from_utf8_lossy(actual)
        )
    })?;
    json_equal(&expected, &actual).map_err(|e| format!("body {e}"))
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .map(|items| items.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}
