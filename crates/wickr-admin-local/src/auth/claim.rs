//! What a request claims about its signature: who signed it, for which date, region and
//! service, over which headers, and the signature itself. It comes either from the
//! `Authorization` header or, for a presigned request, from `X-Amz-*` query parameters.

use crate::error::echo;
use percent_encoding::percent_decode_str;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Query parameters of a presigned request.
pub mod param {
    /// Algorithm.
    pub const ALGORITHM: &str = "X-Amz-Algorithm";
    /// Credential scope with the key id.
    pub const CREDENTIAL: &str = "X-Amz-Credential";
    /// Request time.
    pub const DATE: &str = "X-Amz-Date";
    /// Seconds the request stays valid.
    pub const EXPIRES: &str = "X-Amz-Expires";
    /// Signed header names.
    pub const SIGNED_HEADERS: &str = "X-Amz-SignedHeaders";
    /// The signature (left out of the canonical query).
    pub const SIGNATURE: &str = "X-Amz-Signature";
}

/// Longest validity a presigned request may ask for (seven days, as AWS allows).
pub const MAX_PRESIGNED_EXPIRY: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// Where the signature travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// The `Authorization` header.
    Header,
    /// Query parameters of a presigned request, valid for this long after its date.
    Query(Duration),
}

/// A request's signature claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// Access key id.
    pub key_id: String,
    /// Credential scope date, `YYYYMMDD`.
    pub scope_date: String,
    /// Credential scope region.
    pub region: String,
    /// Credential scope service.
    pub service: String,
    /// Request time as sent, `YYYYMMDDTHHMMSSZ`.
    pub amz_date: String,
    /// Signed header names, lower case, sorted, without repeats.
    pub signed_headers: Vec<String>,
    /// Hex signature.
    pub signature: String,
    /// Header or presigned.
    pub location: Location,
}

impl Claim {
    /// The credential scope, `date/region/service/aws4_request`.
    pub fn scope(&self) -> String {
        format!(
            "{}/{}/{}/aws4_request",
            self.scope_date, self.region, self.service
        )
    }

    /// Reads the claim of a request from its `Authorization` header (with `X-Amz-Date`) or
    /// its presigned query parameters. `Err` says what is missing or malformed.
    pub fn read(
        authorization: Option<&str>,
        amz_date_header: Option<&str>,
        query: Option<&str>,
    ) -> Result<Claim, String> {
        let presigned = query_param(query, param::SIGNATURE)?;
        match (authorization, presigned) {
            (Some(_), Some(_)) => Err(
                "the request carries both an Authorization header and an X-Amz-Signature \
                 query parameter; sign it one way only"
                    .to_owned(),
            ),
            (Some(value), None) => {
                let amz_date = amz_date_header
                    .ok_or("the X-Amz-Date header is missing")?
                    .to_owned();
                from_header(value, amz_date)
            }
            (None, Some(signature)) => from_query(query, signature),
            (None, None) => Err(
                "the request is not signed (no Authorization header and no X-Amz-Signature \
                 query parameter)"
                    .to_owned(),
            ),
        }
    }
}

fn from_header(value: &str, amz_date: String) -> Result<Claim, String> {
    let rest = value
        .strip_prefix("AWS4-HMAC-SHA256 ")
        .ok_or("the Authorization header is not a SigV4 header (AWS4-HMAC-SHA256 ...)")?;
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in rest.split(',') {
        let (k, v) = part
            .trim()
            .split_once('=')
            .ok_or("the Authorization header has a part that is not name=value")?;
        let slot = match k {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed_headers,
            "Signature" => &mut signature,
            _ => {
                return Err(format!(
                    "the Authorization header has an unknown part `{}`",
                    echo(k)
                ))
            }
        };
        if slot.replace(v).is_some() {
            return Err(format!("the Authorization header gives `{k}` twice"));
        }
    }
    build(
        credential.ok_or("the Authorization header has no Credential")?,
        signed_headers.ok_or("the Authorization header has no SignedHeaders")?,
        signature.ok_or("the Authorization header has no Signature")?,
        amz_date,
        Location::Header,
    )
}

fn from_query(query: Option<&str>, signature: String) -> Result<Claim, String> {
    let required = |name: &str| -> Result<String, String> {
        query_param(query, name)?
            .ok_or_else(|| format!("the presigned request has no {name} query parameter"))
    };
    let algorithm = required(param::ALGORITHM)?;
    if algorithm != super::canonical::ALGORITHM {
        return Err(format!(
            "the presigned request's {} is `{}`; only AWS4-HMAC-SHA256 is supported",
            param::ALGORITHM,
            echo(&algorithm)
        ));
    }
    let expires = required(param::EXPIRES)?;
    let seconds: u64 = expires
        .parse()
        .ok()
        .filter(|s| *s >= 1)
        .ok_or_else(|| format!("{} must be a whole number of seconds", param::EXPIRES))?;
    let validity = Duration::from_secs(seconds);
    if validity > MAX_PRESIGNED_EXPIRY {
        return Err(format!(
            "{} may be at most {} seconds (seven days)",
            param::EXPIRES,
            MAX_PRESIGNED_EXPIRY.as_secs()
        ));
    }
    build(
        &required(param::CREDENTIAL)?,
        &required(param::SIGNED_HEADERS)?,
        &signature,
        required(param::DATE)?,
        Location::Query(validity),
    )
}

