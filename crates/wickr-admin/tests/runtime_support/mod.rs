//! A scripted HTTP/1.1 server on 127.0.0.1 for the runtime tests: it answers each request with
//! the next scripted action and records what it received.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Action {
    /// Answer with this status, headers and body.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// Close the connection abruptly (TCP reset) without answering.
    Reset,
    /// Wait, then answer.
    Delay(Duration, Box<Action>),
    /// Never answer; keep the connection open until the client closes it.
    Silent,
    /// Send the status line and headers of a response with a 100-byte body, then nothing more.
    StallBody,
}

impl Action {
    /// A JSON answer.
    pub fn json(status: u16, body: &str) -> Self {
        Action::Respond {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string(),
        }
    }

    /// Adds a header to a `Respond`.
    pub fn header(self, name: &str, value: &str) -> Self {
        match self {
            Action::Respond {
                status,
                mut headers,
                body,
            } => {
                headers.push((name.to_string(), value.to_string()));
                Action::Respond {
                    status,
                    headers,
                    body,
                }
            }
            other => other,
        }
    }
}

/// One received request.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    pub target: String,
    /// Header names lower-cased, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn body_json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// A running scripted server.
pub struct ScriptedServer {
    pub url: String,
    received: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for ScriptedServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl ScriptedServer {
    /// Starts a server that plays `script` in order; once it is used up, it answers 500 with a
    /// body saying so, so a test that sends too many requests fails visibly.
    pub async fn start(script: Vec<Action>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let received = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(std::collections::VecDeque::from(script)));
        let task = {
            let received = received.clone();
            tokio::spawn(async move {
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        return;
                    };
                    let received = received.clone();
                    let script = script.clone();
                    tokio::spawn(async move {
                        serve_connection(stream, received, script).await;
                    });
                }
            })
        };
        Self {
            url: format!("http://{addr}"),
            received,
            task,
        }
    }

    /// Every request received so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("lock").clone()
    }
}

async fn serve_connection(
    mut stream: TcpStream,
    received: Arc<Mutex<Vec<Received>>>,
    script: Arc<Mutex<std::collections::VecDeque<Action>>>,
) {
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buffer).await else {
            return;
        };
        received.lock().expect("lock").push(request);
        let action = script.lock().expect("lock").pop_front().unwrap_or_else(|| {
            Action::json(
                500,
                r#"{"message":"the test script has no more responses"}"#,
            )
        });
        if !perform(&mut stream, action).await {
            return;
        }
    }
}

/// Returns false when the connection was closed.
async fn perform(stream: &mut TcpStream, action: Action) -> bool {
    let mut action = action;
    loop {
        match action {
            Action::Delay(delay, next) => {
                tokio::time::sleep(delay).await;
                action = *next;
            }
            Action::Silent => {
                let mut sink = [0u8; 1024];
                while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
                return false;
            }
            Action::StallBody => {
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{";
                if stream.write_all(head.as_bytes()).await.is_err() {
                    return false;
                }
                let mut sink = [0u8; 1024];
                while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
                return false;
            }
            Action::Reset => {
                // Dropping a socket with a zero linger time sends a TCP reset.
                #[allow(deprecated)]
                let _ = stream.set_linger(Some(Duration::ZERO));
                return false;
            }
            Action::Respond {
                status,
                headers,
                body,
            } => {
                let mut head = format!("HTTP/1.1 {status} Scripted\r\n");
                for (name, value) in &headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
                let mut bytes = head.into_bytes();
                bytes.extend_from_slice(body.as_bytes());
                return stream.write_all(&bytes).await.is_ok();
            }
        }
    }
}

async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Received> {
    let head_end = loop {
        if let Some(pos) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut start = lines.next()?.split(' ');
    let method = start.next()?.to_string();
    let target = start.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let body_start = head_end + 4;
    while buffer.len() < body_start + length {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = buffer[body_start..body_start + length].to_vec();
    buffer.drain(..body_start + length);
    Some(Received {
        method,
        target,
        headers,
        body,
    })
}

pub mod at_once;
pub mod probe;

use aws_smithy_async::rt::sleep::{AsyncSleep, Sleep};
use wickr_admin::config::{Credentials, Region};
use wickr_admin::Config;

pub const ACCESS_KEY: &str = "AKIDEXAMPLE";
pub const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/// A sleep that returns at once and records how long it was asked to wait.
#[derive(Clone, Debug, Default)]
pub struct RecordingSleep {
    pub requested: Arc<Mutex<Vec<Duration>>>,
}

impl AsyncSleep for RecordingSleep {
    fn sleep(&self, duration: Duration) -> Sleep {
        self.requested.lock().expect("lock").push(duration);
        Sleep::new(async {})
    }
}

impl RecordingSleep {
    pub fn requested(&self) -> Vec<Duration> {
        self.requested.lock().expect("lock").clone()
    }
}

/// A configuration pointing at `url` with static test credentials. Stalled stream protection
/// is off: its throughput checks sleep too, and the tests count the sleeps of backoff.
pub fn config_for(url: &str) -> wickr_admin::config::Builder {
    Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url(url)
        .credentials_provider(Credentials::new(ACCESS_KEY, SECRET_KEY, None, None, "test"))
        .stalled_stream_protection(wickr_admin::config::StalledStreamProtectionConfig::disabled())
}
