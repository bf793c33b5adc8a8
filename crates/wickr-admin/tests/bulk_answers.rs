//! The bulk job against answers the emulator never gives, from a scripted server on 127.0.0.1.

mod runtime_support;

use runtime_support::{config_for, Action, ScriptedServer};
use wickr_admin::bulk::{BulkReport, NewUser, Outcome};
use wickr_admin::Client;

const NETWORK: &str = "12345678";
const GROUP: &str = "BCTY8Qhe";

/// Imports `names` through a server that answers with `script`; returns the server too, for
/// what it received.
async fn import(script: Vec<Action>, names: &[&str]) -> (BulkReport, ScriptedServer) {
    let server = ScriptedServer::start(script).await;
    let client = Client::from_conf(config_for(&server.url).build());
    let report = client
        .bulk_create_users(NETWORK)
        .users(names.iter().map(|name| NewUser::new(*name)))
        .default_security_group(GROUP)
        .send()
        .await;
    (report, server)
}

#[tokio::test]
async fn a_created_user_without_an_id_is_created_with_no_id() {
    let (report, server) = import(
        vec![Action::json(
            200,
            r#"{"message": "done", "failed": [],
                "successful": [{"username": "a@example.com"},
                               {"username": "b@example.com", "userId": "u-b"},
                               {"username": "c@example.com", "userId": ""}]}"#,
        )],
        &["a@example.com", "b@example.com", "c@example.com"],
    )
    .await;
    let outcomes: Vec<Outcome<'_>> = report.iter().collect();
    assert_eq!(
        outcomes,
        [
            Outcome::Created {
                user_id: None,
                invite_code: None
            },
            Outcome::Created {
                user_id: Some("u-b"),
                invite_code: None
            },
            Outcome::Created {
                user_id: None,
                invite_code: None
            },
        ]
    );
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn reasons_that_name_no_user_stay_with_the_refused_users() {
    let (report, server) = import(
        vec![
            Action::json(
                422,
                r#"{"message": "invalid request",
                    "reasons": [{"field": "users[1].username", "reason": "must be an email address"},
                                {"field": "", "reason": "the request was partly invalid"}]}"#,
            )
            .header("x-amzn-errortype", "ValidationError"),
            Action::json(
                200,
                r#"{"failed": [],
                    "successful": [{"username": "a@example.com", "userId": "u-a"},
                                   {"username": "c@example.com", "userId": "u-c"}]}"#,
            ),
        ],
        &["a@example.com", "b@example.com", "c@example.com"],
    )
    .await;
    let outcomes: Vec<Outcome<'_>> = report.iter().collect();
    assert!(
        matches!(
            outcomes[0],
            Outcome::Created {
                user_id: Some("u-a"),
                ..
            }
        ),
        "{outcomes:?}"
    );
    assert!(
        matches!(
            outcomes[2],
            Outcome::Created {
                user_id: Some("u-c"),
                ..
            }
        ),
        "{outcomes:?}"
    );
    let Outcome::Failed { field, reason } = outcomes[1] else {
        panic!("user 1: {:?}", outcomes[1]);
    };
    assert_eq!(field, Some("username"));
    assert_eq!(
        reason,
        "must be an email address (the service also said: the request was partly invalid)"
    );
    // The two users the service did not name were sent again, alone.
    let received = server.received();
    assert_eq!(received.len(), 2);
    let resent = received[1].body_json();
    assert_eq!(
        resent["users"].as_array().map(|users| users
            .iter()
            .map(|u| u["username"].clone())
            .collect::<Vec<_>>()),
        Some(vec!["a@example.com".into(), "c@example.com".into()])
    );
}
