//! BatchCreateUser through the official client: modeled errors, partial failures, idempotent
//! replay, and paginated listing of what was created.

mod common;

use aws_sdk_wickr::operation::batch_create_user::BatchCreateUserError;
use aws_sdk_wickr::types::BatchCreateUserRequestItem;
use common::{raw_request, sdk_client, start, start_demo, Signing};
use wickr_admin_local::{Emulator, DEMO_GROUP_ID, DEMO_NETWORK_ID};

fn item(name: &str, groups: &[&str]) -> BatchCreateUserRequestItem {
    let mut b = BatchCreateUserRequestItem::builder().username(name);
    for g in groups {
        b = b.security_group_ids(*g);
    }
    b.build().expect("username and securityGroupIds are set")
}

async fn user_count(client: &aws_sdk_wickr::Client) -> i32 {
    client
        .get_users_count()
        .network_id(DEMO_NETWORK_ID)
        .send()
        .await
        .unwrap()
        .total()
}

#[tokio::test]
async fn unknown_network_is_resource_not_found() {
    let emulator = start_demo().await;
    let client = sdk_client(&emulator);
    let err = client
        .batch_create_user()
        .network_id("87654321")
        .users(item("a@example.com", &[DEMO_GROUP_ID]))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        matches!(err, BatchCreateUserError::ResourceNotFoundError(_)),
        "{err:?}"
    );
}

#[tokio::test]
async fn empty_and_oversized_batches_are_validation_errors() {
    let emulator = start_demo().await;
    let client = sdk_client(&emulator);
    let err = client
        .batch_create_user()
        .network_id(DEMO_NETWORK_ID)
        .set_users(Some(vec![]))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    let BatchCreateUserError::ValidationError(v) = err else {
        panic!("expected ValidationError, got {err:?}");
    };
    assert_eq!(v.reasons()[0].field(), Some("users"));

    let many: Vec<_> = (0..51)
        .map(|i| item(&format!("u{i}@example.com"), &[DEMO_GROUP_ID]))
        .collect();
    let err = client
        .batch_create_user()
        .network_id(DEMO_NETWORK_ID)
        .set_users(Some(many))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    let BatchCreateUserError::ValidationError(v) = err else {
        panic!("expected ValidationError, got {err:?}");
    };
    assert_eq!(v.reasons()[0].field(), Some("users"));
    assert_eq!(user_count(&client).await, 1, "only the seeded admin exists");
}

#[tokio::test]
async fn constraint_violations_name_each_field() {
    let emulator = start_demo().await;
    let body = serde_json::json!({"users": [
        {"username": "ok@example.com", "securityGroupIds": [DEMO_GROUP_ID]},
        {"securityGroupIds": [DEMO_GROUP_ID]},
        {"username": "x@example.com", "securityGroupIds": ["has space"]},
        {"username": 7, "securityGroupIds": [DEMO_GROUP_ID], "inviteCodeTtl": 0},
    ]});
    let body = serde_json::to_vec(&body).unwrap();
    let path = format!("/networks/{DEMO_NETWORK_ID}/users");
    let r = raw_request(
        &emulator,
        "POST",
        &path,
        &body,
        Some(Signing::default_key()),
    )
    .await
    .unwrap();
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.header("x-amzn-errortype"), Some("ValidationError"));
    let fields: Vec<String> = r.json()["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        fields,
        [
            "users[1].username",
            "users[2].securityGroupIds[0]",
            "users[3].username",
            "users[3].inviteCodeTtl"
        ]
    );
    let client = sdk_client(&emulator);
    assert_eq!(
        user_count(&client).await,
        1,
        "a rejected batch creates nobody"
    );
}

#[tokio::test]
async fn per_user_failures_in_request_order_while_others_are_created() {
    let emulator = start_demo().await;
    let client = sdk_client(&emulator);
    let out = client
        .batch_create_user()
        .network_id(DEMO_NETWORK_ID)
        .users(item("new1@example.com", &[DEMO_GROUP_ID]))
        .users(item("admin@example.com", &[DEMO_GROUP_ID])) // exists (seeded)
        .users(item("new1@example.com", &[DEMO_GROUP_ID])) // repeated in the batch
        .users(item("new2@example.com", &["NOPE1234"])) // unknown group
        .users(item("new3@example.com", &[DEMO_GROUP_ID, DEMO_GROUP_ID])) // two groups
        .users(item("new4@example.com", &[DEMO_GROUP_ID]))
        .send()
        .await
        .unwrap();
    let created: Vec<&str> = out
        .successful()
        .iter()
        .filter_map(|u| u.username())
        .collect();
    assert_eq!(created, ["new1@example.com", "new4@example.com"]);
    let failed: Vec<(Option<&str>, &str)> = out
        .failed()
        .iter()
        .map(|f| (f.field(), f.user_id()))
        .collect();
    assert_eq!(
        failed,
        [
            (Some("username"), "0"),
            (Some("username"), "0"),
            (Some("securityGroupIds"), "0"),
            (Some("securityGroupIds"), "0"),
        ]
    );
    assert_eq!(out.failed()[0].reason(), Some("User already exists"));
    for u in out.successful() {
        assert_eq!(u.status(), Some(1));
        assert_eq!(u.is_invite_expired(), Some(false));
        assert_eq!(u.code_validation(), Some(false));
        assert!(u.invite_code().is_some_and(|c| c.len() >= 6));
        assert!(u
            .user_id()
            .is_some_and(|id| id.chars().all(|c| c.is_ascii_digit())));
        assert_eq!(u.security_groups(), [DEMO_GROUP_ID.to_owned()]);
    }
    assert_eq!(user_count(&client).await, 3);
}

