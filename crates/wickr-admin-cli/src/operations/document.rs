//! The operation's input as one JSON document: `--cli-input-json` first, then every member flag
//! over it (flags win, as in the AWS CLI). Every value is checked against the member's type
//! descriptor before anything is sent, and timestamps are written in the member's own format.
//! Each problem names the flag it came from, or its JSON path within `--cli-input-json`.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use clap::ArgMatches;
use serde_json::{Map, Number, Value};
use wickr_admin::primitives::{DateTime, DateTimeFormat};
use wickr_admin::schema::{MemberInfo, OperationInfo, StructureInfo, TypeInfo};

use super::arguments::{self, flag_name, Given, CLI_INPUT_JSON};
use super::failure::Problem;

/// The largest file a `file://` value or `--cli-input-json` may name.
const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The input document and where each of its members came from.
#[derive(Debug)]
pub struct Input {
    pub document: Map<String, Value>,
    /// Members set by a flag, by JSON name, with the flag.
    from_flags: BTreeMap<&'static str, String>,
}

impl Input {
    /// Whether the input sets this member (by model name).
    pub fn sets(&self, op: &OperationInfo, member: &str) -> bool {
        op.input_member(member)
            .is_some_and(|m| self.document.contains_key(m.json_name))
    }

    /// Where a JSON path of the document came from, for messages: the flag, or
    /// `--cli-input-json`, with the path when it goes deeper than the member.
    pub fn place(&self, op: &OperationInfo, path: &str) -> String {
        place(op, &self.from_flags, path)
    }
}

fn place(op: &OperationInfo, from_flags: &BTreeMap<&'static str, String>, path: &str) -> String {
    let top = path.split(['.', '[']).next().unwrap_or_default();
    let member = op.input.iter().find(|m| m.json_name == top);
    match (from_flags.get(top), member) {
        (Some(flag), _) if path == top => flag.clone(),
        (Some(flag), _) => format!("{flag} ({path})"),
        (None, Some(m)) if path == top && !path.is_empty() => {
            format!("--{} ({path})", flag_name(m.name))
        }
        _ if path.is_empty() => format!("--{CLI_INPUT_JSON}"),
        _ => format!("--{CLI_INPUT_JSON} ({path})"),
    }
}

/// Reads `--cli-input-json` and the member flags into one checked document.
pub fn assemble(op: &'static OperationInfo, matches: &ArgMatches) -> Result<Input, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut document = match matches.get_one::<String>(CLI_INPUT_JSON) {
        Some(source) => match read_input_json(source) {
            Ok(document) => document,
            Err(message) => return Err(vec![Problem::new(format!("--{CLI_INPUT_JSON}"), message)]),
        },
        None => Map::new(),
    };
    let mut from_flags = BTreeMap::new();
    for member in op.input {
        let flag = format!("--{}", flag_name(member.name));
        let given = arguments::given(matches, member);
        if matches!(given, Given::Nothing) {
            continue;
        }
        match from_flag(member, given) {
            Ok(value) => {
                document.insert(member.json_name.to_owned(), value);
            }
            Err(message) => problems.push(Problem::new(flag.clone(), message)),
        }
        from_flags.insert(member.json_name, flag);
    }
    // Every member checked against its type, wherever it came from.
    let mut found = Vec::new();
    let checked = check_members(document, op.input, "", &mut found);
    for (path, message) in found {
        problems.push(Problem::new(place(op, &from_flags, &path), message));
    }
    for member in op.input.iter().filter(|m| m.required) {
        if !checked.contains_key(member.json_name)
            && !problems.iter().any(|p| {
                p.place
                    .starts_with(&format!("--{}", flag_name(member.name)))
            })
        {
            problems.push(Problem::new(
                place(op, &from_flags, member.json_name),
                "is required",
            ));
        }
    }
    if problems.is_empty() {
        Ok(Input {
            document: checked,
            from_flags,
        })
    } else {
        Err(problems)
    }
}

