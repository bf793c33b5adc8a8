//! Error text on one line, whatever a service sends.
//!
//! An error's text carries what the service wrote: its message, its error code, each field's
//! reason, the request id. A line break there would split one error across lines (and forge
//! what looks like a second message), and an escape sequence would drive the terminal the text
//! is printed on. Every error text this runtime writes goes through [`OneLine`], which writes
//! such a character as its Rust escape (`\n`, `\r`, `\u{1b}`, `\u{2028}`) and the rest as it is.

use std::fmt::{self, Write};

/// Shows `T` with every character that could break the line or drive a terminal escaped:
/// control characters (C0, DEL, C1) and the Unicode line and paragraph separators.
///
/// ```
/// use restjson_runtime::error::OneLine;
/// assert_eq!(OneLine("a\nb\u{1b}[31m").to_string(), "a\\nb\\u{1b}[31m");
/// ```
#[derive(Clone, Copy, Debug)]
pub struct OneLine<T>(pub T);

impl<T: fmt::Display> fmt::Display for OneLine<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(Escaping(f), "{}", self.0)
    }
}

/// Whether `c` is written escaped.
fn needs_escape(c: char) -> bool {
    c.is_control() || c == '\u{2028}' || c == '\u{2029}'
}

/// A writer that escapes, on the way to `W`, what [`OneLine`] escapes.
pub(crate) struct Escaping<W>(pub(crate) W);

impl<W: Write> Write for Escaping<W> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let mut rest = s;
        while let Some(at) = rest.find(needs_escape) {
            self.0.write_str(&rest[..at])?;
            let mut chars = rest[at..].chars();
            if let Some(c) = chars.next() {
                write!(self.0, "{}", c.escape_default())?;
            }
            rest = chars.as_str();
        }
        self.0.write_str(rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaks_and_escapes_are_written_as_escapes_and_the_rest_as_it_is() {
        let shown = OneLine("ok é ✓ \"q\" \\ a\r\nb\tc\u{0}\u{7f}\u{85}\u{1b}[2J\u{2028}\u{2029}")
            .to_string();
        assert_eq!(
            shown,
            "ok é ✓ \"q\" \\ a\\r\\nb\\tc\\u{0}\\u{7f}\\u{85}\\u{1b}[2J\\u{2028}\\u{2029}"
        );
        assert!(!shown.chars().any(needs_escape));
    }

    #[test]
    fn escaping_twice_changes_nothing_more() {
        let once = OneLine("a\nb").to_string();
        assert_eq!(OneLine(&once).to_string(), once);
    }
}
