//! Signature rules beyond the published suite: the credential scope must name the region and
//! service the emulator serves, presigned (query-string) requests are verified, and raw `:` and
//! `+` in a query string are canonicalized as AWS does.

mod common;

use aws_sigv4::http_request::{
    sign, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
};
use common::{start_demo, RawResponse};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wickr_admin_local::{
    RunningEmulator, DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, DEMO_NETWORK_ID,
};

fn users_path() -> String {
    format!("/networks/{DEMO_NETWORK_ID}/users")
}

/// Sends `GET path_and_query` with `headers` (plus host and framing) and reads the answer.
async fn get(
    emulator: &RunningEmulator,
    path_and_query: &str,
    headers: &[(String, String)],
) -> RawResponse {
    let host = emulator.local_addr().to_string();
    let mut head = format!("GET {path_and_query} HTTP/1.1\r\nhost: {host}\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("content-length: 0\r\nconnection: close\r\n\r\n");
    let mut stream = tokio::net::TcpStream::connect(emulator.local_addr())
        .await
        .unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut raw))
        .await
        .expect("an answer within 10 s")
        .unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("an HTTP answer");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    RawResponse {
        status,
        headers: lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_owned()))
            .collect(),
        body: body.to_owned(),
    }
}

/// Signs a GET with aws-sigv4 for `region` and `service`, in the header or as a presigned
/// query (valid `expires`), at `time`. Returns the path and query to send and the headers.
fn signed_get(
    emulator: &RunningEmulator,
    path_and_query: &str,
    region: &str,
    service: &str,
    time: SystemTime,
    presign_for: Option<Duration>,
) -> (String, Vec<(String, String)>) {
    let host = emulator.local_addr().to_string();
    let identity = aws_sdk_wickr::config::Credentials::new(
        DEFAULT_ACCESS_KEY_ID,
        DEFAULT_SECRET_ACCESS_KEY,
        None,
        None,
        "test",
    )
    .into();
    let mut settings = SigningSettings::default();
    if let Some(expires) = presign_for {
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = Some(expires);
    }
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(time)
        .settings(settings)
        .build()
        .unwrap()
        .into();
    let headers = [("host", host.as_str())];
    let signable = SignableRequest::new(
        "GET",
        format!("http://{host}{path_and_query}"),
        headers.into_iter(),
        SignableBody::Bytes(b""),
    )
    .unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let mut target = path_and_query.to_owned();
    for (name, value) in instructions.params() {
        target.push(if target.contains('?') { '&' } else { '?' });
        target.push_str(name);
        target.push('=');
        target.push_str(
            &percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC)
                .to_string(),
        );
    }
    let headers = instructions
        .headers()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    (target, headers)
}

fn assert_unauthorized(r: &RawResponse, says: &str) {
    assert_eq!(r.status, 401, "{}", r.body);
    assert_eq!(r.header("x-amzn-errortype"), Some("UnauthorizedError"));
    let message = r.json()["message"].as_str().unwrap_or("").to_owned();
    assert!(message.contains(says), "`{message}` does not say `{says}`");
}

#[tokio::test]
async fn the_credential_scope_must_name_the_served_region_and_service() {
    let emulator = start_demo().await;
    let now = SystemTime::now();
    let (target, headers) = signed_get(&emulator, &users_path(), "us-east-1", "wickr", now, None);
    assert_eq!(get(&emulator, &target, &headers).await.status, 200);

    let (target, headers) = signed_get(&emulator, &users_path(), "eu-west-1", "wickr", now, None);
    let r = get(&emulator, &target, &headers).await;
    assert_unauthorized(
        &r,
        "region `eu-west-1`, but this emulator serves `us-east-1`",
    );

    let (target, headers) = signed_get(&emulator, &users_path(), "us-east-1", "s3", now, None);
    let r = get(&emulator, &target, &headers).await;
    assert_unauthorized(&r, "service `s3`, but this emulator serves `wickr`");
}

#[tokio::test]
async fn an_emulator_serving_another_region_accepts_that_region_only() {
    let emulator = common::start(
        wickr_admin_local::Emulator::builder()
            .seed_demo_network(true)
            .region("eu-west-1"),
    )
    .await;
    let count = emulator
        .client()
        .get_users_count()
        .network_id(DEMO_NETWORK_ID)
        .send()
        .await
        .expect("the emulator's own client signs for the region it serves");
    assert_eq!(count.total(), 1);
    // The official client configured for us-east-1 is refused.
    let err = common::sdk_client(&emulator)
        .get_users_count()
        .network_id(DEMO_NETWORK_ID)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_unauthorized_error(), "{err:?}");
}

