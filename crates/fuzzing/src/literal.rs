//! Bytes written as a Rust expression that gives them back, so a failing input printed by the
//! runner can be pasted into a regression test.

use std::fmt;

/// Runs of one byte at least this long are written as `[byte; count]` rather than spelled out.
const RUN: usize = 32;

/// A byte string whose `Debug` is a Rust expression of type `Vec<u8>` (or `&[u8]`) holding it.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Bytes(pub Vec<u8>);

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&rust_expression(&self.0))
    }
}

impl std::ops::Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

/// `b"..."` for bytes without long runs; otherwise `[&b"..."[..], &[b'x'; 70000], ...].concat()`.
pub fn rust_expression(bytes: &[u8]) -> String {
    let pieces = pieces(bytes);
    if let [Piece::Text(text)] = pieces.as_slice() {
        return byte_string(text);
    }
    if pieces.is_empty() {
        return "b\"\"".to_owned();
    }
    let parts: Vec<String> = pieces
        .iter()
        .map(|piece| match piece {
            Piece::Text(text) => format!("&{}[..]", byte_string(text)),
            Piece::Run(byte, count) => format!("&[{}; {count}][..]", byte_char(*byte)),
        })
        .collect();
    format!("[{}].concat()", parts.join(", "))
}

enum Piece<'a> {
    Text(&'a [u8]),
    Run(u8, usize),
}

fn pieces(bytes: &[u8]) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let run = bytes[i..].iter().take_while(|b| **b == bytes[i]).count();
        if run >= RUN {
            if start < i {
                out.push(Piece::Text(&bytes[start..i]));
            }
            out.push(Piece::Run(bytes[i], run));
            i += run;
            start = i;
        } else {
            i += run;
        }
    }
    if start < bytes.len() {
        out.push(Piece::Text(&bytes[start..]));
    }
    out
}

fn byte_string(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 3);
    out.push_str("b\"");
    for &byte in bytes {
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x20..=0x7e => out.push(char::from(byte)),
            _ => out.push_str(&format!("\\x{byte:02x}")),
        }
    }
    out.push('"');
    out
}

fn byte_char(byte: u8) -> String {
    match byte {
        b'\'' => "b'\\''".to_owned(),
        b'\\' => "b'\\\\'".to_owned(),
        0x20..=0x7e => format!("b'{}'", char::from(byte)),
        _ => format!("b'\\x{byte:02x}'"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_written_as_an_expression_that_gives_them_back() {
        assert_eq!(rust_expression(b""), "b\"\"");
        assert_eq!(
            rust_expression(b"{\"a\":\"\xff\\\"}\n"),
            r#"b"{\"a\":\"\xff\\\"}\n""#
        );
        let mut long = b"[".to_vec();
        long.extend(std::iter::repeat_n(b'[', 40));
        long.extend_from_slice(b"1]");
        assert_eq!(
            rust_expression(&long),
            "[&[b'['; 41][..], &b\"1]\"[..]].concat()"
        );
    }
}
