//! Helpers shared by the integration tests: an official-SDK client for a running emulator.

#![allow(dead_code)]

pub mod paging;

use aws_sdk_wickr::config::{BehaviorVersion, Credentials, Region};
use wickr_admin_local::{Emulator, EmulatorBuilder, RunningEmulator};

/// Starts an emulator from `builder`.
pub async fn start(builder: EmulatorBuilder) -> RunningEmulator {
    builder
        .start()
        .await
        .expect("the emulator starts on 127.0.0.1:0")
}

/// Starts an emulator with the demo network.
pub async fn start_demo() -> RunningEmulator {
    start(Emulator::builder().seed_demo_network(true)).await
}

/// An official `aws-sdk-wickr` client for `emulator` signing with `id`/`secret`.
pub fn sdk_client_with(
    emulator: &RunningEmulator,
    id: &str,
    secret: &str,
) -> aws_sdk_wickr::Client {
    let config = aws_sdk_wickr::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(id, secret, None, None, "test"))
        .endpoint_url(emulator.endpoint_url())
        .build();
    aws_sdk_wickr::Client::from_conf(config)
}

/// An official client using the emulator's default key pair.
pub fn sdk_client(emulator: &RunningEmulator) -> aws_sdk_wickr::Client {
    sdk_client_with(
        emulator,
        wickr_admin_local::DEFAULT_ACCESS_KEY_ID,
        wickr_admin_local::DEFAULT_SECRET_ACCESS_KEY,
    )
}

/// A raw HTTP answer.
#[derive(Debug)]
pub struct RawResponse {
    /// Status code.
    pub status: u16,
    /// Lower-cased header lines `name: value`.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: String,
}

impl RawResponse {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("the body is JSON")
    }
}

/// How a raw request is signed.
pub struct Signing<'a> {
    pub key_id: &'a str,
    pub secret: &'a str,
    pub time: std::time::SystemTime,
    /// Body to compute the signature over (defaults to the body sent).
    pub signed_body: Option<&'a [u8]>,
}

impl Signing<'static> {
    /// The default key, signed now.
    pub fn default_key() -> Self {
        Signing {
            key_id: wickr_admin_local::DEFAULT_ACCESS_KEY_ID,
            secret: wickr_admin_local::DEFAULT_SECRET_ACCESS_KEY,
            time: std::time::SystemTime::now(),
            signed_body: None,
        }
    }
}

/// Sends one HTTP/1.1 request over a fresh connection and reads the whole answer.
pub async fn raw_request(
    emulator: &RunningEmulator,
    method: &str,
    path_and_query: &str,
    body: &[u8],
    signing: Option<Signing<'_>>,
) -> std::io::Result<RawResponse> {
    use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let host = emulator.local_addr().to_string();
    let mut headers: Vec<(String, String)> = vec![
        ("host".into(), host.clone()),
        ("content-type".into(), "application/json".into()),
    ];
    if let Some(s) = signing {
        let identity =
            aws_sdk_wickr::config::Credentials::new(s.key_id, s.secret, None, None, "t").into();
        let params = aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&identity)
            .region("us-east-1")
            .name("wickr")
            .time(s.time)
            .settings(SigningSettings::default())
            .build()
            .expect("signing params")
            .into();
        let uri = format!("http://{host}{path_and_query}");
        let signable = SignableRequest::new(
            method,
            uri,
            headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            SignableBody::Bytes(s.signed_body.unwrap_or(body)),
        )
        .expect("signable");
        let (instructions, _) = sign(signable, &params).expect("sign").into_parts();
        for (k, v) in instructions.headers() {
            headers.push((k.to_owned(), v.to_owned()));
        }
    }
    let mut head = format!("{method} {path_and_query} HTTP/1.1\r\n");
    for (k, v) in &headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    ));
    let mut stream = tokio::net::TcpStream::connect(emulator.local_addr()).await?;
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body).await?;
    let mut raw = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(10),
        stream.read_to_end(&mut raw),
    )
    .await
    .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "no answer in 10 s"))??;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "no HTTP answer"))?;
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_owned()))
        .collect();
    Ok(RawResponse {
        status,
        headers,
        body: body.to_owned(),
    })
}

/// Sends `sent_path` with a signature computed for `signed_path` (a tampered request line).
pub async fn raw_request_signed_as(
    emulator: &RunningEmulator,
    method: &str,
    sent_path: &str,
    signed_path: &str,
    body: &[u8],
) -> std::io::Result<RawResponse> {
    use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let host = emulator.local_addr().to_string();
    let identity = aws_sdk_wickr::config::Credentials::new(
        wickr_admin_local::DEFAULT_ACCESS_KEY_ID,
        wickr_admin_local::DEFAULT_SECRET_ACCESS_KEY,
        None,
        None,
        "t",
    )
    .into();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("wickr")
        .time(std::time::SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .expect("signing params")
        .into();
    let headers = [("host", host.as_str())];
    let signable = SignableRequest::new(
        method,
        format!("http://{host}{signed_path}"),
        headers.into_iter(),
        SignableBody::Bytes(body),
    )
    .expect("signable");
    let (instructions, _) = sign(signable, &params).expect("sign").into_parts();
    let mut head = format!("{method} {sent_path} HTTP/1.1\r\nhost: {host}\r\n");
    for (k, v) in instructions.headers() {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    ));
    let mut stream = tokio::net::TcpStream::connect(emulator.local_addr()).await?;
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body).await?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers = head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_owned()))
        .collect();
    Ok(RawResponse {
        status,
        headers,
        body: body.to_owned(),
    })
}

/// Sends a request signed (default key, now) over `host` plus `signed_headers`, but sent with
/// `sent_headers` in their place: a signed header changed after signing.
pub async fn raw_request_header_changed(
    emulator: &RunningEmulator,
    method: &str,
    path_and_query: &str,
    body: &[u8],
    signed_headers: &[(&str, &str)],
    sent_headers: &[(&str, &str)],
) -> std::io::Result<RawResponse> {
    use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let host = emulator.local_addr().to_string();
    let identity = aws_sdk_wickr::config::Credentials::new(
        wickr_admin_local::DEFAULT_ACCESS_KEY_ID,
        wickr_admin_local::DEFAULT_SECRET_ACCESS_KEY,
        None,
        None,
        "t",
    )
    .into();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("wickr")
        .time(std::time::SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .expect("signing params")
        .into();
    let mut to_sign = vec![("host", host.as_str())];
    to_sign.extend_from_slice(signed_headers);
    let signable = SignableRequest::new(
        method,
        format!("http://{host}{path_and_query}"),
        to_sign.into_iter(),
        SignableBody::Bytes(body),
    )
    .expect("signable");
    let (instructions, _) = sign(signable, &params).expect("sign").into_parts();
    let mut head = format!("{method} {path_and_query} HTTP/1.1\r\nhost: {host}\r\n");
    for (k, v) in sent_headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    for (k, v) in instructions.headers() {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    ));
    let mut stream = tokio::net::TcpStream::connect(emulator.local_addr()).await?;
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body).await?;
    let mut raw = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(10),
        stream.read_to_end(&mut raw),
    )
    .await
    .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "no answer in 10 s"))??;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "no HTTP answer"))?;
    let status = head
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers = head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_owned()))
        .collect();
    Ok(RawResponse {
        status,
        headers,
        body: body.to_owned(),
    })
}
