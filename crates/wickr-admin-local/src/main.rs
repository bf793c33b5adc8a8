//! `wickr-admin-local`: runs the Wickr Admin API emulator until Ctrl-C or SIGTERM.
// The standard print macros panic when a stream is closed; a server must not stop for that.
#![deny(clippy::print_stdout, clippy::print_stderr)]

use clap::Parser;
use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use wickr_admin_local::{Emulator, FaultSpec, StartError, DEFAULT_PORT};

/// A local emulator of the AWS Wickr Admin API (restJson1, SigV4 service `wickr`).
///
/// On start it prints the endpoint URL and the accepted key ids. The secret is printed only for
/// the documented default pair; for keys given on the command line only the id is shown.
///
/// X-Client-Token answers are kept 24 hours, within a memory cap (--idempotency-cap-mib,
/// default 256): once stored answers exceed the cap, the oldest tokens are forgotten first, even
/// before 24 hours.
#[derive(Debug, Parser)]
#[command(name = "wickr-admin-local", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value_t = SocketAddr::from(([127, 0, 0, 1], DEFAULT_PORT)))]
    listen: SocketAddr,
    /// Region requests must be signed for; a request signed for another region is refused.
    #[arg(long, value_name = "REGION", default_value = wickr_admin_local::auth::REGION)]
    region: String,
    /// Accepted key pair as ID:SECRET (repeatable). Without any key, the documented default
    /// pair AKIDWICKRLOCAL:wickr-local-secret is accepted. Each id may be given only once
    /// (across --access-key and --read-only-key).
    #[arg(long = "access-key", value_name = "ID:SECRET", value_parser = parse_key)]
    access_keys: Vec<(String, String)>,
    /// Key pair that may only read, as ID:SECRET (repeatable); writes get ForbiddenError.
    #[arg(long = "read-only-key", value_name = "ID:SECRET", value_parser = parse_key)]
    read_only_keys: Vec<(String, String)>,
    /// Requests per second allowed per network; beyond it RateLimitError (429).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    rate_limit: Option<u32>,
    /// Fault probabilities, e.g. 429=0.02,500=0.02,503=0.01,reset=0.02,delay=0.05:200ms,lost=0.02
    #[arg(long, value_name = "SPEC")]
    faults: Option<FaultSpec>,
    /// Seed for the fault generator (same seed and request order, same faults).
    #[arg(long, value_name = "N")]
    fault_seed: Option<u64>,
    /// Memory cap, in MiB, for stored X-Client-Token answers. Beyond it the oldest tokens are
    /// forgotten first, even when younger than 24 hours.
    #[arg(long, value_name = "MIB", default_value_t = 256,
          value_parser = clap::value_parser!(u32).range(1..))]
    idempotency_cap_mib: u32,
    /// Seconds a client may take to send a request's headers, and then its body; a slower body
    /// gets 408 and the connection closes.
    #[arg(long, value_name = "SECS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..))]
    read_timeout_secs: u64,
    /// Create the demo network 12345678 with security group BCTY8Qhe.
    #[arg(long)]
    seed: bool,
    /// Give networks created through the API preview features (custom invite codes).
    #[arg(long)]
    preview: bool,
    /// Keep the state in this file: read at start when it exists, written atomically every
    /// --save-interval-secs while it changes and on shutdown; in between, each change is
    /// written to PATH.journal before it is answered. The file is locked while the
    /// emulator runs: a second process asking for it is refused. A corrupt file, or one of a
    /// later format, is an error that leaves it untouched.
    #[arg(long, value_name = "PATH")]
    state_file: Option<std::path::PathBuf>,
    /// Seconds between writes of the state file while the state changes (at most a day).
    #[arg(long, value_name = "SECS", default_value_t = 5,
          value_parser = clap::value_parser!(u64).range(1..=86_400), requires = "state_file")]
    save_interval_secs: u64,
}

