//! A forwarding proxy on 127.0.0.1 that loses answers: every request goes to the upstream server
//! (which applies it); the answers of the requests a rule picks are dropped, and the client's
//! connection is closed without a reply. This is the emulator's `lost` fault, limited to some
//! requests, so a test can lose the answers of one operation and still look at the state through
//! another. Started with [`Loss::Request`], it drops the picked requests themselves: they never
//! reach the upstream server, and the client sees the same silence.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Which exchanges to lose, by request method, path and body.
pub type LoseRule = fn(method: &str, path: &str, body: &[u8]) -> bool;

/// What is lost of a picked exchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loss {
    /// The request reaches the server; its answer is dropped.
    Answer,
    /// The request is dropped before it reaches the server.
    Request,
}

/// Picks BatchCreateUser (`POST /networks/{id}/users`).
pub fn batch_create_user(method: &str, path: &str, _: &[u8]) -> bool {
    method == "POST" && path.starts_with("/networks/") && path.ends_with("/users")
}

/// Picks every exchange.
pub fn everything(_: &str, _: &str, _: &[u8]) -> bool {
    true
}

/// A running proxy; stops when dropped.
pub struct LossyProxy {
    pub url: String,
    lost: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for LossyProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl LossyProxy {
    /// Loses the answers of the exchanges `lose` picks.
    pub async fn start(upstream: SocketAddr, lose: LoseRule) -> Self {
        Self::start_losing(upstream, lose, Loss::Answer).await
    }

    pub async fn start_losing(upstream: SocketAddr, lose: LoseRule, loss: Loss) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let lost = Arc::new(AtomicU64::new(0));
        let counter = lost.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let counter = counter.clone();
                tokio::spawn(async move {
                    let _ = forward(client, upstream, lose, loss, counter).await;
                });
            }
        });
        Self {
            url: format!("http://{addr}"),
            lost,
            task,
        }
    }

    /// Answers lost so far.
    pub fn lost(&self) -> u64 {
        self.lost.load(Ordering::SeqCst)
    }
}

async fn forward(
    mut client: TcpStream,
    upstream: SocketAddr,
    lose: LoseRule,
    loss: Loss,
    lost: Arc<AtomicU64>,
) -> Option<()> {
    let mut server = TcpStream::connect(upstream).await.ok()?;
    let mut from_client = Vec::new();
    let mut from_server = Vec::new();
    loop {
        let request = read_message(&mut client, &mut from_client).await?;
        let start = String::from_utf8_lossy(&request[..request.len().min(1024)]).to_string();
        let mut words = start.split(' ');
        let method = words.next().unwrap_or("").to_string();
        let path = words
            .next()
            .unwrap_or("")
            .split('?')
            .next()
            .unwrap_or("")
            .to_string();
        let body_start = request
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map_or(request.len(), |p| p + 4);
        let picked = lose(&method, &path, &request[body_start..]);
        if picked && loss == Loss::Request {
            lost.fetch_add(1, Ordering::SeqCst);
            return None;
        }
        server.write_all(&request).await.ok()?;
        let response = read_message(&mut server, &mut from_server).await?;
        if picked {
            lost.fetch_add(1, Ordering::SeqCst);
            // Dropping the client's stream closes it (FIN) without an answer.
            return None;
        }
        client.write_all(&response).await.ok()?;
    }
}

/// Reads one HTTP/1.1 message (head and a `content-length` body) and returns its bytes; what was
/// read past it stays in `buffer`.
async fn read_message(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Vec<u8>> {
    let head_end = loop {
        if let Some(pos) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
        fill(stream, buffer).await?;
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim() == "content-length")
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        fill(stream, buffer).await?;
    }
    Some(buffer.drain(..head_end + length).collect())
}

async fn fill(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<()> {
    let mut chunk = [0u8; 16 * 1024];
    let n = stream.read(&mut chunk).await.ok()?;
    if n == 0 {
        return None;
    }
    buffer.extend_from_slice(&chunk[..n]);
    Some(())
}
