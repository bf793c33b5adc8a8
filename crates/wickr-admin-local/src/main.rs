//! `wickr-admin-local`: runs the Wickr Admin API emulator until Ctrl-C or SIGTERM.

use clap::Parser;
use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use wickr_admin_local::{Emulator, FaultSpec, DEFAULT_PORT};

/// A local emulator of the AWS Wickr Admin API (restJson1, SigV4 service `wickr`).
#[derive(Debug, Parser)]
#[command(name = "wickr-admin-local", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value_t = SocketAddr::from(([127, 0, 0, 1], DEFAULT_PORT)))]
    listen: SocketAddr,
    /// Accepted key pair as ID:SECRET (repeatable). Without any key, the documented default
    /// pair AKIDWICKRLOCAL:wickr-local-secret is accepted.
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
    /// Create the demo network 12345678 with security group BCTY8Qhe.
    #[arg(long)]
    seed: bool,
    /// Give networks created through the API preview features (custom invite codes).
    #[arg(long)]
    preview: bool,
}

fn parse_key(s: &str) -> Result<(String, String), String> {
    match s.split_once(':') {
        Some((id, secret)) if !id.is_empty() && !secret.is_empty() => {
            Ok((id.to_owned(), secret.to_owned()))
        }
        _ => Err("expected ID:SECRET with both parts non-empty".to_owned()),
    }
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let mut builder = Emulator::builder()
        .listen(args.listen)
        .seed_demo_network(args.seed)
        .preview_networks(args.preview);
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
    let emulator = match builder.start().await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("wickr-admin-local: {e}");
            return ExitCode::from(1);
        }
    };
    // Output goes to whoever started us; a closed stdout must not stop the server.
    let mut out = std::io::stdout();
    let _ = writeln!(
        out,
        "wickr-admin-local listening on {}",
        emulator.endpoint_url()
    );
    for key in emulator.access_keys() {
        let kind = if key.read_only {
            "read-only"
        } else {
            "read-write"
        };
        let _ = writeln!(
            out,
            "accepted credentials ({kind}): {}:{}",
            key.id, key.secret
        );
    }
    if let Some(demo) = emulator.demo_network() {
        let _ = writeln!(
            out,
            "demo network {} with security group {}",
            demo.network_id, demo.security_group_id
        );
    }
    let _ = out.flush();
    wait_for_signal().await;
    let _ = writeln!(out, "shutting down");
    emulator.shutdown().await;
    ExitCode::SUCCESS
}
