//! The same calls sent by this client and by the official `aws-sdk-wickr` client must reach the
//! server as the same HTTP request: method, path, query, `Content-Type`, `X-Client-Token` and JSON
//! body (compared as JSON values, so member order does not matter).
//!
//! A small HTTP/1.1 server on 127.0.0.1 records every request and answers each with
//! 200 `{"successful":[],"failed":[]}`.

use std::sync::{Arc, Mutex};

use aws_credential_types::Credentials;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const ANSWER: &str = r#"{"successful":[],"failed":[]}"#;
const NETWORK: &str = "12345678";

/// One request as it arrived on the wire.
#[derive(Clone, Debug)]
struct Captured {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Captured {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn path(&self) -> &str {
        self.target.split_once('?').map_or(&self.target, |(p, _)| p)
    }

    /// Raw `key=value` pairs, sorted so they compare as a multiset.
    fn query(&self) -> Vec<String> {
        let mut pairs: Vec<String> = self
            .target
            .split_once('?')
            .map(|(_, q)| q)
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect();
        pairs.sort();
        pairs
    }

    fn json_body(&self) -> Option<Value> {
        if self.body.is_empty() {
            return None;
        }
        match serde_json::from_slice(&self.body) {
            Ok(value) => Some(value),
            Err(e) => panic!(
                "{} {} sent a body that is not JSON ({e}): {:?}",
                self.method,
                self.target,
                String::from_utf8_lossy(&self.body)
            ),
        }
    }
}

/// A capture server bound to an ephemeral loopback port.
struct CaptureServer {
    url: String,
    captured: Arc<Mutex<Vec<Captured>>>,
}

impl CaptureServer {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let address = listener.local_addr().expect("bound address");
        let captured = Arc::new(Mutex::new(Vec::new()));
        let sink = captured.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve_connection(stream, sink.clone()));
            }
        });
        Self {
            url: format!("http://{address}"),
            captured,
        }
    }

    /// Every request received since the last call.
    fn take(&self) -> Vec<Captured> {
        std::mem::take(&mut *self.captured.lock().expect("capture lock"))
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Reads requests off one connection until it closes, recording and answering each.
async fn serve_connection(mut stream: TcpStream, sink: Arc<Mutex<Vec<Captured>>>) {
    let mut buffer = Vec::new();
    loop {
        let head_end = loop {
            if let Some(end) = find(&buffer, b"\r\n\r\n") {
                break end;
            }
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
        buffer.drain(..head_end + 4);
        let mut lines = head.split("\r\n");
        let mut request_line = lines.next().unwrap_or("").split(' ');
        let method = request_line.next().unwrap_or("").to_owned();
        let target = request_line.next().unwrap_or("").to_owned();
        let headers: Vec<(String, String)> = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let header = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        let body = if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
            match read_chunked(&mut stream, &mut buffer).await {
                Some(body) => body,
                None => return,
            }
        } else {
            let length: usize = header("content-length")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            while buffer.len() < length {
                let mut chunk = [0u8; 4096];
                match stream.read(&mut chunk).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                }
            }
            buffer.drain(..length).collect()
        };
        sink.lock().expect("capture lock").push(Captured {
            method,
            target,
            headers,
            body,
        });
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-amzn-requestid: capture-1\r\ncontent-length: {}\r\n\r\n{ANSWER}",
            ANSWER.len()
        );
        if stream.write_all(response.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// Decodes a chunked body from the connection, leaving any following bytes in `buffer`.
async fn read_chunked(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = loop {
            if let Some(end) = find(buffer, b"\r\n") {
                break end;
            }
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return None,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        };
        let size_text = String::from_utf8_lossy(&buffer[..line_end]).into_owned();
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        buffer.drain(..line_end + 2);
        while buffer.len() < size + 2 {
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return None,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        }
        body.extend(buffer.drain(..size));
        buffer.drain(..2);
        if size == 0 {
            return Some(body);
        }
    }
}

fn credentials() -> Credentials {
    Credentials::new(
        "AKIDEXAMPLEPARITY",
        "parity-secret-key",
        None,
        None,
        "parity-test",
    )
}

fn ours(server: &CaptureServer) -> wickr_admin::Client {
    let config = wickr_admin::Config::builder()
        .region(wickr_admin::config::Region::new("us-east-1"))
        .credentials_provider(credentials())
        .endpoint_url(server.url.clone())
        .build();
    wickr_admin::Client::from_conf(config)
}

fn official(server: &CaptureServer) -> aws_sdk_wickr::Client {
    let config = aws_sdk_wickr::Config::builder()
        .behavior_version_latest()
        .region(aws_sdk_wickr::config::Region::new("us-east-1"))
        .credentials_provider(credentials())
        .endpoint_url(server.url.clone())
        .build();
    aws_sdk_wickr::Client::from_conf(config)
}

/// The single request a call produced.
fn only_request(server: &CaptureServer, who: &str) -> Captured {
    let mut requests = server.take();
    assert_eq!(
        requests.len(),
        1,
        "{who} should send exactly one request, got {requests:?}"
    );
    requests.remove(0)
}

/// Asserts the two captured requests agree on everything the wire format fixes.
fn assert_same_request(case: &str, ours: &Captured, official: &Captured) {
    assert_eq!(ours.method, official.method, "{case}: method");
    assert_eq!(ours.path(), official.path(), "{case}: path");
    assert_eq!(ours.query(), official.query(), "{case}: query parameters");
    assert_eq!(
        ours.header("content-type"),
        official.header("content-type"),
        "{case}: Content-Type"
    );
    assert_eq!(
        ours.header("x-client-token"),
        official.header("x-client-token"),
        "{case}: X-Client-Token"
    );
    assert_eq!(ours.json_body(), official.json_body(), "{case}: JSON body");
    // Both must be signed for the same service and region.
    for (who, request) in [("ours", ours), ("official", official)] {
        let authorization = request.header("authorization").unwrap_or_default();
        assert!(
            authorization.contains("/us-east-1/wickr/aws4_request"),
            "{case}: {who} request is not signed for wickr in us-east-1: {authorization:?}"
        );
    }
}

#[tokio::test]
async fn batch_create_user_matches_the_official_client() {
    let server = CaptureServer::start().await;
    let token = "4f1d2c3b-aaaa-bbbb-cccc-0123456789ab";

    let our_output = ours(&server)
        .batch_create_user()
        .network_id(NETWORK)
        .users(
            wickr_admin::types::BatchCreateUserRequestItem::builder()
                .first_name("Zoë")
                .last_name("O'Brien")
                .username("zoe.obrien@example.com")
                .security_group_ids("BCTY8Qhe")
                .security_group_ids("ADMIN001")
                .invite_code("INVITE123")
                .invite_code_ttl(7)
                .code_validation(true)
                .build()
                .expect("item has its required members"),
        )
        .users(
            wickr_admin::types::BatchCreateUserRequestItem::builder()
                .username("sam@example.com")
                .security_group_ids("BCTY8Qhe")
                .build()
                .expect("item has its required members"),
        )
        .users(
            wickr_admin::types::BatchCreateUserRequestItem::builder()
                .first_name("Kim")
                .username("kim@example.com")
                .security_group_ids("BCTY8Qhe")
                .code_validation(false)
                .build()
                .expect("item has its required members"),
        )
        .client_token(token)
        .send()
        .await
        .expect("our call succeeds");
    assert!(our_output.successful().is_empty() && our_output.failed().is_empty());
    let our_request = only_request(&server, "our client");

    let official_output = official(&server)
        .batch_create_user()
        .network_id(NETWORK)
        .users(
            aws_sdk_wickr::types::BatchCreateUserRequestItem::builder()
                .first_name("Zoë")
                .last_name("O'Brien")
                .username("zoe.obrien@example.com")
                .security_group_ids("BCTY8Qhe")
                .security_group_ids("ADMIN001")
                .invite_code("INVITE123")
                .invite_code_ttl(7)
                .code_validation(true)
                .build()
                .expect("item has its required members"),
        )
        .users(
            aws_sdk_wickr::types::BatchCreateUserRequestItem::builder()
                .username("sam@example.com")
                .security_group_ids("BCTY8Qhe")
                .build()
                .expect("item has its required members"),
        )
        .users(
            aws_sdk_wickr::types::BatchCreateUserRequestItem::builder()
                .first_name("Kim")
                .username("kim@example.com")
                .security_group_ids("BCTY8Qhe")
                .code_validation(false)
                .build()
                .expect("item has its required members"),
        )
        .client_token(token)
        .send()
        .await
        .expect("official call succeeds");
    assert!(official_output.successful().is_empty() && official_output.failed().is_empty());
    let official_request = only_request(&server, "official client");

    assert_same_request("BatchCreateUser", &our_request, &official_request);
    // Pin the shared values too, so a change both clients agree on still shows up here.
    assert_eq!(our_request.method, "POST");
    assert_eq!(our_request.path(), "/networks/12345678/users");
    assert_eq!(our_request.header("x-client-token"), Some(token));
    assert_eq!(our_request.header("content-type"), Some("application/json"));
    let body = our_request.json_body().expect("BatchCreateUser has a body");
    assert_eq!(body["users"].as_array().map(Vec::len), Some(3));
    assert_eq!(body["users"][0]["inviteCodeTtl"], 7);
    assert_eq!(body["users"][0]["firstName"], "Zoë");
}

#[tokio::test]
async fn list_users_filters_match_the_official_client() {
    let server = CaptureServer::start().await;
    let first_name = "Zoë Ann";
    let username = "a+b/c@example.com";
    let next_token = "v1:page/2==&more";

    // The answer carries no `users`; only the requests matter here.
    let _ = ours(&server)
        .list_users()
        .network_id(NETWORK)
        .next_token(next_token)
        .max_results(25)
        .sort_fields("lastName+firstName")
        .sort_direction(wickr_admin::types::SortDirection::Desc)
        .first_name(first_name)
        .last_name("O'Brien")
        .username(username)
        .status(wickr_admin::types::UserStatus::Active)
        .group_id("BCTY8Qhe")
        .send()
        .await;
    let our_request = only_request(&server, "our client");

    let _ = official(&server)
        .list_users()
        .network_id(NETWORK)
        .next_token(next_token)
        .max_results(25)
        .sort_fields("lastName+firstName")
        .sort_direction(aws_sdk_wickr::types::SortDirection::Desc)
        .first_name(first_name)
        .last_name("O'Brien")
        .username(username)
        .status(2)
        .group_id("BCTY8Qhe")
        .send()
        .await;
    let official_request = only_request(&server, "official client");

    assert_same_request("ListUsers", &our_request, &official_request);
    assert_eq!(our_request.method, "GET");
    assert_eq!(our_request.query().len(), 9, "{:?}", our_request.query());
    assert!(our_request.query().contains(&"status=2".to_owned()));
    assert_eq!(our_request.json_body(), None);
}

#[tokio::test]
async fn boolean_query_header_and_body_match_the_official_client() {
    let server = CaptureServer::start().await;
    let token = "toggle-token-1";

    let _ = ours(&server)
        .batch_toggle_user_suspend_status()
        .network_id(NETWORK)
        .suspend(false)
        .user_ids("1001")
        .user_ids("1002")
        .client_token(token)
        .send()
        .await;
    let our_request = only_request(&server, "our client");

    let _ = official(&server)
        .batch_toggle_user_suspend_status()
        .network_id(NETWORK)
        .suspend(false)
        .user_ids("1001")
        .user_ids("1002")
        .client_token(token)
        .send()
        .await;
    let official_request = only_request(&server, "official client");

    assert_same_request(
        "BatchToggleUserSuspendStatus",
        &our_request,
        &official_request,
    );
    assert_eq!(our_request.method, "PATCH");
    assert_eq!(our_request.query(), vec!["suspend=false".to_owned()]);
}

#[tokio::test]
async fn percent_encoded_label_matches_the_official_client() {
    let server = CaptureServer::start().await;
    // Security group ids are free-form strings, so the label must be encoded.
    let group = "sales team/ü?#%";

    let _ = ours(&server)
        .list_security_group_users()
        .network_id(NETWORK)
        .group_id(group)
        .max_results(5)
        .sort_direction(wickr_admin::types::SortDirection::Asc)
        .send()
        .await;
    let our_request = only_request(&server, "our client");

    let _ = official(&server)
        .list_security_group_users()
        .network_id(NETWORK)
        .group_id(group)
        .max_results(5)
        .sort_direction(aws_sdk_wickr::types::SortDirection::Asc)
        .send()
        .await;
    let official_request = only_request(&server, "official client");

    assert_same_request("ListSecurityGroupUsers", &our_request, &official_request);
    assert_eq!(
        our_request.path(),
        "/networks/12345678/security-groups/sales%20team%2F%C3%BC%3F%23%25/users"
    );
}

#[tokio::test]
async fn timestamps_and_url_query_values_match_the_official_client() {
    let server = CaptureServer::start().await;
    let start = aws_smithy_types::DateTime::from_secs(1_704_067_200);
    let end = aws_smithy_types::DateTime::from_secs(1_705_500_000);

    let _ = ours(&server)
        .get_user()
        .network_id(NETWORK)
        .user_id("12345")
        .start_time(start)
        .end_time(end)
        .send()
        .await;
    let our_request = only_request(&server, "our client");
    let _ = official(&server)
        .get_user()
        .network_id(NETWORK)
        .user_id("12345")
        .start_time(start)
        .end_time(end)
        .send()
        .await;
    let official_request = only_request(&server, "official client");
    assert_same_request("GetUser", &our_request, &official_request);
    assert!(our_request
        .query()
        .contains(&"startTime=1704067200".to_owned()));

    let redirect = "https://app.example.com/callback?x=1&y=a b";
    let _ = ours(&server)
        .get_oidc_info()
        .network_id(NETWORK)
        .client_id("client-1")
        .code("auth code")
        .grant_type("authorization_code")
        .redirect_uri(redirect)
        .url("https://idp.example.com/")
        .code_verifier("v~e.r_i-f")
        .send()
        .await;
    let our_request = only_request(&server, "our client");
    let _ = official(&server)
        .get_oidc_info()
        .network_id(NETWORK)
        .client_id("client-1")
        .code("auth code")
        .grant_type("authorization_code")
        .redirect_uri(redirect)
        .url("https://idp.example.com/")
        .code_verifier("v~e.r_i-f")
        .send()
        .await;
    let official_request = only_request(&server, "official client");
    assert_same_request("GetOidcInfo", &our_request, &official_request);
}
