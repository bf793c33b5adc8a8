//! User-action jobs (delete, suspend, unsuspend, re-invite, reset devices) and update jobs against
//! the emulator over real HTTP on 127.0.0.1: the same engine as create, the same guarantees.

use std::collections::{HashMap, HashSet};

use wickr_admin::bulk::{ActionOutcome, NewUser, UserAction, UserUpdate};
use wickr_admin::types::User;
use wickr_admin::Client;
use wickr_admin_local::{Emulator, RunningEmulator, DEMO_GROUP_ID, DEMO_NETWORK_ID};

async fn emulator() -> RunningEmulator {
    Emulator::builder()
        .seed_demo_network(true)
        .start()
        .await
        .expect("emulator starts")
}

/// Every user of the demo network, by username.
async fn network_users(client: &Client) -> HashMap<String, User> {
    let mut all = HashMap::new();
    let mut pages = client
        .list_users()
        .network_id(DEMO_NETWORK_ID)
        .max_results(100)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        for user in page.expect("list users").users() {
            all.insert(
                user.username().unwrap_or_default().to_string(),
                user.clone(),
            );
        }
    }
    all
}

/// Creates `n` users and returns their ids in order.
async fn create(client: &Client, prefix: &str, n: usize) -> Vec<String> {
    let report = client
        .bulk_create_users(DEMO_NETWORK_ID)
        .users((0..n).map(|i| NewUser::new(format!("{prefix}{i}@example.com")).first_name("F")))
        .default_security_group(DEMO_GROUP_ID)
        .send()
        .await;
    assert_eq!(report.counts().created, n as u64, "{report:?}");
    report
        .iter()
        .map(|o| match o {
            wickr_admin::bulk::Outcome::Created {
                user_id: Some(id), ..
            } => id.to_string(),
            other => panic!("{other:?}"),
        })
        .collect()
}

#[tokio::test]
async fn deleting_twice_reports_the_second_time_as_not_found_not_as_a_failure() {
    let emu = emulator().await;
    let client = emu.client();
    let ids = create(&client, "gone", 120).await;
    let first = client
        .bulk_user_action(DEMO_NETWORK_ID, UserAction::Delete)
        .user_ids(ids.clone())
        .concurrency(3)
        .send()
        .await;
    assert_eq!(first.len(), 120);
    assert_eq!(first.counts().applied, 120, "{first:?}");
    assert!(first.stats().calls >= 3, "50 per call: {first:?}");
    assert_eq!(
        network_users(&client).await.len(),
        1,
        "the administrator alone"
    );

    // A new job over the same ids: the users are gone, and the report says so.
    let second = client
        .bulk_user_action(DEMO_NETWORK_ID, UserAction::Delete)
        .user_ids(ids)
        .send()
        .await;
    assert_eq!(second.counts().not_found, 120, "{second:?}");
    assert_eq!(second.counts().failed, 0);
    assert!(second.iter().all(|o| o == ActionOutcome::NotFound));
}

#[tokio::test]
async fn suspend_unsuspend_and_reinvite_change_what_they_say() {
    let emu = emulator().await;
    let client = emu.client();
    let ids = create(&client, "s", 60).await;
    let admin = emu.demo_network().unwrap().admin_user_id.clone();
    let suspended = client
        .bulk_user_action(DEMO_NETWORK_ID, UserAction::Suspend)
        .user_ids(ids[..30].to_vec())
        .send()
        .await;
    assert_eq!(suspended.counts().applied, 30, "{suspended:?}");
    let users = network_users(&client).await;
    for i in 0..60 {
        let user = &users[&format!("s{i}@example.com")];
        assert_eq!(user.suspended(), Some(i < 30), "user {i}");
    }
    let lifted = client
        .bulk_user_action(DEMO_NETWORK_ID, UserAction::Unsuspend)
        .user_ids(ids[..10].to_vec())
        .send()
        .await;
    assert_eq!(lifted.counts().applied, 10);
    let users = network_users(&client).await;
    assert_eq!(
        users
            .values()
            .filter(|u| u.suspended() == Some(true))
            .count(),
        20
    );

    // Re-inviting: pending users get a new invitation; the active administrator is refused,
    // alone, with the service's reason; an id nobody has is not found.
    let before = network_users(&client).await["s40@example.com"]
        .invite_code()
        .map(str::to_string);
    let reinvited = client
        .bulk_user_action(DEMO_NETWORK_ID, UserAction::Reinvite)
        .user_ids(vec![ids[40].clone(), admin, "999999".to_string()])
        .send()
        .await;
    let outcomes: Vec<ActionOutcome<'_>> = reinvited.iter().collect();
    assert_eq!(outcomes[0], ActionOutcome::Applied { detail: None });
    assert!(
        matches!(outcomes[1], ActionOutcome::Failed { reason, .. } if reason.contains("accepted")),
        "{outcomes:?}"
    );
    assert_eq!(outcomes[2], ActionOutcome::NotFound);
    let after = network_users(&client).await["s40@example.com"]
        .invite_code()
        .map(str::to_string);
    assert_ne!(before, after, "a new invite code");
}

#[tokio::test]
async fn bad_ids_fail_alone_and_are_never_sent() {
    let emu = emulator().await;
    let client = emu.client();
    let ids = create(&client, "b", 3).await;
    let report = client
        .bulk_user_action(DEMO_NETWORK_ID, UserAction::Suspend)
        .user_ids(vec![ids[0].clone(), "12ab".into(), ids[1].clone()])
        .send()
        .await;
    let outcomes: Vec<ActionOutcome<'_>> = report.iter().collect();
    assert!(
        matches!(outcomes[1], ActionOutcome::Failed { field: Some("userId"), reason } if reason.contains("not a user id")),
        "{outcomes:?}"
    );
    assert_eq!(report.counts().applied, 2);
    assert_eq!(report.stats().calls, 1);
}

