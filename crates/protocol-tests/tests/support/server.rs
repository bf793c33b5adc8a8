//! An HTTP/1.1 server on 127.0.0.1 that records each request it reads and answers it with the
//! response the running case sets, with that case's headers and no others of its own when the
//! body is empty (no `Date`, no `Content-Length`: the answer ends when the connection closes, as
//! HTTP/1.1 allows), and only `Content-Length` and `Connection: close` added to a body. One
//! connection, one exchange.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The most a request may hold (head and body): anything larger is refused, so a broken client
/// cannot make the test grow without bound.
const MAX_REQUEST: usize = 4 << 20;

/// How long a connection may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// A response to send.
#[derive(Clone, Debug, Default)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// A request as the server read it.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    /// The request target: path and query, as sent.
    pub target: String,
    /// Names lower-cased, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// The values of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Vec<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

#[derive(Default)]
struct State {
    response: Response,
    requests: Vec<Request>,
    problems: Vec<String>,
}

/// The running server.
pub struct Server {
    pub port: u16,
    state: Arc<Mutex<State>>,
}

impl Server {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binds 127.0.0.1");
        let port = listener.local_addr().expect("has an address").port();
        let state = Arc::new(Mutex::new(State::default()));
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let state = shared.clone();
                tokio::spawn(async move {
                    if let Err(problem) = exchange(stream, &state).await {
                        lock(&state).problems.push(problem);
                    }
                });
            }
        });
        Self { port, state }
    }

    /// Sets the response to the next requests and forgets what was received so far.
    pub fn answer_with(&self, response: Response) {
        let mut state = lock(&self.state);
        state.response = response;
        state.requests.clear();
        state.problems.clear();
    }

    /// The requests read since the last `answer_with`, or what went wrong reading them.
    pub fn received(&self) -> Result<Vec<Request>, String> {
        let state = lock(&self.state);
        match state.problems.first() {
            Some(problem) => Err(problem.clone()),
            None => Ok(state.requests.clone()),
        }
    }
}

fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

async fn exchange(mut stream: TcpStream, state: &Mutex<State>) -> Result<(), String> {
    let request = tokio::time::timeout(READ_TIMEOUT, read_request(&mut stream))
        .await
        .map_err(|_| "the client did not finish its request in time".to_owned())??;
    let response = {
        let mut state = lock(state);
        state.requests.push(request);
        state.response.clone()
    };
    let mut out = format!("HTTP/1.1 {} Status\r\n", response.status).into_bytes();
    for (name, value) in &response.headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    let has_length = response
        .headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("content-length"));
    if !response.body.is_empty() {
        if !has_length {
            out.extend_from_slice(
                format!("content-length: {}\r\n", response.body.len()).as_bytes(),
            );
        }
        out.extend_from_slice(b"connection: close\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(&response.body);
    stream
        .write_all(&out)
        .await
        .map_err(|e| format!("cannot answer: {e}"))?;
    let _ = stream.shutdown().await;
    Ok(())
}

async fn read_request(stream: &mut TcpStream) -> Result<Request, String> {
    let mut buffer = Vec::new();
    let head_end = loop {
        if let Some(end) = find(&buffer, b"\r\n\r\n") {
            break end;
        }
        read_more(stream, &mut buffer).await?;
    };
    let head = std::str::from_utf8(&buffer[..head_end])
        .map_err(|_| "the request head is not UTF-8".to_owned())?;
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default().to_owned();
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| format!("header line without a colon: {line:?}"))?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let mut rest = buffer[head_end + 4..].to_vec();
    let find_header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let body = if let Some(length) = find_header("content-length") {
        let length: usize = length
            .parse()
            .map_err(|_| format!("content-length {length:?} is not a number"))?;
        if length > MAX_REQUEST {
            return Err(format!(
                "a body of {length} bytes is more than the test takes"
            ));
        }
        while rest.len() < length {
            read_more(stream, &mut rest).await?;
        }
        rest.truncate(length);
        rest
    } else if find_header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        read_chunked(stream, rest).await?
    } else {
        Vec::new()
    };
    Ok(Request {
        method,
        target,
        headers,
        body,
    })
}

async fn read_chunked(stream: &mut TcpStream, mut buffer: Vec<u8>) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    loop {
        let line_end = loop {
            if let Some(end) = find(&buffer, b"\r\n") {
                break end;
            }
            read_more(stream, &mut buffer).await?;
        };
        let size_text = String::from_utf8_lossy(&buffer[..line_end]).to_string();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|_| format!("bad chunk size {size_text:?}"))?;
        if body.len() + size > MAX_REQUEST {
            return Err("a chunked body larger than the test takes".to_owned());
        }
        buffer.drain(..line_end + 2);
        if size == 0 {
            return Ok(body);
        }
        while buffer.len() < size + 2 {
            read_more(stream, &mut buffer).await?;
        }
        body.extend_from_slice(&buffer[..size]);
        buffer.drain(..size + 2);
    }
}

async fn read_more(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Result<(), String> {
    if buffer.len() > MAX_REQUEST {
        return Err("a request larger than the test takes".to_owned());
    }
    let mut chunk = [0u8; 16 * 1024];
    let n = stream
        .read(&mut chunk)
        .await
        .map_err(|e| format!("cannot read the request: {e}"))?;
    if n == 0 {
        return Err("the connection closed before the request ended".to_owned());
    }
    buffer.extend_from_slice(&chunk[..n]);
    Ok(())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
