//! The default HTTP client speaks plain HTTP to an `http://` endpoint and TLS to an `https://`
//! one, reading the system's trusted roots only for the latter (`restjson_runtime::http_client`).
//! A listener on 127.0.0.1 records the first bytes each client sends.

use std::time::Duration;

use tokio::io::AsyncReadExt;
use wickr_admin::config::{Credentials, Region, RetryConfig};

/// The first five bytes a client configured for `scheme://127.0.0.1:PORT` sends.
async fn first_bytes(scheme: &str) -> [u8; 5] {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut bytes = [0u8; 5];
        stream.read_exact(&mut bytes).await.unwrap();
        bytes
    });
    let config = wickr_admin::Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url(format!("{scheme}://127.0.0.1:{port}"))
        .credentials_provider(Credentials::new("AKID", "secret", None, None, "test"))
        .retry_config(RetryConfig::disabled())
        .build();
    let client = wickr_admin::Client::from_conf(config);
    let call = tokio::time::timeout(
        Duration::from_secs(10),
        client.get_users_count().network_id("12345678").send(),
    );
    let (bytes, answer) = tokio::join!(server, call);
    let answer = answer.expect("the call ends once the listener goes away");
    assert!(answer.is_err(), "the listener never answers");
    bytes.unwrap()
}

#[tokio::test]
async fn an_http_endpoint_gets_plain_http_and_an_https_endpoint_gets_tls() {
    assert_eq!(&first_bytes("http").await, b"GET /");
    // 0x16: a TLS handshake record, the client's hello.
    assert_eq!(first_bytes("https").await[0], 0x16);
    // And plain HTTP again after the TLS connector was made.
    assert_eq!(&first_bytes("http").await, b"GET /");
}
