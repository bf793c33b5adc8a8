//! What the bulk job reports when answers go missing, the endpoint is unreachable or silent, the
//! job is interrupted, requests grow large, or jobs overlap: each user's outcome says what is
//! known, and never more.

mod lossy_proxy;
mod runtime_support;

use std::collections::HashSet;
use std::time::Duration;

use lossy_proxy::LossyProxy;
use runtime_support::{config_for, Action, ScriptedServer};
use wickr_admin::bulk::{BulkReport, CancelToken, NewUser, Outcome};
use wickr_admin::config::TimeoutConfig;
use wickr_admin::types::User;
use wickr_admin::Client;
use wickr_admin_local::{Emulator, RunningEmulator, DEMO_GROUP_ID, DEMO_NETWORK_ID};

/// Longest any job below may take before the test calls it a hang.
const HANG: Duration = Duration::from_secs(120);

async fn emulator() -> RunningEmulator {
    Emulator::builder()
        .seed_demo_network(true)
        .start()
        .await
        .expect("emulator starts")
}

fn users(prefix: &str, n: usize) -> Vec<NewUser> {
    (0..n)
        .map(|i| NewUser::new(format!("{prefix}{i}@example.com")).first_name("First"))
        .collect()
}

/// Every user of the demo network.
async fn network_users(client: &Client) -> Vec<User> {
    let mut all = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = client
            .list_users()
            .network_id(DEMO_NETWORK_ID)
            .max_results(100)
            .set_next_token(token.clone())
            .send()
            .await
            .expect("list users");
        all.extend(page.users().iter().cloned());
        match page.next_token() {
            Some(next) if !next.is_empty() => token = Some(next.to_string()),
            _ => break,
        }
    }
    all
}

async fn usernames(client: &Client) -> HashSet<String> {
    network_users(client)
        .await
        .iter()
        .filter_map(|u| u.username().map(str::to_string))
        .collect()
}

async fn run(job: impl std::future::Future<Output = BulkReport>) -> BulkReport {
    tokio::time::timeout(HANG, job)
        .await
        .expect("the job ends instead of hanging")
}

#[tokio::test]
async fn importing_again_after_deleting_creates_the_users_again() {
    let emu = emulator().await;
    let client = emu.client();
    let input = users("again", 60);
    let first = run(client
        .bulk_create_users(DEMO_NETWORK_ID)
        .users(input.clone())
        .default_security_group(DEMO_GROUP_ID)
        .send())
    .await;
    assert_eq!(first.counts().created, 60);

    let ids: Vec<String> = first
        .iter()
        .filter_map(|o| match o {
            Outcome::Created { user_id, .. } => user_id.map(str::to_string),
            _ => None,
        })
        .collect();
    assert_eq!(ids.len(), 60);
    for batch in ids.chunks(50) {
        client
            .batch_delete_user()
            .network_id(DEMO_NETWORK_ID)
            .set_user_ids(Some(batch.to_vec()))
            .send()
            .await
            .expect("delete");
    }
    assert!(usernames(&client)
        .await
        .iter()
        .all(|name| !name.starts_with("again")));

    // Within the service's 24 hours of token memory, the same file again: created again, for real.
    let second = run(client
        .bulk_create_users(DEMO_NETWORK_ID)
        .users(input)
        .default_security_group(DEMO_GROUP_ID)
        .send())
    .await;
    assert_eq!(second.counts().created, 60, "{second:?}");
    let names = usernames(&client).await;
    assert_eq!(
        names
            .iter()
            .filter(|name| name.starts_with("again"))
            .count(),
        60,
        "the report's 'created' is what the network holds"
    );
    for (a, b) in first.iter().zip(second.iter()) {
        let (Outcome::Created { user_id: old, .. }, Outcome::Created { user_id: new, .. }) = (a, b)
        else {
            panic!("{a:?} / {b:?}");
        };
        assert_ne!(old, new, "a new user, not the deleted one replayed");
    }
}

