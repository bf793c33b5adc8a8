//! The same calls sent by this client and by the official `aws-sdk-wickr` client must reach the
//! server as the same HTTP request: method, path, query, `Content-Type`, `X-Client-Token` and JSON
//! body (compared as JSON values, so member order does not matter).
//!
//! A small HTTP/1.1 server on 127.0.0.1 records every request and answers each with 200 and, unless
//! a test sets another body, `{"successful":[],"failed":[]}`. Each call is written once, against
//! `krate`, and sent with both crates (`both!`).

use std::sync::{Arc, Mutex};

use aws_credential_types::Credentials;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const ANSWER: &str = r#"{"successful":[],"failed":[]}"#;
const NETWORK: &str = "12345678";

/// One request as it arrived on the wire.
#[derive(Clone)]
struct Captured {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl std::fmt::Debug for Captured {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Captured")
            .field("method", &self.method)
            .field("target", &self.target)
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish_non_exhaustive()
    }
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
    answer: Arc<Mutex<String>>,
}

impl CaptureServer {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let address = listener.local_addr().expect("bound address");
        let captured = Arc::new(Mutex::new(Vec::new()));
        let answer = Arc::new(Mutex::new(ANSWER.to_owned()));
        let sink = captured.clone();
        let body = answer.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve_connection(stream, sink.clone(), body.clone()));
            }
        });
        Self {
            url: format!("http://{address}"),
            captured,
            answer,
        }
    }

    /// Answers every following request with this 200 body.
    fn answer_with(&self, body: &str) {
        *self.answer.lock().expect("answer lock") = body.to_owned();
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
async fn serve_connection(
    mut stream: TcpStream,
    sink: Arc<Mutex<Vec<Captured>>>,
    answer: Arc<Mutex<String>>,
) {
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
        let answer = answer.lock().expect("answer lock").clone();
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-amzn-requestid: capture-1\r\ncontent-length: {}\r\n\r\n{answer}",
            answer.len()
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

/// The same call, written once against `krate`, sent with each crate in turn: the result and
/// the captured request of ours, then those of the official client.
macro_rules! both {
    ($server:expr, $krate:ident, $client:ident => $call:expr) => {{
        let ours_result = {
            #[allow(unused_imports)]
            use ::wickr_admin as $krate;
            let $client = ours($server);
            $call
        };
        let our_request = only_request($server, "our client");
        let official_result = {
            #[allow(unused_imports)]
            use ::aws_sdk_wickr as $krate;
            let $client = official($server);
            $call
        };
        let official_request = only_request($server, "official client");
        (ours_result, our_request, official_result, official_request)
    }};
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

    let (our_output, our_request, official_output, official_request) = both!(&server, krate, client => client
            .batch_create_user()
            .network_id(NETWORK)
            .users(
                krate::types::BatchCreateUserRequestItem::builder()
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
                krate::types::BatchCreateUserRequestItem::builder()
                    .username("sam@example.com")
                    .security_group_ids("BCTY8Qhe")
                    .build()
                    .expect("item has its required members"),
            )
            .users(
                krate::types::BatchCreateUserRequestItem::builder()
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
            .expect("the call succeeds"));
    assert!(our_output.successful().is_empty() && our_output.failed().is_empty());
    assert!(official_output.successful().is_empty() && official_output.failed().is_empty());

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
    let (_, our_request, _, official_request) = both!(&server, krate, client => client
            .list_users()
            .network_id(NETWORK)
            .next_token(next_token)
            .max_results(25)
            .sort_fields("lastName+firstName")
            .sort_direction(krate::types::SortDirection::Desc)
            .first_name(first_name)
            .last_name("O'Brien")
            .username(username)
            .status(2)
            .group_id("BCTY8Qhe")
            .send()
            .await
    );

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

    let (_, our_request, _, official_request) = both!(&server, krate, client => client
            .batch_toggle_user_suspend_status()
            .network_id(NETWORK)
            .suspend(false)
            .user_ids("1001")
            .user_ids("1002")
            .client_token(token)
            .send()
            .await
    );

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

    let (_, our_request, _, official_request) = both!(&server, krate, client => client
            .list_security_group_users()
            .network_id(NETWORK)
            .group_id(group)
            .max_results(5)
            .sort_direction(krate::types::SortDirection::Asc)
            .send()
            .await
    );

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

    let (_, our_request, _, official_request) = both!(&server, krate, client => client
            .get_user()
            .network_id(NETWORK)
            .user_id("12345")
            .start_time(start)
            .end_time(end)
            .send()
            .await
    );
    assert_same_request("GetUser", &our_request, &official_request);
    assert!(our_request
        .query()
        .contains(&"startTime=1704067200".to_owned()));

    let redirect = "https://app.example.com/callback?x=1&y=a b";
    let (_, our_request, _, official_request) = both!(&server, krate, client => client
            .get_oidc_info()
            .network_id(NETWORK)
            .client_id("client-1")
            .code("auth code")
            .grant_type("authorization_code")
            .redirect_uri(redirect)
            .url("https://idp.example.com/")
            .code_verifier("v~e.r_i-f")
            .send()
            .await
    );
    assert_same_request("GetOidcInfo", &our_request, &official_request);
}

/// Security group settings with every kind of member set (nested structures, lists of strings
/// and of structures, 32- and 64-bit integers, booleans), built the same way from either crate's
/// `types` module, whose builders share their names.
macro_rules! full_security_group_settings {
    ($($types:ident)::+) => {
        $($types)::+::SecurityGroupSettings::builder()
            .always_reauthenticate(true)
            .atak_package_values("pkg.one")
            .atak_package_values("pkg two")
            .calling(
                $($types)::+::CallingSettings::builder()
                    .can_start11_call(true)
                    .can_video_call(false)
                    .force_tcp_call(true)
                    .build(),
            )
            .check_for_updates(false)
            .enable_atak(true)
            .files_enabled(true)
            .force_device_lockout(5)
            .global_federation(false)
            .location_enabled(true)
            .max_auto_download_size(5_000_000_000_i64)
            .max_bor(3)
            .max_ttl(31_536_000)
            .password_requirements(
                $($types)::+::PasswordRequirements::builder()
                    .lowercase(1)
                    .min_length(12)
                    .numbers(2)
                    .symbols(0)
                    .uppercase(1)
                    .build(),
            )
            .quick_responses("On my way")
            .quick_responses("Call me")
            .shredder(
                $($types)::+::ShredderSettings::builder()
                    .can_process_manually(true)
                    .intensity(60)
                    .build(),
            )
            .federation_mode(1)
            .lockout_threshold(10)
            .permitted_networks("87654321")
            .permitted_wickr_aws_networks(
                $($types)::+::WickrAwsNetworks::builder()
                    .region("us-west-2")
                    .network_id("11223344")
                    .build()
                    .expect("aws network has its required members"),
            )
            .permitted_wickr_enterprise_networks(
                $($types)::+::PermittedWickrEnterpriseNetwork::builder()
                    .domain("wickr.example.com")
                    .network_id("55667788")
                    .build()
                    .expect("enterprise network has its required members"),
            )
            .build()
    };
}

#[tokio::test]
async fn nested_body_structures_match_the_official_client() {
    let server = CaptureServer::start().await;
    server.answer_with(SECURITY_GROUP_ANSWER);

    let (_, our_request, _, official_request) = both!(&server, krate, client => client
            .update_security_group()
            .network_id(NETWORK)
            .group_id("BCTY8Qhe")
            .name("Field team")
            .security_group_settings(full_security_group_settings!(krate::types))
            .send()
            .await
    );
    assert_same_request("UpdateSecurityGroup", &our_request, &official_request);
    let body = our_request
        .json_body()
        .expect("UpdateSecurityGroup has a body");
    assert_eq!(
        body["securityGroupSettings"]["maxAutoDownloadSize"],
        5_000_000_000_i64
    );
    assert_eq!(
        body["securityGroupSettings"]["calling"]["canStart11Call"],
        true
    );

    server.answer_with(r#"{"settings":[]}"#);

    let (_, our_request, _, official_request) = both!(&server, krate, client => client
            .update_network_settings()
            .network_id(NETWORK)
            .settings(
                krate::types::NetworkSettings::builder()
                    .enable_client_metrics(false)
                    .data_retention(true)
                    .read_receipt_config(
                        krate::types::ReadReceiptConfig::builder()
                            .status(krate::types::Status::ForceEnabled)
                            .build(),
                    )
                    .build(),
            )
            .send()
            .await
    );
    assert_same_request("UpdateNetworkSettings", &our_request, &official_request);
    assert_eq!(our_request.method, "PATCH");
}

/// A complete `securityGroup` answer, so the request tests do not depend on how a client reads
/// an answer that lacks required members.
const SECURITY_GROUP_ANSWER: &str = r#"{"securityGroup":{"activeMembers":0,"botMembers":0,"id":"BCTY8Qhe","isDefault":false,"name":"Field team","modified":1705500000,"securityGroupSettings":{}}}"#;

/// A 2xx answer that leaves out required output members is read by the official client with the
/// members set to their zero values (Smithy client error correction); ours must read it too,
/// in one attempt, rather than reject it as malformed.
#[tokio::test]
async fn answers_missing_required_members_are_read_like_the_official_client() {
    let server = CaptureServer::start().await;
    server.answer_with("{}");
    let mut problems = Vec::new();

    let ours_result = ours(&server)
        .get_security_group()
        .network_id(NETWORK)
        .group_id("BCTY8Qhe")
        .send()
        .await;
    let attempts = server.take().len();
    let official_result = official(&server)
        .get_security_group()
        .network_id(NETWORK)
        .group_id("BCTY8Qhe")
        .send()
        .await;
    let official_attempts = server.take().len();
    assert!(
        official_result.is_ok() && official_attempts == 1,
        "the official client reads `{{}}` for GetSecurityGroup: {official_result:?}"
    );
    match ours_result {
        Ok(output) if attempts == 1 => {
            // The group is a structure: absent, as the official client reads it.
            if output.security_group().is_some() {
                problems.push(format!(
                    "GetSecurityGroup: a group from nothing: {output:?}"
                ));
            }
        }
        other => problems.push(format!(
            "GetSecurityGroup: {attempts} attempt(s), result {other:?}"
        )),
    }

    let ours_result = ours(&server)
        .update_security_group()
        .network_id(NETWORK)
        .group_id("BCTY8Qhe")
        .name("Field team")
        .send()
        .await;
    let attempts = server.take().len();
    if ours_result.is_err() || attempts != 1 {
        problems.push(format!(
            "UpdateSecurityGroup: {attempts} attempt(s), result {ours_result:?}"
        ));
    }

    let ours_result = ours(&server)
        .create_security_group()
        .network_id(NETWORK)
        .name("Field team")
        .security_group_settings(
            wickr_admin::types::SecurityGroupSettingsRequest::builder().build(),
        )
        .send()
        .await;
    let attempts = server.take().len();
    if ours_result.is_err() || attempts != 1 {
        problems.push(format!(
            "CreateSecurityGroup: {attempts} attempt(s), result {ours_result:?}"
        ));
    }

    // Required members of other shapes (strings, lists) already read as zero values.
    let ours_result = ours(&server)
        .list_security_group_users()
        .network_id(NETWORK)
        .group_id("BCTY8Qhe")
        .send()
        .await;
    let attempts = server.take().len();
    match ours_result {
        Ok(output) if attempts == 1 && output.users().is_empty() => {}
        other => problems.push(format!(
            "ListSecurityGroupUsers: {attempts} attempt(s), result {other:?}"
        )),
    }

    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A version-4 UUID in its text form: 8-4-4-4-12 lower-case hex digits with version digit 4; the
/// RFC 4122 variant bits are checked when `strict`.
fn is_uuid_v4(text: &str, strict: bool) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    let lengths: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    lengths == [8, 4, 4, 4, 12]
        && groups.iter().all(|g| {
            g.chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
        })
        && groups[2].starts_with('4')
        && (!strict || groups[3].starts_with(['8', '9', 'a', 'b']))
}

/// Without a caller-given token both clients fill `X-Client-Token` with a fresh random UUID and
/// otherwise send the same request.
#[tokio::test]
async fn generated_client_tokens_match_the_official_client() {
    let server = CaptureServer::start().await;

    let (_, our_request, _, official_request) = both!(&server, krate, client => client
            .batch_delete_user()
            .network_id(NETWORK)
            .user_ids("1001")
            .send()
            .await
    );

    let our_token = our_request.header("x-client-token").unwrap_or_default();
    let official_token = official_request
        .header("x-client-token")
        .unwrap_or_default();
    assert!(is_uuid_v4(our_token, true), "our token {our_token:?}");
    // The official client sets the version digit but leaves the variant bits random.
    assert!(
        is_uuid_v4(official_token, false),
        "official token {official_token:?}"
    );
    assert_eq!(our_request.method, official_request.method);
    assert_eq!(our_request.path(), official_request.path());
    assert_eq!(our_request.query(), official_request.query());
    assert_eq!(
        our_request.header("content-type"),
        official_request.header("content-type")
    );
    assert_eq!(our_request.json_body(), official_request.json_body());
}
