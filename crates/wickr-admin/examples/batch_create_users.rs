//! Creates two users with one BatchCreateUser call.
//!
//! ```text
//! cargo run -p wickr-admin --example batch_create_users
//! cargo run -p wickr-admin --example batch_create_users -- ENDPOINT_URL [NETWORK_ID [GROUP_ID]]
//! ```
//!
//! Without arguments the example starts a tiny HTTP server on 127.0.0.1 that answers the call
//! the way the service does, so it runs with no AWS account and no network access. With an
//! endpoint URL it talks to that server instead, for example the emulator started with
//! `cargo run -p wickr-admin-local -- --seed` (demo network 12345678, group BCTY8Qhe).
//! Credentials come from `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` when set, otherwise the
//! emulator's documented local key pair is used.

use std::error::Error;
use std::process::ExitCode;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wickr_admin::config::{Credentials, Region};
use wickr_admin::types::BatchCreateUserRequestItem;
use wickr_admin::{Client, Config};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // The client's errors explain themselves in one line.
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let endpoint = match args.next() {
        Some(url) => url,
        None => start_local_server().await?,
    };
    let network_id = args.next().unwrap_or_else(|| "12345678".to_string());
    let group_id = args.next().unwrap_or_else(|| "BCTY8Qhe".to_string());
    let access_key =
        std::env::var("AWS_ACCESS_KEY_ID").unwrap_or_else(|_| "AKIDWICKRLOCAL".to_string());
    let secret_key =
        std::env::var("AWS_SECRET_ACCESS_KEY").unwrap_or_else(|_| "wickr-local-secret".to_string());

    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new(
            access_key, secret_key, None, None, "example",
        ))
        .build();
    let client = Client::from_conf(config);

    let mut call = client.batch_create_user().network_id(network_id);
    for username in ["alice@example.com", "bob@example.com"] {
        call = call.users(
            BatchCreateUserRequestItem::builder()
                .username(username)
                .security_group_ids(group_id.clone())
                .build()?,
        );
    }
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
