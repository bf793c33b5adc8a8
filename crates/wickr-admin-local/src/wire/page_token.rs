//! Page tokens: a listing's cursor ([`Position`]) as an opaque `nextToken`, bound to the
//! listing that issued it.
//!
//! A token is the position, as hex-encoded JSON, and a MAC (HMAC-SHA256 under a key drawn when
//! the emulator starts) over the listing's scope and that position. The scope names the
//! operation, its path labels and its query parameters other than the page size and token, so
//! a token from another operation, network, filter or sort, a token altered in any byte, or
//! one from an earlier run of the emulator does not verify.

use crate::backend::pagination::{KeyPart, Position};
use serde_json::Value;

/// Longest token accepted; longer is not one the emulator issued.
const MAX_TOKEN_LEN: usize = 16 * 1024;
/// Hex digits of the MAC kept in a token (128 bits).
const MAC_HEX_LEN: usize = 32;

/// Issues and reads page tokens under one key.
pub struct PageTokens {
    key: [u8; 32],
}

impl std::fmt::Debug for PageTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageTokens").finish_non_exhaustive()
    }
}

impl Default for PageTokens {
    fn default() -> Self {
        Self::new()
    }
}

fn mac(key: &[u8], scope: &str, payload: &str) -> String {
    let mut message = Vec::with_capacity(scope.len() + payload.len() + 1);
    message.extend_from_slice(scope.as_bytes());
    message.push(0);
    message.extend_from_slice(payload.as_bytes());
    // HMAC-SHA256, hex: aws-sigv4's helper for the last step of signing is exactly that.
    let mut full = aws_sigv4::sign::v4::calculate_signature(key, &message);
    full.truncate(MAC_HEX_LEN);
    full
}

fn to_json(position: &Position) -> Value {
    Value::Array(
        position
            .iter()
            .map(|part| match part {
                KeyPart::Absent => Value::Null,
                KeyPart::Int(n) => Value::from(*n),
                KeyPart::Text(s) => Value::from(s.as_str()),
            })
            .collect(),
    )
}

fn from_json(value: Value) -> Option<Position> {
    let Value::Array(parts) = value else {
        return None;
    };
    parts
        .into_iter()
        .map(|part| match part {
            Value::Null => Some(KeyPart::Absent),
            Value::Number(n) => n.as_i64().map(KeyPart::Int),
            Value::String(s) => Some(KeyPart::Text(s)),
            _ => None,
        })
        .collect()
}

fn hex_decode(hex: &str) -> Option<Vec<u8>> {
    let pairs = hex.as_bytes().chunks_exact(2);
    if !pairs.remainder().is_empty() {
        return None;
    }
    pairs
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
        .collect()
}

impl PageTokens {
    /// Tokens under a fresh random key.
    pub fn new() -> Self {
        let mut key = [0u8; 32];
        for chunk in key.chunks_mut(8) {
            chunk.copy_from_slice(&fastrand::u64(..).to_le_bytes());
        }
        PageTokens { key }
    }

    /// The token for continuing listing `scope` after `position`.
    pub fn issue(&self, scope: &str, position: &Position) -> String {
        let json = to_json(position).to_string();
        let payload = crate::auth::canonical::hex(json.as_bytes());
        let mac = mac(&self.key, scope, &payload);
        format!("{payload}.{mac}")
    }

    /// The position in `token`, if this emulator issued it for listing `scope`.
    pub fn read(&self, scope: &str, token: &str) -> Option<Position> {
        if token.len() > MAX_TOKEN_LEN {
            return None;
        }
        let (payload, given_mac) = token.split_once('.')?;
        let expected = mac(&self.key, scope, payload);
        let same = given_mac.len() == expected.len()
            && given_mac
                .bytes()
                .zip(expected.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        if !same {
            return None;
        }
        let json = hex_decode(payload)?;
        from_json(serde_json::from_slice(&json).ok()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_reads_back_only_in_its_scope_and_unaltered() {
        let tokens = PageTokens::new();
        let position = vec![
            KeyPart::Absent,
            KeyPart::Int(-3),
            KeyPart::Text("ünïcode \"quoted\"".to_owned()),
        ];
        let token = tokens.issue("ListUsers\n12345678", &position);
        assert_eq!(tokens.read("ListUsers\n12345678", &token), Some(position));
        assert_eq!(tokens.read("ListUsers\n87654321", &token), None);
        assert_eq!(PageTokens::new().read("ListUsers\n12345678", &token), None);
        for i in 0..token.len() {
            let mut altered = token.clone().into_bytes();
            altered[i] = if altered[i] == b'0' { b'1' } else { b'0' };
            let altered = String::from_utf8(altered).unwrap();
            assert_eq!(
                tokens.read("ListUsers\n12345678", &altered),
                None,
                "{altered}"
            );
        }
        for junk in ["", ".", "x.y", "zz.00", &"a".repeat(MAX_TOKEN_LEN + 1)] {
            assert_eq!(tokens.read("ListUsers\n12345678", junk), None);
        }
    }
}
