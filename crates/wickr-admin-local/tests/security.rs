//! Signature verification and permissions: every bad credential gets the modeled error and
//! changes nothing.

mod common;

use common::{raw_request, sdk_client, sdk_client_with, start, start_demo, Signing};
use std::time::{Duration, SystemTime};
use wickr_admin_local::{Emulator, DEFAULT_ACCESS_KEY_ID, DEMO_GROUP_ID, DEMO_NETWORK_ID};

fn create_body(name: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "users": [{"username": name, "securityGroupIds": [DEMO_GROUP_ID]}]
    }))
    .unwrap()
}

async fn total_users(emulator: &wickr_admin_local::RunningEmulator) -> i32 {
    sdk_client(emulator)
        .get_users_count()
        .network_id(DEMO_NETWORK_ID)
        .send()
        .await
        .unwrap()
        .total()
}

fn path() -> String {
    format!("/networks/{DEMO_NETWORK_ID}/users")
}

async fn assert_unauthorized(r: common::RawResponse) {
    assert_eq!(r.status, 401, "{}", r.body);
    assert_eq!(r.header("x-amzn-errortype"), Some("UnauthorizedError"));
    assert!(r.json()["message"].as_str().is_some_and(|m| !m.is_empty()));
}

#[tokio::test]
async fn a_correctly_signed_raw_request_is_accepted() {
    let emulator = start_demo().await;
    let r = raw_request(
        &emulator,
        "POST",
        &path(),
        &create_body("ok@example.com"),
        Some(Signing::default_key()),
    )
    .await
    .unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(total_users(&emulator).await, 2);
}

#[tokio::test]
async fn unsigned_request_is_unauthorized() {
    let emulator = start_demo().await;
    let r = raw_request(
        &emulator,
        "POST",
        &path(),
        &create_body("x@example.com"),
        None,
    )
    .await
    .unwrap();
    assert_unauthorized(r).await;
    assert_eq!(total_users(&emulator).await, 1);
}

#[tokio::test]
async fn wrong_secret_is_unauthorized() {
    let emulator = start_demo().await;
    let client = sdk_client_with(&emulator, DEFAULT_ACCESS_KEY_ID, "not-the-secret");
    let err = client
        .batch_create_user()
        .network_id(DEMO_NETWORK_ID)
        .users(
            aws_sdk_wickr::types::BatchCreateUserRequestItem::builder()
                .username("x@example.com")
                .security_group_ids(DEMO_GROUP_ID)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_unauthorized_error(), "{err:?}");
    assert_eq!(total_users(&emulator).await, 1);
}

#[tokio::test]
async fn unknown_key_is_unauthorized() {
    let emulator = start_demo().await;
    let signing = Signing {
        key_id: "AKIDUNKNOWN",
        ..Signing::default_key()
    };
    let r = raw_request(
        &emulator,
        "POST",
        &path(),
        &create_body("x@example.com"),
        Some(signing),
    )
    .await
    .unwrap();
    assert_unauthorized(r).await;
    assert_eq!(total_users(&emulator).await, 1);
}

#[tokio::test]
async fn tampered_body_is_unauthorized() {
    let emulator = start_demo().await;
    let signed = create_body("signed@example.com");
    let signing = Signing {
        signed_body: Some(&signed),
        ..Signing::default_key()
    };
    let r = raw_request(
        &emulator,
        "POST",
        &path(),
        &create_body("evil@example.com"),
        Some(signing),
    )
    .await
    .unwrap();
    assert_unauthorized(r).await;
    assert_eq!(total_users(&emulator).await, 1);
}

#[tokio::test]
async fn signed_header_changed_after_signing_is_unauthorized_and_changes_nothing() {
    let emulator = start_demo().await;
    let json = ("content-type", "application/json");
    // Control: the same helper with unchanged headers is accepted, so a 401 below comes from
    // the change alone.
    let ok = common::raw_request_header_changed(
        &emulator,
        "POST",
        &path(),
        &create_body("control@example.com"),
        &[json, ("x-client-token", "token-control")],
        &[json, ("x-client-token", "token-control")],
    )
    .await
    .unwrap();
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(total_users(&emulator).await, 2);

    // X-Client-Token changed after signing.
    let r = common::raw_request_header_changed(
        &emulator,
        "POST",
        &path(),
        &create_body("token@example.com"),
        &[json, ("x-client-token", "token-signed")],
        &[json, ("x-client-token", "token-sent")],
    )
    .await
    .unwrap();
    assert_unauthorized(r).await;
    assert_eq!(total_users(&emulator).await, 2);

    // Content-Type changed after signing.
    let r = common::raw_request_header_changed(
        &emulator,
        "POST",
        &path(),
        &create_body("ctype@example.com"),
        &[json, ("x-client-token", "token-ctype")],
        &[
            ("content-type", "text/plain"),
            ("x-client-token", "token-ctype"),
        ],
    )
    .await
    .unwrap();
    assert_unauthorized(r).await;
    assert_eq!(total_users(&emulator).await, 2);

    // Neither refused token was stored: used now with another request, each is a first use
    // (a stored token with a different request would be BadRequestError).
    for (token, name) in [
        ("token-sent", "after-sent@example.com"),
        ("token-ctype", "after-ctype@example.com"),
    ] {
        let r = common::raw_request_header_changed(
            &emulator,
            "POST",
            &path(),
            &create_body(name),
            &[json, ("x-client-token", token)],
            &[json, ("x-client-token", token)],
        )
        .await
        .unwrap();
        assert_eq!(r.status, 200, "{token}: {}", r.body);
        assert_eq!(r.json()["successful"][0]["username"], name);
    }
    assert_eq!(total_users(&emulator).await, 4);
}

