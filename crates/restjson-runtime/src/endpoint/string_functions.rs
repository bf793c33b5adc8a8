//! The standard library's string functions: `isValidHostLabel`, `substring` and `uriEncode`.

use std::fmt::Write as _;

/// `isValidHostLabel`: one RFC 1123 host label (1 to 63 ASCII letters, digits and hyphens, not
/// starting with a hyphen), or with `allow_sub_domains` several joined by `.`, each valid.
pub fn is_valid_host_label(value: &str, allow_sub_domains: bool) -> bool {
    if allow_sub_domains {
        value.split('.').all(is_one_host_label)
    } else {
        is_one_host_label(value)
    }
}

fn is_one_host_label(label: &str) -> bool {
    let bytes = label.as_bytes();
    (1..=63).contains(&bytes.len())
        && bytes[0].is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
}

/// `substring`: the characters from `start` (inclusive) to `stop` (exclusive), counted from the
/// end when `reverse` is set. `None` when the input is not all ASCII, the range is empty or
/// reversed, or the input is too short.
pub(crate) fn substring(value: &str, start: i64, stop: i64, reverse: bool) -> Option<&str> {
    if !value.is_ascii() {
        return None;
    }
    let start = usize::try_from(start).ok()?;
    let stop = usize::try_from(stop).ok()?;
    if start >= stop || stop > value.len() {
        return None;
    }
    let (from, to) = if reverse {
        (value.len() - stop, value.len() - start)
    } else {
        (start, stop)
    };
    value.get(from..to)
}

/// `uriEncode`: percent-encodes every byte of the UTF-8 text except the RFC 3986 unreserved
/// characters (`A-Z a-z 0-9 - _ . ~`), with upper-case hexadecimal digits.
pub(crate) fn uri_encode(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(encoded, "%{byte:02X}");
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_host_labels() {
        for (label, valid) in [
            ("a", true),
            ("us-east-1", true),
            ("0abc", true),
            ("ABC-def", true),
            ("abc-", true),
            ("", false),
            ("-abc", false),
            ("a.b", false),
            ("a_b", false),
            ("a b", false),
            ("ümlaut", false),
            (&"a".repeat(63), true),
            (&"a".repeat(64), false),
        ] {
            assert_eq!(is_valid_host_label(label, false), valid, "{label:?}");
        }
    }

    #[test]
    fn host_labels_with_sub_domains() {
        for (value, valid) in [
            ("a.b", true),
            ("a.b.c", true),
            ("bucket.s3-accesspoint", true),
            ("a", true),
            ("", false),
            (".", false),
            (".a", false),
            ("a.", false),
            ("a..b", false),
            ("a.-b", false),
            ("a_b.c", false),
            (&format!("{}.{}", "a".repeat(63), "b".repeat(63)), true),
            (&format!("{}.{}", "a".repeat(64), "b"), false),
        ] {
            assert_eq!(is_valid_host_label(value, true), valid, "{value:?}");
        }
    }

    #[test]
    fn substrings_forward() {
        assert_eq!(substring("abcdefg", 0, 4, false), Some("abcd"));
        assert_eq!(substring("abcdefg", 2, 7, false), Some("cdefg"));
        assert_eq!(substring("abcd", 0, 4, false), Some("abcd"));
    }

    #[test]
    fn substrings_reverse_count_from_the_end() {
        assert_eq!(substring("abcdefg", 0, 4, true), Some("defg"));
        assert_eq!(substring("abcdefg", 1, 3, true), Some("ef"));
        assert_eq!(substring("bucket--x-s3", 0, 6, true), Some("--x-s3"));
        assert_eq!(substring("abcd", 0, 4, true), Some("abcd"));
    }

    #[test]
    fn substrings_that_do_not_exist() {
        assert_eq!(substring("abc", 0, 4, false), None);
        assert_eq!(substring("abc", 0, 4, true), None);
        assert_eq!(substring("abcdef", 3, 3, false), None);
        assert_eq!(substring("abcdef", 4, 2, false), None);
        assert_eq!(substring("abcdef", -1, 2, false), None);
        assert_eq!(substring("", 0, 1, false), None);
        // Non-ASCII input has no substring, even where the range would be ASCII.
        assert_eq!(substring("abcdé", 0, 2, false), None);
        assert_eq!(substring("🦀🦀🦀🦀", 0, 1, true), None);
    }

    #[test]
    fn uri_encoding_keeps_only_unreserved_characters() {
        assert_eq!(uri_encode("AZaz09-_.~"), "AZaz09-_.~");
        assert_eq!(
            uri_encode("/:,?#[]{}|@! $&'()*+;=%<>\"^`\\"),
            "%2F%3A%2C%3F%23%5B%5D%7B%7D%7C%40%21%20%24%26%27%28%29%2A%2B%3B%3D%25%3C%3E%22%5E%60%5C"
        );
        assert_eq!(uri_encode("a b+c"), "a%20b%2Bc");
        assert_eq!(uri_encode("é€"), "%C3%A9%E2%82%AC");
        assert_eq!(uri_encode(""), "");
    }
}
