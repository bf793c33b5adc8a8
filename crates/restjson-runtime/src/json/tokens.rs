//! The pull tokenizer: JSON text read one token at a time, straight from its bytes.
//!
//! Nothing is built on the way: a string without escapes is handed out as a slice of the text, a
//! number as its text, and a value nobody wants is skipped without allocating. The syntax is
//! RFC 8259's, checked as strictly as `serde_json` checks it (no trailing commas, no control
//! characters in strings, no lone surrogates), and nesting stops at the same bound: 128 levels
//! of arrays and objects are refused.

use std::borrow::Cow;

use super::JsonError;

/// Levels of nested arrays and objects that are refused (127 are read), as in `serde_json`.
const MAX_DEPTH: usize = 128;

/// The kind of the next value, seen without reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

impl Kind {
    /// The kind as an error message names what it found.
    pub(crate) fn described(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool => "a boolean",
            Kind::Number => "a number",
            Kind::String => "a string",
            Kind::Array => "an array",
            Kind::Object => "an object",
        }
    }
}

/// The position of the first byte from `at` that ends a plain run of string text: a quote, a
/// backslash or a control character (`bytes.len()` when there is none). Eight bytes are looked
/// at in one step while none of them is one.
pub(crate) fn plain_until(bytes: &[u8], mut at: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(Ok(chunk)) = bytes.get(at..at + 8).map(<[u8; 8]>::try_from) {
        let word = u64::from_le_bytes(chunk);
        let quote = word ^ (ONES * u64::from(b'"'));
        let backslash = word ^ (ONES * u64::from(b'\\'));
        // A byte is zero in `quote` or `backslash`, or below 0x20 in `word`.
        let found = (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (word.wrapping_sub(ONES * 0x20) & !word);
        if found & HIGH != 0 {
            break;
        }
        at += 8;
    }
    while let Some(&b) = bytes.get(at) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            break;
        }
        at += 1;
    }
    at
}

/// A position in a JSON text and how deep in it.
#[derive(Debug)]
pub(crate) struct Tokens<'a> {
    text: &'a str,
    pos: usize,
    depth: usize,
}

