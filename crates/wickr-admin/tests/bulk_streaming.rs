//! Jobs that hand their outcomes out as they become final (`send_each`), against the emulator
//! over real HTTP on 127.0.0.1: every input gets one outcome, in input order; a job holds at most
//! its reorder window of inputs, whatever the input's length; and a job given no concurrency
//! finds what the service allows.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use wickr_admin::bulk::{BulkSummary, NewUser, Outcome, Slot};
use wickr_admin::Client;
use wickr_admin_local::{Emulator, RunningEmulator, DEMO_GROUP_ID, DEMO_NETWORK_ID};

/// Inputs a job may hold between the oldest without an outcome and the newest read.
const REORDER_WINDOW: u64 = 32_768;

async fn emulator(faults: Option<&str>, rate_limit: Option<u32>) -> RunningEmulator {
    let mut builder = Emulator::builder().seed_demo_network(true);
    if let Some(spec) = faults {
        builder = builder.faults(spec.parse().expect("fault spec"));
    }
    if let Some(limit) = rate_limit {
        builder = builder.rate_limit(limit);
    }
    builder.start().await.expect("emulator starts")
}

/// Every user of the demo network: id to username.
async fn usernames_by_id(client: &Client) -> HashMap<String, String> {
    let mut found = HashMap::new();
    let mut pages = client
        .list_users()
        .network_id(DEMO_NETWORK_ID)
        .max_results(100)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        for user in page.expect("list users").users() {
            found.insert(
                user.user_id().unwrap_or_default().to_string(),
                user.username().unwrap_or_default().to_string(),
            );
        }
    }
    found
}

/// How far reading ran ahead of the outcomes handed out.
#[derive(Clone, Default)]
struct Lead {
    read: Arc<AtomicU64>,
    handed_out: Arc<AtomicU64>,
    most: Arc<AtomicU64>,
}

impl Lead {
    fn read_one(&self) {
        let read = self.read.fetch_add(1, Ordering::SeqCst) + 1;
        let ahead = read.saturating_sub(self.handed_out.load(Ordering::SeqCst));
        self.most.fetch_max(ahead, Ordering::SeqCst);
    }

    fn handed_out_one(&self) {
        self.handed_out.fetch_add(1, Ordering::SeqCst);
    }

