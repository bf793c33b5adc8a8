//! Input validation from the model's constraints, run before anything is sent.

use std::collections::HashMap;
use std::fmt;

/// One broken constraint: where, and which rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Field path from the input root, e.g. `users[3].username`.
    pub path: String,
    /// The rule broken, e.g. `length must be between 8 and 8, got 3`.
    pub rule: String,
}

/// Every constraint an input breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidInput {
    /// The operation the input was for.
    pub operation: &'static str,
    /// The broken constraints, in field order.
    pub violations: Vec<Violation>,
}

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {} input: ", self.operation)?;
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", v.path, v.rule)?;
        }
        Ok(())
    }
}

impl std::error::Error for InvalidInput {}

impl InvalidInput {
    /// Checks one operation's input against the model's constraints; `Ok` when nothing is
    /// broken. (One function for every input, where [`check`](Self::check) is compiled for each
    /// closure.)
    pub fn of(operation: &'static str, input: &dyn Validate) -> Result<(), Self> {
        Self::check(operation, |out| input.validate(&Path::Root, out))
    }

    /// Runs the checks of one operation's input; `Ok` when nothing is broken.
    pub fn check(
        operation: &'static str,
        checks: impl FnOnce(&mut Vec<Violation>),
    ) -> Result<(), Self> {
        let mut violations = Vec::new();
        checks(&mut violations);
        if violations.is_empty() {
            Ok(())
        } else {
            Err(Self {
                operation,
                violations,
            })
        }
    }
}

/// Where a value sits in an input, built lazily: the text is only made when a rule is broken.
#[derive(Clone, Copy, Debug)]
pub enum Path<'a> {
    /// The input itself.
    Root,
    /// A member of a structure.
    Field(&'a Path<'a>, &'static str),
    /// An element of a list.
    Index(&'a Path<'a>, usize),
    /// An entry of a map.
    Key(&'a Path<'a>, &'a str),
}

impl<'a> Path<'a> {
    /// The path of a member below this one.
    pub fn field(&'a self, name: &'static str) -> Path<'a> {
        Path::Field(self, name)
    }

    /// The path of a list element below this one.
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path::Index(self, index)
    }

    /// The path of a map entry below this one.
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path::Key(self, key)
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Field(Path::Root, name) => f.write_str(name),
            Path::Field(parent, name) => write!(f, "{parent}.{name}"),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
            Path::Key(parent, key) => write!(f, "{parent}[{key:?}]"),
        }
    }
}

