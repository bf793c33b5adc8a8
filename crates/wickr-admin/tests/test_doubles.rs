//! aws-smithy-mocks, the usual test double of aws-sdk-* clients, on both crates: `mock!` rules
//! on a client's operation and `mock_client!` built from the crate's `Config::builder()`
//! (`with_test_defaults_v2()`, `http_client(..)`, `interceptor(..)`). The mock interceptor reads
//! the typed input and replaces the typed output or error, which both crates carry through the
//! orchestrator, so no request leaves the process.

use aws_smithy_mocks::{mock, mock_client, RuleMode};

macro_rules! doubles {
    ($krate:ident) => {
        mod $krate {
            use ::$krate as krate;
            use krate::error::ProvideErrorMetadata;
            use krate::operation::batch_create_user::{
                BatchCreateUserError, BatchCreateUserOutput,
            };
            use krate::operation::get_users_count::GetUsersCountOutput;
            use krate::types::error::ValidationError;
            use krate::types::{BatchCreateUserRequestItem, ErrorDetail};

            use super::*;

            /// A users count with `active` active users.
            fn count(active: i32) -> GetUsersCountOutput {
                GetUsersCountOutput::builder()
                    .active(active)
                    .pending(0)
                    .rejected(0)
                    .remaining(100 - active)
                    .total(active)
                    .build()
                    .unwrap_or_else(|e| panic!("the output builds: {e}"))
            }

            fn item(name: &str) -> BatchCreateUserRequestItem {
                BatchCreateUserRequestItem::builder()
                    .username(name)
                    .security_group_ids("BCTY8Qhe")
                    .build()
                    .unwrap_or_else(|e| panic!("the item builds: {e}"))
            }

            #[tokio::test]
            async fn rules_answer_with_outputs_and_errors() {
                let created = mock!(krate::Client::batch_create_user)
                    .match_requests(|input| input.users().len() == 1)
                    .then_output(|| BatchCreateUserOutput::builder().message("created").build());
                let refused = mock!(krate::Client::batch_create_user)
                    .match_requests(|input| input.users().len() == 2)
                    .then_error(|| {
                        BatchCreateUserError::ValidationError(
                            ValidationError::builder()
                                .message("bad user")
                                .reasons(
                                    ErrorDetail::builder()
                                        .field("users[1].username")
                                        .reason("taken")
                                        .build(),
                                )
                                .build(),
                        )
                    });
                let counted = mock!(krate::Client::get_users_count).then_output(|| count(3));
                let client =
                    mock_client!(krate, RuleMode::MatchAny, [&created, &refused, &counted]);

                let output = client
                    .batch_create_user()
                    .network_id("12345678")
                    .users(item("a@example.com"))
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{e:?}"));
                assert_eq!(output.message(), Some("created"));

                let err = client
                    .batch_create_user()
                    .network_id("12345678")
                    .users(item("a@example.com"))
                    .users(item("b@example.com"))
                    .send()
                    .await
                    .expect_err("the rule answers with an error");
                match err.as_service_error() {
                    Some(BatchCreateUserError::ValidationError(e)) => {
                        assert_eq!(e.reasons().len(), 1);
                        assert_eq!(e.message(), Some("bad user"));
                    }
                    other => panic!("expected the mocked ValidationError, got {other:?}"),
                }

                let users = client
                    .get_users_count()
                    .network_id("12345678")
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{e:?}"));
                assert_eq!(users.active(), 3);
                assert_eq!(created.num_calls(), 1);
                assert_eq!(refused.num_calls(), 1);
                assert_eq!(counted.num_calls(), 1);
            }

            #[tokio::test]
            async fn a_sequence_answers_each_call_in_turn() {
                let rule = mock!(krate::Client::get_users_count)
                    .sequence()
                    .output(|| count(1))
                    .output(|| count(2))
                    .build();
                let client = mock_client!(krate, RuleMode::Sequential, [&rule]);
                for expected in [1, 2] {
                    let users = client
                        .get_users_count()
                        .network_id("12345678")
                        .send()
                        .await
                        .unwrap_or_else(|e| panic!("{e:?}"));
                    assert_eq!(users.active(), expected);
                }
                assert_eq!(rule.num_calls(), 2);
                // The code of a mocked error reads as a real one's does.
                let error_rule = mock!(krate::Client::get_users_count).then_error(|| {
                    krate::operation::get_users_count::GetUsersCountError::generic(
                        krate::error::ErrorMetadata::builder()
                            .code("SomethingElse")
                            .build(),
                    )
                });
                let client = mock_client!(krate, [&error_rule]);
                let err = client
                    .get_users_count()
                    .network_id("12345678")
                    .send()
                    .await
                    .expect_err("mocked");
                assert_eq!(err.code(), Some("SomethingElse"));
            }
        }
    };
}

doubles!(aws_sdk_wickr);
doubles!(wickr_admin);

/// Where the crates differ: wickr-admin checks the input against the model before anything
/// else, so a mocked call with input the service would refuse fails as a `ConstructionFailure`
/// (the official crate hands it to the mock).
mod validation_first {
    use super::*;
    use ::wickr_admin as ours;

    #[tokio::test]
    async fn wickr_admin_validates_before_the_mock_answers() {
        let rule = mock!(ours::Client::get_users_count).then_error(|| {
            ours::operation::get_users_count::GetUsersCountError::generic(
                ours::error::ErrorMetadata::builder().build(),
            )
        });
        let client = mock_client!(ours, [&rule]);
        let err = client
            .get_users_count()
            .network_id("not eight digits")
            .send()
            .await
            .expect_err("invalid input");
        assert!(
            matches!(err, ours::error::SdkError::ConstructionFailure(_)),
            "{err:?}"
        );
        assert_eq!(rule.num_calls(), 0, "the mock never saw the call");
    }
}