#[tokio::test]
async fn overlapping_jobs_count_each_creation_once() {
    let emu = emulator().await;
    let client = emu.client();
    let before = usernames(&client).await.len();
    let input = users("overlap", 500);
    let jobs = (0..3).map(|_| {
        let client = client.clone();
        let input = input.clone();
        tokio::spawn(async move {
            client
                .bulk_create_users(DEMO_NETWORK_ID)
                .users(input)
                .default_security_group(DEMO_GROUP_ID)
                .concurrency(4)
                .send()
                .await
        })
    });
    let mut created = 0;
    let mut existed = 0;
    for job in jobs {
        let report = run(async { job.await.expect("job task") }).await;
        assert!(report.all_present(), "{report:?}");
        created += report.counts().created;
        existed += report.counts().already_existed;
    }
    assert_eq!(
        created, 500,
        "each user is claimed as created by one job only"
    );
    assert_eq!(existed, 1000);
    assert_eq!(usernames(&client).await.len(), before + 500);
}

#[tokio::test]
async fn lost_answers_leave_sent_users_unknown_and_resuming_the_job_settles_them() {
    let emu = emulator().await;
    let direct = emu.client();
    let proxy = LossyProxy::start(emu.local_addr(), lossy_proxy::batch_create_user).await;
    let lossy = Client::from_conf(
        direct
            .config()
            .to_builder()
            .endpoint_url(proxy.url.clone())
            .build(),
    );
    let input = users("lost", 80);
    // The first run gets the first 50 users (one chunk) and loses every answer.
    let first = run(lossy
        .bulk_create_users(DEMO_NETWORK_ID)
        .users(input[..50].to_vec())
        .default_security_group(DEMO_GROUP_ID)
        .send())
    .await;
    assert_eq!(first.counts().unknown, 50, "{first:?}");
    assert_eq!(
        proxy.lost(),
        10,
        "every attempt of the chunk reached the service"
    );
    for outcome in first.iter() {
        let Outcome::Unknown { error } = outcome else {
            panic!("{outcome:?}");
        };
        assert!(
            error.contains("no definitive answer after 10 attempts"),
            "{error}"
        );
    }
    // "Unknown" was the truth: the service applied the chunk.
    let names = usernames(&direct).await;
    assert_eq!(names.iter().filter(|n| n.starts_with("lost")).count(), 50);

    // Resuming the job (same id) on a good connection, with all 80 users: the first chunk's
    // stored answer says which users this job created, and the rest is created now.
    let resumed = run(direct
        .bulk_create_users(DEMO_NETWORK_ID)
        .users(input.clone())
        .default_security_group(DEMO_GROUP_ID)
        .job_id(first.job_id())
        .send())
    .await;
    assert_eq!(resumed.counts().created, 80, "{resumed:?}");
    let names = usernames(&direct).await;
    assert_eq!(names.iter().filter(|n| n.starts_with("lost")).count(), 80);

    // A new job over the same users learns that they exist.
    let fresh = run(direct
        .bulk_create_users(DEMO_NETWORK_ID)
        .users(input)
        .default_security_group(DEMO_GROUP_ID)
        .send())
    .await;
    assert_eq!(fresh.counts().already_existed, 80, "{fresh:?}");
}

#[tokio::test]
async fn an_unreachable_endpoint_stops_the_job_after_its_first_attempts() {
    // A port nothing listens on.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", closed.local_addr().expect("addr"));
    drop(closed);
    let client = Client::from_conf(config_for(&url).build());
    let report = run(client
        .bulk_create_users(DEMO_NETWORK_ID)
        .users(users("nowhere", 5000))
        .default_security_group(DEMO_GROUP_ID)
        .concurrency(4)
        .send())
    .await;
    assert_eq!(report.len(), 5000);
    assert_eq!(report.counts().not_attempted, 5000, "{report:?}");
    assert!(report.stats().calls <= 6, "{report:?}");
    let reason = report.stop_reason().unwrap_or_default();
    assert!(reason.contains("could not be reached"), "{reason}");
}

