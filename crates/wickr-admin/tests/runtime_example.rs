//! The `batch_create_users` example, run against an emulator on 127.0.0.1.

#[allow(dead_code)] // the example's `main` is not called here
#[path = "../examples/batch_create_users.rs"]
mod example;

use wickr_admin::config::Credentials;
use wickr_admin_local::{
    Emulator, DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, DEMO_GROUP_ID, DEMO_NETWORK_ID,
};

fn credentials(secret: &str) -> Credentials {
    Credentials::new(DEFAULT_ACCESS_KEY_ID, secret, None, None, "test")
}

#[tokio::test]
async fn the_example_creates_its_two_users() {
    let emulator = Emulator::builder()
        .seed_demo_network(true)
        .start()
        .await
        .expect("emulator starts");
    let output = example::create_users(
        &emulator.endpoint_url(),
        credentials(DEFAULT_SECRET_ACCESS_KEY),
        DEMO_NETWORK_ID,
        DEMO_GROUP_ID,
    )
    .await
    .expect("the example's call succeeds");
    let mut created: Vec<&str> = output
        .successful()
        .iter()
        .filter_map(|u| u.username())
        .collect();
    created.sort_unstable();
    assert_eq!(created, ["alice@example.com", "bob@example.com"]);
    assert!(output.failed().is_empty(), "{:?}", output.failed());

    // The users are really in the network now.
    let listed = emulator
        .client()
        .list_users()
        .network_id(DEMO_NETWORK_ID)
        .username("bob@example.com")
        .send()
        .await
        .expect("list users");
    assert_eq!(listed.users().len(), 1);
}

#[tokio::test]
async fn the_example_reports_a_refused_call() {
    let emulator = Emulator::builder()
        .seed_demo_network(true)
        .start()
        .await
        .expect("emulator starts");
    let err = example::create_users(
        &emulator.endpoint_url(),
        credentials("not-the-secret"),
        DEMO_NETWORK_ID,
        DEMO_GROUP_ID,
    )
    .await
    .expect_err("a wrong secret is refused");
    let shown = err.to_string();
    assert!(shown.starts_with("BatchCreateUser:"), "{shown}");
    assert!(!shown.contains("not-the-secret"), "{shown}");
}
