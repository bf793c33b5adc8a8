//! The SigV4 canonical request and string to sign, computed from a request as it was received.
//!
//! A signer builds these from the request it is about to send; a verifier has to rebuild them
//! from what arrived, so each part is derived from the received text:
//!
//! - the path is normalized (`.` and `..` segments resolved, repeated `/` collapsed) and then
//!   percent-encoded as it arrived, so an encoded `%2F` becomes `%252F` (the double encoding
//!   every service but S3 uses);
//! - each query parameter name and value is percent-decoded and re-encoded, keeping only the
//!   unreserved characters (`A-Z a-z 0-9 - _ . ~`), then the pairs are sorted. A raw `+` is a
//!   plus sign (`%2B`), not a space, and a raw `:` becomes `%3A`, as AWS reads them;
//! - each signed header's values are trimmed, inner runs of spaces collapsed to one, and
//!   repeated headers joined with `,` in the order received.

use percent_encoding::percent_decode;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;

/// The algorithm name in the string to sign and the `Authorization` header.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// Lower-case hex of the SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

/// Percent-encodes every byte but the unreserved ones (and `/` when `keep_slash`).
fn encode(bytes: &[u8], keep_slash: bool, out: &mut String) {
    for &b in bytes {
        if is_unreserved(b) || (keep_slash && b == b'/') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

/// The canonical URI: `path` normalized, then percent-encoded as received.
pub fn canonical_uri(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut normalized = String::with_capacity(path.len() + 1);
    for segment in &segments {
        normalized.push('/');
        normalized.push_str(segment);
    }
    if normalized.is_empty() || (path.ends_with('/') && !segments.is_empty()) {
        normalized.push('/');
    }
    let mut out = String::with_capacity(normalized.len() + 8);
    encode(normalized.as_bytes(), true, &mut out);
    out
}

/// The canonical query string of a raw query, leaving out parameters named in `skip` (the
/// signature itself, for presigned requests).
pub fn canonical_query(raw: Option<&str>, skip: &[&str]) -> String {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for part in raw.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (name, value) = part.split_once('=').unwrap_or((part, ""));
        let name: Vec<u8> = percent_decode(name.as_bytes()).collect();
        if skip.iter().any(|s| s.as_bytes() == name.as_slice()) {
            continue;
        }
        let value: Vec<u8> = percent_decode(value.as_bytes()).collect();
        let mut n = String::with_capacity(name.len());
        encode(&name, false, &mut n);
        let mut v = String::with_capacity(value.len());
        encode(&value, false, &mut v);
        pairs.push((n, v));
    }
    pairs.sort();
    let mut out = String::new();
    for (i, (n, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(n);
        out.push('=');
        out.push_str(v);
    }
    out
}

/// A header value as it goes into the canonical request: trimmed, inner runs of spaces (and
/// tabs) collapsed into one space.
pub fn canonical_header_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for word in value.split([' ', '\t']).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The parts a canonical request is made of.
pub struct CanonicalParts<'a> {
    /// HTTP method as received.
    pub method: &'a str,
    /// Raw path.
    pub path: &'a str,
    /// Raw query string, if any.
    pub query: Option<&'a str>,
    /// Query parameters left out of the canonical query.
    pub query_skip: &'a [&'a str],
    /// Signed headers, sorted by lower-case name, each with its canonical value.
    pub headers: &'a [(String, String)],
    /// Hex SHA-256 of the body.
    pub payload_hash: &'a str,
}

/// The canonical request.
pub fn canonical_request(parts: &CanonicalParts<'_>) -> String {
    let mut out = String::with_capacity(256);
    out.push_str(parts.method);
    out.push('\n');
    out.push_str(&canonical_uri(parts.path));
    out.push('\n');
    out.push_str(&canonical_query(parts.query, parts.query_skip));
    out.push('\n');
    for (name, value) in parts.headers {
        out.push_str(name);
        out.push(':');
        out.push_str(value);
        out.push('\n');
    }
    out.push('\n');
    for (i, (name, _)) in parts.headers.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(name);
    }
    out.push('\n');
    out.push_str(parts.payload_hash);
    out
}

/// The string to sign for a canonical request made at `amz_date` (`YYYYMMDDTHHMMSSZ`) within
/// `scope` (`date/region/service/aws4_request`).
pub fn string_to_sign(amz_date: &str, scope: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{amz_date}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalized_then_encoded_as_received() {
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("/"), "/");
        assert_eq!(canonical_uri("//"), "/");
        assert_eq!(canonical_uri("/a/../.."), "/");
        assert_eq!(canonical_uri("//a//b//"), "/a/b/");
        assert_eq!(canonical_uri("/a/./b"), "/a/b");
        assert_eq!(canonical_uri("/networks/a%2Fb"), "/networks/a%252Fb");
        assert_eq!(canonical_uri("/x:y"), "/x%3Ay");
    }

    #[test]
    fn query_values_are_decoded_then_encoded_with_plus_as_a_plus_sign() {
        assert_eq!(
            canonical_query(Some("b=x:y&a=1+2&c=%3a&d"), &[]),
            "a=1%2B2&b=x%3Ay&c=%3A&d="
        );
        assert_eq!(canonical_query(Some("a=%20&a=+"), &[]), "a=%20&a=%2B");
        assert_eq!(
            canonical_query(Some("X-Amz-Signature=abc&k=v"), &["X-Amz-Signature"]),
            "k=v"
        );
        assert_eq!(canonical_query(None, &[]), "");
        assert_eq!(canonical_query(Some("&&"), &[]), "");
    }

    #[test]
    fn header_values_are_trimmed_and_collapsed() {
        assert_eq!(canonical_header_value("  a   b\t c  "), "a b c");
        assert_eq!(canonical_header_value(""), "");
    }
}
