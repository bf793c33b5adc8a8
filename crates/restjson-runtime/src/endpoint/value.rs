//! Values during a resolution, their static types, and `getAttr` paths into them.
//!
//! A resolution borrows what it can: strings from the rule set, the caller's parameters and the
//! partition data are not copied. What a function computes is shared by reference count, so
//! reading a variable twice costs no copy either.

use std::rc::Rc;

use super::arn::Arn;
use super::partition::PartitionOutputs;
use super::url::Url;

/// A string value: borrowed, or computed during this resolution.
#[derive(Clone, Debug)]
pub(crate) enum Text<'a> {
    Borrowed(&'a str),
    Shared(Rc<str>),
}

impl Text<'_> {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Self::Borrowed(text) => text,
            Self::Shared(text) => text,
        }
    }
}

/// A list of strings: a caller's or the rule set's (borrowed), or one a function computed.
#[derive(Clone, Debug)]
pub(crate) enum TextList<'a> {
    Borrowed(&'a [String]),
    Shared(Rc<[Rc<str>]>),
}

impl<'a> TextList<'a> {
    fn get(&self, index: usize) -> Option<Text<'a>> {
        match self {
            Self::Borrowed(items) => items.get(index).map(|s| Text::Borrowed(s.as_str())),
            Self::Shared(items) => items.get(index).map(|s| Text::Shared(Rc::clone(s))),
        }
    }
}

/// A value during a resolution. Unset values are `None` around it, never a variant.
#[derive(Clone, Debug)]
pub(crate) enum Value<'a> {
    String(Text<'a>),
    Boolean(bool),
    Integer(i64),
    StringArray(TextList<'a>),
    Partition(&'a PartitionOutputs),
    Url(Rc<Url>),
    Arn(Rc<Arn>),
}

impl Value<'_> {
    /// The type of this value, for messages.
    pub(crate) fn value_type(&self) -> Type {
        match self {
            Self::String(_) => Type::String,
            Self::Boolean(_) => Type::Boolean,
            Self::Integer(_) => Type::Integer,
            Self::StringArray(_) => Type::StringArray,
            Self::Partition(_) => Type::Partition,
            Self::Url(_) => Type::Url,
            Self::Arn(_) => Type::Arn,
        }
    }
}

/// The type of an expression, known when the rule set is parsed. Whether a value may be unset
/// is not part of it: a function given an unset value fails the resolution with a clear error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Type {
    String,
    Boolean,
    Integer,
    StringArray,
    /// What `aws.partition` returns.
    Partition,
    /// What `parseURL` returns.
    Url,
    /// What `aws.parseArn` returns.
    Arn,
}

impl Type {
    /// The type with its article, for messages: `a string`, `an integer`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::String => "a string",
            Self::Boolean => "a boolean",
            Self::Integer => "an integer",
            Self::StringArray => "a string array",
            Self::Partition => "a partition (from aws.partition)",
            Self::Url => "a URL (from parseURL)",
            Self::Arn => "an ARN (from aws.parseArn)",
        }
    }

    /// The type of a record's field, or `None` when this type has no such field.
    fn field(self, key: &str) -> Option<Type> {
        let field = match (self, key) {
            (Self::Partition, "name" | "dnsSuffix" | "dualStackDnsSuffix") => Type::String,
            (Self::Partition, "implicitGlobalRegion") => Type::String,
            (Self::Partition, "supportsFIPS" | "supportsDualStack") => Type::Boolean,
            (Self::Url, "scheme" | "authority" | "path" | "normalizedPath") => Type::String,
            (Self::Url, "isIp") => Type::Boolean,
            (Self::Arn, "partition" | "service" | "region" | "accountId") => Type::String,
            (Self::Arn, "resourceId") => Type::StringArray,
            _ => return None,
        };
        Some(field)
    }
}

/// One step of a `getAttr` path.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Key(Box<str>),
    Index(usize),
}

/// A parsed `getAttr` path such as `dnsSuffix` or `resourceId[1]`: keys separated by `.`, and
/// at most one index, at the end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct AttrPath {
    steps: Vec<Step>,
}

