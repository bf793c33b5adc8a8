//! Baseline for `cargo xtask bench export`: lists every user of a network with the official
//! `aws-sdk-wickr` client's ListUsers paginator (100 per page, as `wickr-admin users export`
//! asks) and writes one CSV line per user to a file as each page arrives, the loop its
//! documentation suggests.
//!
//! ```text
//! official_export --endpoint-url URL --network-id ID --output-file FILE
//! ```
//!
//! Credentials and region come from the standard environment. Prints one JSON object:
//! `{"users", "seconds"}`; exits 1 when a page fails.

use std::io::Write;
use std::time::Instant;

use aws_config::BehaviorVersion;

struct Options {
    endpoint_url: String,
    network_id: String,
    output_file: String,
}

fn options() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let (mut endpoint_url, mut network_id, mut output_file) = (None, None, None);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--endpoint-url" => endpoint_url = Some(value),
            "--network-id" => network_id = Some(value),
            "--output-file" => output_file = Some(value),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(Options {
        endpoint_url: endpoint_url.ok_or("--endpoint-url is required")?,
        network_id: network_id.ok_or("--network-id is required")?,
        output_file: output_file.ok_or("--output-file is required")?,
    })
}

/// A CSV field, quoted when it needs to be.
fn field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

#[tokio::main]
async fn main() {
    let options = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let config = aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(options.endpoint_url.clone())
        .load()
        .await;
    let client = aws_sdk_wickr::Client::new(&config);
    let file = match std::fs::File::create(&options.output_file) {
        Ok(file) => file,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let mut out = std::io::BufWriter::new(file);
    let started = Instant::now();
    let mut pages = client
        .list_users()
        .network_id(options.network_id.clone())
        .max_results(100)
        .into_paginator()
        .send();
    let mut users = 0u64;
    let _ = writeln!(
        out,
        "username,firstName,lastName,securityGroupId,status,suspended,userId"
    );
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(1);
            }
        };
        for user in page.users() {
            let line = [
                field(user.username().unwrap_or("")),
                field(user.first_name().unwrap_or("")),
                field(user.last_name().unwrap_or("")),
                field(
                    user.security_groups()
                        .first()
                        .map(String::as_str)
                        .unwrap_or(""),
                ),
                user.status().map(|s| s.to_string()).unwrap_or_default(),
                user.suspended().map(|s| s.to_string()).unwrap_or_default(),
                field(user.user_id().unwrap_or("")),
            ]
            .join(",");
            if writeln!(out, "{line}").is_err() {
                std::process::exit(1);
            }
            users += 1;
        }
    }
    if out.flush().is_err() {
        std::process::exit(1);
    }
    println!(
        "{{\"users\":{users},\"seconds\":{:.3}}}",
        started.elapsed().as_secs_f64()
    );
}
