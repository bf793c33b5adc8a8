//! Payloads bound with `@httpPayload`: the member is the whole body. A structure, union or
//! document travels as JSON, a blob as its bytes, a string or enum as its UTF-8 text. (A
//! streaming blob is a body stream, which the call path hands over without buffering.)
//!
//! An unset structure payload is sent as `{}`; any other unset payload sends no body. An empty
//! response body reads as an absent payload.

use aws_smithy_types::error::operation::BuildError;
use aws_smithy_types::Blob;

use super::{HttpValue, Malformed};
use crate::json::{FromJson, ToJson};

/// The body for a structure, union or document payload: its JSON, or with `empty_object` (for
/// a structure) `{}` when it is unset.
pub fn json_payload<T: ToJson>(
    value: &Option<T>,
    empty_object: bool,
) -> Result<Option<Vec<u8>>, BuildError> {
    match value {
        Some(value) => Ok(Some(crate::json::to_body(value))),
        None if empty_object => Ok(Some(b"{}".to_vec())),
        None => Ok(None),
    }
}

/// The body for a blob payload: its bytes.
pub fn blob_payload(value: &Option<Blob>) -> Option<Vec<u8>> {
    value.as_ref().map(|b| b.as_ref().to_vec())
}

/// The body for a string or enum payload: its text.
pub fn string_payload<T: HttpValue>(value: &Option<T>) -> Option<Vec<u8>> {
    value.as_ref().map(|v| v.to_http_value().into_bytes())
}

fn is_empty(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

/// Reads a structure, union or document payload from a JSON body.
pub fn read_json_payload<T: FromJson>(body: &[u8]) -> Result<Option<T>, Malformed> {
    if is_empty(body) {
        return Ok(None);
    }
    crate::json::from_body(body)
        .map(Some)
        .map_err(|e| Malformed(format!("response payload: {e}")))
}

/// Reads a blob payload: the body's bytes.
pub fn read_blob_payload(body: &[u8]) -> Option<Blob> {
    (!body.is_empty()).then(|| Blob::new(body))
}

/// Reads a string or enum payload: the body's UTF-8 text.
pub fn read_string_payload<T: for<'a> From<&'a str>>(body: &[u8]) -> Result<Option<T>, Malformed> {
    if body.is_empty() {
        return Ok(None);
    }
    std::str::from_utf8(body)
        .map(|text| Some(T::from(text)))
        .map_err(|_| Malformed("response payload: not UTF-8 text".to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_round_trip_and_unset_ones_send_what_restjson1_says() {
        let payload = |value: Option<String>, empty_object| {
            json_payload(&value, empty_object).expect("serializes")
        };
        assert_eq!(payload(None, true), Some(b"{}".to_vec()));
        assert_eq!(payload(None, false), None);
        assert_eq!(
            payload(Some("hello".to_owned()), false),
            Some(b"\"hello\"".to_vec())
        );
        assert_eq!(
            read_json_payload::<String>(b"\"hello\""),
            Ok(Some("hello".into()))
        );
        assert_eq!(read_json_payload::<String>(b" "), Ok(None));
        assert_eq!(read_blob_payload(b""), None);
        assert_eq!(
            read_string_payload::<String>(b"raw"),
            Ok(Some("raw".into()))
        );
        assert!(read_string_payload::<String>(&[0xff]).is_err());
        assert_eq!(string_payload(&Some("x".to_owned())), Some(b"x".to_vec()));
    }
}