    fn most(&self) -> u64 {
        self.most.load(Ordering::SeqCst)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outcomes_come_out_in_input_order_and_the_job_keeps_none_of_them() {
    let emu = emulator(None, None).await;
    let client = emu.client();
    let lead = Lead::default();
    let reading = lead.clone();
    let users = (0..20_000).map(move |i| {
        reading.read_one();
        NewUser::new(format!("each{i}@example.com"))
    });
    let mut outcomes: Vec<String> = Vec::new();
    let handing = lead.clone();
    let summary = client
        .bulk_create_users(DEMO_NETWORK_ID)
        .users(users)
        .default_security_group(DEMO_GROUP_ID)
        .send_each(|outcome| {
            handing.handed_out_one();
            match outcome {
                Some(Outcome::Created {
                    user_id: Some(id), ..
                }) => outcomes.push(id.to_string()),
                other => panic!("not created: {other:?}"),
            }
        })
        .await;
    assert_eq!(summary.counts().created, 20_000, "{summary:?}");
    assert_eq!(outcomes.len(), 20_000);
    let names = usernames_by_id(&client).await;
    for (i, id) in outcomes.iter().enumerate() {
        assert_eq!(names.get(id), Some(&format!("each{i}@example.com")));
    }
    assert!(lead.most() <= REORDER_WINDOW, "read {} ahead", lead.most());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kept_places_come_back_in_turn_and_a_slow_call_holds_at_most_the_window() {
    // Every answer takes 200 ms, and between the first 50 users and the last 50 the caller
    // keeps 100,000 places: while the first call runs, the job reads kept places until its
    // window is full, then waits.
    let emu = emulator(Some("delay=1:200ms"), None).await;
    let client = emu.client();
    let lead = Lead::default();
    let reading = lead.clone();
    let kept = 100_000;
    let slots = (0..kept + 100).map(move |i| {
        reading.read_one();
        if (50..50 + kept).contains(&i) {
            Slot::Skip
        } else {
            Slot::Send(NewUser::new(format!("kept{i}@example.com")))
        }
    });
    let mut order: Vec<char> = Vec::new();
    let handing = lead.clone();
    let summary = client
        .bulk_create_users(DEMO_NETWORK_ID)
        .users(slots)
        .default_security_group(DEMO_GROUP_ID)
        .send_each(|outcome| {
            handing.handed_out_one();
            order.push(match outcome {
                None => 'k',
                Some(Outcome::Created { .. }) => 'c',
                Some(_) => '?',
            });
        })
        .await;
    assert_eq!(summary.counts().created, 100, "{summary:?}");
    let expected: Vec<char> = std::iter::repeat_n('c', 50)
        .chain(std::iter::repeat_n('k', kept))
        .chain(std::iter::repeat_n('c', 50))
        .collect();
    assert!(order == expected, "outcomes out of turn");
    let most = lead.most();
    assert!(most <= REORDER_WINDOW, "read {most} ahead");
    assert!(most >= REORDER_WINDOW / 2, "read only {most} ahead");
}

/// Creates 2,000 users in the demo network with a job given no concurrency.
async fn two_thousand_users_self_tuned(emu: &RunningEmulator) -> BulkSummary {
    let users = (0..2_000).map(|i| NewUser::new(format!("tuned{i}@example.com")));
    emu.client()
        .bulk_create_users(DEMO_NETWORK_ID)
        .users(users)
        .default_security_group(DEMO_GROUP_ID)
        .send_each(|_| {})
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_given_no_concurrency_backs_off_when_throttled_and_creates_every_user() {
    let emu = emulator(None, Some(20)).await;
    let summary = two_thousand_users_self_tuned(&emu).await;
    assert_eq!(summary.counts().created, 2_000, "{summary:?}");
    let stats = summary.stats();
    assert!(stats.throttled > 0, "{summary:?}");
    assert!(stats.min_concurrency < 32, "{summary:?}");
    assert_eq!(stats.calls, 40 + stats.throttled, "{summary:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_given_no_concurrency_starts_wide_when_the_service_is_far() {
    // 50 ms away: once the probe is answered the job runs 64 calls at once. (How it grows
    // against a service that answers within milliseconds, which this unoptimized emulator does
    // not, is shown by the controller's own tests and by `cargo xtask bench bulk`.)
    let emu = emulator(Some("delay=1:50ms"), None).await;
    let summary = two_thousand_users_self_tuned(&emu).await;
    assert_eq!(summary.counts().created, 2_000, "{summary:?}");
    assert!(summary.stats().max_concurrency >= 64, "{summary:?}");
}

#[tokio::test]
async fn a_job_reading_a_long_run_of_kept_places_lets_the_other_tasks_of_its_thread_run() {
    // On a runtime of one thread (as the command runs), a job that reads 200,000 kept places
    // before anything to send must give the thread up now and then: the calls in flight, a
    // signal watcher or an embedded emulator wait otherwise. A task counts the turns it gets.
    let emu = emulator(None, None).await;
    let client = emu.client();
    let turns = Arc::new(AtomicU64::new(0));
    let counting = turns.clone();
    let counter = tokio::spawn(async move {
        loop {
            counting.fetch_add(1, Ordering::SeqCst);
            tokio::task::yield_now().await;
        }
    });
    tokio::task::yield_now().await;
    let kept = 200_000;
    // The counter's turns when the first and the last kept place were read.
    let (at_first, at_last) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let (first, last, watched) = (at_first.clone(), at_last.clone(), turns.clone());
    let slots = (0..kept + 1).map(move |i| {
        let now = watched.load(Ordering::SeqCst);
        if i == 0 {
            first.store(now, Ordering::SeqCst);
        }
        if i == kept - 1 {
            last.store(now, Ordering::SeqCst);
        }
        if i < kept {
            Slot::Skip
        } else {
            Slot::Send(NewUser::new("after-the-kept@example.com"))
        }
    });
    let mut kept_back = 0u64;
    let summary = client
        .bulk_create_users(DEMO_NETWORK_ID)
        .users(slots)
        .default_security_group(DEMO_GROUP_ID)
        .concurrency(8)
        .send_each(|outcome| kept_back += u64::from(outcome.is_none()))
        .await;
    counter.abort();
    assert_eq!(summary.counts().created, 1, "{summary:?}");
    assert_eq!(kept_back, kept);
    let (first, last) = (
        at_first.load(Ordering::SeqCst),
        at_last.load(Ordering::SeqCst),
    );
    // One turn at least every 16,384 places (half the reorder window).
    assert!(
        last - first >= 10,
        "the other task ran {} times while the job read {kept} kept places",
        last - first
    );
}

#[tokio::test]
async fn a_cancellation_during_a_long_run_of_kept_places_sends_nothing_after_it() {
    // On one thread, a task cancels the job the first time it gets a turn, which is while the
    // job reads 100,000 kept places; the 50 users after them must not be sent.
    let emu = emulator(None, None).await;
    let client = emu.client();
    let cancel = wickr_admin::bulk::CancelToken::new();
    let cancelling = cancel.clone();
    let canceller = tokio::spawn(async move { cancelling.cancel() });
    let kept = 100_000;
    let slots = (0..kept + 50).map(move |i| {
        if i < kept {
            Slot::Skip
        } else {
            Slot::Send(NewUser::new(format!("after-cancel-{i}@example.com")))
        }
    });
    let summary = client
        .bulk_create_users(DEMO_NETWORK_ID)
        .users(slots)
        .default_security_group(DEMO_GROUP_ID)
        .concurrency(8)
        .cancel_token(cancel)
        .send_each(|_| {})
        .await;
    canceller.await.unwrap();
    assert_eq!(summary.counts().created, 0, "{summary:?}");
    assert_eq!(summary.stats().calls, 0, "{summary:?}");
    let names = usernames_by_id(&client).await;
    assert!(!names.values().any(|n| n.starts_with("after-cancel-")));
}