impl<'a> Tokens<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Self {
            text,
            pos: 0,
            depth: 0,
        }
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    /// A syntax error at the current position, placed by line and column as `serde_json` places
    /// them.
    pub(crate) fn syntax(&self, what: &str) -> JsonError {
        let before = &self.bytes()[..self.pos.min(self.text.len())];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let column = before.len()
            - before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
        JsonError::syntax(format!("{what} at line {line} column {column}"))
    }

    fn skip_whitespace(&mut self) {
        let bytes = self.bytes();
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn next_byte(&mut self) -> Option<u8> {
        self.skip_whitespace();
        self.bytes().get(self.pos).copied()
    }

    /// The kind of the next value; an error when there is none.
    pub(crate) fn peek(&mut self) -> Result<Kind, JsonError> {
        match self.next_byte() {
            Some(b'n') => Ok(Kind::Null),
            Some(b't' | b'f') => Ok(Kind::Bool),
            Some(b'"') => Ok(Kind::String),
            Some(b'[') => Ok(Kind::Array),
            Some(b'{') => Ok(Kind::Object),
            Some(b'-' | b'0'..=b'9') => Ok(Kind::Number),
            Some(_) => {
                self.pos += 1;
                Err(self.syntax("expected value"))
            }
            None => Err(self.syntax("EOF while parsing a value")),
        }
    }

    /// Whether the text holds nothing more than whitespace from here.
    pub(crate) fn finish(&mut self) -> Result<(), JsonError> {
        match self.next_byte() {
            None => Ok(()),
            Some(_) => {
                self.pos += 1;
                Err(self.syntax("trailing characters"))
            }
        }
    }

    fn literal(&mut self, word: &str) -> Result<(), JsonError> {
        let end = self.pos + word.len();
        if self.bytes().get(self.pos..end) == Some(word.as_bytes()) {
            self.pos = end;
            return Ok(());
        }
        // Past the bytes that match, as serde_json points.
        let matched = self.bytes()[self.pos..]
            .iter()
            .zip(word.as_bytes())
            .take_while(|(a, b)| a == b)
            .count();
        self.pos += matched;
        if self.pos >= self.text.len() {
            return Err(self.syntax("EOF while parsing a value"));
        }
        self.pos += 1;
        Err(self.syntax("expected ident"))
    }

    /// Reads `null` (the caller has seen [`Kind::Null`]).
    pub(crate) fn null(&mut self) -> Result<(), JsonError> {
        self.skip_whitespace();
        self.literal("null")
    }

    /// Reads `true` or `false` (the caller has seen [`Kind::Bool`]).
    pub(crate) fn boolean(&mut self) -> Result<bool, JsonError> {
        match self.next_byte() {
            Some(b't') => self.literal("true").map(|()| true),
            _ => self.literal("false").map(|()| false),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        let bytes = self.bytes();
        while bytes.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number_error(&mut self) -> JsonError {
        if self.pos >= self.text.len() {
            self.syntax("EOF while parsing a value")
        } else {
            self.pos += 1;
            self.syntax("invalid number")
        }
    }

    /// Reads a number (the caller has seen [`Kind::Number`]) and gives its text, checked against
    /// JSON's grammar.
    pub(crate) fn number(&mut self) -> Result<&'a str, JsonError> {
        self.skip_whitespace();
        let start = self.pos;
        let bytes = self.bytes();
        if bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        match bytes.get(self.pos) {
            Some(b'0') => {
                self.pos += 1;
                if bytes.get(self.pos).is_some_and(u8::is_ascii_digit) {
                    return Err(self.number_error());
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.number_error()),
        }
        if bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.number_error());
            }
        }
        if let Some(b'e' | b'E') = bytes.get(self.pos) {
            self.pos += 1;
            if let Some(b'+' | b'-') = bytes.get(self.pos) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.number_error());
            }
        }
        Ok(&self.text[start..self.pos])
    }

    /// Reads a string (the caller has seen [`Kind::String`]): borrowed from the text when it has
    /// no escapes, else unescaped once into a new `String`.
    pub(crate) fn string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        self.skip_whitespace();
        self.pos += 1; // the opening quote
        let bytes = self.bytes();
        let start = self.pos;
        self.pos = plain_until(bytes, start);
        match bytes.get(self.pos) {
            Some(b'"') => {
                let text = &self.text[start..self.pos];
                self.pos += 1;
                return Ok(Cow::Borrowed(text));
            }
            Some(b'\\') => {}
            Some(_) => return Err(self.control_character()),
            None => return Err(self.syntax("EOF while parsing a string")),
        }
        let mut out = String::with_capacity(self.pos - start + 16);
        out.push_str(&self.text[start..self.pos]);
        loop {
            // At a backslash.
            self.pos += 1;
            self.escape(&mut out)?;
            let run = self.pos;
            self.pos = plain_until(bytes, run);
            out.push_str(&self.text[run..self.pos]);
            match bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {}
                Some(_) => return Err(self.control_character()),
                None => return Err(self.syntax("EOF while parsing a string")),
            }
        }
    }

    fn control_character(&mut self) -> JsonError {
        self.pos += 1;
        self.syntax("control character (\\u0000-\\u001F) found while parsing a string")
    }

    /// One escape after its backslash, appended to `out`.
    fn escape(&mut self, out: &mut String) -> Result<(), JsonError> {
        let Some(&b) = self.bytes().get(self.pos) else {
            return Err(self.syntax("EOF while parsing a string"));
        };
        self.pos += 1;
        let c = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => self.unicode_escape()?,
            _ => return Err(self.syntax("invalid escape")),
        };
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut n = 0;
        for _ in 0..4 {
            let Some(&b) = self.bytes().get(self.pos) else {
                return Err(self.syntax("EOF while parsing a string"));
            };
            self.pos += 1;
            let digit = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => return Err(self.syntax("invalid escape")),
            };
            n = n * 16 + u32::from(digit);
        }
        Ok(n)
    }

    /// A `\uXXXX` escape after its `u`, with the second half of a surrogate pair.
    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let first = self.hex4()?;
        let code = match first {
            0xDC00..=0xDFFF => return Err(self.syntax("lone leading surrogate in hex escape")),
            0xD800..=0xDBFF => {
                if self.bytes().get(self.pos..self.pos + 2) != Some(b"\\u") {
                    return Err(self.syntax("unexpected end of hex escape"));
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.syntax("lone leading surrogate in hex escape"));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            other => other,
        };
        char::from_u32(code).ok_or_else(|| self.syntax("invalid unicode code point"))
    }

    fn open(&mut self) -> Result<(), JsonError> {
        self.skip_whitespace();
        self.pos += 1;
        self.depth += 1;
        if self.depth >= MAX_DEPTH {
            return Err(self.syntax("recursion limit exceeded"));
        }
        Ok(())
    }

    /// Reads the `{` of an object (the caller has seen [`Kind::Object`]).
    pub(crate) fn begin_object(&mut self) -> Result<(), JsonError> {
        self.open()
    }

    /// Reads the `[` of an array (the caller has seen [`Kind::Array`]).
    pub(crate) fn begin_array(&mut self) -> Result<(), JsonError> {
        self.open()
    }

    /// The next key of the object being read, with its `:`, or `None` at its `}`. `first` says
    /// whether no key of the object has been read yet.
    pub(crate) fn next_key(&mut self, first: bool) -> Result<Option<Cow<'a, str>>, JsonError> {
        match self.next_byte() {
            Some(b'}') => {
                self.pos += 1;
                self.depth -= 1;
                return Ok(None);
            }
            Some(b',') if !first => {
                self.pos += 1;
                match self.next_byte() {
                    Some(b'"') => {}
                    Some(b'}') => {
                        self.pos += 1;
                        return Err(self.syntax("trailing comma"));
                    }
                    Some(_) => {
                        self.pos += 1;
                        return Err(self.syntax("key must be a string"));
                    }
                    None => return Err(self.syntax("EOF while parsing a value")),
                }
            }
            Some(b'"') if first => {}
            Some(_) if first => {
                self.pos += 1;
                return Err(self.syntax("key must be a string"));
            }
            Some(_) => {
                self.pos += 1;
                return Err(self.syntax("expected `,` or `}`"));
            }
            None => return Err(self.syntax("EOF while parsing an object")),
        }
        let key = self.string()?;
        match self.next_byte() {
            Some(b':') => {
                self.pos += 1;
                Ok(Some(key))
            }
            Some(_) => {
                self.pos += 1;
                Err(self.syntax("expected `:`"))
            }
            None => Err(self.syntax("EOF while parsing an object")),
        }
    }

    /// Whether the array being read has another element (then positioned at it), or `false` at
    /// its `]`. `first` says whether no element has been read yet.
    pub(crate) fn next_element(&mut self, first: bool) -> Result<bool, JsonError> {
        match self.next_byte() {
            Some(b']') => {
                self.pos += 1;
                self.depth -= 1;
                Ok(false)
            }
            Some(b',') if !first => {
                self.pos += 1;
                match self.next_byte() {
                    Some(b']') => {
                        self.pos += 1;
                        Err(self.syntax("trailing comma"))
                    }
                    Some(_) => Ok(true),
                    None => Err(self.syntax("EOF while parsing a value")),
                }
            }
            Some(_) if first => Ok(true),
            Some(_) => {
                self.pos += 1;
                Err(self.syntax("expected `,` or `]`"))
            }
            None => Err(self.syntax("EOF while parsing a list")),
        }
    }

    /// Reads the next value and throws it away, checking its syntax but building nothing (a
    /// string is only copied when it has escapes). Nested values are walked with a stack of bits,
    /// not by recursion.
    pub(crate) fn skip_value(&mut self) -> Result<(), JsonError> {
        // Bit `i` is set when the container `i + 1` levels in is an object.
        let mut objects: u128 = 0;
        let mut open = 0usize;
        loop {
            // A value starts here.
            match self.peek()? {
                Kind::Null => self.null()?,
                Kind::Bool => {
                    self.boolean()?;
                }
                Kind::Number => {
                    self.number()?;
                }
                Kind::String => {
                    self.string()?;
                }
                Kind::Object => {
                    self.begin_object()?;
                    objects |= 1 << open;
                    open += 1;
                    if self.next_key(true)?.is_some() {
                        continue;
                    }
                    open -= 1;
                }
                Kind::Array => {
                    self.begin_array()?;
                    objects &= !(1 << open);
                    open += 1;
                    if self.next_element(true)? {
                        continue;
                    }
                    open -= 1;
                }
            }
            // The value ended: close the containers it ends.
            loop {
                if open == 0 {
                    return Ok(());
                }
                let more = if objects & (1 << (open - 1)) != 0 {
                    self.next_key(false)?.is_some()
                } else {
                    self.next_element(false)?
                };
                if more {
                    break;
                }
                open -= 1;
            }
        }
    }
}
