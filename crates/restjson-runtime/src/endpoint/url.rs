//! `parseURL`: an endpoint URL split into the parts the rules read.
//!
//! Only `http` and `https` URLs with a host are accepted. A URL with a query (even an empty
//! one), a fragment or user information is refused rather than trimmed, so nothing the caller
//! wrote is dropped unseen: the rule set then reports the URL as invalid.

use std::net::Ipv6Addr;
use std::rc::Rc;

use super::value::{Text, Value};

/// A parsed URL (the record `parseURL` returns).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Url {
    /// `http` or `https`, lower case.
    scheme: Rc<str>,
    /// Host and port as written, e.g. `example.com:8443` or `[::1]`.
    authority: Rc<str>,
    /// The path as written, empty when there is none.
    path: Rc<str>,
    /// The path with a `/` at both ends.
    normalized_path: Rc<str>,
    /// Whether the host is an IPv4 or IPv6 address.
    is_ip: bool,
}

impl Url {
    pub(crate) fn parse(input: &str) -> Option<Self> {
        let (scheme, rest) = input.split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return None;
        }
        if rest.contains(['?', '#']) {
            return None;
        }
        let (authority, path) = match rest.find('/') {
            Some(slash) => rest.split_at(slash),
            None => (rest, ""),
        };
        let is_ip = parse_authority(authority)?;
        if !path.bytes().all(is_path_byte) {
            return None;
        }
        let normalized_path: Rc<str> = if path.ends_with('/') {
            path.into()
        } else {
            format!("{path}/").into()
        };
        Some(Self {
            scheme: scheme.into(),
            authority: authority.into(),
            path: path.into(),
            normalized_path,
            is_ip,
        })
    }

    pub(crate) fn field(&self, key: &str) -> Option<Value<'static>> {
        let text = |s: &Rc<str>| Value::String(Text::Shared(Rc::clone(s)));
        Some(match key {
            "scheme" => text(&self.scheme),
            "authority" => text(&self.authority),
            "path" => text(&self.path),
            "normalizedPath" => text(&self.normalized_path),
            "isIp" => Value::Boolean(self.is_ip),
            _ => return None,
        })
    }
}

/// Checks `host[:port]` and says whether the host is an IP address; `None` when it is not a
/// usable authority.
fn parse_authority(authority: &str) -> Option<bool> {
    let (host, port, is_ip) = if let Some(bracketed) = authority.strip_prefix('[') {
        let (address, after) = bracketed.split_once(']')?;
        if !is_ipv6_literal(address) {
            return None;
        }
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':')?),
        };
        (address, port, true)
    } else {
        let (host, port) = match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        if !host.bytes().all(is_host_byte) {
            return None;
        }
        (host, port, is_ipv4(host))
    };
    if host.is_empty() {
        return None;
    }
    if let Some(port) = port {
        let valid = !port.is_empty()
            && port.len() <= 5
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u32>().is_ok_and(|p| p <= 65_535);
        if !valid {
            return None;
        }
    }
    Some(is_ip)
}

/// An IPv6 address, optionally with a zone (`fe80::1%25eth0`, the `%` percent-encoded).
fn is_ipv6_literal(address: &str) -> bool {
    let (address, zone) = match address.split_once("%25") {
        Some((address, zone)) => (address, Some(zone)),
        None => (address, None),
    };
    let zone_ok = zone.is_none_or(|z| {
        !z.is_empty()
            && z.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
    });
    zone_ok && address.parse::<Ipv6Addr>().is_ok()
}

/// Four dot-separated decimal numbers from 0 to 255.
pub(crate) fn is_ipv4(host: &str) -> bool {
    let mut count = 0;
    for part in host.split('.') {
        count += 1;
        let valid = !part.is_empty()
            && part.len() <= 3
            && part.bytes().all(|b| b.is_ascii_digit())
            && part.parse::<u16>().is_ok_and(|n| n <= 255);
        if !valid {
            return false;
        }
    }
    count == 4
}

/// Letters, digits and the unreserved marks of a host name.
fn is_host_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~".contains(&b)
}

/// The bytes RFC 3986 allows in a path: unreserved, percent-encoded, sub-delimiters, `:`, `@`
/// and `/`.
fn is_path_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~%!$&'()*+,;=:@/".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(input: &str) -> (String, String, String, String, bool) {
        let url = Url::parse(input).unwrap_or_else(|| panic!("{input} should parse"));
        (
            url.scheme.to_string(),
            url.authority.to_string(),
            url.path.to_string(),
            url.normalized_path.to_string(),
            url.is_ip,
        )
    }

    fn expect(input: &str, scheme: &str, authority: &str, path: &str, normalized: &str, ip: bool) {
        assert_eq!(
            parts(input),
            (
                scheme.into(),
                authority.into(),
                path.into(),
                normalized.into(),
                ip
            ),
            "{input}"
        );
    }

    #[test]
    fn host_only() {
        expect(
            "https://example.com",
            "https",
            "example.com",
            "",
            "/",
            false,
        );
        expect(
            "https://example.com/",
            "https",
            "example.com",
            "/",
            "/",
            false,
        );
    }

    #[test]
    fn ports_are_part_of_the_authority() {
        expect(
            "http://example.com:80/foo/bar",
            "http",
            "example.com:80",
            "/foo/bar",
            "/foo/bar/",
            false,
        );
        expect(
            "https://localhost:8443",
            "https",
            "localhost:8443",
            "",
            "/",
            false,
        );
        expect(
            "http://127.0.0.1:65535/",
            "http",
            "127.0.0.1:65535",
            "/",
            "/",
            true,
        );
    }

    #[test]
    fn ip_hosts() {
        expect("https://127.0.0.1", "https", "127.0.0.1", "", "/", true);
        expect("https://[fe80::1]", "https", "[fe80::1]", "", "/", true);
        expect(
            "http://[::1]:8080/path/",
            "http",
            "[::1]:8080",
            "/path/",
            "/path/",
            true,
        );
        expect(
            "http://[fe80::1%25en0]/",
            "http",
            "[fe80::1%25en0]",
            "/",
            "/",
            true,
        );
        // Not four numbers up to 255: a host name.
        expect("https://256.0.0.1", "https", "256.0.0.1", "", "/", false);
        expect("https://1.2.3", "https", "1.2.3", "", "/", false);
        expect("https://1.2.3.4.5", "https", "1.2.3.4.5", "", "/", false);
    }

    #[test]
    fn schemes_are_lower_cased() {
        expect(
            "HTTPS://Example.com/A",
            "https",
            "Example.com",
            "/A",
            "/A/",
            false,
        );
    }

    #[test]
    fn paths_keep_their_encoding() {
        expect(
            "https://example.com/a%20b/c:d@e",
            "https",
            "example.com",
            "/a%20b/c:d@e",
            "/a%20b/c:d@e/",
            false,
        );
    }

    #[test]
    fn refused() {
        for input in [
            "https://example.com:8443?foo=bar&faz=baz",
            "https://example.com/path?",
            "https://example.com/#fragment",
            "https://user:secret@example.com",
            "wss://example.com",
            "ftp://example.com",
            "example.com",
            "https://",
            "https:///path",
            "https://:443",
            "https://example.com:",
            "https://example.com:99999",
            "https://example.com:8a",
            "https://[fe80::1",
            "https://[not-an-ip]",
            "https://[::1]x",
            "https://exa mple.com",
            "https://example.com/a b",
            "https://exämple.com",
            "https://example.com/ä",
        ] {
            assert!(Url::parse(input).is_none(), "{input} should be refused");
        }
    }
}
