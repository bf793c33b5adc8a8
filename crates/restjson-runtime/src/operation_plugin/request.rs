//! The HTTP request of one call, from the serializer's layout and the operation's facts: headers,
//! the body (buffered, or a stream handed over as it is), and what the facts add: the payload
//! hash SigV4 signs, `Content-MD5`, gzip compression.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::byte_stream::ByteStream;

use crate::operation_shape::SerializedRequest;
use crate::schema::RequestFacts;
use crate::signing::PAYLOAD_HASH_HEADER;

/// The smallest body that `@requestCompression` operations send compressed, as the AWS SDKs'
/// default (`request_min_compression_size_bytes`): below it, compressing saves too little.
pub const MIN_COMPRESSION_SIZE: usize = 10_240;

/// What SigV4 signs instead of a payload hash for `aws.auth#unsignedPayload` and for bodies
/// that are not in memory.
const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// Turns the serializer's layout into an HTTP request (the orchestrator adds the endpoint, the
/// user agent interceptor its header).
pub(super) fn to_http_request(
    serialized: SerializedRequest,
    stream: Option<ByteStream>,
    facts: &RequestFacts,
) -> Result<HttpRequest, BoxError> {
    let has_content_type = serialized
        .headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("content-type"));
    let mut content_encoding = serialized
        .headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-encoding"))
        .map(|(_, value)| value.clone());
    let mut added: Vec<(&'static str, String)> = Vec::new();
    let body = match (serialized.body, stream) {
        (_, Some(stream)) => stream_body(stream, facts, &mut added)?,
        (Some(mut bytes), None) => {
            if !has_content_type {
                added.push(("content-type", "application/json".to_owned()));
            }
            if let Some(compressed) = compress(facts, &bytes)? {
                bytes = compressed;
                content_encoding = Some(match content_encoding {
                    Some(existing) => format!("{existing}, gzip"),
                    None => "gzip".to_owned(),
                });
            }
            if facts.checksum_required {
                added.push(("content-md5", content_md5(&bytes)));
            }
            let hash = if facts.unsigned_payload {
                UNSIGNED_PAYLOAD.to_owned()
            } else {
                payload_hash(&bytes)
            };
            added.push(("content-length", bytes.len().to_string()));
            added.push((PAYLOAD_HASH_HEADER, hash));
            opaque_body(bytes::Bytes::from(bytes))
        }
        (None, None) => {
            if facts.checksum_required {
                added.push(("content-md5", content_md5(&[])));
            }
            SdkBody::empty()
        }
    };
    if let Some(encoding) = content_encoding {
        added.push(("content-encoding", encoding));
    }
    let mut builder = http::Request::builder()
        .method(serialized.method)
        .uri(serialized.uri);
    let bound = serialized
        .headers
        .iter()
        .filter(|(name, _)| !name.eq_ignore_ascii_case("content-encoding"))
        .map(|(name, value)| (*name, value.as_str()));
    let prefixed = serialized
        .prefix_headers
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()));
    let added_ = added.iter().map(|(name, value)| (*name, value.as_str()));
    for (name, value) in bound.chain(prefixed).chain(added_) {
        builder = builder.header(name, value);
    }
    let request = builder.body(body)?;
    Ok(HttpRequest::try_from(request)?)
}

/// A streaming payload as the body, sent as it is: its length when it is known (it must be under
/// `@requiresLength`), its MD5 when the operation needs one (which only a body in memory gives),
/// and the payload hash SigV4 signs (`UNSIGNED-PAYLOAD` unless the body is in memory and the
/// operation signs payloads).
fn stream_body(
    stream: ByteStream,
    facts: &RequestFacts,
    added: &mut Vec<(&'static str, String)>,
) -> Result<SdkBody, BoxError> {
    let body = stream.into_inner();
    match body.content_length() {
        Some(length) => added.push(("content-length", length.to_string())),
        None if facts.requires_length => {
            return Err(
                "the streaming payload's length must be known before it is sent (the operation \
                 has @requiresLength): give a body of known size"
                    .into(),
            )
        }
        None => {}
    }
    let bytes = body.bytes();
    if facts.checksum_required {
        let Some(bytes) = bytes else {
            return Err(
                "the operation needs the body's MD5 (@httpChecksumRequired), which a stream not \
                 held in memory cannot give"
                    .into(),
            );
        };
        added.push(("content-md5", content_md5(bytes)));
    }
    let hash = match bytes {
        Some(bytes) if !facts.unsigned_payload => payload_hash(bytes),
        _ => UNSIGNED_PAYLOAD.to_owned(),
    };
    added.push((PAYLOAD_HASH_HEADER, hash));
    Ok(body)
}

/// The body gzipped, for a `@requestCompression` operation whose body is large enough. Without
/// the `request-compression` feature bodies are sent as they are, which every service accepts.
#[cfg(feature = "request-compression")]
fn compress(facts: &RequestFacts, bytes: &[u8]) -> Result<Option<Vec<u8>>, BoxError> {
    use std::io::Write;
    if !facts.request_compression || bytes.len() < MIN_COMPRESSION_SIZE {
        return Ok(None);
    }
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes)?;
    Ok(Some(encoder.finish()?))
}

#[cfg(not(feature = "request-compression"))]
fn compress(_facts: &RequestFacts, _bytes: &[u8]) -> Result<Option<Vec<u8>>, BoxError> {
    Ok(None)
}

/// A request body whose `Debug` output (which the orchestrator writes to trace logs) does not
/// show its bytes: bodies carry personal data such as names. It can be rebuilt for retries.
fn opaque_body(bytes: bytes::Bytes) -> SdkBody {
    SdkBody::retryable(move || SdkBody::from_body_1_x(http_body_util::Full::new(bytes.clone())))
}

/// Lower-case hex SHA-256 of a payload, as SigV4 expects it.
fn payload_hash(payload: &[u8]) -> String {
    use sha2::Digest;
    use std::fmt::Write;
    let digest = sha2::Sha256::digest(payload);
    let mut hex = String::with_capacity(64);
    for byte in digest.iter() {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// Base64 of the body's MD5, the `Content-MD5` header.
fn content_md5(body: &[u8]) -> String {
    use md5::Digest;
    aws_smithy_types::base64::encode(md5::Md5::digest(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_hash_is_sha256_hex() {
        assert_eq!(
            payload_hash(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn content_md5_is_base64_of_the_digest() {
        // The body and header of the restJson1 protocol test RestJsonHttpChecksumRequired.
        let body = b"{\"foo\":\"base64 encoded md5 checksum\"}";
        assert_eq!(content_md5(body), "iB0/3YSo7maijL0IGOgA9g==");
    }

    #[test]
    fn request_bodies_do_not_print_their_bytes() {
        let body = opaque_body(bytes::Bytes::from_static(b"{\"firstName\":\"Alice\"}"));
        let printed = format!("{body:?}");
        assert!(!printed.contains("Alice"), "{printed}");
        assert!(
            body.try_clone().is_some(),
            "the body must be rebuildable for retries"
        );
    }
}
