//! Headers beyond single scalar values: lists, timestamps lists, `@mediaType` strings (sent as
//! base64) and `@httpPrefixHeaders` maps.
//!
//! A list travels as one header of comma-separated values. A value holding a comma or a double
//! quote is sent quoted, with `"` and `\` escaped; reading undoes that. HTTP-dates hold a comma
//! of their own, so a list of them is split after every second comma.

use std::collections::HashMap;

use aws_smithy_types::date_time::Format;
use aws_smithy_types::error::operation::BuildError;
use aws_smithy_types::DateTime;

use super::{header, read_header, timestamp_value, FromHttpValue, HttpValue, Malformed};

/// A list member as one header value, `None` when the list is absent.
pub fn header_list<T: HttpValue>(list: &Option<Vec<T>>) -> Option<String> {
    let list = list.as_ref()?;
    let mut out = String::new();
    for (i, value) in list.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let text = value.to_http_value();
        if text.contains(',') || text.contains('"') {
            out.push('"');
            for c in text.chars() {
                if c == '"' || c == '\\' {
                    out.push('\\');
                }
                out.push(c);
            }
            out.push('"');
        } else {
            out.push_str(&text);
        }
    }
    Some(out)
}

/// A list of timestamps as one header value, each in `format`.
pub fn header_timestamps(
    list: &Option<Vec<DateTime>>,
    format: Format,
) -> Result<Option<String>, BuildError> {
    let Some(list) = list else {
        return Ok(None);
    };
    let texts = list
        .iter()
        .map(|t| timestamp_value(t, format))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(texts.join(", ")))
}

/// A `@mediaType` string member as a header value: base64 of its UTF-8 text.
pub fn base64_header(value: &Option<String>) -> Option<String> {
    value
        .as_ref()
        .map(|v| aws_smithy_types::base64::encode(v.as_bytes()))
}

/// The headers of an `@httpPrefixHeaders` map: each key after the prefix. A key that cannot be
/// part of a header name, or a value with a line break, is an error naming the member.
pub fn prefix_headers(
    prefix: &str,
    field: &'static str,
    map: &Option<HashMap<String, String>>,
) -> Result<Vec<(String, String)>, BuildError> {
    let Some(map) = map else {
        return Ok(Vec::new());
    };
    let mut out = Vec::with_capacity(map.len());
    for (key, value) in map {
        let name = format!("{prefix}{key}");
        if http::HeaderName::from_bytes(name.as_bytes()).is_err() {
            return Err(BuildError::invalid_field(
                field,
                format!("{name:?} is not a valid header name"),
            ));
        }
        out.push((name, header(field, value.clone())?));
    }
    out.sort();
    Ok(out)
}

/// Every value of a header, joined as one list would be sent.
fn joined(headers: &http::HeaderMap, name: &'static str) -> Result<Option<String>, Malformed> {
    let mut values = headers.get_all(name).iter().peekable();
    if values.peek().is_none() {
        return Ok(None);
    }
    let mut out = String::new();
    for (i, value) in values.enumerate() {
        let text = value
            .to_str()
            .map_err(|_| Malformed(format!("header {name}: not visible ASCII")))?;
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(text);
    }
    Ok(Some(out))
}

/// Splits a header list at commas outside quotes, unquoting quoted values.
fn split_list(name: &str, text: &str) -> Result<Vec<String>, Malformed> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ' ' || *c == '\t') {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') => break,
                    Some('\\') => match chars.next() {
                        Some(c) => value.push(c),
                        None => return Err(Malformed(format!("header {name}: unclosed quote"))),
                    },
                    Some(c) => value.push(c),
                    None => return Err(Malformed(format!("header {name}: unclosed quote"))),
                }
            }
            while chars.peek().is_some_and(|c| *c != ',') {
                if !chars.next().is_some_and(|c| c == ' ' || c == '\t') {
                    return Err(Malformed(format!(
                        "header {name}: text after a quoted value"
                    )));
                }
            }
        } else {
            while let Some(c) = chars.peek() {
                if *c == ',' {
                    break;
                }
                value.push(*c);
                chars.next();
            }
            value = value.trim_end().to_owned();
        }
        out.push(value);
        if chars.next().is_none() {
            return Ok(out);
        }
    }
}

/// Reads a list header (every line of it), when present.
pub fn read_header_list<T: FromHttpValue>(
    headers: &http::HeaderMap,
    name: &'static str,
) -> Result<Option<Vec<T>>, Malformed> {
    let Some(text) = joined(headers, name)? else {
        return Ok(None);
    };
    split_list(name, &text)?
        .iter()
        .map(|v| T::from_http_value(v).map_err(|e| Malformed(format!("header {name}: {e}"))))
        .collect::<Result<Vec<T>, _>>()
        .map(Some)
}