#[tokio::test]
async fn resetting_devices_signs_each_user_out_of_all_of_them() {
    let emu = emulator().await;
    let client = emu.client();
    let ids = create(&client, "d", 3).await;
    for (i, id) in ids.iter().enumerate() {
        let user: u64 = id.parse().unwrap();
        for kind in ["mobile", "desktop", "web"].iter().take(i) {
            emu.backend()
                .register_device(DEMO_NETWORK_ID, user, kind)
                .unwrap();
        }
    }
    let report = client
        .bulk_user_action(DEMO_NETWORK_ID, UserAction::ResetDevices)
        .user_ids(ids.iter().cloned().chain(["424242".to_string()]))
        .send()
        .await;
    let outcomes: Vec<ActionOutcome<'_>> = report.iter().collect();
    assert_eq!(
        outcomes,
        vec![
            ActionOutcome::Applied {
                detail: Some("0 of 0 devices reset")
            },
            ActionOutcome::Applied {
                detail: Some("1 of 1 devices reset")
            },
            ActionOutcome::Applied {
                detail: Some("2 of 2 devices reset")
            },
            ActionOutcome::NotFound,
        ]
    );
    for id in &ids {
        let devices = client
            .list_devices_for_user()
            .network_id(DEMO_NETWORK_ID)
            .user_id(id)
            .send()
            .await
            .unwrap();
        assert!(devices.devices().is_empty());
    }
}

#[tokio::test]
async fn updates_change_names_and_groups_and_a_missing_user_is_not_found() {
    let emu = emulator().await;
    let client = emu.client();
    let ids = create(&client, "u", 2).await;
    let group = client
        .create_security_group()
        .network_id(DEMO_NETWORK_ID)
        .name("Staff")
        .security_group_settings(
            wickr_admin::types::SecurityGroupSettingsRequest::builder().build(),
        )
        .send()
        .await
        .expect("group")
        .security_group()
        .expect("the answer names the new group")
        .id()
        .to_string();
    let report = client
        .bulk_update_users(DEMO_NETWORK_ID)
        .updates(vec![
            UserUpdate::new(ids[0].clone())
                .first_name("Ada")
                .last_name("Lovelace"),
            UserUpdate::new(ids[1].clone()).security_group_id(group.clone()),
            UserUpdate::new("777777").first_name("Nobody"),
            UserUpdate::new(ids[1].clone()).security_group_id("NoSuchGp"),
        ])
        .send()
        .await;
    let outcomes: Vec<ActionOutcome<'_>> = report.iter().collect();
    assert_eq!(outcomes[0], ActionOutcome::Applied { detail: None });
    assert_eq!(outcomes[1], ActionOutcome::Applied { detail: None });
    assert_eq!(outcomes[2], ActionOutcome::NotFound);
    assert!(
        matches!(outcomes[3], ActionOutcome::Failed { reason, .. } if reason.contains("not found")),
        "{outcomes:?}"
    );
    let users = network_users(&client).await;
    assert_eq!(users["u0@example.com"].first_name(), Some("Ada"));
    assert_eq!(users["u0@example.com"].last_name(), Some("Lovelace"));
    assert_eq!(users["u1@example.com"].security_groups(), [group]);
}

#[tokio::test]
async fn deleting_through_faults_removes_each_user_once_and_reports_every_one_truthfully() {
    let spec = "429=0.03,500=0.03,reset=0.03,lost=0.03"
        .parse()
        .expect("fault spec");
    let faulty = Emulator::builder()
        .seed_demo_network(true)
        .faults(spec)
        .fault_seed(11)
        .start()
        .await
        .expect("emulator starts");
    let client = faulty.client();
    let ids = create(&client, "f", 1000).await;
    let keep_names: HashSet<String> = (900..1000).map(|i| format!("f{i}@example.com")).collect();
    let report = client
        .bulk_user_action(DEMO_NETWORK_ID, UserAction::Delete)
        .user_ids(ids[..900].to_vec())
        .concurrency(4)
        .send()
        .await;
    assert_eq!(report.len(), 900);
    let counts = report.counts();
    // Every row is deleted by this job, or found gone (a lost answer whose retry met the deletion
    // already applied), and nothing else.
    assert_eq!(counts.applied + counts.not_found, 900, "{report:?}");
    assert_eq!(counts.failed + counts.unknown + counts.not_attempted, 0);
    let left: HashSet<String> = network_users(&client)
        .await
        .into_keys()
        .filter(|n| n != "admin@example.com")
        .collect();
    assert_eq!(left, keep_names, "exactly the planned users are gone");
    assert!(faulty.faults_injected().lost > 0, "faults were injected");
}

#[tokio::test]
async fn a_user_with_more_devices_than_one_call_takes_has_them_all_reset() {
    let emu = emulator().await;
    let client = emu.client();
    let ids = create(&client, "many-devices", 1).await;
    let user: u64 = ids[0].parse().unwrap();
    for _ in 0..120 {
        emu.backend()
            .register_device(DEMO_NETWORK_ID, user, "mobile")
            .unwrap();
    }
    let report = client
        .bulk_user_action(DEMO_NETWORK_ID, UserAction::ResetDevices)
        .user_ids(ids.clone())
        .send()
        .await;
    let outcomes: Vec<ActionOutcome<'_>> = report.iter().collect();
    assert_eq!(
        outcomes,
        vec![ActionOutcome::Applied {
            detail: Some("120 of 120 devices reset")
        }]
    );
    let devices = client
        .list_devices_for_user()
        .network_id(DEMO_NETWORK_ID)
        .user_id(&ids[0])
        .send()
        .await
        .unwrap();
    assert!(devices.devices().is_empty());
}
