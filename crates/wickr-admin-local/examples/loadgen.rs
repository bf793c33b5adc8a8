//! Load generator for the emulator benchmark: N concurrent workers send signed 50-user
//! `BatchCreateUser` calls (every username unique) over keep-alive HTTP/1.1 connections and
//! report calls per second.
//!
//! ```text
//! loadgen --endpoint http://127.0.0.1:4581 --network 12345678 --group BCTY8Qhe \
//!         --concurrency 32 --calls 10000 [--key ID:SECRET]
//! ```

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Instant, SystemTime};

struct Options {
    endpoint: String,
    network: String,
    group: String,
    concurrency: usize,
    calls: u64,
    key_id: String,
    secret: String,
}

fn parse_args() -> Result<Options, String> {
    let mut o = Options {
        endpoint: String::new(),
        network: wickr_admin_local::DEMO_NETWORK_ID.to_owned(),
        group: wickr_admin_local::DEMO_GROUP_ID.to_owned(),
        concurrency: 32,
        calls: 10_000,
        key_id: wickr_admin_local::DEFAULT_ACCESS_KEY_ID.to_owned(),
        secret: wickr_admin_local::DEFAULT_SECRET_ACCESS_KEY.to_owned(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--endpoint" => o.endpoint = value,
            "--network" => o.network = value,
            "--group" => o.group = value,
            "--concurrency" => {
                o.concurrency = value
                    .parse()
                    .map_err(|_| format!("--concurrency {value}: not a number"))?
            }
            "--calls" => {
                o.calls = value
                    .parse()
                    .map_err(|_| format!("--calls {value}: not a number"))?
            }
            "--key" => {
                let (id, secret) = value
                    .split_once(':')
                    .ok_or_else(|| "--key expects ID:SECRET".to_owned())?;
                o.key_id = id.to_owned();
                o.secret = secret.to_owned();
            }
            other => return Err(format!("unknown option {other}")),
        }
    }
    if o.endpoint.is_empty() {
        return Err("--endpoint is required".to_owned());
    }
    if o.concurrency == 0 {
        return Err("--concurrency must be at least 1".to_owned());
    }
    Ok(o)
}

fn body_for(run: u32, worker: usize, call: u64, group: &str) -> Vec<u8> {
    let mut body = String::with_capacity(50 * 120);
    body.push_str("{\"users\":[");
    for i in 0..50 {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&format!(
            "{{\"username\":\"r{run:08x}w{worker}c{call}u{i}@load.example\",\"firstName\":\"Load\",\"lastName\":\"Test\",\"securityGroupIds\":[\"{group}\"]}}"
        ));
    }
    body.push_str("]}");
    body.into_bytes()
}

fn signed_request(
    o: &Options,
    identity: &Identity,
    host: &str,
    body: Vec<u8>,
) -> Result<http::Request<Full<Bytes>>, String> {
    let uri = format!("{}/networks/{}/users", o.endpoint, o.network);
    let params = v4::SigningParams::builder()
        .identity(identity)
        .region("us-east-1")
        .name("wickr")
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| e.to_string())?
        .into();
    let headers = [("host", host), ("content-type", "application/json")];
    let signable = SignableRequest::new(
        "POST",
        uri.as_str(),
        headers.into_iter(),
        SignableBody::Bytes(&body),
    )
    .map_err(|e| e.to_string())?;
    let (instructions, _) = sign(signable, &params)
        .map_err(|e| e.to_string())?
        .into_parts();
    let mut request = http::Request::builder()
        .method("POST")
        .uri(&uri)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| e.to_string())?;
    instructions.apply_to_request_http1x(&mut request);
    Ok(request)
}

#[tokio::main]
async fn main() -> ExitCode {
    let o = match parse_args() {
        Ok(o) => Arc::new(o),
        Err(e) => {
            eprintln!("loadgen: {e}");
            return ExitCode::from(2);
        }
    };
    let host = o
        .endpoint
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let identity: Identity = Credentials::new(&o.key_id, &o.secret, None, None, "loadgen").into();
    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(o.concurrency)
        .build(connector);
    // A random run id keeps usernames unique across runs against the same emulator.
    let run = fastrand::u32(..);
    let next = Arc::new(AtomicU64::new(0));
    let ok = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for worker in 0..o.concurrency {
        let (o, client, next, ok, failed, identity, host) = (
            o.clone(),
            client.clone(),
            next.clone(),
            ok.clone(),
            failed.clone(),
            identity.clone(),
            host.clone(),
        );
        workers.push(tokio::spawn(async move {
            loop {
                let call = next.fetch_add(1, Ordering::Relaxed);
                if call >= o.calls {
                    break;
                }
                let body = body_for(run, worker, call, &o.group);
                let request = match signed_request(&o, &identity, &host, body) {
                    Ok(r) => r,
                    Err(e) => {
                        eprintln!("loadgen: cannot sign: {e}");
                        failed.fetch_add(1, Ordering::Relaxed);
                        continue;
                    }
                };
                match client.request(request).await {
                    Ok(response) => {
                        let status = response.status();
                        let body = response.into_body().collect().await;
                        let created_all = body.is_ok_and(|b| {
                            let b = b.to_bytes();
                            // A fully successful call lists no failures.
                            status.is_success() && b.windows(11).any(|w| w == b"\"failed\":[]")
                        });
                        if created_all {
                            ok.fetch_add(1, Ordering::Relaxed);
                        } else {
                            if failed.fetch_add(1, Ordering::Relaxed) < 3 {
                                eprintln!("loadgen: call {call} answered {status}");
                            }
                        }
                    }
                    Err(e) => {
                        if failed.fetch_add(1, Ordering::Relaxed) < 3 {
                            eprintln!("loadgen: call {call} failed: {e:?}");
                        }
                    }
                }
            }
        }));
    }
    for w in workers {
        let _ = w.await;
    }
    let secs = started.elapsed().as_secs_f64();
    let ok = ok.load(Ordering::Relaxed);
    let failed = failed.load(Ordering::Relaxed);
    println!(
        "calls={} ok={ok} failed={failed} seconds={secs:.3} calls_per_second={:.0} users_per_second={:.0} concurrency={}",
        ok + failed,
        ok as f64 / secs,
        ok as f64 * 50.0 / secs,
        o.concurrency
    );
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
