//! Idempotency token lifetime: tokens are remembered 24 hours (checked with a manual clock, no
//! waiting), and a configured memory cap forgets the oldest tokens first, even before 24 hours.

mod common;

use aws_sdk_wickr::types::BatchCreateUserRequestItem;
use common::{sdk_client, start};
use std::sync::Arc;
use std::time::Duration;
use wickr_admin_local::{Emulator, ManualClock, RunningEmulator, DEMO_GROUP_ID, DEMO_NETWORK_ID};

/// What a BatchCreateUser call with `token` creating `username` gave.
#[derive(Debug, PartialEq)]
enum Outcome {
    /// Created (or replayed) a user with this id.
    Created(String),
    /// `BadRequestError`: the token was already used with another request.
    TokenReused,
}

async fn create(emulator: &RunningEmulator, token: &str, username: &str) -> Outcome {
    let result = sdk_client(emulator)
        .batch_create_user()
        .network_id(DEMO_NETWORK_ID)
        .client_token(token)
        .users(
            BatchCreateUserRequestItem::builder()
                .username(username)
                .security_group_ids(DEMO_GROUP_ID)
                .build()
                .unwrap(),
        )
        .send()
        .await;
    match result {
        Ok(out) => {
            assert!(out.failed().is_empty(), "{token}: {:?}", out.failed());
            assert_eq!(out.successful().len(), 1, "{token}");
            assert_eq!(out.successful()[0].username(), Some(username));
            Outcome::Created(out.successful()[0].user_id().unwrap_or_default().to_owned())
        }
        Err(e) => {
            let e = e.into_service_error();
            assert!(e.is_bad_request_error(), "{token}: {e:?}");
            Outcome::TokenReused
        }
    }
}

async fn total_users(emulator: &RunningEmulator) -> i32 {
    sdk_client(emulator)
        .get_users_count()
        .network_id(DEMO_NETWORK_ID)
        .send()
        .await
        .unwrap()
        .total()
}

#[tokio::test]
async fn tokens_are_remembered_24_hours_then_forgotten() {
    let clock = Arc::new(ManualClock::new());
    let emulator = start(
        Emulator::builder()
            .seed_demo_network(true)
            .clock(clock.clone()),
    )
    .await;
    let Outcome::Created(first_id) = create(&emulator, "day-token", "first@example.com").await
    else {
        panic!("the first use of a token runs the request");
    };
    assert_eq!(
        create(&emulator, "day-token", "second@example.com").await,
        Outcome::TokenReused
    );

    clock.advance(Duration::from_secs(24 * 60 * 60 - 1));
    assert_eq!(
        create(&emulator, "day-token", "first@example.com").await,
        Outcome::Created(first_id.clone()),
        "one second before 24 hours the stored answer is replayed"
    );
    assert_eq!(
        create(&emulator, "day-token", "second@example.com").await,
        Outcome::TokenReused
    );
    assert_eq!(total_users(&emulator).await, 2, "admin + first");

    clock.advance(Duration::from_secs(2));
    let after = create(&emulator, "day-token", "second@example.com").await;
    assert!(
        matches!(&after, Outcome::Created(id) if *id != first_id),
        "after 24 hours the token is free again: {after:?}"
    );
    assert_eq!(total_users(&emulator).await, 3, "admin + first + second");
}

/// Uses 30 tokens, then reuses each with another request; returns which were still remembered.
async fn remembered_after_30_tokens(emulator: &RunningEmulator) -> Vec<bool> {
    for i in 0..30 {
        let outcome = create(
            emulator,
            &format!("cap-token-{i}"),
            &format!("u{i}@example.com"),
        )
        .await;
        assert!(matches!(outcome, Outcome::Created(_)), "{i}: {outcome:?}");
    }
    let mut remembered = Vec::new();
    for i in 0..30 {
        let outcome = create(
            emulator,
            &format!("cap-token-{i}"),
            &format!("other{i}@example.com"),
        )
        .await;
        remembered.push(outcome == Outcome::TokenReused);
    }
    remembered
}

