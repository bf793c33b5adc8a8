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

    // Update: new name and username; the old username becomes free.
    let updated = client
        .update_user()
        .network_id(DEMO_NETWORK_ID)
        .user_id(&alice_id)
        .user_details(
            aws_sdk_wickr::types::UpdateUserDetails::builder()
                .first_name("Alicia")
                .username("alicia@example.com")
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(updated.first_name(), Some("Alicia"));
    let by_name = client
        .list_users()
        .network_id(DEMO_NETWORK_ID)
        .username("alicia")
        .send()
        .await
        .unwrap();
    assert_eq!(by_name.users().len(), 1);
    assert_eq!(by_name.users()[0].user_id(), Some(alice_id.as_str()));

    // Suspend, then read it back.
    let toggled = client
        .batch_toggle_user_suspend_status()
        .network_id(DEMO_NETWORK_ID)
        .suspend(true)
        .user_ids(&alice_id)
        .user_ids("999999")
        .send()
        .await
        .unwrap();
    assert_eq!(toggled.successful().len(), 1);
    assert_eq!(toggled.failed()[0].user_id(), "999999");
    let got = client
        .get_user()
        .network_id(DEMO_NETWORK_ID)
        .user_id(&alice_id)
        .send()
        .await
        .unwrap();
    assert_eq!(got.suspended(), Some(true));

    // Re-invite issues a new code.
    let old_code = alice.invite_code().unwrap().to_owned();
    client
        .batch_reinvite_user()
        .network_id(DEMO_NETWORK_ID)
        .user_ids(&alice_id)
        .send()
        .await
        .unwrap();
    let listed = client
        .list_users()
        .network_id(DEMO_NETWORK_ID)
        .username("alicia")
        .send()
        .await
        .unwrap();
    assert_ne!(listed.users()[0].invite_code(), Some(old_code.as_str()));

    // Uname lookup.
    let uname = listed.users()[0].uname().unwrap().to_owned();
    let looked = client
        .batch_lookup_user_uname()
        .network_id(DEMO_NETWORK_ID)
        .unames(&uname)
        .unames("nope")
        .send()
        .await
        .unwrap();
    assert_eq!(looked.successful()[0].username(), "alicia@example.com");
    assert_eq!(looked.failed()[0].uname(), "nope");

    // Devices of the seeded admin: list, reset one, list again.
    let admin = emulator.demo_network().unwrap().admin_user_id.clone();
    let devices = client
        .list_devices_for_user()
        .network_id(DEMO_NETWORK_ID)
        .user_id(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(devices.devices().len(), 2);
    let app = devices.devices()[0].app_id().unwrap().to_owned();
    let reset = client
        .batch_reset_devices_for_user()
        .network_id(DEMO_NETWORK_ID)
        .user_id(&admin)
        .app_ids(&app)
        .app_ids("invalid-app-id")
        .send()
        .await
        .unwrap();
    assert_eq!(reset.successful().len(), 1);
    assert_eq!(reset.failed()[0].app_id(), "invalid-app-id");
    let devices = client
        .list_devices_for_user()
        .network_id(DEMO_NETWORK_ID)
        .user_id(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(devices.devices().len(), 1);

    // Delete, then it is gone and counts follow.
    let deleted = client
        .batch_delete_user()
        .network_id(DEMO_NETWORK_ID)
        .user_ids(&alice_id)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.successful()[0].user_id(), alice_id);
    let err = client
        .get_user()
        .network_id(DEMO_NETWORK_ID)
        .user_id(&alice_id)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_resource_not_found_error(), "{err:?}");
    let counts = client
        .get_users_count()
        .network_id(DEMO_NETWORK_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(
        (counts.pending(), counts.active(), counts.total()),
        (1, 1, 2)
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn bots_settings_and_network_configuration() {
    let emulator = start_demo().await;
    let client = sdk_client(&emulator);
    let bot = client
        .create_bot()
        .network_id(DEMO_NETWORK_ID)
        .username("reports_bot")
        .display_name("Reports")
        .group_id(DEMO_GROUP_ID)
        .challenge("s3cret-challenge")
        .send()
        .await
        .unwrap();
    let bot_id = bot.bot_id().to_owned();
    let err = client
        .create_bot()
        .network_id(DEMO_NETWORK_ID)
        .username("reports_bot")
        .group_id(DEMO_GROUP_ID)
        .challenge("x")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_validation_error(), "{err:?}");
    client
        .update_bot()
        .network_id(DEMO_NETWORK_ID)
        .bot_id(&bot_id)
        .suspend(true)
        .send()
        .await
        .unwrap();
    let got = client
        .get_bot()
        .network_id(DEMO_NETWORK_ID)
        .bot_id(&bot_id)
        .send()
        .await
        .unwrap();
    assert_eq!(got.suspended(), Some(true));
    assert_eq!(got.display_name(), Some("Reports"));
    let count = client
        .get_bots_count()
        .network_id(DEMO_NETWORK_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(count.total(), 1);
    let listed = client
        .list_bots()
        .network_id(DEMO_NETWORK_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.bots().len(), 1);
    client
        .delete_bot()
        .network_id(DEMO_NETWORK_ID)
        .bot_id(&bot_id)
        .send()
        .await
        .unwrap();

    let settings = client
        .update_network_settings()
        .network_id(DEMO_NETWORK_ID)
        .settings(
            aws_sdk_wickr::types::NetworkSettings::builder()
                .enable_client_metrics(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let metrics = settings
        .settings()
        .iter()
        .find(|s| s.option_name() == "enableClientMetrics")
        .unwrap();
    assert_eq!(metrics.value(), "true");

    client
        .create_data_retention_bot()
        .network_id(DEMO_NETWORK_ID)
        .send()
        .await
        .unwrap();
    client
        .update_data_retention()
        .network_id(DEMO_NETWORK_ID)
        .action_type(aws_sdk_wickr::types::DataRetentionActionType::Enable)
        .send()
        .await
        .unwrap();
    let retention = client
        .get_data_retention_bot()
        .network_id(DEMO_NETWORK_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(retention.bot_exists(), Some(true));
    assert_eq!(retention.is_data_retention_service_enabled(), Some(true));

    client
        .register_opentdf_config()
        .network_id(DEMO_NETWORK_ID)
        .client_id("tdf-client")
        .client_secret("tdf-secret")
        .domain("tdf.example.com")
        .provider("virtru")
        .send()
        .await
        .unwrap();
    let tdf = client
        .get_opentdf_config()
        .network_id(DEMO_NETWORK_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(tdf.domain(), "tdf.example.com");

    client
        .register_oidc_config()
        .network_id(DEMO_NETWORK_ID)
        .company_id("acme")
        .issuer("https://login.example.com")
        .scopes("openid email")
        .send()
        .await
        .unwrap();
    let oidc = client
        .get_oidc_info()
        .network_id(DEMO_NETWORK_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(
        oidc.openid_connect_info().map(|i| i.issuer()),
        Some("https://login.example.com")
    );

    let guests = client
        .list_guest_users()
        .network_id(DEMO_NETWORK_ID)
        .send()
        .await
        .unwrap();
    let hash = guests.guestlist()[0].username_hash().to_owned();
    client
        .update_guest_user()
        .network_id(DEMO_NETWORK_ID)
        .username_hash(&hash)
        .block(true)
        .send()
        .await
        .unwrap();
    let blocked = client
        .list_blocked_guest_users()
        .network_id(DEMO_NETWORK_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(blocked.blocklist()[0].username_hash(), hash);
    emulator.shutdown().await;
}

#[tokio::test]
async fn concurrent_clients_never_create_a_username_twice() {
    let emulator = start_demo().await;
    let client = sdk_client(&emulator);
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let users: Vec<_> = (0..25)
                .map(|i| user(&format!("shared{i}@example.com"), DEMO_GROUP_ID))
                .collect();
            client
                .batch_create_user()
                .network_id(DEMO_NETWORK_ID)
                .set_users(Some(users))
                .send()
                .await
                .unwrap()
        }));
    }
    let mut created = 0;
    let mut ids = std::collections::HashSet::new();
    for t in tasks {
        let out = t.await.unwrap();
        created += out.successful().len();
        for u in out.successful() {
            assert!(ids.insert(u.user_id().unwrap().to_owned()), "duplicate id");
        }
        assert_eq!(out.successful().len() + out.failed().len(), 25);
    }
    assert_eq!(
        created, 25,
        "each username is created by exactly one caller"
    );
    let counts = client
        .get_users_count()
        .network_id(DEMO_NETWORK_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(counts.total(), 26);
    emulator.shutdown().await;
}

#[tokio::test]
async fn the_library_hands_out_a_ready_wickr_admin_client() {
    let emulator = start_demo().await;
    let client = emulator.client();
    let network = client
        .get_network()
        .network_id(DEMO_NETWORK_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(network.network_name(), "Demo Network");
    emulator.shutdown().await;
}
