//! The `@pattern`s models use most, matched without running a regex: one bracket class repeated
//! and anchored at both ends, as in `^[0-9]{8}$`, `^[\S]+$` or `^[a-zA-Z0-9-_:]+$`.
//!
//! Which characters the class holds is asked of the regex engine itself (`^[...]$` on each ASCII
//! character once, and on any other character when one is met), so the class means exactly what
//! it means to the regex; only the anchors and the repetition are read here. Any other pattern is
//! left to the regex.

/// `^[class]` then `+`, `*`, `{n}`, `{m,}` or `{m,n}`, then `$`.
#[derive(Debug)]
pub(crate) struct ClassPattern {
    /// The class alone, anchored: `^[...]$`, for characters beyond ASCII.
    class: regex_lite::Regex,
    /// Whether each ASCII character is in the class.
    ascii: [bool; 128],
    min: usize,
    max: Option<usize>,
}

impl ClassPattern {
    /// The pattern as a class repeated, when it is one.
    pub(crate) fn parse(pattern: &str) -> Option<Self> {
        let body = pattern.strip_prefix('^')?.strip_suffix('$')?;
        let (class, min, max) = split_repetition(body)?;
        if !is_one_bracket_class(class) {
            return None;
        }
        let class = regex_lite::Regex::new(&format!("^{class}$")).ok()?;
        let mut ascii = [false; 128];
        let mut buffer = [0u8; 4];
        for (byte, slot) in ascii.iter_mut().enumerate() {
            let c = char::from(u8::try_from(byte).ok()?);
            *slot = class.is_match(c.encode_utf8(&mut buffer));
        }
        Some(Self {
            class,
            ascii,
            min,
            max,
        })
    }

    pub(crate) fn is_match(&self, value: &str) -> bool {
        let mut count = 0usize;
        let mut buffer = [0u8; 4];
        for c in value.chars() {
            count += 1;
            if self.max.is_some_and(|max| count > max) {
                return false;
            }
            let inside = match self.ascii.get(c as usize) {
                Some(inside) => *inside,
                None => self.class.is_match(c.encode_utf8(&mut buffer)),
            };
            if !inside {
                return false;
            }
        }
        count >= self.min
    }
}

/// Splits `[...]` and its repetition: the class text and the bounds.
fn split_repetition(body: &str) -> Option<(&str, usize, Option<usize>)> {
    if let Some(class) = body.strip_suffix('+') {
        return Some((class, 1, None));
    }
    if let Some(class) = body.strip_suffix('*') {
        return Some((class, 0, None));
    }
    let inner = body.strip_suffix('}')?;
    let open = inner.rfind('{')?;
    let (class, bounds) = (&inner[..open], &inner[open + 1..]);
    let number = |text: &str| -> Option<usize> {
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        text.parse().ok()
    };
    match bounds.split_once(',') {
        None => {
            let n = number(bounds)?;
            Some((class, n, Some(n)))
        }
        Some((min, "")) => Some((class, number(min)?, None)),
        Some((min, max)) => {
            let (min, max) = (number(min)?, number(max)?);
            (min <= max).then_some((class, min, Some(max)))
        }
    }
}

/// Whether `text` is one bracket class `[...]` and nothing else: it opens with `[`, ends with the
/// first `]` that is not escaped, and holds no other bracket (no nested or POSIX classes).
fn is_one_bracket_class(text: &str) -> bool {
    let Some(inner) = text.strip_prefix('[') else {
        return false;
    };
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.next().is_none() => return false,
            '\\' => {}
            '[' => return false,
            ']' => return chars.as_str().is_empty(),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_repeated_match_what_the_regex_matches() {
        let patterns = [
            "^[0-9]+$",
            "^[0-9]{8}$",
            "^[\\S]+$",
            "^[\\s]*$",
            "^[a-zA-Z0-9-_:]+$",
            "^[^a-c]{2,3}$",
            "^[\\d\\-]{1,}$",
            "^[\\]x]+$",
            "^[\\w.]{0,4}$",
        ];
        let values = [
            "",
            "12345678",
            "1234567",
            "123456789",
            "1234567a",
            "a b",
            "ab",
            "abc",
            "xyz",
            "zzzz",
            "-_:",
            "a\u{a0}b",
            "é",
            "日本",
            "\t",
            " ",
            "\u{2003}",
            "]x]",
            "a.b_",
            "12-3",
            "line\n",
            "٣٤",
        ];
        for pattern in patterns {
            let fast = ClassPattern::parse(pattern).unwrap_or_else(|| panic!("{pattern}"));
            let regex = regex_lite::Regex::new(pattern).unwrap();
            for value in values {
                assert_eq!(
                    fast.is_match(value),
                    regex.is_match(value),
                    "{pattern} on {value:?}"
                );
            }
        }
    }

    #[test]
    fn anything_else_is_left_to_the_regex() {
        for pattern in [
            "[0-9]+",
            "^[0-9]+",
            "^a[0-9]+$",
            "^[a]|[b]+$",
            "^[[:digit:]]+$",
            "^[0-9]+?$",
            "^[0-9]{3,2}$",
            "^[0-9]{,2}$",
            "^(ab)+$",
        ] {
            assert!(ClassPattern::parse(pattern).is_none(), "{pattern}");
        }
    }
}
