//! Reading request members with the model's types, collecting a reason for every bad member.
//!
//! Nothing here trusts the client: a wrong JSON type, an out-of-range integer, a missing required
//! member or a broken pattern each becomes a `ValidationError` reason naming the member path.

use crate::error::{echo, ApiError, Reason};
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

/// Parses a JSON request body into an object; an empty body counts as `{}`.
pub fn parse_body(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::BadRequest(
            "request body must be a JSON object".to_owned(),
        )),
        Err(e) => Err(ApiError::BadRequest(format!(
            "request body is not valid JSON: {e}"
        ))),
    }
}

/// Collects validation reasons while members are read.
#[derive(Debug, Default)]
pub struct Reasons(pub Vec<Reason>);

impl Reasons {
    /// Records a reason.
    pub fn push(&mut self, field: impl Into<String>, reason: impl Into<String>) {
        self.0.push(Reason::new(field, reason));
    }

    /// `Ok` when nothing was recorded, else a `ValidationError` with every reason.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.0))
        }
    }
}

/// A JSON object being read, with its path for error messages.
pub struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

impl<'a> Obj<'a> {
    /// Wraps the top-level body.
    pub fn root(map: &'a Map<String, Value>) -> Self {
        Obj {
            map,
            path: String::new(),
        }
    }

    /// Wraps a nested object found at `path`.
    pub fn nested(map: &'a Map<String, Value>, path: String) -> Self {
        Obj { map, path }
    }

    /// Full path of member `name`; a name longer than 40 characters (a key the client made up)
    /// is cut, so a reason never repeats a huge key in full.
    pub fn field(&self, name: &str) -> String {
        join(&self.path, &echo(name))
    }

    fn get(&self, name: &str) -> Option<&'a Value> {
        match self.map.get(name) {
            None | Some(Value::Null) => None,
            Some(v) => Some(v),
        }
    }

    /// An optional string member.
    pub fn opt_str(&self, name: &str, r: &mut Reasons) -> Option<String> {
        match self.get(name)? {
            Value::String(s) => Some(s.clone()),
            _ => {
                r.push(self.field(name), "must be a string");
                None
            }
        }
    }

    /// A required string member (an empty string counts as missing).
    pub fn req_str(&self, name: &str, r: &mut Reasons) -> Option<String> {
        if self.get(name).is_none() {
            r.push(self.field(name), format!("{name} is required"));
            return None;
        }
        let s = self.opt_str(name, r)?;
        if s.trim().is_empty() {
            r.push(self.field(name), format!("{name} is required"));
            return None;
        }
        Some(s)
    }

    /// An optional boolean member.
    pub fn opt_bool(&self, name: &str, r: &mut Reasons) -> Option<bool> {
        match self.get(name)? {
            Value::Bool(b) => Some(*b),
            _ => {
                r.push(self.field(name), "must be a boolean");
                None
            }
        }
    }

    /// A required boolean member.
    pub fn req_bool(&self, name: &str, r: &mut Reasons) -> Option<bool> {
        if self.get(name).is_none() {
            r.push(self.field(name), format!("{name} is required"));
            return None;
        }
        self.opt_bool(name, r)
    }

    /// An optional 32-bit integer member.
    pub fn opt_i32(&self, name: &str, r: &mut Reasons) -> Option<i32> {
        let v = self.get(name)?;
        match v.as_i64().and_then(|n| i32::try_from(n).ok()) {
            Some(n) => Some(n),
            None => {
                r.push(self.field(name), "must be a 32-bit integer");
                None
            }
        }
    }

    /// An optional 64-bit integer member.
    pub fn opt_i64(&self, name: &str, r: &mut Reasons) -> Option<i64> {
        let v = self.get(name)?;
        match v.as_i64() {
            Some(n) => Some(n),
            None => {
                r.push(self.field(name), "must be a 64-bit integer");
                None
            }
        }
    }

    /// An optional list of strings.
    pub fn opt_str_list(&self, name: &str, r: &mut Reasons) -> Option<Vec<String>> {
        let field = self.field(name);
        match self.get(name)? {
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                let mut ok = true;
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Value::String(s) => out.push(s.clone()),
                        _ => {
                            r.push(format!("{field}[{i}]"), "must be a string");
                            ok = false;
                        }
                    }
                }
                ok.then_some(out)
            }
            _ => {
                r.push(field, "must be a list");
                None
            }
        }
    }

    /// A required list of strings.
    pub fn req_str_list(&self, name: &str, r: &mut Reasons) -> Option<Vec<String>> {
        if self.get(name).is_none() {
            r.push(self.field(name), format!("{name} is required"));
            return None;
        }
        self.opt_str_list(name, r)
    }

    /// An optional nested object.
    pub fn opt_obj(&self, name: &str, r: &mut Reasons) -> Option<Obj<'a>> {
        match self.get(name)? {
            Value::Object(map) => Some(Obj::nested(map, self.field(name))),
            _ => {
                r.push(self.field(name), "must be an object");
                None
            }
        }
    }

    /// A required nested object.
    pub fn req_obj(&self, name: &str, r: &mut Reasons) -> Option<Obj<'a>> {
        if self.get(name).is_none() {
            r.push(self.field(name), format!("{name} is required"));
            return None;
        }
        self.opt_obj(name, r)
    }

    /// An optional list of objects.
    pub fn opt_obj_list(&self, name: &str, r: &mut Reasons) -> Option<Vec<Obj<'a>>> {
        let field = self.field(name);
        match self.get(name)? {
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                let mut ok = true;
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Value::Object(map) => out.push(Obj::nested(map, format!("{field}[{i}]"))),
                        _ => {
                            r.push(format!("{field}[{i}]"), "must be an object");
                            ok = false;
                        }
                    }
                }
                ok.then_some(out)
            }
            _ => {
                r.push(field, "must be a list");
                None
            }
        }
    }

    /// Names of the members present.
    pub fn keys(&self) -> impl Iterator<Item = &'a String> {
        self.map.keys()
    }

    /// A copy of the raw member (for settings stored as given).
    pub fn raw(&self, name: &str) -> Option<&'a Value> {
        self.get(name)
    }
}