#[tokio::test]
async fn a_silent_endpoint_leaves_the_sent_chunk_unknown_and_the_rest_not_attempted() {
    let server = ScriptedServer::start(vec![Action::Silent; 10]).await;
    let client = Client::from_conf(
        config_for(&server.url)
            .timeout_config(
                TimeoutConfig::builder()
                    .read_timeout(Duration::from_millis(200))
                    .build(),
            )
            .build(),
    );
    let report = run(client
        .bulk_create_users(DEMO_NETWORK_ID)
        .users(users("silent", 120))
        .default_security_group(DEMO_GROUP_ID)
        .concurrency(1)
        .send())
    .await;
    // The first chunk times out, the second is sent while the first waits to be sent again, then
    // the first times out again: three attempts without an answer stop the job. Both chunks
    // were sent, so their users may exist; the third chunk was never sent.
    let counts = report.counts();
    assert_eq!(
        (counts.unknown, counts.not_attempted),
        (100, 20),
        "{report:?}"
    );
    assert_eq!(
        server.received().len(),
        3,
        "three timed-out attempts, then the job stops"
    );
    // Each reason says what happened to its user: sent without an answer, or never sent.
    for index in [0, 50] {
        match report.get(index) {
            Some(Outcome::Unknown { error }) => assert!(
                error.starts_with("sent, but no definitive answer")
                    && error.contains("could not be reached")
                    && !error.contains("not sent"),
                "{index}: {error}"
            ),
            other => panic!("{index}: {other:?}"),
        }
    }
    match report.get(100) {
        Some(Outcome::NotAttempted { error }) => {
            assert!(error.starts_with("not sent"), "{error}")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_cancelled_job_abandons_calls_that_do_not_end_within_the_grace() {
    for abandon in [false, true] {
        let server = ScriptedServer::start(vec![Action::Silent; 4]).await;
        let client = Client::from_conf(
            config_for(&server.url)
                .timeout_config(TimeoutConfig::disabled())
                .build(),
        );
        let cancel = CancelToken::new();
        let trigger = cancel.clone();
        let job = client
            .bulk_create_users(DEMO_NETWORK_ID)
            .users(users("cancel", 300))
            .default_security_group(DEMO_GROUP_ID)
            .concurrency(2)
            .cancel_token(cancel)
            // Longer than any clock can count (once a panic), so only abandoning can end the
            // second run.
            .cancel_grace(if abandon {
                Duration::MAX
            } else {
                Duration::from_millis(500)
            });
        let running = tokio::spawn(job.send());
        while server.received().len() < 2 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        if abandon {
            trigger.abandon();
        } else {
            trigger.cancel();
        }
        let report = run(async { running.await.expect("job task") }).await;
        assert!(report.cancelled());
        // The two calls in flight are unknown; the rest of the input was never read.
        let counts = report.counts();
        assert_eq!(
            (counts.unknown, counts.not_attempted),
            (100, 0),
            "{report:?}"
        );
        assert!(report.stopped_reading(), "{report:?}");
        let Some(Outcome::Unknown { error }) = report.get(0) else {
            panic!("{:?}", report.get(0));
        };
        assert!(error.contains("interrupted"), "{error}");
    }
}

#[tokio::test]
async fn chunks_are_cut_by_request_size_and_a_too_large_request_is_split() {
    let emu = emulator().await;
    let client = emu.client();
    // 60 users of about 30 kB each: 1.8 MB, more than the emulator's 1 MiB per request.
    let big = |prefix: &str| -> Vec<NewUser> {
        (0..60)
            .map(|i| {
                NewUser::new(format!("{prefix}{i}@example.com")).first_name("x".repeat(30_000))
            })
            .collect()
    };
    let report = run(client
        .bulk_create_users(DEMO_NETWORK_ID)
        .users(big("sized"))
        .default_security_group(DEMO_GROUP_ID)
        .send())
    .await;
    assert_eq!(report.counts().created, 60, "{report:?}");
    assert_eq!(report.stats().split_too_large, 0, "{report:?}");
    assert_eq!(report.stats().calls, 2, "{report:?}");

    // Told it may send 8 MiB, the job meets the emulator's limit as HTTP 413 and splits.
    let report = run(client
        .bulk_create_users(DEMO_NETWORK_ID)
        .users(big("split"))
        .default_security_group(DEMO_GROUP_ID)
        .max_request_bytes(8 << 20)
        .send())
    .await;
    assert_eq!(report.counts().created, 60, "{report:?}");
    assert!(report.stats().split_too_large >= 1, "{report:?}");
    let names = usernames(&client).await;
    assert_eq!(names.iter().filter(|n| n.starts_with("split")).count(), 60);
}
