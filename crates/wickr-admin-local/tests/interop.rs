//! Drives the emulator with the official `aws-sdk-wickr` client.

mod common;

use aws_sdk_wickr::types::{AccessLevel, BatchCreateUserRequestItem, SecurityGroupSettingsRequest};
use common::{sdk_client, start, start_demo};
use wickr_admin_local::{Emulator, DEMO_GROUP_ID, DEMO_NETWORK_ID};

fn user(name: &str, group: &str) -> BatchCreateUserRequestItem {
    BatchCreateUserRequestItem::builder()
        .username(name)
        .first_name("Test")
        .last_name("User")
        .security_group_ids(group)
        .build()
        .expect("username and securityGroupIds are set")
}

#[tokio::test]
async fn network_and_security_group_round_trip() {
    let emulator = start(Emulator::builder()).await;
    let client = sdk_client(&emulator);
    let created = client
        .create_network()
        .network_name("Engineering")
        .access_level(AccessLevel::Premium)
        .send()
        .await
        .unwrap();
    let network_id = created.network_id().unwrap().to_owned();
    assert_eq!(network_id.len(), 8);
    let got = client
        .get_network()
        .network_id(&network_id)
        .send()
        .await
        .unwrap();
    assert_eq!(got.network_name(), "Engineering");
    assert_eq!(got.access_level(), &AccessLevel::Premium);
    assert_eq!(
        got.network_arn(),
        format!("arn:aws:wickr:us-east-1:123456789012:network/{network_id}")
    );

    let group = client
        .create_security_group()
        .network_id(&network_id)
        .name("ops")
        .security_group_settings(
            SecurityGroupSettingsRequest::builder()
                .federation_mode(1)
                .lockout_threshold(10)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let sg = group.security_group().unwrap();
    assert_eq!(sg.name(), "ops");
    assert!(!sg.is_default());
    assert_eq!(
        sg.security_group_settings().unwrap().lockout_threshold(),
        Some(10)
    );

    let listed = client
        .list_security_groups()
        .network_id(&network_id)
        .send()
        .await
        .unwrap();
    let names: Vec<&str> = listed.security_groups().iter().map(|g| g.name()).collect();
    assert_eq!(names.len(), 2, "default group plus the new one: {names:?}");
    assert!(names.contains(&"ops"));
    emulator.shutdown().await;
}

#[tokio::test]
async fn user_lifecycle() {
    let emulator = start_demo().await;
    let client = sdk_client(&emulator);
    let out = client
        .batch_create_user()
        .network_id(DEMO_NETWORK_ID)
        .users(user("alice@example.com", DEMO_GROUP_ID))
        .users(user("bob@example.com", DEMO_GROUP_ID))
        .send()
        .await
        .unwrap();
    assert!(out.failed().is_empty(), "{:?}", out.failed());
    assert_eq!(out.successful().len(), 2);
    let alice = &out.successful()[0];
    assert_eq!(alice.username(), Some("alice@example.com"));
    assert_eq!(alice.status(), Some(1));
    assert_eq!(alice.is_invite_expired(), Some(false));
    assert!(alice.invite_code().is_some_and(|c| !c.is_empty()));
    let alice_id = alice.user_id().unwrap().to_owned();

    let got = client
        .get_user()
        .network_id(DEMO_NETWORK_ID)
        .user_id(&alice_id)
        .send()
        .await
        .unwrap();
    assert_eq!(got.username(), Some("alice@example.com"));
    assert_eq!(got.security_group_ids(), [DEMO_GROUP_ID.to_owned()]);

    let listed = client
        .list_users()
        .network_id(DEMO_NETWORK_ID)
        .status(1)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.users().len(), 2);
    emulator.shutdown().await;
}
