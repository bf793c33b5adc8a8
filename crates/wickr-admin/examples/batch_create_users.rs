//! Creates two users with one BatchCreateUser call.
//!
//! ```text
//! cargo run -p wickr-admin --example batch_create_users                # built-in local server
//! cargo run -p wickr-admin --example batch_create_users -- http://127.0.0.1:8080  # e.g. the emulator
//! ```
//!
//! Without an argument the example starts a tiny HTTP server on 127.0.0.1 that answers the call
//! the way the service does, so it runs with no AWS account and no network access.

use std::error::Error;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wickr_admin::config::{Credentials, Region};
use wickr_admin::types::BatchCreateUserRequestItem;
use wickr_admin::{Client, Config};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let endpoint = match std::env::args().nth(1) {
        Some(url) => url,
        None => start_local_server().await?,
    };

    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new(
            "AKIDEXAMPLE",
            "example-secret",
            None,
            None,
            "example",
        ))
        .build();
    let client = Client::from_conf(config);

    let mut call = client.batch_create_user().network_id("12345678");
    for username in ["alice@example.com", "bob@example.com"] {
        call = call.users(
            BatchCreateUserRequestItem::builder()
                .username(username)
                .security_group_ids("sg-general")
                .build()?,
        );
    }
    // One line naming the operation, error code, message, status and request id on failure.
    let output = call.send().await?;

    for user in output.successful() {
        println!(
            "created {} as {}",
            user.username().unwrap_or("?"),
            user.user_id().unwrap_or("?")
        );
    }
    for failure in output.failed() {
        println!("not created: {failure:?}");
    }
    Ok(())
}

/// Serves BatchCreateUser answers on 127.0.0.1 and returns the URL.
async fn start_local_server() -> Result<String, Box<dyn Error>> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut chunk = [0u8; 4096];
                // Read until the end of the headers plus the announced body.
                loop {
                    let Ok(n) = stream.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    request.extend_from_slice(&chunk[..n]);
                    if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&request[..end]).to_lowercase();
                        let length = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(0);
                        if request.len() >= end + 4 + length {
                            break;
                        }
                    }
                }
                let body = r#"{"message":"2 users created","successful":[{"userId":"1001","username":"alice@example.com"},{"userId":"1002","username":"bob@example.com"}],"failed":[]}"#;
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-amzn-requestid: example-1\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(response.as_bytes()).await;
            });
        }
    });
    Ok(url)
}
