//! SigV4 verification: every request must be signed for service `wickr` by a known key.
//!
//! The signature is recomputed with `aws-sigv4` over what was actually received (method, path,
//! query, the headers named in `SignedHeaders`, and the hash of the received body) and compared
//! in constant time. Any mismatch, unknown key or a clock skew beyond 15 minutes is an
//! `UnauthorizedError`.

use crate::error::ApiError;
use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use std::collections::HashMap;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Signing name the emulator accepts.
pub const SERVICE: &str = "wickr";
/// Largest accepted difference between the request's `X-Amz-Date` and the emulator's clock.
pub const MAX_SKEW: Duration = Duration::from_secs(15 * 60);

/// An access key pair the emulator accepts.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessKey {
    /// Access key id.
    pub id: String,
    /// Secret access key.
    pub secret: String,
    /// Whether the key may only call read operations.
    pub read_only: bool,
}

impl fmt::Debug for AccessKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessKey")
            .field("id", &self.id)
            .field("secret", &"** redacted **")
            .field("read_only", &self.read_only)
            .finish()
    }
}

/// What an authenticated caller may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Every operation.
    ReadWrite,
    /// Only operations that change nothing.
    ReadOnly,
}

/// A key id given more than once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKeyId(pub String);

impl fmt::Display for DuplicateKeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "access key id `{}` is given more than once (read-write or read-only); \
             each id may appear only once",
            self.0
        )
    }
}

impl std::error::Error for DuplicateKeyId {}

/// The accepted keys.
#[derive(Debug, Clone, Default)]
pub struct KeyStore {
    keys: HashMap<String, AccessKey>,
}

struct ParsedAuthorization<'a> {
    key_id: &'a str,
    date: &'a str,
    region: &'a str,
    service: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

fn parse_authorization(value: &str) -> Option<ParsedAuthorization<'_>> {
    let rest = value.strip_prefix("AWS4-HMAC-SHA256 ")?;
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        match k {
            "Credential" => credential = Some(v),
            "SignedHeaders" => signed_headers = Some(v),
            "Signature" => signature = Some(v),
            _ => return None,
        }
    }
    let mut scope = credential?.split('/');
    let key_id = scope.next()?;
    let date = scope.next()?;
    let region = scope.next()?;
    let service = scope.next()?;
    if scope.next()? != "aws4_request" || scope.next().is_some() {
        return None;
    }
    Some(ParsedAuthorization {
        key_id,
        date,
        region,
        service,
        signed_headers: signed_headers?.split(';').collect(),
        signature: signature?,
    })
}