/// `--cli-input-json`'s document: the JSON itself, `file://PATH`, `-` for standard input, or a
/// path to a file.
fn read_input_json(source: &str) -> Result<Map<String, Value>, String> {
    let text = if source == "-" {
        let mut text = String::new();
        std::io::stdin()
            .take(MAX_FILE_BYTES + 1)
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        if text.len() as u64 > MAX_FILE_BYTES {
            return Err(format!("standard input is over {MAX_FILE_BYTES} bytes"));
        }
        text
    } else if let Some(path) = source.strip_prefix("file://") {
        read_file(path)?
    } else if source.trim_start().starts_with(['{', '[']) {
        source.to_owned()
    } else if Path::new(source).is_file() {
        read_file(source)?
    } else {
        return Err(format!(
            "{source:?} is neither a JSON object nor a file (give the JSON, file://PATH or -)"
        ));
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    match wickr_admin::json::parse_document(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(format!("expected a JSON object, got {}", kind(&other))),
        Err(e) => Err(e.to_string()),
    }
}

/// The text of a value given on the command line: the value itself, or the content of the file
/// a `file://` value names (as the AWS CLI reads it).
fn value_text(text: &str) -> Result<String, String> {
    if let Some(path) = text.strip_prefix("file://") {
        return read_file(path);
    }
    if text.starts_with("fileb://") {
        return Err("fileb:// is not supported: give the value, or file://PATH for text".into());
    }
    Ok(text.to_owned())
}

fn read_file(path: &str) -> Result<String, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let mut text = String::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| format!("cannot read {path}: {e}"))?;
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(format!("{path} is over {MAX_FILE_BYTES} bytes"));
    }
    Ok(text)
}

fn parse_json(text: &str) -> Result<Value, String> {
    wickr_admin::json::parse_document(text).map_err(|e| e.to_string())
}

/// A member's value from its flag: scalars from their text, lists of scalars from several texts
/// (or one JSON list), everything else from JSON.
fn from_flag(member: &MemberInfo, given: Given) -> Result<Value, String> {
    let texts = match given {
        Given::Nothing => return Ok(Value::Null),
        Given::Boolean(value) => return Ok(Value::Bool(value)),
        Given::Texts(texts) => texts,
    };
    let mut values = Vec::with_capacity(texts.len());
    for text in &texts {
        values.push(value_text(text)?);
    }
    match member.ty {
        TypeInfo::List(element) => {
            if let [single] = values.as_slice() {
                if single.trim_start().starts_with('[') {
                    return parse_json(single);
                }
            }
            values
                .iter()
                .map(|text| scalar_or_json(element, text))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array)
        }
        ty => match values.as_slice() {
            [single] => scalar_or_json(ty, single),
            _ => Err("takes one value".into()),
        },
    }
}

/// A value from its text: JSON for structures, maps, unions and documents; a number, boolean or
/// string for scalars (checked against the type afterwards).
fn scalar_or_json(ty: &TypeInfo, text: &str) -> Result<Value, String> {
    match ty {
        TypeInfo::String | TypeInfo::Enum(_) | TypeInfo::Blob | TypeInfo::Timestamp(_) => {
            Ok(Value::String(text.to_owned()))
        }
        TypeInfo::Boolean => match text {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(format!("{} is not true or false", quoted(text))),
        },
        TypeInfo::Byte
        | TypeInfo::Short
        | TypeInfo::Integer
        | TypeInfo::Long
        | TypeInfo::IntEnum(_)
        | TypeInfo::BigInteger => text
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("{} is not an integer", quoted(text))),
        TypeInfo::Float | TypeInfo::Double | TypeInfo::BigDecimal => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| format!("{} is not a number", quoted(text))),
        TypeInfo::List(_)
        | TypeInfo::Map(..)
        | TypeInfo::Structure(_)
        | TypeInfo::Union(_)
        | TypeInfo::Document => parse_json(text),
    }
}