#[tokio::test]
async fn presigned_requests_are_verified() {
    let emulator = start_demo().await;
    let now = SystemTime::now();
    let minute = Duration::from_secs(60);
    let (target, headers) = signed_get(
        &emulator,
        &users_path(),
        "us-east-1",
        "wickr",
        now,
        Some(minute),
    );
    assert!(
        headers.is_empty(),
        "a presigned request carries no signature header"
    );
    let r = get(&emulator, &target, &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["users"].as_array().map(Vec::len), Some(1));

    // The query is covered: another page size with the same signature is refused.
    let tampered = target.replacen("/users?", "/users?maxResults=5&", 1);
    assert_unauthorized(
        &get(&emulator, &tampered, &[]).await,
        "signature does not match",
    );

    // Signed ten minutes ago, valid for one: expired.
    let (target, _) = signed_get(
        &emulator,
        &users_path(),
        "us-east-1",
        "wickr",
        now - 10 * minute,
        Some(minute),
    );
    assert_unauthorized(&get(&emulator, &target, &[]).await, "expired");

    // Signed ten minutes ago, valid for an hour: still fine.
    let (target, _) = signed_get(
        &emulator,
        &users_path(),
        "us-east-1",
        "wickr",
        now - 10 * minute,
        Some(60 * minute),
    );
    assert_eq!(get(&emulator, &target, &[]).await.status, 200);

    // Presigned for another region: refused like a header signature.
    let (target, _) = signed_get(
        &emulator,
        &users_path(),
        "eu-west-1",
        "wickr",
        now,
        Some(minute),
    );
    assert_unauthorized(&get(&emulator, &target, &[]).await, "region `eu-west-1`");
}

/// Signs `GET path?query` by hand from a canonical request written out in full, so the test
/// states what AWS expects rather than what some signer computes.
fn hand_signed(
    emulator: &RunningEmulator,
    path: &str,
    canonical_query: &str,
) -> Vec<(String, String)> {
    let host = emulator.local_addr().to_string();
    // Whole seconds, as X-Amz-Date carries them.
    let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let time = UNIX_EPOCH + Duration::from_secs(since_epoch.as_secs());
    // 2024-01-01T00:00:00Z -> 20240101T000000Z
    let amz_date = aws_smithy_types::DateTime::from(time)
        .fmt(aws_smithy_types::date_time::Format::DateTime)
        .unwrap()
        .replace(['-', ':'], "");
    let date = &amz_date[..8];
    let empty_hash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    let canonical_request = format!(
        "GET\n{path}\n{canonical_query}\nhost:{host}\nx-amz-date:{amz_date}\n\nhost;x-amz-date\n{empty_hash}"
    );
    let scope = format!("{date}/us-east-1/wickr/aws4_request");
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    let key = aws_sigv4::sign::v4::generate_signing_key(
        DEFAULT_SECRET_ACCESS_KEY,
        time,
        "us-east-1",
        "wickr",
    );
    let signature = aws_sigv4::sign::v4::calculate_signature(key, string_to_sign.as_bytes());
    vec![
        ("x-amz-date".to_owned(), amz_date.clone()),
        (
            "authorization".to_owned(),
            format!(
                "AWS4-HMAC-SHA256 Credential={DEFAULT_ACCESS_KEY_ID}/{scope}, \
                 SignedHeaders=host;x-amz-date, Signature={signature}"
            ),
        ),
    ]
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test]
async fn raw_colon_and_plus_in_the_query_are_canonicalized_as_aws_does() {
    let emulator = start_demo().await;
    let path = users_path();
    // AWS: decode each name and value, then encode everything but A-Z a-z 0-9 - _ . ~; a raw
    // `+` is a plus sign, so `username+firstName` and `username%2BfirstName` are one value.
    let canonical_query = "sortFields=username%2BfirstName&username=admin%3A";
    for query in [
        "username=admin:&sortFields=username+firstName",
        "username=admin%3A&sortFields=username%2BfirstName",
        "username=admin%3a&sortFields=username+firstName",
    ] {
        let headers = hand_signed(&emulator, &path, canonical_query);
        let r = get(&emulator, &format!("{path}?{query}"), &headers).await;
        assert_eq!(r.status, 200, "{query}: {}", r.body);
        // The value read is the one signed: no user name contains `admin:`.
        assert_eq!(r.json()["users"], serde_json::json!([]), "{query}");
    }
    // The same request signed as if `+` were a space is refused.
    let headers = hand_signed(
        &emulator,
        &path,
        "sortFields=username%20firstName&username=admin%3A",
    );
    let r = get(
        &emulator,
        &format!("{path}?username=admin:&sortFields=username+firstName"),
        &headers,
    )
    .await;
    assert_unauthorized(&r, "signature does not match");
}
