//! What the restJson1 protocol tests leave out, shown with the client generated from
//! `crates/features-client/model/features.json`, over real HTTP on 127.0.0.1: auth chosen per
//! operation, streaming payloads in both directions, errors with header members and awsQuery
//! codes, a resource's operations, validation of unions, recursive shapes and `@uniqueItems`,
//! `@default` values and sparse collections, the event stream operation the generator leaves
//! out, and which answers the bound on response bodies applies to.

/// The recording server the protocol test runner uses.
mod support {
    pub mod server;
}

use std::time::Duration;

use restjson_features_client::config::{Credentials, Region, RetryConfig};
use restjson_features_client::error::{explain, ProvideErrorMetadata, SdkError};
use restjson_features_client::primitives::ByteStream;
use restjson_features_client::runtime_config::Token;
use restjson_features_client::types::{Circle, Color, Level, Status, WidgetData, WidgetShape};
use restjson_features_client::{schema, Client, Config};
use restjson_runtime::response_body::MAX_RESPONSE_BODY_BYTES;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use support::server::{Request, Response, Server};

/// A client of `endpoint` with credentials (SigV4), with a bearer token too when `token` is set.
fn client(endpoint: &str, credentials: bool, token: Option<&str>) -> Client {
    let mut config = Config::builder()
        .endpoint_url(endpoint)
        .region(Region::new("us-east-1"))
        .retry_config(RetryConfig::disabled());
    if credentials {
        config = config.credentials_provider(Credentials::new("AKID", "secret", None, None, "t"));
    }
    if let Some(token) = token {
        config = config.token_provider(Token::new(token, None));
    }
    Client::from_conf(config.build())
}

fn answer(status: u16, headers: &[(&str, &str)], body: &str) -> Response {
    Response {
        status,
        headers: headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        body: body.as_bytes().to_vec(),
    }
}

fn only_request(server: &Server) -> Request {
    let mut requests = server.received().expect("requests read");
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.remove(0)
}

fn authorization(request: &Request) -> &str {
    request
        .header("authorization")
        .first()
        .copied()
        .unwrap_or("")
}