fn build(
    credential: &str,
    signed_headers: &str,
    signature: &str,
    amz_date: String,
    location: Location,
) -> Result<Claim, String> {
    let malformed = || {
        "the credential must be KEY/YYYYMMDD/REGION/SERVICE/aws4_request with no part empty"
            .to_owned()
    };
    let parts: Vec<&str> = credential.split('/').collect();
    let [key_id, date, region, service, terminator] = parts[..] else {
        return Err(malformed());
    };
    if terminator != "aws4_request" || parts.iter().any(|p| p.is_empty()) {
        return Err(malformed());
    }
    let mut headers: Vec<String> = signed_headers
        .split(';')
        .map(str::to_ascii_lowercase)
        .collect();
    if headers.iter().any(String::is_empty) {
        return Err("SignedHeaders has an empty header name".to_owned());
    }
    headers.sort();
    headers.dedup();
    Ok(Claim {
        key_id: key_id.to_owned(),
        scope_date: date.to_owned(),
        region: region.to_owned(),
        service: service.to_owned(),
        amz_date,
        signed_headers: headers,
        signature: signature.to_owned(),
        location,
    })
}

/// The decoded value of query parameter `name`; `Err` when it is given more than once.
fn query_param(query: Option<&str>, name: &str) -> Result<Option<String>, String> {
    let mut found = None;
    for part in query.unwrap_or("").split('&') {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        if k != name {
            continue;
        }
        if found.is_some() {
            return Err(format!(
                "the {name} query parameter is given more than once"
            ));
        }
        let value = percent_decode_str(v)
            .decode_utf8()
            .map_err(|_| format!("the {name} query parameter is not valid UTF-8"))?;
        found = Some(value.into_owned());
    }
    Ok(found)
}

/// Parses `YYYYMMDDTHHMMSSZ`.
pub fn parse_amz_date(s: &str) -> Option<SystemTime> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_amz_dates() {
        assert_eq!(
            parse_amz_date("20240101T000000Z"),
            Some(UNIX_EPOCH + Duration::from_secs(1_704_067_200))
        );
        assert_eq!(parse_amz_date("2024-01-01T00:00:00Z"), None);
        assert_eq!(parse_amz_date("20241301T000000Z"), None);
    }

    #[test]
    fn reads_a_header_claim() {
        let claim = Claim::read(
            Some(
                "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service/aws4_request, \
                 SignedHeaders=x-amz-date;Host, Signature=abc",
            ),
            Some("20150830T123600Z"),
            None,
        )
        .unwrap();
        assert_eq!(claim.scope(), "20150830/us-east-1/service/aws4_request");
        assert_eq!(claim.signed_headers, ["host", "x-amz-date"]);
        assert_eq!(claim.location, Location::Header);
    }

    #[test]
    fn reads_a_presigned_claim() {
        let claim = Claim::read(
            None,
            None,
            Some(
                "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20150830%2Fus-east-1\
                 %2Fwickr%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=60\
                 &X-Amz-SignedHeaders=host&X-Amz-Signature=abc",
            ),
        )
        .unwrap();
        assert_eq!(claim.key_id, "AKID");
        assert_eq!(claim.location, Location::Query(Duration::from_secs(60)));
    }

    #[test]
    fn malformed_claims_say_what_is_wrong() {
        let err = |auth: Option<&str>, query: Option<&str>| {
            Claim::read(auth, Some("20150830T123600Z"), query).unwrap_err()
        };
        assert!(err(None, None).contains("not signed"));
        assert!(err(Some("Basic abc"), None).contains("not a SigV4 header"));
        assert!(err(
            Some("AWS4-HMAC-SHA256 Credential=a/b/c, SignedHeaders=host, Signature=x"),
            None
        )
        .contains("KEY/YYYYMMDD/REGION/SERVICE/aws4_request"));
        assert!(err(Some("AWS4-HMAC-SHA256 x"), Some("X-Amz-Signature=1")).contains("both"));
        assert!(err(None, Some("X-Amz-Signature=1&X-Amz-Algorithm=HMAC"))
            .contains("only AWS4-HMAC-SHA256"));
        assert!(err(
            None,
            Some("X-Amz-Signature=1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=604801")
        )
        .contains("at most 604800"));
    }
}