/// A user's text in a message: quoted, and cut when long.
fn quoted(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        format!("{text:?}")
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{cut:?}...")
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Checks an object's keys against members; unknown keys and `null` values are problems.
fn check_members(
    object: Map<String, Value>,
    members: &[MemberInfo],
    path: &str,
    found: &mut Vec<(String, String)>,
) -> Map<String, Value> {
    let mut out = Map::new();
    for (key, value) in object {
        let here = join(path, &key);
        let Some(member) = members.iter().find(|m| m.json_name == key) else {
            let known: Vec<&str> = members.iter().map(|m| m.json_name).collect();
            found.push((
                here,
                format!("unknown member; the members are {}", known.join(", ")),
            ));
            continue;
        };
        if value.is_null() {
            found.push((here, "is null: leave the member out instead".into()));
            continue;
        }
        if let Some(value) = check(value, member.ty, &here, found) {
            out.insert(key, value);
        }
    }
    out
}

/// Checks a value against its type, returning it as the request takes it (timestamps in the
/// member's format); `None` when it is wrong, with the problem recorded.
fn check(
    value: Value,
    ty: &TypeInfo,
    path: &str,
    found: &mut Vec<(String, String)>,
) -> Option<Value> {
    let mut wrong = |message: String| {
        found.push((path.to_owned(), message));
        None
    };
    match (ty, value) {
        (TypeInfo::String | TypeInfo::Blob, value @ Value::String(_)) => Some(value),
        (TypeInfo::Enum(values), Value::String(text)) => {
            if values.contains(&text.as_str()) {
                Some(Value::String(text))
            } else {
                wrong(format!(
                    "{} is not one of {}",
                    quoted(&text),
                    values.join(", ")
                ))
            }
        }
        (TypeInfo::IntEnum(values), Value::Number(n)) => {
            match n
                .as_i64()
                .filter(|n| values.iter().any(|(_, v)| i64::from(*v) == *n))
            {
                Some(_) => Some(Value::Number(n)),
                None => wrong(format!(
                    "{n} is not one of {}",
                    values
                        .iter()
                        .map(|(name, v)| format!("{v} ({name})"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            }
        }
        (TypeInfo::Boolean, value @ Value::Bool(_)) => Some(value),
        (TypeInfo::Byte, Value::Number(n)) => whole(n, i64::from(i8::MIN), i64::from(i8::MAX))
            .or_else(|| wrong("is not an 8-bit integer".into())),
        (TypeInfo::Short, Value::Number(n)) => whole(n, i64::from(i16::MIN), i64::from(i16::MAX))
            .or_else(|| wrong("is not a 16-bit integer".into())),
        (TypeInfo::Integer, Value::Number(n)) => whole(n, i64::from(i32::MIN), i64::from(i32::MAX))
            .or_else(|| wrong("is not a 32-bit integer".into())),
        (TypeInfo::Long, Value::Number(n)) => {
            whole(n, i64::MIN, i64::MAX).or_else(|| wrong("is not a 64-bit integer".into()))
        }
        (TypeInfo::BigInteger, Value::Number(n)) if n.is_i64() || n.is_u64() => {
            Some(Value::Number(n))
        }
        (TypeInfo::Float | TypeInfo::Double | TypeInfo::BigDecimal, value @ Value::Number(_)) => {
            Some(value)
        }
        (TypeInfo::Timestamp(format), value @ (Value::String(_) | Value::Number(_))) => {
            match timestamp(&value) {
                Ok(time) => Some(write_timestamp(&time, *format)),
                Err(message) => wrong(message),
            }
        }
        (TypeInfo::Document, value) => Some(value),
        (TypeInfo::List(element), Value::Array(items)) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                let here = format!("{path}[{i}]");
                if item.is_null() {
                    found.push((here, "is null: a list holds values only".into()));
                } else if let Some(item) = check(item, element, &here, found) {
                    out.push(item);
                }
            }
            Some(Value::Array(out))
        }
        (TypeInfo::Map(key, value_ty), Value::Object(entries)) => {
            let mut out = Map::new();
            for (k, v) in entries {
                let here = join(path, &k);
                if let TypeInfo::Enum(values) = key {
                    if !values.contains(&k.as_str()) {
                        found.push((
                            here.clone(),
                            format!("key is not one of {}", values.join(", ")),
                        ));
                    }
                }
                if v.is_null() {
                    found.push((here, "is null: leave the entry out instead".into()));
                } else if let Some(v) = check(v, value_ty, &here, found) {
                    out.insert(k, v);
                }
            }
            Some(Value::Object(out))
        }
        (TypeInfo::Structure(structure), Value::Object(object)) => Some(Value::Object(
            check_structure(object, structure, path, found),
        )),
        (TypeInfo::Union(union), Value::Object(object)) => {
            if object.len() != 1 {
                let names: Vec<&str> = union.members.iter().map(|m| m.json_name).collect();
                return wrong(format!(
                    "a union takes exactly one of {}, got {}",
                    names.join(", "),
                    object.len()
                ));
            }
            Some(Value::Object(check_structure(object, union, path, found)))
        }
        (ty, value) => wrong(format!("expected {}, got {}", expected(ty), kind(&value))),
    }
}

fn check_structure(
    object: Map<String, Value>,
    structure: &StructureInfo,
    path: &str,
    found: &mut Vec<(String, String)>,
) -> Map<String, Value> {
    check_members(object, structure.members, path, found)
}

fn whole(n: Number, min: i64, max: i64) -> Option<Value> {
    n.as_i64()
        .filter(|v| (min..=max).contains(v))
        .map(Value::from)
}

fn expected(ty: &TypeInfo) -> &'static str {
    match ty {
        TypeInfo::String | TypeInfo::Enum(_) => "a string",
        TypeInfo::Blob => "a base64 string",
        TypeInfo::Boolean => "true or false",
        TypeInfo::Byte
        | TypeInfo::Short
        | TypeInfo::Integer
        | TypeInfo::Long
        | TypeInfo::BigInteger
        | TypeInfo::IntEnum(_) => "a whole number",
        TypeInfo::Float | TypeInfo::Double | TypeInfo::BigDecimal => "a number",
        TypeInfo::Timestamp(_) => "a timestamp (RFC 3339 text or seconds since 1970)",
        TypeInfo::List(_) => "a list",
        TypeInfo::Map(..) | TypeInfo::Structure(_) | TypeInfo::Union(_) => "an object",
        TypeInfo::Document => "a JSON value",
    }
}

/// A timestamp from seconds since 1970, or RFC 3339 text; a date alone is its midnight UTC, and a
/// time without an offset is UTC.
fn timestamp(value: &Value) -> Result<DateTime, String> {
    let text = match value {
        Value::Number(n) => {
            return n
                .as_f64()
                .filter(|s| s.is_finite())
                .map(DateTime::from_secs_f64)
                .ok_or_else(|| format!("{n} is not a number of seconds"))
        }
        Value::String(text) => text.trim(),
        other => return Err(format!("expected a timestamp, got {}", kind(other))),
    };
    if let Ok(seconds) = text.parse::<f64>() {
        if seconds.is_finite() {
            return Ok(DateTime::from_secs_f64(seconds));
        }
    }
    let candidates = [
        text.to_owned(),
        format!("{text}Z"),
        format!("{text}T00:00:00Z"),
    ];
    candidates
        .iter()
        .find_map(|candidate| DateTime::from_str(candidate, DateTimeFormat::DateTime).ok())
        .ok_or_else(|| {
            format!(
                "{} is not a timestamp: give RFC 3339 (2024-01-31T12:00:00Z) or seconds since 1970",
                quoted(text)
            )
        })
}

fn write_timestamp(time: &DateTime, format: DateTimeFormat) -> Value {
    match format {
        DateTimeFormat::EpochSeconds => {
            if time.has_subsec_nanos() {
                Number::from_f64(time.as_secs_f64()).map_or(Value::from(time.secs()), Value::Number)
            } else {
                Value::from(time.secs())
            }
        }
        other => time
            .fmt(other)
            .map_or_else(|_| Value::from(time.secs()), Value::String),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn checked(value: Value, ty: &TypeInfo) -> (Option<Value>, Vec<(String, String)>) {
        let mut found = Vec::new();
        let out = check(value, ty, "m", &mut found);
        (out, found)
    }

    #[test]
    fn timestamps_are_written_in_the_members_format() {
        let epoch = TypeInfo::Timestamp(DateTimeFormat::EpochSeconds);
        assert_eq!(
            checked(json!("2024-01-31T12:00:00Z"), &epoch).0,
            Some(json!(1706702400))
        );
        assert_eq!(
            checked(json!("2024-01-31"), &epoch).0,
            Some(json!(1706659200))
        );
        assert_eq!(
            checked(json!(1706702400), &epoch).0,
            Some(json!(1706702400))
        );
        let text = TypeInfo::Timestamp(DateTimeFormat::DateTime);
        assert_eq!(
            checked(json!("1706702400"), &text).0,
            Some(json!("2024-01-31T12:00:00Z"))
        );
        let (out, found) = checked(json!("yesterday"), &epoch);
        assert!(
            out.is_none() && found[0].1.contains("not a timestamp"),
            "{found:?}"
        );
    }

    #[test]
    fn wrong_types_name_the_path_and_what_was_expected() {
        static VALUES: &[&str] = &["ASC", "DESC"];
        let (_, found) = checked(json!(["a", null, 3]), &TypeInfo::List(&TypeInfo::String));
        assert_eq!(
            found,
            vec![
                (
                    "m[1]".to_owned(),
                    "is null: a list holds values only".to_owned()
                ),
                (
                    "m[2]".to_owned(),
                    "expected a string, got a number".to_owned()
                ),
            ]
        );
        let (_, found) = checked(json!("UP"), &TypeInfo::Enum(VALUES));
        assert_eq!(found[0].1, "\"UP\" is not one of ASC, DESC");
        let (_, found) = checked(json!(3_000_000_000_i64), &TypeInfo::Integer);
        assert_eq!(found[0].1, "is not a 32-bit integer");
        let (_, found) = checked(json!(1.5), &TypeInfo::Long);
        assert_eq!(found[0].1, "is not a 64-bit integer");
    }

    #[test]
    fn flag_texts_become_values_of_the_members_type() {
        assert_eq!(scalar_or_json(&TypeInfo::Integer, " 42"), Ok(json!(42)));
        assert_eq!(
            scalar_or_json(&TypeInfo::Integer, "4x"),
            Err("\"4x\" is not an integer".to_owned())
        );
        assert_eq!(scalar_or_json(&TypeInfo::Boolean, "true"), Ok(json!(true)));
        assert_eq!(scalar_or_json(&TypeInfo::String, "[1]"), Ok(json!("[1]")));
        assert!(scalar_or_json(&TypeInfo::Document, "{\"a\": 1, \"a\": 2}")
            .unwrap_err()
            .contains("appears twice"));
        let long = "x".repeat(100);
        assert!(scalar_or_json(&TypeInfo::Double, &long)
            .unwrap_err()
            .ends_with("\"... is not a number"));
    }
}