#[tokio::test]
async fn stale_and_future_dates_are_unauthorized() {
    let emulator = start_demo().await;
    for time in [
        SystemTime::now() - Duration::from_secs(16 * 60),
        SystemTime::now() + Duration::from_secs(16 * 60),
    ] {
        let signing = Signing {
            time,
            ..Signing::default_key()
        };
        let r = raw_request(
            &emulator,
            "POST",
            &path(),
            &create_body("late@example.com"),
            Some(signing),
        )
        .await
        .unwrap();
        assert_unauthorized(r).await;
    }
    // Within the window is fine.
    let signing = Signing {
        time: SystemTime::now() - Duration::from_secs(10 * 60),
        ..Signing::default_key()
    };
    let r = raw_request(
        &emulator,
        "POST",
        &path(),
        &create_body("ontime@example.com"),
        Some(signing),
    )
    .await
    .unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(total_users(&emulator).await, 2);
}

#[tokio::test]
async fn tampered_query_is_unauthorized() {
    let emulator = start_demo().await;
    // Sign a GET for one page size, send another: the signature covers the query.
    let signed_path = format!("/networks/{DEMO_NETWORK_ID}/users?maxResults=5");
    let sent_path = format!("/networks/{DEMO_NETWORK_ID}/users?maxResults=50");
    let ok = raw_request(
        &emulator,
        "GET",
        &signed_path,
        b"",
        Some(Signing::default_key()),
    )
    .await
    .unwrap();
    assert_eq!(ok.status, 200, "{}", ok.body);
    // Re-sign for signed_path but send sent_path by signing a different request line.
    let r = common::raw_request_signed_as(&emulator, "GET", &sent_path, &signed_path, b"")
        .await
        .unwrap();
    assert_unauthorized(r).await;
}

#[tokio::test]
async fn a_key_id_given_twice_is_refused_at_start() {
    for builder in [
        Emulator::builder()
            .access_key("AKIDTWICE", "first-secret")
            .read_only_key("AKIDTWICE", "second-secret"),
        Emulator::builder()
            .access_key("AKIDTWICE", "first-secret")
            .access_key("AKIDTWICE", "second-secret"),
    ] {
        let err = builder
            .start()
            .await
            .expect_err("a repeated key id is an error");
        let message = err.to_string();
        assert!(message.contains("`AKIDTWICE`"), "{message}");
        assert!(!message.contains("first-secret"), "{message}");
        assert!(!message.contains("second-secret"), "{message}");
    }
    // Distinct ids start fine.
    let ok = Emulator::builder()
        .access_key("AKIDONE", "s1")
        .read_only_key("AKIDTWO", "s2")
        .start()
        .await
        .unwrap();
    assert_eq!(ok.access_keys().len(), 2);
}

#[tokio::test]
async fn read_only_key_reads_but_cannot_write() {
    let emulator = start(
        Emulator::builder()
            .seed_demo_network(true)
            .access_key("AKIDWRITER", "writer-secret")
            .read_only_key("AKIDREADER", "reader-secret"),
    )
    .await;
    let reader = sdk_client_with(&emulator, "AKIDREADER", "reader-secret");
    let network = reader
        .get_network()
        .network_id(DEMO_NETWORK_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(network.network_name(), "Demo Network");
    let err = reader
        .create_network()
        .network_name("nope")
        .access_level(aws_sdk_wickr::types::AccessLevel::Standard)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_forbidden_error(), "{err:?}");
    let listed = reader.list_networks().send().await.unwrap();
    assert_eq!(
        listed.networks().len(),
        1,
        "the forbidden create changed nothing"
    );

    // The documented default key is not accepted once keys are configured.
    let default = sdk_client(&emulator);
    let err = default
        .list_networks()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_unauthorized_error(), "{err:?}");
}