/// Parses `YYYYMMDDTHHMMSSZ`.
fn parse_amz_date(s: &str) -> Option<SystemTime> {
    let b = s.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        t.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| t.parse().ok())?
    };
    let (y, mo, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (h, mi, se) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    // Days from civil date (proleptic Gregorian).
    let y2 = if mo <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + h * 3600 + mi * 60 + se;
    u64::try_from(secs)
        .ok()
        .map(|s| UNIX_EPOCH + Duration::from_secs(s))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn unauthorized(msg: &str) -> ApiError {
    ApiError::Unauthorized(msg.to_owned())
}

impl KeyStore {
    /// Adds a key. A key id that is already present is refused (the error names the id): with
    /// two secrets or two permission levels for one id, one of them would be silently ignored.
    pub fn insert(&mut self, key: AccessKey) -> Result<(), DuplicateKeyId> {
        match self.keys.entry(key.id.clone()) {
            std::collections::hash_map::Entry::Occupied(e) => Err(DuplicateKeyId(e.key().clone())),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(key);
                Ok(())
            }
        }
    }

    /// All keys, sorted by id.
    pub fn keys(&self) -> Vec<AccessKey> {
        let mut keys: Vec<AccessKey> = self.keys.values().cloned().collect();
        keys.sort_by(|a, b| a.id.cmp(&b.id));
        keys
    }

    /// Verifies the request's signature and returns what the caller may do.
    pub fn verify(
        &self,
        parts: &http::request::Parts,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Access, ApiError> {
        let header =
            |name: &str| -> Option<&str> { parts.headers.get(name).and_then(|v| v.to_str().ok()) };
        let authorization = header("authorization")
            .ok_or_else(|| unauthorized("the request is not signed (no Authorization header)"))?;
        let auth = parse_authorization(authorization)
            .ok_or_else(|| unauthorized("the Authorization header is not a SigV4 header"))?;
        let key = self
            .keys
            .get(auth.key_id)
            .ok_or_else(|| unauthorized("the access key id is not known to this emulator"))?;
        if auth.service != SERVICE {
            return Err(unauthorized(
                "the credential scope names a service other than `wickr`",
            ));
        }
        let amz_date =
            header("x-amz-date").ok_or_else(|| unauthorized("the X-Amz-Date header is missing"))?;
        let time = parse_amz_date(amz_date)
            .ok_or_else(|| unauthorized("the X-Amz-Date header is not a valid date"))?;
        if !amz_date.starts_with(auth.date) || auth.date.len() != 8 {
            return Err(unauthorized(
                "the credential scope date does not match X-Amz-Date",
            ));
        }
        let skew = match now.duration_since(time) {
            Ok(d) => d,
            Err(e) => e.duration(),
        };
        if skew > MAX_SKEW {
            return Err(unauthorized(
                "the request time differs from the server time by more than 15 minutes",
            ));
        }
        for required in ["host", "x-amz-date"] {
            if !auth.signed_headers.contains(&required) {
                return Err(unauthorized(
                    "the signature does not cover the required headers",
                ));
            }
        }
        let mut headers = Vec::with_capacity(auth.signed_headers.len());
        for name in &auth.signed_headers {
            let mut values = parts.headers.get_all(*name).iter();
            let first = values
                .next()
                .ok_or_else(|| unauthorized("a signed header is missing from the request"))?;
            if values.next().is_some() {
                return Err(unauthorized("a signed header appears more than once"));
            }
            let value = first
                .to_str()
                .map_err(|_| unauthorized("a signed header is not valid text"))?;
            headers.push((*name, value));
        }
        let host = header("host").ok_or_else(|| unauthorized("the Host header is missing"))?;
        let path_and_query = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        let uri = format!("http://{host}{path_and_query}");
        let token = header("x-amz-security-token").map(str::to_owned);
        let identity: Identity =
            Credentials::new(&key.id, &key.secret, token, None, "wickr-admin-local").into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(auth.region)
            .name(SERVICE)
            .time(time)
            .settings(SigningSettings::default())
            .build()
            .map_err(|_| unauthorized("the signature parameters are invalid"))?
            .into();
        let signable = SignableRequest::new(
            parts.method.as_str(),
            uri,
            headers.into_iter(),
            SignableBody::Bytes(body),
        )
        .map_err(|_| unauthorized("the request cannot be canonicalized for signing"))?;
        let expected = sign(signable, &params)
            .map_err(|_| unauthorized("the request cannot be canonicalized for signing"))?;
        if !constant_time_eq(expected.signature().as_bytes(), auth.signature.as_bytes()) {
            return Err(unauthorized(
                "the request signature does not match the signature computed for it",
            ));
        }
        Ok(if key.read_only {
            Access::ReadOnly
        } else {
            Access::ReadWrite
        })
    }
}

#[cfg(test)]
mod tests {
    use super::parse_amz_date;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn parses_amz_dates() {
        assert_eq!(
            parse_amz_date("20240101T000000Z"),
            Some(UNIX_EPOCH + Duration::from_secs(1_704_067_200))
        );
        assert_eq!(parse_amz_date("2024-01-01T00:00:00Z"), None);
        assert_eq!(parse_amz_date("20241301T000000Z"), None);
    }
}