#[tokio::test]
async fn invite_fields_need_a_preview_network() {
    let emulator = start(Emulator::builder()).await;
    let client = sdk_client(&emulator);
    let network = client
        .create_network()
        .network_name("plain")
        .access_level(aws_sdk_wickr::types::AccessLevel::Standard)
        .send()
        .await
        .unwrap();
    let nid = network.network_id().unwrap();
    let groups = client
        .list_security_groups()
        .network_id(nid)
        .send()
        .await
        .unwrap();
    let gid = groups.security_groups()[0].id().to_owned();
    let with_code = BatchCreateUserRequestItem::builder()
        .username("coded@example.com")
        .security_group_ids(&gid)
        .invite_code("INVITE123")
        .build()
        .unwrap();
    let out = client
        .batch_create_user()
        .network_id(nid)
        .users(with_code)
        .users(item("plain@example.com", &[&gid]))
        .send()
        .await
        .unwrap();
    assert_eq!(out.successful().len(), 1);
    assert_eq!(out.failed()[0].field(), Some("inviteCode"));

    // The demo network is in preview: the given code is kept.
    let demo = start_demo().await;
    let client = sdk_client(&demo);
    let with_code = BatchCreateUserRequestItem::builder()
        .username("coded@example.com")
        .security_group_ids(DEMO_GROUP_ID)
        .invite_code("INVITE123")
        .code_validation(true)
        .build()
        .unwrap();
    let out = client
        .batch_create_user()
        .network_id(DEMO_NETWORK_ID)
        .users(with_code)
        .send()
        .await
        .unwrap();
    assert_eq!(out.successful()[0].invite_code(), Some("INVITE123"));
    assert_eq!(out.successful()[0].code_validation(), Some(true));
}

#[tokio::test]
async fn same_token_replays_and_different_request_is_bad_request() {
    let emulator = start_demo().await;
    let client = sdk_client(&emulator);
    let send = |name: &'static str| {
        client
            .batch_create_user()
            .network_id(DEMO_NETWORK_ID)
            .client_token("token-1")
            .users(item(name, &[DEMO_GROUP_ID]))
            .send()
    };
    let first = send("once@example.com").await.unwrap();
    let again = send("once@example.com").await.unwrap();
    assert_eq!(
        first.successful()[0].user_id(),
        again.successful()[0].user_id()
    );
    assert!(
        again.failed().is_empty(),
        "the replay must not report a duplicate"
    );
    assert_eq!(user_count(&client).await, 2);

    let err = send("other@example.com")
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        matches!(err, BatchCreateUserError::BadRequestError(_)),
        "{err:?}"
    );
    assert_eq!(user_count(&client).await, 2);
}

#[tokio::test]
async fn paginated_listing_returns_every_user_once() {
    let emulator = start_demo().await;
    let client = sdk_client(&emulator);
    for batch in 0..3 {
        let users: Vec<_> = (0..20)
            .map(|i| item(&format!("p{batch}-{i:02}@example.com"), &[DEMO_GROUP_ID]))
            .collect();
        client
            .batch_create_user()
            .network_id(DEMO_NETWORK_ID)
            .set_users(Some(users))
            .send()
            .await
            .unwrap();
    }
    let mut names = Vec::new();
    let mut pages = client
        .list_users()
        .network_id(DEMO_NETWORK_ID)
        .max_results(7)
        .sort_fields("username")
        .sort_direction(aws_sdk_wickr::types::SortDirection::Asc)
        .into_paginator()
        .send();
    let mut page_count = 0;
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        page_count += 1;
        names.extend(
            page.users()
                .iter()
                .filter_map(|u| u.username().map(str::to_owned)),
        );
    }
    assert_eq!(names.len(), 61);
    assert_eq!(page_count, 9);
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    sorted.dedup();
    assert_eq!(sorted.len(), 61);
}
