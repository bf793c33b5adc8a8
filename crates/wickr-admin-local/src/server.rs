//! The HTTP server: accepts connections, serves them with hyper (through an axum router), lets a
//! handler drop its own connection (for injected faults) and shuts down gracefully.

use crate::auth::Verifier;
use crate::backend::Backend;
use crate::faults::FaultInjector;
use crate::idempotency::TokenStore;
use crate::rate_limit::RateLimiter;
use crate::wire::page_token::PageTokens;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use axum::{Extension, Router};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};

/// Everything shared by all requests.
#[derive(Debug)]
pub struct Shared {
    /// The emulated service.
    pub backend: Backend,
    /// Page tokens of every listing.
    pub page_tokens: PageTokens,
    /// Signature checks: accepted keys, service name, region and clock.
    pub verifier: Verifier,
    /// Fault injection.
    pub faults: FaultInjector,
    /// Optional per-network rate limit.
    pub rate_limit: Option<RateLimiter>,
    /// Idempotency tokens.
    pub tokens: TokenStore,
    /// How long a client may take to send a request's headers, and then its body.
    pub read_timeout: Duration,
    /// The state file, when the state is kept in one.
    pub persistence: Option<Arc<crate::persistence::Persistence>>,
}

/// Lets a handler close the connection it arrived on without answering.
#[derive(Clone, Debug)]
pub struct ConnectionControl {
    kill: Arc<Notify>,
    reset: Arc<AtomicBool>,
}

impl ConnectionControl {
    /// Closes the connection normally (FIN) without answering; the returned future never
    /// completes (the connection task drops it).
    pub async fn drop_connection(&self) -> Response<Body> {
        self.kill.notify_one();
        std::future::pending::<Response<Body>>().await
    }

    /// Aborts the connection with a TCP reset (RST) without answering. Falls back to a normal
    /// close when the listener was started without reset faults.
    pub async fn reset_connection(&self) -> Response<Body> {
        self.reset.store(true, Ordering::SeqCst);
        self.drop_connection().await
    }
}

async fn entry(
    State(shared): State<Arc<Shared>>,
    Extension(conn): Extension<ConnectionControl>,
    request: Request,
) -> Response<Body> {
    crate::pipeline::handle(shared, request, conn).await
}

/// Runs the accept loop until `shutdown` flips to `true`, then drains open connections (at most
/// five seconds) and closes those still open.
pub async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    // A second handle on each socket lets a reset fault set SO_LINGER 0 after hyper owns the
    // stream; only needed (and only paid for) when reset faults are configured.
    let may_reset = shared.faults.spec().reset > 0.0;
    let read_timeout = shared.read_timeout;
    let router: Router = Router::new().fallback(entry).with_state(shared);
    let graceful = GracefulShutdown::new();
    // Every connection's task, so that none outlives the emulator (finished ones are reaped as
    // connections come).
    let mut connections = tokio::task::JoinSet::new();
    loop {
        while connections.try_join_next().is_some() {}
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = shutdown.changed() => break,
        };
        let (stream, _) = match accepted {
            Ok(pair) => pair,
            Err(e) => {
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let abort_handle = if may_reset {
            socket2::SockRef::from(&stream).try_clone().ok()
        } else {
            None
        };
        let kill = Arc::new(Notify::new());
        let reset = Arc::new(AtomicBool::new(false));
        let control = ConnectionControl {
            kill: kill.clone(),
            reset: reset.clone(),
        };
        let service = TowerToHyperService::new(router.clone().layer(Extension(control)));
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(read_timeout);
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        connections.spawn(async move {
            tokio::select! {
                result = connection => {
                    if let Err(e) = result {
                        tracing::debug!(error = %e, "connection ended with an error");
                    }
                }
                _ = kill.notified() => {
                    if reset.load(Ordering::SeqCst) {
                        if let Some(socket) = &abort_handle {
                            // Linger 0: closing the last handle sends RST instead of FIN.
                            let _ = socket.set_linger(Some(Duration::ZERO));
                        }
                    }
                }
            }
            // The connection (and its stream) is gone here; dropping the last handle closes.
            drop(abort_handle);
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(5), graceful.shutdown()).await;
    // A connection still open after the wait is closed: no request is answered once the
    // emulator has stopped (its state is written after this, and would not hold the answer).
    connections.abort_all();
    while connections.join_next().await.is_some() {}
}