/// A structure whose members carry constraints.
pub trait Validate {
    /// Appends every broken constraint of `self`, found at `path`, to `out`.
    fn validate(&self, path: &Path<'_>, out: &mut Vec<Violation>);
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, path: &Path<'_>, out: &mut Vec<Violation>) {
        if let Some(value) = self {
            value.validate(path, out);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, path: &Path<'_>, out: &mut Vec<Violation>) {
        for (i, value) in self.iter().enumerate() {
            value.validate(&path.index(i), out);
        }
    }
}

impl<K: crate::json::MapKey, T: Validate> Validate for HashMap<K, T> {
    fn validate(&self, path: &Path<'_>, out: &mut Vec<Violation>) {
        for (key, value) in self {
            value.validate(&path.key(key.as_key()), out);
        }
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate(&self, path: &Path<'_>, out: &mut Vec<Violation>) {
        (**self).validate(path, out);
    }
}

/// A union holding a member this client does not know (read from a response) cannot be sent:
/// nothing says how to write it.
pub fn unknown_variant(out: &mut Vec<Violation>, path: &Path<'_>) {
    push(
        out,
        path,
        "holds a union member this client does not know, which cannot be sent".to_owned(),
    );
}

/// `@uniqueItems`: no two elements of the list are equal. Names the first repeated element.
/// Linear in the list's length (`unique_items.rs`).
pub fn unique_items<T: PartialEq + crate::json::ToJson>(
    out: &mut Vec<Violation>,
    path: &Path<'_>,
    value: &[T],
) {
    if let Some((i, first)) = unique_items::first_repeat(value) {
        push(
            out,
            path,
            format!("elements must be unique, but [{i}] repeats [{first}]"),
        );
    }
}

fn push(out: &mut Vec<Violation>, path: &Path<'_>, rule: String) {
    out.push(Violation {
        path: path.to_string(),
        rule,
    });
}

/// A required member must be set.
pub fn required<T>(out: &mut Vec<Violation>, path: &Path<'_>, value: &Option<T>) {
    if value.is_none() {
        push(out, path, "is required".to_owned());
    }
}

/// Something with a length: strings count characters, lists elements, maps entries, blobs
/// bytes.
pub trait Length {
    /// The length the `@length` trait speaks of.
    fn constraint_len(&self) -> usize;
}

impl Length for String {
    fn constraint_len(&self) -> usize {
        self.chars().count()
    }
}

impl Length for str {
    fn constraint_len(&self) -> usize {
        self.chars().count()
    }
}

impl<T> Length for Vec<T> {
    fn constraint_len(&self) -> usize {
        self.len()
    }
}

impl<K, T> Length for HashMap<K, T> {
    fn constraint_len(&self) -> usize {
        self.len()
    }
}

impl Length for aws_smithy_types::Blob {
    fn constraint_len(&self) -> usize {
        self.as_ref().len()
    }
}

/// `@length`: the length must lie within `min..=max` (either bound may be absent).
pub fn length<T: Length + ?Sized>(
    out: &mut Vec<Violation>,
    path: &Path<'_>,
    value: &T,
    min: Option<u64>,
    max: Option<u64>,
) {
    let len = value.constraint_len() as u64;
    if min.is_some_and(|min| len < min) || max.is_some_and(|max| len > max) {
        push(
            out,
            path,
            format!("length must be {}, got {len}", bounds(min, max)),
        );
    }
}

/// `@range`: the number must lie within `min..=max` (either bound may be absent).
pub fn range<T: Copy + Into<f64> + fmt::Display>(
    out: &mut Vec<Violation>,
    path: &Path<'_>,
    value: T,
    min: Option<f64>,
    max: Option<f64>,
) {
    let number: f64 = value.into();
    if min.is_some_and(|min| number < min) || max.is_some_and(|max| number > max) {
        push(
            out,
            path,
            format!("value must be {}, got {value}", bounds(min, max)),
        );
    }
}

/// `@range` for 64-bit integers, compared exactly.
pub fn range_i64(
    out: &mut Vec<Violation>,
    path: &Path<'_>,
    value: i64,
    min: Option<i64>,
    max: Option<i64>,
) {
    if min.is_some_and(|min| value < min) || max.is_some_and(|max| value > max) {
        push(
            out,
            path,
            format!("value must be {}, got {value}", bounds(min, max)),
        );
    }
}

fn bounds<T: fmt::Display>(min: Option<T>, max: Option<T>) -> String {
    match (min, max) {
        (Some(min), Some(max)) => format!("between {min} and {max}"),
        (Some(min), None) => format!("at least {min}"),
        (None, Some(max)) => format!("at most {max}"),
        (None, None) => "unbounded".to_owned(),
    }
}

mod class_pattern;
mod unique_items;

use class_pattern::ClassPattern;

/// A `@pattern` regular expression, compiled the first time it is used.
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    compiled: std::sync::OnceLock<Result<Matcher, String>>,
}

/// How a pattern is matched: a class repeated is matched directly, anything else by the regex.
#[derive(Debug)]
enum Matcher {
    Class(ClassPattern),
    Regex(regex_lite::Regex),
}

impl Matcher {
    fn is_match(&self, value: &str) -> bool {
        match self {
            Matcher::Class(class) => class.is_match(value),
            Matcher::Regex(regex) => regex.is_match(value),
        }
    }
}

impl Pattern {
    /// A pattern from the model (the regex is compiled lazily).
    pub const fn new(source: &'static str) -> Self {
        Self {
            source,
            compiled: std::sync::OnceLock::new(),
        }
    }

