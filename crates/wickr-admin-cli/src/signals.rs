//! Ctrl-C (SIGINT) and SIGTERM (what `timeout`, systemd and CI send).
//!
//! During a bulk job (import, sync, delete, ...) the first stops sending and gives calls in
//! flight a few seconds; the second abandons them at once. Either way the command goes on to
//! write the report and the summary of what is known. An export stops at once and says how many
//! users its partial file holds.

use wickr_admin::bulk::CancelToken;

use crate::console::tell;

/// Watches for interruptions while it lives, and turns them into cancellations of `token`.
pub struct Interrupts {
    token: CancelToken,
    task: tokio::task::JoinHandle<()>,
}

impl Interrupts {
    /// Starts watching. From here on SIGINT and SIGTERM no longer end the process.
    pub fn watch() -> Self {
        let token = CancelToken::new();
        let on_signal = token.clone();
        // Registered here, before anything is sent, not when the task first runs.
        let mut signals = Signals::new();
        let task = tokio::spawn(async move {
            let Some(first) = signals.next().await else {
                return;
            };
            tell!(
                "{first}: sending nothing new; calls in flight get {} s to finish (interrupt again \
                 to stop at once)",
                wickr_admin::bulk::DEFAULT_CANCEL_GRACE.as_secs()
            );
            on_signal.cancel();
            if let Some(second) = signals.next().await {
                tell!("{second}: stopping now; calls in flight are reported as unknown");
                on_signal.abandon();
            }
        });
        Self { token, task }
    }

    /// The token the signals cancel.
    pub fn token(&self) -> CancelToken {
        self.token.clone()
    }
}

impl Drop for Interrupts {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A signal that asks the command to stop.
#[derive(Clone, Copy, Debug)]
pub struct Interruption {
    /// What happened, as a line starts with it: "interrupted (SIGINT)".
    pub name: &'static str,
    /// The exit code of a command that stops for it: 128 plus the signal's number, as a shell
    /// reports a process the signal ended.
    pub exit_code: u8,
}

impl std::fmt::Display for Interruption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// The two signals, as one stream. Once one is made, SIGINT and SIGTERM no longer end the
/// process, even after it is dropped: tokio keeps its handler for the rest of the process.
pub struct Signals {
    #[cfg(unix)]
    interrupt: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    terminate: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    pub fn new() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Self {
                interrupt: signal(SignalKind::interrupt()).ok(),
                terminate: signal(SignalKind::terminate()).ok(),
            }
        }
        #[cfg(not(unix))]
        {
            Self {}
        }
    }

    /// The next signal; `None` when signals cannot be watched.
    pub async fn next(&mut self) -> Option<Interruption> {
        #[cfg(unix)]
        {
            async fn recv(signal: &mut Option<tokio::signal::unix::Signal>) -> Option<()> {
                match signal.as_mut() {
                    Some(signal) => signal.recv().await,
                    None => std::future::pending().await,
                }
            }
            tokio::select! {
                Some(()) = recv(&mut self.interrupt) => Some(Interruption {
                    name: "interrupted (SIGINT)",
                    exit_code: 130,
                }),
                Some(()) = recv(&mut self.terminate) => Some(Interruption {
                    name: "terminated (SIGTERM)",
                    exit_code: 143,
                }),
                else => None,
            }
        }
        #[cfg(not(unix))]
        {
            tokio::signal::ctrl_c().await.ok().map(|_| Interruption {
                name: "interrupted (Ctrl-C)",
                exit_code: 130,
            })
        }
    }
}
