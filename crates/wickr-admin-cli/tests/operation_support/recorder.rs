//! A recording HTTP/1.1 proxy on 127.0.0.1: every request is kept (method, target, headers,
//! body) and forwarded unchanged to the emulator, whose answer goes back unchanged. The bytes
//! are not altered, so the request's SigV4 signature (over the proxy's host) still verifies.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Largest request or answer head or body the proxy reads.
const MAX_BYTES: usize = 8 * 1024 * 1024;
/// How long the proxy waits for any read or write.
const IO_TIMEOUT: Duration = Duration::from_secs(30);

/// One request as it arrived.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    /// Path and query.
    pub target: String,
    /// Header names lower-cased, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

pub struct Recorder {
    pub url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Recorder {
    /// Starts a proxy in front of `upstream` (`http://127.0.0.1:PORT`).
    pub async fn start(upstream: &str) -> Self {
        let upstream = upstream
            .strip_prefix("http://")
            .expect("an http:// upstream")
            .trim_end_matches('/')
            .to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let kept = requests.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let kept = kept.clone();
                let upstream = upstream.clone();
                tokio::spawn(async move {
                    let _ = relay(client, &upstream, &kept).await;
                });
            }
        });
        Self {
            url,
            requests,
            task,
        }
    }

    /// Every request so far, and forgets them.
    pub fn take(&self) -> Vec<Recorded> {
        std::mem::take(&mut *self.requests.lock().expect("lock"))
    }
}

/// Serves one client connection: each request is recorded, sent upstream on a connection of its
/// own, and the answer relayed.
async fn relay(
    mut client: TcpStream,
    upstream: &str,
    kept: &Mutex<Vec<Recorded>>,
) -> std::io::Result<()> {
    let mut buffer = Vec::new();
    loop {
        let Some((head, body, raw)) = read_message(&mut client, &mut buffer).await? else {
            return Ok(());
        };
        let mut lines = head.split("\r\n");
        let mut first = lines.next().unwrap_or_default().split(' ');
        let method = first.next().unwrap_or_default().to_owned();
        let target = first.next().unwrap_or_default().to_owned();
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        kept.lock().expect("lock").push(Recorded {
            method,
            target,
            headers,
            body,
        });
        let mut server = TcpStream::connect(upstream).await?;
        timed(server.write_all(&raw)).await?;
        let mut answer_buffer = Vec::new();
        let Some((_, _, answer)) = read_message(&mut server, &mut answer_buffer).await? else {
            return Ok(());
        };
        timed(client.write_all(&answer)).await?;
    }
}

async fn timed<T>(
    future: impl std::future::Future<Output = std::io::Result<T>>,
) -> std::io::Result<T> {
    tokio::time::timeout(IO_TIMEOUT, future)
        .await
        .map_err(|_| std::io::Error::other("timed out"))?
}

/// Reads one HTTP/1.1 message framed by `Content-Length` (or with no body): its head as text, its
/// body, and all its bytes. `None` when the peer closed before a message began.
async fn read_message(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
) -> std::io::Result<Option<(String, Vec<u8>, Vec<u8>)>> {
    let mut chunk = [0u8; 16 * 1024];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = timed(stream.read(&mut chunk)).await?;
        if n == 0 {
            return Ok(None);
        }
        buffer.extend_from_slice(&chunk[..n]);
        if buffer.len() > MAX_BYTES {
            return Err(std::io::Error::other("message head too large"));
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let length = head
        .split("\r\n")
        .filter_map(|l| l.split_once(':'))
        .find(|(n, _)| n.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    if length > MAX_BYTES {
        return Err(std::io::Error::other("message body too large"));
    }
    while buffer.len() < head_end + length {
        let n = timed(stream.read(&mut chunk)).await?;
        if n == 0 {
            return Err(std::io::Error::other("closed within a body"));
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let raw: Vec<u8> = buffer.drain(..head_end + length).collect();
    let body = raw[head_end..].to_vec();
    Ok(Some((head, body, raw)))
}
