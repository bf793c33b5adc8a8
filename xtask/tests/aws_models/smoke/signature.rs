//! Checks a received request's SigV4 signature: its scope names the test's access key, region
//! and the model's signing name, and its signature is the one aws-sigv4 computes from the
//! request as it arrived (method, path and query, signed headers, body or `UNSIGNED-PAYLOAD`)
//! with the test's secret key and the request's own `x-amz-date`.

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use aws_smithy_types::date_time::{DateTime, Format};

use crate::server::Received;

/// The access key every smoke test's client signs with.
pub const ACCESS_KEY: &str = "AKIDSMOKETEST";
/// Its secret key.
pub const SECRET_KEY: &str = "smoke-test-secret";
/// The region every smoke test's client is configured with.
pub const REGION: &str = "us-test-1";

/// The credentials of the smoke tests' clients.
pub fn credentials() -> Credentials {
    Credentials::new(ACCESS_KEY, SECRET_KEY, None, None, "smoke-test")
}

/// The parts of an `Authorization` header.
struct Authorization<'a> {
    scope: Vec<&'a str>,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

fn parse(header: &str) -> Result<Authorization<'_>, String> {
    let rest = header
        .strip_prefix("AWS4-HMAC-SHA256 ")
        .ok_or_else(|| format!("not a SigV4 authorization: {header:?}"))?;
    let (mut scope, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',') {
        match part.trim().split_once('=') {
            Some(("Credential", value)) => scope = Some(value.split('/').collect()),
            Some(("SignedHeaders", value)) => signed_headers = Some(value.split(';').collect()),
            Some(("Signature", value)) => signature = Some(value),
            _ => return Err(format!("unexpected part {part:?} in {header:?}")),
        }
    }
    match (scope, signed_headers, signature) {
        (Some(scope), Some(signed_headers), Some(signature)) => Ok(Authorization {
            scope,
            signed_headers,
            signature,
        }),
        _ => Err(format!("incomplete authorization: {header:?}")),
    }
}

/// `20261130T164131Z` as a time.
fn amz_date(text: &str) -> Result<SystemTime, String> {
    let bytes = text.as_bytes();
    if bytes.len() != 16 || bytes[8] != b'T' || bytes[15] != b'Z' {
        return Err(format!("x-amz-date {text:?} is not YYYYMMDDTHHMMSSZ"));
    }
    let iso = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &text[0..4],
        &text[4..6],
        &text[6..8],
        &text[9..11],
        &text[11..13],
        &text[13..15]
    );
    let time = DateTime::from_str(&iso, Format::DateTime)
        .map_err(|e| format!("x-amz-date {text:?}: {e}"))?;
    SystemTime::try_from(time).map_err(|e| format!("x-amz-date {text:?}: {e}"))
}

/// Checks that `request` is signed for `signing_name` in the test region with the test's
/// credentials, and that its signature covers what arrived.
pub fn check(request: &Received, signing_name: &str) -> Result<(), String> {
    let header = request.header("authorization");
    let authorization = parse(header)?;
    let date = request.header("x-amz-date");
    let expected_scope = [
        ACCESS_KEY,
        date.get(..8).unwrap_or_default(),
        REGION,
        signing_name,
    ];
    if authorization.scope.len() != 5
        || authorization.scope[..4] != expected_scope
        || authorization.scope[4] != "aws4_request"
    {
        return Err(format!(
            "the credential scope is {:?}, expected {expected_scope:?} then aws4_request",
            authorization.scope
        ));
    }
    for needed in ["host", "x-amz-date"] {
        if !authorization.signed_headers.contains(&needed) {
            return Err(format!("{needed} is not signed: {header}"));
        }
    }
    let mut headers = Vec::new();
    for name in &authorization.signed_headers {
        let value = request
            .headers
            .get(*name)
            .ok_or_else(|| format!("signed header {name} did not arrive"))?
            .to_str()
            .map_err(|_| format!("signed header {name} is not text"))?;
        headers.push((*name, value));
    }
    let body = if request.header("x-amz-content-sha256") == "UNSIGNED-PAYLOAD" {
        SignableBody::UnsignedPayload
    } else {
        SignableBody::Bytes(&request.body)
    };
    let uri = format!("http://{}{}", request.header("host"), request.target);
    let signable = SignableRequest::new(&request.method, uri, headers.into_iter(), body)
        .map_err(|e| format!("cannot rebuild the request: {e}"))?;
    let identity: Identity = credentials().into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(REGION)
        .name(signing_name)
        .time(amz_date(date)?)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| format!("signing parameters: {e}"))?
        .into();
    let expected = sign(signable, &params)
        .map_err(|e| format!("cannot sign: {e}"))?
        .signature()
        .to_owned();
    if authorization.signature == expected {
        Ok(())
    } else {
        Err(format!(
            "the signature {} does not match what arrived (expected {expected})",
            authorization.signature
        ))
    }
}
