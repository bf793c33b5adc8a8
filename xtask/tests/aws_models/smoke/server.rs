//! A small HTTP/1.1 server on 127.0.0.1 for one smoke test: it records every request it gets
//! and answers each with the one response the test gave it.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// The largest request body the server reads; a larger one is refused, so a broken client
/// cannot make the test grow without bound.
const MAX_BODY: usize = 1 << 20;

/// The response every request gets.
#[derive(Clone, Debug)]
pub struct Answer {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Bytes,
}

impl Answer {
    /// A JSON body with its content type.
    pub fn json(status: u16, body: &str) -> Self {
        Self {
            status,
            headers: vec![("content-type", "application/json".to_owned())],
            body: Bytes::copy_from_slice(body.as_bytes()),
        }
    }

    /// A body of raw bytes, with the headers given.
    pub fn bytes(status: u16, headers: &[(&'static str, &str)], body: &[u8]) -> Self {
        Self {
            status,
            headers: headers.iter().map(|(n, v)| (*n, (*v).to_owned())).collect(),
            body: Bytes::copy_from_slice(body),
        }
    }
}

/// A request as the server received it.
#[derive(Debug)]
pub struct Received {
    pub method: String,
    /// The path and query, as sent.
    pub target: String,
    pub headers: http::HeaderMap,
    pub body: Bytes,
}

impl Received {
    /// The value of a header, or "" when it is missing or not text.
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

type Log = Arc<Mutex<Vec<Result<Received, String>>>>;

/// The running server.
pub struct Server {
    address: SocketAddr,
    log: Log,
}

impl Server {
    /// Listens on a free port of 127.0.0.1 and answers every request with `answer`.
    pub async fn start(answer: Answer) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binds a port of 127.0.0.1");
        let address = listener.local_addr().expect("has an address");
        let log = Log::default();
        let shared = log.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let log = shared.clone();
                let answer = answer.clone();
                let service = service_fn(move |request| {
                    let log = log.clone();
                    let answer = answer.clone();
                    async move {
                        let received = read(request).await;
                        lock(&log).push(received);
                        Ok::<_, Infallible>(respond(&answer))
                    }
                });
                tokio::spawn(async move {
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Self { address, log }
    }

    /// The host and port of the endpoint: `localhost` on the server's port (the client's
    /// resolver sends every host name, host prefixes included, to 127.0.0.1).
    pub fn host(&self) -> String {
        format!("localhost:{}", self.address.port())
    }

    /// The endpoint to configure.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.host())
    }

    /// The one request received; anything else fails the test.
    pub fn only_request(&self) -> Received {
        let mut log = lock(&self.log);
        assert_eq!(log.len(), 1, "exactly one request: {log:?}");
        log.remove(0)
            .unwrap_or_else(|problem| panic!("the request could not be read: {problem}"))
    }
}

fn lock(log: &Log) -> std::sync::MutexGuard<'_, Vec<Result<Received, String>>> {
    log.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

async fn read(request: http::Request<Incoming>) -> Result<Received, String> {
    let (parts, body) = request.into_parts();
    let body = Limited::new(body, MAX_BODY)
        .collect()
        .await
        .map_err(|e| format!("cannot read the body: {e}"))?
        .to_bytes();
    Ok(Received {
        method: parts.method.to_string(),
        target: parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default(),
        headers: parts.headers,
        body,
    })
}

fn respond(answer: &Answer) -> http::Response<Full<Bytes>> {
    let mut response = http::Response::new(Full::new(answer.body.clone()));
    *response.status_mut() = http::StatusCode::from_u16(answer.status)
        .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in &answer.headers {
        if let Ok(value) = http::HeaderValue::from_str(value) {
            response.headers_mut().append(*name, value);
        }
    }
    response
}
