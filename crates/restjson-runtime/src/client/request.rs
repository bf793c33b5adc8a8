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

/// Turns the serializer's layout into an HTTP request (the orchestrator adds the endpoint).
pub(super) fn to_http_request(
    serialized: SerializedRequest,
    stream: Option<ByteStream>,
    facts: &RequestFacts,
    user_agent: &str,
) -> Result<HttpRequest, BoxError> {
    let mut builder = http::Request::builder()
        .method(serialized.method)
        .uri(serialized.uri);
    let mut has_content_type = false;
    let mut content_encoding = None;
    for (name, value) in &serialized.headers {
        has_content_type |= name.eq_ignore_ascii_case("content-type");
        if name.eq_ignore_ascii_case("content-encoding") {
            content_encoding = Some(value.clone());
            continue;
        }
        builder = builder.header(*name, value.as_str());
    }
    for (name, value) in &serialized.prefix_headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    builder = builder.header("user-agent", user_agent);
    let body = match (serialized.body, stream) {
        (_, Some(stream)) => {
            let body = stream.into_inner();
            match body.content_length() {
                Some(length) => builder = builder.header("content-length", length),
                None if facts.requires_length => {
                    return Err(
                        "the streaming payload's length must be known before it is sent \
                         (the operation has @requiresLength): give a body of known size"
                            .into(),
                    )
                }
                None => {}
            }
            let bytes = body.bytes().map(<[u8]>::to_vec);
            if facts.checksum_required {
                let Some(bytes) = &bytes else {
                    return Err(
                        "the operation needs the body's MD5 (@httpChecksumRequired), \
                         which a stream not held in memory cannot give"
                            .into(),
                    );
                };
                builder = builder.header("content-md5", content_md5(bytes));
            }
            let hash = match &bytes {
                Some(bytes) if !facts.unsigned_payload => payload_hash(bytes),
                _ => UNSIGNED_PAYLOAD.to_owned(),
            };
            builder = builder.header(PAYLOAD_HASH_HEADER, hash);
            body
        }
        (Some(mut bytes), None) => {
            if !has_content_type {
                builder = builder.header("content-type", "application/json");
            }
            if let Some(compressed) = compress(facts, &bytes)? {
                bytes = compressed;
                content_encoding = Some(match content_encoding {
                    Some(existing) => format!("{existing}, gzip"),
                    None => "gzip".to_owned(),
                });
            }
            if facts.checksum_required {
                builder = builder.header("content-md5", content_md5(&bytes));
            }
            let hash = if facts.unsigned_payload {
                UNSIGNED_PAYLOAD.to_owned()
            } else {
                payload_hash(&bytes)
            };
            builder = builder
                .header("content-length", bytes.len())
                .header(PAYLOAD_HASH_HEADER, hash);
            opaque_body(bytes::Bytes::from(bytes))
        }
        (None, None) => {
            if facts.checksum_required {
                builder = builder.header("content-md5", content_md5(&[]));
            }
            SdkBody::empty()
        }
    };
    if let Some(encoding) = content_encoding {
        builder = builder.header("content-encoding", encoding);
    }
    let request = builder.body(body)?;
    Ok(HttpRequest::try_from(request)?)
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
