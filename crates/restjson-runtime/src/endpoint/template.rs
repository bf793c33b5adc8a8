//! Template strings: `https://service.{Region}.{PartitionResult#dnsSuffix}`.
//!
//! `{Name}` puts in a parameter or variable, `{Name#path}` an attribute of one (as `getAttr`
//! would), and `{{` and `}}` stand for literal braces.

use super::value::AttrPath;

/// A template whose names were resolved when the rule set was parsed.
#[derive(Debug)]
pub(crate) struct Template {
    pub(crate) parts: Vec<TemplatePart>,
}

#[derive(Debug)]
pub(crate) enum TemplatePart {
    Literal(Box<str>),
    Value {
        slot: usize,
        path: Option<AttrPath>,
        /// The placeholder as written, without braces, for messages.
        source: Box<str>,
    },
}

impl Template {
    /// The length of the literal text, a lower bound of the result's.
    pub(crate) fn literal_len(&self) -> usize {
        self.parts
            .iter()
            .map(|part| match part {
                TemplatePart::Literal(text) => text.len(),
                TemplatePart::Value { .. } => 0,
            })
            .sum()
    }
}

/// A piece of a template string, before names are resolved.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Piece<'s> {
    Literal(String),
    Placeholder {
        name: &'s str,
        path: Option<&'s str>,
        source: &'s str,
    },
}

/// Splits a template string into literal text (braces unescaped) and placeholders.
pub(crate) fn split(text: &str) -> Result<Vec<Piece<'_>>, String> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(['{', '}']) {
        literal.push_str(&rest[..at]);
        let brace = &rest[at..];
        if let Some(after) = brace
            .strip_prefix("{{")
            .or_else(|| brace.strip_prefix("}}"))
        {
            literal.push_str(&brace[..1]);
            rest = after;
            continue;
        }
        if brace.starts_with('}') {
            return Err(format!(
                "template `{text}` has a `}}` that closes nothing (write `}}}}` for a brace)"
            ));
        }
        let inner = &brace[1..];
        let close = inner
            .find(['{', '}'])
            .filter(|&i| inner[i..].starts_with('}'))
            .ok_or_else(|| format!("template `{text}` has a `{{` that is never closed"))?;
        let source = &inner[..close];
        let (name, path) = match source.split_once('#') {
            Some((name, path)) => (name, Some(path)),
            None => (source, None),
        };
        if !is_identifier(name) {
            return Err(format!(
                "template `{text}`: `{{{source}}}` does not start with a parameter or variable name"
            ));
        }
        if !literal.is_empty() {
            pieces.push(Piece::Literal(std::mem::take(&mut literal)));
        }
        pieces.push(Piece::Placeholder { name, path, source });
        rest = &inner[close + 1..];
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }
    Ok(pieces)
}

/// A letter, then letters, digits or underscores.
pub(crate) fn is_identifier(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholder<'s>(name: &'s str, path: Option<&'s str>, source: &'s str) -> Piece<'s> {
        Piece::Placeholder { name, path, source }
    }

    #[test]
    fn literals_and_placeholders() {
        assert_eq!(
            split("https://svc.{Region}.{PartitionResult#dnsSuffix}").unwrap(),
            vec![
                Piece::Literal("https://svc.".into()),
                placeholder("Region", None, "Region"),
                Piece::Literal(".".into()),
                placeholder(
                    "PartitionResult",
                    Some("dnsSuffix"),
                    "PartitionResult#dnsSuffix"
                ),
            ]
        );
        assert_eq!(
            split("{a}{b}").unwrap(),
            vec![placeholder("a", None, "a"), placeholder("b", None, "b")]
        );
        assert_eq!(split("").unwrap(), vec![]);
    }

    #[test]
    fn doubled_braces_are_literal() {
        assert_eq!(
            split("{{not}} a {x}}}").unwrap(),
            vec![
                Piece::Literal("{not} a ".into()),
                placeholder("x", None, "x"),
                Piece::Literal("}".into()),
            ]
        );
    }

    #[test]
    fn malformed_templates_say_what_is_wrong() {
        for (text, reason) in [
            ("https://{Region", "never closed"),
            ("https://{Re{gion}", "never closed"),
            ("a}b", "closes nothing"),
            ("{}", "does not start with a parameter"),
            ("{#path}", "does not start with a parameter"),
            ("{1abc}", "does not start with a parameter"),
            ("{a-b}", "does not start with a parameter"),
        ] {
            let error = split(text).unwrap_err();
            assert!(error.contains(reason), "{text}: {error}");
        }
    }
}