    /// The pattern as written in the model.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether every string matches, as with `^[\S\s]*$` (any character, any number of times):
    /// the model uses such patterns on free text, and running a regex on each value would check
    /// nothing.
    pub fn matches_everything(&self) -> bool {
        matches!(self.source, "^[\\S\\s]*$" | "^[\\s\\S]*$")
    }

    fn matcher(&self) -> Result<&Matcher, &str> {
        self.compiled
            .get_or_init(|| {
                let regex = regex_lite::Regex::new(self.source).map_err(|e| e.to_string())?;
                Ok(match ClassPattern::parse(self.source) {
                    Some(class) => Matcher::Class(class),
                    None => Matcher::Regex(regex),
                })
            })
            .as_ref()
            .map_err(String::as_str)
    }
}

/// `@pattern`: the string must match the regular expression (anchors are the model's own).
pub fn pattern(out: &mut Vec<Violation>, path: &Path<'_>, value: &str, pattern: &Pattern) {
    if pattern.matches_everything() {
        return;
    }
    match pattern.matcher() {
        Ok(matcher) if matcher.is_match(value) => {}
        Ok(_) => push(
            out,
            path,
            format!("must match the pattern {}", pattern.source()),
        ),
        Err(e) => push(
            out,
            path,
            format!("pattern {} cannot be compiled: {e}", pattern.source()),
        ),
    }
}

/// The error of a builder whose required members are not all set: names every missing one.
pub fn missing_members(
    type_name: &'static str,
    members: &[(&'static str, bool)],
) -> aws_smithy_types::error::operation::BuildError {
    let missing: Vec<&str> = members
        .iter()
        .filter(|(_, missing)| *missing)
        .map(|(name, _)| *name)
        .collect();
    aws_smithy_types::error::operation::BuildError::invalid_field(
        type_name,
        format!("required members are not set: {}", missing.join(", ")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_rules_are_named() {
        let root = Path::Root;
        let users = root.field("users");
        let third = users.index(3);
        let name = third.field("username");
        assert_eq!(name.to_string(), "users[3].username");
        let mut out = Vec::new();
        length(&mut out, &name, &"abc".to_owned(), Some(8), Some(8));
        range(&mut out, &root.field("n"), 11, Some(1.0), Some(10.0));
        static DIGITS: Pattern = Pattern::new("^[0-9]+$");
        pattern(&mut out, &root.field("id"), "12a", &DIGITS);
        pattern(&mut out, &root.field("id"), "123", &DIGITS);
        assert_eq!(out.len(), 3);
        assert_eq!(out[0].rule, "length must be between 8 and 8, got 3");
        assert_eq!(out[1].path, "n");
        assert_eq!(out[2].rule, "must match the pattern ^[0-9]+$");
    }

    #[test]
    fn only_patterns_that_match_every_string_are_skipped() {
        static ANY: Pattern = Pattern::new("^[\\S\\s]*$");
        static ANY_REVERSED: Pattern = Pattern::new("^[\\s\\S]*$");
        static NO_SPACE: Pattern = Pattern::new("^[\\S]+$");
        assert!(ANY.matches_everything() && ANY_REVERSED.matches_everything());
        assert!(!NO_SPACE.matches_everything());
        // What the skipped ones would have said: the pattern's own matcher (the class matcher,
        // not the regex) accepts every kind of text, and so does the regex.
        let matcher = ANY.matcher().expect("compiles");
        assert!(matches!(matcher, Matcher::Class(_)), "{matcher:?}");
        let regex = regex_lite::Regex::new(ANY.source).expect("compiles");
        for text in ["", "a b", "line\nbreak", "\u{0}\t\r", "émoji 🙂"] {
            assert!(matcher.is_match(text), "{text:?}");
            assert!(regex.is_match(text), "{text:?}");
        }
        let mut out = Vec::new();
        pattern(&mut out, &Path::Root.field("id"), "two words", &NO_SPACE);
        assert_eq!(out.len(), 1);
    }
}
