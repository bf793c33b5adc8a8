//! The writer: JSON text appended to one buffer as each value writes itself.
//!
//! A structure writes its members one after the other and leaves out the absent ones; nothing
//! in between is built. Commas are placed by the writer, so a value only says what it is.

use super::tokens::{plain_until, Tokens};

/// JSON text being written, and for whom: a message body (members bound outside it are left
/// out) or a document (every member, by its model name).
#[derive(Debug)]
pub struct Writer {
    out: Vec<u8>,
    body: bool,
    /// Whether the next key or element follows another in its container.
    comma: bool,
}

impl Writer {
    /// A writer of a message body (`body`) or of a document.
    pub fn new(body: bool) -> Self {
        Self {
            out: Vec::with_capacity(256),
            body,
            comma: false,
        }
    }

    /// Whether this writes a message body (rather than a document).
    pub fn is_body(&self) -> bool {
        self.body
    }

    /// The text written.
    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }

    fn separate(&mut self) {
        if self.comma {
            self.out.push(b',');
        }
    }

    /// Starts an object.
    pub fn begin_object(&mut self) {
        self.separate();
        self.out.push(b'{');
        self.comma = false;
    }

    /// Ends the object started last.
    pub fn end_object(&mut self) {
        self.out.push(b'}');
        self.comma = true;
    }

    /// Starts an array.
    pub fn begin_array(&mut self) {
        self.separate();
        self.out.push(b'[');
        self.comma = false;
    }

    /// Ends the array started last.
    pub fn end_array(&mut self) {
        self.out.push(b']');
        self.comma = true;
    }

    /// Writes the key of the next member of the object being written.
    pub fn key(&mut self, key: &str) {
        self.separate();
        self.quoted(key);
        self.out.push(b':');
        self.comma = false;
    }

    /// Writes `null`.
    pub fn null(&mut self) {
        self.raw("null");
    }

    /// Writes `true` or `false`.
    pub fn boolean(&mut self, value: bool) {
        self.raw(if value { "true" } else { "false" });
    }

    /// Writes a string.
    pub fn string(&mut self, value: &str) {
        self.separate();
        self.quoted(value);
        self.comma = true;
    }

    /// Writes an integer.
    pub fn integer(&mut self, value: i64) {
        self.digits(value < 0, value.unsigned_abs());
    }

    /// Writes a non-negative integer.
    pub fn unsigned(&mut self, value: u64) {
        self.digits(false, value);
    }

    fn digits(&mut self, negative: bool, mut n: u64) {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        loop {
            at -= 1;
            // A decimal digit: n % 10 < 10.
            digits[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.separate();
        if negative {
            self.out.push(b'-');
        }
        self.out.extend_from_slice(&digits[at..]);
        self.comma = true;
    }

    /// Writes a floating-point number: a JSON number when finite, else the string `"NaN"`,
    /// `"Infinity"` or `"-Infinity"`.
    pub fn float(&mut self, value: f64) {
        if value.is_nan() {
            self.string("NaN");
        } else if value.is_infinite() {
            self.string(if value > 0.0 { "Infinity" } else { "-Infinity" });
        } else {
            // Debug writes the shortest text that reads back as the same number, with an
            // exponent for very large and very small ones: always a JSON number.
            self.raw(&format!("{value:?}"));
        }
    }

    /// Writes a number from its text when the text is a JSON number, else as a string (text
    /// that a big number's `FromStr` took but JSON cannot hold).
    pub fn number_text(&mut self, text: &str) {
        let mut tokens = Tokens::new(text);
        if tokens.number().is_ok()
            && tokens.finish().is_ok()
            && !text.starts_with(char::is_whitespace)
        {
            self.raw(text);
        } else {
            self.string(text);
        }
    }

    /// Writes JSON text as it is: the caller knows it is one complete value.
    fn raw(&mut self, text: &str) {
        self.separate();
        self.out.extend_from_slice(text.as_bytes());
        self.comma = true;
    }

    /// `text` quoted, with `"`, `\` and control characters escaped.
    fn quoted(&mut self, text: &str) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        self.out.push(b'"');
        let bytes = text.as_bytes();
        let mut unicode = *b"\\u0000";
        let mut run = 0;
        loop {
            let at = plain_until(bytes, run);
            self.out.extend_from_slice(&bytes[run..at]);
            let Some(&b) = bytes.get(at) else {
                break;
            };
            let escaped: &[u8] = match b {
                b'"' => b"\\\"",
                b'\\' => b"\\\\",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                b'\t' => b"\\t",
                0x08 => b"\\b",
                0x0c => b"\\f",
                _ => {
                    unicode[4] = HEX[usize::from(b >> 4)];
                    unicode[5] = HEX[usize::from(b & 0xf)];
                    &unicode
                }
            };
            self.out.extend_from_slice(escaped);
            run = at + 1;
        }
        self.out.push(b'"');
    }
}