#[tokio::test]
async fn each_operation_is_signed_with_the_first_scheme_the_configuration_serves() {
    let server = Server::start().await;
    let endpoint = format!("http://127.0.0.1:{}", server.port);

    // The service's schemes are SigV4, then bearer: with credentials, SigV4.
    server.answer_with(answer(200, &[], r#"{"name":"w"}"#));
    let signed = client(&endpoint, true, Some("tok"));
    signed
        .get_widget()
        .widget_id("w1")
        .send()
        .await
        .expect("answered");
    let request = only_request(&server);
    assert!(
        authorization(&request).starts_with("AWS4-HMAC-SHA256 Credential=AKID/"),
        "{request:?}"
    );

    // Without credentials, the next scheme the configuration serves: the bearer token.
    server.answer_with(answer(200, &[], r#"{"name":"w"}"#));
    let token_only = client(&endpoint, false, Some("tok"));
    token_only
        .get_widget()
        .widget_id("w1")
        .send()
        .await
        .expect("answered");
    assert_eq!(authorization(&only_request(&server)), "Bearer tok");

    // `@auth([httpBearerAuth])`: bearer even with credentials at hand.
    server.answer_with(answer(200, &[], r#"{"name":"me"}"#));
    let me = signed.who_am_i().send().await.expect("answered");
    assert_eq!(me.name(), Some("me"));
    assert_eq!(authorization(&only_request(&server)), "Bearer tok");

    // `@optionalAuth`: unsigned.
    server.answer_with(answer(200, &[], r#"{"status":"ok"}"#));
    signed.get_status().send().await.expect("answered");
    assert_eq!(authorization(&only_request(&server)), "");

    // Nothing the operation's schemes need: an error saying what, and nothing sent.
    server.answer_with(answer(200, &[], "{}"));
    let bare = client(&endpoint, true, None);
    let error = bare.who_am_i().send().await.expect_err("no token");
    assert!(
        matches!(error, SdkError::ConstructionFailure(_)),
        "{error:?}"
    );
    // The reason is the error's source, which `explain` shows with it on one line.
    let text = explain(&error);
    assert!(text.contains("no token provider"), "{text}");
    assert!(server.received().expect("read").is_empty());
}

#[tokio::test]
async fn a_streaming_upload_is_sent_as_its_body_with_an_unsigned_payload_hash() {
    let server = Server::start().await;
    let endpoint = format!("http://127.0.0.1:{}", server.port);
    server.answer_with(answer(200, &[("ETag", "\"e1\"")], ""));
    let output = client(&endpoint, true, None)
        .upload_file()
        .path("dir/file name.txt")
        .content_type("text/plain")
        .body(ByteStream::from(b"hello, stream".to_vec()))
        .send()
        .await
        .expect("uploaded");
    assert_eq!(output.etag(), Some("\"e1\""));
    let request = only_request(&server);
    assert_eq!(request.method, "PUT");
    assert_eq!(request.target, "/files/dir/file%20name.txt");
    assert_eq!(request.body, b"hello, stream");
    assert_eq!(request.header("content-length"), ["13"]);
    assert_eq!(request.header("content-type"), ["text/plain"]);
    // `aws.auth#unsignedPayload`: signed, without the body's hash.
    assert_eq!(request.header("x-amz-content-sha256"), ["UNSIGNED-PAYLOAD"]);
    assert!(authorization(&request).starts_with("AWS4-HMAC-SHA256"));
}

#[tokio::test]
async fn a_payload_that_requires_a_length_is_refused_when_its_length_is_unknown() {
    let server = Server::start().await;
    let endpoint = format!("http://127.0.0.1:{}", server.port);
    server.answer_with(answer(200, &[], ""));
    let chunks = futures_util::stream::iter(vec![Ok::<_, std::io::Error>(http_body::Frame::data(
        bytes::Bytes::from_static(b"abc"),
    ))]);
    let body = ByteStream::from_body_1_x(http_body_util::StreamBody::new(chunks));
    let error = client(&endpoint, true, None)
        .upload_file()
        .path("f")
        .body(body)
        .send()
        .await
        .expect_err("no length");
    assert!(
        format!("{error:?}").contains("length must be known"),
        "{error:?}"
    );
    assert!(server.received().expect("read").is_empty());
}

#[tokio::test]
async fn a_streaming_download_is_handed_over_before_its_body_has_arrived() {
    // A server that sends the head and the first half of the body, then waits for the test to
    // let it send the rest: a client that read the whole body before answering would wait
    // forever.
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let endpoint = format!("http://{}", listener.local_addr().expect("address"));
    let (release, released) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.expect("accepts");
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            stream.read_exact(&mut byte).await.expect("reads");
            head.push(byte[0]);
        }
        stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nfirst")
            .await
            .expect("writes");
        stream.flush().await.expect("flushes");
        released.await.expect("released");
        stream.write_all(b"-last").await.expect("writes");
        String::from_utf8_lossy(&head).into_owned()
    });
    let output = tokio::time::timeout(
        Duration::from_secs(10),
        client(&endpoint, true, None)
            .download_file()
            .path("a/b")
            .send(),
    )
    .await
    .expect("the output comes before the body has all arrived")
    .expect("answered");
    assert_eq!(output.content_length(), Some(10));
    let mut body = output.body;
    let first = body
        .try_next()
        .await
        .expect("reads")
        .expect("a first chunk");
    assert_eq!(&first[..], b"first");
    release.send(()).expect("the server waits");
    let rest = body.collect().await.expect("reads the rest").into_bytes();
    assert_eq!(&rest[..], b"-last");
    let head = server.await.expect("the server ran");
    assert!(head.starts_with("GET /files/a/b HTTP/1.1"), "{head}");
}

/// A server that answers one request with `head` and then `length` bytes of body.
async fn sending_server(head: String, length: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let endpoint = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.expect("accepts");
        let mut request = Vec::new();
        let mut byte = [0u8; 1];
        while !request.ends_with(b"\r\n\r\n") {
            stream.read_exact(&mut byte).await.expect("reads");
            request.push(byte[0]);
        }
        stream.write_all(head.as_bytes()).await.expect("writes");
        let block = vec![b'x'; 64 * 1024];
        let mut sent = 0;
        while sent < length {
            let n = block.len().min(length - sent);
            if stream.write_all(&block[..n]).await.is_err() {
                return;
            }
            sent += n;
        }
    });
    endpoint
}

#[tokio::test]
async fn a_streaming_download_is_not_held_to_the_bound_on_bodies_read_into_memory() {
    // The caller reads a stream at their own pace: 1 MiB past the bound reaches them whole.
    let length = MAX_RESPONSE_BODY_BYTES + (1 << 20);
    let endpoint = sending_server(
        format!("HTTP/1.1 200 OK\r\ncontent-length: {length}\r\n\r\n"),
        length,
    )
    .await;
    let output = client(&endpoint, true, None)
        .download_file()
        .path("big")
        .send()
        .await
        .unwrap_or_else(|e| panic!("answered: {}", explain(&e)));
    let mut body = output.body;
    let mut read = 0;
    while let Some(chunk) = body
        .try_next()
        .await
        .unwrap_or_else(|e| panic!("the stream reads on after {read} bytes: {e}"))
    {
        read += chunk.len();
    }
    assert_eq!(read, length);

    // An error answer to the same operation is read into memory, so the bound holds for it.
    let endpoint = sending_server(
        format!("HTTP/1.1 500 Internal Server Error\r\ncontent-length: {length}\r\n\r\n"),
        length,
    )
    .await;
    let error = client(&endpoint, true, None)
        .download_file()
        .path("big")
        .send()
        .await
        .expect_err("an error answer past the bound is refused");
    let shown = explain(&error);
    assert!(
        matches!(error, SdkError::ResponseError(_)),
        "a response error, not {shown}"
    );
    assert!(
        shown.contains("16 MiB"),
        "the error names the bound: {shown}"
    );
}

#[tokio::test]
async fn errors_read_their_header_members_and_awsquery_codes() {
    let server = Server::start().await;
    let endpoint = format!("http://127.0.0.1:{}", server.port);
    let client = client(&endpoint, true, None);

    server.answer_with(answer(
        413,
        &[("X-Amzn-Errortype", "TooLarge"), ("X-Limit", "1024")],
        r#"{"message":"too big"}"#,
    ));
    let error = client
        .upload_file()
        .path("f")
        .body(ByteStream::from(vec![0u8; 2048]))
        .send()
        .await
        .expect_err("refused");
    let too_large = match error.as_service_error() {
        Some(restjson_features_client::operation::upload_file::UploadFileError::TooLarge(e)) => e,
        other => panic!("expected TooLarge, got {other:?}"),
    };
    assert_eq!(too_large.limit(), Some(1024));
    assert_eq!(too_large.message(), Some("too big"));

    // awsQuery compatibility: the error is matched by its restJson1 type, and carries the code
    // callers of the service's awsQuery API know.
    server.answer_with(answer(
        429,
        &[("x-amzn-query-error", "Throttled.Busy;Sender")],
        r#"{"__type":"example.features#Throttled","message":"slow down"}"#,
    ));
    let error = client
        .get_widget()
        .widget_id("w")
        .send()
        .await
        .expect_err("throttled");
    let error = error.as_service_error().expect("a service error");
    assert!(error.is_throttled(), "{error:?}");
    assert_eq!(error.code(), Some("Throttled.Busy"));
    assert_eq!(error.message(), Some("slow down"));
}

#[tokio::test]
async fn unions_recursive_shapes_and_unique_items_are_validated_before_sending() {
    let server = Server::start().await;
    let endpoint = format!("http://127.0.0.1:{}", server.port);
    server.answer_with(answer(200, &[], ""));
    let parent = WidgetData::builder().name("").build().expect("builds");
    let widget = WidgetData::builder()
        .name("Not Lower")
        .parent(parent)
        .tags("a")
        .tags("b")
        .tags("a")
        .shape(WidgetShape::Nested(Box::new(WidgetShape::Circle(
            Circle::builder().radius(0).build(),
        ))))
        .color(Color::DarkBlue)
        .build()
        .expect("builds");
    let error = client(&endpoint, true, None)
        .put_widget()
        .widget_id("w")
        .widget(widget)
        .send()
        .await
        .expect_err("invalid");
    let text = explain(&error);
    for expected in [
        "widget.name: must match the pattern ^[a-z]+$",
        "widget.parent.name: length must be between 1 and 16, got 0",
        "widget.tags: elements must be unique, but [2] repeats [0]",
        "widget.shape.nested.circle.radius: value must be at least 1, got 0",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
    assert!(server.received().expect("read").is_empty());

    // A valid one goes out as the payload, the union as an object with one member.
    let widget = WidgetData::builder()
        .name("ok")
        .shape(WidgetShape::None)
        .color(Color::DarkBlue)
        .build()
        .expect("builds");
    client(&endpoint, true, None)
        .put_widget()
        .widget_id("w")
        .widget(widget)
        .send()
        .await
        .expect("sent");
    let request = only_request(&server);
    let body: serde_json::Value = serde_json::from_slice(&request.body).expect("JSON");
    assert_eq!(
        body,
        serde_json::json!({"name": "ok", "shape": {"none": {}}, "color": "dark-blue"})
    );
}

#[tokio::test]
async fn defaults_sparse_collections_and_enums_are_read_as_modeled() {
    let server = Server::start().await;
    let endpoint = format!("http://127.0.0.1:{}", server.port);
    server.answer_with(answer(
        200,
        &[],
        r#"{"status":"degraded","notes":["a",null],"labels":{"x":null,"y":"z"}}"#,
    ));
    let status = client(&endpoint, true, None)
        .get_status()
        .send()
        .await
        .expect("answered");
    assert_eq!(status.status(), &Status::Degraded);
    // `@default(1)` on an intEnum member the answer leaves out (an `i32`, as the official SDK
    // crates have intEnum members).
    assert_eq!(Level::from(status.level()), Level::Low);
    assert_eq!(status.notes(), &[Some("a".to_owned()), None]);
    assert_eq!(status.labels().get("x"), Some(&None));
    assert_eq!(status.labels().get("y"), Some(&Some("z".to_owned())));

    server.answer_with(answer(200, &[], r#"{"status":"ok"}"#));
    let status = client(&endpoint, true, None)
        .get_status()
        .send()
        .await
        .expect("answered");
    assert!(status.notes().is_empty() && status.labels().is_empty());
}

#[tokio::test]
async fn a_resource_s_operations_are_the_client_s_and_the_event_stream_one_is_left_out() {
    let names: Vec<&str> = schema::SERVICE
        .operations
        .iter()
        .map(|op| op.name)
        .collect();
    assert_eq!(
        names,
        [
            "DownloadFile",
            "GetStatus",
            "GetWidget",
            "ListWidgets",
            "PutWidget",
            "UploadFile",
            "WhoAmI"
        ]
    );
    assert!(schema::SERVICE.operation("Subscribe").is_none());

    // The resource's `list` operation pages like any other.
    let server = Server::start().await;
    let endpoint = format!("http://127.0.0.1:{}", server.port);
    server.answer_with(answer(
        200,
        &[],
        r#"{"widgets":[{"name":"a"},{"name":"b"}]}"#,
    ));
    let mut items = client(&endpoint, true, None)
        .list_widgets()
        .into_paginator()
        .items()
        .send();
    let mut names = Vec::new();
    while let Some(item) = items.next().await {
        names.push(item.expect("a widget").name().to_owned());
    }
    assert_eq!(names, ["a", "b"]);
}
