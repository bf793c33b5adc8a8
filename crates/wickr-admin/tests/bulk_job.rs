//! The bulk job against the emulator over real HTTP on 127.0.0.1.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use wickr_admin::bulk::{CancelToken, Counts, NewUser, Outcome};
use wickr_admin::Client;
use wickr_admin_local::{Emulator, RunningEmulator, DEMO_GROUP_ID, DEMO_NETWORK_ID};

async fn emulator() -> RunningEmulator {
    Emulator::builder()
        .seed_demo_network(true)
        .start()
        .await
        .expect("emulator starts")
}

fn users(prefix: &str, n: usize) -> Vec<NewUser> {
    (0..n)
        .map(|i| {
            NewUser::new(format!("{prefix}{i}@example.com"))
                .first_name("First")
                .last_name(format!("Last{i}"))
        })
        .collect()
}

/// Every username in the demo network, in listing order (duplicates kept).
async fn usernames(client: &Client) -> Vec<String> {
    let mut names = Vec::new();
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
        for user in page.users() {
            names.push(user.username().unwrap_or_default().to_string());
        }
        match page.next_token() {
            Some(next) if !next.is_empty() => token = Some(next.to_string()),
            _ => break,
        }
    }
    names
}

async fn user_count(client: &Client) -> usize {
    usernames(client).await.len()
}

#[tokio::test]
async fn creates_every_user_in_input_order() {
    let emu = emulator().await;
    let client = emu.client();
    let before = user_count(&client).await;
    let input = users("order", 237);
    let progress_calls = Arc::new(AtomicU64::new(0));
    let seen = progress_calls.clone();
    let last = Arc::new(Mutex::new(Counts::default()));
    let last_seen = last.clone();
    let report = client
        .bulk_create_users(DEMO_NETWORK_ID)
        .users(input.clone())
        .default_security_group(DEMO_GROUP_ID)
        .concurrency(3)
        .on_progress(move |p| {
            seen.fetch_add(1, Ordering::SeqCst);
            *last_seen.lock().unwrap() = p.counts;
        })
        .send()
        .await;

    assert_eq!(report.len(), 237);
    assert_eq!(report.counts().created, 237, "{report:?}");
    assert!(report.all_present());
    // 237 users = 5 chunks of at most 50.
    assert_eq!(report.stats().calls, 5);
    assert!(progress_calls.load(Ordering::SeqCst) >= 5);
    assert_eq!(last.lock().unwrap().created, 237);

    // Outcome i belongs to input i: look each id up and compare usernames.
    let mut ids = HashSet::new();
    for (i, outcome) in report.iter().enumerate().step_by(23) {
        let Outcome::Created {
            user_id,
            invite_code,
        } = outcome
        else {
            panic!("user {i}: {outcome:?}");
        };
        assert!(invite_code.is_some_and(|c| !c.is_empty()));
        let user_id = user_id.expect("the emulator names every created user");
        let got = client
            .get_user()
            .network_id(DEMO_NETWORK_ID)
            .user_id(user_id)
            .send()
            .await
            .expect("get user");
        assert_eq!(got.username(), Some(input[i].username()));
        ids.insert(user_id.to_string());
    }
    assert_eq!(ids.len(), 11);
    assert_eq!(user_count(&client).await, before + 237);
}

#[tokio::test]
async fn running_the_same_import_again_creates_nothing_and_accounts_for_every_user() {
    let emu = emulator().await;
    let client = emu.client();
    let input = users("again", 120);
    let first = client
        .bulk_create_users(DEMO_NETWORK_ID)
        .users(input.clone())
        .default_security_group(DEMO_GROUP_ID)
        .send()
        .await;
    assert_eq!(first.counts().created, 120);
    let after_first = user_count(&client).await;

    // A new job has new tokens: the service sees existing usernames, and says so.
    let again = client
        .bulk_create_users(DEMO_NETWORK_ID)
        .users(input.clone())
        .default_security_group(DEMO_GROUP_ID)
        .send()
        .await;
    assert_ne!(again.job_id(), first.job_id());
    assert_eq!(again.counts().already_existed, 120, "{again:?}");
    assert!(again.all_present());

    // The same job resumed (same id, same chunks, same tokens) gets its stored answers: the users
    // it created, with the same ids.
    let resumed = client
        .bulk_create_users(DEMO_NETWORK_ID)
        .users(input.clone())
        .default_security_group(DEMO_GROUP_ID)
        .job_id(first.job_id())
        .send()
        .await;
    assert_eq!(resumed.job_id(), first.job_id());
    for (a, b) in first.iter().zip(resumed.iter()) {
        assert_eq!(a, b);
    }

    // Different chunks of the same job have other tokens: existing usernames again.
    let rechunked = client
        .bulk_create_users(DEMO_NETWORK_ID)
        .users(input)
        .default_security_group(DEMO_GROUP_ID)
        .job_id(first.job_id())
        .chunk_size(7)
        .send()
        .await;
    assert_eq!(rechunked.counts().already_existed, 120, "{rechunked:?}");
    assert_eq!(user_count(&client).await, after_first);
}