#[tokio::test]
async fn the_memory_cap_forgets_the_oldest_tokens_first() {
    // Without a small cap all 30 are remembered.
    let roomy = start(Emulator::builder().seed_demo_network(true)).await;
    assert_eq!(remembered_after_30_tokens(&roomy).await, vec![true; 30]);
    assert_eq!(roomy.idempotency_tokens(), 30);

    // A 4 KiB cap holds only the newest few answers.
    let tight = start(
        Emulator::builder()
            .seed_demo_network(true)
            .idempotency_cap_bytes(4096),
    )
    .await;
    let before_reuse = {
        for i in 0..30 {
            let outcome = create(
                &tight,
                &format!("cap-token-{i}"),
                &format!("u{i}@example.com"),
            )
            .await;
            assert!(matches!(outcome, Outcome::Created(_)), "{i}: {outcome:?}");
        }
        tight.idempotency_tokens()
    };
    assert!(
        (1..30).contains(&before_reuse),
        "the cap keeps some but not all tokens: {before_reuse}"
    );
    // The newest token is still bound to its request; the oldest is free again, well within
    // 24 hours.
    assert_eq!(
        create(&tight, "cap-token-29", "other29@example.com").await,
        Outcome::TokenReused
    );
    assert!(matches!(
        create(&tight, "cap-token-0", "other0@example.com").await,
        Outcome::Created(_)
    ));
}

#[tokio::test]
async fn a_token_being_answered_is_not_forgotten_to_make_room() {
    // A request runs under "first" while a retry with the same token waits for its answer;
    // meanwhile other answers fill the cap many times over. Forgotten to make room, "first"
    // would let the retry run the request a second time; it must get the answer instead.
    use bytes::Bytes;
    use wickr_admin_local::idempotency::{Claim, StoredResponse, SystemClock, TokenStore};
    let store = Arc::new(TokenStore::new(4096, Arc::new(SystemClock)));
    let request = b"POST /networks/1/users {...}".to_vec();
    assert!(matches!(
        store.claim("first", request.clone()).await,
        Ok(Claim::Run)
    ));
    let retry = tokio::spawn({
        let store = store.clone();
        let request = request.clone();
        async move { matches!(store.claim("first", request).await, Ok(Claim::Replay(_))) }
    });
    // The retry is waiting now.
    tokio::task::yield_now().await;
    let answer = |bytes: usize| StoredResponse {
        status: http::StatusCode::OK,
        error_type: None,
        body: Bytes::from(vec![b'x'; bytes]),
    };
    for i in 0..20 {
        let token = format!("other-{i}");
        assert!(matches!(
            store.claim(&token, Vec::new()).await,
            Ok(Claim::Run)
        ));
        store.complete(&token, answer(2_000));
    }
    store.complete("first", answer(10));
    assert!(
        retry.await.unwrap(),
        "the retry got the stored answer, not a run of its own"
    );
}

#[tokio::test]
async fn a_state_file_keeps_the_answers_of_the_changes_it_holds_and_the_latest_under_a_token() {
    use bytes::Bytes;
    use wickr_admin_local::idempotency::{Claim, StoredResponse, SystemClock, TokenStore};
    let store = TokenStore::new(1 << 20, Arc::new(SystemClock));
    let answer = |text: &str| StoredResponse {
        status: http::StatusCode::OK,
        error_type: None,
        body: Bytes::from(text.to_string()),
    };
    for (token, change) in [("held", 5), ("later", 9)] {
        assert!(matches!(
            store.claim(token, token.as_bytes().to_vec()).await,
            Ok(Claim::Run)
        ));
        store.complete_change(token, answer("{}"), change);
    }
    // A state file holding the journal's changes up to 5 keeps the answer of change 5, not that
    // of change 9: its change is not in that state, and its journal gives the answer back.
    let kept: Vec<String> = store.kept(0, 5).into_iter().map(|k| k.token).collect();
    assert_eq!(kept, ["held"]);
    assert_eq!(store.kept(0, 9).len(), 2);

    // Restored in the order answered (the state file's, then the journal's), the later answer
    // under a token used again replaces the earlier one.
    let restored = TokenStore::new(1 << 20, Arc::new(SystemClock));
    let age = Duration::from_secs(60);
    restored.restore("again", b"first".to_vec(), answer("{\"n\":1}"), age);
    restored.restore("again", b"second".to_vec(), answer("{\"n\":2}"), age);
    match restored.claim("again", b"second".to_vec()).await {
        Ok(Claim::Replay(stored)) => assert_eq!(stored.body, "{\"n\":2}"),
        _ => panic!("the later answer is the one kept"),
    }
    assert!(restored.claim("again", b"first".to_vec()).await.is_err());
}