fn parse_key(s: &str) -> Result<(String, String), String> {
    match s.split_once(':') {
        Some((id, secret)) if !id.is_empty() && !secret.is_empty() => {
            Ok((id.to_owned(), secret.to_owned()))
        }
        _ => Err("expected ID:SECRET with both parts non-empty".to_owned()),
    }
}

/// Signal handlers, registered before the start-up lines are printed so that a SIGTERM sent
/// as soon as they appear is already handled.
struct Signals {
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    interrupt: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    fn register() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Signals {
                term: signal(SignalKind::terminate()).ok(),
                interrupt: signal(SignalKind::interrupt()).ok(),
            }
        }
        #[cfg(not(unix))]
        {
            Signals {}
        }
    }

    async fn wait(self) {
        #[cfg(unix)]
        {
            async fn recv(s: Option<tokio::signal::unix::Signal>) {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            }
            if self.term.is_none() && self.interrupt.is_none() {
                let _ = tokio::signal::ctrl_c().await;
                return;
            }
            tokio::select! {
                _ = recv(self.term) => {}
                _ = recv(self.interrupt) => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let mut builder = Emulator::builder()
        .listen(args.listen)
        .region(args.region)
        .read_timeout(std::time::Duration::from_secs(args.read_timeout_secs))
        .seed_demo_network(args.seed)
        .preview_networks(args.preview)
        .idempotency_cap_bytes((args.idempotency_cap_mib as usize).saturating_mul(1024 * 1024));
    let user_keys = !args.access_keys.is_empty() || !args.read_only_keys.is_empty();
    for (id, secret) in args.access_keys {
        builder = builder.access_key(id, secret);
    }
    for (id, secret) in args.read_only_keys {
        builder = builder.read_only_key(id, secret);
    }
    if let Some(n) = args.rate_limit {
        builder = builder.rate_limit(n);
    }
    if let Some(spec) = args.faults {
        builder = builder.faults(spec);
    }
    if let Some(seed) = args.fault_seed {
        builder = builder.fault_seed(seed);
    }
    if let Some(path) = &args.state_file {
        builder = builder
            .state_file(path)
            .save_interval(std::time::Duration::from_secs(args.save_interval_secs));
    }
    let emulator = match builder.start().await {
        Ok(e) => e,
        Err(e @ StartError::Config(_)) => {
            // Same status as an argument clap rejects: the command line is wrong.
            fatal(&e);
            return ExitCode::from(2);
        }
        Err(e) => {
            fatal(&e);
            return ExitCode::from(1);
        }
    };
    let signals = Signals::register();
    // Output goes to whoever started us; a closed stdout must not stop the server.
    let mut out = std::io::stdout();
    let _ = writeln!(
        out,
        "wickr-admin-local listening on {} (region {})",
        emulator.endpoint_url(),
        emulator.region()
    );
    for key in emulator.access_keys() {
        let kind = if key.read_only {
            "read-only"
        } else {
            "read-write"
        };
        // Only the documented default pair shows its secret: a user-given secret is already
        // known to the user and has no business in logs or terminal scrollback.
        if user_keys {
            let _ = writeln!(out, "accepted key id ({kind}): {}", key.id);
        } else {
            let _ = writeln!(
                out,
                "accepted credentials ({kind}): {}:{}",
                key.id, key.secret
            );
        }
    }
    if let Some(path) = emulator.state_file() {
        let _ = writeln!(out, "state file {}", path.display());
    }
    if let Some(demo) = emulator.demo_network() {
        let _ = writeln!(
            out,
            "demo network {} with security group {}",
            demo.network_id, demo.security_group_id
        );
    }
    let _ = out.flush();
    signals.wait().await;
    let _ = writeln!(out, "shutting down");
    match emulator.stop().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            fatal(&e);
            ExitCode::from(1)
        }
    }
}

/// Says why the emulator stops; when standard error cannot take it, the exit code still does.
fn fatal(e: &dyn std::fmt::Display) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "wickr-admin-local: {e}");
}
