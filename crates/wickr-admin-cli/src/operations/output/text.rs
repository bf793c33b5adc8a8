//! `--output text`: the AWS CLI's text layout. Scalars of an object go on one line, tab-separated,
//! in key order, after the upper-cased name of the member that holds the object; nested lists
//! and objects follow on lines of their own. Objects in one list share the columns of every
//! scalar key any of them has, so their lines line up.

use serde_json::{Map, Value};

use super::python_text;

/// The value in the text layout, every line ending in a line break.
pub fn format(value: &Value) -> String {
    let mut out = String::new();
    item(value, None, None, &mut out);
    out
}

fn item(value: &Value, identifier: Option<&str>, scalar_keys: Option<&[String]>, out: &mut String) {
    match value {
        Value::Object(map) => object(map, identifier, scalar_keys, out),
        Value::Array(items) => list(items, identifier, out),
        scalar => {
            out.push_str(&python_text(scalar));
            out.push('\n');
        }
    }
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

fn list(items: &[Value], identifier: Option<&str>, out: &mut String) {
    if items.is_empty() {
        return;
    }
    if items.iter().any(Value::is_object) {
        let keys = all_scalar_keys(items);
        for element in items {
            item(element, identifier, Some(&keys), out);
        }
    } else if items.iter().any(Value::is_array) {
        let (scalars, others): (Vec<&Value>, Vec<&Value>) =
            items.iter().partition(|v| is_scalar(v));
        if !scalars.is_empty() {
            scalar_list(&scalars, identifier, out);
        }
        for other in others {
            item(other, identifier, None, out);
        }
    } else {
        scalar_list(&items.iter().collect::<Vec<_>>(), identifier, out);
    }
}

fn scalar_list(items: &[&Value], identifier: Option<&str>, out: &mut String) {
    match identifier {
        Some(identifier) => {
            for value in items {
                out.push_str(&identifier.to_uppercase());
                out.push('\t');
                out.push_str(&python_text(value));
                out.push('\n');
            }
        }
        None => {
            let texts: Vec<String> = items.iter().map(|v| python_text(v)).collect();
            out.push_str(&texts.join("\t"));
            out.push('\n');
        }
    }
}

fn object(
    map: &Map<String, Value>,
    identifier: Option<&str>,
    scalar_keys: Option<&[String]>,
    out: &mut String,
) {
    let mut scalars: Vec<String> = Vec::new();
    let mut others: Vec<(&str, &Value)> = Vec::new();
    // The AWS CLI writes an object's keys sorted, whatever order the answer gave them in.
    let mut sorted: Vec<(&String, &Value)> = map.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    match scalar_keys {
        None => {
            for (key, value) in sorted {
                if is_scalar(value) {
                    scalars.push(python_text(value));
                } else {
                    others.push((key, value));
                }
            }
        }
        Some(keys) => {
            for key in keys {
                scalars.push(map.get(key).map_or_else(String::new, python_text));
            }
            for (key, value) in sorted {
                if !keys.contains(key) {
                    others.push((key, value));
                }
            }
        }
    }
    if !scalars.is_empty() {
        if let Some(identifier) = identifier {
            scalars.insert(0, identifier.to_uppercase());
        }
        out.push_str(&scalars.join("\t"));
        out.push('\n');
    }
    for (key, value) in others {
        item(value, Some(key), None, out);
    }
}

/// Every key that holds a scalar in any of the objects, sorted.
fn all_scalar_keys(items: &[Value]) -> Vec<String> {
    let mut keys: Vec<String> = items
        .iter()
        .filter_map(Value::as_object)
        .flat_map(|map| {
            map.iter()
                .filter(|(_, v)| is_scalar(v))
                .map(|(k, _)| k.clone())
        })
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn objects_in_a_list_share_columns_and_nested_values_follow() {
        let value = json!({
            "users": [
                {"username": "a@example.com", "status": 2, "securityGroups": ["G1", "G2"]},
                {"username": "b@example.com", "isAdmin": true}
            ],
            "total": 2
        });
        assert_eq!(
            format(&value),
            "2\n\
             USERS\t\t2\ta@example.com\n\
             SECURITYGROUPS\tG1\n\
             SECURITYGROUPS\tG2\n\
             USERS\tTrue\t\tb@example.com\n"
        );
    }

    #[test]
    fn bare_lists_are_one_line_and_scalars_one_each() {
        assert_eq!(format(&json!(["a", "b", 3])), "a\tb\t3\n");
        assert_eq!(format(&json!("x")), "x\n");
        assert_eq!(format(&json!(null)), "None\n");
        assert_eq!(format(&json!([["a", "b"], ["c"]])), "a\tb\nc\n");
        assert_eq!(format(&json!([])), "");
    }
}