/// Reads a list of timestamps in `format` from a header, when present.
pub fn read_header_timestamps(
    headers: &http::HeaderMap,
    name: &'static str,
    format: Format,
) -> Result<Option<Vec<DateTime>>, Malformed> {
    let Some(text) = joined(headers, name)? else {
        return Ok(None);
    };
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let values: Vec<String> = if format == Format::HttpDate {
        // "Mon, 16 Dec 2019 23:48:18 GMT": each date is two comma-separated parts.
        let pairs = parts.chunks_exact(2);
        if !pairs.remainder().is_empty() {
            return Err(Malformed(format!(
                "header {name}: {text:?} is not a list of HTTP-dates"
            )));
        }
        pairs.map(|p| format!("{}, {}", p[0], p[1])).collect()
    } else {
        split_list(name, &text)?
    };
    values
        .iter()
        .map(|v| {
            DateTime::from_str(v, crate::json::reading_format(format))
                .map_err(|e| Malformed(format!("header {name}: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// Reads a `@mediaType` string header, which is base64 of its text.
pub fn read_base64_header(
    headers: &http::HeaderMap,
    name: &'static str,
) -> Result<Option<String>, Malformed> {
    let Some(text) = read_header::<String>(headers, name)? else {
        return Ok(None);
    };
    let bytes = aws_smithy_types::base64::decode(text.trim())
        .map_err(|e| Malformed(format!("header {name}: not valid base64: {e}")))?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| Malformed(format!("header {name}: not UTF-8 text once decoded")))
}

/// Reads the headers whose names start with `prefix` (case-insensitively) into a map from the
/// rest of each name to its value; `None` when there are none.
pub fn read_prefix_headers(
    headers: &http::HeaderMap,
    prefix: &str,
) -> Result<Option<HashMap<String, String>>, Malformed> {
    let prefix = prefix.to_ascii_lowercase();
    let mut out = HashMap::new();
    for (name, value) in headers {
        let Some(key) = name.as_str().strip_prefix(prefix.as_str()) else {
            continue;
        };
        let value = value
            .to_str()
            .map_err(|_| Malformed(format!("header {name}: not visible ASCII")))?;
        out.entry(key.to_owned())
            .and_modify(|existing: &mut String| {
                existing.push_str(", ");
                existing.push_str(value);
            })
            .or_insert_with(|| value.to_owned());
    }
    Ok((!out.is_empty()).then_some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
        let mut map = http::HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, http::HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn lists_quote_what_needs_it_and_read_back() {
        let list = Some(vec!["b,c".to_owned(), "\"def\"".to_owned(), "a".to_owned()]);
        let text = header_list(&list).expect("present");
        assert_eq!(text, r#""b,c", "\"def\"", a"#);
        let map = headers(&[("x-list", r#""b,c", "\"def\"", a"#)]);
        assert_eq!(read_header_list::<String>(&map, "x-list"), Ok(list));
        assert_eq!(
            header_list(&Some(Vec::<String>::new())).as_deref(),
            Some("")
        );
        let lines = headers(&[("x-n", "1, 2"), ("x-n", "3")]);
        assert_eq!(
            read_header_list::<i32>(&lines, "x-n"),
            Ok(Some(vec![1, 2, 3]))
        );
        assert!(read_header_list::<String>(&headers(&[("x-q", "\"open")]), "x-q").is_err());
    }

    #[test]
    fn http_date_lists_split_after_every_second_comma() {
        let t = DateTime::from_secs(1_576_540_098);
        let text = header_timestamps(&Some(vec![t, t]), Format::HttpDate)
            .expect("formats")
            .expect("present");
        assert_eq!(
            text,
            "Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT"
        );
        let map = headers(&[(
            "x-t",
            "Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT",
        )]);
        assert_eq!(
            read_header_timestamps(&map, "x-t", Format::HttpDate),
            Ok(Some(vec![t, t]))
        );
    }

    #[test]
    fn media_type_headers_are_base64_and_prefixes_map_headers() {
        assert_eq!(
            base64_header(&Some("true".to_owned())).as_deref(),
            Some("dHJ1ZQ==")
        );
        let map = headers(&[("x-json", "dHJ1ZQ=="), ("x-foo-a", "1"), ("x-foo-b", "")]);
        assert_eq!(
            read_base64_header(&map, "x-json"),
            Ok(Some("true".to_owned()))
        );
        let prefixed = read_prefix_headers(&map, "X-Foo-")
            .expect("reads")
            .expect("present");
        assert_eq!(prefixed.len(), 2);
        assert_eq!(prefixed["b"], "");
        let bad: HashMap<String, String> = [("a b".to_owned(), "v".to_owned())].into();
        assert!(prefix_headers("x-", "m", &Some(bad)).is_err());
    }
}
