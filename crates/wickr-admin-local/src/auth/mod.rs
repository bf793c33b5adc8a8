//! SigV4 verification: every request must be signed by a known key for the service and region
//! the emulator serves.
//!
//! The canonical request is rebuilt from what was actually received (method, path, query, the
//! headers named in `SignedHeaders`, the hash of the received body; see [`canonical`]), the
//! signature recomputed with the key's secret and compared in constant time. The signature
//! may travel in the `Authorization` header or, for a presigned request, in `X-Amz-*` query
//! parameters (see [`claim`]). An unknown key, a scope naming another region or service, a
//! date more than 15 minutes from the emulator's clock, an expired presigned request or any
//! mismatch is an `UnauthorizedError` whose message says which.

pub mod canonical;
pub mod claim;

use crate::error::{echo, ApiError};
use canonical::{canonical_header_value, CanonicalParts};
use claim::{Claim, Location};
use http::HeaderMap;
use std::collections::HashMap;
use std::fmt;
use std::time::{Duration, SystemTime};

/// Signing name the emulator accepts unless told otherwise.
pub const SERVICE: &str = "wickr";
/// Region the emulator serves unless told otherwise.
pub const REGION: &str = "us-east-1";
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
}

/// A request as received, in the terms SigV4 verification needs.
#[derive(Debug, Clone, Copy)]
pub struct SignedRequest<'a> {
    /// HTTP method.
    pub method: &'a str,
    /// Raw (still percent-encoded) path.
    pub path: &'a str,
    /// Raw query string, without `?`.
    pub query: Option<&'a str>,
    /// Headers as received.
    pub headers: &'a HeaderMap,
    /// Body as received.
    pub body: &'a [u8],
}

impl<'a> SignedRequest<'a> {
    /// The request behind `parts` with `body`.
    pub fn new(parts: &'a http::request::Parts, body: &'a [u8]) -> Self {
        SignedRequest {
            method: parts.method.as_str(),
            path: parts.uri.path(),
            query: parts.uri.query(),
            headers: &parts.headers,
            body,
        }
    }

    fn header(&self, name: &str) -> Result<Option<&'a str>, ApiError> {
        self.headers
            .get(name)
            .map(|v| {
                v.to_str()
                    .map_err(|_| unauthorized(format!("the {name} header is not visible ASCII")))
            })
            .transpose()
    }
}

/// The two texts a SigV4 signature is computed over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningStrings {
    /// The canonical request.
    pub canonical_request: String,
    /// The string to sign (algorithm, date, scope, hash of the canonical request).
    pub string_to_sign: String,
}

/// Checks signatures for one service name and region against a set of keys, on the system
/// clock or at a fixed instant.
#[derive(Debug, Clone)]
pub struct Verifier {
    keys: KeyStore,
    service: String,
    region: String,
    fixed_time: Option<SystemTime>,
}