impl AttrPath {
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        let mut steps = Vec::new();
        for component in text.split('.') {
            let (key, index) = match component.split_once('[') {
                Some((key, rest)) => {
                    let digits = rest
                        .strip_suffix(']')
                        .ok_or_else(|| format!("path `{text}`: `{component}` must end with `]`"))?;
                    let index = parse_index(digits).ok_or_else(|| {
                        format!("path `{text}`: `[{digits}]` is not an index (digits only)")
                    })?;
                    (key, Some(index))
                }
                None => (component, None),
            };
            if key.contains(']') {
                return Err(format!("path `{text}`: unexpected `]` in `{component}`"));
            }
            if !key.is_empty() {
                steps.push(Step::Key(key.into()));
            } else if index.is_none() {
                return Err(format!("path `{text}` has an empty part"));
            }
            if let Some(index) = index {
                steps.push(Step::Index(index));
            }
        }
        if let Some(position) = steps.iter().position(|s| matches!(s, Step::Index(_))) {
            if position + 1 != steps.len() {
                return Err(format!(
                    "path `{text}`: an index may only come at the end of a path"
                ));
            }
        }
        Ok(Self { steps })
    }

    /// The type at the end of the path from a value of type `base`.
    pub(crate) fn result_type(&self, base: Type) -> Result<Type, String> {
        let mut current = base;
        for step in &self.steps {
            current = match step {
                Step::Key(key) => current
                    .field(key)
                    .ok_or_else(|| format!("{} has no field `{key}`", current.name()))?,
                Step::Index(_) if current == Type::StringArray => Type::String,
                Step::Index(index) => {
                    return Err(format!("cannot index {} with [{index}]", current.name()))
                }
            };
        }
        Ok(current)
    }

    /// The value at the end of the path, or `None` when an index is past the end of a list or
    /// a field is absent. The rule set's parse checked the path against the value's type.
    pub(crate) fn get<'a>(&self, value: &Value<'a>) -> Option<Value<'a>> {
        let mut current = value.clone();
        for step in &self.steps {
            current = match (step, &current) {
                (Step::Key(key), Value::Partition(outputs)) => outputs.field(key)?,
                (Step::Key(key), Value::Url(url)) => url.field(key)?,
                (Step::Key(key), Value::Arn(arn)) => arn.field(key)?,
                (Step::Index(index), Value::StringArray(items)) => {
                    Value::String(items.get(*index)?)
                }
                _ => return None,
            };
        }
        Some(current)
    }
}

fn parse_index(digits: &str) -> Option<usize> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_parse_keys_and_a_final_index() {
        let path = AttrPath::parse("resourceId[2]").unwrap();
        assert_eq!(
            path.steps,
            vec![Step::Key("resourceId".into()), Step::Index(2)]
        );
        assert_eq!(AttrPath::parse("[0]").unwrap().steps, vec![Step::Index(0)]);
        assert_eq!(
            AttrPath::parse("a.b").unwrap().steps,
            vec![Step::Key("a".into()), Step::Key("b".into())]
        );
    }

    #[test]
    fn malformed_paths_are_refused_with_the_reason() {
        for (path, reason) in [
            ("", "empty part"),
            ("a..b", "empty part"),
            ("list[", "must end with `]`"),
            ("list[x]", "not an index"),
            ("list[-1]", "not an index"),
            ("list[0].name", "only come at the end"),
            ("a]", "unexpected `]`"),
        ] {
            let error = AttrPath::parse(path).unwrap_err();
            assert!(error.contains(reason), "{path}: {error}");
        }
    }

    #[test]
    fn path_types_follow_the_records() {
        let path = |p| AttrPath::parse(p).unwrap();
        assert_eq!(
            path("dnsSuffix").result_type(Type::Partition),
            Ok(Type::String)
        );
        assert_eq!(
            path("supportsFIPS").result_type(Type::Partition),
            Ok(Type::Boolean)
        );
        assert_eq!(
            path("resourceId[0]").result_type(Type::Arn),
            Ok(Type::String)
        );
        assert_eq!(
            path("resourceId").result_type(Type::Arn),
            Ok(Type::StringArray)
        );
        assert_eq!(path("[3]").result_type(Type::StringArray), Ok(Type::String));
        assert!(path("dnsSufix")
            .result_type(Type::Partition)
            .unwrap_err()
            .contains("no field `dnsSufix`"));
        assert!(path("scheme[0]")
            .result_type(Type::Url)
            .unwrap_err()
            .contains("cannot index a string"));
        assert!(path("name").result_type(Type::String).is_err());
    }

    #[test]
    fn an_index_past_the_end_is_unset() {
        let items = vec!["a".to_string(), "b".to_string()];
        let list = Value::StringArray(TextList::Borrowed(&items));
        let second = AttrPath::parse("[1]").unwrap().get(&list);
        assert!(matches!(second, Some(Value::String(t)) if t.as_str() == "b"));
        assert!(AttrPath::parse("[2]").unwrap().get(&list).is_none());
    }
}