#[tokio::test]
async fn bad_users_fail_alone_with_their_field() {
    let emu = emulator().await;
    let client = emu.client();
    let mut input = users("mixed", 10);
    // No security group and no default for this one user.
    input[2] = NewUser::new("nogroup@example.com");
    // Unknown security group: refused by the service, the others in its call are created.
    input[5] = NewUser::new("badgroup@example.com").security_group_id("NOSUCHGROUP");
    // Empty username: refused before sending.
    input[7] = NewUser::new("").security_group_id(DEMO_GROUP_ID);
    // Invite code TTL beyond what the service takes: the whole call is rejected, so the job
    // sends the rest again without this user.
    input[8] = NewUser::new("ttl@example.com")
        .security_group_id(DEMO_GROUP_ID)
        .invite_code_ttl(100_000);
    let with_default: Vec<NewUser> = input
        .into_iter()
        .enumerate()
        .map(|(i, u)| {
            if i == 2 || !u.security_group_ids().is_empty() {
                u
            } else {
                u.security_group_id(DEMO_GROUP_ID)
            }
        })
        .collect();
    let report = client
        .bulk_create_users(DEMO_NETWORK_ID)
        .users(with_default)
        .send()
        .await;
    assert_eq!(report.len(), 10);
    let field_of = |i: usize| match report.get(i) {
        Some(Outcome::Failed { field, .. }) => field.map(str::to_string),
        other => panic!("user {i} should have failed: {other:?}"),
    };
    assert_eq!(field_of(2).as_deref(), Some("securityGroupIds"));
    assert_eq!(field_of(5).as_deref(), Some("securityGroupIds"));
    assert_eq!(field_of(7).as_deref(), Some("username"));
    assert!(field_of(8).is_some_and(|f| f.contains("inviteCodeTtl")));
    assert_eq!(report.counts().created, 6, "{report:?}");
    assert_eq!(report.counts().failed, 4);
}

#[tokio::test]
async fn users_breaking_model_constraints_fail_alone_and_are_never_sent() {
    let emu = emulator().await;
    let client = emu.client();
    let mut input = users("pattern", 120);
    // A security group id with a space breaks the model's pattern; the client refuses the call
    // it is in before sending, and the job sends the others again without it.
    input[3] = NewUser::new("spaced@example.com").security_group_id("BAD GROUP");
    input[77] = NewUser::new("spaced2@example.com").security_group_id("ALSO BAD");
    let report = client
        .bulk_create_users(DEMO_NETWORK_ID)
        .users(input)
        .default_security_group(DEMO_GROUP_ID)
        .concurrency(2)
        .send()
        .await;
    assert_eq!(report.len(), 120);
    for i in [3, 77] {
        match report.get(i) {
            Some(Outcome::Failed { field, reason }) => {
                assert_eq!(field, Some("securityGroupIds[0]"));
                assert!(reason.contains("pattern"), "{reason}");
            }
            other => panic!("user {i} should have failed: {other:?}"),
        }
    }
    assert_eq!(report.counts().created, 118, "{report:?}");
    let names = usernames(&client).await;
    assert_eq!(names.len(), 119);
    assert!(!names.iter().any(|n| n.starts_with("spaced")));
}