fn unauthorized(msg: impl Into<String>) -> ApiError {
    ApiError::Unauthorized(msg.into())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl Verifier {
    /// A verifier accepting `keys` for signing name `service` in `region`, on the system clock.
    pub fn new(keys: KeyStore, service: impl Into<String>, region: impl Into<String>) -> Self {
        Verifier {
            keys,
            service: service.into(),
            region: region.into(),
            fixed_time: None,
        }
    }

    /// Judges request dates as if the time were `now` (for fixed test vectors).
    pub fn at(mut self, now: SystemTime) -> Self {
        self.fixed_time = Some(now);
        self
    }

    /// The accepted keys.
    pub fn keys(&self) -> &KeyStore {
        &self.keys
    }

    /// The region requests must be signed for.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The canonical request and string to sign of `request`, rebuilt from what it claims
    /// (key, scope, signed headers) and what it carries. Checks nothing about the key.
    pub fn signing_strings(&self, request: &SignedRequest<'_>) -> Result<SigningStrings, ApiError> {
        let claim = read_claim(request)?;
        signing_strings(request, &claim)
    }

    /// Verifies `request`'s signature and returns what the caller may do.
    pub fn verify(&self, request: &SignedRequest<'_>) -> Result<Access, ApiError> {
        let claim = read_claim(request)?;
        let key = self
            .keys
            .keys
            .get(&claim.key_id)
            .ok_or_else(|| unauthorized("the access key id is not known to this emulator"))?;
        if claim.service != self.service {
            return Err(unauthorized(format!(
                "the credential scope names service `{}`, but this emulator serves `{}`",
                echo(&claim.service),
                self.service
            )));
        }
        if claim.region != self.region {
            return Err(unauthorized(format!(
                "the credential scope names region `{}`, but this emulator serves `{}`",
                echo(&claim.region),
                self.region
            )));
        }
        let time = claim::parse_amz_date(&claim.amz_date).ok_or_else(|| {
            unauthorized("the request date (X-Amz-Date) is not a YYYYMMDDTHHMMSSZ date")
        })?;
        if !claim.amz_date.starts_with(&claim.scope_date) || claim.scope_date.len() != 8 {
            return Err(unauthorized(
                "the credential scope date does not match the request date (X-Amz-Date)",
            ));
        }
        self.check_time(time, claim.location)?;
        let strings = signing_strings(request, &claim)?;
        let signing_key = aws_sigv4::sign::v4::generate_signing_key(
            &key.secret,
            time,
            &claim.region,
            &claim.service,
        );
        let expected = aws_sigv4::sign::v4::calculate_signature(
            signing_key,
            strings.string_to_sign.as_bytes(),
        );
        if !constant_time_eq(expected.as_bytes(), claim.signature.as_bytes()) {
            tracing::debug!(
                canonical_request = %strings.canonical_request,
                "signature mismatch"
            );
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

    fn check_time(&self, time: SystemTime, location: Location) -> Result<(), ApiError> {
        let now = self.fixed_time.unwrap_or_else(SystemTime::now);
        match location {
            Location::Header => {
                let skew = match now.duration_since(time) {
                    Ok(d) => d,
                    Err(e) => e.duration(),
                };
                if skew > MAX_SKEW {
                    return Err(unauthorized(
                        "the request time differs from the server time by more than 15 minutes",
                    ));
                }
            }
            Location::Query(validity) => {
                if now
                    .checked_add(MAX_SKEW)
                    .is_some_and(|latest| time > latest)
                {
                    return Err(unauthorized(
                        "the presigned request is dated more than 15 minutes in the future",
                    ));
                }
                if time.checked_add(validity).is_none_or(|expiry| now > expiry) {
                    return Err(unauthorized(format!(
                        "the presigned request expired {} seconds after its date (X-Amz-Expires)",
                        validity.as_secs()
                    )));
                }
            }
        }
        Ok(())
    }
}

fn read_claim(request: &SignedRequest<'_>) -> Result<Claim, ApiError> {
    Claim::read(
        request.header("authorization")?,
        request.header("x-amz-date")?,
        request.query,
    )
    .map_err(unauthorized)
}

fn signing_strings(request: &SignedRequest<'_>, claim: &Claim) -> Result<SigningStrings, ApiError> {
    let required: &[&str] = match claim.location {
        Location::Header => &["host", "x-amz-date"],
        Location::Query(_) => &["host"],
    };
    for name in required {
        if !claim.signed_headers.iter().any(|h| h == name) {
            return Err(unauthorized(format!(
                "the signature does not cover the {name} header"
            )));
        }
    }
    let mut headers = Vec::with_capacity(claim.signed_headers.len());
    for name in &claim.signed_headers {
        let mut value = String::new();
        let mut any = false;
        for v in request.headers.get_all(name.as_str()) {
            let v = v.to_str().map_err(|_| {
                unauthorized(format!("the signed header {name} is not visible ASCII"))
            })?;
            if any {
                value.push(',');
            }
            value.push_str(&canonical_header_value(v));
            any = true;
        }
        if !any {
            return Err(unauthorized(format!(
                "the signed header {name} is missing from the request"
            )));
        }
        headers.push((name.clone(), value));
    }
    let payload_hash = canonical::sha256_hex(request.body);
    if let Some(declared) = request.header("x-amz-content-sha256")? {
        if declared != payload_hash {
            return Err(unauthorized(
                "the X-Amz-Content-Sha256 header is not the SHA-256 of the body \
                 (unsigned payloads are not accepted)",
            ));
        }
    }
    let skip: &[&str] = match claim.location {
        Location::Header => &[],
        Location::Query(_) => &[claim::param::SIGNATURE],
    };
    let canonical_request = canonical::canonical_request(&CanonicalParts {
        method: request.method,
        path: request.path,
        query: request.query,
        query_skip: skip,
        headers: &headers,
        payload_hash: &payload_hash,
    });
    let string_to_sign =
        canonical::string_to_sign(&claim.amz_date, &claim.scope(), &canonical_request);
    Ok(SigningStrings {
        canonical_request,
        string_to_sign,
    })
}
