//! Page tokens belong to the listing that issued them: one from another operation, filter,
//! sort or emulator run, or one altered in any way, is a `ValidationError` naming `nextToken`.

mod common;

use aws_sdk_wickr::types::{BatchCreateUserRequestItem, SortDirection};
use common::{sdk_client, start_demo};
use wickr_admin_local::{DEMO_GROUP_ID, DEMO_NETWORK_ID};

const START: usize = 12;

fn assert_bad_token(err: aws_sdk_wickr::error::SdkError<impl std::error::Error + 'static>) {
    let raw = err.raw_response().map(|r| {
        (
            r.status().as_u16(),
            String::from_utf8_lossy(r.body().bytes().unwrap_or_default()).into_owned(),
        )
    });
    let (status, body) = raw.expect("an answer from the emulator");
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("\"field\":\"nextToken\""), "{body}");
}

#[tokio::test]
async fn tokens_from_another_listing_or_altered_are_validation_errors() {
    let emulator = start_demo().await;
    let client = sdk_client(&emulator);
    let mut create = client.batch_create_user().network_id(DEMO_NETWORK_ID);
    for i in 0..START {
        create = create.users(
            BatchCreateUserRequestItem::builder()
                .username(format!("user{i}@example.com"))
                .security_group_ids(DEMO_GROUP_ID)
                .build()
                .unwrap(),
        );
    }
    create.send().await.unwrap();
    let token = client
        .list_users()
        .network_id(DEMO_NETWORK_ID)
        .max_results(5)
        .send()
        .await
        .unwrap()
        .next_token()
        .expect("more than one page")
        .to_owned();

    // Another operation.
    let err = client
        .list_bots()
        .network_id(DEMO_NETWORK_ID)
        .next_token(&token)
        .send()
        .await
        .unwrap_err();
    assert_bad_token(err);
    // The same operation with another filter or sort.
    for call in [
        client.list_users().username("user"),
        client.list_users().sort_fields("username"),
        client.list_users().sort_direction(SortDirection::Asc),
    ] {
        let err = call
            .network_id(DEMO_NETWORK_ID)
            .next_token(&token)
            .send()
            .await
            .unwrap_err();
        assert_bad_token(err);
    }
    // Another emulator's token for the same listing.
    let other = start_demo().await;
    let err = sdk_client(&other)
        .list_users()
        .network_id(DEMO_NETWORK_ID)
        .next_token(&token)
        .send()
        .await
        .unwrap_err();
    assert_bad_token(err);
    // Altered, truncated, or not a token at all.
    let mut altered = token.clone().into_bytes();
    altered[0] = if altered[0] == b'0' { b'1' } else { b'0' };
    for bad in [
        String::from_utf8(altered).unwrap(),
        token[..token.len() - 1].to_owned(),
        "v1:pagination:0000000000000005".to_owned(),
        "x".repeat(20_000),
        "\u{fffd}.\u{0}".to_owned(),
    ] {
        let err = client
            .list_users()
            .network_id(DEMO_NETWORK_ID)
            .next_token(bad)
            .send()
            .await
            .unwrap_err();
        assert_bad_token(err);
    }
    // The page size may change between pages.
    let out = client
        .list_users()
        .network_id(DEMO_NETWORK_ID)
        .max_results(2)
        .next_token(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(out.users().len(), 2);
}