#[tokio::test]
async fn unknown_network_stops_the_job_and_reports_every_user() {
    let emu = emulator().await;
    let client = emu.client();
    let report = client
        .bulk_create_users("87654321")
        .users(users("nonet", 300))
        .default_security_group(DEMO_GROUP_ID)
        .concurrency(2)
        .send()
        .await;
    assert_eq!(report.len(), 300);
    assert_eq!(report.counts().not_attempted, 300);
    assert!(report
        .stop_reason()
        .is_some_and(|r| r.contains("ResourceNotFoundError")));
    // The job stopped after the calls already running: no more than two were sent.
    assert!(report.stats().calls <= 2, "{report:?}");
}

#[tokio::test]
async fn invalid_network_id_sends_nothing() {
    let emu = emulator().await;
    let client = emu.client();
    let report = client
        .bulk_create_users("1234")
        .users(users("badnet", 5))
        .default_security_group(DEMO_GROUP_ID)
        .send()
        .await;
    assert_eq!(report.counts().not_attempted, 5);
    assert_eq!(report.stats().calls, 0);
    // Stopped, not cancelled: the whole input is read and reported.
    assert!(!report.stopped_reading());
    assert_eq!(report.len(), 5);
    assert!(report
        .stop_reason()
        .is_some_and(|r| r.contains("networkId")));
    match report.get(0) {
        Some(Outcome::NotAttempted { error }) => assert!(error.contains("networkId"), "{error}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn cancelling_reports_what_was_done_and_what_was_not() {
    let emu = emulator().await;
    let client = emu.client();
    let before = user_count(&client).await;
    let cancel = CancelToken::new();
    let trigger = cancel.clone();
    let report = client
        .bulk_create_users(DEMO_NETWORK_ID)
        .users(users("cancel", 1000))
        .default_security_group(DEMO_GROUP_ID)
        .concurrency(1)
        .cancel_token(cancel)
        .on_progress(move |p| {
            if p.counts.created >= 100 {
                trigger.cancel();
            }
        })
        .send()
        .await;
    assert!(report.cancelled());
    // The job stopped reading at the cancellation: the inputs it read have their outcomes, and
    // the report says the rest was not read.
    assert!(report.stopped_reading(), "{report:?}");
    let read = report.len() as u64;
    assert!(read < 1000, "{report:?}");
    let counts = report.counts();
    assert!(counts.created >= 100, "{counts:?}");
    assert_eq!(counts.created + counts.not_attempted, read);
    // What the report calls created is exactly what the network gained.
    assert_eq!(user_count(&client).await, before + counts.created as usize);
    // Created users come first, in input order; the rest read were not attempted.
    let first_missing = report
        .iter()
        .position(|o| matches!(o, Outcome::NotAttempted { .. }))
        .unwrap_or(report.len());
    assert!(report.iter().take(first_missing).all(|o| o.is_present()));
    assert!(report.iter().skip(first_missing).all(|o| !o.is_present()));
}

#[tokio::test]
async fn cancelling_a_job_over_an_endless_input_ends_it() {
    let emu = emulator().await;
    let client = emu.client();
    let cancel = CancelToken::new();
    let trigger = cancel.clone();
    let endless = (0u64..).map(|i| NewUser::new(format!("endless{i}@example.com")));
    let job = client
        .bulk_create_users(DEMO_NETWORK_ID)
        .users(endless)
        .default_security_group(DEMO_GROUP_ID)
        .concurrency(2)
        .cancel_token(cancel)
        .on_progress(move |p| {
            if p.counts.created >= 100 {
                trigger.cancel();
            }
        });
    // A job that read on to the end of its input would never return.
    let report = tokio::time::timeout(std::time::Duration::from_secs(60), job.send())
        .await
        .expect("the cancelled job ends");
    assert!(report.cancelled());
    assert!(report.stopped_reading(), "{report:?}");
    let counts = report.counts();
    assert!(counts.created >= 100, "{counts:?}");
    assert_eq!(counts.done(), report.len() as u64);
    assert!(
        format!("{report:?}").contains("stopped_reading: true"),
        "{report:?}"
    );
}

#[tokio::test]
async fn throttling_slows_the_job_down_without_losing_users() {
    let emu = Emulator::builder()
        .seed_demo_network(true)
        .rate_limit(10)
        .start()
        .await
        .expect("emulator starts");
    let client = emu.client();
    let report = client
        .bulk_create_users(DEMO_NETWORK_ID)
        .users(users("throttle", 1000))
        .default_security_group(DEMO_GROUP_ID)
        .concurrency(8)
        .send()
        .await;
    assert_eq!(report.counts().created, 1000, "{report:?}");
    assert!(report.stats().throttled > 0, "{report:?}");
    assert!(report.stats().min_concurrency < 8, "{report:?}");
    // Each throttled attempt was sent again: the job's attempts are its 20 chunks plus one per
    // throttled answer.
    assert_eq!(
        report.stats().calls,
        20 + report.stats().throttled,
        "{report:?}"
    );
    let names = usernames(&client).await;
    assert_eq!(names.len(), 1001);
}

#[tokio::test]
async fn faults_and_lost_responses_end_with_each_user_exactly_once() {
    let spec = "429=0.03,500=0.03,reset=0.03,lost=0.03"
        .parse()
        .expect("fault spec");
    let emu = Emulator::builder()
        .seed_demo_network(true)
        .faults(spec)
        .fault_seed(7)
        .start()
        .await
        .expect("emulator starts");
    let client = emu.client();
    let report = client
        .bulk_create_users(DEMO_NETWORK_ID)
        .users(users("faulty", 2000))
        .default_security_group(DEMO_GROUP_ID)
        .concurrency(4)
        .send()
        .await;
    assert_eq!(report.len(), 2000);
    assert_eq!(report.counts().created, 2000, "{report:?}");
    // The network has each user once (plus the seeded administrator).
    let names = usernames(&client).await;
    let unique: HashSet<&String> = names.iter().collect();
    assert_eq!(names.len(), 2001);
    assert_eq!(unique.len(), 2001);
}

#[tokio::test]
async fn repeated_usernames_in_the_input_are_created_once() {
    let emu = emulator().await;
    let client = emu.client();
    let input = vec![
        NewUser::new("dup@example.com"),
        NewUser::new("other@example.com"),
        NewUser::new("dup@example.com"),
    ];
    let report = client
        .bulk_create_users(DEMO_NETWORK_ID)
        .users(input)
        .default_security_group(DEMO_GROUP_ID)
        .concurrency(1)
        .send()
        .await;
    let outcomes: Vec<Outcome<'_>> = report.iter().collect();
    assert!(matches!(outcomes[0], Outcome::Created { .. }));
    assert!(matches!(outcomes[1], Outcome::Created { .. }));
    assert_eq!(outcomes[2], Outcome::AlreadyExisted { user_id: None });
    let names = usernames(&client).await;
    assert_eq!(names.iter().filter(|n| *n == "dup@example.com").count(), 1);
}

#[tokio::test]
async fn the_input_is_read_lazily() {
    let emu = emulator().await;
    let client = emu.client();
    let pulled = Arc::new(AtomicU64::new(0));
    let counter = pulled.clone();
    let input = (0..2000).map(move |i| {
        counter.fetch_add(1, Ordering::SeqCst);
        NewUser::new(format!("lazy{i}@example.com"))
    });
    // How far reading ran ahead of finished users, at its worst.
    let lead = Arc::new(AtomicU64::new(0));
    let (lead_seen, pulled_seen) = (lead.clone(), pulled.clone());
    let report = client
        .bulk_create_users(DEMO_NETWORK_ID)
        .users(input)
        .default_security_group(DEMO_GROUP_ID)
        .concurrency(2)
        .on_progress(move |p| {
            let ahead = pulled_seen.load(Ordering::SeqCst) - p.counts.done();
            lead_seen.fetch_max(ahead, Ordering::SeqCst);
        })
        .send()
        .await;
    assert_eq!(report.counts().created, 2000);
    assert_eq!(pulled.load(Ordering::SeqCst), 2000);
    // At most the calls in flight plus the chunk being cut: (2 + 1) x 50.
    let lead = lead.load(Ordering::SeqCst);
    assert!(lead <= 150, "read {lead} users ahead of the job");
    assert!(
        lead >= 50,
        "read only {lead} ahead: progress is not being reported"
    );
}