/// Query string parameters, decoded.
#[derive(Debug, Default)]
pub struct Query(Vec<(String, String)>);

impl Query {
    /// Splits and percent-decodes a raw query string. `+` stays a literal plus sign.
    pub fn parse(raw: Option<&str>) -> Result<Self, ApiError> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for part in raw.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            let k = decode(k)?;
            let v = decode(v)?;
            if pairs.iter().any(|(existing, _)| *existing == k) {
                return Err(ApiError::BadRequest(format!(
                    "query parameter `{}` is given more than once",
                    echo(&k)
                )));
            }
            pairs.push((k, v));
        }
        Ok(Query(pairs))
    }

    /// The value of `name`, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every parameter, in request order.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// An optional string parameter.
    pub fn opt_str(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_owned)
    }

    /// An optional integer parameter.
    pub fn opt_i64(&self, name: &str, r: &mut Reasons) -> Option<i64> {
        let v = self.get(name)?;
        match v.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                r.push(name, "must be an integer");
                None
            }
        }
    }

    /// An optional boolean parameter.
    pub fn opt_bool(&self, name: &str, r: &mut Reasons) -> Option<bool> {
        match self.get(name)? {
            "true" => Some(true),
            "false" => Some(false),
            _ => {
                r.push(name, "must be true or false");
                None
            }
        }
    }

    /// An optional epoch-seconds timestamp parameter.
    pub fn opt_epoch(&self, name: &str, r: &mut Reasons) -> Option<f64> {
        let v = self.get(name)?;
        match v.parse::<f64>() {
            Ok(n) if n.is_finite() => Some(n),
            _ => {
                r.push(name, "must be a timestamp in epoch seconds");
                None
            }
        }
    }
}

fn decode(s: &str) -> Result<String, ApiError> {
    percent_decode_str(s)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| ApiError::BadRequest("query string is not valid UTF-8".to_owned()))
}

/// Percent-decodes a path label.
pub fn decode_label(s: &str) -> Result<String, ApiError> {
    percent_decode_str(s)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| ApiError::BadRequest("path is not valid UTF-8".to_owned()))
}

/// Checks a value against the `NetworkId` shape (exactly 8 digits).
pub fn check_network_id(field: &str, v: &str, r: &mut Reasons) {
    if v.len() != 8 || !v.bytes().all(|b| b.is_ascii_digit()) {
        r.push(field, "must be exactly 8 digits");
    }
}

/// Checks a value against the `UserId` / `BotId` shapes (1 to 10 digits).
pub fn check_numeric_id(field: &str, v: &str, r: &mut Reasons) {
    if v.is_empty() || v.len() > 10 || !v.bytes().all(|b| b.is_ascii_digit()) {
        r.push(field, "must be 1 to 10 digits");
    }
}

/// Checks a value against the `SecurityGroupId` shape (no whitespace, not empty).
pub fn check_group_id(field: &str, v: &str, r: &mut Reasons) {
    if v.is_empty() || v.chars().any(char::is_whitespace) {
        r.push(field, "must be non-empty and contain no whitespace");
    }
}

/// Checks a value against the `ClientToken` shape.
pub fn check_client_token(v: &str) -> Result<(), ApiError> {
    let ok = !v.is_empty()
        && v.len() <= 64
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':'));
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid(
            "clientToken",
            "must be 1 to 64 characters of letters, digits, '-', '_' or ':'",
        ))
    }
}
