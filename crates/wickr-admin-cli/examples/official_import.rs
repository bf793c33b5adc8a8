//! Baseline for `cargo xtask bench bulk`: creates users with the official `aws-sdk-wickr` client,
//! the way its documentation shows (BatchCreateUser, 50 users per call), either in a sequential
//! loop or with a fixed number of calls running at once.
//!
//! ```text
//! official_import --endpoint-url URL --network-id ID --security-group-id SG \
//!     --users N [--concurrency C] [--prefix P]
//! ```
//!
//! Credentials and region come from the standard environment. Prints one JSON object:
//! `{"users", "created", "failedUsers", "failedCalls", "seconds"}`.

use std::sync::Arc;
use std::time::Instant;

use aws_config::BehaviorVersion;
use aws_sdk_wickr::types::BatchCreateUserRequestItem;

struct Options {
    endpoint_url: String,
    network_id: String,
    security_group_id: String,
    users: usize,
    concurrency: usize,
    prefix: String,
}

fn options() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let mut endpoint_url = None;
    let mut network_id = None;
    let mut security_group_id = None;
    let mut users = None;
    let mut concurrency = 1usize;
    let mut prefix = "official".to_string();
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--endpoint-url" => endpoint_url = Some(value()?),
            "--network-id" => network_id = Some(value()?),
            "--security-group-id" => security_group_id = Some(value()?),
            "--users" => {
                users = Some(
                    value()?
                        .parse()
                        .map_err(|_| "--users must be a number".to_string())?,
                )
            }
            "--concurrency" => {
                concurrency = value()?
                    .parse()
                    .map_err(|_| "--concurrency must be a number".to_string())?
            }
            "--prefix" => prefix = value()?,
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(Options {
        endpoint_url: endpoint_url.ok_or("--endpoint-url is required")?,
        network_id: network_id.ok_or("--network-id is required")?,
        security_group_id: security_group_id.ok_or("--security-group-id is required")?,
        users: users.ok_or("--users is required")?,
        concurrency: concurrency.max(1),
        prefix,
    })
}

#[derive(Default)]
struct Tally {
    created: usize,
    failed_users: usize,
    failed_calls: usize,
}

async fn create_chunk(
    client: &aws_sdk_wickr::Client,
    options: &Options,
    chunk: std::ops::Range<usize>,
) -> Tally {
    let mut items = Vec::with_capacity(chunk.len());
    for i in chunk.clone() {
        let item = BatchCreateUserRequestItem::builder()
            .username(format!("{}-{i}@example.com", options.prefix))
            .first_name("Bench")
            .last_name(format!("User{i}"))
            .security_group_ids(options.security_group_id.clone())
            .build();
        match item {
            Ok(item) => items.push(item),
            Err(_) => {
                return Tally {
                    failed_users: chunk.len(),
                    failed_calls: 1,
                    ..Tally::default()
                }
            }
        }
    }
    let result = client
        .batch_create_user()
        .network_id(options.network_id.clone())
        .set_users(Some(items))
        .send()
        .await;
    match result {
        Ok(output) => Tally {
            created: output.successful().len(),
            failed_users: chunk.len() - output.successful().len().min(chunk.len()),
            failed_calls: 0,
        },
        Err(_) => Tally {
            created: 0,
            failed_users: chunk.len(),
            failed_calls: 1,
        },
    }
}

#[tokio::main]
async fn main() {
    let options = match options() {
        Ok(o) => Arc::new(o),
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
    let chunks: Vec<std::ops::Range<usize>> = (0..options.users)
        .step_by(50)
        .map(|start| start..(start + 50).min(options.users))
        .collect();
    let started = Instant::now();
    let mut total = Tally::default();
    if options.concurrency == 1 {
        for chunk in chunks {
            let t = create_chunk(&client, &options, chunk).await;
            total.created += t.created;
            total.failed_users += t.failed_users;
            total.failed_calls += t.failed_calls;
        }
    } else {
        // A fixed pool of workers taking the next chunk from a shared queue.
        let queue = Arc::new(std::sync::Mutex::new(chunks.into_iter()));
        let mut workers = tokio::task::JoinSet::new();
        for _ in 0..options.concurrency {
            let queue = queue.clone();
            let client = client.clone();
            let options = options.clone();
            workers.spawn(async move {
                let mut tally = Tally::default();
                loop {
                    let next = match queue.lock() {
                        Ok(mut q) => q.next(),
                        Err(_) => None,
                    };
                    let Some(chunk) = next else { break };
                    let t = create_chunk(&client, &options, chunk).await;
                    tally.created += t.created;
                    tally.failed_users += t.failed_users;
                    tally.failed_calls += t.failed_calls;
                }
                tally
            });
        }
        while let Some(done) = workers.join_next().await {
            if let Ok(t) = done {
                total.created += t.created;
                total.failed_users += t.failed_users;
                total.failed_calls += t.failed_calls;
            }
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{{\"users\":{},\"created\":{},\"failedUsers\":{},\"failedCalls\":{},\"seconds\":{seconds:.3}}}",
        options.users, total.created, total.failed_users, total.failed_calls
    );
}
