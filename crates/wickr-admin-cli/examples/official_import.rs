//! Baseline for `cargo xtask bench bulk`: imports a users file with the official `aws-sdk-wickr`
//! client, the way its documentation shows (BatchCreateUser, 50 users per call), as a careful
//! person would write the loop by hand: the CSV file read as a stream, a fixed number of calls at
//! once (one: a sequential loop), and a report with one row per user written as answers come.
//!
//! ```text
//! official_import --endpoint-url URL --network-id ID --security-group-id SG \
//!     --file users.csv --report report.csv [--concurrency C]
//! ```
//!
//! Credentials and region come from the standard environment. Prints one JSON object:
//! `{"users", "created", "failedUsers", "failedCalls", "seconds"}`.

use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::sync::Arc;
use std::time::Instant;

use aws_config::BehaviorVersion;
use aws_sdk_wickr::types::BatchCreateUserRequestItem;
use tokio::sync::{mpsc, Mutex};

struct Options {
    endpoint_url: String,
    network_id: String,
    security_group_id: String,
    file: String,
    report: String,
    concurrency: usize,
}

fn options() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let mut endpoint_url = None;
    let mut network_id = None;
    let mut security_group_id = None;
    let mut file = None;
    let mut report = None;
    let mut concurrency = 1usize;
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--endpoint-url" => endpoint_url = Some(value()?),
            "--network-id" => network_id = Some(value()?),
            "--security-group-id" => security_group_id = Some(value()?),
            "--file" => file = Some(value()?),
            "--report" => report = Some(value()?),
            "--concurrency" => {
                concurrency = value()?
                    .parse()
                    .map_err(|_| "--concurrency must be a number".to_string())?
            }
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(Options {
        endpoint_url: endpoint_url.ok_or("--endpoint-url is required")?,
        network_id: network_id.ok_or("--network-id is required")?,
        security_group_id: security_group_id.ok_or("--security-group-id is required")?,
        file: file.ok_or("--file is required")?,
        report: report.ok_or("--report is required")?,
        concurrency: concurrency.max(1),
    })
}

#[derive(Default)]
struct Tally {
    users: usize,
    created: usize,
    failed_users: usize,
    failed_calls: usize,
}

/// One row of the file, as the documentation's example builds a request item.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct CsvUser {
    username: String,
    first_name: Option<String>,
    last_name: Option<String>,
    security_group_id: Option<String>,
}

type Report = Arc<Mutex<csv::Writer<BufWriter<File>>>>;

async fn create_chunk(
    client: &aws_sdk_wickr::Client,
    network_id: &str,
    items: Vec<BatchCreateUserRequestItem>,
    report: &Report,
) -> Tally {
    let names: Vec<String> = items.iter().map(|i| i.username().to_string()).collect();
    let result = client
        .batch_create_user()
        .network_id(network_id)
        .set_users(Some(items))
        .send()
        .await;
    let mut tally = Tally {
        users: names.len(),
        ..Tally::default()
    };
    let mut out = report.lock().await;
    match result {
        Ok(output) => {
            for user in output.successful() {
                let _ = out.write_record([
                    user.username().unwrap_or_default(),
                    "created",
                    user.user_id().unwrap_or_default(),
                ]);
            }
            for failed in output.failed() {
                let _ = out.write_record(["", "failed", failed.reason().unwrap_or_default()]);
            }
            tally.created = output.successful().len();
            tally.failed_users = names.len() - tally.created.min(names.len());
        }
        Err(e) => {
            let reason = e.to_string();
            for name in &names {
                let _ = out.write_record([name.as_str(), "failed", reason.as_str()]);
            }
            tally.failed_users = names.len();
            tally.failed_calls = 1;
        }
    }
    tally
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
    let started = Instant::now();
    let config = aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(options.endpoint_url.clone())
        .load()
        .await;
    let client = aws_sdk_wickr::Client::new(&config);
    let report = match File::create(&options.report) {
        Ok(file) => {
            let mut writer = csv::Writer::from_writer(BufWriter::new(file));
            let _ = writer.write_record(["username", "outcome", "detail"]);
            Arc::new(Mutex::new(writer))
        }
        Err(e) => {
            eprintln!("error: cannot create {}: {e}", options.report);
            std::process::exit(2);
        }
    };
    // The reader fills chunks of 50 users into a queue a few chunks long; the workers take
    // them from it, so memory holds the calls in flight and the queue, not the file.
    let (chunks, queue) = mpsc::channel::<Vec<BatchCreateUserRequestItem>>(options.concurrency);
    let queue = Arc::new(Mutex::new(queue));
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..options.concurrency {
        let queue = queue.clone();
        let client = client.clone();
        let network_id = options.network_id.clone();
        let report = report.clone();
        workers.spawn(async move {
            let mut tally = Tally::default();
            loop {
                let next = queue.lock().await.recv().await;
                let Some(items) = next else { break };
                let t = create_chunk(&client, &network_id, items, &report).await;
                tally.users += t.users;
                tally.created += t.created;
                tally.failed_users += t.failed_users;
                tally.failed_calls += t.failed_calls;
            }
            tally
        });
    }
    let file = match File::open(&options.file) {
        Ok(file) => file,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", options.file);
            std::process::exit(2);
        }
    };
    let mut rows = csv::Reader::from_reader(BufReader::new(file));
    let mut chunk = Vec::with_capacity(50);
    let mut unreadable = 0usize;
    for row in rows.deserialize::<CsvUser>() {
        let Ok(row) = row else {
            unreadable += 1;
            continue;
        };
        let group = row
            .security_group_id
            .filter(|g| !g.is_empty())
            .unwrap_or_else(|| options.security_group_id.clone());
        let item = BatchCreateUserRequestItem::builder()
            .username(row.username)
            .set_first_name(row.first_name.filter(|v| !v.is_empty()))
            .set_last_name(row.last_name.filter(|v| !v.is_empty()))
            .security_group_ids(group)
            .build();
        match item {
            Ok(item) => chunk.push(item),
            Err(_) => unreadable += 1,
        }
        if chunk.len() == 50 {
            let full = std::mem::replace(&mut chunk, Vec::with_capacity(50));
            if chunks.send(full).await.is_err() {
                break;
            }
        }
    }
    if !chunk.is_empty() {
        let _ = chunks.send(chunk).await;
    }
    drop(chunks);
    let mut total = Tally {
        failed_users: unreadable,
        ..Tally::default()
    };
    while let Some(done) = workers.join_next().await {
        if let Ok(t) = done {
            total.users += t.users;
            total.created += t.created;
            total.failed_users += t.failed_users;
            total.failed_calls += t.failed_calls;
        }
    }
    if let Err(e) = report.lock().await.flush() {
        eprintln!("error: cannot write {}: {e}", options.report);
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{{\"users\":{},\"created\":{},\"failedUsers\":{},\"failedCalls\":{},\"seconds\":{seconds:.3}}}",
        total.users + unreadable,
        total.created,
        total.failed_users,
        total.failed_calls
    );
}
